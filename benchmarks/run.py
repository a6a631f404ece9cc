"""Time partnernet stage by stage on generated networks, against the hand-written baseline.

Each stage runs in a fresh Python process; the table reports the stage's own
time (setup excluded), the peak memory of the whole process tree (resident memory of the
command and every process it starts, summed, sampled every 20 ms), and for the
CLI rows the wall time of the whole command including start-up and loading, and its
CPU time (user + system of the whole process tree: the steadier figure on a shared
machine), with the load average when it started.

Usage::

    python benchmarks/run.py --sizes S,M            # writes benchmarks/results/<sizes>.md
    python benchmarks/run.py --sizes L --no-baseline --stages none --commands publish
    python benchmarks/run.py --sizes XL --no-baseline --stages none --commands validate,summary,coverage
    python benchmarks/run.py --sizes L,R --no-baseline --stages none --commands publish

Sizes are generated (seeded) into benchmarks/data/<size>/ (or --data-root) on first use;
for R, the results also show its degree shape beside the real programme's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LOAD = "from partnernet.load import load, locate\nfrom partnernet.graph import build_graph\nds = load(locate(DATA))\n"
GRAPH = LOAD + "g = build_graph(ds)\n"

#: stage name → (setup code, timed code). DATA and OUT are defined by the harness.
STAGES: dict[str, tuple[str, str]] = {
    "load + validate": ("from partnernet.load import load, locate", "ds = load(locate(DATA))"),
    "graph": (LOAD, "g = build_graph(ds)"),
    "summary": (GRAPH + "from partnernet.summary import summary_report", "summary_report(g)"),
    "centrality (two-mode)": (
        GRAPH + "from partnernet.metrics.centrality import centrality_table",
        "centrality_table(g, graph='two-mode')",
    ),
    "centrality (actors)": (
        GRAPH + "from partnernet.metrics.centrality import centrality_table",
        "centrality_table(g, graph='actors')",
    ),
    "coverage": (
        GRAPH + "from partnernet.metrics.coverage import coverage_table, sector_table",
        "coverage_table(g); sector_table(g)",
    ),
    "gaps": (GRAPH + "from partnernet.metrics.gaps import gaps_table", "gaps_table(g, top=5)"),
    "brokers": (GRAPH + "from partnernet.metrics.brokerage import brokerage_table", "brokerage_table(g)"),
    "communities": (GRAPH + "from partnernet.metrics.communities import community_table", "community_table(g)"),
    "map": (
        GRAPH + "from partnernet.views.map import map_view\nfrom partnernet.render.map import render_map",
        "render_map(map_view(g))",
    ),
}

#: CLI commands timed end to end (start-up, loading and writing included).
COMMANDS: dict[str, list[str]] = {
    "partnernet centrality --help": ["centrality", "--help"],  # must stay under 0.3 s: nothing heavy is imported
    "partnernet validate": ["validate"],
    "partnernet summary": ["summary"],
    "partnernet coverage": ["coverage"],
    "partnernet centrality": ["centrality"],
    "partnernet map": ["map", "--out", "{tmp}/network.html"],
    "partnernet publish": ["publish", "--out", "{tmp}/site"],
}

SIZES_EXACT_BASELINE = ("S",)
#: CPU seconds (user + system, the whole process tree) of the last :func:`_run`.
CPU = [0.0]
#: Where the generated networks are kept (``--data-root``).
DATA_ROOT = [HERE / "data"]

HARNESS = """
import json, time
DATA = {data!r}
{setup}
t = time.perf_counter()
{timed}
print("__T__" + json.dumps(time.perf_counter() - t))
"""


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (from /proc; 0 when it has ended)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run(cmd: list[str], cwd: Path | None = None, timeout: float | None = None) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak MB of the whole process tree, stdout).

    The CPU time of the command's process tree (user + system) is added to :data:`CPU`.

    The peak is the largest sum of resident memory over the command and every
    process it starts (publish's page writers included), sampled every 20 ms
    from /proc; NaN where /proc is not available. Raises RuntimeError when the
    command fails.
    """
    import threading

    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/statm").exists():
        sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return float("inf"), float("nan"), ""
    finally:
        done.set()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = after.ru_utime + after.ru_stime - before
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, (peak[0] if sampler.is_alive() or peak[0] else float("nan")), out


def ensure_data(size: str) -> Path:
    target = DATA_ROOT[0] / size
    if not (target / "edges.csv").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--size", size, "--out", str(target)], check=True)
    return target


def bench_size(size: str, baseline: bool, stages: list[str], timeout: float,
               commands: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    data = ensure_data(size)
    rows = []
    for name in stages:
        setup, timed = STAGES[name]
        code = HARNESS.format(data=str(data), setup=setup, timed=timed)
        try:
            _, peak, out = _run([sys.executable, "-c", code], cwd=ROOT, timeout=timeout)
            secs = next((json.loads(line[5:]) for line in out.splitlines() if line.startswith("__T__")), float("inf"))
            rows.append((size, name, f"{secs:.2f}" if secs != float("inf") else f">{timeout:.0f}", f"{peak:.0f}"))
        except RuntimeError as exc:
            rows.append((size, name, "failed", str(exc).splitlines()[0][:40]))
        print(f"  {size} {rows[-1][1]}: {rows[-1][2]} s, {rows[-1][3]} MB", file=sys.stderr)
    walls: dict[str, float] = {}
    cpus: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in COMMANDS.items():
            if commands is not None and name.removeprefix("partnernet ") not in commands:
                continue
            cmd = [sys.executable, "-m", "partnernet", *[a.format(tmp=tmp) for a in args], "--data", str(data), "-q"]
            try:
                load = os.getloadavg()[0]
                wall, peak, _ = _run(cmd, cwd=ROOT, timeout=timeout)
                walls[name] = wall
                cpus[name] = CPU[0]
                shown = f"{wall:.2f} (CPU {CPU[0]:.2f}, load {load:.1f})" if wall != float("inf") else f">{timeout:.0f}"
                rows.append((size, name, shown, f"{peak:.0f}"))
            except RuntimeError as exc:
                rows.append((size, name, "failed", str(exc).splitlines()[0][:40]))
            print(f"  {size} {rows[-1][1]}: {rows[-1][2]} s, {rows[-1][3]} MB", file=sys.stderr)
        if baseline:
            out_html = Path(tmp) / "baseline.html"
            wall, peak, out = _run(
                [sys.executable, str(HERE / "baseline.py"), str(data), str(out_html)], cwd=tmp, timeout=timeout * 4
            )
            base_cpu = CPU[0]
            result = json.loads(out.strip().splitlines()[-1])
            total = sum(result["times"].values())
            est = " (betweenness extrapolated from sampled sources)" if result["betweenness_estimated"] else ""
            for part, secs in result["times"].items():
                rows.append((size, f"baseline: {part}", f"{secs:.2f}", ""))
            rows.append((size, f"baseline total{est}", f"{total:.2f} (whole script: {wall:.2f}, CPU {base_cpu:.2f})",
                         f"{peak:.0f}"))
            for names in (("partnernet centrality",), ("partnernet centrality", "partnernet map")):
                if all(n in walls and walls[n] != float("inf") for n in names):
                    ratio = total / sum(walls[n] for n in names)
                    what = " plus ".join(f"`{n}`" for n in names)
                    rows.append((size, f"speed-up of {what} over baseline (wall, same run)", f"{ratio:.0f}×", ""))
                    ratio = base_cpu / sum(cpus[n] for n in names)
                    rows.append((size, f"speed-up of {what} over the whole script (CPU, same run)", f"{ratio:.0f}×", ""))
            print(f"  {size} baseline total: {total:.1f} s{est}", file=sys.stderr)
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stage names, or none")
    parser.add_argument("--commands", help="comma-separated CLI commands to time (default: all of them)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--data-root", type=Path, default=HERE / "data",
                        help="folder with one generated network per size (generated there when missing)")
    args = parser.parse_args()
    DATA_ROOT[0] = args.data_root
    sizes = args.sizes.split(",")
    stages = [s for s in args.stages.split(",") if s and s != "none"]
    commands = args.commands.split(",") if args.commands else None
    rows = []
    for size in sizes:
        print(f"{size}:", file=sys.stderr)
        rows += bench_size(size, not args.no_baseline, stages, args.timeout, commands)
    lines = [
        f"Machine: {machine()}",
        "",
        "| size | stage | seconds | peak MB |",
        "|---|---|---:|---:|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    if "R" in sizes:
        sys.path.insert(0, str(HERE))
        import polars as pl
        from generate import report

        data = ensure_data("R")
        lines += ["", "R's degree shape beside the real programme's (issue 18):", "",
                  report(pl.read_csv(data / "nodes.csv", infer_schema_length=0),
                         pl.read_csv(data / "edges.csv", infer_schema_length=0))]
    text = "\n".join(lines) + "\n"
    out = args.out or HERE / "results" / f"{'-'.join(sizes)}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
