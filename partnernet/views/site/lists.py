"""The overview pages: all partnerships, all sectors (and their mixing), the actors with a page, the
maps and each map page, the downloads."""

from __future__ import annotations

from ... import schema
from ...text import format_number
from .context import MAP_PAGES, SiteContext
from .model import Cell, Column, Link, MapSpec, Page, Section, Table


def partnerships_page(site: SiteContext) -> Page:
    """Every partnership with its size, sectors, missing sectors, coverage and period."""
    cols = (Column(site.t("col.partnership")), Column(site.t("col.members"), True),
            Column(site.t("col.sectors"), True), Column(site.t("partnership.missing")),
            site.column("col.coverage", True), site.column("col.diversity", True),
            site.column("measure.betweenness", True), Column(site.t("col.period")))
    rows = []
    for pid in site.by_label(site.partnership_ids):
        cov = site.coverage.get(pid, {})
        pr = site.part_rows.get(pid, {})
        missing = cov.get("missing") or []
        n_members = cov.get("members", pr.get("members"))
        n_sectors = len(cov.get("present") or []) if cov else pr.get("sectors")
        rows.append((site.partnership_cell(pid), site.num_cell(n_members), site.num_cell(n_sectors),
                     Cell(", ".join(site.sector_label(s) for s in missing), sort=len(missing)),
                     site.percent_cell(cov.get("coverage")), site.num_cell(cov.get("diversity"), 2),
                     site.num_cell(pr.get("betweenness")), Cell(site.period(pid))))
    table = Table("partnerships", site.t("partnership.list"), cols, tuple(rows), empty=site.t("table.empty"))
    return Page("partnerships.html", "partnerships", site.t("nav.partnerships"), site.t("partnership.list"),
                site.t("partnership.list.text"), site.crumbs(),
                (Section("partnerships", site.t("nav.partnerships"), tables=(table,)),))


def sectors_page(site: SiteContext) -> Page:
    """Every sector with its group, counts and E-I index; the sector mixing matrix."""
    cols = (Column(site.t("col.sector")), Column(site.t("col.group")), Column(site.t("col.actors"), True),
            Column(site.t("col.partnerships"), True), Column(site.t("col.internal"), True),
            Column(site.t("col.external"), True), site.column("col.ei", True))
    rows = []
    for s in site.sector_ids:
        r = site.sector_rows.get(s, {})
        group = r.get("group") or site.group_of(s)
        rows.append((site.sector_cell(s), Cell(site.group_label(group)), site.num_cell(r.get("actors")),
                     site.num_cell(r.get("partnerships")), site.num_cell(r.get("internal")),
                     site.num_cell(r.get("external")), site.num_cell(r.get("ei_index"), 2)))
    table = Table("sectors", site.t("sector.list"), cols, tuple(rows), note=site.t("sector.ei.text"),
                  empty=site.t("table.empty"))
    sections = [Section("sectors", site.t("nav.sectors"), tables=(table,))]
    if site.mixing:
        sections.append(Section("mixing", site.t("sector.mixing_all"), text=(site.t("sector.mixing_all.text"),),
                                tables=(mixing_matrix(site),)))
    return Page("sectors.html", "sectors", site.t("nav.sectors"), site.t("sector.list"),
                site.t("sector.list.text"), site.crumbs(), tuple(sections))


def mixing_matrix(site: SiteContext) -> Table:
    """Sectors × sectors: how often members of the two share a partnership."""
    present = [s for s in site.sector_ids if s in site.mixing]
    cols = (Column(site.t("col.sector")),) + tuple(
        Column(site.sector_label(s), numeric=True, color=site.sector_color(s)) for s in present)
    rows = []
    for s in present:
        r = site.mixing[s]
        rows.append((site.sector_cell(s),) + tuple(site.num_cell(r.get(o)) for o in present))
    return Table("sector-mixing", site.t("sector.mixing_all"), cols, tuple(rows), kind="matrix",
                 empty=site.t("table.empty"))


def actors_page(site: SiteContext) -> Page:
    """The actors that have a page, with their measures."""
    ids = site.by_label(site.page_actors)
    extra_cols = (Column(site.t("col.type")), site.column("col.community", True),
                  site.column("broker.cross_sector", True))
    base = site.actor_measure_table("actors", site.t("actor.list"), ids)
    rows = []
    for a, row in zip(ids, base.rows):
        d = site.g.nodes[a]
        comm = site.communities.get(a, {}).get("community")
        br = site.brokerage.get(a, {})
        rows.append(row[:2] + (Cell(site.type_label(d.get(schema.TYPE))), site.num_cell(comm),
                               site.num_cell(br.get("cross_sector"))) + row[2:])
    cols = base.columns[:2] + extra_cols + base.columns[2:]
    table = Table("actors", site.t("actor.list"), cols, tuple(rows), empty=site.t("table.empty"))
    return Page("actors.html", "actors", site.t("nav.actors"), site.t("actor.list"), site.actor_pages_note(),
                site.crumbs(), (Section("actors", site.t("nav.actors"), tables=(table,)),))


def maps_page(site: SiteContext) -> Page:
    """The list of maps."""
    rows = tuple((Cell(site.t(f"nav.map.{v}"), href=f"maps/{v}.html"), Cell(site.t(f"subtitle.{v}")))
                 for v in MAP_PAGES)
    table = Table("maps", site.t("maps.title"), (Column(site.t("col.map")), Column(site.t("col.content"))), rows)
    return Page("maps.html", "maps", site.t("maps.title"), site.t("maps.title"), site.t("maps.text"),
                site.crumbs(), (Section("maps", site.t("maps.title"), tables=(table,)),))


def map_page(site: SiteContext, view: str) -> Page:
    """One of :data:`~partnernet.views.site.context.MAP_PAGES` on a page of its own."""
    title = site.t(f"nav.map.{view}")
    return Page(f"maps/{view}.html", "map", title, title, site.t(f"subtitle.{view}"),
                site.crumbs(Link(site.t("nav.maps"), "maps.html")),
                (Section("map", title, map=MapSpec(view)),), MapSpec(view))


def downloads_page(site: SiteContext) -> Page:
    """The downloadable files, by group (input, tables, graph)."""
    sections = []
    for group in ("input", "tables", "graph"):
        files = [d for d in site.downloads if d.group == group]
        if not files:
            continue
        cols = (Column(site.t("col.file")), Column(site.t("col.content")), Column(site.t("col.format")),
                Column(site.t("col.size"), True))
        rows = tuple(
            (Cell(d.name, href=f"downloads/{d.name}", sort=d.name), Cell(d.description), Cell(d.format),
             Cell(_size(d.size, site.lang), sort=d.size, cls="num"))
            for d in files
        )
        table = Table(f"downloads-{group}", site.t(f"downloads.{group}"), cols, rows, empty=site.t("table.empty"))
        sections.append(Section(f"downloads-{group}", site.t(f"downloads.{group}"), tables=(table,)))
        if group == "input" and site.options.received:
            sections.append(_received_section(site))
    if site.suggestion_ids:
        sections.append(Section("downloads-suggestions", site.t("downloads.suggestions"),
                                text=(site.t("downloads.suggestions.text"),),
                                links=(Link(site.t("nav.suggestions"), "suggestions.html"),)))
    return Page("downloads.html", "downloads", site.t("downloads.title"), site.t("downloads.title"),
                site.t("downloads.lead"), site.crumbs(),
                (Section("about-files", site.t("downloads.about"), text=(site.t("downloads.text"),)), *sections))



def _received_section(site: SiteContext) -> Section:
    """The files the input tables were read from: name, size in bytes and SHA-256, so a reader can check them."""
    cols = (Column(site.t("col.file")), Column(site.t("col.content")), Column(site.t("col.size"), True),
            Column(site.t("col.sha256")))
    rows = tuple((Cell(r.file), Cell(r.name), Cell(f"{format_number(r.size, site.lang)} B", sort=r.size, cls="num"),
                  Cell(r.sha256)) for r in site.options.received)
    table = Table("downloads-received", site.t("downloads.received"), cols, rows, empty=site.t("table.empty"))
    return Section("downloads-received", site.t("downloads.received"), text=(site.t("downloads.received.text"),),
                   tables=(table,))


def _size(n: int, lang: str) -> str:
    if n < 1024:
        return f"{format_number(n, lang)} B"
    if n < 1024 * 1024:
        return f"{format_number(round(n / 1024, 1), lang, 1)} KB"
    return f"{format_number(round(n / 1024 / 1024, 1), lang, 1)} MB"
