"""Reading CSV files as Excel writes them, with every problem located.

Accepts UTF-8 with or without BOM, UTF-16 with BOM, cp1252 (with a warning),
``,`` ``;`` or tab separators detected from the header, Excel's ``sep=;`` first
line, CRLF/LF/CR line endings, quoted fields holding separators and newlines,
and blank lines. All values are read as text.

The structure (record boundaries, field counts, quotes) is scanned with numpy
over the bytes and the values are parsed by polars, so a million rows take a
second or two; Python's :mod:`csv` module is used only for the header and as a
fallback on the error path. Every record keeps the physical line it starts on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ..errors import Problem

#: Column holding the physical (1-based) line each record starts on.
LINE: str = "__line__"

#: Longest record accepted, in bytes: longer ones are an error, not a hang.
MAX_RECORD_BYTES: int = 1_000_000

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SEP_LINE = re.compile(r"^sep=(.)\s*$")


@dataclass
class RawTable:
    """A CSV file read as text: header names, String columns, physical lines.

    ``frame`` has one String column per header field, named after the header
    as written (stripped of surrounding spaces), plus :data:`LINE`. It is
    ``None`` when the file could not be read at all (see ``problems``).
    """

    path: str
    columns: list[str] = field(default_factory=list)
    frame: pl.DataFrame | None = None
    header_line: int = 1
    encoding: str = "utf-8"
    separator: str = ","
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.frame is not None


def _problem(path: str, line: int, column: int, name: str, value: object, reason: str, severity="error") -> Problem:
    return Problem(path, line, column, name, value, reason, severity)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset) + 1


def decode(data: bytes, path: str) -> tuple[str | None, str, list[Problem]]:
    """Decode file bytes; returns (text or None, encoding name, problems)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            return None, "utf-16", [_problem(path, line, 1, "encoding", "utf-16", "invalid UTF-16 data")]
    else:
        enc = "utf-8"
    try:
        return data.decode("utf-8"), enc, []
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    line = _line_of(data, bad_at)
    byte = f"0x{data[bad_at]:02X}"
    if _UTF8_MULTIBYTE.search(data) or enc == "utf-8-sig":
        return None, enc, [
            _problem(path, line, 1, "encoding", byte,
                     "invalid UTF-8: the file mixes UTF-8 with another encoding from this line on; "
                     "save it again as \"CSV UTF-8\"")
        ]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        return None, "unknown", [
            _problem(path, line, 1, "encoding", f"0x{data[exc.start]:02X}",
                     "neither UTF-8 nor Windows-1252 (cp1252); save the file as \"CSV UTF-8\"")
        ]
    return text, "cp1252", [
        _problem(path, line, 1, "encoding", "cp1252",
                 "not UTF-8; read as Windows-1252 (cp1252, Danish Excel's \"CSV\"); "
                 "save as \"CSV UTF-8\" to be sure", "warning")
    ]


def _split_header(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep, quotechar='"', strict=False), [])


def detect_separator(header: str) -> tuple[str | None, str]:
    """Pick the separator from the header line (outside quotes): (sep or None, reason)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {s: outside.count(s) for s in SEPARATORS}
    best = max(counts.values())
    if best == 0:
        return ",", ""
    winners = [s for s, n in counts.items() if n == best]
    if len(winners) > 1:
        shown = " and ".join(f"{n} {SEPARATORS[s]}s" for s, n in counts.items() if n == best)
        return None, f"cannot tell the separator: the header has {shown}; add a first line sep=; (or sep=,)"
    return winners[0], ""


@dataclass
class _Scan:
    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray
    fields: np.ndarray
    blank: np.ndarray
    unclosed_at: int | None


def _scan(buf: bytes, sep: str) -> _Scan:
    arr = np.frombuffer(buf, dtype=np.uint8)
    n = arr.size
    isq = arr == 34
    qcount = np.cumsum(isq, dtype=np.int64)
    inq = (qcount & 1).astype(bool)
    nl = arr == 10
    term = np.flatnonzero(nl & ~inq)
    starts = np.concatenate(([0], term + 1)).astype(np.int64)
    ends = np.concatenate((term, [n])).astype(np.int64)
    if ends.size > 1 and starts[-1] == n:
        starts, ends = starts[:-1], ends[:-1]
    nl_cum = np.concatenate(([0], np.cumsum(nl, dtype=np.int64)))
    lines = nl_cum[starts] + 1
    sep_b = ord(sep)
    seppos = np.flatnonzero((arr == sep_b) & ~inq)
    rec_of_sep = np.searchsorted(starts, seppos, side="right") - 1
    fields = np.bincount(rec_of_sep, minlength=starts.size) + 1
    ws = (arr == 32) | (arr == 13) | ((arr == 9) & (sep_b != 9)) | ((arr == sep_b) & ~inq)
    content = np.concatenate(([0], np.cumsum(~ws, dtype=np.int64)))
    blank = (content[ends] - content[starts]) == 0
    unclosed_at = None
    if n and qcount[-1] & 1:
        prev = np.concatenate(([10], arr[:-1]))
        opening = np.flatnonzero(isq & inq & ((prev == 10) | (prev == sep_b)))
        unclosed_at = int(opening[-1]) if opening.size else int(np.flatnonzero(isq)[-1])
    return _Scan(starts, ends, lines, fields, blank, unclosed_at)


def read_table(path: str | Path, *, display: str | None = None) -> RawTable:
    """Read a CSV file into a :class:`RawTable`, collecting every structural problem.

    ``display`` is the file name used in messages (defaults to ``path``).
    """
    shown = display or str(path)
    table = RawTable(path=shown)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        table.problems.append(_problem(shown, 1, 1, "file", str(path), f"cannot read the file: {exc.strerror}"))
        return table
    return parse_bytes(data, shown)


def parse_bytes(data: bytes, display: str) -> RawTable:
    """Parse CSV bytes (see :func:`read_table`)."""
    table = RawTable(path=display)
    text, table.encoding, problems = decode(data, display)
    table.problems += problems
    if text is None:
        return table
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    sep_line = _SEP_LINE.match(first)
    buf = text.encode("utf-8")
    sep = sep_line.group(1) if sep_line else None
    if sep is not None and sep not in SEPARATORS:
        table.problems.append(_problem(display, 1, 1, "sep", sep, "unsupported separator; use , ; or tab"))
        return table
    if sep is not None:
        # Blank out the sep= line so line numbers stay physical.
        buf = b" " * len(first.encode("utf-8")) + buf[len(first.encode("utf-8")):]
    scan = _scan(buf, sep or ",")
    content = np.flatnonzero(~scan.blank)
    if content.size == 0:
        table.problems.append(_problem(display, 1, 1, "file", "", "the file is empty (no header line)"))
        return table
    h = int(content[0])
    header_text = buf[scan.starts[h]:scan.ends[h]].decode("utf-8")
    if sep is None:
        sep, why = detect_separator(header_text)
        if sep is None:
            table.problems.append(_problem(display, int(scan.lines[h]), 1, "header", header_text, why))
            return table
        if sep != ",":
            scan = _scan(buf, sep)
    table.separator = sep
    table.header_line = int(scan.lines[h])
    if scan.unclosed_at is not None:
        at = scan.unclosed_at
        line = buf.count(b"\n", 0, at) + 1
        rec = int(np.searchsorted(scan.starts, at, side="right") - 1)
        col = buf.count(sep.encode(), int(scan.starts[rec]), at) + 1
        table.problems.append(_problem(display, line, col, "quote", buf[at:at + 20].decode("utf-8", "replace"),
                                       "unclosed quote: the quoted field opened here never ends"))
        return table
    header = [c.strip() for c in _split_header(header_text, sep)]
    table.columns = header
    bad_header = _check_header(header, display, table.header_line)
    table.problems += bad_header
    if bad_header:
        return table
    width = len(header)
    lengths = scan.ends - scan.starts
    data_rec = np.flatnonzero(~scan.blank)[1:]
    too_long = data_rec[lengths[data_rec] > MAX_RECORD_BYTES]
    for r in too_long.tolist():
        table.problems.append(_problem(display, int(scan.lines[r]), 1, "record", f"{int(lengths[r]):,} bytes",
                                       f"record longer than the limit of {MAX_RECORD_BYTES:,} bytes"))
    wrong = data_rec[(scan.fields[data_rec] != width) & (lengths[data_rec] <= MAX_RECORD_BYTES)]
    for r in wrong.tolist():
        found = int(scan.fields[r])
        table.problems.append(_problem(
            display, int(scan.lines[r]), min(found, width + 1), "fields", f"{found} fields",
            f"expected {width} field{'s' if width != 1 else ''} like the header, found {found}"))
    keep = data_rec[(scan.fields[data_rec] == width) & (lengths[data_rec] <= MAX_RECORD_BYTES)]
    table.frame = _values(buf, scan, keep, header, sep)
    return table


def _check_header(header: list[str], display: str, line: int) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name == "":
            problems.append(_problem(display, line, i, f"column {i}", name, "empty column name"))
        elif name in seen:
            problems.append(_problem(display, line, i, name, name,
                                     f"duplicate column name (also column {seen[name]})"))
        else:
            seen[name] = i
    return problems


def _values(buf: bytes, scan: _Scan, keep: np.ndarray, header: list[str], sep: str) -> pl.DataFrame:
    """Parse the kept records with polars; fall back to :mod:`csv` if counts disagree."""
    names = [f"c{i}" for i in range(len(header))]
    lines = scan.lines[keep]
    if keep.size == 0:
        frame = pl.DataFrame({n: pl.Series(n, [], dtype=pl.String) for n in names})
    else:
        rec_len = scan.ends[keep] - scan.starts[keep]
        if keep.size == scan.starts.size - 1 and keep[0] == 1:
            body = buf[scan.starts[1]:]
        else:
            arr = np.frombuffer(buf, dtype=np.uint8)
            idx = np.repeat(scan.starts[keep], rec_len + 1) + _ranges(rec_len + 1)
            body_arr = arr[np.minimum(idx, arr.size - 1)].copy()
            body_arr[np.cumsum(rec_len + 1) - 1] = 10
            body = body_arr.tobytes()
        frame = _polars_parse(body, names, sep)
        if frame is None or frame.height != keep.size:
            frame = _csv_parse(buf, scan, keep, names, sep)
    frame = frame.rename(dict(zip(names, header)))
    return frame.with_columns(pl.Series(LINE, lines, dtype=pl.Int64))


def _ranges(counts: np.ndarray) -> np.ndarray:
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets


def _polars_parse(body: bytes, names: list[str], sep: str) -> pl.DataFrame | None:
    try:
        return pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            new_columns=names,
            separator=sep,
            quote_char='"',
            infer_schema=False,
            raise_if_empty=False,
            truncate_ragged_lines=False,
            missing_utf8_is_empty_string=True,
        )
    except Exception:  # polars' own parse errors: fall back to the csv module
        return None


def _csv_parse(buf: bytes, scan: _Scan, keep: np.ndarray, names: list[str], sep: str) -> pl.DataFrame:
    cols: list[list[str]] = [[] for _ in names]
    for r in keep.tolist():
        rec = buf[scan.starts[r]:scan.ends[r]].decode("utf-8")
        row = next(csv.reader([rec], delimiter=sep, quotechar='"', strict=False), [])
        row = (row + [""] * len(names))[: len(names)]
        for c, v in zip(cols, row):
            c.append(v)
    return pl.DataFrame({n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, cols)})
