"""Tests for partnernet.defaults: the choices the CLI offers are the ones the library accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from partnernet import defaults
from partnernet.graph import build_graph
from partnernet.load import load, locate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled():
    return build_graph(load(locate(str(ROOT / "data"))))


def test_every_sort_key_ranks_its_table(bundled):
    from partnernet.metrics import centrality_table, partnership_table, ranked

    actors, parts = centrality_table(bundled), partnership_table(bundled)
    for key in defaults.ACTOR_SORT:
        assert ranked(actors, key).height == actors.height
    for key in defaults.PARTNERSHIP_SORT:
        assert ranked(parts, key).height == parts.height


def test_every_map_choice_draws(bundled):
    from partnernet.views.map import map_view

    for view in defaults.VIEWS:
        assert map_view(bundled, view=view).nodes
    for color_by in defaults.COLOR_BY:
        assert map_view(bundled, color_by=color_by).nodes
    for size_by in defaults.SIZE_BY:
        assert map_view(bundled, size_by=size_by).nodes


def test_every_export_format_has_a_default_path():
    assert set(defaults.DEFAULT_EXPORT) == set(defaults.EXPORT_FORMATS)


@pytest.mark.parametrize("command", ["", "publish", "export", "map", "centrality", "coverage", "gaps", "brokers",
                                     "communities", "summary", "validate", "backtest", "init", "convert"])
def test_help_imports_no_heavy_library(command):
    code = ("import sys; from partnernet.cli import cli; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(cli, {[command] if command else []!r} + ['--help']); assert r.exit_code == 0, r.output; "
            "print(','.join(m for m in ('polars', 'networkx', 'numpy', 'scipy', 'jinja2', 'fastexcel', 'xlsxwriter') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == ""


def test_suggestion_defaults_are_the_librarys():
    import inspect

    from partnernet.metrics import gaps_table
    from partnernet.metrics.backtest import backtest

    assert inspect.signature(gaps_table).parameters["min_members"].default == defaults.GAPS_MIN_MEMBERS
    params = inspect.signature(backtest).parameters
    assert (params["cases"].default, params["seed"].default) == (defaults.BACKTEST_CASES, defaults.BACKTEST_SEED)
