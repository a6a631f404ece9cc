"""Who could fill a partnership's missing sectors: candidates ranked by one score, with honest reasons.

For every partnership with at least ``min_members`` members (named, or
declared unnamed) and every sector of the vocabulary that none of its members
belongs to and that it declares no unnamed members of
(:func:`partnernet.metrics.coverage.present_sectors`), the actors of that sector are ranked by the score of
:mod:`partnernet.metrics.suggest` (network proximity, attribute similarity,
a restrained popularity term; weights learned on this network). The score is
shown as it is used: equal scores share a rank (label ``1=``).

On large data the candidates that share no partnership or tie with the
members (``same_sector_only``) are scored from a shortlist per sector: the
:data:`POOL` × ``top`` with the highest popularity term, and per attribute
value of the partnership as many with the highest attribute-plus-popularity
score, and every actor whose label shares a word with the partnership's
title (``title_name``); an unlinked actor whose only merit is a word shared
with a member's name (``member_name``) is not sought out there. Everything
else is scored exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Final

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import schema
from ..errors import OptionError
from ..graph import declared_matrix, sectors_of
from ..memo import remember
from ..names import resolve_node
from . import features, suggest, words
from ._engine import lookup, pattern, row_index
from .coverage import present_sectors

NO_ACTOR_DA: Final = "ingen aktører fra denne sektor i data"
NO_ACTOR_EN: Final = "no actor of this sector in the data"
#: Seed of the training cases the weights are learned from.
SEED: Final = 7
#: Above this many candidate rows, unlinked candidates come from a shortlist (see the module docstring).
EXHAUSTIVE_ROWS: Final = 3_000_000
#: Overlapping years are named as a reason only when fewer than this share of the candidates overlap too.
YEARS_COMMON: Final = 0.5
#: Shortlist length per sector and per attribute value, as a multiple of ``top``.
POOL: Final = 4

_SCHEMA: Final = {
    "partnership": pl.String,
    "partnership_label": pl.String,
    "sector": pl.String,
    "rank": pl.Int64,
    "rank_label": pl.String,
    "candidate": pl.String,
    "candidate_label": pl.String,
    "score": pl.Float64,
    "shared_partnerships": pl.Int64,
    "linked_members": pl.Int64,
    "via": pl.List(pl.String),
    "matched": pl.List(pl.String),
    "same_sector_only": pl.Boolean,
    "lists": pl.Int64,
    "reason_da": pl.String,
    "reason_en": pl.String,
}
_NAMES_SHOWN: Final = 3


def gaps_table(g: nx.Graph, *, partnership: str | None = None, top: int | None = None, min_members: int = 2,
               match: Sequence[str] | None = None,
               among: Collection[str] | Mapping[str, Collection[str]] | None = None) -> pl.DataFrame:
    """Candidates for each missing sector of each partnership.

    Columns
    -------
    partnership, partnership_label, sector
        The partnership and the missing sector (id).
    rank, rank_label
        1 for the best score; equal scores share the rank, labelled ``1=``.
    candidate, candidate_label, score
        The suggested actor and its score (what ranks; higher is better).
    shared_partnerships
        Partnerships other than this one that the candidate shares with members.
    linked_members, via
        How many members it already partners with (shared partnership or
        direct tie), and their ids, sorted.
    matched
        The attributes that count for it, e.g. ``theme=Sundhed``, ``years``.
    same_sector_only
        True when it has no link to the members: only its sector speaks for it.
    lists
        In how many other partnerships' lists it appears: over the whole
        network, also with ``partnership`` (see there); with ``among``, over
        those lists only.
    reason_da, reason_en
        What drove the rank, e.g. "samarbejder med KL og DSfP i 2
        partnerskaber; samme theme (Sundhed)".

    When the data has no actor of a missing sector, the (partnership, sector)
    gets one row with a null candidate and the reason "ingen aktører fra denne
    sektor i data" / "no actor of this sector in the data". Rows are sorted by
    partnership id, sector (vocabulary order), rank, candidate id.

    Parameters
    ----------
    partnership
        Only this partnership: its id or label (:mod:`partnernet.names`).
        ``lists`` still counts the whole network's
        lists, but only the lists that can hold one of its candidates are
        made: those of the partnerships with a member linked to the candidate
        and, on large data, those whose shortlist holds it (without ``top``,
        a sector's every actor is in every list missing it, so they are
        counted).
    top
        At most this many candidates per (partnership, sector), by rank then
        id (a tie at the cut keeps its ``=`` label). Without it every actor
        of a missing sector is listed.
    min_members
        Partnerships with fewer members (named, or declared unnamed) get no rows: there is no one to
        invite with.
    match
        Attribute columns to compare instead of the discovered ones.
    among
        Only these partnership ids (unknown ones are left out), and for a
        mapping id → sector ids only those of their missing sectors; ``lists``
        then counts these lists only. What ``partnernet diff`` needs to rank
        the candidates of a few partnerships and sectors without the whole
        network's.

    Raises
    ------
    OptionError
        For an unknown or ambiguous ``partnership`` (with a suggestion), ``top`` or
        ``min_members`` below 1, or an unknown ``match`` column.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "p", "kind": "partnership"}, {"id": "q", "kind": "partnership"},
    ...      {"id": "a", "label": "KL", "sector": "local_gov_association"},
    ...      {"id": "c", "label": "DSfP", "sector": "civil_society"},
    ...      {"id": "b", "label": "Ørsted", "sector": "business"}],
    ...     [{"source": "a", "target": "p"}, {"source": "c", "target": "p"},
    ...      {"source": "a", "target": "q"}, {"source": "b", "target": "q"}])
    >>> row = gaps_table(g, partnership="p").filter(sector="business").row(0, named=True)
    >>> row["candidate"], row["rank_label"], row["via"], row["reason_en"]
    ('b', '1', ['a'], 'partners with KL in q')
    """
    if top is not None and top < 1:
        raise OptionError(f"top must be at least 1, got {top}")
    if min_members < 1:
        raise OptionError(f"min_members must be at least 1, got {min_members}")
    net = remember(g, ("suggest_arrays", None if match is None else tuple(match)), lambda: features.arrays(g, match))
    model = remember(g, ("suggest_model", None if match is None else tuple(match)), lambda: suggest.learn(net, SEED))
    if among is not None:
        wanted_ids = set(among)
        selected = np.array([j for j, p in enumerate(net.p_ids) if p in wanted_ids], dtype=np.int64)
    elif partnership is None:
        selected = np.arange(len(net.p_ids))
    else:
        selected = np.array([_partnership_index(g, net.p_ids, partnership)])
    queries, wanted = _missing(g, net, selected, min_members)
    if isinstance(among, Mapping):
        index = {sid: k for k, sid in enumerate(sectors_of(g).ids)}
        only = np.zeros_like(wanted)
        for row, j in enumerate(queries.tolist()):
            only[row, [index[sid] for sid in among.get(net.p_ids[j], ()) if sid in index]] = True
        wanted &= only
        keep = wanted.any(axis=1)
        queries, wanted = queries[keep], wanted[keep]
    if partnership is None or among is not None:
        return _Table(g, net, model, queries, wanted, top).frame()
    # One partnership: its own list, and the other lists only where they can hold one of its candidates.
    every, every_wanted = _missing(g, net, np.arange(len(net.p_ids)), min_members)
    exhaustive = _exhaustive(net, every_wanted, top)
    own = _Table(g, net, model, queries, wanted, top, exhaustive)
    frame = own.frame()
    if not queries.size:
        return frame
    cands = np.unique(own.shown)
    others = own.could_list(cands, every, every_wanted)
    others = others[every[others] != queries[0]]
    if top is None:
        # Every actor of a sector is in every list that misses it.
        per_sector = every_wanted[others].sum(axis=0)
        counts = per_sector[net.sector[cands]]
    else:
        listed_c, _ = _Table(g, net, model, every[others], every_wanted[others], top, exhaustive).listed()
        counts = np.bincount(np.searchsorted(cands, listed_c[np.isin(listed_c, cands)]), minlength=cands.size)
    index = {net.a_ids[c]: int(k) for c, k in zip(cands.tolist(), counts.tolist())}
    return frame.with_columns(pl.col("candidate").replace_strict(index, default=None, return_dtype=pl.Int64)
                              .alias("lists"))


def _missing(g: nx.Graph, net: features.Arrays, selected: np.ndarray, min_members: int) -> tuple[np.ndarray, np.ndarray]:
    """The partnerships that get rows and, per partnership, its missing sectors (boolean matrix).

    Missing is decided once, for coverage and gaps alike, by
    :func:`partnernet.metrics.coverage.present_sectors`; declared unnamed
    members count towards ``min_members``.
    """
    declared = np.asarray(declared_matrix(g).sum(axis=1)).ravel()
    sizes = net.k_p[selected] + declared[selected]
    selected = selected[sizes >= min_members]
    wanted = ~present_sectors(g)[selected]
    keep = wanted.any(axis=1)
    return selected[keep], wanted[keep]


def _partnership_index(g: nx.Graph, p_ids: list[str], partnership: str) -> int:
    """The row of the partnership ``partnership`` names (id or label, see :mod:`partnernet.names`)."""
    return p_ids.index(resolve_node(g, partnership, schema.PARTNERSHIP))


def _exhaustive(net: features.Arrays, wanted: np.ndarray, top: int | None) -> bool:
    """Whether every candidate of these lists is scored exactly (no shortlist): without ``top``, or on small data."""
    per_sector = np.bincount(net.sector[net.sector >= 0], minlength=net.n_sectors)
    return top is None or int((wanted * per_sector).sum()) <= EXHAUSTIVE_ROWS


class _Table:
    """Scores, ranks, evidence and reasons of one call of :func:`gaps_table`.

    ``exhaustive`` says whether unlinked candidates are all scored or come
    from the shortlist; decided on these lists unless given (one
    partnership's list is made as it is in the whole table).
    """

    def __init__(self, g: nx.Graph, net: features.Arrays, model: suggest.Model, queries: np.ndarray, wanted: np.ndarray,
                 top: int | None, exhaustive: bool | None = None) -> None:
        self.g, self.net, self.model, self.queries, self.wanted, self.top = g, net, model, queries, wanted, top
        self.exhaustive = _exhaustive(net, wanted, top) if exhaustive is None else exhaustive
        self.shown = np.zeros(0, dtype=np.int64)  # the candidates of the rows of :meth:`frame`
        self.vocab = sectors_of(g)
        self.a_label = [g.nodes[a].get(schema.LABEL) or a for a in net.a_ids]
        self.p_label = [g.nodes[p].get(schema.LABEL) or p for p in net.p_ids]

    def candidates(self) -> features.Rows:
        """Every candidate row, or the linked ones plus the shortlist on large data; sorted by (query, sector)."""
        net, queries, wanted = self.net, self.queries, self.wanted
        exhaustive = self.exhaustive
        rows = features.proximity_rows(net, queries, wanted, linked_only=not exhaustive,
                                select=None if self.top is None else self._prune)
        if not exhaustive:
            rows = _concat(rows, self._shortlist(rows))
        rows = features.add_attributes(net, queries, rows)
        group = rows.query * net.n_sectors + net.sector[rows.cand]
        order = np.lexsort((rows.cand, group))
        rows = rows.take(order)
        self.part = queries[rows.query]
        self.sector = net.sector[rows.cand]
        _, rows.query = np.unique(group[order], return_inverse=True)
        return rows

    def _prune(self, rows: features.Rows, chunk: np.ndarray) -> np.ndarray:
        """Rows that can still be among the first ``top`` of their (query, sector), by bounds on the score.

        Actor attributes are computed exactly; each other attribute term lies between 0 and its weight (a share) or
        its weight × log(1 + the candidate's partnerships) (a count) or its weight × the title's
        weight (a title feature) or × the weight of the candidate's name (``member_name``), and ``cn`` between min(1, ``cnw``) and
        ``cnw``: a row whose best case is below the ``top``-th best worst
        case cannot be shown, nor outrank a row that is, so ranks stay exact.
        """
        w = self.model.weights
        rows.values.update(features.actor_shares(self.net, chunk, rows))
        names = [n for n in w if n in features.PROXIMITY or n == "degree" or n.startswith(("a:", "an:"))]
        base = suggest.design(rows, [n for n in names if n != "cn"]) @ np.array([w[n] for n in names if n != "cn"])
        # Shares lie in 0…1; a count of matching partnerships in 0…the candidate's partnerships.
        reach = np.log1p(rows.values["degree"])
        title = words.title_weight(self.net, chunk[rows.query])
        name = words.name_weight(self.net)
        low, high = base.copy(), base.copy()
        for n, v in w.items():
            if n not in names:
                top = v * (reach if suggest.is_count(n) else title if n in words.TEXT else
                           name[rows.cand] if n == words.NAME else 1.0)
                low += np.minimum(top, 0.0)
                high += np.maximum(top, 0.0)
        cnw = rows.values["cnw"]
        lo_cn, hi_cn = np.log1p(np.minimum(cnw, 1.0)), np.log1p(cnw)
        wc = w.get("cn", 0.0)
        low += wc * (lo_cn if wc >= 0 else hi_cn)
        high += wc * (hi_cn if wc >= 0 else lo_cn)
        group = rows.query * self.net.n_sectors + self.net.sector[rows.cand]
        order = np.lexsort((-low, group))
        g = group[order]
        first = np.r_[0, np.flatnonzero(np.diff(g)) + 1] if g.size else np.zeros(0, np.int64)
        at = first + self.top - 1
        ok = at < np.r_[first[1:], g.size]
        bar = np.full(int(group.max()) + 1 if group.size else 0, -np.inf)
        bar[g[first[ok]]] = low[order[at[ok]]]
        return np.flatnonzero(high >= bar[group] - 1e-9)

    def _shortlist(self, linked: features.Rows) -> features.Rows:
        """Unlinked candidates from the per-sector and per-attribute-value shortlists (module docstring)."""
        net = self.net
        n = len(net.a_ids)
        keys = self._shortlist_keys()
        linked_keys = linked.query * n + linked.cand  # sorted: rows come by query, then actor
        keys = keys[lookup(linked_keys, np.ones(linked_keys.size), keys) == 0]
        q, c = keys // n, keys % n
        members = features._is_member(net, self.queries[q], c)
        q, c = q[~members], c[~members]
        return features.Rows(q, c, {k: np.zeros(q.size) for k in linked.values})

    def _shortlist_keys(self) -> np.ndarray:
        """Keys (query × n + actor, sorted, unique) of the shortlists, linked actors and members included."""
        net, w = self.net, self.model.weights
        n = len(net.a_ids)
        prior = w.get("degree", 0.0) * np.log1p(net.k_a)
        qi, si = np.nonzero(self.wanted)
        pool = POOL * (self.top or 1)
        pools = np.full((net.n_sectors, pool), -1, dtype=np.int64)
        for s in range(net.n_sectors):
            actors = np.flatnonzero(net.sector == s)
            best = actors[np.lexsort((actors, -prior[actors]))[:pool]]
            pools[s, : best.size] = best
        keys = [(qi[:, None] * n + pools[si]).ravel()[(pools[si] >= 0).ravel()]]
        for col in net.part_cols:
            if w.get(f"p:{col.name}", 0.0) <= 0 and w.get(f"pn:{col.name}", 0.0) <= 0:
                continue
            v = col.codes[self.queries[qi]]
            has = v >= 0
            pair = si[has] * len(col.values) + v[has]
            distinct, inverse = np.unique(pair, return_inverse=True)
            table = np.full((distinct.size, pool), -1, dtype=np.int64)
            for k, key in enumerate(distinct.tolist()):
                best = self._value_pool(key // len(col.values), col, key % len(col.values), prior, pool)
                table[k, : best.size] = best
            chosen = table[inverse.ravel()]
            keys.append((qi[has][:, None] * n + chosen).ravel()[(chosen >= 0).ravel()])
        if w.get("title_name", 0.0) > 0 and net.p_text is not None and net.a_text is not None:
            named = sp.csr_array(net.p_text[self.queries] @ net.a_text.T)
            nq, nc = row_index(named).astype(np.int64), named.indices.astype(np.int64)
            ok = (net.sector[nc] >= 0) & self.wanted[nq, np.maximum(net.sector[nc], 0)]
            keys.append(nq[ok] * n + nc[ok])
        return np.unique(np.concatenate(keys))

    def could_list(self, cands: np.ndarray, queries: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Positions in ``queries`` of the lists that can hold one of the actors ``cands``.

        A candidate is listed only where it is a candidate row: linked to a
        member (a shared partnership or a direct tie), or, on large data, in
        that list's shortlist; on small data every list missing its sector.
        """
        net = self.net
        wants = wanted[:, net.sector[cands]]  # queries × cands: the list misses the candidate's sector
        if self.exhaustive:
            return np.flatnonzero(wants.any(axis=1))
        link = sp.csr_array(net.b[cands] @ net.bt)  # cands × actors sharing a partnership with them
        if net.ties is not None:
            link = sp.csr_array(link + net.ties[cands])
        reach = sp.csr_array(pattern(link) @ net.b)  # cands × partnerships with a member linked to them
        at = np.searchsorted(queries, reach.indices)
        ok = (at < queries.size) & (queries[np.minimum(at, queries.size - 1)] == reach.indices)
        at, who = at[ok], row_index(reach)[ok]
        hit = np.zeros(queries.size, dtype=bool)
        hit[at[wants[at, who]]] = True
        n = len(net.a_ids)
        pooled = _Table(self.g, net, self.model, queries, wanted, self.top, False)._shortlist_keys()
        mine = np.isin(pooled % n, cands)
        hit[pooled[mine] // n] = True
        return np.flatnonzero(hit)

    def _value_pool(self, s: int, col: features.Column, v: int, prior: np.ndarray, pool: int) -> np.ndarray:
        net = self.net
        actors = np.flatnonzero(net.sector == s)
        sub = net.b[actors]
        hits = np.bincount(row_index(sub), weights=col.codes[sub.indices] == v, minlength=actors.size)
        share = np.divide(hits, net.k_a[actors], out=np.zeros(actors.size), where=net.k_a[actors] > 0)
        w = self.model.weights
        score = w.get(f"p:{col.name}", 0.0) * share + w.get(f"pn:{col.name}", 0.0) * np.log1p(hits) + prior[actors]
        return actors[np.lexsort((actors, -score))[:pool]]

    def listed(self) -> tuple[np.ndarray, np.ndarray]:
        """The (candidate, partnership) of every row within the first ``top`` of its list."""
        rows, _, part, *_ = self._ranked()
        return rows.cand, part

    def frame(self) -> pl.DataFrame:
        rows, score, part, sector, rank, tied, common = self._ranked()
        self.shown = rows.cand
        evidence = self._evidence(rows, part)
        lists = _other_lists(rows.cand, part)
        matched = self._matched(rows, part, common)
        records = self._records(rows, score, part, sector, rank, tied, evidence, lists, matched) + self._no_actor_rows()
        columns = list(zip(*records)) if records else [[] for _ in _SCHEMA]
        frame = pl.DataFrame({name: _list_column(col) if dtype == pl.List(pl.String) else
                              pl.Series(name, list(col), dtype=dtype)
                              for (name, dtype), col in zip(_SCHEMA.items(), columns)})
        sector_order = {s: i for i, s in enumerate(self.vocab.ids)}
        return frame.with_columns(pl.col("sector").replace_strict(sector_order, return_dtype=pl.Int64)
                                  .alias("__s")).sort(["partnership", "__s", "rank", "candidate"],
                                                      nulls_last=True, maintain_order=True).drop("__s")

    def _ranked(self) -> tuple:
        """The rows within the first ``top`` of their list, ranked: rows, score, partnership, sector, rank, tied
        and whether overlapping years are common in the list."""
        rows = self.candidates()
        score = self.model.score(rows)
        q = rows.query
        order = np.lexsort((rows.cand, -score, q))
        rows, score = rows.take(order), score[order]
        part, sector = self.part[order], self.sector[order]
        first = np.r_[0, np.flatnonzero(np.diff(q[order])) + 1] if q.size else np.zeros(0, np.int64)
        size = np.diff(np.r_[first, q.size])
        place = np.arange(q.size) - np.repeat(first, size)
        # Rank = 1 + candidates scoring higher in the group: the first place of this score.
        new_score = np.r_[True, (score[1:] != score[:-1]) | (place[1:] == 0)] if q.size else np.zeros(0, bool)
        run_start = np.maximum.accumulate(np.where(new_score, np.arange(q.size), 0))
        rank = place[run_start] + 1
        run_id = np.cumsum(new_score) - 1
        tied = np.bincount(run_id, minlength=int(run_id.max()) + 1 if q.size else 0)[run_id] > 1
        common = self._years_common(rows, q[order])
        keep = np.ones(q.size, bool) if self.top is None else place < self.top
        sel = np.flatnonzero(keep)
        return rows.take(sel), score[sel], part[sel], sector[sel], rank[sel], tied[sel], common[sel]

    def _evidence(self, rows: features.Rows, part: np.ndarray) -> tuple[list[list[int]], list[list[int]], list[int]]:
        """Per row: the linked members (id order), those among them linked only by a tie, and one
        partnership they share (−1 when none)."""
        links = features.linked_members(self.net, part, rows.cand)
        linked = links.co | links.tie
        n = len(rows)
        bounds = np.searchsorted(links.pair[linked], np.arange(n + 1))
        via = [x.tolist() for x in np.split(links.member[linked], bounds[1:-1])] if n else []
        only = linked & ~links.co
        bounds = np.searchsorted(links.pair[only], np.arange(n + 1))
        tie_only = [x.tolist() for x in np.split(links.member[only], bounds[1:-1])] if n else []
        return via, tie_only, links.one.tolist()

    def _years_common(self, rows: features.Rows, group: np.ndarray) -> np.ndarray:
        """Per row: whether at least :data:`YEARS_COMMON` of its (partnership, sector)'s candidates overlap in years."""
        if "years_n" not in rows.values or group.size == 0:
            return np.zeros(len(rows), dtype=bool)
        n = np.bincount(group)
        overlap = np.bincount(group, weights=rows.values["years_n"] > 0, minlength=n.size)
        return (overlap >= YEARS_COMMON * np.maximum(n, 1))[group]

    def _records(self, rows, score, part, sector, rank, tied, evidence, lists, matched) -> list[tuple]:
        net = self.net
        via, tie_only, shared_one = evidence
        ids, vocab_ids = net.a_ids, self.vocab.ids
        shared = rows.values["shared"].astype(np.int64)
        out = []
        for i in range(len(rows)):
            c, p = int(rows.cand[i]), int(part[i])
            names = sorted(via[i], key=lambda m: ids[m])
            da, en = _reasons(self, names, tie_only[i], int(shared[i]), shared_one[i], int(net.k_a[c]), matched[i])
            out.append((net.p_ids[p], self.p_label[p], vocab_ids[int(sector[i])], int(rank[i]),
                        f"{rank[i]}=" if tied[i] else str(rank[i]), ids[c], self.a_label[c], float(score[i]),
                        int(shared[i]), len(names), [ids[m] for m in names], [m[0] for m in matched[i]],
                        not names, int(lists[i]), da, en))
        return out

    def _matched(self, rows: features.Rows, part: np.ndarray, years_common: np.ndarray,
                 ) -> list[list[tuple[str, str, str, int, int]]]:
        """Per row, the attributes that raise its score: (label, column, value, matches, out of).

        A column counts when its terms (share and count) add to the score and
        the candidate matches at least once. Overlapping years count only when
        they separate the candidate: not when at least :data:`YEARS_COMMON` of
        the (partnership, sector)'s candidates overlap too (``years_common``).
        """
        net, w = self.net, self.model.weights
        v = rows.values
        out: list[list[tuple[str, str, str, int, int]]] = [[] for _ in range(len(rows))]
        k = net.k_a[rows.cand].astype(np.int64)
        size = net.k_p[part].astype(np.int64)

        def lift(share: str, count: str) -> np.ndarray:
            total = np.zeros(len(rows))
            for name, x in ((share, v.get(share)), (count, v.get(count))):
                if x is not None and name in w:
                    total += w[name] * (np.log1p(x) if suggest.is_count(name) else x)
            return total

        for col in net.part_cols:
            hits = v[f"pn:{col.name}"]
            for i in np.flatnonzero((hits > 0) & (lift(f"p:{col.name}", f"pn:{col.name}") > 0)).tolist():
                value = col.values[col.codes[part[i]]]
                out[i].append((f"{col.name}={value}", col.name, value, int(hits[i]), int(k[i])))
        if "years_n" in v:
            hits = v["years_n"]
            ok = (hits > 0) & (lift("years", "years_n") > 0) & ~years_common
            for i in np.flatnonzero(ok).tolist():
                out[i].append(("years", "years", "", int(hits[i]), int(k[i])))
        for col in net.actor_cols:
            hits = v[f"an:{col.name}"]
            for i in np.flatnonzero((hits > 0) & (lift(f"a:{col.name}", f"an:{col.name}") > 0)).tolist():
                value = col.values[col.codes[rows.cand[i]]]
                out[i].append((f"{col.name}={value}", col.name, value, int(hits[i]), int(size[i])))
        if w.get("title_name", 0.0) > 0 and "title_name" in v:
            for i in np.flatnonzero(v["title_name"] > 0).tolist():
                out[i].append(("title_name", "title_name", "", 0, 0))
        if w.get("title_sim", 0.0) > 0 and "title_sim" in v:
            raised = np.flatnonzero(v["title_sim"] > 0)
            for i, titles in zip(raised.tolist(), words.similar_titles(net, part[raised], rows.cand[raised])):
                out[i].append(("title_sim", "title_sim", "|".join(self.p_label[q] for q in titles), 0, 0))
        if w.get(words.NAME, 0.0) > 0 and words.NAME in v:
            raised = np.flatnonzero(v[words.NAME] > 0)
            for i, members in zip(raised.tolist(), words.name_matches(net, part[raised], rows.cand[raised])):
                shown = sorted(members, key=lambda m: net.a_ids[m])
                out[i].append((words.NAME, words.NAME, "|".join(self.a_label[m] for m in shown), 0, 0))
        return out

    def _no_actor_rows(self) -> list[tuple]:
        net = self.net
        have = np.bincount(net.sector[net.sector >= 0], minlength=net.n_sectors) > 0
        out = []
        for i, p in enumerate(self.queries.tolist()):
            for s in np.flatnonzero(self.wanted[i] & ~have).tolist():
                out.append((net.p_ids[p], self.p_label[p], self.vocab.ids[s], None, None, None, None, None, None,
                            None, [], [], None, None, NO_ACTOR_DA, NO_ACTOR_EN))
        return out


def _concat(a: features.Rows, b: features.Rows) -> features.Rows:
    return features.Rows(np.concatenate([a.query, b.query]), np.concatenate([a.cand, b.cand]),
                  {k: np.concatenate([a.values[k], b.values[k]]) for k in a.values})


def _list_column(cells: Sequence[list[str]]) -> pl.Series:
    """A List(String) column from per-row lists, built from one flat column (far faster than per-row lists)."""
    counts = np.fromiter((len(c) for c in cells), dtype=np.int64, count=len(cells))
    flat = pl.Series([v for c in cells for v in c], dtype=pl.String)
    grouped = pl.DataFrame({"__row": np.repeat(np.arange(len(cells)), counts), "v": flat}).group_by(
        "__row", maintain_order=True).agg(pl.col("v"))
    full = pl.DataFrame({"__row": np.arange(len(cells), dtype=np.int64)}).join(
        grouped, on="__row", how="left", maintain_order="left")
    return full.select(pl.col("v").fill_null(pl.lit([], dtype=pl.List(pl.String))))["v"]


def _other_lists(cand: np.ndarray, part: np.ndarray) -> np.ndarray:
    """Per row: the number of other partnerships in whose lists the candidate appears."""
    if cand.size == 0:
        return np.zeros(0, np.int64)
    pairs = np.unique(np.stack([cand, part], axis=1), axis=0)
    per = np.bincount(pairs[:, 0], minlength=int(cand.max()) + 1)
    return per[cand] - 1


def _names(labels: list[str], lang: str) -> str:
    """``A``, ``A og B``, ``A, B og C``, ``A, B, C og 2 andre`` (English: "and", "others")."""
    and_ = " og " if lang == "da" else " and "
    if len(labels) <= _NAMES_SHOWN + 1:
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + and_ + labels[-1]
    rest = len(labels) - _NAMES_SHOWN
    tail = (f"{rest} anden" if rest == 1 else f"{rest} andre") if lang == "da" else f"{rest} other{'s' if rest != 1 else ''}"
    return ", ".join(labels[:_NAMES_SHOWN]) + and_ + tail


def _reasons(t: _Table, via: list[int], tie_only: list[int], shared: int, one: int, degree: int,
             matched: list[tuple[str, str, str, int, int]]) -> tuple[str, str]:
    """The Danish and English reason: the links to the members, then the attributes that matched."""
    co = [t.a_label[m] for m in via if m not in tie_only]
    ties = [t.a_label[m] for m in tie_only]
    actor_cols = {c.name for c in t.net.actor_cols}
    da, en = [], []
    if co:
        where_da = f"i {t.p_label[one]}" if shared == 1 and one >= 0 else f"i {shared} partnerskaber"
        where_en = f"in {t.p_label[one]}" if shared == 1 and one >= 0 else f"in {shared} partnerships"
        da.append(f"samarbejder med {_names(co, 'da')} {where_da}")
        en.append(f"partners with {_names(co, 'en')} {where_en}")
    if ties:
        da.append(("direkte forbindelse til " if co else "har direkte forbindelse til ") + _names(ties, "da"))
        en.append(("direct tie to " if co else "has a direct tie to ") + _names(ties, "en"))
    if not via:
        da.append(f"ingen forbindelse til medlemmerne; med i {degree} partnerskab{'er' if degree != 1 else ''}")
        en.append(f"no link to the members; in {degree} partnership{'s' if degree != 1 else ''}")
    for _, col, value, hits, out_of in matched:
        if col == "title_name":
            da.append("navnet nævnt i partnerskabets titel")
            en.append("its name appears in the partnership's title")
        elif col == "title_sim":
            da.append("lignende titler: " + "; ".join(value.split("|")))
            en.append("similar titles: " + "; ".join(value.split("|")))
        elif col == words.NAME:
            da.append("ord i navnet fælles med " + _names(value.split("|"), "da"))
            en.append("shares a word of its name with " + _names(value.split("|"), "en"))
        elif col == "years":
            da.append("overlappende år" + _of(hits, out_of, "da"))
            en.append("overlapping years" + _of(hits, out_of, "en"))
        elif col in actor_cols:
            da.append(f"samme {col} ({value}) som {hits} medlem{'mer' if hits != 1 else ''}")
            en.append(f"same {col} ({value}) as {hits} member{'s' if hits != 1 else ''}")
        else:
            da.append(f"samme {col} ({value})" + _of(hits, out_of, "da"))
            en.append(f"same {col} ({value})" + _of(hits, out_of, "en"))
    return "; ".join(da), "; ".join(en)


def _of(hits: int, out_of: int, lang: str) -> str:
    """" i 3 af 5 partnerskaber" / " in 3 of its 5 partnerships"; nothing when the candidate has one."""
    if out_of <= 1:
        return ""
    return f" i {hits} af {out_of} partnerskaber" if lang == "da" else f" in {hits} of its {out_of} partnerships"
