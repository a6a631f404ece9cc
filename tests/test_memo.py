"""The one cache of results derived from a frozen graph, and releasing memory."""

import networkx as nx

from partnernet import memo
from partnernet.graph import actor_adjacency


def test_only_frozen_graphs_remember():
    g = nx.path_graph(3)
    assert memo.remember(g, "n", lambda: 1) == 1 and memo.remember(g, "n", lambda: 2) == 2
    assert not memo.known(g, "n")
    nx.freeze(g)
    assert memo.remember(g, "n", lambda: 1) == 1 and memo.remember(g, "n", lambda: 2) == 1
    assert memo.known(g, "n")
    memo.forget(g)
    assert not memo.known(g, "n") and memo.remember(g, "n", lambda: 3) == 3


def test_release_memory_forgets_what_was_derived(tiny_graph):
    first = actor_adjacency(tiny_graph)
    assert actor_adjacency(tiny_graph) is first  # remembered
    memo.release_memory(tiny_graph)
    again = actor_adjacency(tiny_graph)
    assert again is not first and (again.shared != first.shared).nnz == 0
    assert memo.remember(tiny_graph, "probe", lambda: 1) == 1
