"""The page of one partnership: facts, its map, members, sectors present and missing, candidates."""

from __future__ import annotations

from typing import Any

from ... import schema
from .changes import partnership_changes
from .context import SiteContext, value_key
from .model import Cell, Column, Fact, Link, MapSpec, Page, Section, Table
from .suggestions import candidate_columns, candidate_row, split_candidates, suggestion_links


def partnership_page(site: SiteContext, pid: str) -> Page:
    """One partnership: facts, its map, members, sectors present and missing, candidates."""
    g = site.g
    label = site.label(pid)
    mem = site.by_label(site.members(pid))
    cov = site.coverage.get(pid, {})
    pr = site.part_rows.get(pid, {})
    present = list(zip(cov.get("present") or [], cov.get("counts") or []))
    missing = list(cov.get("missing") or [])

    facts = [Fact(site.t("col.members"), site.num(len(mem))),
             Fact(site.t("col.sectors"), site.num(len(present)))]
    if cov.get("coverage") is not None:
        facts.append(site.fact("col.coverage", site.percent(cov.get("coverage"))))
    if cov.get("diversity") is not None:
        facts.append(site.fact("col.diversity", site.num(cov.get("diversity"), 2)))
    if cov.get("helix_complete") is not None:
        facts.append(site.fact("col.helix", site.t("yes") if cov.get("helix_complete") else site.t("no")))
    if site.period(pid):
        facts.append(Fact(site.t("col.period"), site.period(pid)))
    for m in ("betweenness", "degree", "closeness"):
        if pr.get(m) is not None:
            facts.append(site.fact(f"measure.{m}", site.num(pr.get(m))))

    member_rows = []
    links = g.adj[pid]
    edge_cols, edge_cells = site.edge_columns([(a, pid) for a in mem])
    for a, extra in zip(mem, edge_cells):
        member_rows.append((site.actor_cell(a), site.sector_cell(site.sector_of(a)),
                            site.text_cell(site.type_label(g.nodes[a].get(schema.TYPE))),
                            site.text_cell(site.role_label(links[a].get(schema.ROLE))),
                            site.num_cell(site.centrality.get(a, {}).get("partnerships")), *extra))
    members_table = Table("members", site.t("partnership.members"), _member_columns(site) + edge_cols,
                          tuple(member_rows), empty=site.t("table.empty"))

    counts = dict(present)
    unnamed = site.declared(pid)
    sector_rows = []
    for s in site.sector_ids:
        if s not in counts and s not in missing and s not in unnamed:
            continue  # not part of the reference (e.g. an unknown sector absent here)
        sector_rows.append(_sector_status_row(site, s, counts.get(s, 0), unnamed.get(s)))
    sector_table = Table("sectors", site.t("partnership.sectors"), _sector_columns(site), tuple(sector_rows),
                         empty=site.t("table.empty"))
    if missing:
        missing_text = site.t("partnership.missing.list", sectors=", ".join(site.sector_label(s) for s in missing))
    else:
        missing_text = site.t("partnership.no_missing")
    sections = [
        Section("facts", site.t("partnership.facts"), facts=tuple(facts), tiles=True),
        *site.columns_section(pid),
        Section("map", site.t("partnership.map"), map=MapSpec("network", partnership=pid)),
        Section("members", site.t("partnership.members"), tables=(members_table,)),
        Section("sectors", site.t("partnership.sectors"), text=(missing_text,), tables=(sector_table,)),
        candidates_section(site, pid),
        *partnership_changes(site, pid),
    ]
    sections[:0] = site.full_label_sections(pid)
    lead = site.t("partnership.lead", members=site.count("count.members", len(mem)),
                  sectors=site.count("count.sectors", len(present)))
    return Page(site.partnership_href(pid), "partnership", label, label, lead,
                site.crumbs(Link(site.t("nav.partnerships"), "partnerships.html")), tuple(sections),
                MapSpec("network", partnership=pid))


def _member_columns(site: SiteContext) -> tuple[Column, ...]:
    def make() -> tuple[Column, ...]:
        return (Column(site.t("col.actor")), Column(site.t("col.sector")), Column(site.t("col.type")),
                Column(site.t("col.role")), Column(site.t("col.partnerships"), True))

    return site.memo(("columns", "members"), make)


def _sector_columns(site: SiteContext) -> tuple[Column, ...]:
    def make() -> tuple[Column, ...]:
        return (Column(site.t("col.sector")), Column(site.t("col.group")), Column(site.t("col.members"), True),
                Column(site.t("col.status")))

    return site.memo(("columns", "sectors"), make)


def _sector_status_row(site: SiteContext, sid: str, n: Any, unnamed: int | None = None) -> tuple[Cell, ...]:
    """A row of a partnership's sector table: the same for every partnership with ``n`` members
    (and ``unnamed`` declared unnamed members) of the sector, so made once."""
    def make() -> tuple[Cell, ...]:
        if unnamed:
            status = site.text_cell(f'{site.t("partnership.present")} ({site.unnamed(unnamed)})', sort=1)
        elif n:
            status = site.text_cell(site.t("partnership.present"), sort=1)
        else:
            status = site.text_cell(site.t("partnership.missing"), sort=0, cls="status-missing")
        return (site.sector_cell(sid), site.text_cell(site.group_label(site.group_of(sid))), site.num_cell(n), status)

    return site.memo(("sector-row", sid, value_key(n), unnamed), make)


def candidates_section(site: SiteContext, pid: str) -> Section:
    """The actors to invite for each missing sector (the gaps table), best first; candidates with no link
    to the members apart, as "same sector only"."""
    order = site.sector_order
    top = site.options.candidates
    gaps = sorted(site.gaps.get(pid), key=lambda r: (order.get(r.get("sector"), len(order)),
                                                        r.get("rank") or 0, str(r.get("candidate"))))
    linked, only, none = split_candidates([r for r in gaps if r.get("rank") is None or r["rank"] <= top])
    columns = candidate_columns(site, partnership=False)
    rows = [candidate_row(site, site.sector_cell(r.get("sector")), r) for r in linked]
    for r in none:  # no actor of this sector in the data: a finding, shown as such
        empty = site.text_cell("")
        rows.append((site.sector_cell(r.get("sector")), empty, site.text_cell("–"),
                     Cell(str(r.get("reason_da" if site.lang == "da" else "reason_en") or "")), empty, empty, empty))
    tables = [] if only and not rows else [Table("candidates", site.t("partnership.candidates"), columns, tuple(rows),
                                                 empty=site.t("partnership.candidates.none"), row_header=False)]
    if only:
        tables.append(Table("candidates-only", site.t("partnership.candidates.only"), columns,
                            tuple(candidate_row(site, site.sector_cell(r.get("sector")), r) for r in only),
                            note=site.t("partnership.candidates.only.text"), row_header=False))
    return Section("candidates", site.t("partnership.candidates"), text=(site.t("partnership.candidates.text"),),
                   tables=tuple(tables), links=suggestion_links(site, pid))
