"""Seeded generator of realistic two-mode partnership networks for the benchmarks.

Eight sectors, heavy-tailed partnership sizes (most 2–10 members, a few
50–500), actors in 1–20 partnerships, and locality: partnerships draw most of
their members from one of many thematic clusters, so the network has
communities and bridges like real partnership landscapes.

Usage::

    python benchmarks/generate.py --size M --out benchmarks/data/M
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
}

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
    edges = pl.DataFrame(
        {
            "source": [a_ids[i] for i in a.tolist()],
            "target": [p_ids[j] for j in p.tolist()],
            "role": [ROLES[r] for r in role.tolist()],
            "weight": np.ones(a.size),
        }
    )
    return nodes, edges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    nodes, edges = generate(*SIZES[args.size], seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    nodes.write_csv(args.out / "nodes.csv")
    edges.write_csv(args.out / "edges.csv")
    print(f"{args.size}: {nodes.filter(pl.col('kind') == 'actor').height} actors, "
          f"{nodes.filter(pl.col('kind') == 'partnership').height} partnerships, {edges.height} memberships → {args.out}")


if __name__ == "__main__":
    main()
