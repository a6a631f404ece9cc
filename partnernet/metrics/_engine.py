"""Private numeric core of the metrics: sparse networks and shortest-path engines (cached in :mod:`partnernet.memo`).

The public metric modules describe *what* they compute; this module holds the
array machinery they share:

* :class:`Net` – a network as a sorted id list plus a symmetric sparse weight
  matrix, built from the two-mode graph or from the sparse actor adjacency
  without one Python object per projected edge.
* exact betweenness through rustworkx (parallel Brandes in Rust), with
  networkx as the fallback when rustworkx is not importable;
* all-pairs distance sums by bit-parallel breadth-first search (closeness),
  exact or estimated from sampled sources;
* seeded source-sampled betweenness (the estimator of
  ``networkx.betweenness_centrality(k=..., seed=...)``, vectorised with numpy);
* eigenvector centrality and PageRank as vectorised versions of networkx'
  iterations (same start vector, update rule and stopping rule);
* :func:`link_product` – products with the actor network's 0/1 links, block
  by block from the incidence when the actor adjacency is not built;
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .. import graph, memo, schema

try:
    import rustworkx as rx
except ImportError:  # pragma: no cover - rustworkx is a declared dependency
    rx = None


def _ones(m: sp.csr_matrix) -> sp.csr_array:
    """The sparsity pattern of ``m`` as float32 ones, sharing ``m``'s index arrays (no copy of them)."""
    return sp.csr_array((np.ones(m.nnz, dtype=np.float32), m.indices, m.indptr), shape=m.shape)


def link_product(g: nx.Graph, y: sp.csr_array, *, ties: bool = True) -> np.ndarray:
    """``L @ y`` (dense) for the 0/1 link matrix ``L`` of the actor network, without building ``L``.

    ``L`` is 1 where two actors share a partnership or (with ``ties``) have a
    direct tie. When the actor adjacency is already built it is used
    (``pattern(shared) + pattern(ties) − both``); otherwise the co-membership
    product is formed one row block at a time and only ``L @ y`` is kept.
    """
    if not _adjacency_built(g):
        return _blockwise_link_product(g, y, ties=ties)
    adj = graph.actor_adjacency(g)
    shared = _ones(adj.shared)
    out = (shared @ y).toarray().astype(np.float64)
    if ties and adj.ties.nnz:
        tie = _ones(adj.ties)
        both = sp.csr_array(shared.multiply(tie))
        out += (tie @ y).toarray() - (both @ y).toarray()
    return np.rint(out).astype(np.int64)


def _adjacency_built(g: nx.Graph) -> bool:
    return not nx.is_frozen(g) or memo.known(g, "actor_adjacency")


def _blockwise_link_product(g: nx.Graph, y: sp.csr_array, *, ties: bool) -> np.ndarray:
    y = sp.csr_array(y, dtype=np.float64)
    n = y.shape[0]
    out = np.zeros(y.shape, dtype=np.float64)
    for lo, hi, block in graph.co_membership_blocks(g):
        out[lo:hi] = (_ones(block) @ y).toarray()
    if ties:
        i, j, _, shares = graph.tie_pairs(g)
        i, j = i[~shares], j[~shares]
        if i.size:
            only = sp.csr_array((np.ones(2 * i.size), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n))
            out += (only @ y).toarray()
    return np.rint(out).astype(np.int64)


# --- networks as sparse matrices -------------------------------------------------


@dataclass(frozen=True)
class Net:
    """An undirected network as arrays.

    ``ids[i]`` names node ``i`` (sorted); ``weights`` is the symmetric weight
    matrix (CSR, float64, empty diagonal); ``is_actor`` marks actor nodes.
    """

    ids: list[str]
    weights: sp.csr_array
    is_actor: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def pattern(self) -> sp.csr_array:
        """0/1 adjacency (int8) with the sparsity of ``weights``."""
        m = self.weights.copy()
        m.data = np.ones_like(m.data, dtype=np.int8)
        return sp.csr_array(m, dtype=np.int8)

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.weights.indptr)

    def upper_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Each undirected edge once, as index arrays ``(i, j)`` with ``i < j``."""
        upper = sp.triu(self.weights, k=1).tocoo()
        return upper.row.astype(np.int64), upper.col.astype(np.int64)


def _symmetric(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> sp.csr_array:
    m = sp.coo_array(
        (np.concatenate([vals, vals]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
        shape=(n, n),
        dtype=np.float64,
    )
    m = sp.csr_array(m)
    m.sum_duplicates()
    m.sort_indices()
    return m


def two_mode_net(g: nx.Graph) -> Net:
    """The two-mode graph itself (actors, partnerships, memberships and ties) as a :class:`Net`."""

    def build() -> Net:
        ids = sorted(g.nodes)
        index = {x: i for i, x in enumerate(ids)}
        rows, cols, vals = [], [], []
        for u, v, w in g.edges(data=schema.WEIGHT):
            rows.append(index[u])
            cols.append(index[v])
            vals.append(1.0 if w is None else float(w))
        weights = _symmetric(
            np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(vals), len(ids)
        )
        is_actor = np.fromiter((g.nodes[x].get(schema.KIND) == schema.ACTOR for x in ids), dtype=bool, count=len(ids))
        return Net(ids, weights, is_actor)

    return memo.remember(g, "two_mode_net", build)


def actor_net(g: nx.Graph) -> Net:
    """The one-mode actor network (weight = shared partnerships + tie weight) as a :class:`Net`.

    Built from the sparse actor adjacency, so it has exactly the links and
    weights of :func:`partnernet.graph.actor_network` without materialising it.
    """

    def build() -> Net:
        adj = graph.actor_adjacency(g)
        if adj.ties.nnz:
            weights = sp.csr_array(adj.shared.astype(np.float64) + adj.ties)
            weights.eliminate_zeros()
        else:
            weights = sp.csr_array(adj.shared.astype(np.float64))
        weights.sort_indices()
        return Net(list(adj.ids), weights, np.ones(len(adj.ids), dtype=bool))

    return memo.remember(g, "actor_net", build)


def has_ties(g: nx.Graph) -> bool:
    """Whether ``g`` has any direct actor–actor tie."""
    return any(rel == schema.TIE for _, _, rel in g.edges(data=schema.RELATION))


def components(net: Net) -> np.ndarray:
    """Connected-component label of every node."""
    if net.n == 0:
        return np.zeros(0, dtype=np.int64)
    if net.n <= SMALL_NET:
        return _small_components(net.weights.indptr, net.weights.indices, net.n)
    from scipy.sparse.csgraph import connected_components  # imported on use: it loads scipy.linalg

    _, labels = connected_components(net.weights, directed=False)
    return labels


#: Up to this many nodes, components are found by a plain search (importing scipy's csgraph, which
#: loads scipy.linalg, costs more than the search; it matters for commands on small data).
SMALL_NET = 2000


def _small_components(indptr: np.ndarray, indices: np.ndarray, n: int) -> np.ndarray:
    """Component labels numbered as scipy's ``connected_components`` numbers them (by first node)."""
    labels = np.full(n, -1, dtype=np.int32)
    ptr, idx = indptr.tolist(), indices.tolist()
    count = 0
    for start in range(n):
        if labels[start] >= 0:
            continue
        labels[start] = count
        stack = [start]
        while stack:
            u = stack.pop()
            for v in idx[ptr[u]:ptr[u + 1]]:
                if labels[v] < 0:
                    labels[v] = count
                    stack.append(v)
        count += 1
    return labels


# --- shortest-path measures ----------------------------------------------------------


def _rx_graph(net: Net):
    r = rx.PyGraph(multigraph=False, node_count_hint=net.n)
    r.add_nodes_from(range(net.n))
    i, j = net.upper_edges()
    r.add_edges_from_no_data(list(zip(i.tolist(), j.tolist())))
    return r


def _nx_graph(net: Net) -> nx.Graph:
    h = nx.Graph()
    h.add_nodes_from(range(net.n))
    i, j = net.upper_edges()
    h.add_edges_from(zip(i.tolist(), j.tolist()))
    return h


def _mapping_to_array(mapping, n: int) -> np.ndarray:
    return np.fromiter((mapping[i] for i in range(n)), dtype=np.float64, count=n)


def raw_betweenness(net: Net) -> np.ndarray:
    """Exact unnormalised betweenness, each unordered pair of endpoints counted once."""
    if net.n == 0:
        return np.zeros(0)
    if rx is not None:
        return _mapping_to_array(rx.betweenness_centrality(_rx_graph(net), normalized=False), net.n)
    return _mapping_to_array(nx.betweenness_centrality(_nx_graph(net), normalized=False), net.n)


def sample_sources(net: Net, k: int, seed: int) -> list[int]:
    """The ``k`` source nodes networkx would draw for ``seed`` from the sorted node list."""
    return sorted(random.Random(seed).sample(range(net.n), k))


def sampled_betweenness(net: Net, k: int, seed: int) -> np.ndarray:
    """Source-sampled estimate of unnormalised betweenness (pairs counted once).

    The estimator of ``networkx.betweenness_centrality(G, k=k, seed=seed)``
    (Brandes & Pich 2007) on a graph whose nodes are in sorted order:
    dependencies from ``k`` random sources, scaled by ``(n-1)/k`` (by
    ``(n-1)/(k-1)`` for the sampled sources, which never count themselves).
    """
    n = net.n
    sources = sample_sources(net, k, seed)
    total = np.zeros(n)
    indptr = net.weights.indptr.astype(np.int64)
    indices = net.weights.indices.astype(np.int64)
    for s in sources:
        total += _dependencies(indptr, indices, n, s)
    scale = np.full(n, (n - 1) / (2.0 * k))
    scale[sources] = (n - 1) / (2.0 * (k - 1))
    return total * scale


def _dependencies(indptr: np.ndarray, indices: np.ndarray, n: int, s: int) -> np.ndarray:
    """Brandes' single-source dependencies δ_s(v) by level-synchronous BFS (no sorting: O(levels + links))."""
    dist = np.full(n, -1, dtype=np.int64)
    stamp = np.empty(n, dtype=np.int64)
    sigma = np.zeros(n)
    dist[s] = 0
    sigma[s] = 1.0
    frontier = np.array([s], dtype=np.int64)
    levels = []
    depth = 0
    while frontier.size:
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        v = indices[spans(starts, counts)]
        u = np.repeat(frontier, counts)
        fresh = dist[v] < 0
        u, v = u[fresh], v[fresh]
        if v.size == 0:
            break
        order = np.arange(v.size)
        stamp[v] = order
        reached = v[stamp[v] == order]
        depth += 1
        dist[reached] = depth
        np.add.at(sigma, v, sigma[u])
        levels.append((u, v))
        frontier = reached
    delta = np.zeros(n)
    for u, v in reversed(levels):
        np.add.at(delta, u, sigma[u] / sigma[v] * (1.0 + delta[v]))
    delta[s] = 0.0
    return delta


def distance_sums(net: Net, *, words: int = 16, budget: int = 64_000_000) -> tuple[np.ndarray, np.ndarray]:
    """For every node: the sum of shortest-path distances to the nodes it reaches, and how many it reaches.

    ``reach`` counts the node itself. Breadth-first search from up to
    ``64 * words`` sources at once, one bit per source (multi-source
    bit-parallel BFS): a level is one gather and OR-reduction over the edge
    list for all sources of the batch. Distances are tallied in bit-sliced
    counters (one bit plane per power of two), so per-source sums are read
    once per batch rather than per level. ``budget`` caps the bytes of the
    per-level gather, which sets the batch width on dense networks.
    """
    n = net.n
    indptr = net.weights.indptr.astype(np.int64)
    indices = net.weights.indices.astype(np.int64)
    totals = np.zeros(n, dtype=np.int64)
    reach = np.ones(n, dtype=np.int64)
    if n == 0:
        return totals, reach
    words = int(max(1, min(words, budget // (8 * (indices.size + n)))))
    rows = np.flatnonzero(np.diff(indptr) > 0)
    starts = indptr[rows]
    for lo in range(0, n, 64 * words):
        sources = np.arange(lo, min(n, lo + 64 * words))
        sums, counts, _, _ = _bfs_batch(indices, rows, starts, n, sources)
        totals[sources] = sums
        reach[sources] = counts
    return totals, reach


def estimated_distance_sums(net: Net, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Distance sums as :func:`distance_sums`, estimated from the ``k`` sources of :func:`sample_sources`.

    For a node reached by ``h`` sampled sources other than itself, the sum is
    ``(r − 1) ×`` their mean distance to it (``r`` = size of its component;
    Eppstein & Wang's estimator). Nodes whose component holds no other
    sampled source get their exact sum from their own search (such
    components are small). ``reach`` is always exact.
    """
    n = net.n
    indptr = net.weights.indptr.astype(np.int64)
    indices = net.weights.indices.astype(np.int64)
    rows = np.flatnonzero(np.diff(indptr) > 0)
    starts = indptr[rows]
    labels = components(net)
    reach = np.bincount(labels)[labels] if n else np.zeros(0, dtype=np.int64)
    sources = np.asarray(sample_sources(net, k, seed), dtype=np.int64)
    dist = np.zeros(n, dtype=np.int64)
    hits = np.zeros(n, dtype=np.int64)
    for lo in range(0, sources.size, 64 * 16):
        batch = sources[lo : lo + 64 * 16]
        _, _, planes, visited = _bfs_batch(indices, rows, starts, n, batch)
        for p, plane in enumerate(planes):
            dist += np.bitwise_count(plane & visited).sum(axis=1, dtype=np.int64) << p
        hits += np.bitwise_count(visited).sum(axis=1, dtype=np.int64)
    hits[sources] -= 1
    totals = np.zeros(n)
    seen = hits > 0
    totals[seen] = (reach[seen] - 1) * dist[seen] / hits[seen]
    alone = np.flatnonzero(~seen & (reach > 1))
    for lo in range(0, alone.size, 64 * 16):
        batch = alone[lo : lo + 64 * 16]
        sums, _, _, _ = _bfs_batch(indices, rows, starts, n, batch)
        totals[batch] = sums
    return totals, reach


def _bfs_batch(indices, rows, starts, n, sources):
    """Bit-parallel BFS from ``sources``: per-source distance sums and reach, plus the raw planes and visited bits."""
    b = sources.size
    bit = np.arange(b)
    visited = np.zeros((n, (b + 63) // 64), dtype=np.uint64)
    visited[sources, bit // 64] = np.uint64(1) << (bit % 64).astype(np.uint64)
    frontier = visited.copy()
    planes: list[np.ndarray] = []
    while True:
        _increment(planes, ~visited)
        reached = np.zeros_like(visited)
        if rows.size:
            reached[rows] = np.bitwise_or.reduceat(frontier[indices], starts, axis=0)
        new = reached & ~visited
        if not new.any():
            break
        visited |= new
        frontier = new
    sums = np.zeros(b, dtype=np.int64)
    for p, plane in enumerate(planes):
        sums += _bit_counts(plane & visited, b) << p
    return sums, _bit_counts(visited, b), planes, visited


def _increment(planes: list[np.ndarray], bits: np.ndarray) -> None:
    """Add 1 to the bit-sliced counters wherever ``bits`` is set (ripple carry)."""
    carry = bits
    for plane in planes:
        overflow = plane & carry
        plane ^= carry
        carry = overflow
        if not carry.any():
            return
    if carry.any():
        planes.append(carry.copy())


def _bit_counts(m: np.ndarray, b: int) -> np.ndarray:
    """Per bit position (source), how many rows have it set."""
    return np.unpackbits(m.view(np.uint8), axis=1, bitorder="little").sum(axis=0, dtype=np.int64)[:b]


# --- spectral measures --------------------------------------------------------------


#: Largest weights for which the eigenvector iteration runs on the weights as given.
UNSCALED_WEIGHTS: Final = (1.0, 1e6)


def eigenvector(net: Net, *, max_iter: int = 1000, tol: float = 1e-6) -> np.ndarray:
    """Weighted eigenvector centrality, as ``networkx.eigenvector_centrality(weight="weight")``.

    Power iteration on ``A + I`` from the uniform vector, Euclidean norm 1,
    stopping when the L1 change is below ``n * tol``: networkx' algorithm,
    vectorised, with ten times its iteration budget. If that still does not
    converge, the leading eigenvector from ARPACK (deterministic start vector)
    is used instead.

    The iteration adds ``I`` to ``A``, so its stopping point depends on the
    scale of the weights: with weights far below 1 the first step changes
    less than ``tol`` and the uniform start vector would be returned. ``A``
    is therefore divided by its largest weight when that lies outside
    :data:`UNSCALED_WEIGHTS` (inside it the iteration is networkx' own).
    """
    n = net.n
    if n == 0:
        return np.zeros(0)
    a = net.weights
    top = float(a.data.max()) if a.nnz else 1.0
    if not UNSCALED_WEIGHTS[0] <= top <= UNSCALED_WEIGHTS[1]:
        a = a / top
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + a @ last
        x = x / (float(np.linalg.norm(x)) or 1.0)
        if np.abs(x - last).sum() < n * tol:
            return x
    return _leading_eigenvector(a)


def _leading_eigenvector(a: sp.csr_array) -> np.ndarray:
    n = a.shape[0]
    if n < 3:
        vals, vecs = np.linalg.eigh(a.toarray())
        v = vecs[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        vals, vecs = eigsh(a.astype(np.float64), k=1, which="LA", v0=np.ones(n))
        v = vecs[:, 0]
    v = np.abs(v)
    return v / (np.linalg.norm(v) or 1.0)


def pagerank(net: Net, *, alpha: float = 0.85, max_iter: int = 100, tol: float = 1e-6) -> np.ndarray:
    """Weighted PageRank, as ``networkx.pagerank(weight="weight")`` (its scipy iteration)."""
    n = net.n
    if n == 0:
        return np.zeros(0)
    a = net.weights
    out = np.asarray(a.sum(axis=1)).ravel()
    inv = np.zeros(n)
    inv[out != 0] = 1.0 / out[out != 0]
    q = sp.diags_array(inv) @ a
    qt = sp.csr_array(q.T)
    dangling = np.flatnonzero(out == 0)
    p = np.full(n, 1.0 / n)
    x = p.copy()
    for _ in range(max_iter):
        last = x
        x = alpha * (qt @ last + last[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            break
    return x


# --- sparse helpers ----------------------------------------------------------------------


def row_sums(m: sp.csr_array) -> np.ndarray:
    return np.asarray(m.sum(axis=1)).ravel()


def spans(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated index ranges ``starts[i] : starts[i] + counts[i]`` (vectorised, no Python loop)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)


def gather_rows(m: sp.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the given CSR rows, concatenated."""
    pos = spans(m.indptr[rows], m.indptr[rows + 1] - m.indptr[rows])
    return m.indices[pos], m.data[pos]


def scaled_cols(m: sp.csr_array, scale: np.ndarray) -> sp.csr_array:
    """``m`` with column j multiplied by ``scale[j]`` (same pattern, same index order)."""
    return sp.csr_array((m.data * scale[m.indices], m.indices, m.indptr), shape=m.shape)


def pattern(m: sp.csr_array) -> sp.csr_array:
    """The sparsity pattern of ``m`` as float64 ones (same index order)."""
    return sp.csr_array((np.ones(m.nnz), m.indices, m.indptr), shape=m.shape)


def lookup(keys: np.ndarray, data: np.ndarray, want: np.ndarray) -> np.ndarray:
    """``data`` at the sorted ``keys`` equal to ``want`` (0 where absent)."""
    if keys.size == 0:
        return np.zeros(want.size)
    at = np.minimum(np.searchsorted(keys, want), keys.size - 1)
    return np.where(keys[at] == want, data[at], 0.0)


def row_index(m: sp.csr_array) -> np.ndarray:
    """Row of every stored entry of a CSR matrix, in storage order."""
    return np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))


def sector_codes(g: nx.Graph, ids: Sequence[str]) -> np.ndarray:
    """Vocabulary position of each actor's sector; −1 without one (or with one outside the vocabulary)."""
    index = {s: i for i, s in enumerate(graph.sectors_of(g).ids)}
    return np.fromiter((index.get(g.nodes[a].get(schema.SECTOR), -1) for a in ids), dtype=np.int64, count=len(ids))
