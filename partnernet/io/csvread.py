"""Reading CSV files as Excel writes them, with every problem located.

Accepted: UTF-8 with or without BOM, UTF-16 or UTF-32 with BOM (Excel's
"Unicode text" is UTF-16), Windows-1252 (cp1252, Danish Excel's plain "CSV"; with a warning), ``,`` ``;``
or tab separators detected from the header line, Excel's ``sep=;`` first line,
CRLF/LF/CR line endings, quoted fields holding separators, quotes (doubled) and
line breaks, and blank lines (also lines holding only separators and spaces,
which Excel writes for empty rows). All values are read as text, exactly as
written; trimming and typing happen in :mod:`partnernet.validate`.

Rules the reader enforces (each breach is a located :class:`Problem`):

* the encoding is never guessed where the guess could be wrong: a file that
  mixes UTF-8 with other bytes is an error at the first bad byte (never read
  as mojibake), and so is UTF-16 without a byte-order mark;
* the separator is the one of ``,`` ``;`` and tab that occurs most often
  outside quotes in the header line; a tie is an error (add ``sep=;``);
* a quoted field starts and ends with the quote: a quote inside an unquoted
  field, a space before an opening quote or text after a closing quote is an
  error, and an unclosed quote is reported at the line where it opened;
* every record has as many fields as the header; column names are trimmed,
  must be unique and non-empty (an unnamed column with no values is ignored
  with a warning);
* a record may hold at most :data:`MAX_RECORD_BYTES` bytes;
* after a quote problem, reading resumes on the next line; records that
  cannot be used are reported and left out (their fields kept in
  ``RawTable.salvaged`` so other checks do not report them as missing).

Line breaks inside quoted fields are read as ``\\n`` whatever the file used.

Lines are physical lines of the file (1-based), so a message points where an
editor does, even after quoted line breaks; columns are 1-based field numbers.

Bytes are decoded by :mod:`partnernet.io.encoding`. Record boundaries, field
counts and quote structure are found with numpy over the bytes and the values
are parsed by polars; Python loops run only over records that have a problem.

Over 600 lines on purpose: what is left is one responsibility, turning
UTF-8 bytes into records while locating every problem, and its parts (the
vectorised scan, the quote state and the problem locators) share the
record arrays; split apart, each would need the others' internals.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ..errors import VALUE_MAX, Problem, cut_value
from .encoding import CP1252_WARNING, decode_bytes

#: Column holding the physical (1-based) line each record starts on.
LINE: str = "__line__"

#: Longest record accepted, in bytes: longer ones are an error, not a hang.
MAX_RECORD_BYTES: int = 1_000_000

#: After this many quote problems in one file the rest of the file is not read.
MAX_QUOTE_PROBLEMS: int = 50

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


_SEP_LINE = re.compile(r'^"?sep=([^"\n])"?[,;\t ]*$', re.IGNORECASE)
_CONTENT = re.compile(rb"[^ \t,;\n]")

_QUOTE, _NL, _SPACE, _TAB = 34, 10, 32, 9

_FILE_REASONS = {
    errno.ENOENT: "file not found",
    errno.EISDIR: "is a folder, not a file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a path component is a file, not a folder",
    errno.ELOOP: "too many symbolic links",
}


@dataclass
class RawTable:
    """A CSV file read as text: header names, String columns, physical lines.

    ``frame`` has one String column per named header field, named as written
    (trimmed), plus :data:`LINE`; records with a structural problem are left
    out (and reported). ``frame`` is ``None`` when the file could not be read
    at all (see ``problems``). ``positions`` maps a column name to its 1-based
    field number; ``salvaged`` holds, for records left out, their physical line
    and best-effort fields by column name (so later checks can tell "broken
    record" from "missing record").
    """

    path: str
    columns: list[str] = field(default_factory=list)
    frame: pl.DataFrame | None = None
    header_line: int = 1
    encoding: str = "utf-8"
    separator: str = ","
    problems: list[Problem] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    salvaged: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    size: int = 0  # bytes read
    sha256: str = ""  # of the bytes read, hex; "" when the file could not be read

    @property
    def ok(self) -> bool:
        return self.frame is not None


def _problem(path: str, line: int, column: int, name: str, value: object, reason: str, severity="error") -> Problem:
    if isinstance(value, str):
        value = cut_value(value)
    return Problem(path, int(line), int(column), name, value, reason, severity)


# --- reading and decoding -----------------------------------------------------


def read_table(path: str | Path, *, display: str | None = None) -> RawTable:
    """Read a CSV file into a :class:`RawTable`, collecting every problem.

    Never raises for bad input: a file that is missing, a folder, unreadable or
    undecodable gives a :class:`RawTable` with ``frame=None`` and a located
    problem. ``display`` is the file name used in messages (defaults to ``path``).
    """
    shown = display or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        table = RawTable(path=shown)
        reason = _FILE_REASONS.get(exc.errno, f"cannot read the file: {exc.strerror or exc}")
        table.problems.append(_problem(shown, 1, 1, "file", "", reason))
        return table
    return parse_bytes(data, shown)


def _normalise(buf: bytes, offset: int | None) -> tuple[bytes, int | None]:
    """Line endings to ``\\n`` (moving ``offset`` along), a stray leading BOM removed."""
    if buf.startswith(b"\xef\xbb\xbf"):
        buf = buf[3:]
        offset = None if offset is None else max(offset - 3, 0)
    if b"\r" in buf:
        if offset is not None:
            offset -= buf.count(b"\r\n", 0, offset)
        buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return buf, offset


# --- separator and header -----------------------------------------------------


def detect_separator(header: str) -> tuple[str | None, str]:
    """Pick the separator from the header line (outside quotes): (sep or None, reason)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {s: outside.count(s) for s in SEPARATORS}
    best = max(counts.values())
    if best == 0:
        return ",", ""
    winners = [s for s, n in counts.items() if n == best]
    if len(winners) > 1:
        shown = " and ".join(f"{n} {SEPARATORS[s]}{'s' if n != 1 else ''}" for s, n in counts.items() if n == best)
        return None, f"cannot tell the separator: the header has {shown}; add a first line sep=; (or sep=, or sep=<tab>)"
    return winners[0], ""


@contextlib.contextmanager
def _csv_limit() -> Iterator[None]:
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, 2 * MAX_RECORD_BYTES + 16))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _split(text: str, sep: str) -> list[str]:
    """Fields of one record (lenient: the structure was checked already)."""
    with _csv_limit():
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=False), [])


def _where_in_line(text: str, offset: int, sep: str) -> tuple[int, str]:
    """(field number, field text) of a character offset in one line, following quotes from its start."""
    parts = text[:offset].split('"')
    col = 1 + sum(p.count(sep) for p in parts[0::2])
    field_start, at = 0, 0
    for i, p in enumerate(parts):
        if i % 2 == 0 and sep in p:
            field_start = at + p.rfind(sep) + 1
        at += len(p) + 1
    inside = len(parts) % 2 == 0
    field_end, at = len(text), offset
    for p in text[offset:].split('"'):
        if not inside and sep in p:
            field_end = at + p.index(sep)
            break
        at += len(p) + 1
        inside = not inside
    return col, text[field_start:field_end]


def _where(buf: bytes, offset: int, sep: str) -> tuple[int, int, str]:
    """(line, field number, field text) of a byte offset; for messages only.

    Exact unless a quoted line break precedes the offset in the same record.
    """
    line = buf.count(b"\n", 0, offset) + 1
    start = buf.rfind(b"\n", 0, offset) + 1
    end = buf.find(b"\n", offset)
    text = buf[start: len(buf) if end < 0 else end].decode("utf-8", "replace")
    col, value = _where_in_line(text, len(buf[start:offset].decode("utf-8", "replace")), sep)
    return line, col, value


def _first_content(buf: bytes, pos: int) -> int | None:
    """Offset of the first line at or after ``pos`` with content (not only ``,;`` tabs and spaces)."""
    m = _CONTENT.search(buf, pos)
    if m is None:
        return None
    return buf.rfind(b"\n", 0, m.start()) + 1


def _sep_line(buf: bytes) -> tuple[int, str] | None:
    """(length, separator) of an Excel ``sep=X`` first line."""
    end = buf.find(b"\n")
    first = buf[: len(buf) if end < 0 else min(end, 200)]
    m = _SEP_LINE.match(first.decode("utf-8", "replace"))
    return (len(first), m.group(1)) if m else None


def _header_guess(buf: bytes) -> tuple[str, list[str], int]:
    """Best-effort separator, header names and header line of a file that failed to decode (for naming only)."""
    m = _sep_line(buf)
    start = _first_content(buf, m[0] if m else 0)
    if start is None:
        return ",", [], 0
    end = buf.find(b"\n", start)
    header = buf[start: len(buf) if end < 0 else end].decode("utf-8", "replace")[:MAX_RECORD_BYTES]
    sep = m[1] if m and m[1] in SEPARATORS else (detect_separator(header)[0] or ",")
    return sep, [c.strip() for c in _split(header, sep)], buf.count(b"\n", 0, start) + 1


def _name(header: list[str], col: int, line: int, header_line: int) -> str:
    if line == header_line:
        return "header"
    if 1 <= col <= len(header) and header[col - 1]:
        return header[col - 1]
    return f"column {col}"


# --- structure scan -------------------------------------------------------------


@dataclass
class _Quote:
    kind: str  # "unclosed", "stray", "after"
    at: int  # absolute byte offset of the reported quote
    opened: int  # absolute byte offset of the quote that opened the field
    record_start: int  # absolute offset of the record it is in
    field: int  # 1-based field number
    field_start: int  # absolute offset where that field starts
    resume: int  # absolute offset where scanning resumes


@dataclass
class _Records:
    starts: np.ndarray
    ends: np.ndarray  # offset of the terminating newline (or end of file)
    fields: np.ndarray
    nonblank: np.ndarray


def _scan_segment(buf: bytes, arr: np.ndarray, pos: int, sep: int) -> tuple[_Records, _Quote | None]:
    """Records of ``arr[pos:]`` up to the first quote problem (``pos`` is a line start)."""
    seg = arr[pos:]
    n = seg.size
    empty = np.empty(0, np.int64)
    if n == 0:
        return _Records(empty, empty, empty, np.empty(0, bool)), None
    tmp = np.equal(seg, _QUOTE)  # one scratch array, reused below to keep memory at a few bytes per byte
    qpos = np.flatnonzero(tmp)
    par = np.cumsum(tmp, dtype=np.uint8)  # wraps modulo 256: the parity survives
    np.bitwise_and(par, 1, out=par)
    inq = par.view(np.bool_)  # True inside quotes (and on an opening quote)
    np.equal(seg, _NL, out=tmp)
    np.greater(tmp, inq, out=tmp)  # newline outside quotes
    term = np.flatnonzero(tmp)
    starts = np.concatenate(([0], term + 1)).astype(np.int64)
    ends = np.concatenate((term, [n])).astype(np.int64)
    del term
    if starts[-1] == n:
        starts, ends = starts[:-1], ends[:-1]

    problem = None
    if qpos.size:
        opening = inq[qpos]
        prev = np.where(qpos > 0, seg[np.maximum(qpos - 1, 0)], _NL)
        nxt = np.where(qpos < n - 1, seg[np.minimum(qpos + 1, n - 1)], _NL)
        ok_prev = (prev == sep) | (prev == _NL) | (prev == _QUOTE)
        ok_next = (nxt == sep) | (nxt == _NL) | (nxt == _QUOTE)
        bad = np.flatnonzero((opening & ~ok_prev) | (~opening & ~ok_next))

        def real_opening(k: int) -> int:
            # step back over doubled quotes ("") to the quote that opened the field
            while k >= 2 and prev[k] == _QUOTE:
                k -= 2
            return int(qpos[k])

        if bad.size:
            k = int(bad[0])
            x = int(qpos[k])
            if opening[k]:
                problem = ("stray", x, x)
            elif prev[k] in (sep, _NL):
                # looks like an opening quote, so the field before it never closed
                o = real_opening(k - 1)
                problem = ("unclosed", o, o)
            else:
                problem = ("after", x, real_opening(k - 1))
        elif par[-1]:
            o = real_opening(qpos.size - 1)
            problem = ("unclosed", o, o)

    quote = None
    if problem is not None:
        kind, at, opened = problem
        anchor = at if kind != "unclosed" else opened
        r = int(np.searchsorted(starts, min(anchor, opened), side="right") - 1)
        rec_start = int(starts[r])
        seps = np.flatnonzero((seg[rec_start:opened] == sep) & ~inq[rec_start:opened])
        field_no = seps.size + 1
        field_start = rec_start + (int(seps[-1]) + 1 if seps.size else 0)
        line_end = buf.find(b"\n", pos + anchor)
        resume = line_end + 1 if line_end >= 0 else pos + n
        quote = _Quote(kind, pos + at, pos + opened, pos + rec_start, field_no, pos + field_start, resume)
        starts, ends = starts[:r], ends[:r]

    if starts.size == 0:
        return _Records(empty, empty, empty, np.empty(0, bool)), quote
    limit = int(ends[-1])
    t = tmp[:limit]
    np.equal(seg[:limit], sep, out=t)
    np.greater(t, inq[:limit], out=t)  # separator outside quotes
    seppos = np.flatnonzero(t)
    fields = np.searchsorted(seppos, ends) - np.searchsorted(seppos, starts) + 1
    del seppos, par, inq
    # content = anything but spaces, tabs, separators and newlines
    t = tmp[: min(limit + 1, n)]
    part = seg[: t.size]
    scratch = np.empty(t.size, np.bool_)
    np.not_equal(part, _SPACE, out=t)
    for byte in {_TAB, _NL, sep}:
        np.not_equal(part, byte, out=scratch)
        np.logical_and(t, scratch, out=t)
    del scratch
    nonblank = np.logical_or.reduceat(t, starts)
    nonblank &= ends > starts
    return _Records(starts + pos, ends + pos, fields.astype(np.int64), nonblank), quote


# --- parsing ------------------------------------------------------------------


def parse_bytes(data: bytes, display: str) -> RawTable:
    """Parse CSV bytes (see :func:`read_table`); records their size and SHA-256. Never raises for bad input."""
    size, digest = len(data), hashlib.sha256(data).hexdigest()
    try:
        table = _parse(data, display)
    except Exception as exc:  # noqa: BLE001 – the reader reports, it never crashes on input
        table = RawTable(path=display)
        table.problems.append(_problem(display, 1, 1, "file", "",
                                       f"could not be read: {type(exc).__name__}: {exc} (please report this)"))
    table.size, table.sha256 = size, digest
    return table


def _parse(data: bytes, display: str) -> RawTable:
    table = RawTable(path=display)
    dec = decode_bytes(data)
    table.encoding = dec.encoding
    if dec.buf is None:
        lossy, offset = _normalise(dec.lossy, dec.offset)
        if not lossy:
            name = "file" if dec.encoding == "binary" else "encoding"
            table.problems.append(_problem(display, 1, 1, name, "", dec.reason))
            return table
        sep, header, header_line = _header_guess(lossy)
        line, col, value = _where(lossy, offset or 0, sep)
        table.problems.append(_problem(display, line, col, _name(header, col, line, header_line), value, dec.reason))
        return table

    buf, offset = _normalise(dec.buf, dec.offset)
    del data, dec
    sep_line = _sep_line(buf)
    sep = None
    if sep_line:
        length, sep = sep_line
        if sep not in SEPARATORS:
            table.problems.append(_problem(display, 1, 1, "sep", sep, "unsupported separator; use , ; or tab"))
            return table
        buf = b" " * length + buf[length:]  # a blank line: offsets and line numbers stay physical
    start = _first_content(buf, 0)
    if start is None:
        what = "empty" if not buf.strip() else "empty (only separators, no header line)"
        table.problems.append(_problem(display, 1, 1, "file", "", f"the file is {what}"))
        return table
    end = buf.find(b"\n", start)
    end = len(buf) if end < 0 else end
    header_line = buf.count(b"\n", 0, start) + 1
    if end - start > MAX_RECORD_BYTES:
        shown = buf[start:start + VALUE_MAX].decode("utf-8", "ignore")
        table.problems.append(_problem(display, header_line, 1, "header", shown,
                                       f"header line too long ({end - start:,} bytes); "
                                       f"the limit is {MAX_RECORD_BYTES:,} bytes per record"))
        return table
    header_text = buf[start:end].decode("utf-8")
    if sep is None:
        sep, why = detect_separator(header_text)
        if sep is None:
            table.problems.append(_problem(display, header_line, 1, "header", header_text, why))
            return table
    table.separator, table.header_line = sep, header_line
    head_off = start
    header_names = [c.strip() for c in _split(header_text, sep)]

    records, quotes = _scan(buf, ord(sep))
    if quotes and quotes[0].record_start <= head_off:
        table.problems.append(_quote_problem(display, buf, quotes[0], header_names, header_line, header_line, sep))
        return table

    hi = int(np.searchsorted(records.starts, head_off))
    if records.ends[hi] - records.starts[hi] > MAX_RECORD_BYTES:
        table.problems.append(_long_problem(display, buf, int(records.starts[hi]), int(records.ends[hi]),
                                            header_line, sep, header_names))
        return table
    header_rec = buf[records.starts[hi]:records.ends[hi]].decode("utf-8")
    header = [c.strip() for c in _split(header_rec, sep)]
    table.columns = list(header)
    nl_pos = np.flatnonzero(np.frombuffer(buf, np.uint8) == _NL)

    def line_of(offset) -> np.ndarray:
        return np.searchsorted(nl_pos, offset, side="left") + 1

    for q in quotes:
        problem = _quote_problem(display, buf, q, header, int(line_of(q.at)), header_line, sep)
        table.problems.append(problem)
        if q.kind == "capped":
            break
        table.salvaged.append((int(line_of(q.record_start)), _fields_by_name(buf[q.record_start:q.resume], sep, header)))

    width = len(header)
    data_rec = np.arange(hi + 1, records.starts.size)
    data_rec = data_rec[records.nonblank[data_rec]]
    lengths = records.ends[data_rec] - records.starts[data_rec]
    lines = line_of(records.starts)
    too_long = data_rec[lengths > MAX_RECORD_BYTES]
    wrong = data_rec[(lengths <= MAX_RECORD_BYTES) & (records.fields[data_rec] != width)]
    keep = data_rec[(lengths <= MAX_RECORD_BYTES) & (records.fields[data_rec] == width)]
    for r in too_long.tolist():
        start_r, end_r = int(records.starts[r]), int(records.ends[r])
        table.problems.append(_long_problem(display, buf, start_r, end_r, int(lines[r]), sep, header))
        table.salvaged.append((int(lines[r]), _fields_by_name(buf[start_r:end_r], sep, header)))
    for r in wrong.tolist():
        rec = buf[records.starts[r]:records.ends[r]].decode("utf-8")
        found = int(records.fields[r])
        table.problems.append(_problem(
            display, int(lines[r]), min(found, width) + 1, "record", rec,
            f"{found} field{'s' if found != 1 else ''}, but the header has {width}"))
        table.salvaged.append((int(lines[r]), _fields_by_name(rec, sep, header)))

    frame = _values(buf, records, keep, width, sep)
    frame = frame.with_columns(pl.Series(LINE, lines[keep], dtype=pl.Int64))
    table.frame, table.columns, table.positions = _name_columns(frame, header, table, header_line)
    if table.encoding == "cp1252" and offset is not None:
        line, col, value = _where(buf, offset, sep)
        table.problems.append(_problem(display, line, col, _name(header, col, line, header_line), value,
                                       CP1252_WARNING, "warning"))
    table.problems.sort(key=lambda p: p.sort_key)
    return table


def _scan(buf: bytes, sep: int) -> tuple[_Records, list[_Quote]]:
    """All records of ``buf``; after each quote problem, scanning resumes on the next line."""
    arr = np.frombuffer(buf, dtype=np.uint8)
    parts, quotes, pos = [], [], 0
    while True:
        recs, quote = _scan_segment(buf, arr, pos, sep)
        parts.append(recs)
        if quote is None:
            break
        quotes.append(quote)
        if quote.resume >= arr.size:
            break
        if len(quotes) >= MAX_QUOTE_PROBLEMS:
            quotes.append(_Quote("capped", quote.resume, quote.resume, quote.resume, 1, quote.resume, arr.size))
            break
        pos = quote.resume
    records = _Records(*(np.concatenate([getattr(p, f) for p in parts])
                         for f in ("starts", "ends", "fields", "nonblank")))
    return records, quotes


def _quote_problem(display: str, buf: bytes, q: _Quote, header: list[str], line: int, header_line: int,
                   sep: str) -> Problem:
    if q.kind == "capped":
        return _problem(display, line, 1, "file", "",
                        f"more than {MAX_QUOTE_PROBLEMS} quote problems; the rest of the file was not read")
    sepb = sep.encode()
    line_start = buf.rfind(b"\n", 0, q.at) + 1
    line_end = buf.find(b"\n", q.at)
    line_end = len(buf) if line_end < 0 else line_end

    def upto_sep(frm: int) -> int:
        cut = buf.find(sepb, frm, line_end)
        return line_end if cut < 0 else cut

    name = _name(header, q.field, line, header_line)
    if q.kind == "unclosed":
        shown = (q.at, line_end)  # the opening line only, from the quote on
        reason = "unclosed quote: the quoted field that starts here never ends"
    elif q.kind == "stray":
        if buf[q.field_start:q.at].strip(b" \t") == b"":
            closing = buf.find(b'"', q.at + 1, line_end)
            shown = (q.field_start, upto_sep(closing + 1 if closing >= 0 else q.at + 1))
            reason = "space before the opening quote; a quoted field must start with the quote"
        else:
            shown = (q.field_start, upto_sep(q.at + 1))
            reason = 'quote inside an unquoted field; quote the whole field and double inner quotes ("5"" screen")'
    else:
        shown = (max(q.field_start, line_start), upto_sep(q.at + 1))
        if buf[q.at + 1:shown[1]].strip(b" \t") == b"":
            reason = "space after the closing quote; a quoted field must end with the quote"
        else:
            reason = "text after the closing quote; a quoted field must end with the quote"
        opened_line = buf.count(b"\n", 0, q.opened) + 1
        if opened_line != line:
            reason += f" (the field opened on line {opened_line})"
    value = buf[shown[0]:min(shown[1], shown[0] + VALUE_MAX * 4)].decode("utf-8", "replace")
    return _problem(display, line, q.field, name, value, reason)


def _long_problem(display: str, buf: bytes, start: int, end: int, line: int, sep: str, header: list[str]) -> Problem:
    rec = np.frombuffer(buf, np.uint8)[start:end]
    inq = (np.cumsum(rec == _QUOTE, dtype=np.uint8) & 1).astype(bool)
    seps = np.flatnonzero((rec == ord(sep)) & ~inq)
    bounds = np.concatenate(([-1], seps, [rec.size]))
    sizes = np.diff(bounds) - 1
    k = int(np.argmax(sizes))
    value = buf[start + bounds[k] + 1: start + bounds[k] + 1 + VALUE_MAX].decode("utf-8", "ignore")
    name = header[k] if k < len(header) and header[k] else f"column {k + 1}"
    return _problem(display, line, k + 1, name, value,
                    f"record too long ({end - start:,} bytes, this field {int(sizes[k]):,}); "
                    f"the limit is {MAX_RECORD_BYTES:,} bytes per record")


def _fields_by_name(record: bytes | str, sep: str, header: list[str]) -> dict[str, str]:
    """Best-effort fields of a record that has a problem (only its first 64 kB are looked at)."""
    record = record[:65536]
    text = record.decode("utf-8", "replace") if isinstance(record, bytes) else record
    values = _split(text, sep)
    return {name: cut_value(v) for name, v in zip(header, values) if name}


def _name_columns(frame: pl.DataFrame, header: list[str], table: RawTable, header_line: int):
    """Rename c0… to the header names; report duplicate and unnamed columns (dropped from the frame)."""
    display = table.path
    rename, drop, positions = {}, [], {}
    for i, name in enumerate(header):
        key = f"c{i}"
        col = i + 1
        if name == "":
            values = frame.filter(pl.col(key).str.strip_chars() != "")
            if values.height:
                first = int(values[LINE][0])
                table.problems.append(_problem(
                    display, header_line, col, f"column {col}", "",
                    f"column without a name holds values (first on line {first}); name it or delete it"))
            else:
                table.problems.append(_problem(
                    display, header_line, col, f"column {col}", "",
                    "column without a name and without values; ignored", "warning"))
            drop.append(key)
        elif name == LINE:
            table.problems.append(_problem(display, header_line, col, name, name,
                                           "reserved column name (used internally); rename the column"))
            drop.append(key)
        elif name in positions:
            table.problems.append(_problem(display, header_line, col, name, name,
                                           f"duplicate column name (also column {positions[name]})"))
            drop.append(key)
        else:
            positions[name] = col
            rename[key] = name
    frame = frame.drop(drop).rename(rename)
    return frame, list(positions), positions


def _values(buf: bytes, records: _Records, keep: np.ndarray, width: int, sep: str) -> pl.DataFrame:
    """Parse the kept records with polars (fall back to :mod:`csv` if polars disagrees)."""
    names = [f"c{i}" for i in range(width)]
    if keep.size == 0:
        return pl.DataFrame({n: pl.Series(n, [], dtype=pl.String) for n in names})
    starts, ends = records.starts[keep], records.ends[keep]
    n = len(buf)
    frame = None
    if keep.size == keep[-1] - keep[0] + 1 and keep[-1] == records.starts.size - 1:
        # One run of records to the end of the file (the usual case): polars skips the lines before it,
        # so the file is not copied.
        frame = _polars_parse(buf, names, sep, skip_lines=buf.count(b"\n", 0, int(starts[0])))
    if frame is None:
        marks = np.zeros(n + 1, dtype=np.int8)
        marks[starts] += 1
        marks[np.minimum(ends + 1, n)] -= 1
        mask = np.cumsum(marks[:n], dtype=np.int8).view(np.bool_)
        del marks
        frame = _polars_parse(np.frombuffer(buf, np.uint8)[mask].tobytes(), names, sep)
    if frame is None or frame.height != keep.size:
        frame = _csv_parse(buf, starts, ends, names, sep)
    return frame


def _polars_parse(body: bytes, names: list[str], sep: str, skip_lines: int = 0) -> pl.DataFrame | None:
    options = {"skip_lines": skip_lines} if skip_lines else {}
    try:
        frame = pl.read_csv(
            body,
            has_header=False,
            new_columns=names,
            separator=sep,
            quote_char='"',
            infer_schema=False,
            null_values=None,
            raise_if_empty=False,
            truncate_ragged_lines=False,
            **options,
        )
    except TypeError:  # a polars without skip_lines: the caller copies the records instead
        if skip_lines:
            return None
        raise
    except pl.exceptions.PolarsError:  # polars disagrees on structure: the csv module reads it instead
        return None
    # Empty fields come back as null or "" depending on the polars version: always "".
    return frame.with_columns(pl.all().fill_null(""))


def _csv_parse(buf: bytes, starts: np.ndarray, ends: np.ndarray, names: list[str], sep: str) -> pl.DataFrame:
    cols: list[list[str]] = [[] for _ in names]
    for s, e in zip(starts.tolist(), ends.tolist()):
        row = _split(buf[s:e].decode("utf-8"), sep)
        row = (row + [""] * len(names))[: len(names)]
        for c, v in zip(cols, row):
            c.append(v)
    return pl.DataFrame({n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, cols)})
