"""A one-page overview of a network: counts by sector, type, size, role; components; density."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from . import schema as S
from .graph import actor_adjacency, actors, partnerships, sectors_of

#: Partnership size classes (inclusive bounds) for the size distribution.
SIZE_CLASSES = ((0, 1), (2, 5), (6, 10), (11, 50), (51, 500), (501, None))


def _size_class(n: int) -> str:
    for lo, hi in SIZE_CLASSES:
        if hi is None or n <= hi:
            return f"{lo}+" if hi is None else (f"{lo}" if lo == hi else f"{lo}–{hi}")
    raise AssertionError


def summary_report(g: nx.Graph) -> dict:
    """Counts that describe the network, as plain data (JSON-ready, deterministic order).

    Keys: ``actors``, ``partnerships``, ``memberships``, ``ties``,
    ``actors_by_sector``, ``actors_by_type``, ``partnerships_by_size``,
    ``memberships_by_role``, ``components`` (of the two-mode graph),
    ``largest_component``, ``actor_density`` (share of possible actor pairs
    linked by a shared partnership or a tie) and ``isolated_actors``.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a"}, {"id": "b"}],
    ...                        [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    >>> summary_report(g)["actor_density"]
    1.0
    """
    vocab = sectors_of(g)
    a_ids, p_ids = actors(g), partnerships(g)
    sector_counts = Counter(g.nodes[a][S.SECTOR] for a in a_ids)
    type_counts = Counter(g.nodes[a][S.TYPE] for a in a_ids)
    roles = Counter()
    memberships = ties = 0
    for _, _, d in g.edges(data=True):
        if d.get(S.RELATION) == S.MEMBERSHIP:
            memberships += 1
            roles[d.get(S.ROLE) or S.MEMBER] += 1
        else:
            ties += 1
    sizes = Counter(_size_class(sum(1 for n in g[p] if g.nodes[n][S.KIND] == S.ACTOR)) for p in p_ids)
    adj = actor_adjacency(g)
    links = adj.links
    n = len(a_ids)
    linked_pairs = int(links.nnz // 2)
    density = linked_pairs / (n * (n - 1) / 2) if n > 1 else 0.0
    isolated = [a for a in a_ids if g.degree(a) == 0]
    ncomp, largest = _components(g)
    by_sector = {s.id: sector_counts.get(s.id, 0) for s in vocab}
    if sector_counts.get(None):
        by_sector["(none)"] = sector_counts[None]
    by_type = {t: type_counts[t] for t in S.ORG_TYPES if type_counts.get(t)}
    if type_counts.get(None):
        by_type["(none)"] = type_counts[None]
    return {
        "actors": n,
        "partnerships": len(p_ids),
        "memberships": memberships,
        "ties": ties,
        "actors_by_sector": by_sector,
        "actors_by_type": by_type,
        "partnerships_by_size": {
            label: sizes[label]
            for label in (_size_class(lo) for lo, _ in SIZE_CLASSES)
            if sizes.get(label)
        },
        "memberships_by_role": {r: roles[r] for r in S.ROLES if roles.get(r)},
        "components": ncomp,
        "largest_component": largest,
        "actor_links": linked_pairs,
        "actor_density": round(density, 6),
        "isolated_actors": len(isolated),
    }


def _components(g: nx.Graph) -> tuple[int, int]:
    """Number of connected components and the size of the largest, via sparse labelling."""
    nodes = list(g.nodes)
    if not nodes:
        return 0, 0
    index = {v: i for i, v in enumerate(nodes)}
    rows = np.fromiter((index[u] for u, _ in g.edges), dtype=np.int64, count=g.number_of_edges())
    cols = np.fromiter((index[v] for _, v in g.edges), dtype=np.int64, count=g.number_of_edges())
    m = sp.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(len(nodes), len(nodes)))
    ncomp, labels = csgraph.connected_components(m, directed=False)
    return int(ncomp), int(np.bincount(labels).max())
