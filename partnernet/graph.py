"""Validated tables → the two-mode partnership graph, and views derived from it.

The graph is an undirected :class:`networkx.Graph` whose nodes are actors and
partnerships. It is frozen (:func:`networkx.freeze`) as soon as it is built, so
no later stage can change it; derived graphs (time slices, the actor network)
are new frozen graphs.

Node attributes: ``label``, ``kind`` (``actor``/``partnership``), ``sector``
(``None`` for partnerships and actors without one), ``type``, ``start``,
``end``, for partnerships with unnamed members ``declared`` (a dict sector id →
count, sorted by id; absent otherwise) and every extra column that has a
value. Edge attributes: ``relation``
(``membership``/``tie``), ``role``, ``weight``, ``start``, ``end`` and extras.
``graph.graph["sectors"]`` holds the :class:`~partnernet.schema.Vocabulary`.

The module is longer than most (about 650 lines) because it is the one place that
knows how the frozen graph is laid out: building it, reading it, the graphs derived
from it (time slices, neighbourhoods, the actor network) and the sparse matrices
every metric starts from. Splitting the matrices off would make each half import the
other's view of node order; everything above this layer asks this module only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from . import memo, schema
from .dataset import Dataset
from .load import DataSource, load

_NODE_FIXED = (schema.LABEL, schema.KIND, schema.SECTOR, schema.TYPE, schema.START, schema.END)
_EDGE_FIXED = (schema.RELATION, schema.ROLE, schema.WEIGHT, schema.START, schema.END)


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
    g.add_nodes_from(zip(dataset.nodes[schema.ID].to_list(),
                         _attr_dicts(dataset.nodes, (schema.ID,), _NODE_FIXED, {schema.DECLARED: _declared_dict})))
    edges = dataset.edges
    g.add_edges_from(
        zip(
            edges[schema.SOURCE].to_list(),
            edges[schema.TARGET].to_list(),
            _attr_dicts(edges, (schema.SOURCE, schema.TARGET), _EDGE_FIXED),
        )
    )
    nx.freeze(g)
    memo.store(g, "edge_arrays", _edge_arrays_from_tables(dataset))
    return g


def _attr_dicts(frame: pl.DataFrame, skip: tuple[str, ...], fixed: tuple[str, ...],
                convert: dict[str, Callable[[Any], Any]] | None = None) -> Iterable[dict]:
    """One attribute dict per row: fixed columns always, extras only when non-empty.

    ``convert`` maps a column to a function applied to its non-empty values
    (the ``declared`` list of ``{sector, count}`` becomes a dict).
    """
    convert = convert or {}
    fixed_cols = [frame[c].to_list() if c in frame.columns else [None] * frame.height for c in fixed]
    extras = [c for c in frame.columns if c not in skip and c not in fixed]
    extra_cols = [frame[c].to_list() for c in extras]
    for i, values in enumerate(zip(*fixed_cols)):
        attrs = dict(zip(fixed, values))
        for name, col in zip(extras, extra_cols):
            v = col[i]
            if v is not None and v != "" and v != []:
                attrs[name] = convert[name](v) if name in convert else v
        yield attrs


def _declared_dict(entries: list[dict]) -> dict[str, int]:
    return {e["sector"]: int(e["count"]) for e in sorted(entries, key=lambda e: e["sector"])}


def declared_text(declared: dict[str, int]) -> str:
    """A ``declared`` mapping written as in nodes.csv: ``business:5|civil_society:1`` (sorted by sector id).

    >>> declared_text({"state": 1, "business": 5})
    'business:5|state:1'
    """
    return schema.DECLARED_SEP.join(f"{k}{schema.DECLARED_COUNT_SEP}{declared[k]}" for k in sorted(declared))


def graph_from_records(
    nodes: Iterable[dict],
    edges: Iterable[dict],
    sectors: schema.Vocabulary = schema.DEFAULT_SECTORS,
) -> nx.Graph:
    """Build a graph from plain dicts (tests, notebooks); defaults as in the CSV format.

    Does not validate beyond filling defaults: use :mod:`partnernet.validate` for files.
    """
    nodes = [dict(n) for n in nodes]
    kinds = {}
    for n in nodes:
        if n.get(schema.DECLARED):  # a dict sector → count, stored in the table as the validator stores it
            n[schema.DECLARED] = [{"sector": k, "count": int(v)} for k, v in sorted(n[schema.DECLARED].items())]
        else:
            n.pop(schema.DECLARED, None)
        n.setdefault(schema.LABEL, n[schema.ID])
        n.setdefault(schema.KIND, schema.ACTOR)
        for k in (schema.SECTOR, schema.TYPE, schema.START, schema.END):
            n.setdefault(k, None)
        kinds[n[schema.ID]] = n[schema.KIND]
    rows = []
    for e in edges:
        e = dict(e)
        a, b = e[schema.SOURCE], e[schema.TARGET]
        if kinds[a] == schema.PARTNERSHIP:
            a, b = b, a
        e[schema.SOURCE], e[schema.TARGET] = a, b
        e[schema.RELATION] = schema.MEMBERSHIP if kinds[b] == schema.PARTNERSHIP else schema.TIE
        e.setdefault(schema.ROLE, schema.MEMBER)
        e[schema.WEIGHT] = float(e.get(schema.WEIGHT, 1.0))
        e.setdefault(schema.START, None)
        e.setdefault(schema.END, None)
        rows.append(e)
    if nodes:
        node_df = pl.DataFrame(nodes, schema_overrides={schema.START: pl.Int32, schema.END: pl.Int32}, infer_schema_length=None)
    else:
        node_df = pl.DataFrame(
            schema={schema.ID: pl.String, schema.LABEL: pl.String, schema.KIND: pl.String, schema.SECTOR: pl.String,
                    schema.TYPE: pl.String, schema.START: pl.Int32, schema.END: pl.Int32}
        )
    if rows:
        edge_df = pl.DataFrame(rows, schema_overrides={schema.START: pl.Int32, schema.END: pl.Int32}, infer_schema_length=None)
    else:
        edge_df = pl.DataFrame(
            schema={schema.SOURCE: pl.String, schema.TARGET: pl.String, schema.ROLE: pl.String, schema.RELATION: pl.String,
                    schema.WEIGHT: pl.Float64, schema.START: pl.Int32, schema.END: pl.Int32}
        )
    return build_graph(Dataset(nodes=node_df, edges=edge_df, sectors=sectors))


# --- reading the graph ---------------------------------------------------------


def sectors_of(g: nx.Graph) -> schema.Vocabulary:
    """The sector vocabulary the graph was built with."""
    return g.graph.get("sectors", schema.DEFAULT_SECTORS)


def actors(g: nx.Graph) -> list[str]:
    """Actor ids, sorted."""
    return sorted(n for n, k in g.nodes(data=schema.KIND) if k == schema.ACTOR)


def partnerships(g: nx.Graph) -> list[str]:
    """Partnership ids, sorted."""
    return sorted(n for n, k in g.nodes(data=schema.KIND) if k == schema.PARTNERSHIP)


def members(g: nx.Graph, partnership: str) -> list[str]:
    """Actor ids that are members of ``partnership``, sorted."""
    return sorted(n for n in g[partnership] if g.nodes[n][schema.KIND] == schema.ACTOR)


def memberships_of(g: nx.Graph, actor: str) -> list[str]:
    """Partnership ids ``actor`` belongs to, sorted."""
    return sorted(n for n in g[actor] if g.nodes[n][schema.KIND] == schema.PARTNERSHIP)


def ties_of(g: nx.Graph, actor: str) -> list[str]:
    """Actor ids with a direct tie to ``actor``, sorted."""
    return sorted(n for n in g[actor] if g.nodes[n][schema.KIND] == schema.ACTOR)


def declared_matrix(g: nx.Graph) -> sp.csr_array:
    """Partnership × sector counts of declared unnamed members (cached).

    Rows are the sorted partnership ids (the columns of :func:`incidence`),
    columns the sectors of the vocabulary in its order; sectors outside the
    vocabulary (possible only in graphs not built from validated files) are
    left out.
    """

    def build() -> sp.csr_array:
        index = {s: i for i, s in enumerate(sectors_of(g).ids)}
        p_ids = partnerships(g)
        rows, cols, vals = [], [], []
        for j, p in enumerate(p_ids):
            for sector, count in (g.nodes[p].get(schema.DECLARED) or {}).items():
                if sector in index:
                    rows.append(j)
                    cols.append(index[sector])
                    vals.append(int(count))
        m = sp.csr_array((np.asarray(vals, dtype=np.int64), (np.asarray(rows, dtype=np.int64),
                          np.asarray(cols, dtype=np.int64))), shape=(len(p_ids), len(index)), dtype=np.int64)
        m.sort_indices()
        return m

    return memo.remember(g, "declared_matrix", build)


# --- derived graphs ------------------------------------------------------------


def _active(start: int | None, end: int | None, year: int) -> bool:
    return (start is None or start <= year) and (end is None or year <= end)


def as_of(g: nx.Graph, year: int) -> nx.Graph:
    """The network as it stood in ``year``: nodes and edges whose start/end span it.

    A missing bound is open. Actors are kept when they are active themselves,
    even without active ties; partnerships and edges that are not active are
    dropped, and an edge disappears with either of its ends.
    """
    keep = [n for n, d in g.nodes(data=True) if _active(d.get(schema.START), d.get(schema.END), year)]
    h = nx.Graph(**g.graph)
    h.graph["as_of"] = year
    h.add_nodes_from((n, g.nodes[n]) for n in keep)
    h.add_edges_from(
        (u, v, d)
        for u, v, d in g.edges(data=True)
        if u in h and v in h and _active(d.get(schema.START), d.get(schema.END), year)
    )
    return nx.freeze(h)


_slice_as_of = as_of  # load_graph's keyword ``as_of`` hides the function inside it


def load_graph(source: DataSource | None, *, dataset: Dataset | None = None, as_of: int | None = None) -> nx.Graph:
    """Read and validate ``source`` (or take ``dataset``, already read) and build the frozen graph.

    Sliced to the year ``as_of`` when given (see :func:`as_of`). Raises
    :class:`~partnernet.errors.DataError` for bad input.
    """
    if dataset is None:
        if source is None:
            raise ValueError("give a data source or a dataset")
        dataset = load(source)
    g = build_graph(dataset)
    return _slice_as_of(g, as_of) if as_of is not None else g


def neighbourhood(g: nx.Graph, partnership: str, *, others: int) -> nx.Graph:
    """The partnership, its members and up to ``others`` other partnerships sharing the most members.

    Other partnerships are ranked by shared members, then id. Their own
    members outside the partnership are left out, so every edge inside has a
    member of ``partnership`` at one end; ``graph["other_partnerships"]`` says how
    many other partnerships the members have in ``g``. The result is a small frozen copy
    rather than a subgraph view (map builders walk it many times, and
    networkx' filtered views are slow to iterate); nodes are added in sorted
    order and edges sorted by their ends, so the copy, and a layout computed
    from it, depends only on the data.

    Examples
    --------
    >>> g = graph_from_records(
    ...     nodes=[{"id": p, "kind": "partnership"} for p in ("p", "q", "r")] + [{"id": "a"}, {"id": "b"}],
    ...     edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"},
    ...            {"source": "a", "target": "q"}, {"source": "b", "target": "q"}, {"source": "b", "target": "r"}])
    >>> sorted(neighbourhood(g, "p", others=1))
    ['a', 'b', 'p', 'q']
    """
    adj, kind = _plain_adjacency(g)
    mem = sorted(m for m in adj[partnership] if kind[m] == schema.ACTOR)
    shared: dict[str, int] = {}
    for m in mem:
        for q in adj[m]:
            if q != partnership and kind[q] == schema.PARTNERSHIP:
                shared[q] = shared.get(q, 0) + 1
    keep = {partnership, *mem, *sorted(shared, key=lambda q: (-shared[q], q))[:others]}
    order = sorted(keep)
    nodes = g.nodes
    h = nx.Graph(**g.graph)
    # how many other partnerships there were, for a map that says what it left out
    h.graph["other_partnerships"] = {partnership: len(shared)}
    h.add_nodes_from((n, nodes[n]) for n in order)
    # partnerships only link to actors, so only the members' adjacency is walked, not that of the
    # other, possibly huge, partnerships
    members = set(mem)
    edges = []
    for u in order:
        if u in members:
            edges += [(u, v, d) for v, d in adj[u].items() if v in keep and not (v in members and v < u)]
    h.add_edges_from(sorted(edges, key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))))
    return nx.freeze(h)


def concrete_subgraph(base: nx.Graph, keep: Collection) -> nx.Graph:
    """``base`` restricted to ``keep`` as a small concrete graph (same graph, node and edge data dicts).

    networkx' subgraph *views* filter every neighbour of every kept node on each
    pass; a map walks its graph several times (components, layout, edges), which
    on a 2,000-node actor network with 300,000 links costs seconds. Used only where
    the result does not depend on iteration order (everything downstream sorts).
    """
    h = nx.Graph(**base.graph)
    h.add_nodes_from((n, base.nodes[n]) for n in sorted(keep, key=str))
    adj = base.adj
    h.add_edges_from((u, v, d) for u in h for v, d in adj[u].items() if v in keep)
    return h


def _plain_adjacency(g: nx.Graph) -> tuple[dict[str, dict[str, dict]], dict[str, str]]:
    """Adjacency and node kinds as plain dicts (cached): walking networkx' views costs more than a small map."""
    return memo.remember(g, "plain_adjacency",
                         lambda: ({u: dict(nbrs) for u, nbrs in g.adjacency()}, dict(g.nodes(data=schema.KIND))))


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
    return memo.remember(g, "edge_arrays", lambda: _edge_arrays(g))


def _edge_arrays_from_tables(dataset: Dataset) -> EdgeArrays:
    """:class:`EdgeArrays` straight from the validated tables (vectorised; same content as from the graph)."""
    nodes = dataset.nodes.select(schema.ID, schema.KIND).sort([pl.col(schema.KIND) != schema.ACTOR, schema.ID])
    ids = nodes[schema.ID].to_list()
    n_actors = int((nodes[schema.KIND] == schema.ACTOR).sum())
    index = pl.DataFrame({"__id": pl.Series(ids, dtype=pl.String), "__i": np.arange(len(ids), dtype=np.int64)})
    e = dataset.edges
    codes = pl.DataFrame({"__role": list(schema.ROLES), "__code": np.arange(len(schema.ROLES), dtype=np.int8)})
    e = (
        e.select(schema.SOURCE, schema.TARGET, schema.ROLE, schema.WEIGHT)
        .join(index.rename({"__i": "__s"}), left_on=schema.SOURCE, right_on="__id", how="left", maintain_order="left")
        .join(index.rename({"__i": "__t"}), left_on=schema.TARGET, right_on="__id", how="left", maintain_order="left")
        .join(codes, left_on=schema.ROLE, right_on="__role", how="left", maintain_order="left")
    )
    s_idx, t_idx = e["__s"].to_numpy(), e["__t"].to_numpy()
    src, dst = np.minimum(s_idx, t_idx), np.maximum(s_idx, t_idx)
    weight = e[schema.WEIGHT].fill_null(1.0).to_numpy().astype(np.float64)
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
    role_code = {r: k for k, r in enumerate(schema.ROLES)}
    for k, (u, v, d) in enumerate(g.edges(data=True)):
        i, j = index[u], index[v]
        if i > j:
            i, j = j, i
        src[k], dst[k] = i, j
        weight[k] = d.get(schema.WEIGHT) or 1.0
        role[k] = role_code.get(d.get(schema.ROLE) or schema.MEMBER, 0)
    n_a = len(a_ids)
    return EdgeArrays(ids, n_a, src, dst, dst >= n_a, weight, role)


@dataclass(frozen=True)
class ActorAdjacency:
    """Sparse actor × actor co-membership counts plus direct ties.

    ``ids[i]`` names row/column ``i`` (sorted actor ids). ``shared`` holds the
    number of shared partnerships, ``ties`` the weight of direct ties; both are
    symmetric CSR matrices with an empty diagonal and sorted column indices.
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
    return memo.remember(g, "incidence", lambda: _incidence(g))


def _incidence(g: nx.Graph) -> tuple[list[str], list[str], sp.csr_matrix]:
    e = edge_arrays(g)
    rows = e.source[e.membership]
    cols = e.target[e.membership] - e.n_actors
    b = sp.csr_matrix(
        (np.ones(rows.size, dtype=np.int32), (rows, cols)), shape=(e.n_actors, e.n_partnerships), dtype=np.int32
    )
    b.sum_duplicates()
    b.sort_indices()
    return e.ids[: e.n_actors], e.ids[e.n_actors:], b


def incidence_t(g: nx.Graph) -> sp.csr_matrix:
    """The transposed incidence (partnership × actor, CSR, sorted), cached."""

    def build() -> sp.csr_matrix:
        bt = sp.csr_matrix(incidence(g)[2].T)
        bt.sort_indices()
        return bt

    return memo.remember(g, "incidence_t", build)


def tie_matrix(g: nx.Graph) -> sp.csr_matrix:
    """Direct ties as a symmetric actor × actor CSR matrix of weights (float64, sorted, empty diagonal), cached."""

    def build() -> sp.csr_matrix:
        e = edge_arrays(g)
        tie = ~e.membership
        i, j, w = e.source[tie], e.target[tie], e.weight[tie]
        n = e.n_actors
        ties = sp.csr_matrix(
            (np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n), dtype=np.float64
        )
        ties.sum_duplicates()
        ties.sort_indices()
        return ties

    return memo.remember(g, "tie_matrix", build)


#: Upper bound on the stored entries of one row block of the co-membership product
#: (:func:`co_membership_blocks`); a block takes about 8 bytes per entry.
BLOCK_ENTRIES = 4_000_000


def row_blocks(work: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive row ranges ``(lo, hi)`` whose summed ``work`` stays within ``budget`` (one row at least)."""
    n = len(work)
    if n == 0:
        return []
    cs = np.cumsum(np.asarray(work, dtype=np.int64))
    total = int(cs[-1])
    marks = np.arange(budget, total, max(int(budget), 1), dtype=np.int64)
    cuts = np.searchsorted(cs, marks, side="right")
    cuts = np.unique(np.concatenate([[0], cuts, [n]]))
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


def co_membership_work(g: nx.Graph) -> np.ndarray:
    """Per actor, an upper bound on its stored co-membership entries (Σ sizes of its partnerships)."""

    def build() -> np.ndarray:
        _, _, b = incidence(g)
        sizes = np.diff(incidence_t(g).indptr).astype(np.int64)
        return np.asarray(b @ sizes).ravel().astype(np.int64)

    return memo.remember(g, "co_membership_work", build)


def co_membership_blocks(
    g: nx.Graph, *, budget: int | None = None, sort: bool = False
) -> Iterator[tuple[int, int, sp.csr_matrix]]:
    """Rows ``lo:hi`` of the co-membership counts ``B Bᵀ`` without the diagonal, block by block.

    Yields ``(lo, hi, block)``: ``block`` is an int32 CSR matrix of shape
    ``(hi − lo, actors)`` whose entry ``(r, c)`` is the number of partnerships
    actors ``lo + r`` and ``c`` share. Blocks hold about ``budget`` entries, so
    the whole product (hundreds of millions of entries on large networks)
    never exists at once; the diagonal is dropped by a mask, not by
    ``setdiag``. With ``sort`` the column indices of each block are sorted.
    ``budget`` defaults to :data:`BLOCK_ENTRIES`.
    """
    for lo, hi in row_blocks(co_membership_work(g), BLOCK_ENTRIES if budget is None else budget):
        yield lo, hi, co_membership_rows(g, lo, hi, sort=sort)


def co_membership_rows(g: nx.Graph, lo: int, hi: int, *, sort: bool = False) -> sp.csr_matrix:
    """Rows ``lo:hi`` of the co-membership counts without the diagonal (see :func:`co_membership_blocks`)."""
    _, _, b = incidence(g)
    n = b.shape[0]
    block = b[lo:hi] @ incidence_t(g)
    indptr = block.indptr.astype(np.int64)
    rows = np.repeat(np.arange(lo, hi), np.diff(indptr))
    keep = block.indices != rows
    # Every actor with a membership has exactly one diagonal entry (its membership count).
    member = np.diff(b.indptr[lo : hi + 1]) > 0
    removed = np.concatenate([[0], np.cumsum(member, dtype=np.int64)])
    out = sp.csr_matrix(
        (block.data[keep].astype(np.int32, copy=False), block.indices[keep], indptr - removed),
        shape=(hi - lo, n),
    )
    if sort:
        out.sort_indices()
    return out


def tie_pairs(g: nx.Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each direct tie once: ``(i, j, weight, shares)`` with ``i < j`` actor indices and ``shares`` true
    when the two actors also share a partnership (cached)."""

    def build():
        t = sp.triu(tie_matrix(g), k=1).tocoo()
        i, j = t.row.astype(np.int64), t.col.astype(np.int64)
        _, _, b = incidence(g)
        if i.size:
            shares = np.asarray(b[i].multiply(b[j]).sum(axis=1)).ravel() > 0
        else:
            shares = np.zeros(0, dtype=bool)
        return i, j, t.data.astype(np.float64), shares

    return memo.remember(g, "tie_pairs", build)


def linked_pairs(g: nx.Graph) -> int:
    """Distinct actor pairs linked by a shared partnership or a direct tie, counted block by block.

    Uses the cached :func:`actor_adjacency` when it exists; otherwise the
    co-membership product is counted a block at a time and never stored.
    """
    if memo.known(g, "actor_adjacency"):
        return actor_adjacency(g).linked_pairs
    directed = sum(block.nnz for _, _, block in co_membership_blocks(g))
    _, _, _, shares = tie_pairs(g)
    return int(directed // 2 + (~shares).sum())


def actor_adjacency(g: nx.Graph) -> ActorAdjacency:
    """Co-membership counts by the sparse product ``B @ B.T`` (cached): no per-pair Python loop.

    Built block by block (:func:`co_membership_blocks`) into preallocated
    int32 arrays, so the peak is about the size of the result.
    """
    return memo.remember(g, "actor_adjacency", lambda: _actor_adjacency(g))


def _actor_adjacency(g: nx.Graph) -> ActorAdjacency:
    a_ids, _, b = incidence(g)
    n = len(a_ids)
    bound = int(co_membership_work(g).sum())
    indices = np.empty(bound, dtype=np.int32)
    data = np.empty(bound, dtype=np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    at = 0
    for lo, hi, block in co_membership_blocks(g, sort=True):
        k = block.nnz
        indices[at : at + k] = block.indices
        data[at : at + k] = block.data
        indptr[lo + 1 : hi + 1] = at + block.indptr[1:]
        at += k
    if at < 2**31:
        indptr = indptr.astype(np.int32)
    shared = sp.csr_matrix((data[:at], indices[:at], indptr), shape=(n, n))
    return ActorAdjacency(a_ids, shared, tie_matrix(g))


def actor_subnetwork(g: nx.Graph, keep: Collection[str], *, per_actor: int | None = None,
                     rank: Mapping[str, float] | None = None) -> tuple[nx.Graph, int]:
    """The actor network (:func:`actor_network`) restricted to the actors ``keep``, built from the
    sparse co-membership matrix for those actors only; and its number of links before any cut.

    Same nodes, node data and edge data (``shared``, ``tie``, ``weight``) as
    ``actor_network(g).subgraph(keep)``, without building the whole projection
    first (millions of links on large data, for a map that shows the top 2,000 actors).

    With ``per_actor`` and more than ``per_actor`` links per actor on average,
    only each actor's ``per_actor`` strongest links are kept (a link stays when
    it is among the strongest of either end): strongest by weight, then by the
    other end's ``rank`` (higher first), then by id. A few partnerships with
    hundreds of members make cliques of tens of thousands of links, which
    hide everything else on the map and make the page too slow to draw.
    The returned graph is not frozen; its nodes are in sorted order.

    Examples
    --------
    >>> g = graph_from_records(
    ...     nodes=[{"id": "p", "kind": "partnership"}, {"id": "a"}, {"id": "b"}, {"id": "c"}],
    ...     edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"},
    ...            {"source": "c", "target": "p"}])
    >>> h, links = actor_subnetwork(g, {"a", "b"})
    >>> sorted(h.edges(data="shared")), links
    ([('a', 'b', 1)], 1)
    """
    adj = actor_adjacency(g)
    ids = adj.ids
    idx = np.array(sorted(i for i, a in enumerate(ids) if a in keep), dtype=np.int64)
    h = nx.Graph()
    h.add_nodes_from((ids[i], g.nodes[ids[i]]) for i in idx.tolist())
    if idx.size == 0:
        return h, 0
    shared = sp.triu(sp.csr_matrix(adj.shared)[idx][:, idx], k=1).tocsr()
    ties = sp.triu(sp.csr_matrix(adj.ties)[idx][:, idx], k=1).tocsr()
    both = ((shared != 0) + (ties != 0)).tocoo()
    row, col = both.row.astype(np.int64), both.col.astype(np.int64)
    if row.size == 0:
        return h, 0  # (scipy gives a matrix, not an array, for an empty fancy index)
    s_val = np.asarray(shared[row, col]).ravel().astype(np.int64)
    t_val = np.asarray(ties[row, col]).ravel().astype(float)
    total = int(row.size)
    if per_actor is not None and total > per_actor * idx.size:
        weight = s_val + t_val
        score = np.array([float((rank or {}).get(ids[i]) or 0.0) for i in idx.tolist()])
        ends = np.concatenate([row, col])
        other = np.concatenate([col, row])
        link = np.concatenate([np.arange(total), np.arange(total)])
        order = np.lexsort((other, -score[other], -np.concatenate([weight, weight]), ends))
        ends_sorted = ends[order]
        first = np.searchsorted(ends_sorted, ends_sorted, side="left")
        strongest = link[order][np.arange(order.size) - first < per_actor]
        chosen = np.zeros(total, dtype=bool)
        chosen[strongest] = True
        row, col, s_val, t_val = row[chosen], col[chosen], s_val[chosen], t_val[chosen]
    sel = idx.tolist()
    h.add_edges_from((ids[sel[i]], ids[sel[j]], {"shared": int(s), "tie": float(t), "weight": float(s) + float(t)})
                     for i, j, s, t in zip(row.tolist(), col.tolist(), s_val.tolist(), t_val.tolist()))
    return h, total


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
