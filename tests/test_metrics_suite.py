"""The metric suite: one registry of the run's tables, computed all or some."""

from pathlib import Path

import pytest

from partnernet.graph import load_graph
from partnernet.load import locate
from partnernet.metrics.suite import SUITE, TABLES, WORKER_TABLES, Settings, compute_tables

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_registry_names_the_tables_in_download_order():
    assert TABLES == ("centrality", "partnership_centrality", "coverage", "sector_summary", "sector_mixing", "gaps",
                      "brokerage", "communities", "backtest")
    assert WORKER_TABLES == ("brokerage", "communities", "backtest")
    assert len({t.name for t in SUITE}) == len(SUITE)


def test_compute_tables_only_some():
    g = load_graph(locate(DATA))
    tables, modularity = compute_tables(g, only=["gaps", "coverage"])
    assert list(tables) == ["coverage", "gaps"] and modularity is None  # suite order
    every, modularity = compute_tables(g)
    assert list(every) == list(TABLES)
    assert tables["gaps"].equals(every["gaps"]) and modularity is not None
    with pytest.raises(ValueError, match="unknown tables"):
        compute_tables(g, only=["pagerank"])


def test_settings_reach_the_centrality(tiny_graph):
    calls = []
    compute_tables(tiny_graph, Settings(samples=2, seed=7), only=["centrality"], report=lambda *a: calls.append(a))
    assert calls == [(1, 2), (2, 2)]
