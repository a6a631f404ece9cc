"""The page of one actor: facts, its ego map, its partnerships, its partners, its measures and brokerage roles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from ... import schema
from .changes import actor_changes
from .context import BROKER_ROLES, SiteContext
from .model import Column, Fact, Link, MapSpec, Page, Section, Table

#: Partners listed on an actor page (those sharing the most partnerships; the page says so).
MAX_PARTNER_ROWS: Final = 200
ACTOR_MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")


def actor_page(site: SiteContext, aid: str) -> Page:
    """One actor: facts, its ego map (bounded: :func:`partnernet.views.select.ego_nodes`), its
    partnerships, its partners, its measures and brokerage."""
    g = site.g
    d = g.nodes[aid]
    label = site.label(aid)
    sid = d.get(schema.SECTOR)
    parts = site.memberships(aid)
    part_rows = []
    own = g.adj[aid]
    ordered = site.by_label(parts)
    edge_cols, edge_cells = site.edge_columns([(aid, p) for p in ordered])
    for p, extra in zip(ordered, edge_cells):
        cov = site.coverage.get(p, {})
        part_rows.append((site.partnership_cell(p), site.text_cell(site.role_label(own[p].get(schema.ROLE))),
                          site.num_cell(cov.get("members", len(site.members(p)))), *extra))
    part_table = Table("actor-partnerships", site.t("actor.partnerships"),
                       (Column(site.t("col.partnership")), Column(site.t("col.role")),
                        Column(site.t("col.members"), True), *edge_cols), tuple(part_rows),
                       empty=site.t("table.empty"))

    shared: Counter = Counter()
    for p in parts:
        shared.update(site.members(p))
    shared.pop(aid, None)
    kinds = site.kinds
    ties = {m: d.get(schema.WEIGHT) for m, d in g.adj[aid].items() if kinds.get(m) == schema.ACTOR}
    partners = set(shared) | set(ties)
    n_partners = len(partners)
    note = None
    if n_partners > MAX_PARTNER_ROWS:
        partners = _most_shared(partners, shared, ties, site.by_label)
        note = site.t("actor.partners.capped", n=site.num(MAX_PARTNER_ROWS), total=site.count("count.partners", n_partners))
    tie, no_tie = site.text_cell(site.t("yes"), sort=1), site.text_cell("", sort=0)
    partner_rows = []
    for m in site.by_label(partners):
        partner_rows.append((site.actor_cell(m), site.sector_cell(site.sector_of(m)),
                             site.num_cell(shared.get(m, 0)), tie if m in ties else no_tie))
    partner_table = Table("actor-partners", site.t("actor.partners"),
                          (Column(site.t("col.actor")), Column(site.t("col.sector")),
                           Column(site.t("col.partnerships"), True), Column(site.t("col.tie"))),
                          tuple(partner_rows), note=note, empty=site.t("table.empty"))

    c = site.centrality.get(aid, {})
    measures = [Fact(site.t("col.partnerships"), site.num(c.get("partnerships", len(parts)))),
                Fact(site.t("col.partners"), site.num(c.get("partners", n_partners)))]
    measures += [site.fact(f"measure.{m}", site.num(c.get(m))) for m in ACTOR_MEASURES if c.get(m) is not None]
    comm = site.communities.get(aid, {}).get("community")
    if comm is not None:
        measures.append(site.fact("col.community", site.num(comm)))
    b = site.brokerage.get(aid, {})
    broker_facts = [Fact(site.t("broker.role"), site.main_role(b))] if b else []
    for key in (*BROKER_ROLES, "total", "cross_sector"):
        if b.get(key) is not None:
            broker_facts.append(Fact(site.t(f"broker.{key}"), site.num(b.get(key))))
    for key in ("constraint", "effective_size"):
        if b.get(key) is not None:
            broker_facts.append(Fact(site.t(f"broker.{key}"), site.num(b.get(key))))

    facts = [Fact(site.t("col.sector"), site.sector_label(sid), site.sector_href(sid))]
    if d.get(schema.TYPE):
        facts.append(Fact(site.t("col.type"), site.type_label(d.get(schema.TYPE))))
    if site.period(aid):
        facts.append(Fact(site.t("col.period"), site.period(aid)))
    sections = [
        Section("facts", site.t("actor.facts"), facts=tuple(facts), tiles=True),
        *site.columns_section(aid),
        Section("map", site.t("actor.map"), map=MapSpec("network", actor=aid)),
        Section("partnerships", site.t("actor.partnerships"), tables=(part_table,)),
        Section("partners", site.t("actor.partners"), text=(site.t("actor.partners.text", label=label),),
                tables=(partner_table,)),
        Section("measures", site.t("actor.measures"), facts=tuple(measures), tiles=True),
    ]
    sections[:0] = site.full_label_sections(aid)
    sections += actor_changes(site, aid)
    if broker_facts:
        sections.append(Section("brokerage", site.t("actor.brokerage"), text=(site.t("actor.brokerage.text"),),
                                facts=tuple(broker_facts), tiles=True))
    lead_parts = [site.sector_label(sid)]
    if d.get(schema.TYPE):
        lead_parts.append(site.type_label(d.get(schema.TYPE)))
    return Page(site.actor_href(aid), "actor", label, label, " · ".join(lead_parts),
                site.crumbs(Link(site.t("nav.actors"), "actors.html")), tuple(sections), MapSpec("network", actor=aid))



def _most_shared(partners: set[str], shared: Mapping[str, int], ties: Mapping[str, Any],
                 by_label: Callable[[Iterable[str]], list[str]]) -> set[str]:
    """The :data:`MAX_PARTNER_ROWS` partners sharing the most partnerships, then direct ties
    first, then by name. Only the partners sharing as many as the last one kept need the tie and
    name order: an actor of a large partnership has thousands of partners."""
    count = {m: shared.get(m, 0) for m in partners}
    least = sorted(count.values(), reverse=True)[MAX_PARTNER_ROWS - 1]
    kept = {m for m, n in count.items() if n > least}
    level = [m for m, n in count.items() if n == least]
    ranked = by_label(m for m in level if m in ties) + by_label(m for m in level if m not in ties)
    return kept | set(ranked[:MAX_PARTNER_ROWS - len(kept)])
