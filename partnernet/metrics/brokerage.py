"""Who bridges sectors: Gould–Fernandez brokerage roles and Burt's structural holes.

Computed on the actor network (actors linked by a shared partnership or a
direct tie), with each actor's sector as its group.
"""

from __future__ import annotations

from typing import Final

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import schema
from ..graph import BLOCK_ENTRIES, co_membership_rows, co_membership_work, incidence, row_blocks, sectors_of, tie_matrix
from ._engine import row_index, row_sums, spans

ROLES: Final = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")

_SCHEMA: Final = {
    schema.ID: pl.String,
    schema.LABEL: pl.String,
    schema.SECTOR: pl.String,
    **{r: pl.Int64 for r in ROLES},
    "total": pl.Int64,
    "cross_sector": pl.Int64,
    "constraint": pl.Float64,
    "effective_size": pl.Float64,
}


def brokerage_table(g: nx.Graph) -> pl.DataFrame:
    """Brokerage roles and structural-hole measures of every actor, sorted by id.

    Brokerage (Gould & Fernandez 1989)
        An actor *b* brokers between two of its partners *a* and *c* who are
        not linked to each other (an open two-path a–b–c). The role depends on
        the sectors of the three:

        ``coordinator``
            a, b and c in the same sector.
        ``itinerant``
            a and c in the same sector, b in another (consultant).
        ``gatekeeper``, ``representative``
            b shares its sector with exactly one of a and c. Reading the path
            a → b → c, b is a *gatekeeper* when it shares its sector with c
            (it controls access into its sector) and a *representative* when
            it shares it with a (it speaks for its sector outward).
        ``liaison``
            a, b and c in three different sectors.

        The actor network is undirected, so every link is read in both
        directions (Gould–Fernandez on the symmetrised network): each open
        pair a–b–c counts once as a→b→c and once as c→b→a. Coordinator,
        itinerant and liaison counts are therefore even, and a mixed pair is
        one gatekeeper path and one representative path, so ``gatekeeper``
        equals ``representative``. ``total`` is the sum of the five roles
        (twice the number of open pairs with known sectors) and
        ``cross_sector`` is ``total − coordinator``: brokerage that involves
        more than one sector. Pairs in which any of the three actors has no
        sector are not counted; an actor without a sector gets null roles.

    Structural holes (Burt 1992)
        ``constraint`` and ``effective_size`` as :func:`networkx.constraint`
        and :func:`networkx.effective_size` with ``weight="weight"`` (shared
        partnerships plus direct-tie weight): low constraint and high
        effective size mark an actor whose partners are not partners of each
        other. Null for actors without partners. Effective size follows
        networkx' per-node definition (``nodes=`` given); its vectorised
        all-nodes path in networkx ≤ 3.6 normalises weighted graphs along the
        wrong axis (networkx pull request #8906).

    Nothing loops over neighbour pairs and the actor network is never held
    whole: the weighted common-neighbour sums behind both measures come from
    the actor × partnership incidence ``B`` (see :class:`_Links`), one row
    block of the actor network at a time, so the cost grows with links ×
    memberships rather than with the number of triangles, and memory with
    the block size rather than with the network (timings: README, Performance).

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "a", "sector": "state"}, {"id": "b", "sector": "business"},
    ...      {"id": "c", "sector": "state"}],
    ...     [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}])
    >>> brokerage_table(g).filter(id="b").select("itinerant", "cross_sector").row(0)
    (2, 2)
    """
    ids = incidence(g)[0]
    sectors = [g.nodes[a].get(schema.SECTOR) for a in ids]
    code = _group_codes(sectors, sectors_of(g).ids)
    roles, constraint, effective = _Links(g, code).compute()
    attrs = [g.nodes[a] for a in ids]
    data = {
        schema.ID: ids,
        schema.LABEL: [d.get(schema.LABEL) for d in attrs],
        schema.SECTOR: sectors,
    }
    known = code >= 0
    for name, values in roles.items():
        data[name] = [int(v) if k else None for v, k in zip(values.tolist(), known.tolist())]
    data["constraint"] = constraint
    data["effective_size"] = effective
    return pl.DataFrame(data, schema=_SCHEMA).with_columns(pl.col("constraint", "effective_size").fill_nan(None))


def _group_codes(sectors: list[str | None], vocabulary: tuple[str, ...]) -> np.ndarray:
    """Integer group per actor: vocabulary sectors first, other sector values after; −1 when none."""
    extra = sorted({s for s in sectors if s is not None and s not in vocabulary})
    index = {s: i for i, s in enumerate((*vocabulary, *extra))}
    return np.fromiter((index.get(s, -1) if s is not None else -1 for s in sectors), dtype=np.int64, count=len(sectors))


#: Per row block of the actor network: partnership-indexed buffer cells (rows × partnerships, 48 bytes each) …
_BUFFER_CELLS: Final = 4_000_000
#: … and (link, membership of the link's other end) pairs read from the buffer.
_GATHER_CELLS: Final = 3_000_000
#: Buffer channels: P D_known B, P D_own B, W D_s B, P D_m B, and F D_known B, F D_x B for the transposed terms.
_CHANNELS: Final = 6


class _Links:
    """Sums over common neighbours at every link of the actor network, via the two-mode factorisation.

    Notation: ``B`` the actor × partnership incidence, ``m`` memberships per
    actor, ``S = B Bᵀ − diag(m)`` the co-membership counts, ``T`` the direct
    ties, ``W = S + T`` the weights and ``P`` the 0/1 links. ``P`` and ``W``
    differ from ``S`` by sparse ``F = P − S`` (tie-only pairs, pairs sharing
    several partnerships) and ``T``. Every quantity needed is a product
    ``X D Y`` (``D`` diagonal) read at the links, with ``X = S + Fx`` and
    ``Y = S + Fy``; at a link (v, u)

        (X D Y)[v, u] = Σ_{q ∈ u} Z[v, q] − X[v, u] d_u m_u                  (Z = X D B)
                      + Σ_{q ∈ v} (Fy D B)[u, q] − m_v d_v Fy[v, u]
                      + (Fx D Fy)[v, u]

    and ``Z = B (Bᵀ D B) − diag(m d) B + Fx D B``. ``Bᵀ D B`` is partnership
    × partnership, so a row of ``Z`` costs about one operation per nearby
    partnership rather than one per partner's partner. Rows of ``Z`` are
    scattered into a dense partnership-indexed buffer for a block of actors
    (cell-major: the channels of one cell share a cache line, and pairs of
    channels are filled by one complex-valued product) and read at the
    memberships of each link's other end, so nothing of the size actors ×
    partnerships or links × partners is ever formed. The second
    line (``Fy = F`` for brokerage) is read the same way, but from the
    buffer row of u while u's block is processed: brokerage counts are sums
    over links, so it is added straight to the totals it belongs to. For
    Burt's measures ``Fy = T`` and it is a sparse product read at the links.
    Blocks are sized by :data:`_BUFFER_CELLS` and :data:`_GATHER_CELLS`.

    Brokerage needs, per link, ``t_all = P D P`` (``D``: known group) and
    ``t_own`` (common neighbours in the row actor's group); Burt's measures
    ``W D W`` (``D = 1/strength``) and ``P D W`` (``D = 1/row maximum``).
    """

    def __init__(self, g: nx.Graph, code: np.ndarray) -> None:
        self.g = g
        _, _, b = incidence(g)
        self.b = sp.csr_array(b, dtype=np.float64)
        self.b.sort_indices()
        self.bt = sp.csr_array(self.b.T)
        self.bt.sort_indices()
        self.n, self.p = self.b.shape
        self.m = np.diff(self.b.indptr).astype(np.int64)
        self.ties = sp.csr_array(tie_matrix(g))
        self.code = code
        self.known = code >= 0
        self.k = int(code.max()) + 1 if self.known.any() else 0
        sizes = np.diff(self.bt.indptr).astype(np.float64)
        self.strength = (self.b @ (sizes - 1.0)) + row_sums(self.ties)

    # -- blocks of the actor network --------------------------------------------------------

    def _rows(self, lo: int, hi: int):
        """Links of rows ``lo:hi``: local row, column, weight, tie weight and ``F`` at each (CSR order)."""
        s = sp.csr_array(co_membership_rows(self.g, lo, hi, sort=True), dtype=np.float64)
        t = self.ties[lo:hi]
        w = sp.csr_array(s + t) if t.nnz else s
        w.sort_indices()
        rows = row_index(w)
        cols = w.indices.astype(np.int64)
        if t.nnz:
            t_at = _at(t, w, self.n)
            s_at = np.rint(w.data - t_at)
        else:
            t_at = np.zeros(w.nnz)
            s_at = w.data
        return w, rows, cols, w.data, t_at, 1.0 - s_at

    def _prepass(self):
        """Degree, weight row maximum, neighbours per group, gather work and ``F`` (sparse), by blocks."""
        n, k = self.n, self.k
        deg = np.zeros(n, dtype=np.int64)
        row_max = np.zeros(n)
        per_group = np.zeros((n, max(k, 1)), dtype=np.int64)
        gather = np.zeros(n)
        f_rows, f_cols, f_vals = [], [], []
        for lo, hi in row_blocks(co_membership_work(self.g) + np.diff(self.ties.indptr), BLOCK_ENTRIES):
            w, rows, cols, w_at, _, f_at = self._rows(lo, hi)
            deg[lo:hi] = np.diff(w.indptr)
            filled = np.flatnonzero(deg[lo:hi])
            if filled.size:
                row_max[lo + filled] = np.maximum.reduceat(w_at, w.indptr[filled])
            gather[lo:hi] = np.bincount(rows, weights=self.m[cols], minlength=hi - lo)
            if k:
                kn = self.known[cols]
                keys = rows[kn] * k + self.code[cols[kn]]
                per_group[lo:hi] = np.bincount(keys, minlength=(hi - lo) * k).reshape(hi - lo, k)
            extra = f_at != 0
            f_rows.append(rows[extra] + lo)
            f_cols.append(cols[extra])
            f_vals.append(f_at[extra])
        f = sp.csr_array(
            (np.concatenate(f_vals) if f_vals else np.zeros(0),
             (np.concatenate(f_rows) if f_rows else np.zeros(0, np.int64),
              np.concatenate(f_cols) if f_cols else np.zeros(0, np.int64))),
            shape=(n, n),
        )
        f.sort_indices()
        return deg, row_max, per_group[:, :k], gather, f

    # -- the sums -------------------------------------------------------------------------

    def compute(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        n, p, k = self.n, self.p, self.k
        deg, row_max, per_group, gather, f = self._prepass()
        known, code = self.known, self.code
        d_known = known.astype(np.float64)
        d_s = np.divide(1.0, self.strength, out=np.zeros(n), where=self.strength > 0)
        d_m = np.divide(1.0, row_max, out=np.zeros(n), where=row_max > 0)
        b, bt, ties = self.b, self.bt, self.ties

        def kernel(d: np.ndarray) -> sp.csr_array:
            return sp.csr_array(bt @ _scale_rows(b, d))

        # Two real channels per complex kernel, so that one product fills both (the parts never mix).
        k_known = kernel(d_known)
        k_own = [sp.csr_array(k_known + 1j * kernel(d_known * (code == x))) for x in range(k)]
        k_own.append(sp.csr_array(k_known, dtype=np.complex128))
        k_burt = sp.csr_array(kernel(d_s) + 1j * kernel(d_m))
        db_known, db_s, db_m = _scale_rows(b, d_known), _scale_rows(b, d_s), _scale_rows(b, d_m)
        # B with each membership's column moved to (partnership, group of the actor): F @ b_group sums by group.
        kn = np.flatnonzero(known[row_index(b)])
        b_rows = row_index(b)[kn]
        b_group = sp.csr_array(
            (np.ones(kn.size), (b_rows, b.indices[kn].astype(np.int64) * max(k, 1) + code[b_rows])),
            shape=(n, p * max(k, 1)),
        )
        has_ties = ties.nnz > 0
        if has_ties:
            g_s = sp.csr_array(bt @ _scale_rows(ties, d_s))
            g_m = sp.csr_array(bt @ _scale_rows(ties, d_m))
            ds_t, dm_t = _scale_rows(ties, d_s), _scale_rows(ties, d_m)
        f_known = _scale_rows(f, d_known)

        acc = {key: np.zeros(n) for key in ("coord", "mixed", "itin", "liaison")}
        constraint = np.zeros(n)
        redundancy = np.zeros(n)

        bounds = _blocks(gather / _GATHER_CELLS + max(p, 1) / _BUFFER_CELLS)
        rows_max = max((hi - lo for lo, hi in bounds), default=0)
        # Cell-major: the channels of one (actor, partnership) cell share a cache line, so one random
        # read serves them all; the complex view writes two channels at once.
        buf = np.zeros((rows_max * p, _CHANNELS))
        pairs = buf.view(np.complex128)
        group = np.where(known, code, k)

        for lo, hi in bounds:
            w, rows, cols, w_at, t_at, f_at = self._rows(lo, hi)
            if w.nnz == 0:
                continue
            nr = hi - lo
            v = rows + lo
            b_blk = b[lo:hi]
            m_v = self.m[lo:hi].astype(np.float64)
            same = known[v] & (code[v] == code[cols])
            extra = f_at != 0
            f_blk = _select(w.indptr, cols, f_at, extra, nr, n)
            f_same = _select(w.indptr, cols, f_at, extra & same, nr, n)
            written: list[tuple[np.ndarray, np.ndarray]] = []

            def put(target: np.ndarray, z: sp.csr_array, row_map: np.ndarray | None = None, first: bool = False):
                if z.nnz == 0:
                    return
                r = row_index(z)
                at = (r if row_map is None else row_map[r]) * p + z.indices
                if first:
                    target[at] = z.data
                else:
                    target[at] += z.data
                written.append((target, at))

            # Z = B (Bᵀ D B) − diag(m d) B + Fx D B, one channel per quantity:
            # 0: P D_known B, 1: P D_own B, 2: W D_s B, 3: P D_m B.
            put(pairs[:, 1], b_blk @ k_burt, first=True)
            lo_group = group[lo:hi]
            for x in range(k + 1):
                mine = np.flatnonzero(lo_group == x)
                if mine.size:
                    put(pairs[:, 0], b_blk[mine] @ k_own[x], mine, first=True)
            b_row = row_index(b_blk)
            coef = m_v[:, None] * np.stack([d_known[lo:hi], d_known[lo:hi], d_s[lo:hi], d_m[lo:hi]], axis=1)
            b_pos = b_row * p + b_blk.indices
            for ch in range(4):
                buf[:, ch][b_pos] -= coef[b_row, ch]
                written.append((buf[:, ch], b_pos))
            if f_blk.nnz:
                y_known = sp.csr_array(f_blk @ db_known)
                put(buf[:, 0], y_known)
                put(buf[:, 3], f_blk @ db_m)
                if f_same.nnz:
                    put(buf[:, 1], f_same @ self.b)
            if has_ties:
                put(buf[:, 2], ties[lo:hi] @ db_s)

            # Read every channel at the memberships of each link's other end, links grouped by the
            # other end's group x so that channel 5 can hold F D_x B (a term of t_own(u, v)) meanwhile.
            counts = self.m[cols]
            u_group = group[cols].astype(np.int16 if k < 32_000 else np.int64)
            order = np.argsort(u_group, kind="stable")
            group_bounds = np.searchsorted(u_group[order], np.arange(k + 2)).tolist()
            if f_blk.nnz:
                put(buf[:, 4], y_known, first=True)
                yg = sp.csr_array(f_blk @ b_group)
                y_group = yg.indices % max(k, 1)
                y_order = np.argsort(y_group, kind="stable")
                y_bounds = np.searchsorted(y_group[y_order], np.arange(k + 1)).tolist()
                y_pos = row_index(yg) * p + yg.indices // max(k, 1)
            sums = np.zeros((cols.size, _CHANNELS))
            for x in range(k + 1):
                links = order[group_bounds[x] : group_bounds[x + 1]]
                links = links[counts[links] > 0]
                if links.size == 0:
                    continue
                part = None
                if f_blk.nnz and x < k:
                    part = y_order[y_bounds[x] : y_bounds[x + 1]]
                    buf[y_pos[part], 5] = yg.data[part]
                sums[links] = _membership_sums(buf, rows[links] * p, b, cols[links])
                if part is not None:
                    buf[y_pos[part], 5] = 0.0
            for target, at in written:
                target[at] = 0.0

            m_c = counts.astype(np.float64)
            keys = rows * n + cols
            d_c = d_known[cols]

            # Brokerage: t_all, t_own at (v, u), and the terms of (u, v) that are read from v's row
            # (second line of the formula in the class docstring, for Fy = F).
            t_all = sums[:, 0] - d_c * m_c
            t_own = sums[:, 1] - (same & known[cols]) * m_c
            c_all = sums[:, 4] - m_c * d_c * f_at
            c_own = sums[:, 5] - m_c * d_c * f_at
            if f_blk.nnz:
                t_all += _at(f_blk @ f_known, keys, n)
                if f_same.nnz:
                    t_own += _at(f_same @ f, keys, n)
            self._tally(acc, lo, hi, rows, cols, t_all, t_own, c_all, c_own)

            # Burt: W D_s W and P D_m W at the links.
            x_val = sums[:, 2] - w_at * d_s[cols] * m_c
            l_val = sums[:, 3] - d_m[cols] * m_c
            if has_ties:
                t_blk = ties[lo:hi]
                m_r = m_v[rows]
                x_val += _at(b_blk @ g_s, keys, n) - m_r * d_s[v] * t_at + _at(t_blk @ ds_t, keys, n)
                l_val += _at(b_blk @ g_m, keys, n) - m_r * d_m[v] * t_at
                if f_blk.nnz:
                    l_val += _at(f_blk @ dm_t, keys, n)
            inv = d_s[v]
            constraint[lo:hi] += np.bincount(rows, weights=((w_at + x_val) * inv) ** 2, minlength=nr)
            redundancy[lo:hi] += np.bincount(rows, weights=w_at * inv * l_val, minlength=nr)

        roles = _roles(per_group, code, acc)
        isolated = deg == 0
        effective = deg - redundancy
        constraint[isolated] = np.nan
        effective[isolated] = np.nan
        return roles, constraint, effective

    def _tally(self, acc, lo, hi, rows, cols, t_all, t_own, c_all, c_own) -> None:
        """Add closed pairs by role class: (v, u) values to broker v, transposed values to broker u."""
        n, nr, code, known = self.n, hi - lo, self.code, self.known
        v = rows + lo
        both = known[v] & known[cols]
        alike = both & (code[v] == code[cols])
        unlike = both & ~alike

        def local(values):
            return np.bincount(rows, weights=values, minlength=nr)

        acc["coord"][lo:hi] += local(alike * t_own)
        acc["mixed"][lo:hi] += local(alike * (t_all - t_own) + unlike * t_own)
        acc["liaison"][lo:hi] += local(unlike * (t_all - t_own))
        hit = np.flatnonzero(unlike & (t_own != 0))
        acc["itin"] += np.bincount(cols[hit], weights=t_own[hit], minlength=n)
        sub = np.flatnonzero((c_all != 0) | (c_own != 0))
        if sub.size:
            u, a, un = cols[sub], alike[sub], unlike[sub]
            ca, co = c_all[sub], c_own[sub]
            acc["coord"] += np.bincount(u, weights=a * co, minlength=n)
            acc["mixed"] += np.bincount(u, weights=a * (ca - co) + un * co, minlength=n)
            acc["liaison"] += np.bincount(u, weights=un * (ca - co), minlength=n)
            acc["itin"][lo:hi] += np.bincount(rows[sub], weights=un * co, minlength=nr)


def _roles(per_group: np.ndarray, code: np.ndarray, acc: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Directed open two-path counts per broker and role (see :func:`brokerage_table`).

    All ordered neighbour pairs (a, c) of a broker follow from its neighbour
    counts per group; the closed ones (a, c linked) were tallied by class.
    """
    n = code.size
    known = code >= 0
    if per_group.shape[1] == 0:
        return {r: np.zeros(n, dtype=np.int64) for r in (*ROLES, "total", "cross_sector")}
    same = per_group[np.arange(n), np.where(known, code, 0)] * known
    other = per_group.sum(axis=1) - same
    other_sq = (per_group**2).sum(axis=1) - same**2
    closed = {key: np.rint(value).astype(np.int64) for key, value in acc.items()}
    mixed = (2 * same * other - closed["mixed"]) // 2
    out = {
        "coordinator": same * (same - 1) - closed["coord"],
        "itinerant": other_sq - other - closed["itin"],
        "gatekeeper": mixed,
        "representative": mixed,
        "liaison": other * other - other_sq - (closed["liaison"] - closed["itin"]),
    }
    out["total"] = sum(out[r] for r in ROLES)
    out["cross_sector"] = out["total"] - out["coordinator"]
    return {key: np.where(known, value, 0) for key, value in out.items()}


#: Longest membership list that :func:`numpy.add.reduceat` sums one term after the other.
_SEQUENTIAL: Final = 8


def _membership_sums(cells: np.ndarray, base: np.ndarray, b: sp.csr_array, u: np.ndarray) -> np.ndarray:
    """Per link, the sum of the rows ``cells[base + q]`` over the memberships ``q`` of its other end ``u``.

    Added in the order of :func:`numpy.add.reduceat` over each link's cells,
    so the floats are the same as when each channel is gathered and reduced
    on its own: reduceat adds the first term to the running sum of the
    others when a list has at most :data:`_SEQUENTIAL` terms, and sums longer
    ones pairwise (those are handed to reduceat itself). Links are taken
    longest list first, so that the links still adding at term ``j`` are a
    prefix; whole rows are read with :func:`numpy.take` (one cache line per
    cell, and much faster than 2-D fancy indexing).
    """
    count = b.indptr[u + 1] - b.indptr[u]
    top = int(count.max())
    order = np.argsort(top - count.astype(np.int16 if top < 2**15 else np.int64), kind="stable")
    count = count[order]
    start = b.indptr[u[order]].astype(np.int64)
    base = base[order]
    still = np.searchsorted(-count, -np.arange(max(top, _SEQUENTIAL) + 1), side="left")
    sums = np.take(cells, base + b.indices[start], axis=0)
    rest = np.zeros_like(sums)
    for j in range(1, min(top, _SEQUENTIAL)):
        live = still[j]
        rest[:live] += np.take(cells, base[:live] + b.indices[start[:live] + j], axis=0)
    sums += rest
    long = still[_SEQUENTIAL]
    if long:
        cnt = count[:long]
        at = np.repeat(base[:long], cnt) + b.indices[spans(start[:long], cnt)]
        offsets = np.cumsum(cnt) - cnt
        terms = np.take(cells, at, axis=0)
        for c in range(cells.shape[1]):
            sums[:long, c] = np.add.reduceat(np.ascontiguousarray(terms[:, c]), offsets)
    out = np.empty_like(sums)
    out[order] = sums
    return out


def _blocks(work: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges whose summed (normalised) work stays about 1, one row at least."""
    n = work.size
    if n == 0:
        return []
    cs = np.cumsum(work)
    cuts = np.searchsorted(cs, np.arange(1.0, cs[-1], 1.0), side="right")
    cuts = np.unique(np.concatenate([[0], cuts, [n]]))
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


def _scale_rows(m, d: np.ndarray) -> sp.csr_array:
    """``diag(d) @ m`` for a CSR matrix, sharing its index arrays."""
    m = sp.csr_array(m)
    return sp.csr_array((m.data * d[row_index(m)], m.indices, m.indptr), shape=m.shape)


def _select(indptr: np.ndarray, cols: np.ndarray, values: np.ndarray, keep: np.ndarray, nr: int, n: int) -> sp.csr_array:
    """The entries ``keep`` of a CSR block given by ``indptr``/``cols``/``values``, as a CSR matrix (order kept)."""
    kept = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return sp.csr_array((values[keep], cols[keep], kept[indptr]), shape=(nr, n))


def _at(m: sp.csr_array, where, n: int) -> np.ndarray:
    """Values of block matrix ``m`` at sorted flat keys ``row * n + col`` (or at the entries of CSR ``where``)."""
    if not isinstance(where, np.ndarray):
        where = row_index(where) * n + where.indices.astype(np.int64)
    out = np.zeros(where.size)
    m = sp.csr_array(m)
    m.sum_duplicates()
    if m.nnz == 0 or where.size == 0:
        return out
    keys = row_index(m) * n + m.indices.astype(np.int64)
    pos = np.searchsorted(where, keys)
    pos = np.minimum(pos, where.size - 1)
    hit = where[pos] == keys
    out[pos[hit]] = m.data[hit]
    return out
