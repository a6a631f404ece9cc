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

from .. import schema as S
from ..graph import sectors_of
from . import _engine as E

ROLES: Final = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")

_SCHEMA: Final = {
    S.ID: pl.String,
    S.LABEL: pl.String,
    S.SECTOR: pl.String,
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
        other. Null for actors without partners.

    Everything is computed with sparse matrix products over the links (no
    loop over neighbour pairs), in row blocks of bounded size; the cost grows
    with the number of triangles in the actor network.

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
    net = E.actor_net(g)
    ids = net.ids
    sectors = [g.nodes[a].get(S.SECTOR) for a in ids]
    code = _group_codes(sectors, sectors_of(g).ids)
    roles = _roles(net, code)
    constraint, effective = _structural_holes(net)
    attrs = [g.nodes[a] for a in ids]
    data = {
        S.ID: ids,
        S.LABEL: [d.get(S.LABEL) for d in attrs],
        S.SECTOR: sectors,
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


def _roles(net: E.Net, code: np.ndarray) -> dict[str, np.ndarray]:
    """Directed open two-path counts per broker and role (see :func:`brokerage_table`).

    All ordered neighbour pairs (a, c) of a broker follow from its neighbour
    counts per group; the closed ones (a, c linked) from two masked products:
    ``t_all[b, c]`` = common neighbours of b and c with a known group, and
    ``t_own[b, c]`` = common neighbours in b's own group.
    """
    n = net.n
    links = sp.csr_array(net.pattern, dtype=np.float32)
    known = code >= 0
    k = int(code.max()) + 1 if known.any() else 0
    empty = {r: np.zeros(n, dtype=np.int64) for r in (*ROLES, "total", "cross_sector")}
    if k == 0 or links.nnz == 0:
        return empty
    indicator = sp.csr_array(
        (np.ones(int(known.sum()), dtype=np.float32), (np.flatnonzero(known), code[known])), shape=(n, k)
    )
    per_group = np.rint((links @ indicator).toarray()).astype(np.int64)
    own_code = np.where(known, code, 0)
    same = per_group[np.arange(n), own_code] * known
    other = per_group.sum(axis=1) - same
    other_sq = (per_group**2).sum(axis=1) - same**2
    all_coord = same * (same - 1)
    all_itin = other_sq - other
    all_mixed = 2 * same * other
    all_liaison = other * other - other_sq

    rows, cols = _coo(links)
    same_group = known[rows] & known[cols] & (code[rows] == code[cols])
    own_links = sp.csr_array(
        (np.ones(int(same_group.sum()), dtype=np.float32), (rows[same_group], cols[same_group])), shape=(n, n)
    )
    to_known = sp.csr_array(links @ sp.diags_array(known.astype(np.float32)))
    t_all = _on_links(E.masked_product(to_known, links, links), rows, cols)
    t_own = _on_links(E.masked_product(own_links, links, links), rows, cols)
    both = known[rows] & known[cols]
    alike = both & same_group
    unlike = both & ~same_group

    def per_broker(mask: np.ndarray, values: np.ndarray, at: np.ndarray = rows) -> np.ndarray:
        return np.rint(np.bincount(at[mask], weights=values[mask], minlength=n)).astype(np.int64)

    closed_coord = per_broker(alike, t_own)
    closed_mixed = per_broker(alike, t_all - t_own) + per_broker(unlike, t_own)
    closed_itin = per_broker(unlike, t_own, at=cols)
    closed_liaison = per_broker(unlike, t_all - t_own) - closed_itin
    mixed = (all_mixed - closed_mixed) // 2
    out = {
        "coordinator": all_coord - closed_coord,
        "itinerant": all_itin - closed_itin,
        "gatekeeper": mixed,
        "representative": mixed,
        "liaison": all_liaison - closed_liaison,
    }
    out["total"] = sum(out[r] for r in ROLES)
    out["cross_sector"] = out["total"] - out["coordinator"]
    return out


def _structural_holes(net: E.Net) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size (weighted, as networkx), NaN for isolates."""
    n = net.n
    w = net.weights
    links = sp.csr_array(net.pattern, dtype=np.float64)
    strength = E.row_sums(w)
    isolated = np.diff(w.indptr) == 0
    if w.nnz == 0:
        return np.full(n, np.nan), np.full(n, np.nan)
    inv_sum = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
    row_max = np.asarray(w.max(axis=1).toarray()).ravel()
    inv_max = np.divide(1.0, row_max, out=np.zeros(n), where=row_max > 0)
    p = sp.csr_array(sp.diags_array(inv_sum) @ w)
    m = sp.csr_array(sp.diags_array(inv_max) @ w)
    rows, cols = _coo(links)
    p_direct = _on_links(p, rows, cols)
    p_indirect = _on_links(E.masked_product(p, p, links), rows, cols)
    constraint = np.bincount(rows, weights=(p_direct + p_indirect) ** 2, minlength=n)
    redundancy = np.bincount(rows, weights=p_direct * _on_links(E.masked_product(links, m, links), rows, cols), minlength=n)
    effective = np.diff(w.indptr) - redundancy
    constraint[isolated] = np.nan
    effective[isolated] = np.nan
    return constraint, effective


def _coo(m: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Row and column index of every stored entry, in CSR order."""
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    return rows, m.indices.astype(np.int64)


def _on_links(m: sp.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Values of ``m`` at the positions ``(rows, cols)`` (0 where ``m`` stores nothing)."""
    m = sp.csr_array(m)
    m.sum_duplicates()
    m.sort_indices()
    n = m.shape[1]
    keys = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) * n + m.indices
    want = rows.astype(np.int64) * n + cols
    pos = np.searchsorted(keys, want)
    pos = np.minimum(pos, max(keys.size - 1, 0))
    hit = (keys.size > 0) & (keys[pos] == want) if keys.size else np.zeros(want.size, dtype=bool)
    out = np.zeros(want.size)
    if keys.size:
        out[hit] = m.data[pos[hit]]
    return out
