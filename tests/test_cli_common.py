"""partnernet.cli.common: option values arrive as parameters; warnings are printed one way."""

from __future__ import annotations

import click
from click.testing import CliRunner

from partnernet.cli.common import MAX_WARNINGS_SHOWN, Run, as_of_option, data_options, print_warnings, table_options
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


def test_warnings_are_capped_unless_verbose(capsys):
    problems = [Problem("n.csv", i, 1, "id", "x", "odd", "warning") for i in range(MAX_WARNINGS_SHOWN + 3)]
    print_warnings(problems, verbose=False)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == MAX_WARNINGS_SHOWN + 1 and lines[-1] == "… 3 more warnings (show all with --verbose)"
    print_warnings(problems, verbose=True)
    assert len(capsys.readouterr().err.splitlines()) == MAX_WARNINGS_SHOWN + 3
