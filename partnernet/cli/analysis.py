"""Analysis commands: ``centrality``, ``coverage``, ``brokers``, ``communities``.

Each command loads the data (``--as-of`` slices it), calls one function of
:mod:`partnernet.metrics` and writes the table with ``--format``/``--out``.
"""

from __future__ import annotations

import click

from ..defaults import ACTOR_SORT, GRAPH_MODES, LEVELS, PARTNERSHIP_SORT, SEED
from .common import RESOLUTION_TYPE, SEED_TYPE, Run, cli, as_of_option, count, data_options, emit_table, table_options

_top = click.option("--top", type=count(1), metavar="N", help="Only the first N rows.")
_sector = click.option("--sector", metavar="NAME", help="Only actors of this sector, by id or label (ranks stay network-wide).")


def _seed(purpose: str):
    return click.option("--seed", type=SEED_TYPE, default=SEED, show_default=True, help=f"Random seed for {purpose}.")


@cli.command()
@data_options
@as_of_option
@table_options
@click.option("--graph", type=click.Choice(GRAPH_MODES), default="two-mode", show_default=True,
              help="two-mode: actors and partnerships; actors: the actor network (shared partnerships, ties).")
@click.option("--partnerships", is_flag=True, help="Rank the partnerships of the two-mode graph instead of the actors.")
@click.option("--sort", type=click.Choice(sorted({*ACTOR_SORT, *PARTNERSHIP_SORT})), default="betweenness",
              show_default=True, help="Measure to rank by (highest first).")
@_top
@_sector
@click.option("--samples", type=count(2), metavar="K",
              help="Approximate betweenness and closeness from K random sources.")
@click.option("--exact", is_flag=True, help="Exact betweenness and closeness even on large networks.")
@_seed("sampling")
def centrality(run: Run, as_of, fmt, out, graph, partnerships, sort, top, sector, samples, exact, seed) -> None:
    """Degree, betweenness, closeness, eigenvector and PageRank, one row per actor.

    Two-mode measures use Borgatti–Everett normalisation. Above 5,000 nodes
    betweenness and closeness are estimated from sampled sources unless
    --exact is given.
    """
    from ..graph import sectors_of
    from ..metrics import betweenness_samples, centrality_table, partnership_table, ranked

    if partnerships and (graph != "two-mode" or sector):
        raise click.UsageError("--partnerships ranks partnership nodes: it takes neither --graph actors nor --sector")
    g = run.graph(as_of)
    sector = run.sector(g, sector)
    if partnerships:
        frame = partnership_table(g, exact=exact, samples=samples, seed=seed)
    else:
        frame = centrality_table(g, graph=graph, exact=exact, samples=samples, seed=seed)
    table = ranked(frame, sort, top=top, sector=sector, sectors=sectors_of(g))
    k = betweenness_samples(g, graph=graph, exact=exact, samples=samples)
    note = None if k is None else f"betweenness and closeness: approximate, {k} samples (seed {seed}); use --exact for exact values"
    emit_table(run, fmt=fmt, out=out, frame=table, note=note)
    run.done(f"{frame.height} {'partnerships' if partnerships else 'actors'} ranked by {sort} ({graph} graph)")


@cli.command()
@data_options
@as_of_option
@table_options
@click.option("--level", type=click.Choice(LEVELS), default="sector", show_default=True,
              help="Count sectors, or quadruple-helix groups (public, private, civil society, knowledge).")
@click.option("--require", metavar="NAME,...", help="Sectors (groups) that should be present, by id or label; default: all.")
@click.option("--per-sector", is_flag=True, help="Network-wide table per sector: actors, partnerships, links, E-I index.")
@click.option("--matrix", is_flag=True, help="Sector × sector matrix of actor pairs that share a partnership.")
def coverage(run: Run, as_of, fmt, out, level, require, per_sector, matrix) -> None:
    """Sectors present and missing in each partnership, with coverage and diversity."""
    from ..metrics import coverage_table, mixing_table, sector_table

    if per_sector and matrix:
        raise click.UsageError("choose either --per-sector or --matrix")
    if (per_sector or matrix) and require is not None:
        raise click.UsageError("--require applies to the per-partnership table only")
    g = run.graph(as_of)
    if matrix:
        frame, what = mixing_table(g), "sectors (co-membership pairs)"
    elif per_sector:
        frame, what = sector_table(g), "sectors"
    else:
        wanted = None if require is None else run.require(g, level, require)
        frame, what = coverage_table(g, level=level, require=wanted), "partnerships"
    emit_table(run, fmt=fmt, out=out, frame=frame)
    run.done(f"{frame.height} {what}")


@cli.command()
@data_options
@as_of_option
@table_options
@_top
@_sector
def brokers(run: Run, as_of, fmt, out, top, sector) -> None:
    """Gould–Fernandez brokerage roles and Burt's constraint, ranked by cross-sector brokerage."""
    from ..graph import sectors_of
    from ..metrics import brokerage_table, ranked

    g = run.graph(as_of)
    sector = run.sector(g, sector)
    frame = brokerage_table(g)
    emit_table(run, fmt=fmt, out=out, frame=ranked(frame, "cross_sector", top=top, sector=sector, sectors=sectors_of(g)))
    run.done(f"{frame.height} actors ranked by cross-sector brokerage")


@cli.command()
@data_options
@as_of_option
@table_options
@_seed("Louvain")
@click.option("--resolution", type=RESOLUTION_TYPE, default=1.0, show_default=True,
              help="Above 1: smaller communities; below 1: larger ones.")
@click.option("--by-sector", is_flag=True, help="Community × sector cross table instead of one row per actor.")
def communities(run: Run, as_of, fmt, out, seed, resolution, by_sector) -> None:
    """Louvain communities of the actor network, with the partition's modularity."""
    from ..metrics import community_sector_table, community_table, modularity

    g = run.graph(as_of)
    table = community_sector_table if by_sector else community_table
    frame = table(g, seed=seed, resolution=resolution)
    q = modularity(g, seed=seed, resolution=resolution)
    shown = "n/a (no links)" if q != q else f"{q:.3f}"
    emit_table(run, fmt=fmt, out=out, frame=frame, note=f"modularity: {shown} (Louvain, seed {seed}, resolution {resolution:g})")
    run.done(f"{frame.height} {'communities' if by_sector else 'actors'}")
