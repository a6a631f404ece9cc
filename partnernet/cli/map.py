"""The ``map`` command: one self-contained, offline, interactive HTML network map."""

from __future__ import annotations

import click

from ..defaults import COLOR_BY, DEFAULT_LANG, LANGS, MAP_OUT, MAX_NODES, SIZE_BY, VIEWS
from .common import Run, cli, as_of_option, count, data_options, echo, hide_column_option


@cli.command("map")
@data_options
@as_of_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=MAP_OUT, show_default=True,
              help="HTML file to write (UTF-8, no external resources).")
@click.option("--view", type=click.Choice(VIEWS), default="network", show_default=True,
              help="network: actors and partnerships; actors: the actor network; sectors: one node per sector.")
@click.option("--partnership", metavar="NAME", help="Map one partnership (id or label), its members, their other partnerships and its missing sectors.")
@click.option("--actor", metavar="NAME", help="Map the network around one actor, by id or label (see --depth).")
@click.option("--depth", type=count(1), default=1, show_default=True, help="Steps from --actor.")
@click.option("--sector", metavar="NAME", multiple=True, help="Only actors of this sector (id or label; repeatable).")
@click.option("--color-by", type=click.Choice(COLOR_BY), default="sector", show_default=True, help="Node colour.")
@click.option("--size-by", type=click.Choice(SIZE_BY), default="betweenness", show_default=True, help="Node size.")
@click.option("--max-nodes", type=count(1), default=MAX_NODES, show_default=True,
              help="Above this, keep the nodes with the highest --size-by measure (stated on the page).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True, help="Language of the page.")
@click.option("--title", help="Page title (default: depends on the view).")
@click.option("--caption", help="A line of text under the title.")
@hide_column_option
def map_command(run: Run, as_of, out, view, partnership, actor, depth, sector, color_by, size_by, max_nodes, lang, title,
                caption, hide_column) -> None:
    """Write an interactive network map as one self-contained HTML file.

    The file works offline (double-click or an intranet server): vis-network
    and all scripts and styles are inside it. Positions are computed here with
    a fixed seed, so the same data gives the same file.
    """
    from ..render.map import write_map
    from ..views.map import map_view

    view_model = map_view(run.graph(as_of), view=view, partnership=partnership, actor=actor, depth=depth,
                          sector=list(sector) or None, color_by=color_by, size_by=size_by, max_nodes=max_nodes,
                          lang=lang, title=title, caption=caption, hide_columns=hide_column or ())
    path = write_map(view_model, out)
    echo(str(path))
    capped = f" (top {max_nodes} of {view_model.total_nodes})" if view_model.capped else ""
    run.done(f"Map: {len(view_model.nodes)} nodes{capped}, {len(view_model.edges)} links")
