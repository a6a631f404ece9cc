"""Centrality against published values (Florentine families), networkx and hand-worked two-mode examples."""

from __future__ import annotations

import random
import warnings

import networkx as nx
import numpy as np
import polars as pl
import pytest
from .conftest import make_graph
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.errors import OptionError
from partnernet.graph import actor_network
from partnernet.metrics import _engine as E
from partnernet.metrics.centrality import (
    DEFAULT_SAMPLES,
    EXACT_MAX_NODES,
    betweenness_samples,
    centrality_table,
    partnership_table,
)

MEASURES = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")


def one_mode(h: nx.Graph):
    """A partnernet graph with the nodes and edges of ``h`` as actors and direct ties."""
    nodes = [{"id": str(n)} for n in sorted(h, key=str)]
    edges = [{"source": str(u), "target": str(v), "weight": float(d.get("weight", 1.0))} for u, v, d in h.edges(data=True)]
    return make_graph(nodes, edges)


def as_dict(table: pl.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(table["id"].to_list(), table[column].to_list()))


def assert_close(got: dict, expected: dict, tol: float = 1e-9) -> None:
    assert set(got) == set(map(str, expected))
    for k, v in expected.items():
        assert got[str(k)] == pytest.approx(v, abs=tol), k


@pytest.fixture
def florentine():
    return nx.florentine_families_graph()


@pytest.fixture
def path_two_mode():
    """a1 – P – a2 – Q – a3: a two-mode path, worked by hand below."""
    return make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "Q", "kind": "partnership"}]
        + [{"id": a} for a in ("a1", "a2", "a3")],
        [{"source": "a1", "target": "P"}, {"source": "a2", "target": "P"},
         {"source": "a2", "target": "Q"}, {"source": "a3", "target": "Q"}],
    )


# --- one-mode: Florentine families (Padgett) ------------------------------------------------


def test_florentine_published_values(florentine):
    t = centrality_table(one_mode(florentine))
    medici = t.filter(id="Medici").row(0, named=True)
    assert medici["betweenness"] == pytest.approx(0.522, abs=5e-4)
    assert medici["degree"] == pytest.approx(6 / 14)
    assert medici["closeness"] == pytest.approx(14 / 25)
    assert t.sort("betweenness", descending=True)["id"][0] == "Medici"


@pytest.mark.parametrize("graph", ["two-mode", "actors"])
def test_florentine_equals_networkx(florentine, graph):
    t = centrality_table(one_mode(florentine), graph=graph)
    assert_close(as_dict(t, "degree"), nx.degree_centrality(florentine))
    assert_close(as_dict(t, "betweenness"), nx.betweenness_centrality(florentine, normalized=True))
    assert_close(as_dict(t, "closeness"), nx.closeness_centrality(florentine))
    assert_close(as_dict(t, "eigenvector"), nx.eigenvector_centrality(florentine, weight="weight"), 1e-6)
    assert_close(as_dict(t, "pagerank"), nx.pagerank(florentine, weight="weight"), 1e-8)


def test_ties_only_modes_coincide():
    h = nx.les_miserables_graph()
    g = one_mode(h)
    assert centrality_table(g).equals(centrality_table(g, graph="actors"))


def test_disconnected_weighted_one_mode_equals_networkx():
    h = nx.disjoint_union(nx.florentine_families_graph(), nx.path_graph(4))
    h.add_node("isolate")
    rnd = random.Random(3)
    for u, v in h.edges:
        h[u][v]["weight"] = rnd.choice([0.5, 1.0, 3.0])
    t = centrality_table(one_mode(h))
    assert_close(as_dict(t, "degree"), nx.degree_centrality(h))
    assert_close(as_dict(t, "betweenness"), nx.betweenness_centrality(h))
    assert_close(as_dict(t, "closeness"), nx.closeness_centrality(h))
    assert_close(as_dict(t, "pagerank"), nx.pagerank(h, weight="weight"), 1e-8)
    assert as_dict(t, "closeness")["isolate"] == 0.0


def test_rustworkx_equals_networkx(florentine, monkeypatch):
    for h in (florentine, nx.disjoint_union(florentine, nx.star_graph(5))):
        net = E.two_mode_net(one_mode(h))
        fast = E.raw_betweenness(net)
        monkeypatch.setattr(E, "rx", None)
        slow = E.raw_betweenness(net)
        monkeypatch.undo()
        np.testing.assert_allclose(fast, slow, atol=1e-12)


def test_rustworkx_raw_betweenness_matches_networkx_by_node(florentine):
    net = E.two_mode_net(one_mode(florentine))
    raw = dict(zip(net.ids, E.raw_betweenness(net)))
    assert_close(raw, nx.betweenness_centrality(florentine, normalized=False))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 30), st.floats(0.0, 0.3), st.integers(0, 10_000))
def test_distance_sums_match_bfs(n, p, seed):
    h = nx.gnp_random_graph(n, p, seed=seed)
    net = E.two_mode_net(one_mode(h))
    sums, reach = E.distance_sums(net, words=1)
    for i, node in enumerate(net.ids):
        d = nx.single_source_shortest_path_length(h, int(node))
        assert sums[i] == sum(d.values())
        assert reach[i] == len(d)


def test_actor_mode_equals_networkx_on_actor_network(tiny_graph):
    h = actor_network(tiny_graph)
    t = centrality_table(tiny_graph, graph="actors")
    assert_close(as_dict(t, "degree"), nx.degree_centrality(h))
    assert_close(as_dict(t, "betweenness"), nx.betweenness_centrality(h))
    assert_close(as_dict(t, "closeness"), nx.closeness_centrality(h))
    assert_close(as_dict(t, "eigenvector"), nx.eigenvector_centrality(h, weight="weight", max_iter=1000), 1e-6)
    assert_close(as_dict(t, "pagerank"), nx.pagerank(h, weight="weight"), 1e-8)


# --- two-mode: Borgatti–Everett -------------------------------------------------------------


def test_two_mode_path_by_hand(path_two_mode):
    # Raw betweenness on the path a1-P-a2-Q-a3: P 3, a2 4, Q 3 (pairs counted once).
    # Borgatti–Everett maxima with 3 actors, 2 partnerships: actors 4, partnerships 5.
    # Closeness: distance sums a1 10, a2 6, P 7; minimal sums actor 2+2·2=6, partnership 3+2·1=5.
    t = centrality_table(path_two_mode)
    assert as_dict(t, "betweenness") == pytest.approx({"a1": 0.0, "a2": 1.0, "a3": 0.0})
    assert as_dict(t, "degree") == pytest.approx({"a1": 0.5, "a2": 1.0, "a3": 0.5})
    assert as_dict(t, "closeness") == pytest.approx({"a1": 0.6, "a2": 1.0, "a3": 0.6})
    p = partnership_table(path_two_mode)
    assert as_dict(p, "betweenness") == pytest.approx({"P": 0.6, "Q": 0.6})
    assert as_dict(p, "degree") == pytest.approx({"P": 2 / 3, "Q": 2 / 3})
    assert as_dict(p, "closeness") == pytest.approx({"P": 5 / 7, "Q": 5 / 7})


def test_two_mode_equals_networkx_bipartite_when_connected():
    b = nx.bipartite.random_graph(14, 6, 0.35, seed=11)
    b = b.subgraph(max(nx.connected_components(b), key=len)).copy()
    top = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    name = {n: (f"a{n:02d}" if n in top else f"p{n:02d}") for n in b}
    g = make_graph(
        [{"id": name[n]} if n in top else {"id": name[n], "kind": "partnership"} for n in b],
        [{"source": name[u], "target": name[v]} for u, v in b.edges],
    )
    actors, parts = centrality_table(g), partnership_table(g)
    for col, ref in (
        ("degree", nx.bipartite.degree_centrality(b, top)),
        ("betweenness", nx.bipartite.betweenness_centrality(b, top)),
        ("closeness", nx.bipartite.closeness_centrality(b, top)),
    ):
        got = as_dict(actors, col) | as_dict(parts, col)
        assert_close(got, {name[n]: v for n, v in ref.items()})


def test_two_mode_closeness_stays_within_unit_interval_when_disconnected(path_two_mode):
    g = make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "Q", "kind": "partnership"}, {"id": "R", "kind": "partnership"}]
        + [{"id": a} for a in ("a1", "a2", "a3", "b1")],
        [{"source": "a1", "target": "P"}, {"source": "a2", "target": "P"},
         {"source": "a2", "target": "Q"}, {"source": "a3", "target": "Q"}, {"source": "b1", "target": "R"}],
    )
    t = centrality_table(g)
    # b1 reaches only R: minimal sum 1, actual 1, reach (2-1)/(7-1).
    assert as_dict(t, "closeness")["b1"] == pytest.approx(1 / 6)
    assert as_dict(t, "closeness")["a2"] == pytest.approx(1.0 * 4 / 6)
    assert t["closeness"].max() <= 1.0


def test_mixed_graph_uses_standard_normalisation(tiny_graph):
    h = nx.Graph(tiny_graph)
    t, p = centrality_table(tiny_graph), partnership_table(tiny_graph)
    for col, ref in (
        ("degree", nx.degree_centrality(h)),
        ("betweenness", nx.betweenness_centrality(h)),
        ("closeness", nx.closeness_centrality(h)),
    ):
        assert_close(as_dict(t, col) | as_dict(p, col), ref)


def test_partnerships_and_partners_columns(tiny_graph):
    t = centrality_table(tiny_graph)
    assert t.columns == ["id", "label", "sector", "type", "partnerships", "partners", *MEASURES]
    assert t.schema["partnerships"] == pl.Int64 and t.schema["pagerank"] == pl.Float64
    assert t["id"].to_list() == ["a", "b", "c", "d"]
    assert as_dict(t, "partnerships") == {"a": 1, "b": 2, "c": 1, "d": 0}
    assert as_dict(t, "partners") == {"a": 1, "b": 2, "c": 2, "d": 1}
    assert t.filter(id="b")["label"].item() == "Ørsted"


def test_partnership_table_columns(tiny_graph):
    p = partnership_table(tiny_graph)
    assert p.columns == ["id", "label", "members", "betweenness", "degree", "closeness", "sectors"]
    assert p.rows() == [
        ("p1", "Partnerskab 1", 2, *p.filter(id="p1").select("betweenness", "degree", "closeness").row(0), 2),
        ("p2", "Partnerskab 2", 2, *p.filter(id="p2").select("betweenness", "degree", "closeness").row(0), 2),
    ]
    assert as_dict(p, "betweenness")["p2"] > as_dict(p, "betweenness")["p1"]


def test_single_actor():
    t = centrality_table(make_graph([{"id": "x"}], []))
    assert t.select(MEASURES).row(0) == (1.0, 0.0, 0.0, 1.0, 1.0)


# --- sampling --------------------------------------------------------------------------------


def test_betweenness_samples_threshold():
    small = one_mode(nx.path_graph(10))
    assert betweenness_samples(small) is None
    assert betweenness_samples(small, samples=4) == 4
    assert betweenness_samples(small, samples=50) is None
    big = one_mode(nx.empty_graph(EXACT_MAX_NODES + 1))
    assert betweenness_samples(big) == DEFAULT_SAMPLES
    assert betweenness_samples(big, exact=True) is None
    with pytest.raises(OptionError, match="not both"):
        betweenness_samples(small, exact=True, samples=5)
    with pytest.raises(OptionError, match="at least 2"):
        betweenness_samples(small, samples=1)
    with pytest.raises(OptionError, match="unknown graph"):
        betweenness_samples(small, graph="bipartite")


@pytest.mark.parametrize("k", [2, 7, 30])
def test_sampled_betweenness_is_networkx_estimator(k):
    h = nx.relabel_nodes(nx.les_miserables_graph(), {n: n.replace(" ", "_") for n in nx.les_miserables_graph()})
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(h))
    ordered.add_edges_from(h.edges)
    t = centrality_table(one_mode(h), samples=k, seed=7)
    assert_close(as_dict(t, "betweenness"), nx.betweenness_centrality(ordered, k=k, seed=7))


def test_sampling_is_seeded():
    g = one_mode(nx.les_miserables_graph())
    a = centrality_table(g, samples=10, seed=1)
    assert a.equals(centrality_table(g, samples=10, seed=1))
    assert not a.equals(centrality_table(g, samples=10, seed=2))


# --- purity and determinism ------------------------------------------------------------------


def test_graph_untouched_and_order_independent(tiny_graph):
    before = (list(tiny_graph.nodes(data=True)), list(tiny_graph.edges(data=True)))
    first = centrality_table(tiny_graph)
    partnership_table(tiny_graph)
    assert (list(tiny_graph.nodes(data=True)), list(tiny_graph.edges(data=True))) == before
    nodes = [dict(d, id=n) for n, d in tiny_graph.nodes(data=True)]
    edges = [{"source": u, "target": v, "weight": d["weight"], "role": d["role"]} for u, v, d in tiny_graph.edges(data=True)]
    random.Random(5).shuffle(nodes)
    random.Random(6).shuffle(edges)
    assert centrality_table(make_graph(nodes, edges)).equals(first)


def test_eigenvector_fallback_matches_numpy(florentine):
    net = E.two_mode_net(one_mode(florentine))
    fallback = dict(zip(net.ids, E.eigenvector(net, max_iter=1)))
    assert_close(fallback, nx.eigenvector_centrality_numpy(florentine), 1e-8)


def test_every_table_handles_an_empty_time_slice():
    from partnernet import metrics as M
    from partnernet.graph import as_of

    g = make_graph([{"id": "p", "kind": "partnership", "start": 2010}, {"id": "a", "sector": "state", "start": 2010}],
                   [{"source": "a", "target": "p"}])
    h = as_of(g, 2000)
    assert h.number_of_nodes() == 0
    for table in (M.centrality_table, M.partnership_table, M.coverage_table, M.gaps_table, M.brokerage_table,
                  M.community_table, M.community_sector_table):
        assert table(h).height == 0
    assert M.centrality_table(h, graph="actors").height == 0
    assert M.sector_table(h)["actors"].sum() == 0
    assert M.mixing_table(h).drop("id").sum_horizontal().sum() == 0


def test_estimated_closeness_exact_where_distances_are_uniform():
    # A clique (every distance 1) and a path component without sampled sources: estimates are exact.
    h = nx.disjoint_union(nx.complete_graph(30), nx.path_graph(3))
    g = one_mode(h)
    net = E.two_mode_net(g)
    for seed in (1, 2, 3):
        sources = E.sample_sources(net, 5, seed)
        sums, reach = E.estimated_distance_sums(net, 5, seed)
        exact_sums, exact_reach = E.distance_sums(net)
        np.testing.assert_array_equal(reach, exact_reach)
        clique = [i for i, x in enumerate(net.ids) if int(x) < 30]
        np.testing.assert_allclose(sums[clique], exact_sums[clique])
        path = [i for i, x in enumerate(net.ids) if int(x) >= 30]
        if not set(path) & set(sources):
            np.testing.assert_allclose(sums[path], exact_sums[path])


def test_estimated_closeness_is_close():
    h = nx.les_miserables_graph()
    exact = centrality_table(one_mode(h))
    approx = centrality_table(one_mode(h), samples=50, seed=3)
    rel = (approx["closeness"] - exact["closeness"]).abs() / exact["closeness"]
    assert rel.max() < 0.1
    assert approx["degree"].equals(exact["degree"]) and approx["pagerank"].equals(exact["pagerank"])


@pytest.mark.parametrize("module", ["ranking", "brokerage", "centrality", "communities", "coverage", "gaps"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"partnernet.metrics.{module}"))
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("seed", range(6))
def test_small_component_search_numbers_components_as_scipy(seed):
    """Small networks skip importing scipy's csgraph; the labels are the ones it would give."""

    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    from partnernet.metrics._engine import _small_components

    g = nx.gnm_random_graph(200, random.Random(seed).randint(20, 300), seed=seed)
    a = sp.csr_array(nx.to_scipy_sparse_array(g))
    expected = connected_components(a, directed=False)[1]
    labels = _small_components(a.indptr, a.indices, 200)
    assert labels.tolist() == expected.tolist() and labels.dtype == expected.dtype


# --- weights at the bounds validation allows ----------------------------------------------------


@pytest.mark.parametrize("scale", [1e12 / 3, 1e-12 * 3])
def test_weights_at_the_bounds_give_the_measures_of_unit_weights(scale, tiny_graph):
    """Weights near the bounds validation accepts give the two-mode eigenvector and PageRank of the same
    network with the weights divided back, and no measure raises a numpy warning. (The actor network adds
    shared-partnership counts to tie weights, so its measures depend on the scale by design.)"""
    from partnernet.metrics.brokerage import brokerage_table
    from partnernet.metrics.communities import community_table

    base = [{"source": u, "target": v, "weight": d["weight"]} for u, v, d in tiny_graph.edges(data=True)]
    nodes = [{"id": n, **{k: d[k] for k in ("label", "kind", "sector")}} for n, d in tiny_graph.nodes(data=True)]
    scaled = make_graph(nodes, [{**e, "weight": e["weight"] * scale} for e in base])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got, expected = centrality_table(scaled), centrality_table(tiny_graph)
        for measure in ("eigenvector", "pagerank"):
            assert_close(as_dict(got, measure), as_dict(expected, measure), tol=1e-5)
        centrality_table(scaled, graph="actors")
        brokerage_table(scaled)
        community_table(scaled)
