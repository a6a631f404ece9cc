"""Seeded generator of realistic two-mode partnership networks for the benchmarks.

Sizes S–XL: eight sectors, heavy-tailed partnership sizes (most 2–10
members, a few 50–500), actors in 1–20 partnerships, and locality:
partnerships draw most of their members from one of many thematic clusters,
so the network has communities and bridges like real partnership landscapes.

Size R is real-like (:func:`generate_real`): the shape of one EU research
programme (issue 18), with its heavier tails: most actors in one
partnership but a few in over 1,000, most partnerships single-member grants,
and attributes (region, fund, theme, budget) on both kinds of node.

Usage::

    python benchmarks/generate.py --size M --out benchmarks/data/M
    python benchmarks/generate.py --size R --out benchmarks/data/R --report
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

SIZES = {
    "S": (1_000, 200, 3_000),
    "M": (10_000, 2_000, 30_000),
    "L": (100_000, 20_000, 300_000),
    "XL": (300_000, 60_000, 1_000_000),
    "R": (35_871, 31_451, 144_726),
}

#: The real programme's shape (issue 18) that size R is drawn to: share of degree 1, then quantiles and max.
#: Actors: partnerships per actor; partnerships: members per partnership.
R_TARGETS = {
    "actors": {"share_1": 0.63, "median": 1, "p90": None, "p99": 51, "p99.9": 269, "max": 1_372},
    "partnerships": {"share_1": 0.61, "median": 1, "p90": 14, "p99": 32, "p99.9": None, "max": 186},
}
#: Inverse cumulative distributions of size R as knots (probability, value), interpolated in log space
#: and evaluated at evenly spaced probabilities, so the quantiles above hold by construction.
#: The middle knots are set so the degrees sum to the memberships.
R_KNOTS = {
    "actors": ((0.0, 1), (0.63, 1), (0.6300001, 2), (0.80, 2), (0.90, 4.5), (0.95, 10), (0.99, 51), (0.995, 95),
               (0.999, 266), (0.99995, 500), (1.0, 1_372)),
    "partnerships": ((0.0, 1), (0.61, 1), (0.6100001, 2), (0.75, 3.5), (0.85, 8), (0.90, 14), (0.99, 32),
                     (0.999, 80), (1.0, 186)),
}
REGIONS = ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland", "Bornholm", "Udland")
FUNDS = ("ERDF", "ESF", "H2020", "Interreg")
THEMES = ("Innovation og videndeling", "Grøn omstilling", "Iværksætteri", "Uddannelse og beskæftigelse",
          "Digitalisering", "Sundhed og velfærd")

SECTORS = (
    # id, share of actors, org types, name stem
    ("municipality", 0.22, ("municipality",), "Kommune"),
    ("business", 0.28, ("business", "consultancy"), "Virksomhed"),
    ("civil_society", 0.18, ("ngo", "foundation"), "Forening for ældre og børn"),
    ("business_association", 0.08, ("association", "union"), "Brancheforening"),
    ("knowledge", 0.10, ("research", "education"), "Videncenter"),
    ("state", 0.07, ("ministry", "agency"), "Styrelse"),
    ("region", 0.04, ("region",), "Region"),
    ("local_gov_association", 0.03, ("association",), "Landsforening"),
)
ROLES = ("member", "lead", "secretariat", "funder", "evaluator", "advisor", "facilitator")


def _edges(a_ids: list[str], p_ids: list[str], a: np.ndarray, p: np.ndarray, role: np.ndarray) -> pl.DataFrame:
    """The edges table of memberships (actor index, partnership index, role index)."""
    return pl.DataFrame(
        {
            "source": [a_ids[i] for i in a.tolist()],
            "target": [p_ids[j] for j in p.tolist()],
            "role": [ROLES[r] for r in role.tolist()],
            "weight": np.ones(a.size),
        }
    )


def _partnership_sizes(rng: np.random.Generator, n: int, total: int) -> np.ndarray:
    """Mostly 2–10 members, a heavy tail up to 500, summing to about ``total``."""
    small = rng.integers(2, 11, size=n)
    tail = rng.random(n) < 0.08
    pareto = np.minimum(11 + (rng.pareto(1.1, size=n) * 20).astype(np.int64), 500)
    sizes = np.where(tail, pareto, small)
    # Scale the tail so the total matches the target, keeping 2 <= size <= 500.
    for _ in range(20):
        excess = total - sizes.sum()
        if abs(excess) < total * 0.01 or not tail.any():
            break
        factor = max(0.2, 1 + excess / max(1, sizes[tail].sum()))
        sizes[tail] = np.clip((sizes[tail] * factor).astype(np.int64), 11, 500)
    return sizes


def generate(actors: int, partnerships: int, memberships: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build (nodes, edges) tables in partnernet's CSV format."""
    rng = np.random.default_rng(seed)
    shares = np.array([s[1] for s in SECTORS])
    sector_idx = rng.choice(len(SECTORS), size=actors, p=shares / shares.sum())
    sizes = _partnership_sizes(rng, partnerships, memberships)
    total = int(sizes.sum())
    # Activity: 1–20 partnerships per actor, heavy-tailed, rescaled to the total.
    activity = np.minimum(1 + rng.zipf(2.2, size=actors) - 1, 20).astype(np.float64)
    activity = np.clip(np.round(activity * total / activity.sum()), 1, 20).astype(np.int64)
    pool = np.repeat(np.arange(actors), activity)
    clusters = max(4, partnerships // 25)
    actor_cluster = rng.integers(0, clusters, size=actors)
    key = actor_cluster[pool] + rng.random(pool.size) * 1.6
    pool = pool[np.argsort(key, kind="stable")]
    if pool.size < total:
        pool = np.concatenate([pool, rng.integers(0, actors, size=total - pool.size)])
    pool = pool[:total]
    order = rng.permutation(partnerships)
    owner = np.repeat(order, sizes[order])
    pairs = np.unique(np.stack([pool, owner], axis=1), axis=0)
    # Repeated draws inside one partnership collapse; top up with fresh pairs.
    weights = activity / activity.sum()
    for _ in range(10):
        deficit = total - pairs.shape[0]
        if deficit <= total * 0.002:
            break
        extra = np.stack(
            [rng.choice(actors, size=deficit, p=weights), rng.choice(partnerships, size=deficit, p=sizes / total)], axis=1
        )
        pairs = np.unique(np.concatenate([pairs, extra]), axis=0)
    a, p = pairs[:, 0], pairs[:, 1]
    role = np.where(rng.random(a.size) < 0.9, 0, rng.integers(1, len(ROLES), size=a.size))
    first = np.unique(p, return_index=True)[1]
    role[first] = 1

    type_choice = rng.random(actors)
    a_types = [SECTORS[s][2][int(t * len(SECTORS[s][2]))] for s, t in zip(sector_idx, type_choice)]
    a_ids = [f"a{i:06d}" for i in range(actors)]
    p_ids = [f"p{j:05d}" for j in range(partnerships)]
    p_start = rng.integers(2005, 2025, size=partnerships)
    p_end = np.where(rng.random(partnerships) < 0.3, p_start + rng.integers(1, 8, size=partnerships), 0)
    nodes = pl.DataFrame(
        {
            "id": a_ids + p_ids,
            "label": [f"{SECTORS[s][3]} {i} – Ærø Øst Å" for i, s in enumerate(sector_idx)]
            + [f"Partnerskab {j} om grøn omstilling" for j in range(partnerships)],
            "kind": ["actor"] * actors + ["partnership"] * partnerships,
            "sector": [SECTORS[s][0] for s in sector_idx] + [None] * partnerships,
            "type": a_types + [None] * partnerships,
            "start": [None] * actors + p_start.tolist(),
            "end": [None] * actors + [int(e) if e else None for e in p_end.tolist()],
        }
    )
    return nodes, _edges(a_ids, p_ids, a, p, role)


def _degrees(knots: tuple[tuple[float, float], ...], n: int, total: int) -> np.ndarray:
    """``n`` degrees from the inverse CDF ``knots`` at evenly spaced probabilities, summing to ``total``.

    The evenly spaced probabilities make every quantile the knots fix exact;
    the sum is met by moving the middle of the distribution (degrees 2 up to
    the 90th percentile) one step at a time, smallest first.
    """
    p, v = np.array([k[0] for k in knots]), np.log(np.array([k[1] for k in knots], dtype=np.float64))
    u = (np.arange(n) + 0.5) / n
    deg = np.maximum(1, np.round(np.exp(np.interp(u, p, v)))).astype(np.int64)
    deg[-1] = int(round(np.exp(v[-1])))
    excess = int(deg.sum()) - total
    middle = np.flatnonzero((deg >= 2) & (u < 0.9))
    step = 0
    while excess and middle.size and step < 1_000:
        room = middle[deg[middle] > 2] if excess > 0 else middle
        if not room.size:
            break
        take = room[: abs(excess)]
        deg[take] -= np.sign(excess)
        excess = int(deg.sum()) - total
        step += 1
    return deg


def _pair(rng: np.random.Generator, actor_deg: np.ndarray, part_deg: np.ndarray, clusters: int) -> np.ndarray:
    """Memberships (actor, partnership) with these degrees: stubs matched within thematic clusters.

    Each partnership sits in a cluster; an actor's stubs fall in its home cluster,
    but hubs spread theirs over many (a large organisation works on every theme).
    Repeated pairs are dropped and their stubs matched again, so the degrees hold
    up to a handful of memberships.
    """
    actors, parts = actor_deg.size, part_deg.size
    home = rng.integers(0, clusters, size=actors)
    part_cluster = rng.integers(0, clusters, size=parts)
    a_stub = np.repeat(np.arange(actors), actor_deg)
    spread = np.minimum(clusters, 1 + actor_deg[a_stub] // 4)
    a_key = (home[a_stub] + rng.integers(0, spread)) % clusters + rng.random(a_stub.size)
    p_stub = np.repeat(np.arange(parts), part_deg)
    p_key = part_cluster[p_stub] + rng.random(p_stub.size)
    a_stub = a_stub[np.argsort(a_key, kind="stable")]
    p_stub = p_stub[np.argsort(p_key, kind="stable")]
    pairs = np.unique(np.stack([a_stub, p_stub], axis=1), axis=0)
    for _ in range(50):
        a_left = actor_deg - np.bincount(pairs[:, 0], minlength=actors)
        p_left = part_deg - np.bincount(pairs[:, 1], minlength=parts)
        if not a_left.sum():
            break
        extra = np.stack([rng.permutation(np.repeat(np.arange(actors), a_left)),
                          rng.permutation(np.repeat(np.arange(parts), p_left))], axis=1)
        pairs = np.unique(np.concatenate([pairs, extra]), axis=0)
    # Stubs still left pair only with partnerships the actor is in already: swap with a random membership.
    a_left = np.repeat(np.arange(actors), actor_deg - np.bincount(pairs[:, 0], minlength=actors))
    p_left = np.repeat(np.arange(parts), part_deg - np.bincount(pairs[:, 1], minlength=parts))
    have = set(map(tuple, pairs.tolist()))
    rows = pairs.tolist()
    for a, p in zip(rng.permutation(a_left).tolist(), p_left.tolist()):
        while True:
            i = int(rng.integers(0, len(rows)))
            a2, p2 = rows[i]
            if (a, p2) not in have and (a2, p) not in have and a2 != a and p2 != p:
                have -= {(a2, p2)}
                have |= {(a, p2), (a2, p)}
                rows[i] = [a, p2]
                rows.append([a2, p])
                break
    return np.array(sorted(rows), dtype=np.int64)


def generate_real(actors: int, partnerships: int, memberships: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build (nodes, edges) in the real programme's shape (:data:`R_TARGETS`), scaled to these counts."""
    rng = np.random.default_rng(seed)
    actor_deg = rng.permutation(_degrees(R_KNOTS["actors"], actors, memberships))
    part_deg = rng.permutation(_degrees(R_KNOTS["partnerships"], partnerships, int(actor_deg.sum())))
    pairs = _pair(rng, actor_deg, part_deg, clusters=max(4, partnerships // 60))
    a, p = pairs[:, 0], pairs[:, 1]
    role = np.where(rng.random(a.size) < 0.85, 0, rng.integers(1, len(ROLES), size=a.size))
    first = np.unique(p, return_index=True)[1]
    role[first] = 1
    shares = np.array([s[1] for s in SECTORS])
    sector_idx = rng.choice(len(SECTORS), size=actors, p=shares / shares.sum())
    no_sector = rng.random(actors) < 0.2  # as in real data, a fifth match no sector rule
    type_choice = rng.random(actors)
    a_ids = [f"a{i:06d}" for i in range(actors)]
    p_ids = [f"p{j:05d}" for j in range(partnerships)]
    p_start = rng.integers(2007, 2021, size=partnerships)
    p_end = p_start + rng.integers(0, 6, size=partnerships)
    a_region = rng.integers(0, len(REGIONS), size=actors)
    p_region = rng.integers(0, len(REGIONS) - 1, size=partnerships)
    budget = np.round(np.exp(rng.normal(14.5, 1.3, size=partnerships)) / 1_000) * 1_000
    nodes = pl.DataFrame(
        {
            "id": a_ids + p_ids,
            "label": [f"{SECTORS[s][3]} {i} – Ærø Øst Å" for i, s in enumerate(sector_idx)]
            + [f"Projekt {j} om {THEMES[j % len(THEMES)].lower()}" for j in range(partnerships)],
            "kind": ["actor"] * actors + ["partnership"] * partnerships,
            "sector": [None if n else SECTORS[s][0] for s, n in zip(sector_idx, no_sector)] + [None] * partnerships,
            "type": [None if n else SECTORS[s][2][int(t * len(SECTORS[s][2]))]
                     for s, t, n in zip(sector_idx, type_choice, no_sector)] + [None] * partnerships,
            "start": [None] * actors + p_start.tolist(),
            "end": [None] * actors + p_end.tolist(),
            "region": [REGIONS[r] for r in a_region] + [REGIONS[r] for r in p_region],
            "fund": [None] * actors + [FUNDS[int(f)] for f in rng.integers(0, len(FUNDS), size=partnerships)],
            "theme": [None] * actors + [THEMES[j % len(THEMES)] for j in range(partnerships)],
            "budget_dkk": [None] * actors + budget.astype(np.int64).tolist(),
        }
    )
    return nodes, _edges(a_ids, p_ids, a, p, role)


def shape(edges: pl.DataFrame) -> dict[str, dict[str, float]]:
    """The degree shape of a network, in :data:`R_TARGETS`' terms: partnerships per actor, members per partnership."""
    out = {}
    for kind, column in (("actors", "source"), ("partnerships", "target")):
        deg = edges.group_by(column).len()["len"].to_numpy()
        q = lambda x: float(np.quantile(deg, x, method="inverted_cdf"))  # noqa: E731
        out[kind] = {"share_1": round(float((deg == 1).mean()), 3), "median": q(0.5), "p90": q(0.9),
                     "p99": q(0.99), "p99.9": q(0.999), "max": float(deg.max())}
    return out


def report(nodes: pl.DataFrame, edges: pl.DataFrame) -> str:
    """A Markdown table of the generated shape beside :data:`R_TARGETS`."""
    got = shape(edges)
    lines = ["| degree | figure | target | generated |", "|---|---|---|---|"]
    for kind, targets in R_TARGETS.items():
        for name, want in targets.items():
            shown = "–" if want is None else (f"{want:.0%}" if name == "share_1" else f"{want:,}")
            value = got[kind][name]
            lines.append(f"| {kind} | {name} | {shown} | "
                         f"{f'{value:.0%}' if name == 'share_1' else f'{value:,.0f}'} |")
    counts = nodes.group_by("kind").len().sort("kind")
    lines.append("")
    lines.append(", ".join(f"{n:,} {k}s" for k, n in counts.iter_rows()) + f", {edges.height:,} memberships")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", action="store_true", help="print the degree shape beside the real targets")
    args = parser.parse_args()
    make = generate_real if args.size == "R" else generate
    nodes, edges = make(*SIZES[args.size], seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    nodes.write_csv(args.out / "nodes.csv")
    edges.write_csv(args.out / "edges.csv")
    print(f"{args.size}: {nodes.filter(pl.col('kind') == 'actor').height} actors, "
          f"{nodes.filter(pl.col('kind') == 'partnership').height} partnerships, {edges.height} memberships → {args.out}")
    if args.report:
        print(report(nodes, edges))


if __name__ == "__main__":
    main()
