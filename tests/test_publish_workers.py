"""Worker processes of a publish run: how many, clean-up, and the tasks they run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
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


# --- interrupted runs leave nothing behind (issue 17) ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK_M = Path("/work/main/benchmarks/data/M")


@pytest.fixture(scope="module")
def network_m(tmp_path_factory) -> Path:
    """The benchmark M network (10,000 actors): the stored copy, else generated."""
    if (BENCHMARK_M / "nodes.csv").is_file():
        return BENCHMARK_M
    out = tmp_path_factory.mktemp("M")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", "M", "--out", str(out)],
                   check=True)
    return out


def _processes_with(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (a run and everything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"PARTNERNET_TEST_RUN={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        found.append(int(entry.name))
            except OSError:
                pass
    return found


def _leftovers(out: Path, tmp: Path) -> list[str]:
    return sorted([p.name for p in out.parent.iterdir() if p.name != out.name]
                  + [p.name for p in tmp.iterdir() if re.fullmatch(r"partnernet-.*\.pickle", p.name)])


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_publish_leaves_no_process_and_no_file(network_m, tmp_path, sig):
    tmp, out = tmp_path / "tmp", tmp_path / "sites" / "site"
    tmp.mkdir()
    tag = f"{os.getpid()}-{sig}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "PARTNERNET_TEST_RUN": tag}
    command = [sys.executable, "-m", "partnernet", "publish", "-q", "--date", "2024-01-31", "--out", str(out)]
    run = subprocess.Popen([*command, "--data", str(network_m), "--workers", "2"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (list(tmp.glob("partnernet-*.pickle")) and len(_processes_with(tag)) > 2):
        time.sleep(0.1)  # the run has written its pickle and started its worker
    assert run.poll() is None, run.stderr.read()
    time.sleep(1)
    run.send_signal(sig)
    run.wait(30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _processes_with(tag):
        time.sleep(0.2)
    assert _processes_with(tag) == []
    if sig == signal.SIGTERM:
        assert _leftovers(out, tmp) == [] and not out.exists()  # cleaned up by the run itself
    else:
        assert _leftovers(out, tmp) != []  # killed: the next run cleans up
    nxt = subprocess.run([*command, "--workers", "2", "--data", str(ROOT / "data")], env=env, capture_output=True)
    assert nxt.returncode == 0, nxt.stderr
    assert _leftovers(out, tmp) == [] and (out / "index.html").is_file()
