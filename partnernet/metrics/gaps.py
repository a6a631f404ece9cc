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
    rows: dict[str, list] = {k: [] for k in _SCHEMA}
    for j in selected:
        ctx.emit_partnership(j, top, rows)
    return pl.DataFrame(rows, schema=_SCHEMA)


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
        self.overlap = sp.csr_array(self.bt @ b)
        net = E.actor_net(g)
        self.weights = net.weights
        self.shared = sp.csr_array(E.actor_adjacency(g).shared)
        self.degree = net.degree
        self.code = E.sector_codes(g, a_ids)
        by_degree = np.lexsort((np.arange(len(a_ids)), -self.degree))
        self.by_sector = [by_degree[self.code[by_degree] == k] for k in range(len(self.vocab))]
        self.label = {x: (g.nodes[x].get(S.LABEL) or x) for x in (*a_ids, *p_ids)}
        self.is_member = np.zeros(len(a_ids), dtype=bool)
        self.is_near = np.zeros(len(a_ids), dtype=bool)
        self.is_touched = np.zeros(len(p_ids), dtype=bool)
        self.has_near = False

    def emit_partnership(self, j: int, top: int | None, rows: dict[str, list]) -> None:
        members = self.bt.indices[self.bt.indptr[j] : self.bt.indptr[j + 1]]
        present = set(self.code[members].tolist())
        missing = [k for k in range(len(self.vocab)) if k not in present]
        if not missing:
            return
        touched = self.overlap.indices[self.overlap.indptr[j] : self.overlap.indptr[j + 1]]
        touched = touched[touched != j]
        nbr, wts = E.gather_rows(self.weights, members)
        near, inverse = np.unique(nbr, return_inverse=True)
        linked = np.bincount(inverse, minlength=near.size)
        score = np.bincount(inverse, weights=wts, minlength=near.size)
        co = self.bt.indices[E.spans(self.bt.indptr[touched], self.sizes[touched])]
        co_ids, co_counts = np.unique(co, return_counts=True)
        at = np.searchsorted(near, co_ids)
        hit = (at < near.size) & (near[np.minimum(at, near.size - 1)] == co_ids) if near.size else at < 0
        shared = np.zeros(near.size, dtype=np.int64)
        shared[at[hit]] = co_counts[hit]
        self.is_member[members] = True
        self.is_near[near] = True
        self.has_near = near.size > 0
        self.is_touched[touched] = True
        try:
            p = self.p_ids[j]
            for k in missing:
                sector = self.vocab.ids[k]
                in_sector = self.code[near] == k
                close = (near[in_sector], shared[in_sector], linked[in_sector], score[in_sector])
                ranked = self._rank(k, close, top)
                if not ranked:
                    self._append(rows, p, sector, None)
                for r, (c, sh, sc, two) in enumerate(ranked, start=1):
                    via = self._via(c)
                    self._append(rows, p, sector, (r, c, sh, via, two, sc, *self._reason(c, via, two)))
        finally:
            self.is_member[members] = False
            self.is_near[near] = False
            self.is_touched[touched] = False

    def _rank(self, k: int, close, top: int | None) -> list[tuple[int, int, float, bool]]:
        """(candidate, shared, score, two_step) in rank order, at most ``top``."""
        ids, shared, linked, score = close
        order = np.lexsort((ids, -self.degree[ids], -linked, -shared))[:top]
        chosen = [(int(ids[i]), int(shared[i]), float(score[i]), True) for i in order.tolist()]
        if top is not None and len(chosen) >= top:
            return chosen[:top]
        need = None if top is None else top - len(chosen)
        return chosen + [(c, 0, 0.0, two) for c, two in self._two_step_first(self.by_sector[k], need)]

    def _two_step_first(self, ordered: np.ndarray, need: int | None) -> list[tuple[int, bool]]:
        """Actors of ``ordered`` not linked to a member, two-step-reachable ones first, cut to ``need``.

        ``ordered`` is by degree (then id); checks run in growing blocks and
        stop once ``need`` two-step candidates are found, so a short list
        costs little on a large network.
        """
        hits: list[int] = []
        misses: list[int] = []
        lo, size = 0, 64
        while self.has_near and lo < ordered.size and (need is None or len(hits) < need):
            block = ordered[lo : lo + size]
            block = block[~self.is_near[block]]
            nbr, _ = E.gather_rows(self.weights, block)
            owner = np.repeat(np.arange(block.size), self.degree[block])
            reach = np.bincount(owner, weights=self.is_near[nbr], minlength=block.size) > 0
            hits += block[reach].tolist()
            misses += block[~reach].tolist()
            lo += size
            size *= 2
        if need is None or len(hits) < need:
            rest = ordered[lo:]
            misses += rest[~self.is_near[rest]].tolist()
        out = [(c, True) for c in hits] + [(c, False) for c in misses]
        return out if need is None else out[:need]

    def _via(self, c: int) -> list[int]:
        nbr = self.weights.indices[self.weights.indptr[c] : self.weights.indptr[c + 1]]
        return sorted(nbr[self.is_member[nbr]].tolist())

    def _reason(self, c: int, via: list[int], two: bool) -> tuple[str, str]:
        if via:
            row = self.shared.indices[self.shared.indptr[c] : self.shared.indptr[c + 1]]
            co = set(row[self.is_member[row]].tolist())
            co_members = [self.label[self.a_ids[m]] for m in via if m in co]
            tie_only = [self.label[self.a_ids[m]] for m in via if m not in co]
            da, en = [], []
            if co_members:
                parts = self.b.indices[self.b.indptr[c] : self.b.indptr[c + 1]]
                names = [self.label[self.p_ids[q]] for q in sorted(parts.tolist()) if self.is_touched[q]]
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
            member, broker = self.label[self.a_ids[m]], self.label[self.a_ids[x]]
            return f"kender {member} gennem {broker}", f"knows {member} through {broker}"
        d = int(self.degree[c])
        return (
            f"ingen forbindelse til medlemmerne endnu; {d} samarbejdspartner{'e' if d != 1 else ''} i netværket",
            f"no link to the members yet; {d} partner{'s' if d != 1 else ''} in the network",
        )

    def _append(self, rows, p: str, sector: str, found: tuple | None) -> None:
        rows["partnership"].append(p)
        rows["partnership_label"].append(self.label[p])
        rows["sector"].append(sector)
        if found is None:
            for k in ("rank", "candidate", "candidate_label", "shared", "two_step", "score"):
                rows[k].append(None)
            rows["via"].append([])
            rows["reason_da"].append(NO_ACTOR_DA)
            rows["reason_en"].append(NO_ACTOR_EN)
            return
        rank, c, shared, via, two, score, da, en = found
        cid = self.a_ids[c]
        rows["rank"].append(rank)
        rows["candidate"].append(cid)
        rows["candidate_label"].append(self.label[cid])
        rows["shared"].append(shared)
        rows["via"].append([self.a_ids[m] for m in via])
        rows["two_step"].append(two)
        rows["score"].append(score)
        rows["reason_da"].append(da)
        rows["reason_en"].append(en)


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
