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

The functions are imported from their modules on first use (:pep:`562`), so a
command that needs centrality does not import the suggestions' optimiser.
"""

from importlib import import_module
from typing import Any

#: Each public function → the module that defines it.
_WHERE = {
    "ranked": "ranking",
    "brokerage_table": "brokerage",
    "betweenness_samples": "centrality",
    "centrality_table": "centrality",
    "partnership_table": "centrality",
    "community_sector_table": "communities",
    "community_table": "communities",
    "modularity": "communities",
    "coverage_table": "coverage",
    "mixing_table": "coverage",
    "sector_table": "coverage",
    "gaps_table": "gaps",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


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
