"""The diff command: two folders or two years, every format, --match-by label, a rename file, usage errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.defaults import DIFF_TABLES

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(folder: Path, nodes: str, edges: str) -> str:
    folder.mkdir()
    (folder / "nodes.csv").write_text(nodes, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")
    return str(folder)


@pytest.fixture
def editions(tmp_path):
    """Two editions without stable ids: KL is written differently, "Aarhus Kommune" is renamed "Aarhus
    Municipality" (declared in renames.csv), and the newer one names Dansk Industri twice."""
    old = write(tmp_path / "old", "id,label,kind,sector\n1,Grøn Omstilling,partnership,\n2,KL,actor,local_gov_association\n"
                "3,Aarhus Kommune,actor,municipality\n4,Dansk Industri,actor,business_association\n",
                "source,target\n2,1\n3,1\n")
    new = write(tmp_path / "new", "id,label,kind,sector\nA,grøn omstilling,partnership,\nB,kl,actor,local_gov_association\n"
                "C,Aarhus Municipality,actor,municipality\nD,Dansk Industri,actor,business_association\n"
                "E,DANSK INDUSTRI,actor,business_association\n",
                "source,target\nB,A\nC,A\nD,A\n")
    renames = tmp_path / "renames.csv"
    renames.write_text("old,new\n3,C\n", encoding="utf-8")
    return old, new, str(renames)


def test_two_years_of_the_bundled_data():
    result = run("diff", "--data", DATA, "--as-of-old", "2012", "--as-of-new", "2014")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 new partnership, 1 ended; 11 new members, 7 of them from sectors that were "
                                    "missing; 4 members left a partnership; ")
    for name in ("partnerships", "members", "coverage", "suggestions", "centrality"):
        assert f"\n{name}\n" in "\n" + result.stdout
    assert "p-uddannelse" in result.stdout and "removed" in result.stdout


def test_a_folder_against_itself_says_no_changes():
    result = run("diff", DATA, DATA, "--lang", "da")
    assert result.exit_code == 0 and result.stdout.startswith("Ingen ændringer.\n")


def test_a_workbook_and_a_membership_list_are_snapshots_too(tmp_path):
    """The bundled data as a membership workbook and as a membership-list CSV: the same network."""
    book, listed = tmp_path / "book.xlsx", tmp_path / "list.csv"
    assert run("convert", "--data", DATA, "-o", str(book)).exit_code == 0
    assert run("convert", "--data", DATA, "-o", str(listed)).exit_code == 0
    result = run("diff", str(book), str(listed), "--lang", "da")
    assert result.exit_code == 0 and result.stdout.startswith("Ingen ændringer.\n")
    changed = run("diff", DATA, str(book), "--match-by", "label")
    assert changed.exit_code == 0 and changed.stdout.startswith("No changes.\n")


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("table", DIFF_TABLES)
def test_every_table_in_every_format(fmt, table):
    result = run("diff", "--data", DATA, "--as-of-old", "2012", "--as-of-new", "2014", "--format", fmt,
                 "--table", table)
    assert result.exit_code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    else:
        rows = json.loads(result.stdout)
    assert rows or table == "actors", table  # no actor changed between 2012 and 2014
    assert "1 new partnership" in result.stderr  # the summary goes to stderr


def test_csv_needs_a_table():
    result = run("diff", DATA, DATA, "--format", "csv")
    assert result.exit_code == 2 and "choose it with --table" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["diff", DATA], "give both OLD and NEW"),
    (["diff"], "--as-of-old YEAR and --as-of-new YEAR"),
    (["diff", DATA, DATA, "--data", DATA], "leave out --data"),
])
def test_usage_errors(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_match_by_label_with_a_renamed_and_an_ambiguous_actor(editions):
    old, new, renames = editions
    result = run("diff", old, new, "--match-by", "label", "--renames", renames, "--table", "members",
                 "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # KL and Grøn Omstilling match by label, Aarhus by the rename; Dansk Industri is ambiguous in the newer
    # edition, so D is not matched: it joins as a new actor, and the old one (4) is reported as removed
    assert [(r["partnership"], r["actor"], r["change"]) for r in rows] == [("A", "D", "joined")]
    assert ('new/nodes.csv:5:2 (label): "Dansk Industri" – ambiguous match by label: "D" shares it with "E" '
            'in the newer data') in result.stderr.replace(str(Path(new).parent) + "/", "")
    assert "0 errors, 4 warnings" in result.stderr  # the two ambiguous labels and two isolated actors
    actors = run("diff", old, new, "--match-by", "label", "--renames", renames, "--table", "actors", "--format", "csv")
    statuses = {(r["id"], r["status"]) for r in csv.DictReader(io.StringIO(actors.stdout))}
    assert statuses == {("4", "removed"), ("D", "added"), ("E", "added"), ("C", "changed"), ("B", "changed")}


def test_a_bad_rename_file_is_reported_at_once(tmp_path, editions):
    old, new, _ = editions
    bad = tmp_path / "bad.csv"
    bad.write_text("old,new\n3,\n3,C\n,X\n", encoding="utf-8")
    result = run("diff", old, new, "--renames", str(bad))
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 3 and "empty id" in result.stderr


def test_problems_of_both_folders_are_reported_at_once(tmp_path):
    old = write(tmp_path / "old", "id,kind\np,partnership\n", "source,target\nx,p\n")
    new = write(tmp_path / "new", "id,kind\nq,partnership\n", "source,target\ny,q\n")
    problems = tmp_path / "problems.txt"
    result = run("diff", old, new, "--errors", str(problems))
    assert result.exit_code == 1
    assert "old/edges.csv:2:1" in result.stderr and "new/edges.csv:2:1" in result.stderr
    written = problems.read_text(encoding="utf-8")
    assert "old/edges.csv" in written and "new/edges.csv" in written
