"""Tables as workbooks: ``export --format xlsx`` holds the CSV export's values; one table per ``--format xlsx``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.export.tables import cell_text
from partnernet.export.workbook import column_descriptions, fitting, table_xlsx

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("export")
    for fmt, name in (("xlsx", "all.xlsx"), ("csv", "csv")):
        result = CliRunner().invoke(cli, ["export", "--data", DATA, "--format", fmt, "--out", str(folder / name), "-q"])
        assert result.exit_code == 0, result.output
    return folder / "all.xlsx", folder / "csv"


def _csv_cells(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    neutralised = ("'=", "'+", "'-", "'@")  # the Excel CSV's guard against formulas; a workbook cell is text anyway
    return [[c[1:] if c.startswith(neutralised) else c for c in row]
            for row in csv.reader(io.StringIO(text), delimiter=";")]


def _sheet_cells(sheet) -> list[list[str]]:
    return [[cell_text(v, excel=True) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_export_xlsx_has_every_table_of_the_csv_export_with_the_same_values(exported):
    book_path, folder = exported
    book = openpyxl.load_workbook(book_path)
    tables = sorted(p.stem for p in folder.glob("*.csv") if p.stem != "received")
    assert sorted(n for n in book.sheetnames if n != "columns") == tables
    for name in tables:
        assert _sheet_cells(book[name]) == _csv_cells(folder / f"{name}.csv"), name


def test_export_xlsx_describes_every_column(exported):
    book = openpyxl.load_workbook(exported[0])
    rows = list(book["columns"].iter_rows(values_only=True))
    assert rows[0] == ("sheet", "column", "type", "description")
    described = {(r[0], r[1]) for r in rows[1:]}
    for name in book.sheetnames:
        if name != "columns":
            header = next(book[name].iter_rows(values_only=True))
            assert {(name, c) for c in header} <= described
    assert ("nodes", "id", "text", "the node's id (text)") in rows


def test_a_table_workbook_is_typed_frozen_filtered_and_deterministic():
    frame = pl.DataFrame({"id": ["a", "=b"], "score": [0.1234567891, None], "n": [1, 2], "in": [["x", "y"], None]})
    data = table_xlsx(frame)
    assert data == table_xlsx(frame)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["table"]
    assert list(sheet.iter_rows(values_only=True)) == [("id", "score", "n", "in"), ("a", 0.123457, 1, "x|y"),
                                                         ("=b", None, 2, None)]
    assert sheet.freeze_panes == "A2"
    table = next(iter(sheet.tables.values()))  # polars writes the range as an Excel table with its filter
    assert table.ref == "A1:D3" and table.autoFilter is not None


def test_tables_beyond_the_cell_budget_are_left_out_and_named():
    big = pl.DataFrame({"x": list(range(30))})
    kept, left_out = fitting({"small": big.head(2), "big": big, "also": big.head(8)}, max_cells=10)
    assert list(kept) == ["small", "also"]
    assert left_out.rows() == [("big", 30, 1, "more than the 10 cells this workbook holds: see big.csv")]
    assert fitting({"big": big}) == ({"big": big}, None)


def test_column_types_are_named():
    frame = pl.DataFrame({"a": [1], "b": [1.5], "c": ["x"], "d": [True], "e": [["x"]]})
    assert column_descriptions({"t": frame})["type"].to_list() == ["whole number", "number", "text", "true/false",
                                                                    "list (|-separated)"]


def test_format_xlsx_and_excel_csv_on_a_table_command(tmp_path):
    out = tmp_path / "c.xlsx"
    result = CliRunner().invoke(cli, ["centrality", "--data", DATA, "--format", "xlsx", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out)["centrality"].iter_rows(values_only=True))
    assert rows[0][:3] == ("rank", "id", "label") and len(rows) == 35
    excel = CliRunner().invoke(cli, ["centrality", "--data", DATA, "--format", "csv", "--excel", "-q"])
    assert excel.stdout_bytes.startswith("\ufeffrank;id;label;".encode())
    plain = CliRunner().invoke(cli, ["centrality", "--data", DATA, "--format", "csv", "-q"])
    assert plain.stdout_bytes.startswith(b"rank,id,label,")
