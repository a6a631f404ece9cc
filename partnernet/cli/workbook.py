"""Commands for the analyst's formats: ``init`` (a starter workbook) and ``convert`` (list ⇄ nodes/edges)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import OptionError
from .common import Run, cli, counted, data_options, echo

DEFAULT_WORKBOOK = "partnernet.xlsx"


@cli.command()
@click.argument("path", required=False, default=DEFAULT_WORKBOOK, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def init(path: str, force: bool, quiet: bool) -> None:
    """Write a starter workbook (default partnernet.xlsx) to fill in.

    \b
    medlemskaber  one row per membership, with the bundled examples
    sektorer      the sector vocabulary (edit it to change the sectors)
    README        how to fill it in, in Danish and English
    The sector, role and type columns have drop-down lists. Use it with
    `partnernet validate --nodes partnernet.xlsx`, or put it in a folder and
    use --data FOLDER.
    """
    from ..export.workbook import starter_workbook
    from ..io.atomic import write_bytes
    from ..export.memberships import join_memberships
    from ..load import load, locate

    target = Path(path)
    if target.exists() and not force:
        raise OptionError(f"{path} exists already; choose another name or add --force to replace it")
    dataset = load(locate())
    rows = join_memberships(dataset)
    write_bytes(target, starter_workbook(rows, dataset.sectors))
    if not quiet:
        click.echo(f"Wrote {path}: {counted(rows.height, 'membership row')} from the bundled examples, "
                   f"{counted(len(dataset.sectors), 'sector')}", err=True)
    echo(str(target))


@cli.command()
@data_options
@click.option("--out", "-o", type=click.Path(), required=True, metavar="PATH",
              help="A folder for nodes.csv and edges.csv (from a membership list), or a .csv or .xlsx file for "
                   "the membership list (from nodes and edges).")
def convert(run: Run, out: str) -> None:
    """Turn a membership list into nodes.csv and edges.csv, or nodes and edges into a membership list.

    The input is validated first. From a membership list (--memberships,
    memberships.csv or a workbook's membership sheet) the output is a folder
    with nodes.csv, edges.csv (and sectors.csv when one was read), as
    validated, in the Danish Excel dialect. From nodes and edges the output
    is one membership list: .xlsx as `partnernet init` writes it, otherwise
    Danish Excel CSV. Direct ties between actors cannot be written as a list.
    """
    from ..export.tables import csv_bytes, input_tables
    from ..io.atomic import write_bytes
    from ..export.memberships import join_memberships
    from ..io.memberships import MEMBERSHIPS_FILE

    dataset = run.dataset()
    if any(r.name == MEMBERSHIPS_FILE for r in dataset.received):
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise OptionError(f"--out {out}: a membership list converts to a folder (nodes.csv, edges.csv), "
                              "and this is a file")
        files = input_tables(dataset)
        for name, data in files.items():
            write_bytes(folder / name, data)
        run.done(f"Wrote {', '.join(files)} in {out}")
        echo(str(folder))
        return
    rows = join_memberships(dataset, id_from=run.id_from)
    if Path(out).suffix.lower() == ".xlsx":
        from ..export.workbook import starter_workbook

        data = starter_workbook(rows, dataset.sectors)
    else:
        data = csv_bytes(rows, excel=True)
    write_bytes(Path(out), data)
    run.done(f"Wrote {out}: {counted(rows.height, 'row')}")
    echo(out)
