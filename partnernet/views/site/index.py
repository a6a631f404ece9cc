"""The index page: what the data is, the main map, the sectors, the coverage grid, top actors and brokers."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from ... import schema
from .context import MAP_PAGES, SiteContext, finite_float, value_key
from .model import Cell, Column, Fact, LegendItem, Link, MapSpec, Page, Section, Table

#: The index page embeds the network map up to this many nodes (actors + partnerships); above it the
#: sector map, saying so, with the link to maps/network.html: a large map is megabytes that would be
#: downloaded twice and would slow the front page for everyone.
INDEX_MAP_MAX_NODES: Final = 500


def index_page(site: SiteContext) -> Page:
    """The front page: what the data is, the main map, the sectors, the coverage grid, top actors and
    brokers."""
    g = site.g
    memberships = sum(1 for *_, r in g.edges(data=schema.RELATION) if r == schema.MEMBERSHIP)
    ties = g.number_of_edges() - memberships
    facts = []
    if site.options.source_note:
        facts.append(Fact(site.t("index.data"), site.options.source_note))
    if site.options.sources:
        facts.append(Fact(site.t("index.sources"), ", ".join(site.options.sources), "downloads.html"))
    facts.append(Fact(site.t("index.built"), site.options.date))
    facts.append(Fact(site.t("index.version"), site.options.version))
    if g.graph.get("as_of") is not None:
        facts.append(Fact(site.t("index.as_of"), str(g.graph["as_of"])))
    facts.append(Fact(site.t("index.counts"), site.t(
        "index.counts.value", actors=site.count("count.actors", len(site.actor_ids)),
        partnerships=site.count("count.partnerships", len(site.partnership_ids)),
        memberships=site.count("count.memberships", memberships), ties=site.count("count.ties", ties))))
    occurring = set(site.actor_sector.values())
    used = [s for s in site.sector_ids if s in occurring]
    facts.append(Fact(site.t("index.sectors_n"), site.count("index.sectors_n.value", len(site.sector_ids),
                                                            used=site.num(len(used))), "sectors.html"))
    if site.communities:
        n_comm = len({r.get("community") for r in site.communities.values() if r.get("community") is not None})
        mod = site.options.modularity
        facts.append(site.fact("index.communities",
                          site.num(n_comm) + (f" ({site.num(mod)})" if mod is not None else "")))
    k = site.options.betweenness_samples
    facts.append(Fact(site.t("index.betweenness"),
                      site.t("index.betweenness.exact") if k is None else site.count("index.betweenness.sampled", k)))
    facts.append(Fact(site.t("actor.list"), site.actor_pages_note(), "actors.html"))

    small = site.g.number_of_nodes() <= INDEX_MAP_MAX_NODES
    spec = MapSpec("network") if small else MapSpec("sectors")
    map_text = () if small else (site.t("index.map.sectors", nodes=site.count("count.nodes", site.g.number_of_nodes()),
                                        max=site.num(INDEX_MAP_MAX_NODES), link=site.t("nav.map.network")),)
    sections = [
        Section("about", site.t("index.about"), facts=tuple(facts)),
        Section("map", site.t("index.map"), text=map_text, map=spec,
                links=tuple(Link(site.t(f"nav.map.{v}"), f"maps/{v}.html") for v in MAP_PAGES)),
        Section("sectors", site.t("index.legend"), text=(site.t("index.legend.text"),), legend=legend(site)),
        Section("coverage", site.t("index.coverage"), text=(site.t("index.coverage.text"),),
                tables=(coverage_grid(site),)),
        top_actors_section(site),
        top_brokers_section(site),
        Section("pages", site.t("index.links"), links=tuple(
            Link(item.text, item.href) for item in site.nav()[1:]
        ) + tuple(Link(site.t(f"nav.map.{v}"), f"maps/{v}.html") for v in MAP_PAGES)),
    ]
    lead = site.t("index.lead")
    return Page("index.html", "index", site.title, site.title, lead, (), tuple(sections), spec)


def legend(site: SiteContext) -> tuple[LegendItem, ...]:
    """Every sector with its colour, page and number of actors."""
    counts = Counter(site.actor_sector[a] for a in site.actor_ids)
    return tuple(
        LegendItem(site.sector_label(s), site.sector_color(s), site.sector_href(s), counts.get(s, 0))
        for s in site.sector_ids
    )


def coverage_grid(site: SiteContext) -> Table:
    """Partnerships × sectors: members of each sector in each partnership (the largest partnerships when
    there are many)."""
    cols = [Column(site.t("col.partnership")), Column(site.t("col.members"), numeric=True)]
    for s in site.sector_ids:
        cols.append(Column(site.sector_label(s), numeric=True, color=site.sector_color(s)))
    cols.append(site.column("col.coverage", numeric=True))
    rows = []
    grid_cells: dict[tuple[str, Any], Cell] = {}  # one per sector and count: the same in many rows
    listed = site.largest(site.partnership_ids)
    for pid in site.by_label(listed):
        cov = site.coverage.get(pid, {})
        present = dict(zip(cov.get("present") or [], cov.get("counts") or []))
        unnamed = site.declared(pid)
        n_members = cov.get("members")
        if n_members is None:
            n_members = len(site.members(pid))
        row = [site.partnership_cell(pid), site.num_cell(n_members)]
        for s in site.sector_ids:
            n = present.get(s, 0)
            key = (s, value_key(n), unnamed.get(s) if not n else None)
            cell = grid_cells.get(key)
            if cell is None:
                cell = grid_cells[key] = _grid_cell(site, s, n, unnamed.get(s))
            row.append(cell)
        row.append(site.percent_cell(cov.get("coverage")))
        rows.append(tuple(row))
    return Table("coverage-grid", site.t("index.coverage.caption"), tuple(cols), tuple(rows), kind="grid",
                 note=site.capped_note(len(listed), len(site.partnership_ids), "list.capped.partnerships"),
                 empty=site.t("table.empty"))


def _grid_cell(site: SiteContext, sid: str, n: Any, unnamed: int | None = None) -> Cell:
    if not n and unnamed:  # present only through unnamed members the data declares
        return Cell(site.t("unnamed.cell", n=site.num(unnamed)), sort=unnamed, cls="cell-filled",
                    title=site.count("index.declared", unnamed, sector=site.sector_label(sid)),
                    color=site.sector_color(sid))
    if n:
        return Cell(site.num(n), sort=n, cls="cell-filled",
                    title=site.t("index.present", sector=site.sector_label(sid), members=site.count("count.members", n)),
                    color=site.sector_color(sid))
    return Cell("", sort=0, cls="cell-empty", title=site.t("index.missing", sector=site.sector_label(sid)))


def top_actor_ids(site: SiteContext, n: int) -> list[str]:
    """The ``n`` actors with the highest betweenness, then degree, then by id."""
    def key(a: str):
        r = site.centrality.get(a, {})
        return (-(finite_float(r.get("betweenness")) or 0.0), -(finite_float(r.get("degree")) or 0.0), a)

    return sorted(site.actor_ids, key=key)[:n]


def top_actors_section(site: SiteContext) -> Section:
    """The table of the most central actors."""
    ids = top_actor_ids(site, site.options.top)
    table = site.actor_measure_table("top-actors", site.t("index.top_actors"), ids)
    return Section("top-actors", site.t("index.top_actors"), text=(site.count("index.top_actors.text", len(ids)),),
                   tables=(table,), links=(Link(site.t("actor.list"), "actors.html"),))


def top_broker_ids(site: SiteContext, n: int) -> list[str]:
    """The ``n`` actors with the most cross-sector brokerage (none without any)."""
    def key(a: str):
        r = site.brokerage.get(a, {})
        return (-(finite_float(r.get("cross_sector")) or 0.0), -(finite_float(r.get("total")) or 0.0), a)

    return [a for a in sorted(site.brokerage, key=key) if (finite_float(site.brokerage[a].get("cross_sector")) or 0) > 0][:n]


def top_brokers_section(site: SiteContext) -> Section:
    """The table of the actors that broker most across sectors."""
    ids = top_broker_ids(site, site.options.top)
    cols = (Column(site.t("col.actor")), Column(site.t("col.sector")),
            site.column("broker.cross_sector", True), Column(site.t("broker.total"), True),
            Column(site.t("broker.role")))
    rows = []
    for a in ids:
        r = site.brokerage[a]
        rows.append((site.actor_cell(a), site.sector_cell(site.sector_of(a)),
                     site.num_cell(r.get("cross_sector")), site.num_cell(r.get("total")),
                     Cell(site.main_role(r))))
    table = Table("top-brokers", site.t("index.top_brokers"), cols, tuple(rows), empty=site.t("table.empty"))
    return Section("top-brokers", site.t("index.top_brokers"),
                   text=(site.count("index.top_brokers.text", len(ids)),), tables=(table,))
