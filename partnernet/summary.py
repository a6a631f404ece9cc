"""A one-page overview of a network: counts by sector, type, size, role; components; density."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import rustworkx as rx

from . import schema
from .graph import edge_arrays, incidence, linked_pairs as count_linked_pairs, sectors_of

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
    sector_counts: Counter = Counter()
    type_counts: Counter = Counter()
    n = 0
    for _, d in g.nodes(data=True):
        if d[schema.KIND] == schema.ACTOR:
            n += 1
            sector_counts[d[schema.SECTOR]] += 1
            type_counts[d[schema.TYPE]] += 1
    e = edge_arrays(g)
    role_counts = np.bincount(e.role[e.membership], minlength=len(schema.ROLES))
    roles = Counter({r: int(c) for r, c in zip(schema.ROLES, role_counts) if c})
    memberships = int(e.membership.sum())
    ties = int(e.source.size - memberships)
    a_ids, p_ids, b = incidence(g)
    sizes = Counter(_size_class(int(k)) for k in np.asarray(b.sum(axis=0)).ravel())
    linked_pairs = count_linked_pairs(g)
    density = linked_pairs / (n * (n - 1) / 2) if n > 1 else 0.0
    tie = ~e.membership
    degree = np.diff(b.indptr) + np.bincount(
        np.concatenate([e.source[tie], e.target[tie]]), minlength=len(a_ids)
    )
    isolated = int((degree == 0).sum())
    ncomp, largest = _components(g)
    by_sector = {s.id: sector_counts.get(s.id, 0) for s in vocab}
    if sector_counts.get(None):
        by_sector["(none)"] = sector_counts[None]
    by_type = {t: type_counts[t] for t in schema.ORG_TYPES if type_counts.get(t)}
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
        "memberships_by_role": {r: roles[r] for r in schema.ROLES if roles.get(r)},
        "components": ncomp,
        "largest_component": largest,
        "actor_links": linked_pairs,
        "actor_density": round(density, 6),
        "isolated_actors": isolated,
    }


def _components(g: nx.Graph) -> tuple[int, int]:
    """Number of connected components and the size of the largest, by rustworkx on the edge arrays
    (scipy's csgraph would do as well, but importing it loads scipy.linalg, which costs more than
    the whole summary of a small network)."""
    e = edge_arrays(g)
    size = len(e.ids)
    if size == 0:
        return 0, 0
    r = rx.PyGraph(multigraph=False, node_count_hint=size)
    r.add_nodes_from(range(size))
    r.add_edges_from_no_data(list(zip(e.source.tolist(), e.target.tolist())))
    comps = rx.connected_components(r)
    return len(comps), max(len(c) for c in comps)
