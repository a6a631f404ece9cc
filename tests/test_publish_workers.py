"""Worker processes of a publish run: how many, clean-up, and the tasks they run."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from partnernet.metrics.suite import Settings
from partnernet.publish import workers
from partnernet.publish.tasks import GraphDownloadTask, Staging, TablesResult, TablesTask
from partnernet.publish.workers import PARALLEL_MIN_PAGES, Workers, worker_count


def test_worker_count_follows_the_request_else_the_site_size(monkeypatch):
    monkeypatch.setattr(workers, "cpus", lambda: 4)
    assert worker_count(3, 10) == 3
    assert worker_count(0, 10) == 1
    assert worker_count(None, PARALLEL_MIN_PAGES - 1) == 1
    assert worker_count(None, PARALLEL_MIN_PAGES) == 4
    monkeypatch.setattr(workers, "cpus", lambda: 64)
    assert worker_count(None, 10_000) == workers.MAX_WORKERS


def test_worker_count_is_capped_at_the_cpus_and_the_tasks(monkeypatch):
    monkeypatch.setattr(workers, "cpus", lambda: 4)
    assert worker_count(1000, 10) == 4
    assert worker_count(1000, 10, tasks=2) == 3


def test_a_pool_that_cannot_start_leaves_no_files(tiny_graph, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", broken)
    with pytest.raises(OSError):
        with Workers(1, tiny_graph):
            pass
    assert list(Path(tmp_path).iterdir()) == []


def test_tasks_run_in_a_worker_as_they_would_here(tiny_graph, tmp_path, monkeypatch):
    """The worker's side of the tasks, run in this process: tables with their downloads, a graph download."""
    monkeypatch.setitem(workers._STATE, "graph", tiny_graph)
    staging = Staging(str(tmp_path), "2024-01-31")
    result = workers._run(TablesTask(("brokerage", "communities"), Settings(), staging))
    assert isinstance(result, TablesResult) and list(result.tables) == ["brokerage", "communities"]
    assert [w.download for w in result.written] == ["table:brokerage", "table:communities"]
    assert (tmp_path / "downloads" / "communities.json").is_file()
    graph = workers._run(GraphDownloadTask("graph-json", staging))
    assert set(graph.files) == {"nodes.json", "edges.json"} and graph.pages == 0
