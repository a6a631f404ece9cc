"""What the suggestions are computed from: the two-mode network as arrays, and per-candidate features.

A *query* is a partnership p; its *candidates* are the actors of a sector
that are not members of p. For each (query, candidate) row this module
computes, with sparse products on the actor × partnership incidence ``B``:

* ``md`` – mass diffusion (ProbS, Zhou et al. 2010): one unit of resource on
  each member a of p is spread evenly over a's partnerships (÷ k_a), and from
  each partnership evenly over its members (÷ k_q); ``md`` is what reaches c.
* ``heat`` – heat conduction (HeatS, same paper): the average, over c's
  partnerships, of the share of each partnership's members that are members
  of p; favours candidates with few partnerships.
* ``aa`` – Adamic–Adar on the two-mode paths c – q – m – p (q a partnership
  of c, m a member of p in q, q ≠ p): each path counts 1/(log k_q · log k_m),
  so a path through a small partnership and a member with few partnerships
  counts most (Adamic and Adar 2003; Lü and Zhou 2011); both degrees are at
  least 2 on such a path.
* ``cn`` – common neighbours: members of p that c shares a partnership with;
  ``tie`` – members of p that c has a direct tie to; ``shared`` –
  partnerships other than p that c shares with at least one member.
* ``degree`` – c's number of partnerships (popularity).
* per attribute column a share and a count: for a partnership column
  (theme, programme, region, …) ``p:<column>``, the share of c's
  partnerships with p's value, and ``pn:<column>``, their number; for an
  actor column (country, type, …) ``a:<column>``/``an:<column>``, the share
  and number of p's members with c's value; ``years``/``years_n``, the share
  and number of c's partnerships whose years overlap p's. The count says how
  much experience c has there, the share how typical it is of c.
* ``title_name``, ``title_sim`` and ``member_name`` – the labels as text
  (:mod:`partnernet.metrics.words`): words of p's title in c's name and in
  its partnerships' titles, and words of c's name in a member's name.

Attribute columns are discovered from the data (:func:`discover_columns`) or
named by the caller. Everything is arrays: a reduced network (memberships
hidden for the back-test) is a new :class:`Arrays` from :meth:`Arrays.without`,
never a new networkx graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .. import graph, schema
from ..errors import OptionError, suggest
from ..graph import incidence
from . import words
from ._engine import lookup, pattern, row_index, scaled_cols, sector_codes, spans

#: Attribute columns with more distinct values than this are not compared (ids, amounts, free text).
MAX_VALUES: Final = 100
#: Node attributes that are never compared as attribute columns (the fixed schema and sector, or declared counts).
_NOT_ATTRIBUTES: Final = frozenset({schema.ID, schema.LABEL, schema.KIND, schema.SECTOR, schema.START, schema.END})


def _comparable(key: str) -> bool:
    """Whether a node attribute can be an attribute column: not a fixed column, not a ``declared…`` count."""
    return key not in _NOT_ATTRIBUTES and not key.startswith(schema.DECLARED)
#: Queries whose proximity rows are computed in one sparse product.
_CHUNK: Final = 256
@dataclass(frozen=True)
class Column:
    """One attribute column as integer codes (−1 = no value) into ``values``."""

    name: str
    codes: np.ndarray
    values: tuple[str, ...]


@dataclass(frozen=True)
class Arrays:
    """The two-mode network as arrays: incidence, ties, sectors, attribute columns and years.

    ``b`` is the actor × partnership membership matrix (float64 0/1, CSR,
    sorted) and ``bt`` its transpose; ``ties`` the direct ties (actor ×
    actor pattern, or ``None``); ``sector`` the vocabulary position of each
    actor's sector (−1 without); ``part_cols``/``actor_cols`` the attribute
    columns compared; ``start``/``end`` the partnerships' years (NaN when not
    given); ``p_text`` the partnerships' title tokens (partnerships × tokens,
    idf weights, or ``None`` without informative
    tokens) and ``a_text`` the same tokens in the actors' labels (actors ×
    tokens, 0/1); ``a_words`` the actors' own label tokens (actors × tokens,
    idf over the actors' labels, or ``None``).
    """

    a_ids: list[str]
    p_ids: list[str]
    b: sp.csr_array
    bt: sp.csr_array
    ties: sp.csr_array | None
    sector: np.ndarray
    n_sectors: int
    part_cols: tuple[Column, ...]
    actor_cols: tuple[Column, ...]
    start: np.ndarray
    end: np.ndarray
    p_text: sp.csr_array | None = None
    a_text: sp.csr_array | None = None
    a_words: sp.csr_array | None = None
    k_a: np.ndarray = field(init=False)
    k_p: np.ndarray = field(init=False)
    lo: np.ndarray = field(init=False)
    hi: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "k_a", np.diff(self.b.indptr).astype(np.float64))
        object.__setattr__(self, "k_p", np.diff(self.bt.indptr).astype(np.float64))
        # Years with open bounds, and NaN for a partnership with neither (it overlaps nothing).
        known = np.isfinite(self.start) | np.isfinite(self.end)
        object.__setattr__(self, "lo", np.where(known, np.nan_to_num(self.start, nan=-np.inf), np.nan))
        object.__setattr__(self, "hi", np.where(known, np.nan_to_num(self.end, nan=np.inf), np.nan))

    @property
    def has_years(self) -> bool:
        return bool(np.isfinite(self.start).any() or np.isfinite(self.end).any())

    def members(self, p: int) -> np.ndarray:
        return self.bt.indices[self.bt.indptr[p] : self.bt.indptr[p + 1]]

    def without(self, actors: np.ndarray, parts: np.ndarray) -> Arrays:
        """The same network with the memberships (``actors[i]``, ``parts[i]``) removed."""
        b = sp.csr_array(self.b, copy=True)
        hide = sp.csr_array((np.ones(len(actors)), (actors, parts)), shape=b.shape)
        b = sp.csr_array(b - b.multiply(hide))
        b.eliminate_zeros()
        b.sort_indices()
        bt = sp.csr_array(b.T)
        bt.sort_indices()
        return Arrays(self.a_ids, self.p_ids, b, bt, self.ties, self.sector, self.n_sectors,
                      self.part_cols, self.actor_cols, self.start, self.end, self.p_text, self.a_text, self.a_words)


def arrays(g: nx.Graph, match: Sequence[str] | None = None) -> Arrays:
    """The :class:`Arrays` of graph ``g``; attribute columns discovered, or exactly those of ``match``.

    Raises
    ------
    OptionError
        When a name in ``match`` is not an attribute column of the data (with a suggestion).
    """
    a_ids, p_ids, b0 = incidence(g)
    b = sp.csr_array(b0, dtype=np.float64)
    b.sort_indices()
    bt = sp.csr_array(b.T)
    bt.sort_indices()
    ties = graph.tie_matrix(g)
    ties = sp.csr_array((np.ones(ties.nnz), ties.indices, ties.indptr), shape=ties.shape) if ties.nnz else None
    part_cols, actor_cols = _columns(g, a_ids, p_ids, match)
    start = np.array([_year(g.nodes[p].get(schema.START)) for p in p_ids], dtype=np.float64)
    end = np.array([_year(g.nodes[p].get(schema.END)) for p in p_ids], dtype=np.float64)
    a_labels = [str(g.nodes[a].get(schema.LABEL) or "") for a in a_ids]
    p_text, a_text = words.label_tokens([str(g.nodes[p].get(schema.LABEL) or "") for p in p_ids], a_labels)
    return Arrays(a_ids, p_ids, b, bt, ties, sector_codes(g, a_ids), len(graph.sectors_of(g)),
                  part_cols, actor_cols, start, end, p_text, a_text, words.name_tokens(a_labels))


def _year(v) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan


def discover_columns(g: nx.Graph) -> tuple[list[str], list[str]]:
    """Attribute columns worth comparing: (partnership columns, actor columns), each sorted.

    A column qualifies when its values are plain text or whole numbers, at
    least two values occur, and it is categorical: at most
    :data:`MAX_VALUES` distinct values and on average at least two nodes per
    value (so ids, amounts and notes are left out). The fixed columns and
    ``declared…`` counts are never compared; an actor's ``type`` is.
    """
    found: dict[str, tuple[list[str], list[str]]] = {}
    for kind in (schema.PARTNERSHIP, schema.ACTOR):
        values: dict[str, list] = {}
        for _, d in g.nodes(data=True):
            if d.get(schema.KIND) != kind:
                continue
            for key, v in d.items():
                if not _comparable(key) or v is None or v == "":
                    continue
                values.setdefault(key, []).append(v)
        keep = []
        for key, vs in values.items():
            if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in vs):
                continue
            distinct = len(set(vs))
            if 2 <= distinct <= MAX_VALUES and 2 * distinct <= len(vs):
                keep.append(key)
        found[kind] = sorted(keep)
    return found[schema.PARTNERSHIP], found[schema.ACTOR]


def _columns(g: nx.Graph, a_ids: list[str], p_ids: list[str],
             match: Sequence[str] | None) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    part_names, actor_names = discover_columns(g)
    if match is not None:
        known_p = {k for p in p_ids for k in g.nodes[p] if _comparable(k)}
        known_a = {k for a in a_ids for k in g.nodes[a] if _comparable(k) and g.nodes[a].get(k) not in (None, "")}
        unknown = [m for m in match if m not in known_p and m not in known_a]
        if unknown:
            known = sorted(known_p | known_a)
            raise OptionError(f'unknown attribute column "{unknown[0]}"'
                              + (suggest(unknown[0], known) or f"; known: {', '.join(known) or 'none'}"))
        part_names = [m for m in match if m in known_p]
        actor_names = [m for m in match if m in known_a and m not in known_p]
    return (tuple(_column(g, p_ids, n) for n in part_names), tuple(_column(g, a_ids, n) for n in actor_names))


def _column(g: nx.Graph, ids: list[str], name: str) -> Column:
    raw = [g.nodes[i].get(name) for i in ids]
    text = [None if v is None or v == "" else str(v) for v in raw]
    values = tuple(sorted({v for v in text if v is not None}))
    index = {v: k for k, v in enumerate(values)}
    codes = np.fromiter((-1 if v is None else index[v] for v in text), dtype=np.int64, count=len(ids))
    return Column(name, codes, values)


# --- features ------------------------------------------------------------------


#: Proximity features, in this order, in :class:`Rows`.
PROXIMITY: Final = ("md", "heat", "aa", "cn", "tie", "shared")


@dataclass
class Rows:
    """Candidate rows: ``query`` (position in the query list), ``cand`` (actor), and one array per feature."""

    query: np.ndarray
    cand: np.ndarray
    values: dict[str, np.ndarray]

    def __len__(self) -> int:
        return int(self.cand.size)

    def take(self, sel: np.ndarray) -> Rows:
        """The rows ``sel`` (indices or a mask)."""
        return Rows(self.query[sel], self.cand[sel], {k: v[sel] for k, v in self.values.items()})


def feature_names(net: Arrays) -> tuple[str, ...]:
    """Names of every feature :func:`candidate_rows` computes on ``net``."""
    return (*PROXIMITY, "degree", *(f"{k}:{c.name}" for c in net.part_cols for k in ("p", "pn")),
            *(("years", "years_n") if net.has_years else ()),
            *(f"{k}:{c.name}" for c in net.actor_cols for k in ("a", "an")),
            *(words.TEXT if net.p_text is not None else ()), *((words.NAME,) if net.a_words is not None else ()))


def candidate_rows(net: Arrays, queries: np.ndarray, wanted: np.ndarray, *, linked_only: bool = False) -> Rows:
    """:func:`proximity_rows` with the attribute features added (:func:`add_attributes`)."""
    return add_attributes(net, queries, proximity_rows(net, queries, wanted, linked_only=linked_only))


Select = Callable[[Rows, np.ndarray], np.ndarray]


def proximity_rows(net: Arrays, queries: np.ndarray, wanted: np.ndarray, *, linked_only: bool = False,
                   select: Select | None = None) -> Rows:
    """Proximity feature rows for the candidates of each query.

    ``queries`` are partnership indices; ``wanted`` is a boolean matrix
    (queries × sectors) of the sectors whose actors are candidates. Every
    actor of a wanted sector that is not a member is a row, except with
    ``linked_only``, which keeps the actors that share a partnership or a
    tie with a member (the others are added by the caller from a shortlist).
    ``select(rows, chunk)`` may drop rows of each chunk of queries before the exact
    common-neighbour count, the costly part, is made: it sees ``cnw`` (shared
    partnerships weighted by the members in them, an upper bound of ``cn``)
    and the ``md_max``/``heat_max`` of each row's (query, sector). Rows come
    sorted by query, then actor.
    """
    parts = []
    by_sector = _by_sector(net)
    for lo in range(0, len(queries), _CHUNK):
        rows = _proximity(net, queries[lo : lo + _CHUNK], wanted[lo : lo + _CHUNK], linked_only, by_sector)
        if select is not None:
            rows = rows.take(select(rows, queries[lo : lo + _CHUNK]))
        # Through a single shared partnership every member is counted once: cnw is exact there.
        cn = rows.values["cnw"].copy()
        co = np.flatnonzero(rows.values["shared"] >= 2)
        cn[co] = linked_members(net, queries[lo : lo + _CHUNK][rows.query[co]], rows.cand[co]).counts
        rows.values["cn"] = cn
        rows.query = rows.query + lo
        parts.append(rows)
    return _concat_rows(parts)


def _concat_rows(parts: list[Rows]) -> Rows:
    if not parts:
        return Rows(np.zeros(0, np.int64), np.zeros(0, np.int64), {k: np.zeros(0) for k in (*PROXIMITY, *_EXTRA)})
    return Rows(np.concatenate([r.query for r in parts]), np.concatenate([r.cand for r in parts]),
                {k: np.concatenate([r.values[k] for r in parts]) for k in parts[0].values})


#: Helper values of proximity rows: the upper bound of ``cn`` and the per-(query, sector) maxima.
_EXTRA: Final = ("cnw", "degree", "md_max", "heat_max")


def _by_sector(net: Arrays) -> list[tuple[np.ndarray, sp.csr_array]]:
    """Per sector: its actors and the partnership × those-actors incidence (the right factor of the products)."""
    out = []
    for s in range(net.n_sectors):
        actors = np.flatnonzero(net.sector == s)
        right = sp.csr_array(net.b[actors].T)
        right.sort_indices()
        out.append((actors, right))
    return out


def _co_products(net: Arrays, x: sp.csr_array, wanted: np.ndarray,
                 by_sector: list[tuple[np.ndarray, sp.csr_array]]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Keys (query × n + actor, sorted) and values of ``md``, ``heat`` (before ÷ k_c), ``aa``, ``shared`` and ``cnw``.

    Only the actors of each query's wanted sectors are reached: the products are made per sector, for
    the queries that want it, so no row is built for a sector that is not missing.
    """
    n = len(net.a_ids)
    inv_ka = np.divide(1.0, net.k_a, out=np.zeros_like(net.k_a), where=net.k_a > 0)
    inv_kp = np.divide(1.0, net.k_p, out=np.zeros_like(net.k_p), where=net.k_p > 0)
    # Adamic–Adar: 1/log k of the member and of the partnership on each path (both at least 2 there).
    inv_la, inv_lp = _inverse_log(net.k_a), _inverse_log(net.k_p)
    counts = sp.csr_array(x @ net.b)  # queries × partnerships: members in each partnership
    # The five left factors have one structure, so the products share structure and order.
    lefts = {"md": scaled_cols(sp.csr_array(scaled_cols(x, inv_ka) @ net.b), inv_kp),
             "heat": scaled_cols(counts, inv_kp),
             "aa": scaled_cols(sp.csr_array(scaled_cols(x, inv_la) @ net.b), inv_lp),
             "shared": pattern(counts), "cnw": counts}
    keys: list[np.ndarray] = []
    data: dict[str, list[np.ndarray]] = {k: [] for k in lefts}
    for s in np.flatnonzero(wanted.any(axis=0)).tolist():
        qs = np.flatnonzero(wanted[:, s])
        actors, right = by_sector[s]
        for name, left in lefts.items():
            m = sp.csr_array(left[qs] @ right)
            if name == "md":
                keys.append(qs[row_index(m)].astype(np.int64) * n + actors[m.indices])
            data[name].append(m.data)
    if not keys:
        return np.zeros(0, np.int64), {k: np.zeros(0) for k in lefts}
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")
    return key[order], {k: np.concatenate(v)[order] for k, v in data.items()}


def _inverse_log(k: np.ndarray) -> np.ndarray:
    """1 / log k where k ≥ 2, else 1.

    A node of degree below 2 lies on no path from a member to a candidate (its only partnership or
    member is p's own), so its value reaches members only, which are dropped; any positive value
    keeps the structure of the product equal to that of the other products.
    """
    return np.divide(1.0, np.log(np.maximum(k, 2.0)), out=np.ones_like(k), where=k >= 2)


def _proximity(net: Arrays, queries: np.ndarray, wanted: np.ndarray, linked_only: bool,
               by_sector: list[tuple[np.ndarray, sp.csr_array]]) -> Rows:
    """Proximity features (but the exact ``cn``) of the candidates of one chunk of queries."""
    nq, n = len(queries), len(net.a_ids)
    inv_ka = np.divide(1.0, net.k_a, out=np.zeros_like(net.k_a), where=net.k_a > 0)
    x = sp.csr_array(net.bt[queries])  # queries × actors: the members
    key_co, co = _co_products(net, x, wanted, by_sector)
    tie = sp.csr_array(x @ net.ties) if net.ties is not None else sp.csr_array((nq, n))
    tie.sort_indices()
    key_tie = row_index(tie).astype(np.int64) * n + tie.indices
    direct = linked_only and key_tie.size == 0  # the keys are those of the co-membership products
    keys = key_co if direct else _merged(key_co, key_tie) if linked_only else _all_candidates(net, queries, wanted, n)
    q, c = keys // n, keys % n
    member_keys = row_index(x).astype(np.int64) * n + x.indices  # sorted: bt has sorted rows
    keep = wanted[q, np.maximum(net.sector[c], 0)] & (net.sector[c] >= 0)
    keep &= lookup(member_keys, np.ones(member_keys.size), keys) == 0
    keys, q, c = keys[keep], q[keep], c[keep]

    def at(name: str) -> np.ndarray:
        return co[name][keep] if direct else lookup(key_co, co[name], keys)

    values = {
        "md": at("md"),
        "heat": at("heat") * inv_ka[c],
        "aa": at("aa"),
        "tie": lookup(key_tie, tie.data, keys),
        "shared": at("shared"),
        "cnw": at("cnw"),
        "degree": net.k_a[c],
    }
    group = q * net.n_sectors + net.sector[c]
    for name in ("md", "heat"):
        top = np.zeros(nq * net.n_sectors)
        np.maximum.at(top, group, values[name])
        values[f"{name}_max"] = top[group]
    return Rows(q, c, values)


@dataclass(frozen=True)
class Links:
    """Which members each (partnership, candidate) pair is linked to: one entry per (pair, member).

    ``pair`` and ``member`` list the pairs' members (sorted by pair, then
    member index = id order); ``co`` says the candidate shares another
    partnership with that member, ``tie`` that it has a direct tie;
    ``counts`` is ``cn`` per pair; ``one`` the lowest partnership index
    shared with a member (−1 when none).
    """

    pair: np.ndarray
    member: np.ndarray
    co: np.ndarray
    tie: np.ndarray
    counts: np.ndarray
    one: np.ndarray


def linked_members(net: Arrays, parts: np.ndarray, cands: np.ndarray) -> Links:
    """:class:`Links` of the pairs (``parts[i]``, ``cands[i]``): a search per membership of each member."""
    n_p, n_a = len(net.p_ids), len(net.a_ids)
    sizes = net.k_p[parts].astype(np.int64)
    pair = np.repeat(np.arange(parts.size), sizes)
    member = net.bt.indices[spans(net.bt.indptr[parts], sizes)].astype(np.int64)
    c = cands[pair]
    ka = np.diff(net.b.indptr)[member]
    their = net.b.indices[spans(net.b.indptr[member], ka)]
    at = np.repeat(np.arange(pair.size), ka)
    flat = row_index(net.b).astype(np.int64) * n_p + net.b.indices
    share = (lookup(flat, np.ones(flat.size), c[at] * n_p + their) > 0) & (their != parts[pair[at]])
    co = np.bincount(at, weights=share, minlength=pair.size) > 0
    if net.ties is not None:
        t_keys = row_index(net.ties).astype(np.int64) * n_a + net.ties.indices
        tie = lookup(t_keys, np.ones(t_keys.size), c * n_a + member) > 0
    else:
        tie = np.zeros(pair.size, dtype=bool)
    counts = np.bincount(pair, weights=co, minlength=parts.size)
    one = np.full(parts.size, n_p, dtype=np.int64)
    np.minimum.at(one, pair[at[share]], their[share])
    return Links(pair, member, co, tie, counts, np.where(one == n_p, -1, one))


def _merged(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The union of two sorted key arrays, sorted."""
    if b.size == 0:
        return a
    both = np.sort(np.concatenate([a, b]), kind="stable")
    return both[np.r_[True, both[1:] != both[:-1]]]


def _all_candidates(net: Arrays, queries: np.ndarray, wanted: np.ndarray, n: int) -> np.ndarray:
    """Keys (query × n + actor) of every actor of a wanted sector, members included (dropped later)."""
    order = np.argsort(net.sector, kind="stable")
    bounds = np.searchsorted(net.sector[order], np.arange(net.n_sectors + 1))
    keys = []
    for i in range(len(queries)):
        for s in np.flatnonzero(wanted[i]).tolist():
            keys.append(i * n + order[bounds[s] : bounds[s + 1]])
    if not keys:
        return np.zeros(0, np.int64)
    out = np.concatenate(keys)
    return out if np.all(out[1:] > out[:-1]) else np.sort(out)


def _is_member(net: Arrays, parts: np.ndarray, actors: np.ndarray) -> np.ndarray:
    """Whether actor ``actors[i]`` is a member of ``parts[i]`` (a search in the sorted membership keys)."""
    flat = row_index(net.b).astype(np.int64) * len(net.p_ids) + net.b.indices
    want = actors.astype(np.int64) * len(net.p_ids) + parts
    return lookup(flat, np.ones(flat.size), want) > 0


def add_attributes(net: Arrays, queries: np.ndarray, rows: Rows) -> Rows:
    """Add ``degree``, the attribute shares and counts and ``years``/``years_n`` to ``rows`` (module docstring)."""
    q, c = rows.query, rows.cand
    p = queries[q]
    k = net.k_a[c]
    v = rows.values
    v["degree"] = k
    for col in net.part_cols:
        h = sp.csr_array(net.b @ _onehot(col.codes, len(col.values)))
        h.sort_indices()
        value = col.codes[p]
        hits = lookup(row_index(h) * len(col.values) + h.indices, h.data, c * len(col.values) + np.maximum(value, 0))
        hits = np.where(value >= 0, hits, 0.0)
        v[f"p:{col.name}"] = np.divide(hits, k, out=np.zeros_like(hits), where=k > 0)
        v[f"pn:{col.name}"] = hits
    if net.has_years:
        v["years_n"] = _year_overlap(net, p, c)
        v["years"] = np.divide(v["years_n"], k, out=np.zeros(k.size), where=k > 0)
    v.update(actor_shares(net, queries, rows))
    v.update(words.text_shares(net, p, c))
    if net.a_words is not None:
        v[words.NAME] = words.member_name(net, queries, rows.query, c)
    return rows


def actor_shares(net: Arrays, queries: np.ndarray, rows: Rows) -> dict[str, np.ndarray]:
    """Per actor column: the share and number of the query's members with the candidate's value (``a:``/``an:``)."""
    out: dict[str, np.ndarray] = {}
    if not net.actor_cols:
        return out
    q, c = rows.query, rows.cand
    x = sp.csr_array(net.bt[queries])
    size = np.maximum(net.k_p[queries][q], 1)
    for col in net.actor_cols:
        per = sp.csr_array(x @ _onehot(col.codes, len(col.values)))
        per.sort_indices()
        value = col.codes[c]
        hits = lookup(row_index(per) * len(col.values) + per.indices, per.data,
                       q * len(col.values) + np.maximum(value, 0))
        hits = np.where(value >= 0, hits, 0.0)
        out[f"a:{col.name}"] = hits / size
        out[f"an:{col.name}"] = hits
    return out


def _onehot(codes: np.ndarray, k: int) -> sp.csr_array:
    rows = np.flatnonzero(codes >= 0)
    return sp.csr_array((np.ones(rows.size), (rows, codes[rows])), shape=(codes.size, max(k, 1)))


def _year_overlap(net: Arrays, p: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Number of each candidate's partnerships whose years overlap those of ``p`` (0 when p has no years).

    A missing start or end is open; a partnership with neither does not count as overlapping.
    """
    counts = np.diff(net.b.indptr)[c]
    theirs = net.b.indices[spans(net.b.indptr[c], counts)]
    mine = np.repeat(p, counts)
    hit = (net.lo[theirs] <= net.hi[mine]) & (net.lo[mine] <= net.hi[theirs])  # NaN compares false
    owner = np.repeat(np.arange(c.size), counts)
    return np.bincount(owner, weights=hit, minlength=c.size)
