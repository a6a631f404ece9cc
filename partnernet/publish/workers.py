"""Worker processes for a publish run, and every trick with the garbage collector, fenced in here.

A :class:`Workers` pool starts spawned worker processes (spawn, not fork:
polars and rustworkx keep thread pools, which a forked child would inherit
in an unknown state). The run's graph goes to them once, through a file
rather than the process pipe (if a worker dies while starting, a large
pickle in the pipe would block the parent forever), before the metric
tables are computed, so workers can take part from the start. Tasks and
results are the frozen dataclasses of :mod:`partnernet.publish.tasks`:

:class:`~partnernet.publish.tasks.TablesTask`
    some metric tables, their downloads written at once; returns a
    :class:`~partnernet.publish.tasks.TablesResult`
:class:`~partnernet.publish.tasks.GraphDownloadTask`
    a download made from the graph alone, written into the staging folder
:class:`~partnernet.publish.tasks.SharedWriteTask`
    a write task of :class:`~partnernet.publish.writer.Writer`; the run's
    :class:`~partnernet.publish.tasks.RunState` is read once per worker from
    the file written by :meth:`Workers.share`

Workers die with the run: each asks the kernel for SIGKILL when its parent
dies (Linux ``PR_SET_PDEATHSIG``) and watches its parent's id as well (every
platform); an interrupted run (Ctrl-C, or SIGTERM, which the CLI turns into
the same) terminates them at once instead of waiting for their tasks. The
pickles carry the run's process id in their names (``partnernet-PID-*.pickle``
in the temporary folder); every publish run removes those of runs that are gone
(:func:`remove_stale_pickles`).

The graph, the tables and the site model live until the end of a run, in
every process: :func:`long_lived` and :func:`keep` move them out of the
cyclic garbage collector's way (it would walk their millions of objects
again and again while pages are made). Releasing memory after the tables is
:func:`partnernet.memo.release_memory`.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Final

import networkx as nx

from ..io.atomic import stale
from ..memo import release_memory
from ..metrics.suite import compute_tables
from .tasks import GraphDownloadTask, RunState, SharedWriteTask, TablesResult, TablesTask, WorkerTask, WriteResult
from .writer import Downloads, Writer

#: Below this many pages a site is written in one process (starting workers costs more than it saves).
PARALLEL_MIN_PAGES: Final = 400
#: Most processes a publish run uses when the caller does not say.
MAX_WORKERS: Final = 8
#: Names of the pickles a pool writes into the temporary folder (group ``pid``: the run's process).
PICKLE_NAMES: Final = re.compile(r"partnernet-(?P<pid>\d+)-[^/]*\.pickle")
#: Seconds between a worker's checks that its parent still runs.
_WATCH_SECONDS: Final = 0.5


def cpus() -> int:
    """The CPUs this process may run on (its affinity, where the platform tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, pages: int, tasks: int | None = None) -> int:
    """Processes for a publish run, the calling one included: ``requested``, else one per CPU (up to
    :data:`MAX_WORKERS`) when the site has at least :data:`PARALLEL_MIN_PAGES` pages.
    1 means everything runs in the calling process, N means N - 1 worker processes besides.

    Never more than the CPUs (:func:`cpus`), nor more workers than ``tasks`` they could take: more
    processes would only cost memory (each holds the whole graph)."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # a worker process is starting and re-running a script that is not import-safe: stop here
        raise RuntimeError("publish() was called while a worker process was starting; protect the calling "
                           "script with `if __name__ == \"__main__\":` or use workers=1")
    if multiprocessing.parent_process() is not None:
        return 1  # never start workers from a worker
    cap = cpus() if tasks is None else min(cpus(), tasks + 1)
    if requested is not None:
        return max(1, min(int(requested), cap))
    if pages < PARALLEL_MIN_PAGES:
        return 1
    return max(1, min(cap, MAX_WORKERS))


# --- the garbage collector ---------------------------------------------------------------------------


def keep() -> None:
    """Move every object alive now out of the cyclic collector's reach (they live until the run ends)."""
    gc.freeze()


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """A run whose objects alive now live until it ends: :func:`keep` them now, give them back after."""
    keep()
    try:
        yield
    finally:
        gc.unfreeze()


# --- the pool ----------------------------------------------------------------------------------------


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
                                             initargs=(graph, os.getpid()))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None = None, *exc: object) -> None:
        if self._pool is not None:
            if kind is not None and not issubclass(kind, Exception):
                # interrupted: stop the workers now rather than after their tasks
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    with contextlib.suppress(OSError, ValueError):
                        process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
        for path in self._files:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def submit(self, task: WorkerTask) -> Future:
        assert self._pool is not None, "use Workers as a context manager"
        return self._pool.submit(_run, task)

    def share(self, state: RunState) -> str:
        """Write the state the write tasks of a run need; the name goes into each :class:`SharedWriteTask`."""
        return self._dump(state)

    def _dump(self, value: Any) -> str:
        fd, path = tempfile.mkstemp(prefix=f"partnernet-{os.getpid()}-", suffix=".pickle")
        self._files.append(path)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return path


def remove_stale_pickles() -> None:
    """Remove the pickles of runs that are gone (killed before they could) from the temporary folder."""
    for path, _ in stale(PICKLE_NAMES, Path(tempfile.gettempdir())):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()


# --- in the worker processes -----------------------------------------------------------------------

_STATE: dict[str, Any] = {}

_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this worker when ``parent`` ends: the kernel's parent-death signal (Linux), and a watchdog."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was asked for
    threading.Thread(target=watch, name="partnernet-parent-watch", daemon=True).start()


def _init(graph: str, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    _die_with(parent)
    with open(graph, "rb") as fh:
        _STATE["graph"] = pickle.load(fh)
    keep()


def _writer(run: str) -> Writer:
    """The writer of the run in ``run``, built on first use (the site model is rebuilt from the tables)."""
    if _STATE.get("run") != run:
        from ..views.site.build import build_site

        with open(run, "rb") as fh:
            state: RunState = pickle.load(fh)
        g = _STATE["graph"]
        site = build_site(g, state.tables, state.site_options)
        _STATE["writer"] = Writer(site, g, state.tables, state.maps, state.staging)
        _STATE["run"] = run
        keep()
    return _STATE["writer"]


def _run(task: WorkerTask) -> TablesResult | WriteResult:
    g = _STATE["graph"]
    if isinstance(task, TablesTask):
        tables, modularity = compute_tables(g, task.settings, only=task.names)
        release_memory(g)
        return TablesResult(tables, modularity, Downloads(g, tables, task.staging).write_tables())
    if isinstance(task, GraphDownloadTask):
        result = Downloads(g, {}, task.staging).write(task.name)
        release_memory(g)
        return result
    if isinstance(task, SharedWriteTask):
        return _writer(task.run).run(task.task)
    raise TypeError(task)
