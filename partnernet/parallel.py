"""Worker processes for a publish run: the graph is sent once, then tasks run wherever a core is free.

A :class:`Workers` pool starts spawned worker processes (spawn, not fork:
polars and rustworkx keep thread pools, which a forked child would inherit
in an unknown state). The run's graph goes to them once, through a file
rather than the process pipe (if a worker dies while starting, a large
pickle in the pipe would block the parent forever), before the metric
tables are computed, so workers can take part from the start. Tasks are
plain tuples:

``("tables", names, options, stage, date)``
    some metric tables (:func:`partnernet.pipeline.compute_tables` with
    ``only=names``), their downloads written into ``stage`` at once; returns
    the tables, the modularity and the write results
``("graph-download", name, stage, date)``
    a download made from the graph alone
    (:data:`partnernet.sitewrite.GRAPH_DOWNLOADS`), written into ``stage``
``("write", run, task)``
    a write task of :class:`partnernet.sitewrite.Writer`; ``run`` is the file
    written by :meth:`Workers.share_run` with the run's tables and site
    options, read once per worker

Every task returns what the same work returns in the publishing process,
so the parent collects results the same way whichever process did the work.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Final

import networkx as nx

#: Below this many pages a site is written in one process (starting workers costs more than it saves).
PARALLEL_MIN_PAGES: Final = 400
#: Most processes a publish run uses when the caller does not say.
MAX_WORKERS: Final = 8


def worker_count(requested: int | None, pages: int) -> int:
    """Processes for a publish run, the calling one included: ``requested``, else one per CPU (up to
    :data:`MAX_WORKERS`) when the site has at least :data:`PARALLEL_MIN_PAGES` pages.
    1 means everything runs in the calling process, N means N - 1 worker processes besides."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # a worker process is starting and re-running a script that is not import-safe: stop here
        raise RuntimeError("publish() was called while a worker process was starting; protect the calling "
                           "script with `if __name__ == \"__main__\":` or use workers=1")
    if multiprocessing.parent_process() is not None:
        return 1  # never start workers from a worker
    if requested is not None:
        return max(1, int(requested))
    if pages < PARALLEL_MIN_PAGES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


class Workers:
    """A pool of ``processes`` spawned workers that hold ``g``; use as a context manager."""

    def __init__(self, processes: int, g: nx.Graph):
        self.processes = processes
        self.g = g
        self._files: list[str] = []
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        try:
            graph = self._dump(self.g)
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init,
                                             initargs=(graph,))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for path in self._files:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def submit(self, task: tuple) -> Future:
        assert self._pool is not None, "use Workers as a context manager"
        return self._pool.submit(_run, task)

    def share_run(self, state: tuple) -> str:
        """Write the run state the write tasks need (tables, site options, map arguments, stage, date)."""
        return self._dump(state)

    def _dump(self, value: Any) -> str:
        fd, path = tempfile.mkstemp(prefix="partnernet-", suffix=".pickle")
        self._files.append(path)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return path


def release_memory(g: nx.Graph) -> None:
    """Forget the intermediate results remembered for ``g`` and hand freed memory back to the system.

    After the metric tables, a large run holds gigabytes of matrices it no
    longer needs; CPython and glibc keep freed blocks for reuse, so without
    ``malloc_trim`` the process stays as large as its peak while the page
    writers grow beside it.
    """
    import ctypes
    import gc

    from .metrics._engine import forget

    forget(g)
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


# --- in the worker processes -----------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init(graph: str) -> None:
    import gc

    with open(graph, "rb") as fh:
        _STATE["graph"] = pickle.load(fh)
    gc.freeze()  # see publish_graph: long-lived objects, kept out of the collector's way


def _writer(run: str):
    """The writer of the run in ``run``, built on first use (the site model is rebuilt from the tables)."""
    if _STATE.get("run") != run:
        import gc

        from .sitewrite import Writer
        from .views.site.build import build_site

        with open(run, "rb") as fh:
            tables, site_options, map_args, stage, date = pickle.load(fh)
        g = _STATE["graph"]
        _STATE["writer"] = Writer(build_site(g, tables, site_options), g, tables, map_args, Path(stage), date)
        _STATE["run"] = run
        gc.freeze()
    return _STATE["writer"]


def _run(task: tuple) -> Any:
    kind = task[0]
    g = _STATE["graph"]
    if kind == "tables":
        from .pipeline import compute_tables

        from .sitewrite import TABLE_TASK, Writer

        _, names, options, stage, date = task
        tables, modularity = compute_tables(g, only=names, **options)
        release_memory(g)
        writer = Writer(None, g, tables, {}, Path(stage), date)
        return tables, modularity, [writer.download(TABLE_TASK + name) for name in names]
    if kind == "graph-download":
        from .sitewrite import Writer

        _, name, stage, date = task
        result = Writer(None, g, {}, {}, Path(stage), date).download(name)
        release_memory(g)
        return result
    if kind == "write":
        _, run, write_task = task
        return _writer(run).run(write_task)
    raise ValueError(kind)
