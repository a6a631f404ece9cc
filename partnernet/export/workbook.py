"""Tables as Excel workbooks (xlsxwriter, through polars' ``write_excel``), and the starter workbook.

Every sheet is written the same way: numbers as numbers (floats rounded as in
every export, :data:`~partnernet.export.tables.DECIMALS`), text as text (never
a formula: ``=x`` stays the text ``=x``), lists ``|``-joined, the header row
frozen, a filter on every column and widths fitted to the contents. The
workbook's creation date is fixed, so the same tables give the same bytes.

:func:`starter_workbook` is what ``partnernet init`` writes: a membership
list with the bundled examples, the sector vocabulary, drop-down lists for
``sector``, ``role`` and ``type``, and a README sheet in Danish and English.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

from .. import schema
from .tables import DECIMALS

if TYPE_CHECKING:
    import xlsxwriter

#: Cells a site's workbook holds at most: tables are added in order while they fit, the others are named in
#: a ``left_out`` sheet (their CSV files have them). xlsxwriter writes about 150,000 cells a second.
SITE_CELLS = 1_000_000
#: Excel's limit on rows per sheet (the header included).
MAX_ROWS = 1_048_576
_CREATED = dt.datetime(2000, 1, 1)
#: Excel's limit on sheet names.
_SHEET_NAME_MAX = 31


def _new_workbook(buf: io.BytesIO) -> xlsxwriter.Workbook:
    import xlsxwriter

    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": _CREATED})
    return book


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with ``|``, structs as text, floats rounded; NaN and infinities empty."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            out.append(col.cast(pl.List(pl.String)).list.join("|"))
        elif isinstance(dtype, (pl.Struct, pl.Object)):
            out.append(col.cast(pl.String, strict=False))
        elif dtype.is_float():
            out.append(pl.when(col.is_finite()).then(col.round(DECIMALS)).otherwise(None).alias(name))
        else:
            out.append(col)
    return frame.select(out)


def _write_sheet(book: xlsxwriter.Workbook, name: str, frame: pl.DataFrame) -> None:
    frame = _plain(frame)
    if frame.width == 0:
        book.add_worksheet(name[:_SHEET_NAME_MAX])
        return
    frame.write_excel(book, worksheet=name[:_SHEET_NAME_MAX], autofit=frame.height <= 10_000, freeze_panes=(1, 0),
                      autofilter=True, table_style=None, float_precision=DECIMALS, include_header=True,
                      column_widths=None if frame.height <= 10_000 else _widths(frame))


def _widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths from the first rows (autofit reads every cell, too slow for large sheets)."""
    head = frame.head(1000)
    return {c: min(60, max(len(c), *(len(str(v)) for v in head[c].to_list() if v is not None), 4) * 7 + 10)
            for c in frame.columns}


def workbook_bytes(sheets: Mapping[str, pl.DataFrame], *, columns: pl.DataFrame | None = None) -> bytes:
    """One workbook with a sheet per table (in the given order), and ``columns`` as a last sheet."""
    buf = io.BytesIO()
    book = _new_workbook(buf)
    for name, frame in sheets.items():
        _write_sheet(book, name, frame)
    if columns is not None:
        _write_sheet(book, "columns", columns)
    book.close()
    return buf.getvalue()


def fitting(sheets: Mapping[str, pl.DataFrame], max_cells: int | None = None
            ) -> tuple[dict[str, pl.DataFrame], pl.DataFrame | None]:
    """The tables that fit in ``max_cells`` (in order) and Excel's row limit, and a ``left_out`` table naming
    the others (None when all fit)."""
    kept, skipped, used = {}, [], 0
    for name, frame in sheets.items():
        cells = frame.height * max(frame.width, 1)
        if frame.height + 1 > MAX_ROWS or (max_cells is not None and used + cells > max_cells):
            skipped.append((name, frame.height, frame.width))
            continue
        kept[name] = frame
        used += cells
    if not skipped:
        return kept, None
    def why(rows: int) -> str:
        return (f"more rows than Excel's {MAX_ROWS:,}" if rows + 1 > MAX_ROWS
                else f"more than the {max_cells:,} cells this workbook holds")

    return kept, pl.DataFrame({"table": [s[0] for s in skipped], "rows": [s[1] for s in skipped],
                               "columns": [s[2] for s in skipped],
                               "note": [f"{why(s[1])}: see {s[0]}.csv" for s in skipped]})


def table_xlsx(frame: pl.DataFrame, sheet: str = "table") -> bytes:
    """One table as a workbook (``--format xlsx``)."""
    return workbook_bytes({sheet: frame})


def column_descriptions(sheets: Mapping[str, pl.DataFrame], describe: Mapping[str, str] | None = None) -> pl.DataFrame:
    """The ``columns`` sheet: every sheet's columns with their type and a description where one is known."""
    describe = describe or {}
    rows = [(name, col, _type_name(dtype), describe.get(f"{name}.{col}", describe.get(col, "")))
            for name, frame in sheets.items() for col, dtype in frame.schema.items()]
    return pl.DataFrame(rows, schema=["sheet", "column", "type", "description"], orient="row")


def _type_name(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "whole number"
    if dtype.is_float():
        return "number"
    if dtype == pl.Boolean:
        return "true/false"
    if isinstance(dtype, pl.List):
        return "list (|-separated)"
    return "text"


#: What the columns of the input tables mean (the ``columns`` sheet of an export).
COLUMN_TEXT: dict[str, str] = {
    "id": "the node's id (text)",
    "label": "the name shown",
    "kind": "actor or partnership",
    "sector": "the actor's sector (an id of the sector vocabulary)",
    "type": "the organisation's type",
    "start": "first year",
    "end": "last year",
    "declared": "unnamed members per sector (sector:count|...)",
    "nodes.declared": "unnamed members per sector (sector:count|...)",
    "edges.source": "the actor",
    "edges.target": "the partnership (or the other actor of a direct tie)",
    "role": "the actor's role in the partnership",
    "weight": "the strength of the link (above 0)",
    "rank": "rank by the table's measure (equal values share a rank)",
}


def starter_workbook(memberships: pl.DataFrame, vocabulary: schema.Vocabulary) -> bytes:
    """The workbook of ``partnernet init``: memberships, sectors, drop-downs and a README sheet (da + en)."""
    buf = io.BytesIO()
    book = _new_workbook(buf)
    _write_sheet(book, "medlemskaber", memberships)
    sectors = pl.DataFrame([(s.id, s.label_da, s.label_en, s.group, s.color) for s in vocabulary],
                           schema=list(schema.SECTOR_COLUMNS), orient="row")
    _write_sheet(book, "sektorer", sectors)
    lists = book.add_worksheet("lister")
    for col, (title, values) in enumerate((("role", schema.ROLES), ("type", schema.ORG_TYPES))):
        lists.write_string(0, col, title)
        for row, value in enumerate(values, start=1):
            lists.write_string(row, col, value)
    lists.hide()
    sheet = book.get_worksheet_by_name("medlemskaber")
    last = max(memberships.height, 1) + 1000
    choices = {schema.SECTOR: f"=sektorer!$A$2:$A${len(vocabulary) + 1}",
               schema.ROLE: f"=lister!$A$2:$A${len(schema.ROLES) + 1}",
               schema.TYPE: f"=lister!$B$2:$B${len(schema.ORG_TYPES) + 1}"}
    for name, source in choices.items():
        if name in memberships.columns:
            col = memberships.columns.index(name)
            sheet.data_validation(1, col, last, col, {
                "validate": "list", "source": source, "ignore_blank": True,
                "error_title": name, "error_message": f"Vælg en værdi fra listen / choose a value from the list ({name})",
                "error_type": "warning"})
    readme = book.add_worksheet("README")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    readme.set_column(0, 0, 100, wrap)
    for row, text in enumerate(README_TEXT):
        readme.write_string(row, 0, text)
    book.close()
    return buf.getvalue()


README_TEXT: Sequence[str] = (
    "partnernet – arbejdsbog / workbook",
    "DANSK",
    "Arket »medlemskaber« har én række pr. medlemskab: partnerskabets navn (partnership), aktørens navn (actor), "
    "aktørens sektor (sector, vælg fra listen), organisationstype (type), rollen i partnerskabet (role: lead, "
    "secretariat, member …) og årene (start, end). Kolonner, der begynder med partnership_ eller actor_, er "
    "oplysninger om partnerskabet eller aktøren (fx partnership_start); andre ekstra kolonner hører til medlemskabet.",
    "Id'er dannes af navnene; skriv derfor et navn ens hver gang. En række med kun et partnerskab er et partnerskab "
    "uden kendte medlemmer.",
    "Arket »sektorer« er sektorlisten (id, dansk og engelsk navn, gruppe, farve). Ret eller tilføj sektorer her.",
    "Kør: partnernet validate --nodes denne-fil.xlsx   (eller læg filen som partnernet.xlsx i en mappe og brug --data "
    "MAPPE). partnernet convert laver nodes.csv og edges.csv af listen og omvendt.",
    "ENGLISH",
    "The sheet \"medlemskaber\" (memberships) has one row per membership: the partnership's name, the actor's name, "
    "the actor's sector (choose from the list), type, role in the partnership (lead, secretariat, member, …) and the "
    "years (start, end). Columns starting with partnership_ or actor_ describe the partnership or the actor (e.g. "
    "partnership_start); other extra columns belong to the membership.",
    "Ids are made from the names, so write a name the same way every time. A row with only a partnership is a "
    "partnership without known members.",
    "The sheet \"sektorer\" is the sector vocabulary (id, Danish and English label, group, colour); edit or add "
    "sectors there.",
    "Run: partnernet validate --nodes this-file.xlsx   (or put it in a folder as partnernet.xlsx and use --data "
    "FOLDER). partnernet convert turns the list into nodes.csv and edges.csv and back.",
)
