"""Time ``partnernet diff`` on a benchmark network against a copy with a share of its memberships changed.

The copy (seeded) drops ``share / 2`` of the memberships and adds as many new
ones between random actors and partnerships, so ``share`` of the memberships
differ; it is written beside the results as CSV once and reused. The command
runs in a fresh process under ``/usr/bin/time -v`` (wall time, user + system
CPU, peak resident memory) and writes its text table to a scratch file; the
result goes to ``benchmarks/results/diff.md``.

Usage::

    python benchmarks/diff.py                        # benchmarks/data/L, 5 % of the memberships changed
    python benchmarks/diff.py --size M --share 0.05 --runs 3
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # noqa: E402

TARGET_SECONDS = 20
TARGET_GB = 4


def changed_copy(folder: Path, out: Path, share: float, seed: int = 7) -> int:
    """Write ``folder``'s network to ``out`` with ``share`` of its memberships changed; the number changed."""
    if (out / "edges.csv").is_file():
        return int((out / "CHANGED").read_text())
    out.mkdir(parents=True, exist_ok=True)
    nodes = pl.read_csv(folder / "nodes.csv", infer_schema_length=0)
    edges = pl.read_csv(folder / "edges.csv", infer_schema_length=0)
    rng = np.random.default_rng(seed)
    n = int(edges.height * share / 2)
    kept = edges.filter(~pl.Series(np.isin(np.arange(edges.height), rng.choice(edges.height, n, replace=False))))
    actors = nodes.filter(pl.col("kind") == "actor")["id"].to_numpy()
    parts = nodes.filter(pl.col("kind") == "partnership")["id"].to_numpy()
    existing = set(zip(edges["source"].to_list(), edges["target"].to_list()))
    added = []
    while len(added) < n:
        pair = (str(rng.choice(actors)), str(rng.choice(parts)))
        if pair not in existing:
            existing.add(pair)
            added.append(pair)
    extra = pl.DataFrame({"source": [a for a, _ in added], "target": [p for _, p in added]})
    out_edges = pl.concat([kept, extra], how="diagonal")
    nodes.write_csv(out / "nodes.csv")
    out_edges.write_csv(out / "edges.csv")
    (out / "CHANGED").write_text(str(2 * n))
    return 2 * n


def timed(cmd: list[str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak memory (GB) of ``cmd`` under /usr/bin/time -v."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    stats = dict(re.findall(r"^\s*(.+?): (.+)$", done.stderr, re.M))
    wall = stats["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    return {"wall": seconds, "cpu": float(stats["User time (seconds)"]) + float(stats["System time (seconds)"]),
            "gb": int(stats["Maximum resident set size (kbytes)"]) / 1e6,
            "summary": next((line for line in done.stderr.splitlines() if line.startswith(("1", "2", "3", "4", "5",
                                                                                         "6", "7", "8", "9"))), "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="L")
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "diff.md")
    args = parser.parse_args()
    folder = HERE / "data" / args.size
    if not folder.is_dir():
        folder = Path("/work/main/benchmarks/data") / args.size
    copy = Path(tempfile.gettempdir()) / f"partnernet-diff-{args.size}-{args.share:g}"
    changed = changed_copy(folder, copy, args.share)
    scratch = Path(tempfile.gettempdir()) / f"partnernet-diff-{args.size}.txt"
    cmd = [sys.executable, "-m", "partnernet", "diff", str(folder), str(copy), "--out", str(scratch)]
    rows = []
    for i in range(args.runs):
        load = os.getloadavg()[0]
        r = timed(cmd)
        rows.append(f"| {args.size} vs {args.share:.0%} changed ({changed:,} memberships) | {i + 1} | "
                    f"{r['wall']:.1f} s | {r['cpu']:.1f} s | {r['gb']:.2f} GB | {load:.1f} |")
        print(rows[-1], flush=True)
    text = "\n".join([
        f"# `partnernet diff` on {args.size}",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine()}, a machine shared with other jobs "
        "(load average at the start of each run), by `python benchmarks/diff.py`. Target: "
        f"{TARGET_SECONDS} s and {TARGET_GB} GB. The command: `{' '.join(['partnernet', *cmd[3:5], '…'])}` "
        "(every table, PageRank movers, the older snapshot's suggestions for the partnerships that gained a member "
        "from a missing sector). With other jobs on the two cores, wall time mostly measures them; CPU time is "
        "the figure to compare with the target.",
        "",
        "| networks | run | wall | CPU (user + sys) | peak memory | load |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
