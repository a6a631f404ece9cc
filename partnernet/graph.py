"""Validated tables → the two-mode partnership graph, and views derived from it.

The graph is an undirected :class:`networkx.Graph` whose nodes are actors and
partnerships. It is frozen (:func:`networkx.freeze`) as soon as it is built, so
no later stage can change it; derived graphs (time slices, the actor network)
are new frozen graphs.

Node attributes: ``label``, ``kind`` (``actor``/``partnership``), ``sector``
(``None`` for partnerships and actors without one), ``type``, ``start``,
``end`` and every extra column that has a value. Edge attributes: ``relation``
(``membership``/``tie``), ``role``, ``weight``, ``start``, ``end`` and extras.
``graph.graph["sectors"]`` holds the :class:`~partnernet.schema.Vocabulary`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from . import schema as S
from .dataset import Dataset

_NODE_FIXED = (S.LABEL, S.KIND, S.SECTOR, S.TYPE, S.START, S.END)
_EDGE_FIXED = (S.RELATION, S.ROLE, S.WEIGHT, S.START, S.END)


def build_graph(dataset: Dataset) -> nx.Graph:
    """Build the frozen two-mode graph from a validated :class:`Dataset`.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     nodes=[{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
    ...            {"id": "b", "sector": "business"}],
    ...     edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    >>> sorted(partnerships(g)), sorted(actors(g))
    (['p'], ['a', 'b'])
    """
    g = nx.Graph(sectors=dataset.sectors, sources=dataset.sources)
    nodes = dataset.nodes
    extras = [c for c in nodes.columns if c not in (S.ID, *_NODE_FIXED)]
    for row in nodes.iter_rows(named=True):
        attrs = {k: row.get(k) for k in _NODE_FIXED}
        for c in extras:
            v = row[c]
            if v is not None and v != "":
                attrs[c] = v
        g.add_node(row[S.ID], **attrs)
    edges = dataset.edges
    e_extras = [c for c in edges.columns if c not in (S.SOURCE, S.TARGET, *_EDGE_FIXED)]
    for row in edges.iter_rows(named=True):
        attrs = {k: row.get(k) for k in _EDGE_FIXED}
        for c in e_extras:
            v = row[c]
            if v is not None and v != "":
                attrs[c] = v
        g.add_edge(row[S.SOURCE], row[S.TARGET], **attrs)
    return nx.freeze(g)


def graph_from_records(
    nodes: Iterable[dict],
    edges: Iterable[dict],
    sectors: S.Vocabulary = S.DEFAULT_SECTORS,
) -> nx.Graph:
    """Build a graph from plain dicts (tests, notebooks); defaults as in the CSV format.

    Does not validate beyond filling defaults: use :mod:`partnernet.validate` for files.
    """
    nodes = [dict(n) for n in nodes]
    kinds = {}
    for n in nodes:
        n.setdefault(S.LABEL, n[S.ID])
        n.setdefault(S.KIND, S.ACTOR)
        for k in (S.SECTOR, S.TYPE, S.START, S.END):
            n.setdefault(k, None)
        kinds[n[S.ID]] = n[S.KIND]
    rows = []
    for e in edges:
        e = dict(e)
        a, b = e[S.SOURCE], e[S.TARGET]
        if kinds[a] == S.PARTNERSHIP:
            a, b = b, a
        e[S.SOURCE], e[S.TARGET] = a, b
        e[S.RELATION] = S.MEMBERSHIP if kinds[b] == S.PARTNERSHIP else S.TIE
        e.setdefault(S.ROLE, S.MEMBER)
        e[S.WEIGHT] = float(e.get(S.WEIGHT, 1.0))
        e.setdefault(S.START, None)
        e.setdefault(S.END, None)
        rows.append(e)
    node_df = pl.DataFrame(nodes, schema_overrides={S.START: pl.Int32, S.END: pl.Int32}, infer_schema_length=None)
    if rows:
        edge_df = pl.DataFrame(rows, schema_overrides={S.START: pl.Int32, S.END: pl.Int32}, infer_schema_length=None)
    else:
        edge_df = pl.DataFrame(
            schema={S.SOURCE: pl.String, S.TARGET: pl.String, S.ROLE: pl.String, S.RELATION: pl.String,
                    S.WEIGHT: pl.Float64, S.START: pl.Int32, S.END: pl.Int32}
        )
    return build_graph(Dataset(nodes=node_df, edges=edge_df, sectors=sectors))


# --- reading the graph ---------------------------------------------------------


def sectors_of(g: nx.Graph) -> S.Vocabulary:
    """The sector vocabulary the graph was built with."""
    return g.graph.get("sectors", S.DEFAULT_SECTORS)


def actors(g: nx.Graph) -> list[str]:
    """Actor ids, sorted."""
    return sorted(n for n, k in g.nodes(data=S.KIND) if k == S.ACTOR)


def partnerships(g: nx.Graph) -> list[str]:
    """Partnership ids, sorted."""
    return sorted(n for n, k in g.nodes(data=S.KIND) if k == S.PARTNERSHIP)


def members(g: nx.Graph, partnership: str) -> list[str]:
    """Actor ids that are members of ``partnership``, sorted."""
    return sorted(n for n in g[partnership] if g.nodes[n][S.KIND] == S.ACTOR)


def memberships_of(g: nx.Graph, actor: str) -> list[str]:
    """Partnership ids ``actor`` belongs to, sorted."""
    return sorted(n for n in g[actor] if g.nodes[n][S.KIND] == S.PARTNERSHIP)


def ties_of(g: nx.Graph, actor: str) -> list[str]:
    """Actor ids with a direct tie to ``actor``, sorted."""
    return sorted(n for n in g[actor] if g.nodes[n][S.KIND] == S.ACTOR)


# --- derived graphs ------------------------------------------------------------


def _active(start: int | None, end: int | None, year: int) -> bool:
    return (start is None or start <= year) and (end is None or year <= end)


def as_of(g: nx.Graph, year: int) -> nx.Graph:
    """The network as it stood in ``year``: nodes and edges whose start/end span it.

    A missing bound is open. Actors are kept when they are active themselves,
    even without active ties; partnerships and edges that are not active are
    dropped, and an edge disappears with either of its ends.
    """
    keep = [n for n, d in g.nodes(data=True) if _active(d.get(S.START), d.get(S.END), year)]
    h = nx.Graph(**g.graph)
    h.graph["as_of"] = year
    h.add_nodes_from((n, g.nodes[n]) for n in keep)
    h.add_edges_from(
        (u, v, d)
        for u, v, d in g.edges(data=True)
        if u in h and v in h and _active(d.get(S.START), d.get(S.END), year)
    )
    return nx.freeze(h)


@dataclass(frozen=True)
class ActorAdjacency:
    """Sparse actor × actor co-membership counts plus direct ties.

    ``ids[i]`` names row/column ``i`` (sorted actor ids). ``shared`` holds the
    number of shared partnerships, ``ties`` the weight of direct ties; both are
    symmetric CSR matrices with an empty diagonal.
    """

    ids: list[str]
    shared: sp.csr_matrix
    ties: sp.csr_matrix

    @property
    def links(self) -> sp.csr_matrix:
        """Pattern of the actor network (1 where actors share a partnership or a tie)."""
        m = ((self.shared + self.ties) > 0).astype(np.int8)
        return sp.csr_matrix(m)


def incidence(g: nx.Graph) -> tuple[list[str], list[str], sp.csr_matrix]:
    """Actor × partnership membership matrix (0/1), with the sorted row and column ids."""
    a_ids = actors(g)
    p_ids = partnerships(g)
    a_index = {a: i for i, a in enumerate(a_ids)}
    p_index = {p: j for j, p in enumerate(p_ids)}
    rows, cols = [], []
    for u, v, rel in g.edges(data=S.RELATION):
        if rel == S.MEMBERSHIP:
            if u not in a_index:
                u, v = v, u
            rows.append(a_index[u])
            cols.append(p_index[v])
    data = np.ones(len(rows), dtype=np.int32)
    b = sp.csr_matrix((data, (rows, cols)), shape=(len(a_ids), len(p_ids)), dtype=np.int32)
    return a_ids, p_ids, b


def actor_adjacency(g: nx.Graph) -> ActorAdjacency:
    """Co-membership counts by sparse product ``B @ B.T``: no per-pair Python loop."""
    a_ids, _, b = incidence(g)
    shared = (b @ b.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    index = {a: i for i, a in enumerate(a_ids)}
    rows, cols, vals = [], [], []
    for u, v, d in g.edges(data=True):
        if d.get(S.RELATION) == S.TIE:
            i, j = index[u], index[v]
            rows += [i, j]
            cols += [j, i]
            vals += [float(d.get(S.WEIGHT) or 1.0)] * 2
    ties = sp.csr_matrix((vals, (rows, cols)), shape=(len(a_ids), len(a_ids)), dtype=np.float64)
    return ActorAdjacency(a_ids, shared.astype(np.int32), ties)


def actor_network(g: nx.Graph) -> nx.Graph:
    """The one-mode actor network.

    Actors are linked when they share at least one partnership (``shared`` =
    number of shared partnerships) or have a direct tie (``tie`` = its weight).
    ``weight`` is ``shared + tie``. All actors are kept, isolated ones too.
    Node attributes are those of the two-mode graph.

    Examples
    --------
    >>> g = graph_from_records(
    ...     nodes=[{"id": "p", "kind": "partnership"}, {"id": "q", "kind": "partnership"},
    ...            {"id": "a"}, {"id": "b"}, {"id": "c"}],
    ...     edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"},
    ...            {"source": "a", "target": "q"}, {"source": "b", "target": "q"},
    ...            {"source": "b", "target": "c"}])
    >>> h = actor_network(g)
    >>> h["a"]["b"]["weight"], h["b"]["c"]["weight"]
    (2.0, 1.0)
    """
    adj = actor_adjacency(g)
    h = nx.Graph(**g.graph)
    h.graph["mode"] = "actors"
    h.add_nodes_from((a, g.nodes[a]) for a in adj.ids)
    shared = sp.triu(adj.shared, k=1).tocoo()
    ties = sp.triu(adj.ties, k=1).tocoo()
    ids = adj.ids
    for i, j, s in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()):
        h.add_edge(ids[i], ids[j], shared=int(s), tie=0.0, weight=float(s))
    for i, j, w in zip(ties.row.tolist(), ties.col.tolist(), ties.data.tolist()):
        u, v = ids[i], ids[j]
        if h.has_edge(u, v):
            d = h[u][v]
            d["tie"] = float(w)
            d["weight"] = d["shared"] + float(w)
        else:
            h.add_edge(u, v, shared=0, tie=float(w), weight=float(w))
    return nx.freeze(h)
