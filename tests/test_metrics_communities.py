"""Louvain communities: numbering, determinism, modularity and the sector cross table."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from partnernet.metrics.communities import community_sector_table, community_table, modularity
from partnernet.schema import DEFAULT_SECTORS

from .conftest import make_graph


def two_cliques(shuffle_seed: int | None = None):
    """Clique of five state actors (s0–s4) and of three business actors (b0–b2), one bridge s0–b0."""
    nodes = [{"id": f"s{i}", "sector": "state"} for i in range(5)] + [{"id": f"b{i}", "sector": "business"} for i in range(3)]
    edges = [{"source": f"s{i}", "target": f"s{j}"} for i in range(5) for j in range(i + 1, 5)]
    edges += [{"source": f"b{i}", "target": f"b{j}"} for i in range(3) for j in range(i + 1, 3)]
    edges += [{"source": "s0", "target": "b0"}]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(nodes)
        random.Random(shuffle_seed + 1).shuffle(edges)
    return make_graph(nodes, edges)


def test_two_cliques_numbered_by_size():
    t = community_table(two_cliques())
    assert t.columns == ["id", "label", "sector", "community"]
    assert t["id"].to_list() == sorted(t["id"].to_list())
    got = dict(zip(t["id"], t["community"]))
    assert {got[f"s{i}"] for i in range(5)} == {0}
    assert {got[f"b{i}"] for i in range(3)} == {1}


def test_equal_sizes_ordered_by_smallest_id():
    g = make_graph([{"id": x} for x in "dcba"], [{"source": "c", "target": "d"}, {"source": "a", "target": "b"}])
    assert community_table(g)["community"].to_list() == [0, 0, 1, 1]


def test_modularity_matches_networkx():
    g = two_cliques()
    h = nx.Graph()
    h.add_edges_from((e[0], e[1]) for e in nx.Graph(g).edges)
    parts = [{f"s{i}" for i in range(5)}, {f"b{i}" for i in range(3)}]
    assert modularity(g) == pytest.approx(nx.community.modularity(h, parts))


def test_deterministic_across_input_order():
    base = community_table(two_cliques(), seed=3)
    for s in (1, 2, 3):
        assert community_table(two_cliques(shuffle_seed=s), seed=3).equals(base)


def test_florentine_deterministic_with_seed():
    f = nx.florentine_families_graph()
    g = make_graph([{"id": n} for n in f], [{"source": u, "target": v} for u, v in f.edges])
    a = community_table(g, seed=7)
    assert a.equals(community_table(g, seed=7))
    assert modularity(g, seed=7) > 0.3


def test_resolution_changes_granularity():
    g = two_cliques()
    assert community_table(g, resolution=0.01)["community"].max() == 0


def test_community_sector_table():
    t = community_sector_table(two_cliques())
    assert t.columns == ["community", *DEFAULT_SECTORS.ids]
    assert t.select("community", "state", "business").rows() == [(0, 5, 0), (1, 0, 3)]
    assert t.drop("community", "state", "business").sum_horizontal().sum() == 0


def test_no_links():
    g = make_graph([{"id": "a", "sector": "state"}, {"id": "b"}], [])
    assert community_table(g)["community"].to_list() == [0, 1]
    assert math.isnan(modularity(g))
    assert community_sector_table(g)["state"].to_list() == [1, 0]


def test_two_mode_input_uses_actor_network(tiny_graph):
    t = community_table(tiny_graph)
    assert t["id"].to_list() == ["a", "b", "c", "d"]
    assert t["community"].min() == 0


def test_large_networks_use_the_two_mode_graph(monkeypatch):
    """Above the size limit Louvain runs on the two-mode graph; modularity stays that of the actor network."""
    import partnernet.metrics.communities as C
    from partnernet.graph import actor_network

    from .test_graph import random_two_mode

    g = random_two_mode(3, n_actors=40, n_parts=8, n_ties=10)
    monkeypatch.setattr(C, "ACTOR_NETWORK_MAX_PAIRS", 0)
    t = community_table(g, seed=5)
    assert t["id"].to_list() == sorted(t["id"].to_list())
    assert t.height == 40 and t["community"].min() == 0
    sizes = t.group_by("community").len().sort("community")["len"].to_list()
    assert sizes == sorted(sizes, reverse=True)
    again = community_table(random_two_mode(3, n_actors=40, n_parts=8, n_ties=10), seed=5)
    assert again.equals(t)
    parts = [set(x) for x in t.group_by("community").agg("id").sort("community")["id"].to_list()]
    h = actor_network(g)
    assert modularity(g, seed=5) == pytest.approx(nx.community.modularity(h, parts, weight="weight"))
    assert modularity(g, seed=5, resolution=0.5) == pytest.approx(
        nx.community.modularity(h, [set(x) for x in community_table(g, seed=5, resolution=0.5)
                                    .group_by("community").agg("id")["id"].to_list()], weight="weight", resolution=0.5)
    )
