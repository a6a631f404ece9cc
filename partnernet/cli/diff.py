"""The ``diff`` command: what changed between two snapshots of the data.

OLD and NEW are data folders, workbooks or membership lists
(:func:`partnernet.load.locate_snapshot`); without them the data options' one data set is
compared with itself at two years (``--as-of-old``, ``--as-of-new``). The
comparison is :func:`partnernet.metrics.diff.diff`; this module only loads
both snapshots, prints the summary and writes the tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..defaults import DIFF_MEASURE, DIFF_MEASURES, DIFF_MOVERS, DIFF_TABLES, GAPS_TOP, LANGS, MATCH_BY, YEARS
from .common import RUN, Run, cli, count, data_options, emit_table, print_warnings, table_options, write_problems

_YEAR = click.IntRange(*YEARS)
_SNAPSHOT = click.Path(exists=True)


@cli.command()
@click.argument("old", required=False, type=_SNAPSHOT)
@click.argument("new", required=False, type=_SNAPSHOT)
@data_options
@table_options
@click.option("--as-of-old", type=_YEAR, metavar="YEAR", help="The older snapshot as it stood in YEAR.")
@click.option("--as-of-new", type=_YEAR, metavar="YEAR", help="The newer snapshot as it stood in YEAR.")
@click.option("--match-by", type=click.Choice(MATCH_BY), default="id", show_default=True,
              help="Match actors and partnerships by id, or by normalised label (data without stable ids).")
@click.option("--renames", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
              help="CSV with the columns old,new: ids that changed between the snapshots.")
@click.option("--table", "which", type=click.Choice(("all", *DIFF_TABLES)), default="all", show_default=True,
              help="The table to write (csv and json hold one table: choose it).")
@click.option("--measure", type=click.Choice(DIFF_MEASURES), default=DIFF_MEASURE, show_default=True,
              help="Centrality measure of the movers (the same in both snapshots).")
@click.option("--movers", type=count(1), default=DIFF_MOVERS, show_default=True, metavar="N",
              help="The N largest rises and N largest falls in rank.")
@click.option("--suggestions-top", type=count(1), default=GAPS_TOP, show_default=True, metavar="N",
              help="A new member counts as suggested when it was among the older snapshot's first N.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Language of the summary.")
def diff(run: Run, old, new, fmt, out, as_of_old, as_of_new, match_by, renames, which, measure, movers,
         suggestions_top, lang) -> None:
    """What changed from OLD to NEW (data folders, workbooks or membership lists), or in the data between --as-of-old and --as-of-new.

    \b
    Tables: partnerships (added, removed, changed), members (joined, left,
    new roles), actors (added, removed, new label, sector or type), coverage
    (sectors gained and lost), suggestions (new members from missing sectors
    that the older suggestions named, with their rank) and centrality (the
    largest moves in rank). The summary paragraph goes first in the text table,
    to stderr with csv and json.
    """
    from ..graph import load_graph
    from ..load import read_renames
    from ..metrics.diff import diff as compare
    from ..metrics.identity import Where, match_snapshots
    from ..text import summary_text

    if (old is None) != (new is None):
        raise click.UsageError("give both OLD and NEW data folders, or neither (then --as-of-old and --as-of-new "
                               "compare the data with itself)")
    if old is None and (as_of_old is None or as_of_new is None):
        raise click.UsageError("give OLD and NEW data folders, or --as-of-old YEAR and --as-of-new YEAR")
    if old is not None and (run.data or run.nodes or run.edges or run.memberships):
        raise click.UsageError("OLD and NEW are the data: leave out --data, --nodes, --edges and --memberships")
    if fmt != "table" and which == "all":
        raise click.UsageError(f"--format {fmt} writes one table: choose it with --table "
                               f"({', '.join(DIFF_TABLES)})")
    if old is None:
        dataset = run.dataset()
        sides = [(run, dataset), (run, dataset)]
    else:
        sides = _both(run, _side(run, old), _side(run, new))
    (r_old, d_old), (r_new, d_new) = sides
    run.vocabulary = d_new.sectors
    for side, year in (("old", as_of_old), ("new", as_of_new)):
        if year is not None:
            run.info(f"The {side} snapshot as of {year}: only partnerships and memberships active in {year}")
    g_old = load_graph(r_old.source(), dataset=d_old, as_of=as_of_old)
    g_new = load_graph(r_new.source(), dataset=d_new, as_of=as_of_new)
    file, rename_rows = read_renames(renames) if renames else ("", ())
    matching = match_snapshots(g_old, g_new, by=match_by, renames=rename_rows, renames_file=file,
                               where_old=Where.of(d_old), where_new=Where.of(d_new))
    if not run.quiet:
        print_warnings(list(matching.warnings), run.verbose)
    run.warnings += len(matching.warnings)
    result = compare(g_old, g_new, matching=matching, measure=measure, movers=movers,
                     suggestions_top=suggestions_top)
    summary = summary_text(result.counts, lang)
    tables = result.tables()
    if which == "all":
        emit_table(run, fmt=fmt, out=out, frame=tables["partnerships"], title=summary,
                   sections=[(name, tables[name]) for name in DIFF_TABLES])
    else:
        emit_table(run, fmt=fmt, out=out, frame=tables[which], note=summary if fmt != "table" else None,
                   title=summary if fmt == "table" else None)
    run.done()


def _side(run: Run, path: str) -> Run:
    """A run reading ``path`` with the options of ``run`` (quiet, verbose; --errors is written for both).

    A folder is read as ``--data``, a workbook as ``--nodes``, another file as
    ``--memberships``, as :func:`partnernet.load.locate_snapshot` does.
    """
    from ..io.workbook import is_workbook

    where = ({"data": path} if Path(path).is_dir() else {"nodes": path} if is_workbook(path)
             else {"memberships": path})
    side = Run(**where, sectors=run.sectors, quiet=run.quiet, verbose=run.verbose, sheets=run.sheets,
               id_from=run.id_from, merge_duplicates=run.merge_duplicates)
    side.started = run.started
    return side


def _both(run: Run, old: Run, new: Run) -> list[tuple[Run, Any]]:
    """Both snapshots' datasets, every problem of both reported at once (and written to --errors)."""
    from ..errors import DataError

    click.get_current_context().meta[RUN] = run
    problems, sides = [], []
    for side in (old, new):
        try:
            sides.append((side, side.dataset()))
        except DataError as exc:
            problems += exc.problems
    click.get_current_context().meta[RUN] = run
    run.warnings = sum(side.warnings for side, _ in sides)
    if run.errors:
        write_problems(run.errors, problems or [w for _, d in sides for w in d.warnings])
    if problems:
        raise DataError(problems)
    return sides
