"""One membership list: ids derived from names, located conflicts, --id-from, explicit ids, --merge-duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.errors import DataError, OptionError
from partnernet.io.csvread import parse_bytes
from partnernet.io.memberships import derive_id, merge_duplicates, split_memberships
from partnernet.load import load, locate

SMALL = """partnership,actor,sector,role,start,end,partnership_start,theme
Grøn omstilling,Miljøstyrelsen,state,lead,2019,,2019,klima
Grøn omstilling,Ørsted,business,,2019,,,
Sundere liv,Ørsted,,member,2020,2023,2020,
Sundere liv,Ældre Sagen,civil_society,,,,,
Tom,,,,,,,
"""


def _write(tmp_path: Path, text: str, name: str = "memberships.csv") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


def _validate(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def test_ids_are_derived_from_names_stably():
    assert derive_id("Miljøstyrelsen") == "miljoestyrelsen"
    assert derive_id("Miljøstyrelsen", "label") == "Miljøstyrelsen"
    assert derive_id("...").startswith("x-")


def test_a_list_becomes_nodes_and_edges(tmp_path):
    dataset = load(locate(memberships=_write(tmp_path, SMALL)))
    nodes = dataset.nodes
    assert nodes["id"].to_list() == ["groen-omstilling", "miljoestyrelsen", "oersted", "sundere-liv", "aeldre-sagen",
                                     "tom"]
    assert nodes["kind"].to_list()[:2] == ["partnership", "actor"]
    assert nodes.filter(nodes["id"] == "oersted")["sector"].to_list() == ["business"]
    assert nodes.filter(nodes["id"] == "groen-omstilling")["start"].to_list() == [2019]
    assert dataset.edges.select("source", "target", "role", "start", "end").rows()[2] == \
        ("oersted", "sundere-liv", "member", 2020, 2023)
    assert dataset.edge_extras == ("theme",)
    assert [r.name for r in dataset.received] == ["memberships.csv"]


def test_a_folder_with_memberships_csv_is_read(tmp_path):
    _write(tmp_path, SMALL)
    code, lines = _validate("--data", str(tmp_path))
    assert code == 0 and lines[-2] == "OK: 3 actors, 3 partnerships, 4 edges"


def test_conflicting_sectors_are_located_errors(tmp_path):
    text = SMALL.replace("Sundere liv,Ørsted,,", "Sundere liv,Ørsted,region,")
    code, lines = _validate("--memberships", str(_write(tmp_path, text)))
    assert code == 1
    assert f'error: {tmp_path}/memberships.csv:4:3 (sector): "region" – "Ørsted" has sector "business" on line 3; ' \
           "an actor has one sector, so write the same on every line (or leave the later cells empty)" in lines


def test_id_from_label_and_explicit_ids(tmp_path):
    dataset = load(locate(memberships=_write(tmp_path, SMALL), id_from="label"))
    assert "Miljøstyrelsen" in dataset.nodes["id"].to_list()
    lines = SMALL.splitlines()
    text = "\n".join([lines[0] + ",actor_id", lines[1] + ",MST", *(line + "," for line in lines[2:])]) + "\n"
    explicit = load(locate(memberships=_write(tmp_path, text, "m2.csv")))
    assert "MST" in explicit.nodes["id"].to_list() and "miljoestyrelsen" not in explicit.nodes["id"].to_list()
    with pytest.raises(OptionError):
        split_memberships(parse_bytes(SMALL.encode(), "m.csv"), id_from="hash")


def test_names_that_give_one_id_are_one_node_with_a_warning(tmp_path):
    text = SMALL.replace("Sundere liv,Ørsted,,", "Sundere liv,Oersted,,")
    dataset = load(locate(memberships=_write(tmp_path, text)))
    assert any('"Oersted" – the same id as "Ørsted" on line 3' in str(w) for w in dataset.warnings)


def test_a_list_without_its_columns_is_an_error(tmp_path):
    with pytest.raises(DataError) as caught:
        load(locate(memberships=_write(tmp_path, "partnership,organisation\nA,B\n")))
    assert 'missing required column "actor"' in str(caught.value.errors[0])


DUPLICATES = """source,target,role,weight,start,end
a,p1,member,1,2019,2021
b,p1,member,1,2019,
a,p1,lead,2,2018,2020
"""


def test_merge_duplicates_folds_repeated_pairs():
    raw = parse_bytes(DUPLICATES.encode(), "edges.csv")
    merged, notes = merge_duplicates(raw)
    assert merged.frame.select("source", "role", "weight", "start", "end").rows()[0] == \
        ("a", "lead", "3", "2018", "2021")
    assert merged.frame.height == 2
    assert [str(n) for n in notes] == [
        'edges.csv:2:1 (source, target): "a, p1" – 2 lines for one pair merged (lines 2, 4; --merge-duplicates): '
        'role "lead", weight 3']


def test_merge_duplicates_leaves_values_it_cannot_merge():
    raw = parse_bytes(DUPLICATES.replace("lead,2", "boss,2").encode(), "edges.csv")
    merged, notes = merge_duplicates(raw)
    assert notes == [] and merged.frame.height == 3


def test_without_the_option_the_duplicate_error_stays(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,sector\np1,partnership,\na,actor,state\nb,actor,state\n")
    (tmp_path / "edges.csv").write_text(DUPLICATES)
    code, lines = _validate("--data", str(tmp_path))
    assert code == 1 and any("duplicate edge" in line for line in lines)
    code, lines = _validate("--data", str(tmp_path), "--merge-duplicates")
    assert code == 0, lines
    assert "Merged the repeated lines of 1 pair (--merge-duplicates; each is a warning below)" in lines
