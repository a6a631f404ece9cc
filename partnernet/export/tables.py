"""Tables to bytes: CSV (plain, or the dialect Danish Excel opens) and JSON.

Both are deterministic: floats are rounded by :func:`rounded` (the one rounding
rule of every export, the graph files of :mod:`partnernet.export.graphxml`
included), NaN and infinities become empty / ``null``, lists are written as
lists of ids (``|``-joined in CSV).

The input files are never offered as received (a ``=HYPERLINK(…)`` label
would reach a colleague's Excel live): :func:`input_tables` writes the
validated tables in the Excel dialect instead, and :func:`received_csv`
records which files they came from (name, size, SHA-256).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Iterable

import polars as pl

from .. import schema
from ..dataset import Dataset, Received

#: Decimal places kept for floats in every export.
DECIMALS = 6

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def rounded(value: float | None) -> float | None:
    """``value`` rounded to :data:`DECIMALS` places (``-0.0`` as ``0.0``); None for None, NaN, infinities."""
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, DECIMALS)
    return 0.0 if rounded == 0 else rounded


def plain(value):
    """``value`` with every float in it :func:`rounded` (lists and dicts walked)."""
    if isinstance(value, float):
        return rounded(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def records(frame: pl.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (rounded floats, NaN/inf → None).

    Converted a column at a time: only float and nested columns need
    :func:`plain`, and a column's values come out of polars in one call.
    """
    names = frame.columns
    columns = []
    for name in names:
        series = frame.get_column(name)
        values = series.to_list()
        if not (series.dtype in (pl.String, pl.Boolean) or series.dtype.is_integer()):
            values = [plain(v) for v in values]
        columns.append(values)
    return [dict(zip(names, row)) for row in zip(*columns)]


#: Rows turned into text at a time by the exports (a large table is never held as Python rows whole).
CHUNK_ROWS = 20_000


def json_bytes(frame: pl.DataFrame, *, chunk: int = CHUNK_ROWS) -> bytes:
    """A JSON list of records, one record per line, UTF-8, never NaN or Infinity.

    One line per record keeps large downloads readable and diffable, and lets
    the standard library's C encoder write them (an indented dump goes
    through its pure-Python encoder, many times slower on large tables).
    Made ``chunk`` rows at a time, so a large table never exists as Python
    rows and text at once.
    """
    return records_json(row for start in range(0, frame.height, chunk) for row in records(frame.slice(start, chunk)))


def records_json(rows: Iterable[dict], *, chunk: int = CHUNK_ROWS) -> bytes:
    """JSON-ready records as a JSON list, one record per line (the layout of every JSON download)."""
    lines = (json.dumps(row, ensure_ascii=False, allow_nan=False) for row in rows)
    parts = [",\n".join(batch).encode("utf-8") for batch in iter(lambda: list(itertools.islice(lines, chunk)), [])]
    return b"[\n" + b",\n".join(parts) + b"\n]\n" if parts else b"[]\n"


def cell_text(value, *, excel: bool) -> str:
    """One value as CSV cell text (``excel``: decimal comma, formulas neutralised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = rounded(value)
        if number is None:
            return ""
        text = repr(number) if not number.is_integer() else str(int(number)) if abs(number) < 1e15 else repr(number)
        return text.replace(".", ",") if excel else text
    if isinstance(value, (list, tuple)):
        return "|".join(cell_text(v, excel=excel) for v in value)
    return _text(str(value), excel=excel)


def csv_rows(header: list[str], rows: Iterable[Iterable], *, excel: bool = False, chunk: int = CHUNK_ROWS) -> bytes:
    """Rows to CSV bytes: plain (UTF-8, ``,``) or Excel (UTF-8 BOM, ``;``, decimal comma, formulas neutralised).

    Encoded ``chunk`` rows at a time (a text buffer of a whole large table
    takes four bytes per character).
    """
    return _csv((cell_text(h, excel=excel) for h in header),
                ([cell_text(v, excel=excel) for v in row] for row in rows), excel=excel, chunk=chunk)


def _csv(header: Iterable[str], rows: Iterable[Iterable[str]], *, excel: bool, chunk: int) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n",
                        quoting=csv.QUOTE_MINIMAL)
    parts = [b"\xef\xbb\xbf"] if excel else []
    writer.writerow(list(header))
    for i, row in enumerate(rows, start=1):
        writer.writerow(row)
        if i % chunk == 0:
            parts.append(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
    parts.append(buf.getvalue().encode("utf-8"))
    return b"".join(parts)


def csv_bytes(frame: pl.DataFrame, *, excel: bool = False, chunk: int = CHUNK_ROWS) -> bytes:
    """A table as CSV; ``excel=True`` writes what Danish Excel opens correctly.

    The cells are :func:`csv_rows`' cells, converted a column at a time with
    the converter for the column's type.
    """
    columns = [_column_cells(frame.get_column(name), excel=excel) for name in frame.columns]
    return _csv((cell_text(h, excel=excel) for h in frame.columns), zip(*columns), excel=excel, chunk=chunk)


#: Text cells neutralised in Excel CSV (see :func:`_text`), as a regular expression for polars.
_FORMULA_PATTERN = r"^[=+\-@\x00-\x1F]"


def _column_cells(series: pl.Series, *, excel: bool) -> list[str]:
    """The CSV cells of one column; text and text-list columns are converted by polars, not per cell."""
    dtype = series.dtype
    if dtype == pl.String:
        expr = _text_expr(pl.col(series.name), excel=excel).fill_null("")
    elif dtype == pl.List(pl.String):
        element = _text_expr(pl.element(), excel=excel).fill_null("")
        expr = pl.col(series.name).list.eval(element).list.join("|").fill_null("")
    else:
        values = series.to_list()
        if dtype.is_integer():
            return ["" if v is None else str(v) for v in values]
        return [cell_text(v, excel=excel) for v in values]
    return series.to_frame().select(expr).to_series().to_list()


def _text_expr(expr: pl.Expr, *, excel: bool) -> pl.Expr:
    """:func:`_text` as a polars expression."""
    if not excel:
        return expr
    return pl.when(expr.str.contains(_FORMULA_PATTERN)).then(pl.lit("'") + expr).otherwise(expr)


def _text(text: str, *, excel: bool) -> str:
    if excel and text and (text.startswith(_FORMULA_START) or ord(text[0]) < 0x20):
        return "'" + text
    return text


def input_frames(dataset: Dataset) -> dict[str, pl.DataFrame]:
    """The validated ``nodes``, ``edges`` (and ``sectors`` when one was read) as tables.

    The tables partnernet worked with: trimmed, NFC, defaults filled in
    (kind, role, weight, label), memberships written actor → partnership,
    ``declared`` as its cell text. The computed ``relation`` is left out, so
    the tables are valid input again.
    """
    nodes = dataset.nodes
    if schema.DECLARED in nodes.columns:  # back to its nodes.csv text, business:5|civil_society:1
        entry = pl.element().struct.field("sector") + schema.DECLARED_COUNT_SEP + \
            pl.element().struct.field("count").cast(pl.String)
        nodes = nodes.with_columns(pl.col(schema.DECLARED).list.eval(entry).list.join(schema.DECLARED_SEP))
    out = {"nodes": nodes, "edges": dataset.edges.drop(schema.RELATION, strict=False)}
    if any(r.name == schema.SECTORS_FILE for r in dataset.received):
        rows = [(s.id, s.label_da, s.label_en, s.group, s.color) for s in dataset.sectors]
        out["sectors"] = pl.DataFrame(rows, schema=list(schema.SECTOR_COLUMNS), orient="row")
    return out


def input_tables(dataset: Dataset) -> dict[str, bytes]:
    """``nodes.csv``, ``edges.csv`` (and ``sectors.csv`` when one was read) of :func:`input_frames`, in Excel
    CSV (formulas neutralised)."""
    return {f"{name}.csv": csv_bytes(frame, excel=True) for name, frame in input_frames(dataset).items()}


def received_csv(received: Iterable[Received]) -> bytes:
    """The files the data was read from (standard name, file name, size in bytes, SHA-256), in Excel CSV."""
    return csv_rows(["name", "file", "size", "sha256"], ((r.name, r.file, r.size, r.sha256) for r in received),
                    excel=True)
