"""The back-test protocol: a hand-built case found at rank 1, determinism, and the shared real network."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from partnernet.errors import OptionError
from partnernet.metrics.backtest import METHOD, backtest

from .conftest import make_graph


def shared_data() -> Path:
    """The shared real networks: ``PARTNERNET_SHARED_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("PARTNERNET_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def one_case():
    """P: s1 (state), m1 (municipality), b1 (business); Q: s1, b1.  Unlinked: s2 (state), b2 (business).

    Only P has three members; s1 and b1 are each the only one of their sector there and are also in Q,
    so either may be hidden, and the other still links it to P through Q: rank 1 on every method.
    """
    return make_graph(
        [{"id": "P", "kind": "partnership"}, {"id": "Q", "kind": "partnership"},
         {"id": "X", "kind": "partnership"},
         {"id": "s1", "sector": "state"}, {"id": "m1", "sector": "municipality"},
         {"id": "b1", "sector": "business"}, {"id": "s2", "sector": "state"}, {"id": "b2", "sector": "business"}],
        [{"source": x, "target": "P"} for x in ("s1", "m1", "b1")]
        + [{"source": x, "target": "Q"} for x in ("s1", "b1")] + [{"source": "b2", "target": "X"}],
    )


def test_hidden_member_found_at_rank_1(one_case):
    r = backtest(one_case)
    assert (r.cases, r.eligible) == (1, 1)
    t = r.table
    assert t["method"].to_list() == [METHOD, "popularity", "common_neighbours", "mass_diffusion"]
    for name in (METHOD, "common_neighbours", "mass_diffusion"):
        row = t.filter(method=name).row(0, named=True)
        assert (row["hit_1"], row["hit_10"], row["mrr_10"], row["cases"]) == (1.0, 1.0, 1.0, 1), name


@pytest.fixture
def cn_tie():
    """P: m1, m2 (municipality), b1 (business); Q: b1, m1; R: b1, x1 (state); S: b2 (business), m2.

    Only b1 can be hidden (m1 and m2 share their sector in P). Then b1 and b2 each share one partnership
    with one member of P (cn 1 and mass diffusion 1/4 each): a tie that popularity breaks, since b1 is
    in two other partnerships and b2 in one.
    """
    return make_graph(
        [{"id": p, "kind": "partnership"} for p in "PQRS"]
        + [{"id": "m1", "sector": "municipality"}, {"id": "m2", "sector": "municipality"},
           {"id": "b1", "sector": "business"}, {"id": "b2", "sector": "business"}, {"id": "x1", "sector": "state"}],
        [{"source": a, "target": p} for p, xs in (("P", ("m1", "m2", "b1")), ("Q", ("b1", "m1")),
                                                   ("R", ("b1", "x1")), ("S", ("b2", "m2"))) for a in xs],
    )


def test_baselines_break_ties_by_popularity(cn_tie):
    t = backtest(cn_tie).table
    for name in ("common_neighbours", "mass_diffusion", "popularity"):
        assert t.filter(method=name)["hit_1"][0] == 1.0, name


def random_network(seed: int, n_actors: int = 240, n_parts: int = 160):
    """A seeded random two-mode network: partnerships of 3–6 members drawn with a preference for busy actors."""
    rng = np.random.default_rng(seed)
    sectors = ["state", "municipality", "business", "civil_society", "knowledge"]
    nodes = [{"id": f"a{i:03d}", "sector": sectors[i % 5]} for i in range(n_actors)]
    nodes += [{"id": f"p{j:03d}", "kind": "partnership", "theme": "xyz"[j % 3]} for j in range(n_parts)]
    weight = 1.0 / (1 + np.arange(n_actors)) ** 0.5
    edges = []
    for j in range(n_parts):
        members = rng.choice(n_actors, size=int(rng.integers(3, 7)), replace=False, p=weight / weight.sum())
        edges += [{"source": f"a{i:03d}", "target": f"p{j:03d}"} for i in sorted(members.tolist())]
    return make_graph(nodes, edges)


def test_same_seed_same_table():
    g = random_network(1)
    a, b = backtest(g, cases=50), backtest(g, cases=50)
    assert a.table.equals(b.table) and a.model == b.model
    assert a.cases == 50 and a.table.schema["distinct_top10"] == pl.Int64
    other = backtest(g, cases=50, seed=8)
    assert other.cases == 50


def test_cases_option(one_case):
    with pytest.raises(OptionError, match="cases"):
        backtest(one_case, cases=0)


def test_dk_structural_funds_beats_the_baselines():
    folder = shared_data() / "dk-structural-funds"
    if not (folder / "nodes.csv").is_file():
        pytest.skip(f"{folder} is not there")
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    t = backtest(build_graph(load(locate(folder)))).table
    ours = t.filter(method=METHOD)["hit_10"][0]
    best = t.filter(pl.col("method") != METHOD)["hit_10"].max()
    assert ours >= best
