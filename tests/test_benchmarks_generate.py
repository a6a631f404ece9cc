"""The benchmark generator's real-like size R: deterministic, and in the real programme's shape."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generate():
    """benchmarks/generate.py as a module (the benchmarks are scripts, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_r(generate):
    """An R-like draw at a tenth of R's size."""
    return generate.generate_real(3_587, 3_145, 14_473, seed=7)


def test_small_r_draw_is_deterministic(generate, small_r):
    nodes, edges = generate.generate_real(3_587, 3_145, 14_473, seed=7)
    assert nodes.equals(small_r[0]) and edges.equals(small_r[1])
    assert not generate.generate_real(3_587, 3_145, 14_473, seed=8)[1].equals(small_r[1])


def test_small_r_draw_has_the_counts(small_r):
    nodes, edges = small_r
    assert nodes.filter(nodes["kind"] == "actor").height == 3_587
    assert nodes.filter(nodes["kind"] == "partnership").height == 3_145
    # R's own draw meets the memberships exactly; a tenth of it keeps R's largest degrees, so a few more.
    assert edges.height == pytest.approx(14_473, rel=0.05)
    assert not edges.select("source", "target").is_duplicated().any()


def test_small_r_draw_matches_the_shape(generate, small_r):
    got = generate.shape(small_r[1])
    for kind, targets in generate.R_TARGETS.items():
        assert got[kind]["share_1"] == pytest.approx(targets["share_1"], abs=0.01), kind
        assert got[kind]["median"] == 1, kind
        assert got[kind]["max"] == targets["max"], kind
        assert got[kind]["p99"] == pytest.approx(targets["p99"], rel=0.1), kind
    assert got["partnerships"]["p90"] == pytest.approx(14, abs=1)


def test_small_r_draw_has_attributes_on_both_kinds(small_r):
    nodes = small_r[0]
    for kind in ("actor", "partnership"):
        rows = nodes.filter(nodes["kind"] == kind)
        assert rows["region"].null_count() == 0, kind
    partnerships = nodes.filter(nodes["kind"] == "partnership")
    assert partnerships["theme"].null_count() == 0 and partnerships["budget_dkk"].null_count() == 0


def test_report_shows_targets_beside_the_draw(generate, small_r):
    text = generate.report(*small_r)
    assert "| actors | max | 1,372 | 1,372 |" in text
    assert f"{small_r[1].height:,} memberships" in text
