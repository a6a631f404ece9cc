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

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from . import schema as S
from .dataset import Dataset

T = TypeVar("T")

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
    g.add_nodes_from(zip(dataset.nodes[S.ID].to_list(), _attr_dicts(dataset.nodes, (S.ID,), _NODE_FIXED)))
    edges = dataset.edges
    g.add_edges_from(
        zip(
            edges[S.SOURCE].to_list(),
            edges[S.TARGET].to_list(),
            _attr_dicts(edges, (S.SOURCE, S.TARGET), _EDGE_FIXED),
        )
    )
    nx.freeze(g)
    _DERIVED[g] = {"edge_arrays": _edge_arrays_from_tables(dataset)}
    return g


def _attr_dicts(frame: pl.DataFrame, skip: tuple[str, ...], fixed: tuple[str, ...]) -> Iterable[dict]:
    """One attribute dict per row: fixed columns always, extras only when non-empty."""
    fixed_cols = [frame[c].to_list() if c in frame.columns else [None] * frame.height for c in fixed]
    extras = [c for c in frame.columns if c not in skip and c not in fixed]
    extra_cols = [frame[c].to_list() for c in extras]
    for i, values in enumerate(zip(*fixed_cols)):
        attrs = dict(zip(fixed, values))
        for name, col in zip(extras, extra_cols):
            v = col[i]
            if v is not None and v != "":
                attrs[name] = v
        yield attrs


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
    if nodes:
        node_df = pl.DataFrame(nodes, schema_overrides={S.START: pl.Int32, S.END: pl.Int32}, infer_schema_length=None)
    else:
        node_df = pl.DataFrame(
            schema={S.ID: pl.String, S.LABEL: pl.String, S.KIND: pl.String, S.SECTOR: pl.String,
                    S.TYPE: pl.String, S.START: pl.Int32, S.END: pl.Int32}
        )
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


_DERIVED: weakref.WeakKeyDictionary[nx.Graph, dict[str, Any]] = weakref.WeakKeyDictionary()


def derived(g: nx.Graph, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` remembered per frozen graph: derived arrays are built once per run.

    A frozen graph cannot change, so what is derived from it stays valid; the
    entry dies with the graph. Unfrozen graphs are not cached.
    """
    if not nx.is_frozen(g):
        return compute()
    slot = _DERIVED.setdefault(g, {})
    if key not in slot:
        slot[key] = compute()
    return slot[key]


@dataclass(frozen=True)
class EdgeArrays:
    """The graph's edges as numpy arrays, from one pass over the graph.

    Nodes are numbered actors first (sorted), then partnerships (sorted):
    ``ids[i]``. For a membership ``source`` is the actor and ``target`` the
    partnership; for a tie both are actors. ``role`` indexes
    :data:`partnernet.schema.ROLES`.
    """

    ids: list[str]
    n_actors: int
    source: np.ndarray
    target: np.ndarray
    membership: np.ndarray
    weight: np.ndarray
    role: np.ndarray

    @property
    def n_partnerships(self) -> int:
        return len(self.ids) - self.n_actors


def edge_arrays(g: nx.Graph) -> EdgeArrays:
    """Cached :class:`EdgeArrays` of ``g``."""
    return derived(g, "edge_arrays", lambda: _edge_arrays(g))


def _edge_arrays_from_tables(dataset: Dataset) -> EdgeArrays:
    """:class:`EdgeArrays` straight from the validated tables (vectorised; same content as from the graph)."""
    nodes = dataset.nodes.select(S.ID, S.KIND).sort([pl.col(S.KIND) != S.ACTOR, S.ID])
    ids = nodes[S.ID].to_list()
    n_actors = int((nodes[S.KIND] == S.ACTOR).sum())
    index = pl.DataFrame({"__id": pl.Series(ids, dtype=pl.String), "__i": np.arange(len(ids), dtype=np.int64)})
    e = dataset.edges
    codes = pl.DataFrame({"__role": list(S.ROLES), "__code": np.arange(len(S.ROLES), dtype=np.int8)})
    e = (
        e.select(S.SOURCE, S.TARGET, S.ROLE, S.WEIGHT)
        .join(index.rename({"__i": "__s"}), left_on=S.SOURCE, right_on="__id", how="left", maintain_order="left")
        .join(index.rename({"__i": "__t"}), left_on=S.TARGET, right_on="__id", how="left", maintain_order="left")
        .join(codes, left_on=S.ROLE, right_on="__role", how="left", maintain_order="left")
    )
    s_idx, t_idx = e["__s"].to_numpy(), e["__t"].to_numpy()
    src, dst = np.minimum(s_idx, t_idx), np.maximum(s_idx, t_idx)
    weight = e[S.WEIGHT].fill_null(1.0).to_numpy().astype(np.float64)
    role = e["__code"].fill_null(0).to_numpy().astype(np.int8)
    return EdgeArrays(ids, n_actors, src, dst, dst >= n_actors, weight, role)


def _edge_arrays(g: nx.Graph) -> EdgeArrays:
    a_ids, p_ids = actors(g), partnerships(g)
    ids = a_ids + p_ids
    index = {n: i for i, n in enumerate(ids)}
    m = g.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    weight = np.empty(m, dtype=np.float64)
    role = np.empty(m, dtype=np.int8)
    role_code = {r: k for k, r in enumerate(S.ROLES)}
    for k, (u, v, d) in enumerate(g.edges(data=True)):
        i, j = index[u], index[v]
        if i > j:
            i, j = j, i
        src[k], dst[k] = i, j
        weight[k] = d.get(S.WEIGHT) or 1.0
        role[k] = role_code.get(d.get(S.ROLE) or S.MEMBER, 0)
    n_a = len(a_ids)
    return EdgeArrays(ids, n_a, src, dst, dst >= n_a, weight, role)


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
        if self.ties.nnz == 0:
            m = self.shared.astype(np.int8, copy=True)
            m.data[:] = 1
            return m
        return sp.csr_matrix(((self.shared + self.ties) > 0).astype(np.int8))

    @property
    def linked_pairs(self) -> int:
        """Number of distinct actor pairs linked by a shared partnership or a tie (no copy)."""
        both = self.shared.multiply(self.ties).nnz if self.ties.nnz else 0
        return int((self.shared.nnz + self.ties.nnz - both) // 2)


def incidence(g: nx.Graph) -> tuple[list[str], list[str], sp.csr_matrix]:
    """Actor × partnership membership matrix (0/1), with the sorted row and column ids (cached)."""
    return derived(g, "incidence", lambda: _incidence(g))


def _incidence(g: nx.Graph) -> tuple[list[str], list[str], sp.csr_matrix]:
    e = edge_arrays(g)
    rows = e.source[e.membership]
    cols = e.target[e.membership] - e.n_actors
    b = sp.csr_matrix(
        (np.ones(rows.size, dtype=np.int32), (rows, cols)), shape=(e.n_actors, e.n_partnerships), dtype=np.int32
    )
    return e.ids[: e.n_actors], e.ids[e.n_actors:], b


def actor_adjacency(g: nx.Graph) -> ActorAdjacency:
    """Co-membership counts by the sparse product ``B @ B.T`` (cached): no per-pair Python loop."""
    return derived(g, "actor_adjacency", lambda: _actor_adjacency(g))


def _actor_adjacency(g: nx.Graph) -> ActorAdjacency:
    a_ids, _, b = incidence(g)
    shared = (b @ b.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    e = edge_arrays(g)
    tie = ~e.membership
    i, j, w = e.source[tie], e.target[tie], e.weight[tie]
    n = len(a_ids)
    ties = sp.csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n), dtype=np.float64
    )
    return ActorAdjacency(a_ids, shared.astype(np.int32, copy=False), ties)


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
