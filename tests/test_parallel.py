"""Worker processes of a publish run: how many, clean-up, releasing memory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from partnernet import parallel
from partnernet.graph import actor_adjacency, derived
from partnernet.parallel import PARALLEL_MIN_PAGES, Workers, release_memory, worker_count


def test_worker_count_follows_the_request_else_the_site_size(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 4)
    assert worker_count(3, 10) == 3
    assert worker_count(0, 10) == 1
    assert worker_count(None, PARALLEL_MIN_PAGES - 1) == 1
    assert worker_count(None, PARALLEL_MIN_PAGES) == 4
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 64)
    assert worker_count(None, 10_000) == parallel.MAX_WORKERS


def test_a_pool_that_cannot_start_leaves_no_files(tiny_graph, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", broken)
    with pytest.raises(OSError):
        with Workers(1, tiny_graph):
            pass
    assert list(Path(tmp_path).iterdir()) == []


def test_release_memory_forgets_what_was_derived(tiny_graph):
    first = actor_adjacency(tiny_graph)
    assert actor_adjacency(tiny_graph) is first  # remembered
    release_memory(tiny_graph)
    again = actor_adjacency(tiny_graph)
    assert again is not first and (again.shared != first.shared).nnz == 0
    assert derived(tiny_graph, "probe", lambda: 1) == 1
