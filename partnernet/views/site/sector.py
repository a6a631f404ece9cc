"""The page of one sector: facts, its actors, the partnerships it is in and those it is absent from,
whom it works with."""

from __future__ import annotations

from .context import DIGITS, SiteContext
from .model import Column, Fact, Link, Page, Section, Table


def sector_page(site: SiteContext, sid: str) -> Page:
    """One sector: facts, its actors, the partnerships it is in and absent from, its mixing."""
    label = site.sector_label(sid)
    r = site.sector_rows.get(sid, {})
    group = r.get("group") or site.group_of(sid)
    actors = site.by_label([a for a in site.actor_ids if site.actor_sector[a] == sid])
    facts = [Fact(site.t("col.group"), site.group_label(group)),
             Fact(site.t("col.actors"), site.num(len(actors)))]
    for key, col, digits in (("partnerships", "col.partnerships", DIGITS), ("internal", "col.internal", DIGITS),
                             ("external", "col.external", DIGITS), ("ei_index", "col.ei", 2)):
        if r.get(key) is not None:
            facts.append(site.fact(col, site.num(r.get(key), digits)))

    listed = site.by_label(site.most_central(actors))
    actor_table = site.actor_measure_table("sector-actors", site.t("sector.actors"), listed)
    actor_table = Table(actor_table.id, actor_table.caption,
                        tuple(c for i, c in enumerate(actor_table.columns) if i != 1),
                        tuple(tuple(c for i, c in enumerate(row) if i != 1) for row in actor_table.rows),
                        note=site.capped_note(len(listed), len(actors), "list.capped.actors"),
                        empty=site.t("table.empty"))
    inside, absent = [], []
    for pid in site.partnership_ids:
        cov = site.coverage.get(pid, {})
        present = [*(cov.get("present") or []), *(cov.get("declared") or [])]  # named or declared unnamed
        (inside if sid in present else absent).append(pid)
    in_rows = []
    for pid in site.by_label(site.largest(inside)):
        cov = site.coverage.get(pid, {})
        present = dict(zip(cov.get("present") or [], cov.get("counts") or []))
        count = site.num_cell(present[sid]) if sid in present else site.text_cell(
            site.unnamed(site.declared(pid)[sid]), sort=0)
        in_rows.append((site.partnership_cell(pid), count, site.num_cell(cov.get("members"))))
    in_table = Table("sector-in", site.t("sector.in"),
                     (Column(site.t("col.partnership")), Column(label, True), Column(site.t("col.members"), True)),
                     tuple(in_rows), note=site.capped_note(len(in_rows), len(inside), "list.capped.partnerships"),
                     empty=site.t("sector.in.none"))
    absent_rows = tuple((site.partnership_cell(p), site.num_cell(site.coverage.get(p, {}).get("members")))
                        for p in site.by_label(site.largest(absent)))
    absent_table = Table("sector-absent", site.t("sector.absent"),
                         (Column(site.t("col.partnership")), Column(site.t("col.members"), True)), absent_rows,
                         note=site.capped_note(len(absent_rows), len(absent), "list.capped.partnerships"),
                         empty=site.t("sector.absent.none"))
    mix = site.mixing.get(sid, {})
    mix_rows = tuple((site.sector_cell(o), site.num_cell(mix.get(o))) for o in site.sector_ids
                     if o in mix and mix.get(o) is not None)
    mix_table = Table("sector-mix", site.t("sector.mixing"),
                      (Column(site.t("col.sector")), Column(site.t("col.count"), True)), mix_rows,
                      empty=site.t("table.empty"))
    sections = [
        Section("facts", site.t("sector.facts"), facts=tuple(facts), text=(site.t("sector.ei.text"),), tiles=True),
        Section("actors", site.t("sector.actors"), tables=(actor_table,)),
        Section("in", site.t("sector.in"), tables=(in_table,)),
        Section("absent", site.t("sector.absent"), tables=(absent_table,)),
        Section("mixing", site.t("sector.mixing"), text=(site.t("sector.mixing.text"),), tables=(mix_table,)),
    ]
    return Page(site.sector_href(sid), "sector", label, label, site.t("sector.lead", group=site.group_label(group)),
                site.crumbs(Link(site.t("nav.sectors"), "sectors.html")), tuple(sections))
