"""One resolver for every option and column that takes an id: ids, labels in Danish or English, folded."""

from __future__ import annotations

import pytest

from partnernet import schema
from partnernet.errors import OptionError
from partnernet.graph import graph_from_records
from partnernet.names import (Names, fold, group_names, kind_names, node_names, resolve_node, role_names,
                              sector_names, type_names)


@pytest.fixture
def sectors():
    return sector_names(schema.DEFAULT_SECTORS)


@pytest.fixture
def twin_graph():
    """Two partnerships with the same title (different years), one with a title of its own, two actors."""
    return graph_from_records(
        [{"id": "p1", "kind": "partnership", "label": "Sundt Liv"}, {"id": "p2", "kind": "partnership", "label": "Sundt liv"},
         {"id": "p3", "kind": "partnership", "label": "Fuldkornspartnerskabet"},
         {"id": "a", "label": "Miljøstyrelsen", "sector": "state"}, {"id": "b", "label": "Århus Kommune", "sector": "municipality"}],
        [{"source": "a", "target": "p1"}, {"source": "b", "target": "p2"}, {"source": "a", "target": "p3"}])


@pytest.mark.parametrize("name, folded", [("Miljø- og Fødevareministeriet", "miljo og fodevareministeriet"),
                                          ("ÆRØ", "aero"), ("  Århus  Kommune ", "arhus kommune"),
                                          ("business_association", "business association"), ("Café", "cafe")])
def test_fold_ignores_case_accents_and_separators(name, folded):
    assert fold(name) == folded


@pytest.mark.parametrize("name, sector", [("state", "state"), ("Stat", "state"), ("STATE", "state"),
                                          ("Civilsamfund", "civil_society"), ("civil society", "civil_society"),
                                          ("Kommune", "municipality"), ("viden og uddannelse", "knowledge"),
                                          ("Erhvervs- og arbejdsmarkedsorganisation", "business_association")])
def test_sectors_by_id_or_label_in_either_language(sectors, name, sector):
    assert sectors.resolve(name) == sector


def test_unknown_names_get_a_did_you_mean_and_the_flag(sectors):
    with pytest.raises(OptionError, match=r'^--sector: unknown sector "stats"; did you mean "state"\?$'):
        sectors.resolve("stats", flag="--sector")
    with pytest.raises(OptionError, match=r'unknown sector "Erhvervsliv"; did you mean "business" \(Erhverv\)\?$'):
        sectors.resolve("Erhvervsliv")
    with pytest.raises(OptionError, match="; choose one of state, region, municipality"):
        sectors.resolve("xyz")


def test_an_ambiguous_name_lists_the_candidates(twin_graph):
    with pytest.raises(OptionError) as info:
        resolve_node(twin_graph, "sundt liv", schema.PARTNERSHIP, flag="--partnership")
    assert str(info.value) == ('--partnership: "sundt liv" is ambiguous: it names 2 partnerships: "p1" (Sundt Liv), '
                               '"p2" (Sundt liv); give the id')


def test_an_exact_label_beats_a_folded_one(twin_graph):
    assert resolve_node(twin_graph, "Sundt Liv", schema.PARTNERSHIP) == "p1"
    assert resolve_node(twin_graph, "Sundt liv", schema.PARTNERSHIP) == "p2"


def test_nodes_by_id_or_label_of_their_kind(twin_graph):
    assert resolve_node(twin_graph, "p3", schema.PARTNERSHIP) == "p3"
    assert resolve_node(twin_graph, "fuldkornspartnerskabet", schema.PARTNERSHIP) == "p3"
    assert resolve_node(twin_graph, "miljostyrelsen", schema.ACTOR) == "a"
    assert resolve_node(twin_graph, "arhus kommune", schema.ACTOR) == "b"
    with pytest.raises(OptionError, match='^--partnership: "a" is an actor, not a partnership$'):
        resolve_node(twin_graph, "a", schema.PARTNERSHIP, flag="--partnership")
    with pytest.raises(OptionError, match='^"p3" is a partnership, not an actor$'):
        resolve_node(twin_graph, "p3", schema.ACTOR)
    assert node_names(twin_graph, schema.ACTOR).ids == ["a", "b"]


def test_an_id_wins_over_another_entrys_label():
    names = Names("sector", [("a", ["B"]), ("b", ["Bee"])])
    assert names.resolve("b") == "b" and names.resolve("B") == "a" and names.candidates("bee") == ["b"]


def test_groups_types_roles_and_kinds_take_their_words():
    assert group_names().resolve("Viden") == "knowledge"
    assert group_names(["public"]).candidates("knowledge") == []
    assert type_names().resolve("Styrelse") == "agency" and type_names().resolve("research institution") == "research"
    assert role_names().resolve("Leder") == "lead" and role_names().resolve("rådgiver") == "advisor"
    assert kind_names().resolve("Aktør") == "actor" and kind_names().resolve("partnerskab") == "partnership"


def test_resolve_all_keeps_order_and_drops_repeats(sectors):
    assert sectors.resolve_all(["Kommune", "stat", "municipality"]) == ["municipality", "state"]


def test_danish_letters_match_as_written_without_them(twin_graph):
    for name in ("Aarhus Kommune", "arhus kommune", "ÅRHUS KOMMUNE"):
        assert resolve_node(twin_graph, name, schema.ACTOR) == "b"
    assert resolve_node(twin_graph, "Miljoestyrelsen", schema.ACTOR) == "a"
