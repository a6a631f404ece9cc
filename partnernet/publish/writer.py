"""The write stage of a publish run: downloads and pages, made from the run's graph and tables.

:class:`Writer` turns one write task (:mod:`partnernet.publish.tasks`) into
files in the staging folder: a list of pages, or one download
(:func:`download_tasks`). It runs in the publishing process or in worker
processes (:mod:`partnernet.publish.workers`), which is why a task is plain
data and a writer can be rebuilt from the graph, the tables and the site
options alone. :class:`SiteMaps` makes the map views of the pages, reusing
the tables computed once for the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import networkx as nx
import polars as pl

from ..graph import concrete_subgraph, neighbourhood
from .tasks import DownloadTask, MapSettings, PagesTask, Staging, WriteResult, WriteTask

#: Download tasks that need only the graph (they can start before the metric tables are ready).
GRAPH_DOWNLOADS: Final = ("graph-json", "graph-xml")
#: Prefix of the download task of one metric table (``table:gaps`` writes gaps.csv and gaps.json).
TABLE_TASK: Final = "table:"
#: The download task of the partnerships' suggestion lists (``downloads/suggestions/<slug>.csv``, one per
#: partnership with suggestions): made from the site model, since its headers and labels are the site's language.
SUGGESTIONS_TASK: Final = "suggestions"


def download_tasks(table_names: Sequence[str]) -> dict[str, str]:
    """The generated downloads of a site with these tables, one task each: task name → group on the
    downloads page. Each table is its own task, so it can be written as soon as it is computed."""
    return {**{TABLE_TASK + name: "tables" for name in table_names}, "graph-json": "tables", "graph-xml": "graph",
            SUGGESTIONS_TASK: "suggestions"}


def write_file(folder: Path, relpath: str, data: bytes) -> int:
    """Write ``data`` to ``folder/relpath`` (a fresh staging folder: no atomic swap per file needed)."""
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def table_files(tables: Mapping[str, pl.DataFrame], *, fmt: str) -> dict[str, bytes]:
    """Each metric table as ``<name>.csv`` (Excel dialect) or ``<name>.json``."""
    from ..export.tables import csv_bytes, json_bytes

    if fmt == "csv":
        return {f"{name}.csv": csv_bytes(frame, excel=True) for name, frame in tables.items()}
    return {f"{name}.json": json_bytes(frame) for name, frame in tables.items()}


def download_files(name: str, g: nx.Graph, tables: Mapping[str, pl.DataFrame], *,
                   date: str | None) -> dict[str, bytes]:
    """The files of one download task (see :func:`download_tasks`), by file name."""
    from ..export.graphxml import gexf_bytes, graph_json_files, graph_xml_files, graphml_bytes

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


class Downloads:
    """Writes download tasks of a graph and its tables (all, or some of them) into the staging folder."""

    def __init__(self, g: nx.Graph, tables: Mapping[str, pl.DataFrame], staging: Staging):
        self.g = g
        self.tables = tables
        self.folder = Path(staging.folder)
        self.date = staging.date

    def write(self, name: str) -> WriteResult:
        written = {}
        for filename, data in download_files(name, self.g, self.tables, date=self.date).items():
            written[filename] = write_file(self.folder, f"downloads/{filename}", data)
        return WriteResult(0, sum(written.values()), name, written)

    def write_tables(self) -> tuple[WriteResult, ...]:
        """The download of each of this writer's tables."""
        return tuple(self.write(TABLE_TASK + name) for name in self.tables)


class Writer:
    """Runs write tasks (some pages, or one download) of a site into the staging folder."""

    def __init__(self, site: Any, g: nx.Graph, tables: Mapping[str, pl.DataFrame], maps: MapSettings,
                 staging: Staging):
        self.site = site
        self.maps = SiteMaps(g, tables, maps)
        self.downloads = Downloads(g, tables, staging)
        self.folder = Path(staging.folder)

    def pages(self, keys: Sequence[tuple[str, str]]) -> WriteResult:
        from ..render.site import render_page

        size = 0
        for key in keys:
            page = self.site.page(*key)
            view = self.maps.view(page.map) if page.map is not None else None
            size += write_file(self.folder, page.path, render_page(self.site, page, view).encode("utf-8"))
        return WriteResult(len(keys), size)

    def suggestions(self) -> WriteResult:
        """Each partnership's suggestions as Excel CSV (:func:`partnernet.views.site.suggestions.suggestion_rows`)."""
        from ..export.tables import csv_rows
        from ..views.site.suggestions import suggestion_rows

        written = {}
        for pid in self.site.suggestion_ids:
            path = self.site.suggestions_href(pid)
            header, rows = suggestion_rows(self.site, pid)
            written[path.removeprefix("downloads/")] = write_file(self.folder, path, csv_rows(header, rows, excel=True))
        return WriteResult(0, sum(written.values()), SUGGESTIONS_TASK, written)

    def run(self, task: WriteTask) -> WriteResult:
        if isinstance(task, PagesTask):
            return self.pages(task.keys)
        assert isinstance(task, DownloadTask)
        if task.name == SUGGESTIONS_TASK:
            return self.suggestions()
        return self.downloads.write(task.name)


class SiteMaps:
    """Builds the map views of a publish run, reusing the metric tables computed once.

    :func:`partnernet.views.map.map_view` computes its metric tables itself on
    every call, which is right for one ``partnernet map`` but would repeat the
    same work for each of thousands of partnership and actor pages. Here every
    view is made by a :class:`partnernet.views.map.MapBuilder` given the run's
    tables (all centrality on the site is the two-mode centrality of the tables
    and downloads, the actor-network map included). A partnership map is built
    on the partnership's :func:`~partnernet.graph.neighbourhood` and an ego map
    on the ego's own small graph, both chosen by the rules of
    :mod:`partnernet.views.select` (the same as ``partnernet map``). Views used
    on two pages are built once.
    """

    def __init__(self, g: nx.Graph, tables: Mapping[str, pl.DataFrame], settings: MapSettings):
        from ..views.columns import data_columns
        from ..views.map import MapBuilder

        self.g = g
        self._columns = data_columns(g, settings.hide_columns)  # of the whole network, for every map
        self.settings = settings
        self._cache: dict[tuple, Any] = {}
        self._builder = MapBuilder
        # the site colours by sector; the communities are offered in the page's colour menu
        self._rows = MapBuilder.metric_rows(tables)
        self._changes = tables.get("changes_members")
        self._actor_key = None

    def view(self, spec: Any):
        key = (spec.view, spec.partnership, spec.actor, spec.changes)
        if key in self._cache:
            return self._cache[key]
        view = self._make(spec)
        if spec.changes:
            from ..views.site.changes import with_changes

            view = with_changes(view, self._changes)
        if spec.partnership is None and spec.actor is None:
            self._cache[key] = view
        return view

    def _make(self, spec: Any):
        from ..views.select import PARTNERSHIP_OTHERS

        s = self.settings
        if spec.view == "sectors":  # counts only, no measures: computed from the graph
            view = self._builder(self.g, lang=s.lang, seed=s.seed, columns=self._columns).sectors_view(
                max_nodes=s.max_nodes)
            return dataclasses.replace(view, date=s.date)
        selection = None
        if spec.partnership is not None:
            g = neighbourhood(self.g, spec.partnership, others=PARTNERSHIP_OTHERS)
        elif spec.actor is not None:
            g, selection = self._ego(spec.actor)
        else:
            g = self.g
        builder = self._builder(g, lang=s.lang, color_by="sector", size_by="betweenness", seed=s.seed,
                                rows=self._rows, columns=self._columns)
        view = builder.node_view(spec.view, partnership=spec.partnership, actor=spec.actor, max_nodes=s.max_nodes,
                                 selection=selection)
        return dataclasses.replace(view, date=s.date)

    def _ego(self, actor: str):
        """The ego map's nodes (chosen on the whole graph) and their small frozen graph."""
        from ..views.select import ego_nodes, near_actors

        if self._actor_key is None:
            self._actor_key = self._builder(self.g, size_by="betweenness", rows=self._rows).actor_key(self._rows[0])
        selection = ego_nodes(self.g, actor, near_actors(self.g, actor), self._actor_key, two_mode=True)
        return nx.freeze(concrete_subgraph(self.g, selection.keep)), selection
