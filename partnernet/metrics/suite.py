"""The metric suite of a publish run: which tables it computes, in which order, and where.

:data:`SUITE` is the one registry of the run's tables: name → how to compute
it from the graph and the :class:`Settings`, and whether a worker process
computes it while the publishing process computes the others (the expensive
tables that the rest does not wait for). The order is the download order.
Adding a table to the site is one entry here (plus its texts).

:func:`compute_tables` computes the tables (all, or some) and the modularity
of the communities.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Final

import networkx as nx
import polars as pl

from ..defaults import GAPS_TOP, SEED
from . import backtest, brokerage, centrality, communities, coverage, gaps

#: The back-test's protocol on the site (Method page): its own seed and case count, not the run's ``--seed``,
#: so the figure matches ``partnernet backtest`` with its defaults.
BACKTEST_CASES: Final = 300
BACKTEST_SEED: Final = 7


@dataclass(frozen=True)
class Settings:
    """How the tables are computed: betweenness exact or from ``samples`` sources, and the seed."""

    exact: bool = False
    samples: int | None = None
    seed: int = SEED


@dataclass(frozen=True)
class Table:
    """One metric table of the suite."""

    name: str
    compute: Callable[[nx.Graph, Settings], pl.DataFrame]
    #: Computed by a worker process when the run has workers.
    in_worker: bool = False


SUITE: Final = (
    Table("centrality", lambda g, s: centrality.centrality_table(g, graph="two-mode", exact=s.exact,
                                                                 samples=s.samples, seed=s.seed)),
    Table("partnership_centrality",
          lambda g, s: centrality.partnership_table(g, exact=s.exact, samples=s.samples, seed=s.seed)),
    Table("coverage", lambda g, s: coverage.coverage_table(g)),
    Table("sector_summary", lambda g, s: coverage.sector_table(g)),
    Table("sector_mixing", lambda g, s: coverage.mixing_table(g)),
    Table("gaps", lambda g, s: gaps.gaps_table(g, top=GAPS_TOP)),
    Table("brokerage", lambda g, s: brokerage.brokerage_table(g), in_worker=True),
    Table("communities", lambda g, s: communities.community_table(g, seed=s.seed), in_worker=True),
    Table("backtest", lambda g, s: backtest.backtest(g, cases=BACKTEST_CASES, seed=BACKTEST_SEED).table,
          in_worker=True),
)

#: Names of the tables, in download order.
TABLES: Final = tuple(table.name for table in SUITE)
#: Tables a worker process computes while the publishing process computes the others.
WORKER_TABLES: Final = tuple(table.name for table in SUITE if table.in_worker)


def compute_tables(g: nx.Graph, settings: Settings = Settings(), *, only: Collection[str] | None = None,
                   report: Callable[[int, int], None] | None = None) -> tuple[dict[str, pl.DataFrame], float | None]:
    """Every table of :data:`SUITE` (or those named in ``only``), each computed once, in suite order,
    plus the modularity of the communities (None when they are not among them or it is not finite).

    ``report(done, total)`` is called after each table and after the modularity.
    """
    steps = list(SUITE)
    if only is not None:
        unknown = set(only) - set(TABLES)
        if unknown:
            raise ValueError(f"unknown tables: {sorted(unknown)}")
        steps = [table for table in steps if table.name in only]
    tables: dict[str, pl.DataFrame] = {}
    for i, table in enumerate(steps):
        tables[table.name] = table.compute(g, settings)
        if report:
            report(i + 1, len(steps) + 1)
    value = None
    if "communities" in tables:
        modularity = communities.modularity(g, seed=settings.seed)
        value = float(modularity) if modularity is not None else None
    if report:
        report(len(steps) + 1, len(steps) + 1)
    return tables, (value if value is not None and math.isfinite(value) else None)
