"""What changed between two snapshots of a partnership landscape: graphs in, polars tables out.

:func:`diff` compares an older and a newer frozen graph (two data folders, or
one at two ``--as-of`` years) after matching their nodes
(:func:`partnernet.metrics.identity.match_snapshots`) and returns a
:class:`Diff` of six tables, each sorted so that the same data gives the same
rows in the same order:

``partnerships``  every partnership of either snapshot: added, removed, changed or unchanged, with members
                  before and after, joined, left and role changes
``members``       one row per membership that changed: joined, left, or a new role; the members of an added
                  partnership joined, those of a removed one left
``actors``        actors added, removed, or whose label, sector or type changed
``coverage``      per partnership: sectors gained and lost, coverage and diversity before and after
``suggestions``   new members of continued partnerships from a sector the partnership lacked: whether the older
                  snapshot's suggestions (:func:`~partnernet.metrics.gaps.gaps_table`) named them, and at which rank
``centrality``    the largest rises and falls in rank on one measure, computed the same way on both snapshots

A row names a node by its id in the newer snapshot (``id``; the older id when
it was removed) and by its older id (``old_id``; null when it was added).
:attr:`Diff.counts` holds the figures of the one-paragraph summary
(:func:`partnernet.text.changes.summary_text`).

Centrality movers use PageRank by default: it is exact on networks of any
size, whereas sampled betweenness (above 5,000 nodes) draws other sources on
another graph, so ranks would move by sampling alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import numpy as np
import polars as pl

from .. import schema
from ..defaults import DIFF_MEASURE, DIFF_MOVERS, DIFF_TABLES, GAPS_TOP, SEED
from ..errors import OptionError, Problem
from ..graph import edge_arrays, sectors_of
from .centrality import MEASURES, actor_measure
from .coverage import coverage_table
from .gaps import gaps_table
from .identity import Matching, match_snapshots

#: The names of the tables in a published site (its downloads and the site model's tables): ``changes_<table>``.
SITE_TABLES: Final = tuple(f"changes_{name}" for name in DIFF_TABLES)
DEFAULT_MEASURE: Final = DIFF_MEASURE
DEFAULT_MOVERS: Final = DIFF_MOVERS

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
JOINED, LEFT, ROLE = "joined", "left", "role"
_STATUS_ORDER: Final = {ADDED: 0, REMOVED: 1, CHANGED: 2, UNCHANGED: 3}
_CHANGE_ORDER: Final = {JOINED: 0, LEFT: 1, ROLE: 2}

_S, _I, _F, _B, _L = pl.String, pl.Int64, pl.Float64, pl.Boolean, pl.List(pl.String)
SCHEMAS: Final[dict[str, dict[str, Any]]] = {
    "partnerships": {"id": _S, "old_id": _S, "label": _S, "status": _S, "label_old": _S, "members_old": _I,
                     "members_new": _I, "joined": _I, "left": _I, "role_changes": _I},
    "members": {"partnership": _S, "partnership_label": _S, "partnership_status": _S, "actor": _S,
                "actor_label": _S, "sector": _S, "change": _S, "role_old": _S, "role_new": _S, "new_sector": _B},
    "actors": {"id": _S, "old_id": _S, "label": _S, "status": _S, "label_old": _S, "sector_old": _S,
               "sector_new": _S, "type_old": _S, "type_new": _S, "partnerships_old": _I, "partnerships_new": _I},
    "coverage": {"id": _S, "old_id": _S, "label": _S, "status": _S, "sectors_gained": _L, "sectors_lost": _L,
                 "coverage_old": _F, "coverage_new": _F, "diversity_old": _F, "diversity_new": _F},
    "suggestions": {"partnership": _S, "partnership_label": _S, "sector": _S, "actor": _S, "actor_label": _S,
                    "in_old": _B, "suggested": _B, "rank": _I, "rank_label": _S},
    "centrality": {"id": _S, "old_id": _S, "label": _S, "sector": _S, "direction": _S, "value_old": _F,
                   "value_new": _F, "rank_old": _I, "rank_new": _I, "rank_change": _I},
}


@dataclass(frozen=True)
class Diff:
    """The tables of one comparison (see the module docstring), the summary's counts and the warnings."""

    partnerships: pl.DataFrame
    members: pl.DataFrame
    actors: pl.DataFrame
    coverage: pl.DataFrame
    suggestions: pl.DataFrame
    centrality: pl.DataFrame
    counts: dict[str, int]
    measure: str = DEFAULT_MEASURE
    suggestions_top: int = GAPS_TOP
    warnings: tuple[Problem, ...] = field(default=())

    def tables(self) -> dict[str, pl.DataFrame]:
        """The six tables by name, in :data:`DIFF_TABLES` order."""
        return {name: getattr(self, name) for name in DIFF_TABLES}

    def site_tables(self) -> dict[str, pl.DataFrame]:
        """The six tables by their names in a published site (:data:`SITE_TABLES`)."""
        return dict(zip(SITE_TABLES, self.tables().values()))

    @property
    def changed(self) -> bool:
        """Anything at all changed (a snapshot compared with itself: False)."""
        return any(self.counts[k] for k in ("partnerships_added", "partnerships_removed", "joined", "left",
                                            "role_changes", "actors_added", "actors_removed", "actors_changed",
                                            "partnerships_changed", "sectors_gained", "sectors_lost"))


def diff(old: nx.Graph, new: nx.Graph, *, matching: Matching | None = None, measure: str = DEFAULT_MEASURE,
         movers: int = DEFAULT_MOVERS, suggestions_top: int = GAPS_TOP, exact: bool = False,
         samples: int | None = None, seed: int = SEED,
         new_tables: Mapping[str, pl.DataFrame] | None = None) -> Diff:
    """Compare snapshot ``old`` with snapshot ``new`` (see the module docstring).

    Parameters
    ----------
    matching
        Which node is which (default: :func:`~partnernet.metrics.identity.match_snapshots` by id).
    measure, movers
        The centrality measure of the movers (one of
        :data:`~partnernet.metrics.centrality.MEASURES`), and how many rises
        and how many falls are listed.
    suggestions_top
        The length of the older snapshot's suggestion lists a new member is looked for in.
    exact, samples, seed
        Betweenness and closeness options, the same for both snapshots.
    new_tables
        Tables of ``new`` already computed (``coverage``), reused as they are.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> nodes = [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"}, {"id": "b", "sector": "business"}]
    >>> old = graph_from_records(nodes, [{"source": "a", "target": "p"}])
    >>> new = graph_from_records(nodes, [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    >>> d = diff(old, new)
    >>> d.members.select("partnership", "actor", "change", "new_sector").rows()
    [('p', 'b', 'joined', True)]
    >>> d.coverage["sectors_gained"].to_list()
    [['business']]
    """
    if measure not in MEASURES:
        raise OptionError(f'--measure: unknown measure "{measure}"; choose one of {", ".join(MEASURES)}')
    if movers < 1 or suggestions_top < 1:
        raise OptionError("movers and suggestions_top must be at least 1")
    matching = matching or match_snapshots(old, new)
    s = _Snapshots(old, new, matching)
    cov_old = coverage_table(old)
    cov_new = (new_tables or {}).get("coverage")
    cov_new = coverage_table(new) if cov_new is None else cov_new
    partnerships, members = s.partnerships(_sets(cov_old))
    coverage = s.coverage(cov_old, cov_new)
    actors = s.actors()
    suggestions = s.suggestions(members, suggestions_top)
    centrality = s.movers(actor_measure(old, measure, exact=exact, samples=samples, seed=seed),
                          actor_measure(new, measure, exact=exact, samples=samples, seed=seed), movers)
    counts = _counts(partnerships, members, actors, coverage, suggestions)
    return Diff(partnerships, members, actors, coverage, suggestions, centrality, counts, measure, suggestions_top,
                matching.warnings)


def _frame(name: str, rows: list[tuple]) -> pl.DataFrame:
    columns = SCHEMAS[name]
    return pl.DataFrame(rows, schema=columns, orient="row")


def _memberships(g: nx.Graph) -> pl.DataFrame:
    """Partnership ``p``, actor ``a`` and ``role`` of every membership of ``g`` (from its edge arrays)."""
    e = edge_arrays(g)
    ids = pl.Series(e.ids, dtype=pl.String)
    m = np.flatnonzero(e.membership)
    roles = pl.Series(schema.ROLES, dtype=pl.String)
    return pl.DataFrame({"p": ids.gather(e.target[m]), "a": ids.gather(e.source[m]),
                         "role": roles.gather(e.role[m].astype(np.int64))})


def _sets(cov: pl.DataFrame) -> dict[str, set[str]]:
    """Partnership id → the sectors present in it, named or declared unnamed."""
    return {p: set(a or ()) | set(b or ()) for p, a, b in cov.select("id", "present", "declared").iter_rows()}


class _Snapshots:
    """The two graphs, the matching and the lookups every table needs (members and roles by partnership)."""

    def __init__(self, old: nx.Graph, new: nx.Graph, matching: Matching):
        self.old, self.new, self.m = old, new, matching
        self.p_new_of = matching.partnerships
        self.a_new_of = matching.actors
        self.a_old_of = {n: o for o, n in matching.actors.items()}
        self.kinds_old = dict(old.nodes(data=schema.KIND))
        self.kinds_new = dict(new.nodes(data=schema.KIND))
        self.order = {sid: i for i, sid in enumerate(sectors_of(new).ids)}

    def _ids(self, kinds: dict[str, str], kind: str) -> list[str]:
        return sorted(n for n, k in kinds.items() if k == kind)

    def _pairs(self, kind: str) -> list[tuple[str | None, str | None]]:
        """(old id, new id) of every node of ``kind`` in either snapshot (None on the side it is missing),
        sorted by the id a row shows (the new one, else the old one), then the old id."""
        new_of = self.p_new_of if kind == schema.PARTNERSHIP else self.a_new_of
        pairs: list[tuple[str | None, str | None]] = [(o, new_of.get(o)) for o in self._ids(self.kinds_old, kind)]
        matched = set(new_of.values())
        pairs += [(None, n) for n in self._ids(self.kinds_new, kind) if n not in matched]
        return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else p[0], p[0] or ""))

    def label(self, g: nx.Graph, n: str) -> str:
        return str(g.nodes[n].get(schema.LABEL) or n)

    def partnerships(self, present_old: dict[str, set[str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Every partnership with its counts, and every membership that changed (joins of memberships keyed by
        the newer ids; an unmatched node of the older snapshot gets a key no newer id can have)."""
        gone = "\x00"  # control characters are never in validated ids
        old = _memberships(self.old).with_columns(
            pl.col("p").replace_strict(self.p_new_of, default=None).fill_null(gone + pl.col("p")).alias("pk"),
            pl.col("a").replace_strict(self.a_new_of, default=None).fill_null(gone + pl.col("a")).alias("ak"))
        new = _memberships(self.new).with_columns(pl.col("p").alias("pk"), pl.col("a").alias("ak"))
        both = old.join(new, on=["pk", "ak"], how="full", coalesce=True, suffix="_new")
        change = (pl.when(pl.col("role").is_null()).then(pl.lit(JOINED))
                  .when(pl.col("role_new").is_null()).then(pl.lit(LEFT))
                  .when(pl.col("role") != pl.col("role_new")).then(pl.lit(ROLE)).otherwise(None))
        changed = both.with_columns(change.alias("change")).drop_nulls("change")
        per = changed.group_by("pk", "change").len()
        count = {(pk, c): n for pk, c, n in per.iter_rows()}
        size_old = dict(old.group_by("p").len().iter_rows())
        size_new = dict(new.group_by("p").len().iter_rows())
        rows, status_of = [], {}
        for o, n in self._pairs(schema.PARTNERSHIP):
            pk = n if n is not None else gone + o
            pid = n if n is not None else o
            plabel = self.label(self.new if n is not None else self.old, pid)
            label_old = self.label(self.old, o) if o is not None else None
            joined, left, role = (count.get((pk, c), 0) for c in (JOINED, LEFT, ROLE))
            status = ADDED if o is None else REMOVED if n is None else (
                CHANGED if joined or left or role or label_old != plabel else UNCHANGED)
            status_of[pk] = (pid, plabel, status, o)
            rows.append((pid, o, plabel, status, label_old if label_old != plabel else None,
                         size_old.get(o, 0) if o is not None else None, size_new.get(n, 0) if n is not None else None,
                         joined, left, role))
        changes = []
        nodes_old, nodes_new = self.old.nodes, self.new.nodes
        for pk, a_old, ak, a_new, role_old, role_new, kind in changed.select(
                "pk", "a", "ak", "a_new", "role", "role_new", "change").iter_rows():
            pid, plabel, status, o = status_of[pk]
            if kind == LEFT:
                actor = a_old if ak.startswith(gone) else ak
                d = nodes_old[a_old]
                new_sector = False
            else:
                actor, d = a_new, nodes_new[a_new]
                sector = d.get(schema.SECTOR)
                new_sector = (kind == JOINED and status == CHANGED and sector is not None
                              and sector not in present_old.get(o, ()))
            changes.append((pid, plabel, status, actor, str(d.get(schema.LABEL) or actor), d.get(schema.SECTOR), kind,
                            role_old, role_new, new_sector))
        changes.sort(key=lambda r: (r[0], _CHANGE_ORDER[r[6]], r[3]))
        return _frame("partnerships", rows), _frame("members", changes)

    def actors(self) -> pl.DataFrame:
        rows = []
        for o, n in self._pairs(schema.ACTOR):
            d_old = self.old.nodes[o] if o is not None else {}
            d_new = self.new.nodes[n] if n is not None else {}
            if o is None or n is None:
                status = ADDED if o is None else REMOVED
            elif any(d_old.get(k) != d_new.get(k) for k in (schema.LABEL, schema.SECTOR, schema.TYPE)):
                status = CHANGED
            else:
                continue
            label = self.label(self.new, n) if n is not None else self.label(self.old, o)
            label_old = self.label(self.old, o) if o is not None else None
            k_old = sum(1 for q in self.old.adj[o] if self.kinds_old[q] == schema.PARTNERSHIP) if o is not None else None
            k_new = sum(1 for q in self.new.adj[n] if self.kinds_new[q] == schema.PARTNERSHIP) if n is not None else None
            rows.append((n if n is not None else o, o, label, status, label_old if label_old != label else None,
                         d_old.get(schema.SECTOR), d_new.get(schema.SECTOR), d_old.get(schema.TYPE),
                         d_new.get(schema.TYPE), k_old, k_new))
        return _frame("actors", rows)

    def coverage(self, cov_old: pl.DataFrame, cov_new: pl.DataFrame) -> pl.DataFrame:
        rows_old = {r["id"]: r for r in cov_old.iter_rows(named=True)}
        rows_new = {r["id"]: r for r in cov_new.iter_rows(named=True)}
        old_sets, new_sets = _sets(cov_old), _sets(cov_new)
        out = []
        for o, n in self._pairs(schema.PARTNERSHIP):
            a, b = rows_old.get(o, {}), rows_new.get(n, {})
            status = ADDED if o is None else REMOVED if n is None else None
            if status is None:
                gained = sorted(new_sets.get(n, set()) - old_sets.get(o, set()), key=self._sector_key)
                lost = sorted(old_sets.get(o, set()) - new_sets.get(n, set()), key=self._sector_key)
                same = a.get("coverage") == b.get("coverage") and a.get("diversity") == b.get("diversity")
                status = CHANGED if gained or lost or not same else UNCHANGED
            else:
                gained, lost = [], []
            pid = n if n is not None else o
            label = self.label(self.new, n) if n is not None else self.label(self.old, o)
            out.append((pid, o, label, status, gained, lost, a.get("coverage"), b.get("coverage"),
                        a.get("diversity"), b.get("diversity")))
        return _frame("coverage", out)

    def _sector_key(self, sid: str) -> tuple[int, str]:
        return self.order.get(sid, len(self.order)), sid

    def suggestions(self, members: pl.DataFrame, top: int) -> pl.DataFrame:
        """New members of continued partnerships from a sector they lacked, and the older snapshot's rank."""
        joined = members.filter(pl.col("new_sector"))
        if joined.height == 0:
            return _frame("suggestions", [])
        old_of_p = {n: o for o, n in self.p_new_of.items()}
        affected: dict[str, set[str]] = {}
        for p, sector in joined.select("partnership", "sector").iter_rows():
            affected.setdefault(old_of_p[p], set()).add(sector)
        gaps = gaps_table(self.old, top=top, among=affected).filter(pl.col("candidate").is_not_null())
        ranks = {(p, c): (r, lab) for p, c, r, lab in
                 gaps.select("partnership", "candidate", "rank", "rank_label").iter_rows()}
        rows = []
        for p, plabel, a, alabel, sector in joined.select("partnership", "partnership_label", "actor", "actor_label",
                                                          "sector").iter_rows():
            a_old = self.a_old_of.get(a)
            rank, rank_label = ranks.get((old_of_p[p], a_old), (None, None)) if a_old is not None else (None, None)
            rows.append((p, plabel, sector, a, alabel, a_old is not None, rank is not None, rank, rank_label))
        rows.sort(key=lambda r: (r[0], self._sector_key(r[2]), r[3]))
        return _frame("suggestions", rows)

    def movers(self, before: pl.DataFrame, after: pl.DataFrame, top: int) -> pl.DataFrame:
        """The ``top`` largest rises and ``top`` largest falls in rank among actors in both snapshots."""
        def ranked(frame: pl.DataFrame) -> pl.DataFrame:
            # rounded first, so that equal values computed in another order share a rank
            return frame.with_columns(pl.col("value").round(10).rank("min", descending=True).cast(pl.Int64)
                                      .alias("rank"))

        before = ranked(before).with_columns(
            pl.col(schema.ID).replace_strict(self.a_new_of, default=None).alias("__new"))
        both = ranked(after).join(before.drop_nulls("__new").rename({"value": "value_old", "rank": "rank_old",
                                                                     schema.ID: "old_id"}),
                                  left_on=schema.ID, right_on="__new", how="inner")
        both = both.with_columns((pl.col("rank_old") - pl.col("rank")).alias("rank_change"))
        rises = both.filter(pl.col("rank_change") > 0).sort(["rank_change", schema.ID], descending=[True, False]).head(top)
        falls = both.filter(pl.col("rank_change") < 0).sort(["rank_change", schema.ID]).head(top)
        rows = []
        for direction, frame in (("rise", rises), ("fall", falls)):
            for r in frame.iter_rows(named=True):
                n = r[schema.ID]
                rows.append((n, r["old_id"], self.label(self.new, n), self.new.nodes[n].get(schema.SECTOR), direction,
                             r["value_old"], r["value"], r["rank_old"], r["rank"], r["rank_change"]))
        return _frame("centrality", rows)


def _counts(partnerships: pl.DataFrame, members: pl.DataFrame, actors: pl.DataFrame, coverage: pl.DataFrame,
            suggestions: pl.DataFrame) -> dict[str, int]:
    """The figures of the summary paragraph."""
    status = partnerships["status"].value_counts()
    by = dict(zip(status["status"].to_list(), status["count"].to_list()))
    a_status = dict(zip(*actors["status"].value_counts().to_dict(as_series=False).values())) if actors.height else {}
    joined = members.filter(pl.col("change") == JOINED)
    eligible = suggestions.filter(pl.col("in_old"))
    return {
        "partnerships_added": by.get(ADDED, 0),
        "partnerships_removed": by.get(REMOVED, 0),
        "partnerships_changed": by.get(CHANGED, 0),
        "joined": joined.height,
        "joined_new_sector": int(joined["new_sector"].sum()) if joined.height else 0,
        "left": int((members["change"] == LEFT).sum()),
        "role_changes": int((members["change"] == ROLE).sum()),
        "actors_added": a_status.get(ADDED, 0),
        "actors_removed": a_status.get(REMOVED, 0),
        "actors_changed": a_status.get(CHANGED, 0),
        "sectors_gained": int(coverage["sectors_gained"].list.len().sum()),
        "sectors_lost": int(coverage["sectors_lost"].list.len().sum()),
        "suggestions_eligible": eligible.height,
        "suggestions_taken_up": int(eligible["suggested"].sum()) if eligible.height else 0,
    }


def hit_rate(d: Diff) -> float | None:
    """Share of the new members from missing sectors (that the older snapshot had) which its suggestions named."""
    n = d.counts["suggestions_eligible"]
    return d.counts["suggestions_taken_up"] / n if n else None
