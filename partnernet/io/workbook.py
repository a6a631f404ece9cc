"""Reading sheets of Excel and OpenDocument workbooks as the same located raw tables as CSV.

A sheet becomes a :class:`~partnernet.io.csvread.RawTable` named
``book.xlsx[nodes]``; lines are the sheet's row numbers and columns its
column numbers (messages show them as letters, ``book.xlsx[nodes]:12:C``,
see :class:`~partnernet.errors.Problem`), so every rule of
:mod:`partnernet.validate` applies unchanged. Cells are read by the calamine
engine (:mod:`fastexcel`, the reader polars' ``read_excel`` uses) as text,
as the user typed them:

* a number stored as a float is written without its ``.0`` (an id ``7.0`` is
  ``7``, a year ``2012.0`` is ``2012``), as fastexcel's text conversion does;
* a date cell is its ISO date (``2024-05-01``, with the time only when it has
  one); in ``start`` and ``end`` a date gives its year with a warning, and a
  year typed into a cell formatted as a date (2012 shows as 1905-07-04) is
  read as that year, with a warning saying how to format the column;
* an Excel error value (``#DIV/0!``, ``#N/A`` from a formula) is an error;
* a formula is read as the value saved with it, with a warning (partnernet
  never evaluates formulas, and publishes the values, not the formulas);
* a merged range in the header row is an error (the columns after the first
  have no name), elsewhere a warning (only the first cell holds the value);
* a hidden sheet is read, with a warning, since what is analysed should be
  visible to whoever checks the workbook.

fastexcel does not report formulas, merged ranges or where the used range
starts, so for ``.xlsx``/``.xlsm`` these are looked up in the sheet's XML
(:func:`_sheet_xml_facts`: a scan for ``<f>``, ``t="e"``, ``<mergeCell>`` and
the first row, not a reader). ``.ods`` sheets get the cell rules only and are
assumed to start at row 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from .. import schema
from ..errors import Problem, close_matches, column_letters, cut_value, show_list, show_value
from .csvread import LINE, RawTable

if TYPE_CHECKING:
    import polars as pl

#: File name endings read as workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")

#: Sheet names tried for each input, in order (case-insensitive, spaces around ignored).
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "nodes": ("nodes", "aktører"),
    "edges": ("edges", "medlemskaber"),
    "memberships": ("memberships", "medlemskaber"),
    "sectors": ("sectors", "sektorer"),
}

_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_YEAR_COLUMNS = (schema.START, schema.END)


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` names a workbook by its ending (``.xlsx``, ``.xlsm``, ``.ods``)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def _cell_ref(ref: str) -> tuple[int, int]:
    """(row, column) of ``C12`` → (12, 3)."""
    m = re.match(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


@dataclass
class Sheets:
    """A workbook's sheet names and its open reader, or why it could not be opened."""

    path: str
    display: str
    names: list[str] = field(default_factory=list)
    reader: object = None  # the open fastexcel.ExcelReader
    problem: Problem | None = None
    size: int = 0
    sha256: str = ""

    def find(self, kind: str, wanted: str | None = None) -> str | None:
        """The sheet for ``kind`` (``wanted`` from ``--sheet``, else :data:`SHEET_NAMES`), or None."""
        keys = {n.strip().casefold(): n for n in self.names}
        for name in ((wanted,) if wanted else SHEET_NAMES[kind]):
            if name.strip().casefold() in keys:
                return keys[name.strip().casefold()]
        return None

    def missing(self, kind: str, wanted: str | None = None) -> Problem:
        """The error for a sheet that is not there, naming the sheets found and a close one."""
        tried = (wanted,) if wanted else SHEET_NAMES[kind]
        reason = (f"no sheet named {' or '.join(show_value(t) for t in tried)} "
                  f"(found {show_list(self.names) or 'none'})")
        close = [m for t in tried for m in close_matches(t, self.names)]
        if close:
            reason += f"; rename the sheet {show_value(close[0])} to {show_value(tried[0])}"
        elif wanted is None:
            reason += f"; rename a sheet or choose one with --sheet {kind}=NAME"
        return Problem(self.display, 1, 1, "sheet", "", reason)


def open_workbook(path: str | Path, display: str | None = None) -> Sheets:
    """The sheet names of a workbook (never raises for bad input: see ``problem``)."""
    import fastexcel

    shown = display or str(path)
    sheets = Sheets(str(path), shown)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        sheets.problem = Problem(shown, 1, 1, "file", "", f"cannot read the file: {exc.strerror or exc}")
        return sheets
    sheets.size, sheets.sha256 = len(data), hashlib.sha256(data).hexdigest()
    try:
        sheets.reader = fastexcel.read_excel(data)
        sheets.names = list(sheets.reader.sheet_names)
    except Exception as exc:  # noqa: BLE001 – a damaged workbook is the user's input, reported
        what = "an Excel or OpenDocument workbook"
        sheets.problem = Problem(shown, 1, 1, "file", "", f"cannot be read as {what}: {_first_line(exc)}; "
                                 "open it in Excel and save it again, or save the sheets as \"CSV UTF-8\"")
    return sheets


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def read_sheet(sheets: Sheets, sheet: str) -> RawTable:
    """Read one sheet as text into a :class:`RawTable` named ``book.xlsx[sheet]``, every problem located."""
    import polars as pl

    display = f"{sheets.display}[{sheet}]"
    table = RawTable(path=display, size=sheets.size, sha256=sheets.sha256, encoding="workbook")
    try:
        loaded = sheets.reader.load_sheet(sheet, dtypes="string")
        frame = loaded.to_polars()
        infos = loaded.selected_columns
    except Exception as exc:  # noqa: BLE001
        table.problems.append(Problem(display, 1, 1, "sheet", sheet, f"cannot be read: {_first_line(exc)}"))
        return table
    if loaded.visible != "visible":
        table.problems.append(Problem(display, 1, 1, "sheet", sheet, "the sheet is hidden in the workbook; read all "
                                      "the same (unhide it, so that whoever checks the workbook sees what is "
                                      "analysed)", "warning"))
    facts = _sheet_xml_facts(sheets.path, sheet)
    if not infos and frame.height == 0:
        table.problems.append(Problem(display, 1, 1, "file", "", "the sheet is empty"))
        return table
    first_row = facts.first_row
    header_line = first_row
    table.header_line = header_line
    columns, positions, rename, drop = [], {}, {}, []
    for info in infos:
        col = info.absolute_index + 1
        name = "" if info.column_name_from == "generated" else str(info.name).strip()
        if any(r0 == header_line and c0 < col <= c1 for r0, c0, r1, c1 in facts.merged):
            drop.append(info.name)
            continue  # reported with the merged range
        if name == "":
            values = frame.filter(pl.col(info.name).is_not_null() & (pl.col(info.name).str.strip_chars() != ""))
            if values.height:
                first = header_line + 1 + int(frame.with_row_index("__i").filter(
                    pl.col(info.name).is_not_null() & (pl.col(info.name).str.strip_chars() != ""))["__i"][0])
                table.problems.append(Problem(display, header_line, col, f"column {column_letters(col)}", "",
                                              f"column without a name holds values (first on line {first}); "
                                              "name it or delete it"))
            drop.append(info.name)
        elif name in positions or name == LINE:
            reason = ("reserved column name (used internally); rename the column" if name == LINE
                      else f"duplicate column name (also column {column_letters(positions[name])})")
            table.problems.append(Problem(display, header_line, col, name, name, reason))
            drop.append(info.name)
        else:
            positions[name] = col
            columns.append(name)
            rename[info.name] = name
    for r0, c0, r1, c1 in facts.merged:
        span = f"{column_letters(c0)}{r0}:{column_letters(c1)}{r1}"
        if r0 <= header_line <= r1:
            table.problems.append(Problem(display, header_line, c0, "header", _header_value(infos, c0),
                                          f"merged cells {span} in the header: the columns after the first have "
                                          "no name; unmerge them and give each column its own name"))
        else:
            table.problems.append(Problem(display, r0, c0, _name_at(positions, c0), "",
                                          f"merged cells {span}: only the first cell holds the value; unmerge "
                                          "them and fill in every cell", "warning"))
    frame = frame.drop(drop).rename(rename)
    frame = frame.with_columns(pl.all().fill_null("")).with_columns(
        pl.Series(LINE, range(header_line + 1, header_line + 1 + frame.height), dtype=pl.Int64))
    blank = pl.all_horizontal(pl.col(c).str.strip_chars() == "" for c in columns) if columns else pl.lit(True)
    frame = frame.filter(~blank)
    frame = _dates(frame, positions, table)
    failed = {(row, col) for row, col, _ in facts.errors}
    for row, col, formula in facts.formulas:
        if row <= header_line or (row, col) in failed:
            continue
        name = _name_at(positions, col)
        value = _value_at(frame, name, row)
        table.problems.append(Problem(display, row, col, name, value, f"a formula ({_formula(formula)}): read as "
                                      "the value saved with the workbook; partnernet does not recalculate "
                                      "formulas", "warning"))
    for row, col, value in facts.errors:
        table.problems.append(Problem(display, row, col, _name_at(positions, col) if row > header_line else "header",
                                      value, "an Excel error value, not data; correct the formula or the cell"))
    table.frame, table.columns, table.positions = frame, columns, positions
    table.problems.sort(key=lambda p: p.sort_key)
    return table


def _formula(text: str) -> str:
    return show_value("=" + text)[1:-1] if text else "a shared formula"


def _header_value(infos: Sequence, col: int) -> str:
    for info in infos:
        if info.absolute_index + 1 == col and info.column_name_from != "generated":
            return str(info.name)
    return ""


def _name_at(positions: dict[str, int], col: int) -> str:
    for name, c in positions.items():
        if c == col:
            return name
    return f"column {column_letters(col)}"


def _value_at(frame: pl.DataFrame, name: str, row: int) -> str:
    import polars as pl

    if name not in frame.columns:
        return ""
    hit = frame.filter(pl.col(LINE) == row)
    return cut_value(hit[name][0]) if hit.height else ""


def _dates(frame: pl.DataFrame, positions: dict[str, int], table: RawTable) -> pl.DataFrame:
    """Date cells (fastexcel writes ``2012-01-01 00:00:00``) as ISO dates; in year columns as years."""
    import polars as pl

    pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    for name in [c for c in frame.columns if c != LINE]:
        hits = frame.filter(pl.col(name).str.contains(pattern))
        if not hits.height:
            continue
        fixed = {}
        for line, text in hits.select(LINE, name).iter_rows():
            fixed[line] = _date_cell(text, name, line, positions.get(name, 1), table)
        frame = frame.with_columns(
            pl.col(LINE).replace_strict(fixed, default=None, return_dtype=pl.String).fill_null(pl.col(name))
            .alias(name))
    return frame


def _date_cell(text: str, name: str, line: int, col: int, table: RawTable) -> str:
    m = _DATETIME.match(text)
    if m is None:
        return text
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    clock = m[4] is not None and (m[4], m[5], m[6]) != ("00", "00", "00")
    date = f"{m[1]}-{m[2]}-{m[3]}"
    shown = f"{date} {m[4]}:{m[5]}" if clock else date
    if name not in _YEAR_COLUMNS:
        return shown
    serial = (dt.date(year, month, day) - _EXCEL_EPOCH).days
    if 1000 <= serial <= 2999 and not clock:
        table.problems.append(Problem(table.path, line, col, name, shown,
                                      f"the cell is formatted as a date, so the year {serial} shows as {shown}; "
                                      f"read as {serial} (format the column as Number)", "warning"))
        return str(serial)
    table.problems.append(Problem(table.path, line, col, name, shown,
                                  f"a date, not a year; its year {m[1]} is used", "warning"))
    return m[1]


@dataclass
class _Facts:
    first_row: int = 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


_FIRST_CELL = re.compile(rb'<(?:\w+:)?c r="[A-Z]+(\d+)"[^>]*?(?<!/)>')
_FORMULA = re.compile(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?f>)')
_ERROR = re.compile(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*\bt="e"[^>]*>.*?<(?:\w+:)?v>([^<]*)</', re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _sheet_xml_facts(path: str, sheet: str) -> _Facts:
    """Where the used range starts, merged ranges, formulas and error cells of an xlsx/xlsm sheet."""
    facts = _Facts()
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return facts
    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            rid = next(s.get(f"{{{_NS['r']}}}id") for s in book.iter(f"{{{_NS['m']}}}sheet") if s.get("name") == sheet)
            target = next(r.get("Target") for r in rels.iter(f"{{{_NS['p']}}}Relationship") if r.get("Id") == rid)
            member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            xml = z.read(member)
    except (OSError, KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
        return facts
    first = _FIRST_CELL.search(xml)
    facts.first_row = int(first.group(1)) if first else 1
    # Each scan only when its tag occurs at all: most sheets have none, and the scans cost more than the test.
    for m in _MERGE.finditer(xml) if b"mergeCell " in xml else ():
        (r0, c0), (r1, c1) = _cell_ref(m.group(1).decode()), _cell_ref(m.group(2).decode())
        facts.merged.append((r0, c0, r1, c1))
    for m in _FORMULA.finditer(xml) if re.search(rb"<(?:\w+:)?f[ />]", xml) else ():
        row, col = _cell_ref(m.group(1).decode())
        facts.formulas.append((row, col, (m.group(2) or b"").decode("utf-8", "replace")))
    for m in _ERROR.finditer(xml) if b't="e"' in xml else ():
        row, col = _cell_ref(m.group(1).decode())
        facts.errors.append((row, col, m.group(2).decode("utf-8", "replace")))
    return facts
