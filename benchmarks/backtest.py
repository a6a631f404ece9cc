"""Back-test the suggestions on real and generated networks, and time them.

Runs the protocol of :mod:`partnernet.metrics.backtest` (seed 7, 300 cases,
10 suggestions) on each network and prints one Markdown table per network
(hit@1/5/10, MRR@10, distinct suggested actors, cases, wall and CPU seconds), then writes
them to ``benchmarks/results/backtest.md``. With ``--gaps`` it also times
the suggestions for every partnership (``gaps_table(g, top=5)``).

Usage::

    python benchmarks/backtest.py                      # bundled data and ../shared/data/dk-structural-funds
                                                       # (or $PARTNERNET_SHARED_DATA/dk-structural-funds)
    python benchmarks/backtest.py benchmarks/data/M benchmarks/data/L --gaps

A network folder that does not exist is skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import machine  # noqa: E402

from partnernet.graph import build_graph  # noqa: E402
from partnernet.load import bundled_dir, load, locate  # noqa: E402
from partnernet.metrics.backtest import METHOD, backtest  # noqa: E402
from partnernet.metrics.gaps import gaps_table  # noqa: E402


def table(name: str, folder: Path, gaps: bool) -> str:
    """The Markdown section of one network."""
    g = build_graph(load(locate(folder)))
    t0, c0 = time.perf_counter(), time.process_time()
    result = backtest(g, cases=300, seed=7)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    lines = [f"### {name}", "",
             f"{result.cases} cases of {result.eligible} eligible partnerships; model: {result.model.kind} "
             f"(learned from {result.model.cases} training cases); back-test {seconds:.1f} s "
             f"({cpu:.1f} s CPU).", "",
             "| method | hit@1 | hit@5 | hit@10 | MRR@10 | distinct actors in top 10 | cases |",
             "|---|---|---|---|---|---|---|"]
    best = max(r["hit_10"] for r in result.table.iter_rows(named=True) if r["method"] != METHOD)
    for r in result.table.iter_rows(named=True):
        lines.append(f"| {r['method']} | {r['hit_1']:.1%} | {r['hit_5']:.1%} | {r['hit_10']:.1%} | "
                     f"{r['mrr_10']:.3f} | {r['distinct_top10']} | {r['cases']} |")
    ours = result.table.filter(method=METHOD)["hit_10"][0]
    lines += ["", f"hit@10 against the best baseline: {ours / best:.2f} ×" if best else "no baseline hit"]
    if gaps:
        t0, c0 = time.perf_counter(), time.process_time()
        frame = gaps_table(g, top=5)
        lines.append(f"Suggestions for every partnership (top 5): {time.perf_counter() - t0:.1f} s "
                     f"({time.process_time() - c0:.1f} s CPU), "
                     f"{frame.height} rows, {frame['candidate'].n_unique()} distinct actors.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more network folders (nodes.csv, edges.csv)")
    parser.add_argument("--gaps", action="store_true", help="also time the suggestions for every partnership")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "backtest.md")
    args = parser.parse_args()
    shared = Path(os.environ.get("PARTNERNET_SHARED_DATA") or ROOT.parent / "shared" / "data") / "dk-structural-funds"
    networks = [("bundled", bundled_dir()), ("dk-structural-funds", shared)]
    networks += [(f.name, f) for f in args.folders]
    sections = [f"# Back-test of the suggestions ({datetime.date.today().isoformat()})", "",
                f"Machine: {machine()}; shared with other jobs (load average {os.getloadavg()[0]:.1f} at the start), "
                "so wall times are indicative; CPU times count this process only.", "",
                "Protocol: seed 7, up to 300 cases, 10 suggestions. Baselines in their conventional form: common "
                "neighbours and mass diffusion break ties by popularity (number of memberships), then at random; "
                "popularity and partnernet break ties at random. Random ties count in expectation.", ""]
    for name, folder in networks:
        if not (folder / "nodes.csv").is_file():
            print(f"skipped {name}: {folder} not found", file=sys.stderr)
            continue
        section = table(name, folder, args.gaps)
        print(section)
        sections.append(section)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(sections), encoding="utf-8")


if __name__ == "__main__":
    main()
