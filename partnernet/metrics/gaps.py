"""Who could fill a partnership's missing sectors: ranked candidates with a reason.

For every partnership and every sector of the vocabulary that none of its
members belongs to, the actors of that sector are ranked by how close they
already are to the partnership, and each suggestion carries a one-line reason
in Danish and English.
"""

from __future__ import annotations

from typing import Final

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import graph as G
from .. import schema as S
from ..errors import OptionError
from ..graph import sectors_of
from ..validate import suggest
from . import _engine as E

NO_ACTOR_DA: Final = "ingen aktører fra denne sektor i data"
NO_ACTOR_EN: Final = "no actor of this sector in the data"

_SCHEMA: Final = {
    "partnership": pl.String,
    "partnership_label": pl.String,
    "sector": pl.String,
    "rank": pl.Int64,
    "candidate": pl.String,
    "candidate_label": pl.String,
    "shared": pl.Int64,
    "via": pl.List(pl.String),
    "two_step": pl.Boolean,
    "score": pl.Float64,
    "reason_da": pl.String,
    "reason_en": pl.String,
}
_NAMES_SHOWN: Final = 3


def gaps_table(g: nx.Graph, *, partnership: str | None = None, top: int | None = None) -> pl.DataFrame:
    """Candidates for each missing sector of each partnership.

    A sector is missing from a partnership when none of its members belongs
    to it (checked against the whole vocabulary). Every actor of a missing
    sector is a candidate, ranked by

    1. ``shared`` – partnerships the candidate already shares with current
       members (other than this one), more first;
    2. the number of current members it is linked to (``via``), more first;
    3. ``two_step`` – whether it is within two steps of a current member in
       the actor network (linked to someone who is linked to a member);
    4. its degree in the actor network (distinct partners), higher first;
    5. its id, for a deterministic order.

    Columns
    -------
    partnership, partnership_label, sector
        The partnership and the missing sector (id).
    rank
        1 for the best candidate of this (partnership, sector).
    candidate, candidate_label
        The suggested actor.
    shared
        See 1. above.
    via
        Ids of current members the candidate already partners with (shared
        partnership or direct tie), sorted.
    two_step
        See 3. above; true whenever ``via`` is not empty.
    score
        Strength of the existing links to current members: the sum of their
        actor-network weights (shared partnerships plus direct-tie weight).
    reason_da, reason_en
        One plain sentence, e.g. "samarbejder allerede med KL i Patientsikkert
        Sygehus" / "already partners with KL in Patientsikkert Sygehus".

    When the data has no actor of a missing sector, the (partnership, sector)
    gets one row with a null candidate and the reason "ingen aktører fra denne
    sektor i data" / "no actor of this sector in the data": a finding, not an
    error. Rows are sorted by partnership id, sector (vocabulary order), rank.

    Parameters
    ----------
    partnership
        Only this partnership id.
    top
        At most this many candidates per (partnership, sector). Without it
        every actor of a missing sector is listed, which on large data is a
        very long table.

    Raises
    ------
    OptionError
        When ``partnership`` is not a partnership id of the data (with a
        suggestion) or ``top`` is below 1.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "p", "kind": "partnership"}, {"id": "q", "kind": "partnership"},
    ...      {"id": "a", "label": "KL", "sector": "local_gov_association"},
    ...      {"id": "b", "label": "Ørsted", "sector": "business"}],
    ...     [{"source": "a", "target": "p"}, {"source": "a", "target": "q"},
    ...      {"source": "b", "target": "q"}])
    >>> row = gaps_table(g, partnership="p").filter(sector="business").row(0, named=True)
    >>> row["candidate"], row["shared"], row["via"], row["reason_en"]
    ('b', 1, ['a'], 'already partners with KL in q')
    """
    if top is not None and top < 1:
        raise OptionError(f"top must be at least 1, got {top}")
    a_ids, p_ids, b = E.incidence(g)
    selected = range(len(p_ids)) if partnership is None else [_partnership_index(g, p_ids, partnership)]
    ctx = _Context(g, a_ids, p_ids, b)
    rows: list[tuple] = []
    for j in selected:
        ctx.emit_partnership(j, top, rows)
    columns = dict(zip(_SCHEMA, (list(c) for c in zip(*rows)))) if rows else {k: [] for k in _SCHEMA}
    via = _list_column(columns.pop("via"), "via")
    frame = pl.DataFrame(columns, schema={k: t for k, t in _SCHEMA.items() if k != "via"})
    return frame.insert_column(list(_SCHEMA).index("via"), via)


def _list_column(lists: list[list[str]], name: str) -> pl.Series:
    """A List(String) column from Python lists, through one flat column (much faster than per-row lists)."""
    n = len(lists)
    lens = np.fromiter((len(v) for v in lists), dtype=np.int64, count=n)
    flat = pl.Series(name, [x for v in lists for x in v], dtype=pl.String)
    exploded = pl.DataFrame({"__row": np.repeat(np.arange(n, dtype=np.int64), lens)}).with_columns(flat)
    grouped = exploded.group_by("__row", maintain_order=True).agg(pl.col(name))
    full = pl.DataFrame({"__row": np.arange(n, dtype=np.int64)}).join(
        grouped, on="__row", how="left", maintain_order="left"
    )
    return full.select(pl.col(name).fill_null(pl.lit([], dtype=pl.List(pl.String))))[name]


def _partnership_index(g: nx.Graph, p_ids: list[str], partnership: str) -> int:
    if partnership in g and g.nodes[partnership].get(S.KIND) == S.PARTNERSHIP:
        return p_ids.index(partnership)
    if partnership in g:
        raise OptionError(f'"{partnership}" is an actor, not a partnership')
    raise OptionError(f'unknown partnership "{partnership}"{suggest(partnership, p_ids)}')


class _Context:
    """Arrays shared by all partnerships of one call.

    Work per partnership is proportional to its neighbourhood (members, their
    partners, the partnerships they touch), not to the number of actors:
    per-actor state lives in masks that are set and cleared again.
    """

    def __init__(self, g: nx.Graph, a_ids: list[str], p_ids: list[str], b) -> None:
        self.a_ids = a_ids
        self.p_ids = p_ids
        self.vocab = sectors_of(g)
        self.b = sp.csr_array(b)
        self.bt = sp.csr_array(b.T)
        self.sizes = np.diff(self.bt.indptr)
        self.m = np.diff(self.b.indptr)
        self.overlap = sp.csr_array(self.bt @ b)
        net = E.actor_net(g)
        self.weights = net.weights
        self.has_ties = G.tie_matrix(g).nnz > 0
        self.shared = sp.csr_array(E.actor_adjacency(g).shared) if self.has_ties else None
        self.degree = net.degree
        self.code = E.sector_codes(g, a_ids)
        k = len(self.vocab)
        self.code_ext = np.where(self.code >= 0, self.code, k)
        self.wanted = np.zeros(k + 1, dtype=bool)
        by_degree = np.lexsort((np.arange(len(a_ids)), -self.degree))
        self.by_sector = [by_degree[self.code[by_degree] == x] for x in range(k)]
        self.label = {x: (g.nodes[x].get(S.LABEL) or x) for x in (*a_ids, *p_ids)}
        self.actor_label = [self.label[a] for a in a_ids]
        n = len(a_ids)
        self.is_member = np.zeros(n, dtype=bool)
        self.is_near = np.zeros(n, dtype=bool)
        self.is_touched = np.zeros(len(p_ids), dtype=bool)
        self.near_part: np.ndarray | None = None
        self.tie_t = sp.csr_array(G.tie_matrix(g)) if self.has_ties else None
        # Per-actor accumulators, set and cleared again for each partnership.
        self.linked = np.zeros(n, dtype=np.int64)
        self.score = np.zeros(n)
        self.shared_count = np.zeros(n, dtype=np.int64)
        self.stamp = np.zeros(n, dtype=np.int64)
        self.near: np.ndarray = np.zeros(0, dtype=np.int64)

    def emit_partnership(self, j: int, top: int | None, rows: list[tuple]) -> None:
        members = self.bt.indices[self.bt.indptr[j] : self.bt.indptr[j + 1]]
        present = set(self.code[members].tolist())
        missing = [k for k in range(len(self.vocab)) if k not in present]
        if not missing:
            return
        touched = self.overlap.indices[self.overlap.indptr[j] : self.overlap.indptr[j + 1]]
        touched = touched[touched != j]
        nbr, wts = E.gather_rows(self.weights, members)
        owner = np.repeat(members, self.degree[members])
        self.wanted[:] = False
        self.wanted[missing] = True
        keep = self.wanted[self.code_ext[nbr]]
        cn, cw, c_owner = nbr[keep], wts[keep], owner[keep]
        # Candidates: distinct actors of a missing sector linked to a member; per candidate the number of
        # members it is linked to, the summed link weight, and the touched partnerships it belongs to.
        np.add.at(self.linked, cn, 1)
        np.add.at(self.score, cn, cw)
        order = np.arange(cn.size)
        self.stamp[cn] = order
        cand = cn[self.stamp[cn] == order]
        co = self.bt.indices[E.spans(self.bt.indptr[touched], self.sizes[touched])]
        co = co[self.wanted[self.code_ext[co]]]  # all of them are candidates: they share a partnership with a member
        np.add.at(self.shared_count, co, 1)
        linked, score, shared = self.linked[cand], self.score[cand], self.shared_count[cand]
        self.linked[cand] = 0
        self.score[cand] = 0.0
        self.shared_count[cand] = 0
        self.is_member[members] = True
        self.is_near[nbr] = True
        self.near = nbr
        self.near_part = None
        self.is_touched[touched] = True
        try:
            p = self.p_ids[j]
            ranked_by_sector = self._rank_all(missing, cand, shared, linked, score, top)
            via = self._via_lists(cn, c_owner, [c for _, ranked in ranked_by_sector for c, _, _, two in ranked])
            for k, ranked in ranked_by_sector:
                sector = self.vocab.ids[k]
                if not ranked:
                    self._append(rows, p, sector, None)
                for r, (c, sh, sc, two) in enumerate(ranked, start=1):
                    v = via.get(c, [])
                    self._append(rows, p, sector, (r, c, sh, v, two, sc, *self._reason(c, v, two)))
        finally:
            self.is_member[members] = False
            self.is_near[nbr] = False
            self.is_touched[touched] = False

    def _via_lists(self, cn: np.ndarray, owner: np.ndarray, chosen: list[int]) -> dict[int, list[int]]:
        """For each chosen candidate, the members it is linked to, sorted (from the gathered member rows)."""
        if not chosen or cn.size == 0:
            return {}
        self.stamp[chosen] = -1
        hit = self.stamp[cn] == -1
        self.stamp[chosen] = 0
        c, a = cn[hit], owner[hit]
        order = np.lexsort((a, c))
        c, a = c[order], a[order]
        starts = [0, *(np.flatnonzero(np.diff(c)) + 1).tolist()] if c.size else []
        ends = [*starts[1:], c.size]
        cl, al = c.tolist(), a.tolist()
        return {cl[i]: al[i:e] for i, e in zip(starts, ends)}

    def _rank_all(self, missing, cand, shared, linked, score, top: int | None):
        """Per missing sector: (candidate, shared, score, two_step) in rank order, at most ``top``.

        One sort for all sectors: by sector, then shared (more first), linked
        members, degree, and id; candidates short of ``top`` are filled from
        :meth:`_two_step_first`.
        """
        code = self.code[cand]
        order = np.lexsort((cand, -self.degree[cand], -linked, -shared, code))
        code_sorted = code[order]
        out = []
        for k in missing:
            lo, hi = np.searchsorted(code_sorted, [k, k + 1])
            picked = order[lo:hi] if top is None else order[lo : min(hi, lo + top)]
            chosen = list(zip(cand[picked].tolist(), shared[picked].tolist(), score[picked].tolist(),
                              [True] * picked.size))
            if top is None or len(chosen) < top:
                need = None if top is None else top - len(chosen)
                chosen += [(c, 0, 0.0, two) for c, two in self._two_step_first(self.by_sector[k], need)]
            out.append((k, chosen))
        return out

    def _two_step_first(self, ordered: np.ndarray, need: int | None) -> list[tuple[int, bool]]:
        """Actors of ``ordered`` not linked to a member, two-step-reachable ones first, cut to ``need``.

        ``ordered`` is by degree (then id). An actor is two steps from a member
        when it shares a partnership with, or has a tie to, an actor linked to
        a member; partnerships with such an actor are marked once per
        partnership, so each check costs one look-up per membership.
        """
        rest = ordered[~self.is_near[ordered]]
        if self.near.size == 0 or rest.size == 0:
            reach = np.zeros(rest.size, dtype=bool)
        else:
            if self.near_part is None:
                near = self.near
                self.near_part = np.zeros(len(self.p_ids), dtype=bool)
                self.near_part[self.b.indices[E.spans(self.b.indptr[near], self.m[near])]] = True
            parts = self.b.indices[E.spans(self.b.indptr[rest], self.m[rest])]
            owner = np.repeat(np.arange(rest.size), self.m[rest])
            reach = np.bincount(owner, weights=self.near_part[parts], minlength=rest.size) > 0
            if self.tie_t is not None:
                nbr, _ = E.gather_rows(self.tie_t, rest)
                owner = np.repeat(np.arange(rest.size), np.diff(self.tie_t.indptr)[rest])
                reach |= np.bincount(owner, weights=self.is_near[nbr], minlength=rest.size) > 0
        hits, misses = rest[reach], rest[~reach]
        if need is not None:
            hits = hits[:need]
            misses = misses[: max(0, need - hits.size)]
        return [(c, True) for c in hits.tolist()] + [(c, False) for c in misses.tolist()]

    def _reason(self, c: int, via: list[int], two: bool) -> tuple[str, str]:
        if via:
            if self.shared is None:  # no direct ties: every link is a shared partnership
                co = set(via)
            else:
                row = self.shared.indices[self.shared.indptr[c] : self.shared.indptr[c + 1]]
                co = set(row[self.is_member[row]].tolist())
            co_members = [self.actor_label[m] for m in via if m in co]
            tie_only = [self.actor_label[m] for m in via if m not in co]
            da, en = [], []
            if co_members:
                parts = self.b.indices[self.b.indptr[c] : self.b.indptr[c + 1]]
                names = [self.label[self.p_ids[q]] for q in sorted(parts[self.is_touched[parts]].tolist())]
                da.append(f"samarbejder allerede med {_names(co_members, 'da')} i {_names(names, 'da', True)}")
                en.append(f"already partners with {_names(co_members, 'en')} in {_names(names, 'en', True)}")
            if tie_only:
                da.append(f"{'har ' if not da else ''}direkte forbindelse til {_names(tie_only, 'da')}")
                en.append(f"{'has a ' if not en else ''}direct tie to {_names(tie_only, 'en')}")
            return "; ".join(da), "; ".join(en)
        if two:
            nbr = self.weights.indices[self.weights.indptr[c] : self.weights.indptr[c + 1]]
            x = int(nbr[self.is_near[nbr]].min())
            row = self.weights.indices[self.weights.indptr[x] : self.weights.indptr[x + 1]]
            m = int(row[self.is_member[row]].min())
            member, broker = self.actor_label[m], self.actor_label[x]
            return f"kender {member} gennem {broker}", f"knows {member} through {broker}"
        d = int(self.degree[c])
        return (
            f"ingen forbindelse til medlemmerne endnu; {d} samarbejdspartner{'e' if d != 1 else ''} i netværket",
            f"no link to the members yet; {d} partner{'s' if d != 1 else ''} in the network",
        )

    def _append(self, rows: list[tuple], p: str, sector: str, found: tuple | None) -> None:
        """One output row, as a tuple in the order of the table's columns."""
        if found is None:
            rows.append((p, self.label[p], sector, None, None, None, None, [], None, None, NO_ACTOR_DA, NO_ACTOR_EN))
            return
        rank, c, shared, via, two, score, da, en = found
        cid = self.a_ids[c]
        rows.append(
            (p, self.label[p], sector, rank, cid, self.label[cid], shared, [self.a_ids[m] for m in via], two, score,
             da, en)
        )


def _names(names: list[str], lang: str, partnerships: bool = False) -> str:
    """``A``, ``A og B``, ``A, B og C``, ``A, B, C og 2 andre`` (English: "and", "others")."""
    and_ = " og " if lang == "da" else " and "
    if len(names) > _NAMES_SHOWN + 1:
        rest = len(names) - _NAMES_SHOWN
        return ", ".join(names[:_NAMES_SHOWN]) + and_ + _others(rest, lang, partnerships)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + and_ + names[-1]


def _others(n: int, lang: str, partnerships: bool) -> str:
    if lang == "da":
        if partnerships:
            return f"{n} andet partnerskab" if n == 1 else f"{n} andre partnerskaber"
        return f"{n} anden" if n == 1 else f"{n} andre"
    noun = (" partnership" if n == 1 else " partnerships") if partnerships else ("" if n == 1 else "s")
    return f"{n} other{noun}"
