"""How well the suggestions find a hidden member: the back-test protocol and its baselines.

For up to ``cases`` partnerships (seeded) with at least three members, one
member is hidden that is the only member of its sector there and takes part
in at least one other partnership (:func:`partnernet.metrics.suggest.draw_cases`).
All hidden memberships are removed at once; the model is learned on that
reduced network only (no leakage), and every method ranks the actors of the
hidden member's sector that are not members. Reported per method: hit@1,
hit@5, hit@10 (share of cases with the hidden member among the first k),
MRR@10 (mean reciprocal rank, 0 beyond 10) and how many distinct actors fill
the top-10 lists. The baselines are those of their conventional form:
common neighbours and mass diffusion break ties by popularity (number of
memberships), then at random; popularity breaks them at random. The
method's own ties are broken at random: a tie never helps it. Random ties
count in expectation (see :func:`partnernet.metrics.suggest.expected_hits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import networkx as nx
import numpy as np
import polars as pl

from ..errors import OptionError
from . import features, suggest

#: The method's name in the table, then the baselines.
METHOD: Final = "partnernet"


@dataclass(frozen=True)
class Backtest:
    """The result: one row per method, the number of cases, eligible partnerships and the model used."""

    table: pl.DataFrame
    cases: int
    eligible: int
    model: suggest.Model


def backtest(g: nx.Graph, *, cases: int = 300, seed: int = 7, match: Sequence[str] | None = None) -> Backtest:
    """Run the protocol on ``g`` (see the module docstring).

    Columns: ``method`` (``partnernet``, ``popularity``,
    ``common_neighbours``, ``mass_diffusion``), ``hit_1``, ``hit_5``,
    ``hit_10``, ``mrr_10`` (0…1), ``distinct_top10`` and ``cases``.

    Raises
    ------
    OptionError
        When ``cases`` is below 1.
    """
    if cases < 1:
        raise OptionError(f"cases must be at least 1, got {cases}")
    net = features.arrays(g, match)
    parts, hidden = suggest.draw_cases(net, cases, seed)
    eligible = int(suggest.draw_cases(net, len(net.p_ids), seed)[0].size)
    reduced = net.without(hidden, parts)
    model = suggest.learn(reduced, seed + 1)
    wanted = np.zeros((parts.size, net.n_sectors), dtype=bool)
    wanted[np.arange(parts.size), net.sector[hidden]] = True
    rows = features.candidate_rows(reduced, parts, wanted)
    positive = rows.cand == hidden[rows.query]
    methods = {METHOD: model, **{k: suggest.baseline(k) for k in suggest.BASELINES}}
    records = []
    for name, m in methods.items():
        score = m.score(rows)
        then = m.tiebreak(rows)
        hits, rr = suggest.expected_hits(rows.query, score, positive, parts.size, then=then)
        records.append({
            "method": name,
            **{f"hit_{k}": float(v.mean()) if parts.size else 0.0 for k, v in hits.items()},
            "mrr_10": float(rr.mean()) if parts.size else 0.0,
            "distinct_top10": _distinct_top(rows, score, then),
            "cases": int(parts.size),
        })
    schema = {"method": pl.String, "hit_1": pl.Float64, "hit_5": pl.Float64, "hit_10": pl.Float64,
              "mrr_10": pl.Float64, "distinct_top10": pl.Int64, "cases": pl.Int64}
    return Backtest(pl.DataFrame(records, schema=schema), int(parts.size), eligible, model)


def _distinct_top(rows: features.Rows, score: np.ndarray, then: np.ndarray | None) -> int:
    """Distinct actors in the first :data:`~partnernet.metrics.suggest.TOP` of each case (ties by ``then``, then id)."""
    if len(rows) == 0:
        return 0
    order = np.lexsort((rows.cand, -(np.zeros(score.size) if then is None else then), -score, rows.query))
    q = rows.query[order]
    first = np.r_[0, np.flatnonzero(np.diff(q)) + 1]
    place = np.arange(q.size) - np.repeat(first, np.diff(np.r_[first, q.size]))
    return int(np.unique(rows.cand[order][place < suggest.TOP]).size)
