"""partnernet.metrics.identity: matching two snapshots by id, by normalised label, and by declared renames."""

import pytest

from partnernet.errors import OptionError
from partnernet.graph import graph_from_records
from partnernet.load import Rename
from partnernet.metrics.identity import Where, match_snapshots, normalise_label


def _g(*nodes):
    return graph_from_records([{"id": i, "label": lab, "kind": k} for i, lab, k in nodes], [])


@pytest.fixture
def renamed():
    """Old ids 1–4, new ids x–z: KL and DI are written differently, a rename file declares 4 → z."""
    old = _g(("1", "KL", "actor"), ("2", "Dansk  Industri", "actor"), ("3", "Ny Skole", "actor"),
             ("4", "Gammelt navn", "actor"), ("p", "Grøn Omstilling", "partnership"))
    new = _g(("x", "kl", "actor"), ("y", "dansk industri.", "actor"), ("z", "Nyt navn", "actor"),
             ("q", "GRØN OMSTILLING", "partnership"))
    return old, new


def test_normalised_labels_ignore_case_spaces_and_punctuation_but_not_letters():
    assert normalise_label(" Dansk  Industri. ") == normalise_label("dansk industri") == "dansk industri"
    assert normalise_label("Århus") != normalise_label("Arhus")


def test_by_id_matches_equal_ids_of_the_same_kind():
    old = _g(("a", "A", "actor"), ("p", "P", "partnership"), ("b", "B", "actor"))
    new = _g(("a", "A2", "actor"), ("p", "P", "actor"))
    m = match_snapshots(old, new)
    assert m.actors == {"a": "a"} and m.partnerships == {}


def test_by_label_matches_a_renamed_actor(renamed):
    m = match_snapshots(*renamed, by="label", renames=[Rename("4", "z", 2)])
    assert m.actors == {"1": "x", "2": "y", "4": "z"}
    assert m.partnerships == {"p": "q"}
    assert m.warnings == ()


def test_an_ambiguous_label_is_a_located_warning_and_matches_nothing():
    old = _g(("1", "KL", "actor"), ("2", "Aarhus Kommune", "actor"))
    new = _g(("x", "KL", "actor"), ("y", "KL.", "actor"), ("z", "aarhus kommune", "actor"))
    where = Where("new/nodes.csv", {"x": 3, "y": 7}, {"label": 2})
    m = match_snapshots(old, new, by="label", where_new=where)
    assert m.actors == {"2": "z"}
    assert [str(p) for p in m.warnings] == [
        'new/nodes.csv:3:2 (label): "KL" – ambiguous match by label: "x" shares it with "y" in the newer data '
        '(the other snapshot has "1"); not matched: declare the match in a rename file',
        'new/nodes.csv:7:2 (label): "KL." – ambiguous match by label: "y" shares it with "x" in the newer data '
        '(the other snapshot has "1"); not matched: declare the match in a rename file']
    assert {p.severity for p in m.warnings} == {"warning"}


def test_a_rename_to_an_unknown_id_is_a_located_warning(renamed):
    m = match_snapshots(*renamed, renames=[Rename("4", "nope", 2), Rename("9", "z", 3)], renames_file="r.csv")
    assert [str(p) for p in m.warnings] == [
        'r.csv:2:1 (old, new): "4, nope" – new id is not in the newer data: rename not used',
        'r.csv:3:1 (old, new): "9, z" – old id is not in the older data: rename not used']


def test_unknown_match_mode_is_an_option_error(renamed):
    with pytest.raises(OptionError, match="--match-by"):
        match_snapshots(*renamed, by="colour")
