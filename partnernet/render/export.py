"""Tables to bytes: CSV (plain or Danish Excel dialect) and JSON.

Both are deterministic: floats are rounded, NaN and infinities become empty /
``null``, lists are written as lists of ids (``|``-joined in CSV).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable

import polars as pl

#: Decimal places kept for floats in every export.
DECIMALS = 6

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _number(value: float) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, DECIMALS)
    return 0.0 if rounded == 0 else rounded


def _plain(value):
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def records(frame: pl.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (rounded floats, NaN/inf → None)."""
    return [_plain(row) for row in frame.iter_rows(named=True)]


#: Rows turned into text at a time by the exports (a large table is never held as Python rows whole).
CHUNK_ROWS = 20_000


def json_bytes(frame: pl.DataFrame, *, chunk: int = CHUNK_ROWS) -> bytes:
    """A JSON list of records, UTF-8, never NaN or Infinity.

    The bytes of ``json.dumps(records(frame), ensure_ascii=False, indent=1)``,
    made ``chunk`` rows at a time: each record is dumped on its own and
    indented one level, so the 300 MB gaps table of a large run never exists
    as Python rows and text at once.
    """
    if frame.height == 0:
        return b"[]\n"
    parts = [b"[\n"]
    for start in range(0, frame.height, chunk):
        dumped = (json.dumps(r, ensure_ascii=False, indent=1, allow_nan=False).replace("\n", "\n ")
                  for r in records(frame.slice(start, chunk)))
        parts.append(((",\n" if start else "") + " " + ",\n ".join(dumped)).encode("utf-8"))
    parts.append(b"\n]\n")
    return b"".join(parts)


def _cell(value, *, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = _number(value)
        if number is None:
            return ""
        text = repr(number) if not number.is_integer() else str(int(number)) if abs(number) < 1e15 else repr(number)
        return text.replace(".", ",") if excel else text
    if isinstance(value, (list, tuple)):
        return "|".join(_cell(v, excel=excel) for v in value)
    text = str(value)
    if excel and text.startswith(_FORMULA_START):
        return "'" + text
    if excel and text and ord(text[0]) < 0x20:
        return "'" + text
    return text


def csv_rows(header: list[str], rows: Iterable[Iterable], *, excel: bool = False, chunk: int = CHUNK_ROWS) -> bytes:
    """Rows to CSV bytes: plain (UTF-8, ``,``) or Excel (UTF-8 BOM, ``;``, decimal comma, formulas neutralised).

    Encoded ``chunk`` rows at a time (a text buffer of a whole large table
    takes four bytes per character).
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n",
                        quoting=csv.QUOTE_MINIMAL)
    parts = [b"\xef\xbb\xbf"] if excel else []
    writer.writerow([_cell(h, excel=excel) for h in header])
    for i, row in enumerate(rows, start=1):
        writer.writerow([_cell(v, excel=excel) for v in row])
        if i % chunk == 0:
            parts.append(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
    parts.append(buf.getvalue().encode("utf-8"))
    return b"".join(parts)


def csv_bytes(frame: pl.DataFrame, *, excel: bool = False) -> bytes:
    """A table as CSV; ``excel=True`` writes what Danish Excel opens correctly."""
    return csv_rows(frame.columns, frame.iter_rows(), excel=excel)
