"""The ``partnernet.metrics`` package: its functions are imported from their modules on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import partnernet.metrics as metrics


def test_every_public_name_resolves_to_its_module():
    for name in metrics.__all__:
        fn = getattr(metrics, name)
        assert fn.__module__ == f"partnernet.metrics.{metrics._WHERE[name]}", name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_table"):
        metrics.no_such_table  # noqa: B018


def test_submodules_still_import_by_name():
    from partnernet.metrics import backtest, features

    assert backtest.__name__ == "partnernet.metrics.backtest" and features.__name__ == "partnernet.metrics.features"


def test_the_analysis_tables_do_not_import_the_suggestions_optimiser():
    """scipy.optimize (for the learned suggestion weights) costs a fifth of a small map's run."""
    code = ("import sys\n"
            "from partnernet.metrics import centrality_table, coverage_table, brokerage_table, community_table, ranked\n"
            "import partnernet.views.map, partnernet.summary\n"
            "print(sorted(m for m in ('scipy.optimize', 'scipy.sparse.csgraph', 'scipy.spatial') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
