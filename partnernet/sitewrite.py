"""The write stage of a publish run: downloads and pages, made from the run's graph and tables.

:class:`Writer` turns one write task — a list of page keys, or one download
task (:func:`download_tasks`) — into files in the staging folder. It runs in
the publishing process or in worker processes (:mod:`partnernet.parallel`),
which is why a task is plain data and a writer can be rebuilt from the graph,
the tables and the site options alone. :class:`SiteMaps` makes the map views
of the pages, reusing the tables computed once for the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import networkx as nx
import polars as pl

from . import schema as S

#: Download tasks that need only the graph (they can start before the metric tables are ready).
GRAPH_DOWNLOADS: Final = ("graph-json", "graph-xml")
#: Prefix of the download task of one metric table (``table:gaps`` writes gaps.csv and gaps.json).
TABLE_TASK: Final = "table:"


def download_tasks(table_names: Sequence[str]) -> dict[str, str]:
    """The generated downloads of a site with these tables, one task each: task name → group on the
    downloads page. Each table is its own task, so it can be written as soon as it is computed."""
    return {**{TABLE_TASK + name: "tables" for name in table_names}, "graph-json": "tables", "graph-xml": "graph"}

#: Other partnerships of the members shown on a site partnership map (those sharing the most members).
PARTNERSHIP_MAP_OTHERS: Final = 10


def write_file(folder: Path, relpath: str, data: bytes) -> int:
    """Write ``data`` to ``folder/relpath`` (a fresh staging folder: no atomic swap per file needed)."""
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def table_files(tables: Mapping[str, pl.DataFrame], *, fmt: str) -> dict[str, bytes]:
    """Each metric table as ``<name>.csv`` (Excel dialect) or ``<name>.json``."""
    from .export.tables import csv_bytes, json_bytes

    if fmt == "csv":
        return {f"{name}.csv": csv_bytes(frame, excel=True) for name, frame in tables.items()}
    return {f"{name}.json": json_bytes(frame) for name, frame in tables.items()}


def download_task(name: str, g: nx.Graph, tables: Mapping[str, pl.DataFrame], *, date: str | None) -> dict[str, bytes]:
    """The files of one download task (see :func:`download_tasks`), by file name."""
    from .export.graphxml import gexf_bytes, graph_json_files, graph_xml_files, graphml_bytes

    if name.startswith(TABLE_TASK):
        table = name[len(TABLE_TASK):]
        return {**table_files({table: tables[table]}, fmt="csv"), **table_files({table: tables[table]}, fmt="json")}
    if name == "graph-json":
        return graph_json_files(g)
    if name == "graph-xml":  # GEXF and GraphML in one task: the graph's values are cleaned once
        return graph_xml_files(g, date=date)
    if name == "graph.gexf":
        return {name: gexf_bytes(g, date=date)}
    if name == "graph.graphml":
        return {name: graphml_bytes(g)}
    raise ValueError(name)


WriteResult = tuple[int, int, str | None, dict[str, int]]
"""What a write task did: pages written, bytes written, the download task's name (or None), its files' sizes."""


class Writer:
    """Runs write tasks (a list of pages, or one download) into the staging folder.

    ``site`` may be None for a writer that only makes the graph downloads.
    """

    def __init__(self, site: Any, g: nx.Graph, tables: Mapping[str, pl.DataFrame], map_args: dict, stage: Path,
                 date: str | None):
        self.site = site
        self.g = g
        self.tables = tables
        self.maps = SiteMaps(g, tables, **map_args) if site is not None else None
        self.stage = stage
        self.date = date

    def pages(self, keys: list[tuple[str, str]]) -> WriteResult:
        from .render.site import render_page

        size = 0
        for key in keys:
            page = self.site.page(*key)
            view = self.maps.view(page.map) if page.map is not None else None
            size += write_file(self.stage, page.path, render_page(self.site, page, view).encode("utf-8"))
        return len(keys), size, None, {}

    def download(self, name: str) -> WriteResult:
        written = {}
        for filename, data in download_task(name, self.g, self.tables, date=self.date).items():
            written[filename] = write_file(self.stage, f"downloads/{filename}", data)
        return 0, sum(written.values()), name, written

    def run(self, task: tuple[str, Any]) -> WriteResult:
        kind, arg = task
        return self.pages(arg) if kind == "pages" else self.download(arg)


class SiteMaps:
    """Builds the map views of a publish run, reusing the metric tables computed once.

    :func:`partnernet.views.map.map_view` computes its metric tables itself on
    every call, which is right for one ``partnernet map`` but would repeat the
    same work for each of thousands of partnership pages. Here every view is
    made by a :class:`partnernet.views.map.MapBuilder` given the run's tables
    (all centrality on the site is the two-mode centrality of the tables and
    downloads, the actor-network map included), and a partnership map is built
    on the partnership's neighbourhood: the partnership, its members, its
    missing sectors and up to :data:`PARTNERSHIP_MAP_OTHERS` other partnerships
    of its members (those sharing the most members). Views used on two pages
    are built once.
    """

    def __init__(self, g: nx.Graph, tables: Mapping[str, pl.DataFrame], *, lang: str, max_nodes: int, seed: int):
        from .views.map import MapBuilder

        self.g = g
        self.lang = lang
        self.max_nodes = max_nodes
        self.seed = seed
        self._cache: dict[tuple, Any] = {}
        self._builder = MapBuilder
        # the site colours by sector, so the communities are not needed
        self._rows = MapBuilder.metric_rows({k: v for k, v in tables.items() if k != "communities"})
        self._kind = dict(g.nodes(data=S.KIND))
        # plain dicts: walking networkx' adjacency views costs more than the rest of a small map
        self._adj = {u: dict(nbrs) for u, nbrs in g.adjacency()}

    def view(self, spec: Any):
        key = (spec.view, spec.partnership)
        if key in self._cache:
            return self._cache[key]
        view = self._make(spec)
        if spec.partnership is None:
            self._cache[key] = view
        return view

    def _make(self, spec: Any):
        g = self.g if spec.partnership is None else self.neighbourhood(spec.partnership)
        if spec.view == "sectors":  # counts only, no measures: computed from the graph
            return self._builder(g, lang=self.lang, seed=self.seed).sectors_view(max_nodes=self.max_nodes)
        builder = self._builder(g, lang=self.lang, color_by="sector", size_by="betweenness", seed=self.seed,
                                rows=self._rows)
        return builder.node_view(spec.view, partnership=spec.partnership, max_nodes=self.max_nodes)

    def neighbourhood(self, pid: str) -> nx.Graph:
        """The partnership, its members and the other partnerships sharing the most members.

        A small concrete copy rather than a subgraph view: the view builder walks
        it many times, and networkx' filtered views are slow to iterate. Nodes are
        added in sorted order and edges as ``g.edges(sorted nodes)`` yields them,
        so the copy (and the layout computed from it) depends only on the data.
        """
        adj = self._adj
        kind = self._kind
        mem = sorted(m for m in adj[pid] if kind[m] == S.ACTOR)
        shared: dict[str, int] = {}
        for m in mem:
            for q in adj[m]:
                if q != pid and kind[q] == S.PARTNERSHIP:
                    shared[q] = shared.get(q, 0) + 1
        others = sorted(shared, key=lambda q: (-shared[q], q))[:PARTNERSHIP_MAP_OTHERS]
        keep = {pid, *mem, *others}
        order = sorted(keep)
        nodes = self.g.nodes
        h = nx.Graph(**self.g.graph)
        h.add_nodes_from((n, nodes[n]) for n in order)
        # every edge inside has a member at one end (partnerships only link to actors), so only the
        # members' adjacency is walked, not that of the other, possibly huge, partnerships
        members = set(mem)
        edges = []
        for u in order:
            if u in members:
                edges += [(u, v, d) for v, d in adj[u].items() if v in keep and not (v in members and v < u)]
        h.add_edges_from(sorted(edges, key=lambda e: (min(e[0], e[1]), max(e[0], e[1]))))
        return nx.freeze(h)
