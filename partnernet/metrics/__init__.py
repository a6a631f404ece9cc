"""Network metrics: pure functions from the two-mode graph to polars tables.

Every function has the shape ``name_table(graph, *, options) -> pl.DataFrame``:
it takes the frozen two-mode graph (time-slice it first with
:func:`partnernet.graph.as_of`), never changes it, and returns one row per
node (actor, partnership or sector; per partnership × sector for gaps) with
``id`` first and rows in a deterministic order (sorted by id, sectors in
vocabulary order). Expensive intermediate results (actor adjacency, shortest
paths, Louvain partition) are remembered per frozen graph, so several tables
of one graph share them.

=================================  ==========================================
:func:`centrality_table`           degree, betweenness, closeness, eigenvector,
                                   PageRank per actor
:func:`partnership_table`          centrality of the partnerships
:func:`coverage_table`             sectors present/missing per partnership
:func:`sector_table`               per sector: size, reach, E-I index
:func:`mixing_table`               sector × sector co-membership counts
:func:`gaps_table`                 candidates for missing sectors, with reasons
:func:`brokerage_table`            Gould–Fernandez roles, Burt's constraint
:func:`community_table`            Louvain community per actor
:func:`community_sector_table`     community × sector counts
:func:`ranked`                     any table sorted by a measure, with ranks
=================================  ==========================================
"""

from .ranking import ranked
from .brokerage import brokerage_table
from .centrality import betweenness_samples, centrality_table, partnership_table
from .communities import community_sector_table, community_table, modularity
from .coverage import coverage_table, mixing_table, sector_table
from .gaps import gaps_table

__all__ = [
    "betweenness_samples",
    "brokerage_table",
    "centrality_table",
    "community_sector_table",
    "community_table",
    "coverage_table",
    "gaps_table",
    "mixing_table",
    "modularity",
    "partnership_table",
    "ranked",
    "sector_table",
]
