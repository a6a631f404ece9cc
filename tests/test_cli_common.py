"""partnernet.cli.common: option values arrive as parameters; warnings are printed one way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.cli.common import MAX_ERRORS_PER_RULE, WARNINGS_PER_KIND, Run, as_of_option, data_options, print_warnings, table_options
from partnernet.errors import Problem


def test_data_options_hand_the_command_a_run_built_from_them(tmp_path):
    seen = {}

    @click.command()
    @data_options
    @as_of_option
    @table_options
    def probe(run: Run, as_of, fmt, out):
        seen.update(run=run, as_of=as_of, fmt=fmt, out=out)

    result = CliRunner().invoke(probe, ["--data", str(tmp_path), "-q", "--as-of", "2020", "--format", "csv"])
    assert result.exit_code == 0, result.output
    run = seen["run"]
    assert (run.data, run.nodes, run.quiet, run.verbose) == (str(tmp_path), None, True, False)
    assert (seen["as_of"], seen["fmt"], seen["out"]) == (2020, "csv", None)


def test_warnings_are_grouped_by_kind_unless_verbose(capsys):
    small = [Problem("nodes.csv", line, 1, "id", f"p{line}", f"partnership with {line % 2} members (fewer than two)",
                     "warning") for line in (12, 40, 77, 90)]
    odd = [Problem("nodes.csv", 5, 4, "sector", "", "actor without a sector", "warning")]
    print_warnings(small + odd, verbose=False)
    assert capsys.readouterr().err.splitlines() == [
        'warning: 4 warnings like "partnership with 0 members (fewer than two)", e.g. nodes.csv:12, :40, :77, … '
        "– see `partnernet validate` (or --verbose)",
        'warning: nodes.csv:5:4 (sector): "" – actor without a sector',
    ]
    print_warnings(small[:WARNINGS_PER_KIND], verbose=False)
    assert len(capsys.readouterr().err.splitlines()) == WARNINGS_PER_KIND
    print_warnings(small + odd, verbose=True)
    assert len(capsys.readouterr().err.splitlines()) == 5


# --- bounds, standard output, the environment (issue 17) ---------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _partnernet(*args, env=None, **kw):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "partnernet", *args], env=environ, capture_output=True,
                          text=True, **kw)


@pytest.mark.parametrize("args", [["centrality", "--top", "9" * 30], ["map", "--max-nodes", "9" * 30],
                                  ["publish", "--workers", "9" * 30], ["communities", "--seed", "-1"],
                                  ["summary", "--as-of", "9" * 30], ["gaps", "--top", str(10**9 + 1)],
                                  ["communities", "--resolution", "inf"]])
def test_every_integer_option_has_bounds(args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "is not in the range" in result.output, result.output


def test_resolution_nan_is_a_usage_error():
    result = CliRunner().invoke(cli, ["communities", "--resolution", "nan"])
    assert result.exit_code == 2 and "'nan' is not a number." in result.output, result.output


@pytest.mark.parametrize("value", ["abc", "", "1e10", "1" * 17])
def test_a_bad_source_date_epoch_never_gives_a_traceback(value, tmp_path):
    for command in (["summary"], ["centrality", "--top", "1"]):
        result = _partnernet(*command, "-q", env={"SOURCE_DATE_EPOCH": value})
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    result = _partnernet("publish", "-q", "--out", str(tmp_path / "site"), env={"SOURCE_DATE_EPOCH": value})
    if value:
        assert result.returncode == 2
        assert result.stderr.strip() == f"Error: SOURCE_DATE_EPOCH: {value!r} is not a number of seconds since 1970"
    else:
        assert result.returncode == 0, result.stderr  # empty: unset, as reproducible-builds.org says


def test_a_full_or_closed_standard_output_is_an_error():
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "partnernet", "summary", "-q"], env=environ, stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "error: cannot write standard output: no space left on device"
    result = subprocess.run(["sh", "-c", f"exec {sys.executable} -m partnernet centrality -q >&-"], env=environ,
                            stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == "error: cannot write standard output: it is closed"


def test_errors_are_capped_per_rule_and_all_of_them_go_to_the_errors_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"a{i},A{i},actr\n" for i in range(100))
    (tmp_path / "nodes.csv").write_text("id,label,kind\np,P,partnership\n" + rows, encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target\n" + "".join(f"x{i},p\n" for i in range(30)),
                                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", ".", "-q", "--errors", "all.txt"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2 * MAX_ERRORS_PER_RULE + 3
    assert lines[-3:] == [
        "… 10 more like this: edges.csv (source): unknown node id: not in nodes.csv "
        "(all of them with --errors FILE or --verbose)",
        "… 80 more like this: nodes.csv (kind): unknown kind; expected one of actor, partnership "
        "(all of them with --errors FILE or --verbose)",
        "130 errors, 0 warnings",
    ]
    written = (tmp_path / "all.txt").read_text(encoding="utf-8").splitlines()
    assert len(written) == 130 and written[0] == 'error: edges.csv:2:1 (source): "x0" – unknown node id: not in nodes.csv'


# --- help stays fast, the as-of year, progress (issue 15) ----------------------------------------

HELP_PROBE = """
import sys, time
from partnernet.cli import cli
try:
    cli(["--help"], prog_name="partnernet")
except SystemExit:
    pass
heavy = sorted(m for m in ("rich", "polars", "networkx", "numpy", "scipy") if m in sys.modules)
print(time.process_time(), ",".join(heavy))
"""


def test_help_imports_nothing_heavy_and_takes_under_0_3_s_of_cpu():
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", HELP_PROBE], env=environ, capture_output=True, text=True)
    cpu, heavy = result.stdout.splitlines()[-1].split(" ")
    assert heavy == "" and float(cpu) < 0.3, result.stdout


@pytest.mark.parametrize("year", ["12", "1799", "2201"])
def test_as_of_outside_1800_2200_is_a_usage_error(year):
    result = CliRunner().invoke(cli, ["centrality", "--as-of", year])
    assert result.exit_code == 2
    assert f"Invalid value for '--as-of': {year} is not in the range 1800<=x<=2200." in result.stderr


@pytest.mark.parametrize("command", [["centrality"], ["coverage"], ["summary"], ["map", "--out", "{tmp}/m.html"],
                                     ["export", "--format", "json", "--out", "{tmp}/x"]])
def test_every_command_says_the_as_of_year_it_used(command, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = CliRunner().invoke(cli, [*args, "--as-of", "2012"])
    assert result.exit_code == 0, result.output
    assert "As of 2012: only partnerships and memberships active in 2012\n" in result.stderr
    assert "As of" not in CliRunner().invoke(cli, args).stderr


def test_progress_draws_rich_bars_with_rate_and_time_left():
    import io

    from rich.console import Console

    from partnernet.cli.progress import StageProgress

    out = io.StringIO()
    progress = StageProgress(Console(file=out, width=100, force_terminal=True, color_system=None))
    for done in (0, 20, 40):
        progress("write", done, 40)
        time.sleep(0.05)  # rich measures the rate between updates
    progress("swap", 1, 1)
    progress.stop()
    text = out.getvalue()
    assert "write" in text and "40/40" in text and "/s" in text and "swap" in text and "1/1" in text


def test_progress_is_off_when_stderr_is_not_a_terminal():
    assert Run().progress() is None


def test_diff_says_both_years():
    result = CliRunner().invoke(cli, ["diff", "--as-of-old", "2012", "--as-of-new", "2014"])
    assert result.exit_code == 0, result.output
    assert ("The old snapshot as of 2012: only partnerships and memberships active in 2012\n"
            "The new snapshot as of 2014: only partnerships and memberships active in 2014\n") in result.stderr
