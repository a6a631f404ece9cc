"""Time to first drawing of a published map page in a real headless Chromium.

Builds the map page for a generated network (``benchmarks/generate.py``; the
data is generated on first use), opens it ``--runs`` times from ``file://`` in
Debian's Chromium (driven by the playwright Python package; playwright's own
browser download is never used), each time in a fresh browser context (no
cache), and reports the median *time to drawn*: from navigation start until
vis-network's first ``afterDrawing`` with every node in the DataSet, which
``map.js`` records as the performance mark ``partnernet-drawn``. The target
(the "Scale and speed" issue) is a median under 1 s for 2,000 nodes.

It also prints the phases of the median run (navigation timing and the page's
own marks) and a markdown table row. With ``--cpu`` it opens each page a few
more times with tracing on and adds the renderer main thread's CPU time up to
the mark: on a shared machine the wall time grows with the load of other
processes, the CPU time much less. Several ``--page`` files are opened in turns,
so a busy moment of the machine hits them alike (before/after comparisons).

Run it by hand; it is not part of the test suite::

    python benchmarks/browser_map.py --size M --max-nodes 2000 --runs 9
    python benchmarks/browser_map.py --size M --max-nodes 2000 --cpu --keep /tmp/m2000.html
    python benchmarks/browser_map.py --page before.html --page after.html --runs 11
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("PARTNERNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
DRAWN = "partnernet-drawn"
#: The page's own marks, in the order they happen (see map.js).
MARKS = ("partnernet-start", "partnernet-parsed", "partnernet-network", DRAWN)

_READ = """() => {
    const nav = performance.getEntriesByType('navigation')[0] || {};
    const out = {responseEnd: nav.responseEnd, domInteractive: nav.domInteractive,
                 domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
    for (const name of %s) {
        const e = performance.getEntriesByName(name)[0];
        out[name] = e ? e.startTime : null;
    }
    const m = window.partnernetMap;
    out.nodes = m ? m.nodes.length : null;
    out.drawnNodes = m ? m.drawnNodeCount() : null;
    out.drawnEdges = m ? m.drawnEdgeCount() : null;
    return out;
}""" % json.dumps(list(MARKS))
_HAS_DRAWN = "() => performance.getEntriesByName('%s').length > 0" % DRAWN
_READY = "() => document.getElementById('map').dataset.ready === 'true'"


def build_page(data: Path, max_nodes: int, out: Path, *, view: str = "network") -> tuple[Path, int, int, float]:
    """Write the map page for a data folder; (path, nodes, edges, seconds for view + page)."""
    from partnernet.graph import build_graph
    from partnernet.load import load, locate
    from partnernet.render.map import write_map
    from partnernet.views.map import map_view

    g = build_graph(load(locate(data)))
    t0 = time.perf_counter()
    v = map_view(g, view=view, max_nodes=max_nodes)
    path = write_map(v, out)
    return path, len(v.nodes), len(v.edges), time.perf_counter() - t0


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _open_once(browser, url: str, timeout_ms: int) -> dict:
    context = browser.new_context(offline=True, viewport=VIEWPORT)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(_HAS_DRAWN, timeout=timeout_ms)
        page.wait_for_function(_READY, timeout=timeout_ms)
        r = page.evaluate(_READ)
    finally:
        context.close()
    if errors:
        raise RuntimeError(f"page errors on {url}: {errors}")
    return r


def measure(pages: list[Path], runs: int, *, timeout_ms: int = 60_000) -> list[list[dict]]:
    """Per page, the phases (ms from navigation start) of ``runs`` openings, the pages taking turns."""
    from playwright.sync_api import sync_playwright

    urls = [p.resolve().as_uri() for p in pages]
    results: list[list[dict]] = [[] for _ in pages]
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            for i in range(runs + 1):  # round 0 warms up (the first page of a fresh browser pays for start-up)
                for k, url in enumerate(urls):
                    r = _open_once(browser, url, timeout_ms)
                    if i:
                        results[k].append(r)
        finally:
            browser.close()
    return results


def _main_thread_cpu_ms(trace_file: Path) -> float | None:
    """Thread time of the renderer main thread's tasks that started before the drawn mark."""
    events = json.loads(trace_file.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    marks = [e for e in events if e.get("name") == DRAWN]
    if not marks:
        return None
    pid, ts = marks[0]["pid"], marks[0]["ts"]
    mains = {e["tid"] for e in events if e.get("pid") == pid and e.get("name") == "thread_name"
             and e.get("args", {}).get("name") == "CrRendererMain"}
    tasks = [e for e in events if e.get("pid") == pid and e.get("tid") in mains and e.get("ph") == "X"
             and e.get("name") == "ThreadControllerImpl::RunTask" and e["ts"] < ts]
    return sum(e.get("tdur", 0) for e in tasks) / 1000


def measure_cpu(pages: list[Path], runs: int, *, timeout_ms: int = 60_000) -> list[list[float]]:
    """Per page, the main-thread CPU ms up to the drawn mark, from ``runs`` traced openings each."""
    from playwright.sync_api import sync_playwright

    out: list[list[float]] = [[] for _ in pages]
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = _launch(p)
        try:
            for i in range(runs + 1):
                for k, page_path in enumerate(pages):
                    context = browser.new_context(offline=True, viewport=VIEWPORT)
                    try:
                        page = context.new_page()
                        trace = Path(tmp) / "trace.json"
                        browser.start_tracing(page=page, path=str(trace),
                                              categories=["toplevel", "blink.user_timing"])
                        page.goto(page_path.resolve().as_uri(), wait_until="commit", timeout=timeout_ms)
                        page.wait_for_function(_HAS_DRAWN, timeout=timeout_ms)
                        browser.stop_tracing()
                    finally:
                        context.close()
                    cpu = _main_thread_cpu_ms(trace)
                    if i and cpu is not None:
                        out[k].append(cpu)
        finally:
            browser.close()
    return out


def machine() -> str:
    """The machine line of :mod:`run` (CPU, cores, memory, Python) plus the Chromium version."""
    from run import machine as base  # benchmarks/ is on sys.path when this file runs as a script

    try:
        version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = "Chromium (version unknown)"
    return f"{base()}; {version}"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="M", help="generated size (S, M, L; default M)")
    ap.add_argument("--data", type=Path, help="data folder (default /tmp/bench/<size>; generated if missing)")
    ap.add_argument("--max-nodes", type=int, default=2000)
    ap.add_argument("--view", default="network", choices=("network", "actors", "sectors"))
    ap.add_argument("--runs", type=int, default=9, help="measured openings per page (after one warm-up round)")
    ap.add_argument("--cpu", action="store_true", help="also measure main-thread CPU time (traced openings)")
    ap.add_argument("--page", type=Path, action="append",
                    help="time this existing page instead of building one (repeat to compare pages)")
    ap.add_argument("--keep", type=Path, help="write the built page here (default: a temporary file)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.page:
            pages = [(p, p.name, None) for p in args.page]
        else:
            data = args.data or Path("/tmp/bench") / args.size
            if not (data / "nodes.csv").exists():
                subprocess.run([sys.executable, str(HERE / "generate.py"), "--size", args.size, "--out", str(data)],
                               check=True)
            out = args.keep or Path(tmp) / f"map-{args.size}-{args.max_nodes}.html"
            path, n_nodes, n_edges, seconds = build_page(data, args.max_nodes, out, view=args.view)
            pages = [(path, f"{args.size}, {args.view}: {n_nodes:,} nodes, {n_edges:,} links", seconds)]

        load_before = _load()
        results = measure([p for p, _, _ in pages], args.runs)
        cpu = measure_cpu([p for p, _, _ in pages], max(3, args.runs // 2)) if args.cpu else None
        load_after = _load()

        print(f"Machine: {machine()}")
        print(f"Load average (1 min) before/after: {load_before} / {load_after}")
        rows = []
        for k, ((path, label, seconds), res) in enumerate(zip(pages, results)):
            size_mb = path.stat().st_size / 1e6
            drawn = [r[DRAWN] for r in res]
            median = statistics.median(drawn)
            mid = min(res, key=lambda r: abs(r[DRAWN] - median))
            print()
            built = "" if seconds is None else f", view + page built in {seconds:.1f} s"
            print(f"Page: {label} ({path.name}, {size_mb:.1f} MB{built})")
            print(f"time to drawn (ms), {len(drawn)} runs: " + ", ".join(f"{d:.0f}" for d in drawn))
            print("phases of the median run (ms from navigation start):")
            for key in ("responseEnd", *MARKS, "domInteractive", "domContentLoaded", "load"):
                if mid.get(key) is not None:
                    print(f"  {key:<20} {mid[key]:8.0f}")
            print(f"  nodes in the DataSet {mid['nodes']}, drawn {mid['drawnNodes']}; links drawn {mid['drawnEdges']}")
            cpu_cell = ""
            if cpu is not None and cpu[k]:
                cpu_cell = f"{statistics.median(cpu[k]):.0f}"
                print(f"main-thread CPU to drawn (ms), {len(cpu[k])} traced runs: "
                      + ", ".join(f"{c:.0f}" for c in cpu[k]))
            rows.append(f"| {label} | {size_mb:.1f} | {len(drawn)} | {median:.0f} | {min(drawn):.0f} | "
                        f"{max(drawn):.0f} | {cpu_cell} | {load_before}/{load_after} |")
        print()
        print("| page | MB | runs | median ms to drawn | min | max | main-thread CPU ms | load |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
