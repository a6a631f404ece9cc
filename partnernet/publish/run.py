"""The publish run: prepare → compute → write → swap, in one process or with workers.

:func:`publish` runs the stages in order and returns a
:class:`~partnernet.publish.options.PublishResult` with what was written and
how long each stage took. The library never prints: a caller that wants
progress passes ``progress(stage, done, total)``, which is called at the start
and end of every stage and as pages are written.

Stages (:data:`STAGES`):

``load``       read and validate the input (skipped when a dataset is given), build the graph, ``--as-of``
``metrics``    every metric table of :mod:`partnernet.metrics.suite`, once
``write``      into a staging folder beside the target: the shared assets; the downloads (input files as
               received, each table as Excel CSV and JSON, the graph as JSON, GEXF and GraphML); every
               page (model, map, HTML), each written as soon as it is made
``swap``       the staging folder (built beside the target) replaces the target in one rename

Two schedules do the metrics and write stages. :class:`_OneProcess` does
everything here. :class:`_WithWorkers` (:mod:`partnernet.publish.workers`)
overlaps the stages: a worker computes the tables the suite marks for it
while this process computes the others, each process writes its tables'
downloads as soon as they exist, the worker then writes the graph
downloads, and all take pages from one queue. The bytes are those of a
one-process run.

Publishing is atomic (:func:`partnernet.io.atomic.staged_folder`): a failed or
interrupted run leaves the previous site as it was and no half-written
files. A folder that exists, is not empty and was not written by partnernet
(no :data:`~partnernet.publish.options.MARKER` file) is never replaced.
Rebuilding from the same data and options gives the same bytes: rows are
sorted, floats rounded, layouts seeded, and the only date is the build date.

Export (:func:`export`) writes the same downloads on their own.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Final

import networkx as nx
import polars as pl

from .. import __version__
from .. import schema
from ..dataset import Dataset, Received
from ..errors import OptionError, PartnernetError
from ..defaults import DEFAULT_EXPORT, EXPORT_FORMATS, SEED
from ..graph import load_graph, sectors_of
from ..io.atomic import staged_folder, write_bytes
from ..export.tables import input_frames, input_tables, received_csv
from ..load import DataSource, load, locate, locate_snapshot
from ..memo import release_memory
from ..metrics.diff import SITE_TABLES, diff
from ..metrics.suite import TABLES, WORKER_TABLES, Settings, compute_tables
from .options import MARKER, ExportResult, PublishOptions, PublishResult, build_date, check_target
from .tasks import (DownloadTask, GraphDownloadTask, MapSettings, PagesTask, RunState, SharedWriteTask, Staging,
                    TablesResult, TablesTask, WriteResult, WriteTask)
from .workers import Workers, keep, long_lived, remove_stale_pickles, worker_count
from .writer import (GRAPH_DOWNLOADS, SUGGESTIONS_TASK, Downloads, Writer, download_files, download_tasks, table_files,
                     write_file)

if TYPE_CHECKING:
    from ..views.site.model import SiteOptions

Progress = Callable[[str, int, int], None]

STAGES: Final = ("load", "metrics", "write", "swap")

#: Pages made by worker processes when publishing in parallel (the many small ones).
_PARALLEL_KINDS: Final = frozenset({"partnership", "actor", "sector"})
#: Pages per task handed to a worker.
_CHUNK: Final = 40
#: The downloads page goes last: it shows the sizes of the files the other tasks write.
_LAST: Final = ("downloads", "")


class _Clock:
    """Stage timings and progress reports."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._stage: str | None = None
        self._start = 0.0

    def start(self, stage: str, total: int = 1) -> None:
        self._stage, self._start = stage, time.perf_counter()
        self.report(0, total)

    def report(self, done: int, total: int) -> None:
        if self.progress is not None and self._stage is not None:
            self.progress(self._stage, done, total)

    def stop(self, total: int = 1) -> None:
        assert self._stage is not None
        self.timings[self._stage] = round(self.timings.get(self._stage, 0.0) + time.perf_counter() - self._start, 3)
        self.report(total, total)
        self._stage = None


@dataclass
class _Tally:
    """What the write stage has written so far: files, bytes, finished tasks, and each download's size."""

    clock: _Clock
    groups: Mapping[str, str]
    total: int = 0
    files: int = 0
    bytes: int = 0
    done: int = 0
    sizes: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"input": {}, "tables": {}, "graph": {}, "suggestions": {}})

    def add(self, result: WriteResult) -> None:
        """Count a write task's result and report progress."""
        self.bytes += result.bytes
        self.files += result.pages + len(result.files)
        self.done += result.pages + (1 if result.download else 0)
        if result.download:
            self.sizes[self.groups[result.download]].update(result.files)
        self.clock.report(self.done, self.total)

    def file(self, folder: Path, relpath: str, data: bytes) -> int:
        """Write one file that is not a task's (marker, asset, input) and count it."""
        size = write_file(folder, relpath, data)
        self.files += 1
        self.bytes += size
        return size


# --- small parts ------------------------------------------------------------------------------


def _marker(kind: str) -> tuple[str, bytes]:
    """The :data:`~partnernet.publish.options.MARKER` file of a folder partnernet writes, and its bytes."""
    return MARKER, f"partnernet {__version__} {kind}\n".encode()


def estimated_pages(g: nx.Graph, max_actor_pages: int, *, changes: bool = False) -> int:
    """The pages the site will have, known before its model is built (to choose the worker count).

    Counted by the site's own registry of page kinds (:data:`partnernet.views.site.build.PAGE_KINDS`),
    given stand-ins of the right length for the sectors, partnerships and actors with a page.
    """
    from ..views.site.build import PAGE_KINDS

    kinds = Counter(k for _, k in g.nodes(data=schema.KIND))
    counts = SimpleNamespace(sector_ids=sectors_of(g).ids, partnership_ids=range(kinds[schema.PARTNERSHIP]),
                             page_actors=range(min(kinds[schema.ACTOR], max_actor_pages)),
                             tables=dict.fromkeys(SITE_TABLES if changes else ()))
    return sum(len(kind.keys(counts)) for kind in PAGE_KINDS.values())


def describe_downloads(sizes: Mapping[str, Mapping[str, int]], lang: str) -> list:
    """The downloads page's list: name, group, description, format and size of every file, in a fixed order."""
    from ..text import page_text
    from ..views.site.model import Download

    order = {name: i for i, name in enumerate(("nodes", "edges", "sectors", "partnernet", *TABLES, *SITE_TABLES))}
    out = []
    for group in ("input", "tables", "graph"):
        names = sorted(sizes.get(group, {}), key=lambda n: (order.get(n.rsplit(".", 1)[0], len(order)), n))
        for name in names:
            stem, ext = name.rsplit(".", 1)
            if group == "input":
                desc = page_text(lang, f"file.{stem}")
            elif group == "graph":
                desc = page_text(lang, f"file.{ext}")
            elif stem in ("nodes", "edges"):
                desc = page_text(lang, f"file.{stem}_json")
            else:
                desc = page_text(lang, f"table.{stem}")
            fmt = page_text(lang, f"format.{ext}")
            out.append(Download(name, group, desc, fmt, sizes[group][name]))
    return out


# --- the two schedules ------------------------------------------------------------------------


@dataclass
class _Computed:
    """The metrics stage's outcome: every table, the modularity, and the downloads already written."""

    tables: dict[str, pl.DataFrame]
    modularity: float | None
    written: list[WriteResult]
    #: Download tasks written or under way (the write stage does not queue them again).
    started: set[str]


class _OneProcess:
    """Everything in this process: the tables, then the overview pages, then the other tasks in order."""

    def __init__(self, g: nx.Graph, staging: Staging):
        self.g = g
        self.staging = staging

    def compute(self, settings: Settings, report: Callable[[int, int], None]) -> _Computed:
        tables, modularity = compute_tables(self.g, settings, report=report)
        return _Computed(tables, modularity, [], set())

    def write(self, writer: Writer, own: Sequence[tuple[str, str]], tasks: Sequence[WriteTask], state: RunState,
              tally: _Tally) -> None:
        for key in own:
            tally.add(writer.pages([key]))
        release_memory(self.g)  # the whole-network maps were the last to need the matrices
        for task in tasks:
            tally.add(writer.run(task))


class _WithWorkers:
    """Workers compute some tables and take the downloads and the many small pages; this process computes
    the other tables and writes the overview and whole-network pages (their maps are the largest), then
    takes tasks no worker has started yet, from the end of the queue: the work ends up shared whatever
    each part costs."""

    def __init__(self, g: nx.Graph, staging: Staging, pool: Workers):
        self.g = g
        self.staging = staging
        self.pool = pool
        self._early: list[Future] = []

    def compute(self, settings: Settings, report: Callable[[int, int], None]) -> _Computed:
        side = self.pool.submit(TablesTask(WORKER_TABLES, settings, self.staging))
        self._early = [self.pool.submit(GraphDownloadTask(name, self.staging)) for name in GRAPH_DOWNLOADS]
        here = [name for name in TABLES if name not in WORKER_TABLES]
        tables, _ = compute_tables(self.g, settings, only=here, report=report)
        written = list(Downloads(self.g, tables, self.staging).write_tables())
        more: TablesResult = side.result()
        written += more.written
        every = {name: (tables[name] if name in tables else more.tables[name]) for name in TABLES}
        return _Computed(every, more.modularity, written, {*GRAPH_DOWNLOADS, *(r.download for r in written)})

    def write(self, writer: Writer, own: Sequence[tuple[str, str]], tasks: Sequence[WriteTask], state: RunState,
              tally: _Tally) -> None:
        run = self.pool.share(state)
        queued = [(task, self.pool.submit(SharedWriteTask(run, task))) for task in tasks]
        futures = self._early + [f for _, f in queued]
        self._early = []  # collected below, once (a second language writes with the same pool)
        try:
            for key in own:
                tally.add(writer.pages([key]))
            release_memory(self.g)
            for task, future in reversed(queued):
                if future.cancel():
                    tally.add(writer.run(task))
            for future in as_completed([f for f in futures if not f.cancelled()]):
                tally.add(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


# --- publish ----------------------------------------------------------------------------------


def publish(source: DataSource, options: PublishOptions = PublishOptions(), *, dataset: Dataset | None = None,
            progress: Progress | None = None) -> PublishResult:
    """Publish the static site for ``source`` into ``options.out`` (see the module docs).

    ``dataset`` skips reading and validating when the caller has done so
    already (the CLI does, to print warnings). Raises
    :class:`~partnernet.errors.DataError`, :class:`~partnernet.errors.OptionError`
    or :class:`~partnernet.errors.OutputError`; on any error the previous site
    is left as it was.
    """
    clock = _Clock(progress)
    date = build_date(options.date)
    check_target(Path(options.out))

    clock.start("load")
    dataset = dataset if dataset is not None else load(source)
    g = load_graph(source, dataset=dataset, as_of=options.as_of)
    inputs = input_tables(dataset)
    previous = previous_name = None
    if options.previous is not None:
        old_source = options.previous if isinstance(options.previous, DataSource) else locate_snapshot(options.previous)
        previous = load_graph(old_source, as_of=options.previous_as_of)
        previous_name = old_source.describe() + ("" if options.previous_as_of is None else f", {options.previous_as_of}")
    clock.stop()
    return publish_graph(g, options, inputs=inputs, received=dataset.received, date=date, clock=clock,
                         bundled=source.bundled, previous=previous, previous_name=previous_name,
                         frames=input_frames(dataset))


def publish_graph(g: nx.Graph, options: PublishOptions = PublishOptions(), *, inputs: Mapping[str, bytes],
                  received: tuple[Received, ...] = (), date: str | None = None, progress: Progress | None = None,
                  clock: _Clock | None = None, source_note: str | None = None, bundled: bool = False,
                  previous: nx.Graph | None = None, previous_name: str | None = None,
                  frames: Mapping[str, pl.DataFrame] | None = None) -> PublishResult:
    """Publish a site for an already built graph.

    ``inputs`` are the input tables offered for download (see
    :func:`~partnernet.export.tables.input_tables`), ``received`` the files
    they were read from, named with size and SHA-256 on the downloads page.
    ``bundled``: the data is the bundled dataset, and the index says so (in each language;
    ``source_note`` says something else instead).
    ``previous``, the graph of the previous edition (named ``previous_name`` on the pages), adds the What
    changed page, the changes sections and the comparison's tables as downloads
    (:func:`partnernet.metrics.diff.diff`, computed in this process after the other tables).
    With ``frames`` (the same tables, :func:`~partnernet.export.tables.input_frames`)
    the downloads offer :data:`WORKBOOK_FILE` too (:func:`site_workbook`).

    With two languages (``lang="da,en"``) the first is written into the folder, the second
    into its sub-folder (``en/``) with the same pages, sharing ``assets/``; its downloads are
    hard links to the first one's (copies where the file system has none), but for the suggestion
    lists, which are in each language.
    """
    from ..metrics.centrality import betweenness_samples
    from ..render.site import ASSETS_DIR, site_asset_files
    from ..text import page_text
    from ..views.columns import data_columns
    from ..views.site.build import build_site
    from ..views.site.model import SiteOptions

    # prepare
    clock = clock or _Clock(progress)
    date = date or build_date(options.date)
    options.check()
    data_columns(g, options.hide_columns)  # an unknown --hide-column is a usage error before any work
    langs = options.langs

    def note_in(lang: str) -> str | None:
        return page_text(lang, "index.bundled") if bundled and source_note is None else source_note

    target = Path(options.out)
    check_target(target)
    remove_stale_pickles()
    k = betweenness_samples(g, graph="two-mode", exact=options.exact, samples=options.samples)
    pages = estimated_pages(g, options.max_actor_pages, changes=previous is not None) * len(langs)
    tasks = -(-pages // _CHUNK) + len(GRAPH_DOWNLOADS) + 1  # page chunks, graph downloads, the worker's tables
    workers = worker_count(options.workers, pages, tasks)
    settings = Settings(exact=options.exact, samples=options.samples, seed=options.seed)
    maps = MapSettings(lang=langs[0], max_nodes=options.max_nodes, seed=options.seed,
                       hide_columns=options.hide_columns, date=date)
    groups = download_tasks(TABLES + (SITE_TABLES if previous is not None else ()))
    tally = _Tally(clock, groups)

    pool_context = Workers(workers - 1, g) if workers > 1 else contextlib.nullcontext()
    try:
        with long_lived(), staged_folder(target, marker=_marker("site")) as stage, pool_context as pool:
            staging = Staging(str(stage), date)
            schedule = _OneProcess(g, staging) if pool is None else _WithWorkers(g, staging, pool)

            # compute
            clock.start("metrics", 9)
            computed = schedule.compute(settings, clock.report)
            changes = None
            if previous is not None:
                changes = diff(previous, g, new_tables=computed.tables, exact=options.exact,
                               samples=options.samples, seed=options.seed)
                computed.tables.update(changes.site_tables())
            clock.stop(9)
            site_options = SiteOptions(
                lang=langs[0], title=options.title, org=options.org, date=date, version=__version__,
                max_actor_pages=options.max_actor_pages, sources=tuple(inputs),
                source_note=note_in(langs[0]),
                received=received, betweenness_samples=k, modularity=computed.modularity,
                hide_columns=options.hide_columns, langs=langs if len(langs) > 1 else (),
                **({} if changes is None else {"previous": previous_name or "", "changes_counts": tuple(changes.counts.items()),
                                               "changes_top": changes.suggestions_top,
                                               "changes_measure": changes.measure}),
            )
            site = build_site(g, computed.tables, site_options)
            keys = site.page_keys()
            own = [key for key in keys if key[0] not in _PARALLEL_KINDS and key != _LAST]
            rest = [key for key in keys if key[0] in _PARALLEL_KINDS]
            tasks: list[WriteTask] = [DownloadTask(name) for name in groups if name not in computed.started]
            tasks += [PagesTask(tuple(rest[i:i + _CHUNK])) for i in range(0, len(rest), _CHUNK)]
            tally.total = (site.page_count() + len(groups)) * len(langs)
            for result in computed.written:
                tally.add(result)

            # write
            clock.start("write", tally.total)
            tally.file(stage, *_marker("site"))
            for name, data in site_asset_files(site).items():
                tally.file(stage, f"{ASSETS_DIR}/{name}", data)
            for name, data in inputs.items():
                tally.sizes["input"][name] = tally.file(stage, f"downloads/{name}", data)
            if frames is not None:
                from ..export.workbook import SITE_CELLS

                book = site_workbook(frames, computed.tables, max_cells=SITE_CELLS)
                tally.sizes["input"][WORKBOOK_FILE] = tally.file(stage, f"downloads/{WORKBOOK_FILE}", book)
            writer = Writer(site, g, computed.tables, maps, staging)
            keep()  # the tables, the site model and the writer live until the end too
            schedule.write(writer, own, tasks, RunState(computed.tables, site_options, maps, staging), tally)
            site.downloads = tuple(describe_downloads(tally.sizes, langs[0]))
            tally.add(writer.pages([_LAST]))
            for lang in langs[1:]:
                _translation(lang, g, stage, schedule, computed.tables, site_options, maps, date, tally,
                             source_note=note_in(lang), n_downloads=len(groups))
            clock.stop(tally.total)

            # swap (on leaving the staged folder)
            clock.start("swap")
    except BrokenProcessPool:
        raise PartnernetError("a worker process stopped unexpectedly; publish again with --workers 1 "
                              "(a script calling publish() with workers needs "
                              "`if __name__ == \"__main__\":`)") from None
    clock.stop()
    return PublishResult(
        out=target, index=target / "index.html", pages=site.page_count() * len(langs), files=tally.files,
        bytes=tally.bytes,
        actors=len(site.actor_ids), partnerships=len(site.partnership_ids), actor_pages=len(site.page_actors),
        date=date, betweenness_samples=k, workers=workers, timings=dict(clock.timings),
    )


def _translation(lang: str, g: nx.Graph, stage: Path, schedule: _OneProcess | _WithWorkers,
                 tables: Mapping[str, pl.DataFrame], site_options: SiteOptions, maps: MapSettings, date: str,
                 tally: _Tally, *, source_note: str | None, n_downloads: int) -> None:
    """The site in one more language, in the sub-folder ``lang/`` of the staging folder: every page, the
    suggestion lists in that language, and the other downloads (``n_downloads`` download tasks in all) linked to the
    first language's."""
    from dataclasses import replace

    from ..views.site.build import build_site

    options = replace(site_options, lang=lang, source_note=source_note)
    folder = stage / lang
    staging = Staging(str(folder), date)
    downloads = stage / "downloads"
    for path in sorted(downloads.rglob("*")):
        rel = path.relative_to(downloads)
        if path.is_file() and rel.parts[0] != "suggestions":
            _link(path, folder / "downloads" / rel)
            tally.files += 1
            tally.bytes += path.stat().st_size
    site = build_site(g, tables, options)
    maps = replace(maps, lang=lang)
    writer = Writer(site, g, tables, maps, staging)
    keys = site.page_keys()
    own = [key for key in keys if key[0] not in _PARALLEL_KINDS and key != _LAST]
    rest = [key for key in keys if key[0] in _PARALLEL_KINDS]
    tasks: list[WriteTask] = [DownloadTask(SUGGESTIONS_TASK)]
    tasks += [PagesTask(tuple(rest[i:i + _CHUNK])) for i in range(0, len(rest), _CHUNK)]
    tally.done += n_downloads - 1  # the shared downloads, linked above
    schedule.write(writer, own, tasks, RunState(dict(tables), options, maps, staging), tally)
    site.downloads = tuple(describe_downloads(tally.sizes, lang))
    tally.add(writer.pages([_LAST]))


def _link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (the same bytes, no second copy), else a copy."""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# --- export -------------------------------------------------------------------------------------


#: The workbook download of a site (every table as a sheet, up to :data:`SITE_CELLS` cells).
WORKBOOK_FILE = "partnernet.xlsx"


def site_workbook(inputs: Mapping[str, pl.DataFrame], tables: Mapping[str, pl.DataFrame], *,
                  max_cells: int | None = None) -> bytes:
    """The input tables and every metric table as sheets of one workbook, with a ``columns`` sheet.

    Tables beyond ``max_cells`` cells in all (or Excel's row limit) are left
    out and named in a ``left_out`` sheet (the CSV downloads hold them).
    """
    from ..export.workbook import COLUMN_TEXT, column_descriptions, fitting, workbook_bytes

    kept, left_out = fitting({**inputs, **tables}, max_cells)
    if left_out is not None:
        kept["left_out"] = left_out
    return workbook_bytes(kept, columns=column_descriptions(kept, COLUMN_TEXT))


def export(source: DataSource, fmt: str, out: str | os.PathLike | None = None, *, dataset: Dataset | None = None,
           as_of: int | None = None, exact: bool = False, samples: int | None = None, seed: int = SEED,
           date: str | None = None) -> ExportResult:
    """Write the downloads of a site on their own.

    ``gexf`` / ``graphml``: the graph as one file (default
    ``output/partnernet.gexf`` / ``.graphml``), identical to the site's
    ``downloads/graph.*``. ``csv``: a folder (default ``output/export-csv``)
    with the validated input tables (:func:`~partnernet.export.tables.input_tables`),
    ``received.csv`` naming the files they were read from (size, SHA-256)
    and every metric table, all in the Excel CSV dialect. ``xlsx``: one workbook
    (default ``output/partnernet.xlsx``, :func:`site_workbook`) with every
    table as a sheet and a sheet describing the columns. ``json``: a folder
    (default ``output/export-json``) with
    ``nodes.json``, ``edges.json`` and every metric table as JSON. Folders are
    written atomically and carry the :data:`~partnernet.publish.options.MARKER` file.
    """
    if fmt not in EXPORT_FORMATS:
        raise OptionError(f"--format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    when = build_date(date)  # checked whatever the format; only GEXF carries it
    target = Path(out) if out is not None else Path(DEFAULT_EXPORT[fmt])
    dataset = dataset if dataset is not None else load(source)
    g = load_graph(source, dataset=dataset, as_of=as_of)
    if fmt in ("gexf", "graphml"):
        task = f"graph.{fmt}"
        data = download_files(task, g, {}, date=when if fmt == "gexf" else None)[task]
        write_bytes(target, data)
        return ExportResult(target, fmt, (target.name,), len(data))
    if fmt != "xlsx":
        check_target(target)
    tables, _ = compute_tables(g, Settings(exact=exact, samples=samples, seed=seed))
    if fmt == "xlsx":
        data = site_workbook(input_frames(dataset), tables)
        write_bytes(target, data)
        return ExportResult(target, fmt, (target.name,), len(data))
    files: dict[str, bytes]
    if fmt == "csv":
        files = {**input_tables(dataset), "received.csv": received_csv(dataset.received),
                 **table_files(tables, fmt="csv")}
    else:
        files = {**download_files("graph-json", g, tables, date=None), **table_files(tables, fmt="json")}
    size = 0
    with staged_folder(target, marker=_marker(f"export-{fmt}")) as stage:
        write_file(stage, *_marker(f"export-{fmt}"))
        for name, data in files.items():
            size += write_file(stage, name, data)
    return ExportResult(target, fmt, tuple(files), size)
