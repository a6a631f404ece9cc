"""Brokerage roles counted by hand and by brute force; Burt's measures against networkx."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.graph import actor_network
from partnernet.metrics.brokerage import ROLES, brokerage_table

from .conftest import make_graph


def ties_graph(sectors: dict[str, str | None], ties: list[tuple[str, str]], weights=None):
    return make_graph(
        [{"id": a, "sector": s} if s else {"id": a} for a, s in sectors.items()],
        [{"source": u, "target": v, "weight": (weights or {}).get((u, v), 1.0)} for u, v in ties],
    )


def roles_of(table, actor: str) -> dict:
    return {k: v for k, v in table.filter(id=actor).row(0, named=True).items() if k in (*ROLES, "total", "cross_sector")}


def brute_force(h: nx.Graph) -> dict[str, dict[str, int]]:
    """Directed open two-paths a → b → c over every ordered pair of b's neighbours."""
    out = {}
    for b in h:
        counts = dict.fromkeys(ROLES, 0)
        gb = h.nodes[b].get("sector")
        for a, c in itertools.permutations(h[b], 2):
            ga, gc = h.nodes[a].get("sector"), h.nodes[c].get("sector")
            if h.has_edge(a, c) or None in (ga, gb, gc):
                continue
            if ga == gb == gc:
                counts["coordinator"] += 1
            elif ga == gc:
                counts["itinerant"] += 1
            elif gb == gc:
                counts["gatekeeper"] += 1
            elif ga == gb:
                counts["representative"] += 1
            else:
                counts["liaison"] += 1
        out[b] = counts if gb is not None else dict.fromkeys(ROLES)
    return out


def test_itinerant_path():
    t = brokerage_table(ties_graph({"a": "state", "b": "business", "c": "state"}, [("a", "b"), ("b", "c")]))
    assert t.columns == ["id", "label", "sector", *ROLES, "total", "cross_sector", "constraint", "effective_size"]
    assert roles_of(t, "b") == {
        "coordinator": 0, "itinerant": 2, "gatekeeper": 0, "representative": 0, "liaison": 0, "total": 2, "cross_sector": 2,
    }
    assert roles_of(t, "a")["total"] == 0


def test_star_by_hand():
    # b (state) with partners x (state), y, w (business), z (knowledge), none linked to each other.
    # Open pairs: {x,y} {x,z} {x,w} mixed; {y,z} {z,w} liaison; {y,w} itinerant.
    # Each pair is read both ways: mixed → one gatekeeper + one representative path.
    sectors = {"b": "state", "x": "state", "y": "business", "w": "business", "z": "knowledge"}
    star = ties_graph(sectors, [("b", v) for v in "xyzw"])
    assert roles_of(brokerage_table(star), "b") == {
        "coordinator": 0, "itinerant": 2, "gatekeeper": 3, "representative": 3, "liaison": 4, "total": 12, "cross_sector": 12,
    }
    closed = ties_graph(sectors, [("b", v) for v in "xyzw"] + [("y", "w")])
    assert roles_of(brokerage_table(closed), "b")["itinerant"] == 0
    with_peer = ties_graph(sectors | {"v": "state"}, [("b", v) for v in "xyzwv"])
    assert roles_of(brokerage_table(with_peer), "b")["coordinator"] == 2


def test_unknown_sectors_are_not_counted():
    t = brokerage_table(ties_graph({"a": "state", "b": None, "c": "business", "d": None}, [("a", "b"), ("b", "c"), ("a", "d"), ("a", "c")]))
    assert set(roles_of(t, "b").values()) == {None}
    assert roles_of(t, "a")["total"] == 0


def test_co_membership_counts_as_a_link():
    g = make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "a", "sector": "state"}, {"id": "b", "sector": "business"},
         {"id": "c", "sector": "knowledge"}],
        [{"source": "a", "target": "P"}, {"source": "b", "target": "P"}, {"source": "b", "target": "c"}],
    )
    assert roles_of(brokerage_table(g), "b")["liaison"] == 2


def test_constraint_and_effective_size_by_hand():
    star = ties_graph({"b": "state", "x": "state", "y": "business", "z": "knowledge", "w": "business", "i": "state"},
                      [("b", v) for v in "xyzw"])
    t = brokerage_table(star)
    center = t.filter(id="b").row(0, named=True)
    assert center["constraint"] == pytest.approx(4 * (1 / 4) ** 2)
    assert center["effective_size"] == pytest.approx(4.0)
    leaf = t.filter(id="x").row(0, named=True)
    assert (leaf["constraint"], leaf["effective_size"]) == (pytest.approx(1.0), pytest.approx(1.0))
    isolate = t.filter(id="i").row(0, named=True)
    assert isolate["constraint"] is None and isolate["effective_size"] is None


def test_florentine_structural_holes_equal_networkx():
    h = nx.florentine_families_graph()
    g = ties_graph({n: "state" for n in h}, list(h.edges))
    t = brokerage_table(g)
    con, es = nx.constraint(h), nx.effective_size(h)
    for r in t.iter_rows(named=True):
        assert r["constraint"] == pytest.approx(con[r["id"]])
        assert r["effective_size"] == pytest.approx(es[r["id"]])


SECTORS = st.sampled_from(["state", "business", "knowledge", None])


@st.composite
def small_networks(draw):
    n = draw(st.integers(1, 14))
    sectors = {f"a{i:02d}": draw(SECTORS) for i in range(n)}
    n_part = draw(st.integers(0, 4))
    pairs = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1]), max_size=25))
    memberships = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, max(n_part - 1, 0))), max_size=20)) if n_part else set()
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=len(pairs), max_size=len(pairs)))
    nodes = [{"id": a, "sector": s} for a, s in sectors.items()] + [{"id": f"p{j}", "kind": "partnership"} for j in range(n_part)]
    edges = [{"source": f"a{i:02d}", "target": f"a{j:02d}", "weight": w} for (i, j), w in zip(sorted(pairs), weights)]
    edges += [{"source": f"a{i:02d}", "target": f"p{j}"} for i, j in sorted(memberships)]
    return make_graph(nodes, edges)


@settings(max_examples=60, deadline=None)
@given(small_networks())
def test_equals_brute_force_and_networkx(g):
    h = actor_network(g)
    t = brokerage_table(g)
    expected = brute_force(h)
    constraint = nx.constraint(h, nodes=list(h), weight="weight")
    # networkx' vectorised all-nodes path mis-normalises weighted graphs (networkx PR #8906);
    # its per-node path is the definition.
    effective = nx.effective_size(h, nodes=list(h), weight="weight")
    for r in t.iter_rows(named=True):
        assert {k: r[k] for k in ROLES} == expected[r["id"]]
        for col, ref in (("constraint", constraint), ("effective_size", effective)):
            x = ref[r["id"]]
            assert (r[col] is None) if x != x else r[col] == pytest.approx(x)


def test_sorted_by_id_and_graph_untouched(tiny_graph):
    before = (list(tiny_graph.nodes(data=True)), list(tiny_graph.edges(data=True)))
    t = brokerage_table(tiny_graph)
    assert t["id"].to_list() == ["a", "b", "c", "d"]
    assert roles_of(t, "b")["liaison"] == 2
    assert (list(tiny_graph.nodes(data=True)), list(tiny_graph.edges(data=True))) == before


@pytest.mark.parametrize("seed", range(4))
def test_block_wise_path_equals_reference_on_random_two_mode_graphs(seed, monkeypatch):
    """Larger random graphs (overlapping partnerships, ties, unknown sectors), split into many small blocks."""
    import partnernet.graph as G
    import partnernet.metrics.brokerage as B

    from .test_graph import random_two_mode

    monkeypatch.setattr(G, "BLOCK_ENTRIES", 60)
    monkeypatch.setattr(B, "_BUFFER_CELLS", 80)
    monkeypatch.setattr(B, "_GATHER_CELLS", 150)
    g = random_two_mode(seed, n_actors=40, n_parts=10, n_ties=20, max_size=12)
    h = actor_network(g)
    t = brokerage_table(g)
    expected = brute_force(h)
    constraint = nx.constraint(h, nodes=list(h), weight="weight")
    effective = nx.effective_size(h, nodes=list(h), weight="weight")
    for r in t.iter_rows(named=True):
        assert {k: r[k] for k in ROLES} == expected[r["id"]]
        if r["total"] is not None:
            assert r["total"] == sum(expected[r["id"]].values())
            assert r["cross_sector"] == r["total"] - r["coordinator"]
        for col, ref in (("constraint", constraint), ("effective_size", effective)):
            x = ref[r["id"]]
            assert (r[col] is None) if x != x else r[col] == pytest.approx(x, rel=1e-9, abs=1e-12)
