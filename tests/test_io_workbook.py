"""Workbooks in: the bad-workbook catalogue, each case built with xlsxwriter and its exact expected output.

Like ``tests/test_validate_catalogue.py``: each case is the stderr of
``partnernet validate --data .`` after the ``Using data:`` line, run in a
folder holding only ``book.xlsx``. The good tables are those of
``tests/data/good`` (numbers written as numbers, as Excel stores them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.errors import Problem
from partnernet.io.workbook import is_workbook, open_workbook, read_sheet

GOOD = Path(__file__).resolve().parent / "data" / "good"


def _rows(name: str) -> list[list]:
    """The good table as Excel would hold it: numbers as numbers (floats), empty cells as None."""
    lines = (GOOD / name).read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = []
        for v in line.split(","):
            cells.append(None if v == "" else float(v) if v.replace(".", "").isdigit() else v)
        out.append(cells)
    return out


NODES, EDGES = _rows("nodes.csv"), _rows("edges.csv")


def _book(path: Path, sheets: dict[str, list[list]], edit: Callable | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    if edit is not None:
        edit(book)
    book.close()
    return path


def _validate(folder: Path, monkeypatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["validate", "--data", "."])
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Using data: book.xlsx"
    return result.exit_code, lines[1:]


def _wrong_sheet_name(book):
    pass


def _merged_header(book):
    sheet = book.get_worksheet_by_name("nodes")
    sheet.merge_range(0, 3, 0, 4, "sector")


def _formula(book):
    book.get_worksheet_by_name("edges").write_formula(2, 3, "=0.5*2", None, 1)


def _float_id(book):
    nodes, edges = book.get_worksheet_by_name("nodes"), book.get_worksheet_by_name("edges")
    nodes.write_number(6, 0, 7.0)  # the id "d" becomes 7 ...
    if edges is not None:
        edges.write_number(5, 1, 7.0)  # ... and so does the edge to it


def _date_year(book):
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    nodes = book.get_worksheet_by_name("nodes")
    nodes.write_number(1, 5, 2019, date)  # typed into a cell formatted as a date
    nodes.write_datetime(2, 5, dt.datetime(2020, 3, 1), date)  # a real date


def _hidden(book):
    book.get_worksheet_by_name("edges").hide()


CASES: dict[str, tuple[dict, Callable, list[str]]] = {
    "wrong-sheet-name": ({"Ark1": NODES, "Ark2": EDGES}, _wrong_sheet_name, [
        'error: book.xlsx:1:1 (sheet): "" – no sheet named "nodes" or "aktører" (with "edges" or "medlemskaber"), '
        'and no membership list named "memberships" or "medlemskaber" (found "Ark1", "Ark2"); rename the sheets '
        "or choose one with --sheet NAME",
        "1 error, 0 warnings"]),
    "misspelt-sheet-name": ({"nodes": NODES, "egdes": EDGES}, None, [
        'error: book.xlsx:1:1 (sheet): "" – no sheet named "edges" or "medlemskaber" (found "nodes", "egdes"); '
        'rename the sheet "egdes" to "edges"',
        "1 error, 0 warnings"]),
    "merged-cell-header": ({"nodes": [r[:4] + [None] + r[4:] for r in NODES], "edges": EDGES}, _merged_header, [
        'error: book.xlsx[nodes]:1:D (header): "sector" – merged cells D1:E1 in the header: the columns after the '
        "first have no name; unmerge them and give each column its own name",
        "1 error, 0 warnings"]),
    "formula-cell": ({"nodes": NODES, "edges": EDGES}, _formula, [
        'warning: book.xlsx[edges]:3:D (weight): "1" – a formula (=0.5*2): read as the value saved with the '
        "workbook; partnernet does not recalculate formulas",
        "OK: 4 actors, 2 partnerships, 5 edges",
        "0 errors, 1 warning"]),
    "float-id": ({"nodes": NODES, "edges": EDGES}, _float_id, [
        "OK: 4 actors, 2 partnerships, 5 edges",
        "0 errors, 0 warnings"]),
    "date-formatted-year": ({"nodes": NODES, "edges": EDGES}, _date_year, [
        'warning: book.xlsx[nodes]:2:F (start): "1905-07-11" – the cell is formatted as a date, so the year 2019 '
        "shows as 1905-07-11; read as 2019 (format the column as Number)",
        'warning: book.xlsx[nodes]:3:F (start): "2020-03-01" – a date, not a year; its year 2020 is used',
        "OK: 4 actors, 2 partnerships, 5 edges",
        "0 errors, 2 warnings"]),
    "hidden-sheet": ({"nodes": NODES, "edges": EDGES}, _hidden, [
        'warning: book.xlsx[edges]:1:A (sheet): "edges" – the sheet is hidden in the workbook; read all the same '
        "(unhide it, so that whoever checks the workbook sees what is analysed)",
        "OK: 4 actors, 2 partnerships, 5 edges",
        "0 errors, 1 warning"]),
    "unknown-sector-by-letter": ({"aktører": [r[:3] + (["regering"] if i == 3 else r[3:4]) + r[4:]
                                              for i, r in enumerate(NODES)], "medlemskaber": EDGES}, None, [
        'error: book.xlsx[aktører]:4:D (sector): "regering" – unknown sector; expected one of state, region, '
        "municipality, local_gov_association, business, business_association, civil_society, knowledge; "
        'did you mean "region"?',
        "1 error, 0 warnings"]),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_workbook_catalogue(case, tmp_path, monkeypatch):
    sheets, edit, expected = CASES[case]
    _book(tmp_path / "book.xlsx", sheets, edit)
    code, lines = _validate(tmp_path, monkeypatch)
    assert lines == expected
    assert code == (1 if any(line.startswith("error:") for line in expected) else 0)


def test_float_id_reads_as_typed(tmp_path):
    book = open_workbook(_book(tmp_path / "b.xlsx", {"nodes": NODES}, _float_id))
    table = read_sheet(book, "nodes")
    assert table.frame["id"].to_list()[-1] == "7"
    assert table.frame["start"].to_list()[0] == "2019"  # 2019.0 as Excel stores it


def test_lines_and_columns_are_the_sheets_when_the_table_starts_lower(tmp_path):
    def edit(book):
        sheet = book.add_worksheet("edges")
        for r, row in enumerate(EDGES):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r + 2, c + 1, value)
    table = read_sheet(open_workbook(_book(tmp_path / "b.xlsx", {"nodes": NODES}, edit)), "edges")
    assert table.header_line == 3
    assert table.positions["source"] == 2
    assert table.frame["__line__"].to_list()[0] == 4


def test_a_problem_in_a_sheet_names_the_column_by_letter():
    assert str(Problem("b.xlsx[nodes]", 12, 28, "x", "v", "r")) == 'b.xlsx[nodes]:12:AB (x): "v" – r'
    assert str(Problem("nodes.csv", 12, 28, "x", "v", "r")) == 'nodes.csv:12:28 (x): "v" – r'


def test_error_cells_are_errors(tmp_path):
    def edit(book):
        book.get_worksheet_by_name("nodes").write_formula(3, 1, "=1/0", None, "#DIV/0!")
    table = read_sheet(open_workbook(_book(tmp_path / "b.xlsx", {"nodes": NODES}, edit), "b.xlsx"), "nodes")
    assert [str(p) for p in table.problems] == [
        'b.xlsx[nodes]:4:B (label): "#DIV/0!" – an Excel error value, not data; correct the formula or the cell']


def test_a_damaged_workbook_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 not really")
    code, lines = _validate(tmp_path, monkeypatch)
    assert code == 1 and len(lines) == 2 and lines[0].startswith('error: book.xlsx:1:1 (file): "" – cannot be read')


def test_workbook_suffixes():
    assert is_workbook("a.XLSX") and is_workbook("a.ods") and is_workbook("a.xlsm") and not is_workbook("a.csv")


def test_separate_workbooks_use_their_one_sheet(tmp_path):
    n = _book(tmp_path / "n.xlsx", {"Ark1": NODES})
    e = _book(tmp_path / "e.xlsx", {"Ark1": EDGES})
    result = CliRunner().invoke(cli, ["validate", "--nodes", str(n), "--edges", str(e)])
    assert result.exit_code == 0, result.output
    assert "OK: 4 actors, 2 partnerships, 5 edges" in result.stderr


def test_a_one_sheet_workbook_is_a_membership_list(tmp_path):
    rows = [["partnership", "actor", "sector"], ["P", "A", "state"], ["P", "B", 7.0]]
    book = _book(tmp_path / "list.xlsx", {"Ark1": rows})
    result = CliRunner().invoke(cli, ["validate", "--memberships", str(book)])
    assert result.exit_code == 1
    assert f'error: {book}[Ark1]:3:C (sector): "7" – unknown sector' in result.stderr


def test_sheet_option_chooses_sheets(tmp_path):
    book = _book(tmp_path / "b.xlsx", {"N": NODES, "E": EDGES})
    result = CliRunner().invoke(cli, ["validate", "--nodes", str(book), "--sheet", "nodes=N", "--sheet", "edges=E"])
    assert result.exit_code == 0, result.output
    bad = CliRunner().invoke(cli, ["validate", "--nodes", str(book), "--sheet", "rows=N"])
    assert bad.exit_code == 2 and "'rows' is not one of nodes, edges, memberships, sectors" in bad.output


def test_several_workbooks_in_a_folder_is_a_usage_error(tmp_path):
    _book(tmp_path / "a.xlsx", {"nodes": NODES, "edges": EDGES})
    _book(tmp_path / "b.xlsx", {"nodes": NODES, "edges": EDGES})
    result = CliRunner().invoke(cli, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "holds 2 workbooks (a.xlsx, b.xlsx)" in result.output
    _book(tmp_path / "partnernet.xlsx", {"nodes": NODES, "edges": EDGES})
    assert CliRunner().invoke(cli, ["validate", "--data", str(tmp_path)]).exit_code == 0


def test_a_macro_workbook_is_read_like_xlsx(tmp_path, monkeypatch):
    book = _book(tmp_path / "x.xlsx", {"nodes": NODES, "edges": EDGES}, _formula)
    book.rename(tmp_path / "book.xlsm")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--data", "."])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "Using data: book.xlsm",
        'warning: book.xlsm[edges]:3:D (weight): "1" – a formula (=0.5*2): read as the value saved with the '
        "workbook; partnernet does not recalculate formulas"]


def _ods(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A minimal OpenDocument spreadsheet (xlsxwriter writes only xlsx): text cells, empty ones empty."""
    import zipfile

    def cell(v: str) -> str:
        return "<table:table-cell/>" if v == "" else \
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join(f'<table:table table:name="{name}">' + "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>")
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
                   f'office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet>'
                   "</office:body></office:document-content>")
    return path


def test_an_ods_workbook_is_read(tmp_path):
    nodes = [["id", "kind", "sector"], ["p", "partnership", ""], ["a", "actor", "state"], ["b", "actor", "stax"]]
    book = _ods(tmp_path / "b.ods", {"nodes": nodes, "edges": [["source", "target"], ["a", "p"], ["b", "p"]]})
    result = CliRunner().invoke(cli, ["validate", "--nodes", str(book)])
    assert result.exit_code == 1
    assert f'error: {book}[nodes]:4:C (sector): "stax" – unknown sector' in result.stderr
