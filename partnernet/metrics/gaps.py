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

from .. import schema
from ..errors import OptionError, suggest
from ..graph import sectors_of, tie_matrix
from ._engine import actor_net, gather_rows, incidence, row_index, sector_codes, spans
from .coverage import present_sectors

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
    to it and the data declares no unnamed member of it (checked against the
    whole vocabulary; see :func:`partnernet.metrics.coverage.present_sectors`). Every actor of a missing
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
    a_ids, p_ids, b = incidence(g)
    selected = range(len(p_ids)) if partnership is None else [_partnership_index(g, p_ids, partnership)]
    ctx = _Context(g, a_ids, p_ids, b)
    for j in selected:
        ctx.emit_partnership(j, top)
    return ctx.frame()


def _list_column(owner: np.ndarray, values: pl.Series, n: int) -> pl.Series:
    """A List(String) column of ``n`` rows from its flat ``values`` and their (sorted) row ``owner``."""
    grouped = pl.DataFrame({"__row": owner, "v": values}).group_by("__row", maintain_order=True).agg(pl.col("v"))
    full = pl.DataFrame({"__row": np.arange(n, dtype=np.int64)}).join(
        grouped, on="__row", how="left", maintain_order="left"
    )
    return full.select(pl.col("v").fill_null(pl.lit([], dtype=pl.List(pl.String))))["v"]


def _joined(owner: np.ndarray, names: pl.Series, n: int, lang: str, partnerships: bool = False) -> pl.Series:
    """Each row's names as ``A``, ``A og B``, ``A, B og C``, ``A, B, C og 2 andre`` (English: "and", "others").

    For ``n`` rows at once ("" for a row without names); ``names`` is flat,
    grouped by the sorted row ``owner``. Only the first
    :data:`_NAMES_SHOWN` + 1 names of a row can show, so the text is built
    position by position: each shown name (or the "and N others" tail) with
    the separator before it, scattered into one column per position.
    """
    counts = np.bincount(owner, minlength=n)
    pos = np.arange(owner.size) - (np.cumsum(counts) - counts)[owner]
    cnt = counts[owner]
    short = cnt <= _NAMES_SHOWN + 1
    and_ = " og " if lang == "da" else " and "
    columns = []
    for at in range(_NAMES_SHOWN + 1):
        sel = np.flatnonzero(pos == at)
        text = names.gather(sel)
        if at:
            last, tail = short[sel] & (cnt[sel] == at + 1), ~short[sel] & (at == _NAMES_SHOWN)
            rest, inverse = np.unique(np.where(tail, cnt[sel] - _NAMES_SHOWN, 0), return_inverse=True)
            others = pl.Series([_others(int(r), lang, partnerships) for r in rest], dtype=pl.String)
            prefix = pl.Series(np.where(last, and_, ", "), dtype=pl.String)
            text = pl.select(
                pl.when(pl.lit(tail)).then(pl.lit(and_) + others.gather(inverse.ravel())).otherwise(prefix + text)
            ).to_series()
        columns.append(pl.select(pl.repeat("", n, dtype=pl.String)).to_series().scatter(owner[sel], text))
    return pl.select(pl.concat_str(columns)).to_series()


def _partnership_index(g: nx.Graph, p_ids: list[str], partnership: str) -> int:
    if partnership in g and g.nodes[partnership].get(schema.KIND) == schema.PARTNERSHIP:
        return p_ids.index(partnership)
    if partnership in g:
        raise OptionError(f'"{partnership}" is an actor, not a partnership')
    raise OptionError(f'unknown partnership "{partnership}"{suggest(partnership, p_ids)}')


#: Row kinds: a candidate linked to a member (reason from its links), one that is not, no candidate at all.
_LINKED, _UNLINKED, _NONE = 0, 1, 2


class _Context:
    """Arrays shared by all partnerships of one call, and the table's columns as they are collected.

    Work per partnership is proportional to its neighbourhood (members, their
    partners, the partnerships they touch), not to the number of actors:
    per-actor state lives in masks that are set and cleared again. Rows are
    collected as arrays of indices; ids, labels and reasons are turned into
    strings once, for the whole table, in :meth:`frame`.
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
        net = actor_net(g)
        self.weights = net.weights
        self.has_ties = tie_matrix(g).nnz > 0
        # Sorted (actor, partnership) keys of the memberships: with direct ties, a link need not be a shared partnership.
        self.b_keys = row_index(self.b) * len(p_ids) + self.b.indices if self.has_ties else None
        self.degree = net.degree
        self.code = sector_codes(g, a_ids)
        self.present = present_sectors(g)  # named members' sectors and declared unnamed ones
        k = len(self.vocab)
        self.code_ext = np.where(self.code >= 0, self.code, k)
        self.wanted = np.zeros(k + 1, dtype=bool)
        by_degree = np.lexsort((np.arange(len(a_ids)), -self.degree))
        self.by_sector = [by_degree[self.code[by_degree] == x] for x in range(k)]
        self.actor_label = [g.nodes[a].get(schema.LABEL) or a for a in a_ids]
        self.part_label = [g.nodes[q].get(schema.LABEL) or q for q in p_ids]
        n = len(a_ids)
        self.is_member = np.zeros(n, dtype=bool)
        self.is_near = np.zeros(n, dtype=bool)
        self.is_touched = np.zeros(len(p_ids), dtype=bool)
        self.near_part: np.ndarray | None = None
        self.tie_t = sp.csr_array(tie_matrix(g)) if self.has_ties else None
        # Per-actor accumulators, set and cleared again for each partnership.
        self.linked = np.zeros(n, dtype=np.int64)
        self.score = np.zeros(n)
        self.shared_count = np.zeros(n, dtype=np.int64)
        self.stamp = np.zeros(n, dtype=np.int64)
        self.near: np.ndarray = np.zeros(0, dtype=np.int64)
        # The collected table: per row, then per via member and per partnership named in a reason.
        self.rows: dict[str, list[np.ndarray]] = {
            key: [] for key in ("part", "sector", "rank", "cand", "shared", "two", "score", "kind")
        }
        self.via: dict[str, list[np.ndarray]] = {"row": [], "member": [], "co": []}
        self.named: dict[str, list[np.ndarray]] = {"row": [], "part": []}
        self.unlinked: list[tuple[int, str, str]] = []
        self.n_rows = 0

    def emit_partnership(self, j: int, top: int | None) -> None:
        members = self.bt.indices[self.bt.indptr[j] : self.bt.indptr[j + 1]]
        missing = np.flatnonzero(~self.present[j]).tolist()
        if not missing:
            return
        touched = self.overlap.indices[self.overlap.indptr[j] : self.overlap.indptr[j + 1]]
        touched = touched[touched != j]
        nbr, wts = gather_rows(self.weights, members)
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
        co = self.bt.indices[spans(self.bt.indptr[touched], self.sizes[touched])]
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
            rows = self._ranked_rows(missing, cand, shared, linked, score, top)
            self._add_rows(j, rows, cn, c_owner)
        finally:
            self.is_member[members] = False
            self.is_near[nbr] = False
            self.is_touched[touched] = False

    def _ranked_rows(self, missing, cand, shared, linked, score, top: int | None) -> dict[str, np.ndarray]:
        """The partnership's rows by sector and rank: (sector, rank, candidate, shared, score, two_step, kind).

        One sort for all sectors: by sector, then shared (more first), linked
        members, degree, and id; sectors short of ``top`` are filled from
        :meth:`_two_step_first`, and a sector without any candidate gets a
        row of kind ``_NONE``.
        """
        code = self.code[cand]
        order = np.lexsort((cand, -self.degree[cand], -linked, -shared, code))
        sector = code[order]
        rank = np.arange(order.size) - np.searchsorted(sector, sector) + 1
        if top is not None:
            order, sector, rank = order[rank <= top], sector[rank <= top], rank[rank <= top]
        found = np.bincount(sector, minlength=len(self.vocab))
        extra: list[tuple[int, int, int, bool, int]] = []
        for k in missing:
            if top is not None and found[k] >= top:
                continue
            fill = self._two_step_first(self.by_sector[k], None if top is None else top - int(found[k]))
            extra += [(k, int(found[k]) + r, c, two, _UNLINKED) for r, (c, two) in enumerate(fill, start=1)]
            if not fill and not found[k]:
                extra.append((k, 0, -1, False, _NONE))
        e_sector, e_rank, e_cand, e_two, e_kind = (np.array(x) for x in zip(*extra)) if extra else [np.zeros(0, np.int64)] * 5
        rows = {
            "sector": np.concatenate([sector, e_sector]).astype(np.int64),
            "rank": np.concatenate([rank, e_rank]).astype(np.int64),
            "cand": np.concatenate([cand[order], e_cand]).astype(np.int64),
            "shared": np.concatenate([shared[order], np.zeros(len(extra), np.int64)]),
            "score": np.concatenate([score[order], np.zeros(len(extra))]),
            "two": np.concatenate([np.ones(order.size, bool), e_two.astype(bool)]),
            "kind": np.concatenate([np.full(order.size, _LINKED), e_kind]).astype(np.int8),
        }
        by = np.lexsort((rows["rank"], rows["sector"]))
        return {key: value[by] for key, value in rows.items()}

    def _add_rows(self, j: int, rows: dict[str, np.ndarray], cn: np.ndarray, c_owner: np.ndarray) -> None:
        """Collect the rows of partnership ``j``, the via members of the linked ones and the partnerships
        their reasons name; reasons of the other rows are written at once (there are few)."""
        start = self.n_rows
        size = rows["kind"].size
        self.n_rows += size
        for key, value in rows.items():
            self.rows[key].append(value)
        self.rows["part"].append(np.full(size, j, dtype=np.int64))
        at = np.flatnonzero(rows["kind"] == _LINKED)
        chosen = rows["cand"][at]
        self.stamp[chosen] = -(start + at) - 1
        hit = self.stamp[cn] < 0
        row, member = -self.stamp[cn[hit]] - 1, c_owner[hit]
        self.stamp[chosen] = 0
        by = np.lexsort((member, row))
        row, member = row[by], member[by]
        self.via["row"].append(row)
        self.via["member"].append(member)
        self.via["co"].append(self._shares_partnership(self.rows["cand"][-1][row - start], member))
        parts = self.b.indices[spans(self.b.indptr[chosen], self.m[chosen])]
        named = self.is_touched[parts]
        self.named["row"].append(np.repeat(start + at, self.m[chosen])[named])
        self.named["part"].append(parts[named])
        for r in np.flatnonzero(rows["kind"] != _LINKED).tolist():
            if rows["kind"][r] == _NONE:
                self.unlinked.append((start + r, NO_ACTOR_DA, NO_ACTOR_EN))
            else:
                self.unlinked.append((start + r, *self._unlinked_reason(int(rows["cand"][r]), bool(rows["two"][r]))))

    def _shares_partnership(self, c: np.ndarray, a: np.ndarray) -> np.ndarray:
        """Whether each linked pair (``c``, ``a``) shares a partnership: one look-up per membership of ``c``."""
        if self.b_keys is None:
            return np.ones(c.size, dtype=bool)
        counts = self.m[c]
        pair = np.repeat(np.arange(c.size), counts)
        keys = a[pair] * len(self.p_ids) + self.b.indices[spans(self.b.indptr[c], counts)]
        at = np.minimum(np.searchsorted(self.b_keys, keys), self.b_keys.size - 1)
        return np.bincount(pair, weights=self.b_keys[at] == keys, minlength=c.size) > 0

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
                self.near_part[self.b.indices[spans(self.b.indptr[near], self.m[near])]] = True
            parts = self.b.indices[spans(self.b.indptr[rest], self.m[rest])]
            owner = np.repeat(np.arange(rest.size), self.m[rest])
            reach = np.bincount(owner, weights=self.near_part[parts], minlength=rest.size) > 0
            if self.tie_t is not None:
                nbr, _ = gather_rows(self.tie_t, rest)
                owner = np.repeat(np.arange(rest.size), np.diff(self.tie_t.indptr)[rest])
                reach |= np.bincount(owner, weights=self.is_near[nbr], minlength=rest.size) > 0
        hits, misses = rest[reach], rest[~reach]
        if need is not None:
            hits = hits[:need]
            misses = misses[: max(0, need - hits.size)]
        return [(c, True) for c in hits.tolist()] + [(c, False) for c in misses.tolist()]

    def _unlinked_reason(self, c: int, two: bool) -> tuple[str, str]:
        """Reason for a candidate not linked to any member: who it knows a member through, or its degree."""
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

    def frame(self) -> pl.DataFrame:
        """The collected rows as the table (see :func:`gaps_table`)."""
        rows = {key: _concat(parts) for key, parts in self.rows.items()}
        via = {key: _concat(parts) for key, parts in self.via.items()}
        named = {key: _concat(parts) for key, parts in self.named.items()}
        n = self.n_rows
        found = rows["kind"] != _NONE
        a_ids, a_labels = pl.Series(self.a_ids, dtype=pl.String), pl.Series(self.actor_label, dtype=pl.String)
        p_ids, p_labels = pl.Series(self.p_ids, dtype=pl.String), pl.Series(self.part_label, dtype=pl.String)
        cand = np.where(found, rows["cand"], 0)
        override = {"da": [None] * n, "en": [None] * n}
        for r, da, en in self.unlinked:
            override["da"][r], override["en"][r] = da, en
        co = via["co"].astype(bool)
        texts = {
            lang: (_joined(via["row"][co], a_labels.gather(via["member"][co]), n, lang),
                   _joined(via["row"][~co], a_labels.gather(via["member"][~co]), n, lang),
                   _joined(named["row"], p_labels.gather(named["part"]), n, lang, True))
            for lang in ("da", "en")
        }
        has_co = np.bincount(via["row"][co], minlength=n) > 0
        has_tie = np.bincount(via["row"][~co], minlength=n) > 0
        frame = pl.DataFrame({
            "partnership": p_ids.gather(rows["part"]),
            "partnership_label": p_labels.gather(rows["part"]),
            "sector": pl.Series(self.vocab.ids, dtype=pl.String).gather(rows["sector"]),
            "rank": rows["rank"],
            "candidate": a_ids.gather(cand),
            "candidate_label": a_labels.gather(cand),
            "shared": rows["shared"].astype(np.int64),
            "via": _list_column(via["row"], a_ids.gather(via["member"]), n),
            "two_step": rows["two"].astype(bool),
            "score": rows["score"].astype(np.float64),
            "__found": found,
            "__linked": rows["kind"] == _LINKED,
            "__co": has_co,
            "__tie": has_tie,
            **{f"__{lang}_{i}": t for lang, ts in texts.items() for i, t in enumerate(ts)},
            "__da": pl.Series(override["da"], dtype=pl.String),
            "__en": pl.Series(override["en"], dtype=pl.String),
        })
        reasons = [
            pl.when(pl.col("__linked")).then(_linked_reason(lang)).otherwise(pl.col(f"__{lang}")).alias(f"reason_{lang}")
            for lang in ("da", "en")
        ]
        nullable = [pl.when(pl.col("__found")).then(pl.col(c)).alias(c)
                    for c in ("rank", "candidate", "candidate_label", "shared", "two_step", "score")]
        return frame.with_columns(*nullable, *reasons).select(list(_SCHEMA)).cast(_SCHEMA)


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _linked_reason(lang: str) -> pl.Expr:
    """Reason of a candidate linked to members: the shared partnerships, then the direct ties."""
    co, tie, parts = (pl.col(f"__{lang}_{i}") for i in range(3))
    if lang == "da":
        shared = pl.lit("samarbejder allerede med ") + co + pl.lit(" i ") + parts
        ties = pl.when(pl.col("__co")).then(pl.lit("")).otherwise(pl.lit("har ")) + pl.lit("direkte forbindelse til ") + tie
    else:
        shared = pl.lit("already partners with ") + co + pl.lit(" in ") + parts
        ties = pl.when(pl.col("__co")).then(pl.lit("")).otherwise(pl.lit("has a ")) + pl.lit("direct tie to ") + tie
    return pl.concat_str(
        [pl.when(pl.col("__co")).then(shared), pl.when(pl.col("__tie")).then(ties)], separator="; ", ignore_nulls=True
    )


def _others(n: int, lang: str, partnerships: bool) -> str:
    if lang == "da":
        if partnerships:
            return f"{n} andet partnerskab" if n == 1 else f"{n} andre partnerskaber"
        return f"{n} anden" if n == 1 else f"{n} andre"
    noun = (" partnership" if n == 1 else " partnerships") if partnerships else ("" if n == 1 else "s")
    return f"{n} other{noun}"
