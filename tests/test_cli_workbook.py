"""``partnernet init`` and ``convert``: the starter workbook runs through every command; list ⇄ nodes/edges."""

from __future__ import annotations

import filecmp
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from partnernet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init")
    result = run("init", str(folder / "partnernet.xlsx"))
    assert result.exit_code == 0, result.output
    return folder / "partnernet.xlsx"


def test_init_writes_the_sheets_drop_downs_and_readme(starter):
    book = openpyxl.load_workbook(starter)
    assert book.sheetnames == ["medlemskaber", "sektorer", "lister", "README"]
    assert book["lister"].sheet_state == "hidden"
    sheet = book["medlemskaber"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["partnership", "actor", "sector", "type", "role", "weight", "start"]
    assert sheet.max_row == 44  # the 43 bundled memberships
    sources = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert sources == ["lister!$A$2:$A$8", "lister!$B$2:$B$14", "sektorer!$A$2:$A$9"]
    readme = " ".join(str(c.value) for c in book["README"]["A"])
    assert "DANSK" in readme and "ENGLISH" in readme
    assert [c.value for c in book["sektorer"][1]] == ["id", "label_da", "label_en", "group", "color"]


def test_init_does_not_overwrite(starter):
    assert run("init", str(starter)).exit_code == 2
    assert run("init", str(starter), "--force", "-q").exit_code == 0


COMMANDS = [
    ("validate",), ("summary",), ("centrality",), ("coverage",), ("gaps",), ("brokers",), ("communities",),
    ("backtest", "--cases", "5"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_the_starter_workbook_runs_through_every_command(starter, command):
    result = run(*command, "--nodes", str(starter))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Using data: {starter}")


def test_the_starter_workbook_maps_exports_and_publishes(starter, tmp_path):
    assert run("map", "--nodes", str(starter), "--out", str(tmp_path / "m.html"), "-q").exit_code == 0
    assert run("export", "--nodes", str(starter), "--format", "gexf", "--out", str(tmp_path / "g.gexf"),
               "-q").exit_code == 0
    result = run("publish", "--data", str(starter.parent), "--out", str(tmp_path / "site"), "--date", "2026-01-01",
                 "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "downloads" / "partnernet.xlsx").is_file()
    assert (tmp_path / "site" / "partnerships").is_dir()


def _published(tmp_path: Path, name: str, *data: str) -> Path:
    out = tmp_path / name
    result = run("publish", *data, "--out", str(out), "--date", "2026-01-01", "-q")
    assert result.exit_code == 0, result.output
    return out


def _differing(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out = [*cmp.left_only, *cmp.right_only, *cmp.diff_files]
    for sub in cmp.common_dirs:
        out += [f"{sub}/{n}" for n in _differing(a / sub, b / sub)]
    return sorted(out)


def test_a_membership_list_and_the_same_nodes_and_edges_publish_the_same_site(tmp_path):
    listed = tmp_path / "memberships.csv"
    assert run("convert", "--data", DATA, "--out", str(listed), "-q").exit_code == 0
    pair = tmp_path / "pair"
    assert run("convert", "--memberships", str(listed), "--out", str(pair), "-q").exit_code == 0
    assert sorted(p.name for p in pair.iterdir()) == ["edges.csv", "nodes.csv"]
    one = _published(tmp_path, "one", "--memberships", str(listed))
    two = _published(tmp_path, "two", "--data", str(pair))
    # Byte for byte the same, but for the downloads page's table of the files received (honestly different).
    assert _differing(one, two) == ["downloads.html"]
    text_one, text_two = ((s / "downloads.html").read_text(encoding="utf-8") for s in (one, two))
    assert "memberships.csv" in text_one and "memberships.csv" not in text_two
    cut = text_one.index('id="c-downloads-received"')
    assert text_one[:cut] == text_two[:cut]


def test_convert_round_trips(tmp_path):
    listed = tmp_path / "list.xlsx"
    assert run("convert", "--data", DATA, "--out", str(listed), "-q").exit_code == 0
    pair = tmp_path / "pair"
    assert run("convert", "--nodes", str(listed), "--out", str(pair), "-q").exit_code == 0
    again = tmp_path / "again.csv"
    assert run("convert", "--data", str(pair), "--out", str(again), "-q").exit_code == 0
    back = tmp_path / "back"
    assert run("convert", "--memberships", str(again), "--out", str(back), "-q").exit_code == 0
    assert (pair / "nodes.csv").read_bytes() == (back / "nodes.csv").read_bytes()
    assert (pair / "edges.csv").read_bytes() == (back / "edges.csv").read_bytes()


def test_ties_cannot_be_written_as_a_list(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,sector\np,partnership,\na,actor,state\nb,actor,state\n")
    (tmp_path / "edges.csv").write_text("source,target\na,p\nb,p\na,b\n")
    result = run("convert", "--data", str(tmp_path), "--out", str(tmp_path / "l.csv"))
    assert result.exit_code == 2 and "1 direct tie between actors" in result.output


@pytest.mark.parametrize("shape", ["folder", "file"])
def test_convert_to_an_unwritable_place_is_one_located_error(tmp_path, shape):
    """A parent that is a file: one error naming the path, exit 1, no traceback, nothing written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    listed = tmp_path / "list.csv"
    assert run("convert", "--data", DATA, "--out", str(listed), "-q").exit_code == 0
    source = ["--memberships", str(listed)] if shape == "folder" else ["--data", DATA]
    out = blocker / ("pair" if shape == "folder" else "list.csv")
    result = run("convert", *source, "--out", str(out), "-q")
    assert result.exit_code == 1, result.output
    assert str(blocker) in result.stderr and blocker.read_text() == "not a folder"
