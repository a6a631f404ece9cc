"""The publish run: data → graph → metrics → page models → HTML → one folder swapped in.

:func:`publish` runs the stages in order and returns a :class:`PublishResult`
with what was written and how long each stage took. The library never prints:
a caller that wants progress passes ``progress(stage, done, total)``, which is
called at the start and end of every stage and as pages are written.

Stages (:data:`STAGES`):

``load``       read and validate the input (skipped when a dataset is given), build the graph, ``--as-of``
``metrics``    every metric table, once: centrality, partnership centrality, coverage, sector summary,
               sector mixing, gaps, brokerage, communities
``write``      into a staging folder beside the target: the shared assets; the downloads (input files as
               received, each table as Excel CSV and JSON, the graph as JSON, GEXF and GraphML); every
               page (model, map, HTML), each written as soon as it is made
``swap``       the staging folder (built beside the target) replaces the target in one rename

With more than one process (``workers``, :mod:`partnernet.parallel`) the
stages overlap: a worker computes brokerage and communities while this
process computes the other tables, each process writes its tables'
downloads as soon as they exist, the worker then writes the graph downloads,
and both take pages from one queue. The bytes are those of a one-process run.

Publishing is atomic (:func:`partnernet.io.atomic.staged_folder`): a failed or
interrupted run leaves the previous site as it was and no half-written
files. A folder that exists, is not empty and was not written by partnernet
(no :data:`MARKER` file) is never replaced. Rebuilding from the same data and
options gives the same bytes: rows are sorted, floats rounded, layouts seeded,
and the only date is the build date (``date``, else ``SOURCE_DATE_EPOCH``,
else today, in UTC).

Export (:func:`export`) writes the same downloads on their own: ``gexf`` and
``graphml`` one file, ``csv`` and ``json`` a folder (see :func:`export`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import networkx as nx
import polars as pl

from . import __version__
from . import schema as S
from .dataset import Dataset
from .defaults import (DEFAULT_EXPORT, DEFAULT_LANG, DEFAULT_SITE, EXPORT_FORMATS, GAPS_TOP, MAX_ACTOR_PAGES, MAX_NODES,
                       SEED)
from .errors import OptionError, OutputError, PartnernetError
from .io.atomic import os_reason, staged_folder, write_bytes
from .graph import load_graph, sectors_of
from .load import DataSource
from .parallel import Workers, release_memory, worker_count
from .sitewrite import (GRAPH_DOWNLOADS, TABLE_TASK, WriteResult, Writer, download_task, download_tasks, table_files,
                        write_file)

Progress = Callable[[str, int, int], None]

STAGES: Final = ("load", "metrics", "write", "swap")

#: File in the root of every folder partnernet publishes; only such folders are replaced.
MARKER: Final = ".partnernet"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- options and results ------------------------------------------------------------------


@dataclass(frozen=True)
class PublishOptions:
    """Everything ``partnernet publish`` can set (all optional)."""

    out: str | os.PathLike = DEFAULT_SITE
    lang: str = DEFAULT_LANG
    title: str | None = None
    org: str | None = None
    date: str | None = None
    max_actor_pages: int = MAX_ACTOR_PAGES
    max_nodes: int = MAX_NODES
    exact: bool = False
    samples: int | None = None
    as_of: int | None = None
    seed: int = SEED
    #: Processes writing pages, this one included: 1 (default for library calls), N, or None for one
    #: per CPU (up to 8) on large sites. More than one needs the caller's script to be import-safe
    #: (``if __name__ == "__main__":``), as always with multiprocessing; the CLI is.
    workers: int | None = 1


@dataclass(frozen=True)
class PublishResult:
    """What a publish run wrote, and the seconds each stage took."""

    out: Path
    index: Path
    pages: int
    files: int
    bytes: int
    actors: int
    partnerships: int
    actor_pages: int
    date: str
    betweenness_samples: int | None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return round(sum(self.timings.values()), 3)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file or folder and the names inside it."""

    out: Path
    format: str
    files: tuple[str, ...]
    bytes: int


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


# --- small parts ------------------------------------------------------------------------------


def build_date(date: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The build date as ``YYYY-MM-DD``: ``date``, else ``SOURCE_DATE_EPOCH`` (UTC), else today (UTC).

    >>> build_date("2024-05-01"), build_date(None, {"SOURCE_DATE_EPOCH": "0"})
    ('2024-05-01', '1970-01-01')
    """
    if date is not None:
        if not _DATE.fullmatch(date):
            raise OptionError(f"--date: {date!r} is not a date in the form YYYY-MM-DD")
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            raise OptionError(f"--date: {date!r} is not a valid date") from None
        return date
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise OptionError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a number of seconds since 1970") from None
    return _dt.datetime.now(tz=_dt.timezone.utc).date().isoformat()


def check_target(target: Path) -> None:
    """Refuse to replace a folder partnernet did not write (it would be deleted by the swap)."""
    if target.exists() and target.is_dir():
        try:
            entries = list(target.iterdir())
        except OSError as exc:
            raise OutputError(target, os_reason(exc)) from None
        if entries and not (target / MARKER).is_file():
            raise OutputError(target, f"exists and was not written by partnernet (no {MARKER} file); "
                                      "choose another --out or empty the folder first")


def compute_tables(g: nx.Graph, *, exact: bool = False, samples: int | None = None, seed: int = SEED,
                   only: Collection[str] | None = None, report: Callable[[int, int], None] | None = None
                   ) -> tuple[dict[str, pl.DataFrame], float | None]:
    """Every metric table of a publish run (or those named in ``only``), each computed once, plus the
    modularity of the communities (None when the communities are not among them).

    Keys are :data:`partnernet.views.site.build.TABLES`, in that order.
    """
    from .metrics import brokerage, centrality, communities, coverage, gaps

    steps: list[tuple[str, Callable[[], pl.DataFrame]]] = [
        ("centrality", lambda: centrality.centrality_table(g, graph="two-mode", exact=exact, samples=samples,
                                                           seed=seed)),
        ("partnership_centrality", lambda: centrality.partnership_table(g, exact=exact, samples=samples, seed=seed)),
        ("coverage", lambda: coverage.coverage_table(g)),
        ("sector_summary", lambda: coverage.sector_table(g)),
        ("sector_mixing", lambda: coverage.mixing_table(g)),
        ("gaps", lambda: gaps.gaps_table(g, top=GAPS_TOP)),
        ("brokerage", lambda: brokerage.brokerage_table(g)),
        ("communities", lambda: communities.community_table(g, seed=seed)),
    ]
    if only is not None:
        unknown = set(only) - {name for name, _ in steps}
        if unknown:
            raise ValueError(f"unknown tables: {sorted(unknown)}")
        steps = [(name, compute) for name, compute in steps if name in only]
    tables: dict[str, pl.DataFrame] = {}
    for i, (name, compute) in enumerate(steps):
        tables[name] = compute()
        if report:
            report(i + 1, len(steps) + 1)
    value = None
    if "communities" in tables:
        modularity = communities.modularity(g, seed=seed)
        value = float(modularity) if modularity is not None else None
    if report:
        report(len(steps) + 1, len(steps) + 1)
    return tables, (value if value is not None and math.isfinite(value) else None)


#: Tables a worker process computes while the publishing process computes the others (parallel runs).
WORKER_TABLES: Final = ("brokerage", "communities")


def input_files(source: DataSource) -> dict[str, bytes]:
    """The input files as received, byte for byte, under their standard names."""
    from . import schema as S

    out = {}
    for name, path in ((S.NODES_FILE, source.nodes), (S.EDGES_FILE, source.edges), (S.SECTORS_FILE, source.sectors)):
        if path is None:
            continue
        try:
            out[name] = Path(path).read_bytes()
        except OSError as exc:
            raise PartnernetError(f"cannot read {path}: {os_reason(exc)}") from None
    return out


#: Pages made by worker processes when publishing in parallel (the many small ones).
_PARALLEL_KINDS: Final = frozenset({"partnership", "actor", "sector"})
#: Pages per task handed to a worker.
_CHUNK: Final = 40


def estimated_pages(g: nx.Graph, max_actor_pages: int) -> int:
    """About how many pages the site will have (before its model is built): one per partnership,
    per actor with a page, per sector, and the overview pages."""
    kinds = Counter(k for _, k in g.nodes(data=S.KIND))
    return kinds[S.PARTNERSHIP] + min(kinds[S.ACTOR], max_actor_pages) + len(sectors_of(g).ids) + 7


def describe_downloads(sizes: Mapping[str, Mapping[str, int]], lang: str) -> list:
    """The downloads page's list: name, group, description, format and size of every file, in a fixed order."""
    from .text import page_text
    from .views.site.build import TABLES
    from .views.site.model import Download

    order = {name: i for i, name in enumerate(("nodes", "edges", "sectors", *TABLES))}
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
            fmt = page_text(lang, f"format.{ext}") if group != "input" else "CSV"
            out.append(Download(name, group, desc, fmt, sizes[group][name]))
    return out


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
    target = Path(options.out)
    check_target(target)

    clock.start("load")
    g = load_graph(source, dataset=dataset, as_of=options.as_of)
    inputs = input_files(source)
    clock.stop()
    note = None
    if source.bundled and options.lang in ("da", "en"):
        from .text import page_text

        note = page_text(options.lang, "index.bundled")
    return publish_graph(g, options, inputs=inputs, date=date, clock=clock, source_note=note)


def publish_graph(g: nx.Graph, options: PublishOptions = PublishOptions(), *, inputs: Mapping[str, bytes],
                  date: str | None = None, progress: Progress | None = None, clock: _Clock | None = None,
                  source_note: str | None = None) -> PublishResult:
    """Publish a site for an already built graph; ``inputs`` are the files offered as received."""
    from .metrics.centrality import betweenness_samples
    from .text import check_lang
    from .render.site import ASSETS_DIR, site_asset_files
    from .views.site.build import TABLES, build_site
    from .views.site.model import SiteOptions

    clock = clock or _Clock(progress)
    date = date or build_date(options.date)
    check_lang(options.lang)
    if options.max_nodes < 1:
        raise OptionError("--max-nodes: must be at least 1")
    if options.max_actor_pages < 0:
        raise OptionError("--max-actor-pages: must be 0 or more")
    target = Path(options.out)
    check_target(target)

    k = betweenness_samples(g, graph="two-mode", exact=options.exact, samples=options.samples)
    workers = worker_count(options.workers, estimated_pages(g, options.max_actor_pages))
    table_options = {"exact": options.exact, "samples": options.samples, "seed": options.seed}
    sizes: dict[str, dict[str, int]] = {"input": {}, "tables": {}, "graph": {}}
    groups = download_tasks(TABLES)
    files = 0
    size = 0
    done = 0
    total = 0

    def collect(result: WriteResult) -> None:
        nonlocal files, size, done
        pages, nbytes, task, written = result
        size += nbytes
        files += pages + len(written)
        done += pages + (1 if task else 0)
        if task:
            sizes[groups[task]].update(written)
        clock.report(done, total)

    pool_context = Workers(workers - 1, g) if workers > 1 else contextlib.nullcontext()
    gc.freeze()  # the graph's objects live until the end (see the write stage below)
    try:
        with staged_folder(target) as stage, pool_context as pool:
            # metrics: with workers, one computes the brokerage and communities meanwhile, then the
            # downloads that need only the graph; each process writes the downloads of its own tables
            # as soon as they are computed (this one while the worker finishes)
            clock.start("metrics", 9)
            early: list[tuple[tuple, Future]] = []
            written_early: list[WriteResult] = []
            if pool is not None:
                side = pool.submit(("tables", WORKER_TABLES, table_options, str(stage), date))
                early = [(("download", name), pool.submit(("graph-download", name, str(stage), date)))
                         for name in GRAPH_DOWNLOADS]
            here = [name for name in TABLES if pool is None or name not in WORKER_TABLES]
            tables, modularity = compute_tables(g, only=here, report=clock.report, **table_options)
            if pool is not None:
                table_writer = Writer(None, g, tables, {}, stage, date)
                written_early = [table_writer.download(TABLE_TASK + name) for name in here]
                more, modularity, written = side.result()
                written_early += written
                tables = {name: (tables.get(name) if name in tables else more[name]) for name in TABLES}
            clock.stop(9)

            site_options = SiteOptions(
                lang=options.lang, title=options.title, org=options.org, date=date, version=__version__,
                max_actor_pages=options.max_actor_pages, sources=tuple(inputs), source_note=source_note,
                betweenness_samples=k, modularity=modularity,
            )
            site = build_site(g, tables, site_options)
            total_pages = site.page_count()
            map_args = {"lang": options.lang, "max_nodes": options.max_nodes, "seed": options.seed}
            keys = site.page_keys()
            # the downloads page goes last: it shows the sizes of the files the other tasks write
            last = ("downloads", "")
            own = [k for k in keys if k[0] not in _PARALLEL_KINDS and k != last]
            rest = [k for k in keys if k[0] in _PARALLEL_KINDS]
            started = {task[1] for task, _ in early} | {result[2] for result in written_early}
            tasks: list[tuple[str, Any]] = [("download", name) for name in groups if name not in started]
            tasks += [("pages", rest[i:i + _CHUNK]) for i in range(0, len(rest), _CHUNK)]
            total = total_pages + len(groups)
            for result in written_early:
                collect(result)

            clock.start("write", total)
            files += 1
            size += write_file(stage, MARKER, f"partnernet {__version__} site\n".encode())
            for name, data in site_asset_files(site).items():
                files += 1
                size += write_file(stage, f"{ASSETS_DIR}/{name}", data)
            for name, data in inputs.items():
                files += 1
                size += write_file(stage, f"downloads/{name}", data)
                sizes["input"][name] = len(data)
            writer = Writer(site, g, tables, map_args, stage, date)
            # the graph, tables and site model live until the end: keep the cyclic garbage collector
            # from walking their millions of objects again and again while pages are made (~8 % of a page)
            gc.freeze()

            if pool is None:
                for key in own:
                    collect(writer.pages([key]))
                release_memory(g)  # the whole-network maps were the last to need the matrices
                for task in tasks:
                    collect(writer.run(task))
            else:
                # workers take the downloads and the many small pages; this process writes the overview
                # and whole-network pages (their maps are the largest) meanwhile, then takes tasks no
                # worker has started yet, from the end of the queue: the work ends up shared whatever
                # each part costs
                run = pool.share_run((tables, site_options, map_args, str(stage), date))
                queued = [(task, pool.submit(("write", run, task))) for task in tasks]
                futures = [f for _, f in early] + [f for _, f in queued]
                try:
                    for key in own:
                        collect(writer.pages([key]))
                    release_memory(g)
                    for task, future in reversed(queued):
                        if future.cancel():
                            collect(writer.run(task))
                    for future in as_completed([f for f in futures if not f.cancelled()]):
                        collect(future.result())
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
            site.downloads = tuple(describe_downloads(sizes, options.lang))
            collect(writer.pages([last]))
            clock.stop(total)
            clock.start("swap")
    except BrokenProcessPool:
        raise PartnernetError("a worker process stopped unexpectedly; publish again with --workers 1 "
                              "(a script calling publish() with workers needs "
                              "`if __name__ == \"__main__\":`)") from None
    finally:
        gc.unfreeze()
    clock.stop()
    return PublishResult(
        out=target, index=target / "index.html", pages=total_pages, files=files, bytes=size,
        actors=len(site.actor_ids), partnerships=len(site.partnership_ids), actor_pages=len(site.page_actors),
        date=date, betweenness_samples=k, timings=dict(clock.timings),
    )


# --- export -------------------------------------------------------------------------------------


def export(source: DataSource, fmt: str, out: str | os.PathLike | None = None, *, dataset: Dataset | None = None,
           as_of: int | None = None, exact: bool = False, samples: int | None = None, seed: int = SEED,
           date: str | None = None) -> ExportResult:
    """Write the downloads of a site on their own.

    ``gexf`` / ``graphml``: the graph as one file (default
    ``output/partnernet.gexf`` / ``.graphml``), identical to the site's
    ``downloads/graph.*``. ``csv``: a folder (default ``output/export-csv``)
    with the input files as received and every metric table in the Excel CSV
    dialect. ``json``: a folder (default ``output/export-json``) with
    ``nodes.json``, ``edges.json`` and every metric table as JSON. Folders are
    written atomically and carry the :data:`MARKER` file.
    """
    if fmt not in EXPORT_FORMATS:
        raise OptionError(f"--format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    target = Path(out) if out is not None else Path(DEFAULT_EXPORT[fmt])
    g = load_graph(source, dataset=dataset, as_of=as_of)
    if fmt in ("gexf", "graphml"):
        task = f"graph.{fmt}"
        data = download_task(task, g, {}, date=build_date(date) if fmt == "gexf" else None)[task]
        write_bytes(target, data)
        return ExportResult(target, fmt, (target.name,), len(data))
    check_target(target)
    tables, _ = compute_tables(g, exact=exact, samples=samples, seed=seed)
    if fmt == "csv":
        files = {**input_files(source), **table_files(tables, fmt="csv")}
    else:
        files = {**download_task("graph-json", g, tables, date=None), **table_files(tables, fmt="json")}
    size = 0
    with staged_folder(target) as stage:
        write_file(stage, MARKER, f"partnernet {__version__} export-{fmt}\n".encode())
        for name, data in files.items():
            size += write_file(stage, name, data)
    return ExportResult(target, fmt, tuple(files), size)
