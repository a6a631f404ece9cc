"""Coverage, Blau diversity, E-I index and the mixing matrix, worked by hand on small graphs."""

from __future__ import annotations

import polars as pl
import pytest

from partnernet.errors import OptionError
from partnernet.metrics.coverage import coverage_table, mixing_table, present_sectors, sector_table
from partnernet.schema import DEFAULT_SECTORS

from .conftest import make_graph


@pytest.fixture
def coverage_graph():
    """P: a, b (state), c (business), d (knowledge), e (no sector).  R: all four helix groups.
    E: no members.  N: only a member without sector."""
    parts = [{"id": p, "label": f"Partnerskab {p}", "kind": "partnership"} for p in ("P", "R", "E", "N")]
    actors = [
        {"id": "a", "sector": "state"},
        {"id": "b", "sector": "state"},
        {"id": "c", "sector": "business"},
        {"id": "d", "sector": "knowledge"},
        {"id": "e"},
        {"id": "f", "sector": "civil_society"},
    ]
    members = {"P": "abcde", "R": "acdf", "N": "e"}
    edges = [{"source": a, "target": p} for p, ms in members.items() for a in ms]
    return make_graph(parts + actors, edges)


def row(table: pl.DataFrame, pid: str) -> dict:
    return table.filter(id=pid).row(0, named=True)


def test_sector_level_by_hand(coverage_graph):
    t = coverage_table(coverage_graph)
    assert t.columns == ["id", "label", "members", "present", "counts", "declared", "declared_counts", "missing", "coverage",
                         "diversity", "helix_complete"]
    assert t["id"].to_list() == ["E", "N", "P", "R"]
    p = row(t, "P")
    assert p["members"] == 5
    assert p["present"] == ["state", "business", "knowledge"]
    assert p["counts"] == [2, 1, 1]
    assert p["missing"] == ["region", "municipality", "local_gov_association", "business_association", "civil_society"]
    assert p["coverage"] == pytest.approx(3 / 8)
    # Blau over the four members with a sector: 1 − (½² + ¼² + ¼²)
    assert p["diversity"] == pytest.approx(0.625)
    assert p["helix_complete"] is False
    assert row(t, "R")["helix_complete"] is True


def test_group_level_by_hand(coverage_graph):
    t = coverage_table(coverage_graph, level="group")
    p = row(t, "P")
    assert (p["present"], p["counts"], p["missing"]) == (["public", "private", "knowledge"], [2, 1, 1], ["civil_society"])
    assert p["coverage"] == pytest.approx(0.75)
    r = row(t, "R")
    assert (r["coverage"], r["missing"], r["diversity"]) == (1.0, [], pytest.approx(0.75))


def test_require_sets_the_reference(coverage_graph):
    p = row(coverage_table(coverage_graph, require=["civil_society", "state"]), "P")
    assert p["missing"] == ["civil_society"]
    assert p["coverage"] == 0.5
    g = row(coverage_table(coverage_graph, level="group", require=["knowledge"]), "P")
    assert (g["missing"], g["coverage"]) == ([], 1.0)


def test_empty_and_sectorless_partnerships(coverage_graph):
    t = coverage_table(coverage_graph)
    e, n = row(t, "E"), row(t, "N")
    assert (e["members"], e["present"], e["coverage"], e["diversity"]) == (0, [], 0.0, None)
    assert (n["members"], n["present"], n["diversity"]) == (1, [], None)
    assert len(e["missing"]) == len(DEFAULT_SECTORS)


@pytest.fixture
def declared_graph():
    """P: a, b (state), c (business) and declared business:2, civil_society:3.
    Q: a and declared municipality:4, knowledge:1.  E: no member, declared state:1.  F: c, nothing declared."""
    return make_graph(
        [{"id": "P", "kind": "partnership", "declared": {"business": 2, "civil_society": 3}},
         {"id": "Q", "kind": "partnership", "declared": {"municipality": 4, "knowledge": 1}},
         {"id": "E", "kind": "partnership", "declared": {"state": 1}},
         {"id": "F", "kind": "partnership"},
         {"id": "a", "sector": "state"}, {"id": "b", "sector": "state"}, {"id": "c", "sector": "business"}],
        [{"source": "a", "target": "P"}, {"source": "b", "target": "P"}, {"source": "c", "target": "P"},
         {"source": "a", "target": "Q"}, {"source": "c", "target": "F"}],
    )


def test_declared_sectors_are_present_by_hand(declared_graph):
    t = coverage_table(declared_graph)
    p = row(t, "P")
    assert (p["members"], p["present"], p["counts"]) == (3, ["state", "business"], [2, 1])
    assert (p["declared"], p["declared_counts"]) == (["business", "civil_society"], [2, 3])
    assert p["missing"] == ["region", "municipality", "local_gov_association", "business_association", "knowledge"]
    assert p["coverage"] == pytest.approx(3 / 8)
    # Blau with unnamed members counted: state 2, business 1 + 2, civil society 3 of 8: 1 − (4 + 9 + 9) / 64
    assert p["diversity"] == pytest.approx(1 - 22 / 64)
    assert p["helix_complete"] is False  # no knowledge
    q = row(t, "Q")
    assert (q["present"], q["declared"], q["declared_counts"]) == (["state"], ["municipality", "knowledge"], [4, 1])
    assert q["missing"] == ["region", "local_gov_association", "business", "business_association", "civil_society"]
    assert q["diversity"] == pytest.approx(1 - (1 + 16 + 1) / 36)  # state 1, municipality 4, knowledge 1
    e = row(t, "E")
    assert (e["members"], e["present"], e["declared"], e["coverage"], e["diversity"]) == (0, [], ["state"], 1 / 8, 0.0)
    f = row(t, "F")
    assert (f["declared"], f["declared_counts"], f["diversity"]) == ([], [], 0.0)


def test_declared_groups_and_helix_by_hand(declared_graph):
    t = coverage_table(declared_graph, level="group")
    p = row(t, "P")
    assert (p["present"], p["declared"], p["declared_counts"]) == (["public", "private"], ["private", "civil_society"], [2, 3])
    assert (p["missing"], p["coverage"], p["diversity"]) == (["knowledge"], 0.75, pytest.approx(1 - 22 / 64))
    q = row(t, "Q")
    assert (q["declared"], q["declared_counts"], q["missing"]) == (["public", "knowledge"], [4, 1], ["private", "civil_society"])
    assert q["diversity"] == pytest.approx(1 - (25 + 1) / 36)  # public 1 + 4, knowledge 1
    helix = make_graph([{"id": "H", "kind": "partnership", "declared": {"business": 1, "civil_society": 1, "knowledge": 2}},
                        {"id": "a", "sector": "state"}], [{"source": "a", "target": "H"}])
    assert row(coverage_table(helix), "H")["helix_complete"] is True


def test_declared_sectors_meet_the_required_reference(declared_graph):
    p = row(coverage_table(declared_graph, require=["civil_society", "knowledge"]), "P")
    assert (p["missing"], p["coverage"]) == (["knowledge"], 0.5)


def test_present_sectors_is_named_or_declared(declared_graph):
    ids = list(DEFAULT_SECTORS.ids)
    present = present_sectors(declared_graph)
    assert [[ids[k] for k in range(len(ids)) if present[j, k]] for j in range(4)] == [
        ["state"], ["business"], ["state", "business", "civil_society"], ["state", "municipality", "knowledge"]]  # E, F, P, Q


def test_bundled_fuldkorn_and_sundere_liv_show_declared_sectors_present():
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    t = coverage_table(build_graph(load(locate())))
    f = row(t, "p-fuldkorn")
    assert (f["members"], f["present"]) == (1, ["state"])
    assert (f["declared"], f["declared_counts"]) == (["business", "business_association", "civil_society", "knowledge"],
                                                     [5, 1, 1, 1])
    assert f["missing"] == ["region", "municipality", "local_gov_association"]
    assert f["helix_complete"] is True
    s = row(t, "p-sundere-liv")
    assert s["declared"] == ["region", "municipality", "business", "business_association", "civil_society"]
    assert s["missing"] == ["local_gov_association", "knowledge"]
    assert s["coverage"] == pytest.approx(6 / 8)
    h = row(t, "p-hjemloesestrategi")
    assert (h["declared"], h["declared_counts"]) == (["municipality"], [8]) and "municipality" not in h["missing"]


def test_require_takes_labels(coverage_graph):
    by_id = coverage_table(coverage_graph, require=["civil_society", "state"])
    assert coverage_table(coverage_graph, require=["Civilsamfund", "STAT"]).equals(by_id)
    by_group = coverage_table(coverage_graph, level="group", require=["knowledge"])
    assert coverage_table(coverage_graph, level="group", require=["Viden"]).equals(by_group)


def test_option_errors(coverage_graph):
    with pytest.raises(OptionError, match='unknown sector "stats"; did you mean "state"\\?'):
        coverage_table(coverage_graph, require=["stats"])
    with pytest.raises(OptionError, match="unknown group"):
        coverage_table(coverage_graph, level="group", require=["state"])
    with pytest.raises(OptionError, match="unknown level"):
        coverage_table(coverage_graph, level="helix")
    with pytest.raises(OptionError, match="names no"):
        coverage_table(coverage_graph, require=[])


@pytest.fixture
def ei_graph():
    """P: a, b (state), c (business); Q: a, b.  Ties c–d (knowledge), a–e (no sector)."""
    return make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "Q", "kind": "partnership"},
         {"id": "a", "sector": "state"}, {"id": "b", "sector": "state"}, {"id": "c", "sector": "business"},
         {"id": "d", "sector": "knowledge"}, {"id": "e"}],
        [{"source": x, "target": "P"} for x in "abc"]
        + [{"source": x, "target": "Q"} for x in "ab"]
        + [{"source": "c", "target": "d", "weight": 5.0}, {"source": "a", "target": "e"}],
    )


def test_sector_table_by_hand(ei_graph):
    t = sector_table(ei_graph)
    assert t["id"].to_list() == list(DEFAULT_SECTORS.ids)
    assert t.columns == ["id", "label_da", "label_en", "group", "actors", "partnerships", "internal", "external", "ei_index"]
    state = row(t, "state")
    # a–b is one pair although it shares two partnerships; a–e is left out (e has no sector).
    assert (state["actors"], state["partnerships"], state["internal"], state["external"]) == (2, 2, 1, 2)
    assert state["ei_index"] == pytest.approx(1 / 3)
    assert (state["label_da"], state["group"]) == ("Stat", "public")
    business = row(t, "business")
    assert (business["partnerships"], business["internal"], business["external"], business["ei_index"]) == (1, 0, 3, 1.0)
    assert row(t, "knowledge")["external"] == 1
    assert row(t, "region")["ei_index"] is None


def test_mixing_table_by_hand(ei_graph):
    m = mixing_table(ei_graph)
    assert m.columns == ["id", *DEFAULT_SECTORS.ids]
    assert all(m.schema[s] == pl.Int64 for s in DEFAULT_SECTORS.ids)
    assert row(m, "state")["state"] == 1
    assert row(m, "state")["business"] == row(m, "business")["state"] == 2
    # direct ties are not co-memberships
    assert row(m, "business")["knowledge"] == 0
    matrix = m.drop("id").to_numpy()
    assert (matrix == matrix.T).all()
    assert matrix.sum() == 1 + 2 + 2


def test_custom_vocabulary_order():
    from partnernet.schema import Sector, Vocabulary

    vocab = Vocabulary((Sector("b", "B", "B", "private", "#000"), Sector("a", "A", "A", "public", "#111")))
    g = make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "x", "sector": "a"}, {"id": "y", "sector": "b"}],
        [{"source": "x", "target": "P"}, {"source": "y", "target": "P"}],
        sectors=vocab,
    )
    assert coverage_table(g)["present"].to_list() == [["b", "a"]]
    assert sector_table(g)["id"].to_list() == ["b", "a"]
    assert mixing_table(g).columns == ["id", "b", "a"]


def test_graph_untouched(ei_graph):
    before = (list(ei_graph.nodes(data=True)), list(ei_graph.edges(data=True)))
    coverage_table(ei_graph), sector_table(ei_graph), mixing_table(ei_graph)
    assert (list(ei_graph.nodes(data=True)), list(ei_graph.edges(data=True))) == before


@pytest.mark.parametrize("seed", range(4))
def test_block_wise_pair_counts_equal_the_actor_network(seed, monkeypatch):
    """E-I counts and the mixing matrix, counted in many small blocks, against the actor network itself."""
    import partnernet.graph as G
    from partnernet.graph import actor_network

    from .test_graph import random_two_mode

    monkeypatch.setattr(G, "BLOCK_ENTRIES", 20)
    g = random_two_mode(seed)
    h = actor_network(g)
    ids = list(DEFAULT_SECTORS.ids)
    internal = dict.fromkeys(ids, 0)
    external = dict.fromkeys(ids, 0)
    mixing = {(a, b): 0 for a in ids for b in ids}
    for u, v, d in h.edges(data=True):
        su, sv = h.nodes[u]["sector"], h.nodes[v]["sector"]
        if su is None or sv is None:
            continue
        if su == sv:
            internal[su] += 1
        else:
            external[su] += 1
            external[sv] += 1
        if d["shared"]:
            mixing[su, sv] += 1
            if su != sv:
                mixing[sv, su] += 1
    t = sector_table(g)
    assert dict(zip(t["id"], t["internal"])) == internal
    assert dict(zip(t["id"], t["external"])) == external
    m = mixing_table(g)
    for row in m.iter_rows(named=True):
        for b in ids:
            assert row[b] == mixing[row["id"], b]


@pytest.mark.parametrize("seed", range(3))
def test_coverage_equals_a_per_partnership_count(seed):
    from partnernet.graph import members, partnerships

    from .test_graph import random_two_mode

    g = random_two_mode(seed)
    t = coverage_table(g)
    ids = list(DEFAULT_SECTORS.ids)
    for p in partnerships(g):
        row = t.filter(id=p).row(0, named=True)
        sectors = [g.nodes[a]["sector"] for a in members(g, p)]
        counts = {s: sectors.count(s) for s in ids if s in sectors}
        known = sum(counts.values())
        assert row["members"] == len(sectors)
        assert row["present"] == list(counts) and row["counts"] == list(counts.values())
        assert row["missing"] == [s for s in ids if s not in counts]
        assert row["coverage"] == pytest.approx(len(counts) / len(ids))
        if known:
            assert row["diversity"] == pytest.approx(1 - sum((c / known) ** 2 for c in counts.values()))
        else:
            assert row["diversity"] is None
