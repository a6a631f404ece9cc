"""The ``publish`` command (the static intranet site) and ``export`` (its downloads on their own)."""

from __future__ import annotations

import re

import click

from ..defaults import DEFAULT_LANG, DEFAULT_SITE, EXPORT_FORMATS, LANGS, MAX_ACTOR_PAGES, MAX_NODES
from . import cli
from .common import Run, as_of_option, data_options


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import datetime

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise click.BadParameter("use the form YYYY-MM-DD, e.g. 2024-05-31")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value} is not a valid date") from None
    return value


def _source(run: Run):
    from ..load import locate

    return locate(run.get("data"), run.get("nodes"), run.get("edges"), run.get("sectors"))


def _samples(exact: bool, samples: int | None) -> None:
    if exact and samples is not None:
        raise click.UsageError("--exact and --samples exclude each other")


def betweenness_options(f):
    f = click.option("--samples", type=click.IntRange(min=2), metavar="K",
                     help="Estimate betweenness from K random sources (faster on large data).")(f)
    f = click.option("--exact", is_flag=True, help="Exact betweenness even on large data (slower).")(f)
    return f


@cli.command()
@data_options
@as_of_option
@click.option("--out", "-o", type=click.Path(file_okay=False), default=DEFAULT_SITE, show_default=True,
              help="Folder to write the site to (replaced as a whole; only a folder partnernet wrote is replaced).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True, help="Language of every page.")
@click.option("--title", help="Title of the site (default: 'Partnerskaber: kort, dækning og huller').")
@click.option("--org", metavar="NAME", help="Organisation name shown above the title.")
@click.option("--date", callback=_date, metavar="YYYY-MM-DD",
              help="Build date shown on the pages (default: SOURCE_DATE_EPOCH, else today); pin it for identical rebuilds.")
@click.option("--max-actor-pages", type=click.IntRange(min=0), default=MAX_ACTOR_PAGES, show_default=True,
              help="Actors with a page of their own: all of them up to N, else the N with the highest betweenness.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=MAX_NODES, show_default=True,
              help="Nodes on the whole-network maps; above this the top nodes by betweenness are kept (stated on the page).")
@betweenness_options
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes computing tables and writing pages (default: one per CPU, up to 8, for sites of "
                   "400 pages or more).")
def publish(out, lang, title, org, date, max_actor_pages, max_nodes, exact, samples, workers) -> None:
    """Publish the static intranet site: maps, coverage, gaps, pages and downloads.

    The folder works on any web server, under any sub-path, or opened straight
    from disk, with no internet access. It is built beside --out and swapped in,
    so a failed run leaves the previous site intact. The same data and --date
    give the same bytes.
    """
    from ..pipeline import PublishOptions
    from ..pipeline import publish as run_publish

    _samples(exact, samples)
    run = Run()
    dataset = run.dataset()
    options = PublishOptions(out=out, lang=lang, title=title, org=org, date=date, max_actor_pages=max_actor_pages,
                             max_nodes=max_nodes, exact=exact, samples=samples, as_of=run.get("as_of"),
                             workers=workers)
    result = run_publish(_source(run), options, dataset=dataset, progress=run.progress())
    if run.verbose:
        for stage, seconds in result.timings.items():
            run.info(f"  {stage:<10}{seconds:8.2f} s")
    capped = f" (top {result.actor_pages} of {result.actors} actors)" if result.actor_pages < result.actors else ""
    run.done(f"Site: {result.pages} pages{capped}, {result.files} files, {result.bytes / 1e6:.1f} MB in {out}")
    click.echo(f"Open {result.index}")


@cli.command()
@data_options
@as_of_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="gexf/graphml: the graph as one file; csv/json: a folder of tables.")
@click.option("--out", "-o", type=click.Path(), metavar="PATH",
              help="File (gexf, graphml) or folder (csv, json) to write; default under output/.")
@click.option("--date", callback=_date, metavar="YYYY-MM-DD", help="Date written into GEXF (default: SOURCE_DATE_EPOCH, else today).")
@betweenness_options
def export(fmt, out, date, exact, samples) -> None:
    """Write the site's downloads on their own, for Gephi, Cytoscape or spreadsheets.

    \b
    gexf     the graph for Gephi (default output/partnernet.gexf)
    graphml  the graph for Cytoscape, yEd, igraph (default output/partnernet.graphml)
    csv      input files as received + every metric table, Danish Excel CSV (default output/export-csv/)
    json     nodes, edges + every metric table as JSON (default output/export-json/)
    """
    from ..pipeline import export as run_export

    _samples(exact, samples)
    run = Run()
    dataset = run.dataset()
    result = run_export(_source(run), fmt, out, dataset=dataset, as_of=run.get("as_of"), exact=exact,
                        samples=samples, date=date)
    run.done(f"Export: {len(result.files)} file{'s' if len(result.files) != 1 else ''}, {result.bytes:,} bytes")
    click.echo(str(result.out))
