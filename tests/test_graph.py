import networkx as nx
import pytest

from partnernet import schema as S
from partnernet.graph import (
    actor_adjacency,
    actor_network,
    actor_subnetwork,
    actors,
    as_of,
    build_graph,
    declared_matrix,
    declared_text,
    incidence,
    members,
    memberships_of,
    neighbourhood,
    partnerships,
)
from partnernet.load import load, locate

from .conftest import make_graph


@pytest.fixture(scope="module")
def bundled():
    return build_graph(load(locate()))


def test_bundled_dataset_has_the_nine_partnerships(bundled):
    assert len(partnerships(bundled)) == 9
    labels = {bundled.nodes[p][S.LABEL] for p in partnerships(bundled)}
    assert "Fuldkornspartnerskabet" in labels
    assert any("Grøn Skibsfart" in label for label in labels)


def test_bundled_graph_is_frozen_and_complete(bundled):
    assert nx.is_frozen(bundled)
    with pytest.raises(nx.NetworkXError):
        bundled.add_node("x")
    for n, d in bundled.nodes(data=True):
        assert d[S.KIND] in S.KINDS
        assert S.SECTOR in d
    for a in actors(bundled):
        assert bundled.nodes[a][S.SECTOR] in S.DEFAULT_SECTORS


def test_bundled_partnerships_carry_declared_unnamed_members(bundled):
    assert bundled.nodes["p-fuldkorn"][S.DECLARED] == {"business": 5, "business_association": 1, "civil_society": 1,
                                                       "knowledge": 1}
    assert list(bundled.nodes["p-sundere-liv"][S.DECLARED]) == ["business", "business_association", "civil_society",
                                                                "municipality", "region"]
    assert bundled.nodes["p-hjemloesestrategi"][S.DECLARED] == {"municipality": 8}
    assert S.DECLARED not in bundled.nodes["p-noeglehul"] and S.DECLARED not in bundled.nodes["kl"]
    assert bundled.nodes["p-groenne-indkoeb"]["declared_members"] == "9"  # the count-only column is kept as it was


def test_declared_from_records_is_a_sorted_dict_and_a_matrix():
    g = make_graph([{"id": "p", "kind": "partnership", "declared": {"state": 1, "business": 5}},
                    {"id": "q", "kind": "partnership"}, {"id": "a", "sector": "state"}],
                   [{"source": "a", "target": "p"}, {"source": "a", "target": "q"}])
    assert list(g.nodes["p"][S.DECLARED].items()) == [("business", 5), ("state", 1)]
    assert S.DECLARED not in g.nodes["q"]
    m = declared_matrix(g).toarray()
    assert m.shape == (2, len(S.DEFAULT_SECTORS))
    assert m[0].tolist() == [1, 0, 0, 0, 5, 0, 0, 0] and m[1].sum() == 0
    assert declared_text(g.nodes["p"][S.DECLARED]) == "business:5|state:1"
    assert as_of(g, 2020).nodes["p"][S.DECLARED] == {"business": 5, "state": 1}


def test_memberships_are_actor_to_partnership(tiny_graph):
    assert memberships_of(tiny_graph, "b") == ["p1", "p2"]
    assert members(tiny_graph, "p2") == ["b", "c"]
    assert tiny_graph["b"]["p2"][S.RELATION] == S.MEMBERSHIP
    assert tiny_graph["c"]["d"][S.RELATION] == S.TIE
    assert tiny_graph["a"]["p1"][S.ROLE] == "lead"


def test_actor_network_counts_shared_partnerships_and_ties(tiny_graph):
    h = actor_network(tiny_graph)
    assert sorted(h.nodes) == ["a", "b", "c", "d"]
    assert h["a"]["b"] == {"shared": 1, "tie": 0.0, "weight": 1.0}
    assert h["c"]["d"] == {"shared": 0, "tie": 2.0, "weight": 2.0}
    assert not h.has_edge("a", "c")
    assert nx.is_frozen(h)


def test_actor_network_equals_networkx_projection_on_a_large_clique():
    n = 500
    g = make_graph(
        [{"id": "p", "kind": "partnership"}, {"id": "q", "kind": "partnership"}]
        + [{"id": f"a{i:03d}"} for i in range(n)],
        [{"source": f"a{i:03d}", "target": "p"} for i in range(n)]
        + [{"source": f"a{i:03d}", "target": "q"} for i in range(0, n, 2)],
    )
    h = actor_network(g)
    ref = nx.bipartite.weighted_projected_graph(nx.Graph(g), actors(g))
    assert h.number_of_edges() == ref.number_of_edges() == n * (n - 1) // 2
    assert h["a000"]["a002"]["weight"] == ref["a000"]["a002"]["weight"] == 2


def test_incidence_and_adjacency_shapes(tiny_graph):
    a_ids, p_ids, b = incidence(tiny_graph)
    assert a_ids == ["a", "b", "c", "d"] and p_ids == ["p1", "p2"]
    assert b.toarray().tolist() == [[1, 0], [1, 1], [0, 1], [0, 0]]
    adj = actor_adjacency(tiny_graph)
    assert adj.shared.diagonal().tolist() == [0, 0, 0, 0]
    assert adj.links.nnz == 6


def test_as_of_keeps_what_was_active():
    g = make_graph(
        [
            {"id": "p", "kind": "partnership", "start": 2010, "end": 2012},
            {"id": "q", "kind": "partnership", "start": 2015},
            {"id": "a"},
            {"id": "b"},
        ],
        [
            {"source": "a", "target": "p"},
            {"source": "b", "target": "p", "start": 2011},
            {"source": "a", "target": "q"},
        ],
    )
    h2010 = as_of(g, 2010)
    assert sorted(h2010.nodes) == ["a", "b", "p"]
    assert {frozenset(e) for e in h2010.edges} == {frozenset(("a", "p"))}
    h2016 = as_of(g, 2016)
    assert sorted(partnerships(h2016)) == ["q"]
    assert h2016.graph["as_of"] == 2016
    assert g.number_of_edges() == 3


def test_neighbourhood_keeps_members_and_the_partnerships_sharing_most_of_them():
    g = make_graph(
        [{"id": p, "kind": "partnership"} for p in ("p", "q", "r", "s")]
        + [{"id": a, "sector": "state"} for a in ("a", "b", "c", "x")],
        [{"source": "a", "target": "p"}, {"source": "b", "target": "p"},
         {"source": "a", "target": "q"}, {"source": "b", "target": "q"},  # q shares two members
         {"source": "b", "target": "r"}, {"source": "x", "target": "r"},  # r shares one; x is not a member of p
         {"source": "c", "target": "s"},  # s shares none
         {"source": "a", "target": "b"}, {"source": "b", "target": "x"}],  # ties: inside, and to an outsider
    )
    h = neighbourhood(g, "p", others=1)
    assert nx.is_frozen(h) and list(h.nodes) == ["a", "b", "p", "q"]
    assert {frozenset(e) for e in h.edges} == {frozenset(e) for e in
                                               [("a", "p"), ("b", "p"), ("a", "q"), ("b", "q"), ("a", "b")]}
    assert h.nodes["a"] == g.nodes["a"] and h.graph["sectors"] == g.graph["sectors"]
    assert sorted(neighbourhood(g, "p", others=5)) == ["a", "b", "p", "q", "r"]
    assert sorted(neighbourhood(g, "p", others=0)) == ["a", "b", "p"]


def test_empty_graph_from_records():
    g = make_graph([], [])
    assert g.number_of_nodes() == 0
    assert actor_network(g).number_of_nodes() == 0


def test_edge_arrays_from_tables_equal_those_from_the_graph(bundled):
    from partnernet.graph import _edge_arrays, edge_arrays

    fast, slow = edge_arrays(bundled), _edge_arrays(bundled)
    assert fast.ids == slow.ids and fast.n_actors == slow.n_actors

    def edges(e):
        return sorted(zip(e.source.tolist(), e.target.tolist(), e.weight.tolist(), e.role.tolist()))

    assert edges(fast) == edges(slow)
    assert fast.membership.sum() == slow.membership.sum() == 43


# --- block-wise co-membership -----------------------------------------------------------


def random_two_mode(seed: int, n_actors: int = 40, n_parts: int = 9, n_ties: int = 15, max_size: int = 12):
    """A random two-mode graph with overlapping partnerships (pairs sharing several), ties and isolates."""
    import random

    rng = random.Random(seed)
    sectors = ["state", "business", "knowledge", "civil_society", None]
    nodes = [{"id": f"a{i:02d}", "sector": rng.choice(sectors)} for i in range(n_actors)]
    nodes += [{"id": f"p{j}", "kind": "partnership"} for j in range(n_parts)]
    pool = list(range(n_actors - 3))  # the last three actors stay isolated or tie-only
    edges, seen = [], set()
    for j in range(n_parts):
        for i in rng.sample(pool, rng.randint(1, max_size)):
            edges.append({"source": f"a{i:02d}", "target": f"p{j}"})
    while len([e for e in edges if e["target"].startswith("a")]) < n_ties:
        i, k = sorted(rng.sample(range(n_actors - 1), 2))
        if (i, k) not in seen:
            seen.add((i, k))
            edges.append({"source": f"a{i:02d}", "target": f"a{k:02d}", "weight": rng.choice([0.5, 1.0, 2.0])})
    return make_graph(nodes, edges)


@pytest.mark.parametrize("seed", range(5))
def test_co_membership_blocks_and_adjacency_equal_the_plain_product(seed, monkeypatch):
    import numpy as np

    import partnernet.graph as G

    g = random_two_mode(seed)
    _, _, b = incidence(g)
    plain = (b @ b.T).toarray()
    np.fill_diagonal(plain, 0)
    monkeypatch.setattr(G, "BLOCK_ENTRIES", 7)  # many small blocks
    blocks = list(G.co_membership_blocks(g, sort=True))
    assert len(blocks) > 3
    assert np.array_equal(np.vstack([blk.toarray() for _, _, blk in blocks]), plain)
    assert G.linked_pairs(g) == int(((plain + G.tie_matrix(g).toarray()) > 0).sum() // 2)
    adj = actor_adjacency(g)
    assert adj.shared.has_sorted_indices and adj.shared.dtype == np.int32
    assert np.array_equal(adj.shared.toarray(), plain)
    assert G.linked_pairs(g) == adj.linked_pairs


def test_load_graph_reads_builds_and_slices(tmp_path):
    from partnernet.graph import load_graph

    source = locate()
    whole = load_graph(source)
    assert whole.number_of_nodes() == build_graph(load(source)).number_of_nodes() and nx.is_frozen(whole)
    sliced = load_graph(None, dataset=load(source), as_of=1990)
    assert sliced.graph["as_of"] == 1990 and sliced.number_of_nodes() <= whole.number_of_nodes()
    with pytest.raises(ValueError):
        load_graph(None)


@pytest.mark.parametrize("seed", range(3))
def test_actor_subnetwork_is_the_actor_network_restricted(seed):
    g = random_two_mode(seed)
    keep = set(sorted(actors(g))[::2])
    sub, total = actor_subnetwork(g, keep)
    ref = actor_network(g).subgraph(keep)
    assert set(sub) == keep and list(sub) == sorted(keep)
    assert total == ref.number_of_edges() == sub.number_of_edges()
    assert {frozenset((u, v)): d for u, v, d in sub.edges(data=True)} == \
        {frozenset((u, v)): dict(d) for u, v, d in ref.edges(data=True)}
    assert all(sub.nodes[a] == g.nodes[a] for a in keep)


def test_actor_subnetwork_keeps_each_actors_strongest_links():
    g = random_two_mode(7, n_actors=30, n_parts=4, max_size=20)
    keep = set(actors(g))
    full, total = actor_subnetwork(g, keep)
    cut, total_cut = actor_subnetwork(g, keep, per_actor=2)
    assert total_cut == total == full.number_of_edges() > 2 * len(keep)
    assert set(cut.edges) <= set(full.edges) and cut.number_of_edges() < total
    for a in keep:  # a link stays when it is among the two strongest of either end
        assert cut.degree(a) >= min(2, full.degree(a))
    assert actor_subnetwork(g, set(), per_actor=2)[1] == 0
