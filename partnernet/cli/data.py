"""Commands about the input itself: ``validate`` and ``summary``."""

from __future__ import annotations

import json

import click

from .common import Run, cli, as_of_option, data_options, echo


@cli.command()
@data_options
def validate(run: Run) -> None:
    """Check the data files and report every problem at once.

    Each problem is printed as file:line:column (name): value – reason, every
    warning too (other commands group them by kind).
    Exit code 1 when there is any error; warnings alone exit 0.
    """
    run.all_warnings = True
    dataset = run.dataset()
    actors = dataset.nodes.filter(dataset.nodes["kind"] == "actor").height
    partnerships = dataset.nodes.height - actors
    run.done(f"OK: {_n(actors, 'actor')}, {_n(partnerships, 'partnership')}, {_n(dataset.edges.height, 'edge')}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cli.command()
@data_options
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def summary(run: Run, as_of: int | None, fmt: str) -> None:
    """Counts by sector, type, size and role; components; density of the actor network."""
    from ..summary import summary_report
    from .tables import format_summary

    report = summary_report(run.graph(as_of))
    if fmt == "json":
        echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        echo(format_summary(report, run.vocabulary))
    run.done()
