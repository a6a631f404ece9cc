"""CSV and JSON exports: golden bytes for the Excel dialect (BOM, ``;``, decimal comma, formulas neutralised)."""

import csv
import io
import json

import polars as pl
import pytest

from partnernet.export.tables import csv_bytes, json_bytes

from .golden_util import golden


def tricky_frame() -> pl.DataFrame:
    """Every kind of cell an export meets: formulas, separators, quotes, newlines, Danish letters, NaN, lists."""
    return pl.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
            "label": ["=SUM(A1:A9)", "+45 12 34 56", "-2", "@cmd", "\tTab", 'Ærø; "Sø" og å', "line\nbreak",
                      "=cmd|' /C calc'!A0", "plain", "\x01ctl"],
            "value": [0.1234567891, -0.5, 1.0, None, float("nan"), 1e-9, 2.5, float("inf"), 1234567.0, 0.1 + 0.2],
            "count": [1, -2, 3, None, 5, 6, 7, 8, 9, 0],
            "flag": [True, False, None, True, False, True, False, True, False, None],
            "present": [["state", "business"], [], None, ["=x", "y"], ["a"], ["b"], ["c"], ["d"], ["e"], ["f"]],
        },
        schema_overrides={"present": pl.List(pl.String)},
    )


def test_excel_csv_matches_golden():
    golden("tricky_excel.csv", csv_bytes(tricky_frame(), excel=True))


def test_plain_csv_matches_golden():
    golden("tricky_plain.csv", csv_bytes(tricky_frame()))


def test_json_matches_golden():
    golden("tricky.json", json_bytes(tricky_frame()))


def excel_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_excel_csv_has_bom_semicolons_and_crlf():
    data = csv_bytes(tricky_frame(), excel=True)
    assert data.startswith(b"\xef\xbb\xbfid;label;value;count;flag;present\r\n")
    rows = excel_rows(data)
    assert rows[0] == ["id", "label", "value", "count", "flag", "present"]
    assert len(rows) == 11
    assert all(len(r) == 6 for r in rows)


@pytest.mark.parametrize("row, text", [(1, "=SUM(A1:A9)"), (2, "+45 12 34 56"), (3, "-2"), (4, "@cmd"),
                                       (5, "\tTab"), (8, "=cmd|' /C calc'!A0"), (10, "\x01ctl")])
def test_formula_like_text_is_neutralised(row, text):
    cell = excel_rows(csv_bytes(tricky_frame(), excel=True))[row][1]
    assert cell == "'" + text


def test_numbers_are_not_neutralised_and_use_a_decimal_comma():
    rows = excel_rows(csv_bytes(tricky_frame(), excel=True))
    assert [r[2] for r in rows[1:]] == ["0,123457", "-0,5", "1", "", "", "0", "2,5", "", "1234567", "0,3"]
    assert rows[2][3] == "-2"


def test_separators_quotes_and_newlines_stay_inside_their_cell():
    rows = excel_rows(csv_bytes(tricky_frame(), excel=True))
    assert rows[6][1] == 'Ærø; "Sø" og å'
    assert rows[7][1] == "line\nbreak"


def test_lists_are_joined_with_a_bar_and_each_item_is_neutralised():
    rows = excel_rows(csv_bytes(tricky_frame(), excel=True))
    assert rows[1][5] == "state|business"
    assert rows[4][5] == "'=x|y"
    assert rows[2][5] == "" and rows[3][5] == ""


def test_plain_csv_is_untouched_text():
    rows = list(csv.reader(io.StringIO(csv_bytes(tricky_frame()).decode("utf-8"), newline="")))
    assert rows[1][1] == "=SUM(A1:A9)"
    assert rows[1][2] == "0.123457"


def test_json_has_no_nan_and_keeps_lists():
    records = json.loads(json_bytes(tricky_frame()))
    assert records[4]["value"] is None and records[7]["value"] is None
    assert records[0]["present"] == ["state", "business"]
    assert records[0]["label"] == "=SUM(A1:A9)"  # JSON is data, not a spreadsheet: nothing to neutralise


def test_same_frame_same_bytes():
    assert csv_bytes(tricky_frame(), excel=True) == csv_bytes(tricky_frame(), excel=True)
    assert json_bytes(tricky_frame()) == json_bytes(tricky_frame())


@pytest.mark.parametrize("chunk", [1, 2, 7, 10_000])
def test_exports_made_in_chunks_are_the_same_bytes(chunk):
    """Large tables are written a chunk of rows at a time; the bytes are those of one dump of all rows."""
    from partnernet.export.tables import csv_rows, records

    frame = pl.DataFrame(
        {"id": [f"a{i}" for i in range(9)], "text": ["Å\nø", '"q"', "=1", None, "x", "æ", "-2", "", "ok"],
         "ids": [["p1", "p2"], [], None, ["p3"], [], ["=x"], [], [], []],
         "x": [0.5, float("nan"), None, 1.0, 2.25, -0.0, 3.0, 4.0, 1e20]},
        schema={"id": pl.String, "text": pl.String, "ids": pl.List(pl.String), "x": pl.Float64},
    )
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, allow_nan=False) for r in records(frame))
    assert json_bytes(frame, chunk=chunk) == f"[\n{lines}\n]\n".encode("utf-8")
    assert json.loads(json_bytes(frame, chunk=chunk)) == json.loads(json.dumps(records(frame)))
    for excel in (True, False):
        once = csv_rows(frame.columns, frame.iter_rows(), excel=excel, chunk=10**9)
        assert csv_rows(frame.columns, frame.iter_rows(), excel=excel, chunk=chunk) == once
        assert csv_bytes(frame, excel=excel, chunk=chunk) == once  # column-wise cells are the same cells
    assert json_bytes(frame.head(0)) == b"[]\n"


def test_column_wise_csv_cells_equal_the_cell_by_cell_reference():
    """csv_bytes converts text columns with polars; the bytes are csv_rows' (one cell_text per value)."""
    import random

    from partnernet.export.tables import csv_rows

    rng = random.Random(5)
    alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", "\x01", "\x1f", " ", "a", "æ", ";", '"', "|", "'", "\x7f", "0"]

    def text():
        return None if rng.random() < 0.1 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))

    n = 2000
    frame = pl.DataFrame(
        {"s": [text() for _ in range(n)],
         "l": [None if rng.random() < 0.1 else [text() for _ in range(rng.randint(0, 3))] for _ in range(n)],
         "i": [rng.choice([None, 1, -5, 10**12]) for _ in range(n)],
         "f": [rng.choice([None, 0.5, -0.0, 1e20, float("nan"), 1 / 3]) for _ in range(n)],
         "b": [rng.choice([None, True, False]) for _ in range(n)]},
        schema={"s": pl.String, "l": pl.List(pl.String), "i": pl.Int64, "f": pl.Float64, "b": pl.Boolean},
    )
    for excel in (True, False):
        assert csv_bytes(frame, excel=excel) == csv_rows(frame.columns, frame.iter_rows(), excel=excel)


def test_input_tables_neutralise_formulas_and_can_be_read_again(tmp_path):
    from partnernet.export.tables import input_tables, received_csv
    from partnernet.load import load, locate

    (tmp_path / "nodes.csv").write_text(
        'id,label,kind,sector\np,"=HYPERLINK(""http://x"",""klik"")",partnership,\na, Ærø ,,state\nb,+45 1234,,state\n',
        encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target,weight\np,a,\"1,5\"\nb,p,\n", encoding="utf-8")
    dataset = load(locate(tmp_path))
    files = input_tables(dataset)
    assert sorted(files) == ["edges.csv", "nodes.csv"]
    nodes = files["nodes.csv"].decode("utf-8-sig").splitlines()
    assert nodes[1].startswith("p;\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\";partnership")
    assert nodes[2].startswith("a;Ærø;actor;state") and nodes[3].startswith("b;'+45 1234;actor")
    assert files["edges.csv"].decode("utf-8-sig").splitlines() == [
        "source;target;role;weight;start;end", "a;p;member;1,5;;", "b;p;member;1;;"]
    (tmp_path / "again").mkdir()
    for name, data in files.items():
        (tmp_path / "again" / name).write_bytes(data)
    again = load(locate(tmp_path / "again"))
    assert again.edges.equals(dataset.edges)
    # only what could be read as a formula differs: it keeps the ' that neutralised it
    assert again.nodes["label"].to_list() == ["'" + dataset.nodes["label"][0], "Ærø", "'+45 1234"]
    lines = received_csv(dataset.received).decode("utf-8-sig").splitlines()
    assert lines[0] == "name;file;size;sha256" and lines[1].startswith(f"nodes.csv;nodes.csv;{(tmp_path / 'nodes.csv').stat().st_size};")
