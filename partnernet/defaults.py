"""Every user-facing default and choice, written once.

A leaf module of plain constants: the command line reads it for ``--help``
without importing networkx, polars or numpy, and the library modules take
the same names from here, so a default cannot drift between the two.
Paths are POSIX strings (as ``--help`` shows them); callers wrap them in
:class:`pathlib.Path`.
"""

from __future__ import annotations

from typing import Final

# --- languages -----------------------------------------------------------------------------

#: The languages of maps, pages and gap reasons.
LANGS: Final = ("da", "en")
DEFAULT_LANG: Final = "da"

# --- text from the data ----------------------------------------------------------------

#: Longest label (in characters) shown wherever a node is named: tables, lists, map panels, tooltips,
#: page titles. Longer labels are cut with "…"; the full text is on the node's own page and in the
#: downloads, so one huge label costs its size once, not once per page that names it.
LABEL_TEXT_MAX: Final = 300

# --- randomness ----------------------------------------------------------------------------

#: Seed of every random choice (layouts, sampled betweenness, Louvain), so reruns give the same bytes.
SEED: Final = 42

#: Largest seed an option takes (numpy's seeds are 32-bit).
MAX_SEED: Final = 2**32 - 1

# --- bounds of integer options -------------------------------------------------------------

#: Largest count any option takes (rows, nodes, pages, samples, steps): beyond any real network and
#: inside the integer range of every library the count reaches (polars, numpy).
MAX_COUNT: Final = 1_000_000_000
#: The years ``--as-of`` takes: a year outside them (``--as-of 12``) is a typo, not a slice of the data.
YEARS: Final = (1800, 2200)

# --- metrics -------------------------------------------------------------------------------

#: The graphs centrality is computed on: actors and partnerships, or the actor network.
GRAPH_MODES: Final = ("two-mode", "actors")
#: Coverage counts sectors, or quadruple-helix groups.
LEVELS: Final = ("sector", "group")
#: Measures an actor table can be ranked by.
ACTOR_SORT: Final = ("betweenness", "degree", "closeness", "eigenvector", "pagerank", "partnerships", "partners")
#: Measures a partnership table can be ranked by.
PARTNERSHIP_SORT: Final = ("betweenness", "degree", "closeness", "members", "sectors")
#: Above this many nodes betweenness and closeness are estimated from sampled sources unless exact.
EXACT_MAX_NODES: Final = 5_000
#: Sources sampled for estimated betweenness and closeness.
DEFAULT_SAMPLES: Final = 1_000
#: Candidates per missing sector in ``partnernet gaps`` (0 = all).
GAPS_CANDIDATES: Final = 3
#: Partnerships with fewer members (named or declared unnamed) get no gap list: no one to invite with.
GAPS_MIN_MEMBERS: Final = 2
#: Partnerships tested by ``partnernet backtest`` (at most; the eligible ones, seeded).
BACKTEST_CASES: Final = 300
#: Seed of the back-test's choice of cases.
BACKTEST_SEED: Final = 7
#: Candidates kept per missing sector in the published gaps table (partnership pages show the first three).
GAPS_TOP: Final = 5

# --- comparing two snapshots (partnernet diff, publish --previous) ------------------------

#: How nodes of two snapshots are matched: by id, or by normalised label.
MATCH_BY: Final = ("id", "label")
#: The tables of a comparison, in the order commands and downloads list them.
DIFF_TABLES: Final = ("partnerships", "members", "actors", "coverage", "suggestions", "centrality")
#: Measures the centrality movers can use.
DIFF_MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")
#: The movers' measure: exact at any size (sampled betweenness would move ranks by sampling alone).
DIFF_MEASURE: Final = "pagerank"
#: Largest rises and as many largest falls in centrality rank.
DIFF_MOVERS: Final = 10

# --- maps ----------------------------------------------------------------------------------

MAP_OUT: Final = "output/network.html"
#: Map views: actors and partnerships, the actor network, one node per sector.
VIEWS: Final = ("network", "actors", "sectors")
#: What colours a map's nodes.
COLOR_BY: Final = ("sector", "community", "group")
#: What sizes a map's nodes.
SIZE_BY: Final = ("betweenness", "degree", "closeness", "eigenvector", "pagerank", "partnerships", "partners", "members")
#: Default cap: above this many nodes the map keeps the top nodes by the size measure.
#: vis-network stays responsive up to a few thousand nodes, and the layout time and file size
#: grow with the nodes drawn.
MAX_NODES: Final = 2000

# --- the published site --------------------------------------------------------------------

DEFAULT_SITE: Final = "output/site"
#: Default number of actors that get a page of their own (all of them below this).
MAX_ACTOR_PAGES: Final = 1000
#: Rows in the "top actors" and "top brokers" tables of the index page.
TOP_N: Final = 10

# --- export --------------------------------------------------------------------------------

EXPORT_FORMATS: Final = ("gexf", "graphml", "json", "csv", "xlsx")
#: Where ``partnernet export`` writes each format by default.
DEFAULT_EXPORT: Final = {
    "gexf": "output/partnernet.gexf",
    "graphml": "output/partnernet.graphml",
    "json": "output/export-json",
    "csv": "output/export-csv",
    "xlsx": "output/partnernet.xlsx",
}
