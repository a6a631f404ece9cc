"""The ``publish`` command (the static intranet site) and ``export`` (its downloads on their own)."""

from __future__ import annotations

import click

from ..defaults import DEFAULT_LANG, DEFAULT_SITE, EXPORT_FORMATS, LANGS, MAX_ACTOR_PAGES, MAX_NODES, YEARS
from .common import Run, as_of_option, cli, count, counted, data_options, echo, hide_column_option, names


def _langs(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """--lang da, en or both (da,en): each one a language partnernet speaks, none twice."""
    found = names("give a language, e.g. --lang da or --lang da,en")(ctx, param, value) or []
    for lang in found:
        if lang not in LANGS:
            raise click.BadParameter(f"{lang!r} is not one of {', '.join(LANGS)} (two: --lang da,en)")
    if len(found) < len(value.split(",")):
        raise click.BadParameter(f"{value!r} names a language twice or is empty")
    return ",".join(found)


def _check(exact: bool, samples: int | None, date: str | None) -> None:
    """Usage errors before any data is read: --exact with --samples, and --date (checked by the library)."""
    if exact and samples is not None:
        raise click.UsageError("--exact and --samples exclude each other")
    if date is not None:
        from ..publish.options import build_date

        build_date(date)


def betweenness_options(f):
    f = click.option("--samples", type=count(2), metavar="K",
                     help="Estimate betweenness from K random sources (faster on large data).")(f)
    f = click.option("--exact", is_flag=True, help="Exact betweenness even on large data (slower).")(f)
    return f


@cli.command()
@data_options
@as_of_option
@click.option("--out", "-o", type=click.Path(file_okay=False), default=DEFAULT_SITE, show_default=True,
              help="Folder to write the site to (replaced as a whole; only a folder partnernet wrote is replaced).")
@click.option("--lang", callback=_langs, default=DEFAULT_LANG, show_default=True, metavar="da|en|da,en",
              help="Language of every page; two (da,en) write both, the second in a sub-folder (en/), "
                   "each page linked to its translation.")
@click.option("--title", help="Title of the site (default: 'Partnerskaber: kort, dækning og huller').")
@click.option("--org", metavar="NAME", help="Organisation name shown above the title.")
@click.option("--date", metavar="YYYY-MM-DD",
              help="Build date shown on the pages (default: SOURCE_DATE_EPOCH, else today); pin it for identical rebuilds.")
@click.option("--max-actor-pages", type=count(0), default=MAX_ACTOR_PAGES, show_default=True,
              help="Actors with a page of their own: all of them up to N, else the N with the highest betweenness.")
@click.option("--max-nodes", type=count(1), default=MAX_NODES, show_default=True,
              help="Nodes on the whole-network maps; above this the top nodes by betweenness are kept (stated on the page).")
@betweenness_options
@hide_column_option
@click.option("--previous", type=click.Path(exists=True), metavar="PATH",
              help="Data folder, workbook or membership list of the previous edition: adds a 'What changed' page and a changes section to each "
                   "partnership and actor page.")
@click.option("--previous-as-of", type=click.IntRange(*YEARS), metavar="YEAR",
              help="The previous edition as it stood in YEAR: the --previous data, or without --previous the "
                   "data itself.")
@click.option("--workers", type=count(1), metavar="N",
              help="Processes computing tables and writing pages (default: one per CPU, up to 8, for sites of "
                   "400 pages or more; never more than the CPUs or the tasks).")
def publish(run: Run, as_of, out, lang, title, org, date, max_actor_pages, max_nodes, exact, samples, hide_column,
            previous, previous_as_of, workers) -> None:
    """Publish the static intranet site: maps, coverage, gaps, pages and downloads.

    The folder works on any web server, under any sub-path, or opened straight
    from disk, with no internet access. It is built beside --out and swapped in,
    so a failed run leaves the previous site intact. The same data and --date
    give the same bytes.
    """
    from ..publish.options import PublishOptions
    from ..publish.run import publish as run_publish

    _check(exact, samples, date)
    dataset = run.dataset()
    run.as_of(as_of)
    if previous_as_of is not None:
        run.info(f"The previous edition as of {previous_as_of}")
    options = PublishOptions(out=out, lang=lang, title=title, org=org, date=date, max_actor_pages=max_actor_pages,
                             max_nodes=max_nodes, exact=exact, samples=samples, as_of=as_of,
                             workers=workers, previous=previous if previous is not None or previous_as_of is None
                             else run.source(), previous_as_of=previous_as_of, hide_columns=tuple(hide_column or ()))
    result = run_publish(run.source(), options, dataset=dataset, progress=run.progress())
    if workers is not None and result.workers < workers:
        run.info(f"--workers {workers}: {result.workers} used (at most one per CPU and per task)")
    if run.verbose:
        for stage, seconds in result.timings.items():
            run.info(f"  {stage:<10}{seconds:8.2f} s")
    capped = f" (top {result.actor_pages} of {result.actors} actors)" if result.actor_pages < result.actors else ""
    run.done(f"Site: {result.pages} pages{capped}, {result.files} files, {result.bytes / 1e6:.1f} MB in {out}")
    echo(f"Open {result.index}")


@cli.command()
@data_options
@as_of_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="gexf/graphml: the graph as one file; csv/json: a folder of tables; xlsx: one workbook.")
@click.option("--out", "-o", type=click.Path(), metavar="PATH",
              help="File (gexf, graphml, xlsx) or folder (csv, json) to write; default under output/.")
@click.option("--date", metavar="YYYY-MM-DD", help="Date written into GEXF (default: SOURCE_DATE_EPOCH, else today).")
@betweenness_options
def export(run: Run, as_of, fmt, out, date, exact, samples) -> None:
    """Write the site's downloads on their own, for Gephi, Cytoscape or spreadsheets.

    \b
    gexf     the graph for Gephi (default output/partnernet.gexf)
    graphml  the graph for Cytoscape, yEd, igraph (default output/partnernet.graphml)
    csv      validated input tables + received.csv + every metric table, Danish Excel CSV (default output/export-csv/)
    json     nodes, edges + every metric table as JSON (default output/export-json/)
    xlsx     every table as a sheet of one workbook, with a sheet describing the columns (default output/partnernet.xlsx)
    """
    from ..publish.run import export as run_export

    _check(exact, samples, date)
    dataset = run.dataset()
    run.as_of(as_of)
    result = run_export(run.source(), fmt, out, dataset=dataset, as_of=as_of, exact=exact,
                        samples=samples, date=date)
    run.done(f"Export: {counted(len(result.files), 'file')}, {result.bytes:,} bytes")
    echo(str(result.out))
