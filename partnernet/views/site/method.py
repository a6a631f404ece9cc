"""The Method page: how every figure on the site is computed, and how well the suggestions back-tested here.

Each key figure's heading elsewhere on the site links to one section of this
page (:data:`~partnernet.views.site.context.HELP_TOPICS`, anchors ``#s-<id>``),
so the section ids below are part of the site's links.
"""

from __future__ import annotations

from typing import Final

from .context import METHOD_PAGE, SiteContext
from .model import Cell, Column, Fact, Page, Section, Table

#: Examples of actors shown per sector.
EXAMPLES: Final = 3
#: Below this many back-test cases the page says the figures are only indicative.
MIN_BACKTEST_CASES: Final = 30


def method_page(site: SiteContext) -> Page:
    """What sectors and helix groups are, how each measure is computed, how suggestions are ranked and
    how well they back-tested on this network."""
    t = site.t
    centrality_text = [t("method.centrality.text")]
    if site.options.betweenness_samples is not None:
        centrality_text.append(t("method.centrality.sampled", k=site.num(site.options.betweenness_samples)))
    communities_text = [t("method.communities.text")]
    if site.options.modularity is not None:
        communities_text.append(t("method.communities.value", value=site.num(site.options.modularity)))
    sections = (
        Section("sectors", t("method.sectors"), text=(t("method.sectors.text"),), tables=(_sector_table(site),)),
        Section("helix", t("method.helix"), text=(t("method.helix.text"),), facts=_helix_facts(site)),
        Section("coverage", t("method.coverage"), text=(t("method.coverage.text"),)),
        Section("diversity", t("method.diversity"), text=(t("method.diversity.text"),)),
        Section("ei-index", t("method.ei"), text=(t("method.ei.text"),)),
        Section("centrality", t("method.centrality"), text=tuple(centrality_text)),
        Section("brokerage", t("method.brokerage"), text=(t("method.brokerage.text"),)),
        Section("communities", t("method.communities"), text=tuple(communities_text)),
        Section("suggestions", t("method.suggestions"), text=(t("method.suggestions.text"),)),
        backtest_section(site),
    )
    return Page(METHOD_PAGE, "method", t("nav.method"), t("method.title"), t("method.lead"), site.crumbs(),
                sections)


def _sector_table(site: SiteContext) -> Table:
    """Every sector with its group and the actors of it in the most partnerships (examples from the data)."""
    by_sector: dict[str | None, list[str]] = {}
    for a in site.actor_ids:
        by_sector.setdefault(site.actor_sector[a], []).append(a)
    rows = []
    for s in site.sector_ids:
        actors = by_sector.get(s, [])
        top = sorted(actors, key=lambda a: (-len(site.memberships(a)), site.folded(a), a))[:EXAMPLES]
        rows.append((site.sector_cell(s), Cell(site.group_label(site.group_of(s))),
                     Cell(", ".join(site.label(a) for a in top)), site.num_cell(len(actors))))
    cols = (Column(site.t("col.sector")), Column(site.t("col.group")), Column(site.t("col.examples")),
            Column(site.t("col.actors"), True))
    return Table("method-sectors", site.t("method.sectors.caption"), cols, tuple(rows), empty=site.t("table.empty"))


def _helix_facts(site: SiteContext) -> tuple[Fact, ...]:
    """Each helix group of the vocabulary with its sectors."""
    return tuple(Fact(site.group_label(group), ", ".join(site.sector_label(s) for s in site.vocab.ids
                                                       if site.vocab.group_of(s) == group))
                 for group in site.vocab.groups())


def backtest_section(site: SiteContext) -> Section:
    """The back-test in a sentence and in full (partnernet and the three baselines); says so when there
    were too few cases to trust it."""
    t = site.t
    frame = site.tables.get("backtest")
    text = [t("method.backtest.text")]
    if frame is None or frame.height == 0:
        return Section("backtest", t("method.backtest"), text=(*text, t("method.backtest.missing")))
    rows = {r["method"]: r for r in frame.iter_rows(named=True)}
    cases = int(next(iter(rows.values())).get("cases") or 0)
    if cases == 0:
        return Section("backtest", t("method.backtest"), text=(*text, t("method.backtest.none")))
    own = rows.get("partnernet", {})
    tests = site.count("count.tests", cases)
    text.append(t("method.backtest.result", hit5=site.percent(own.get("hit_5")), hit10=site.percent(own.get("hit_10")),
                  tests=tests))
    if cases < MIN_BACKTEST_CASES:
        text.append(t("method.backtest.few", tests=tests))
    cols = (Column(t("col.method")), Column(t("col.hit_1"), True), Column(t("col.hit_5"), True),
            Column(t("col.hit_10"), True), Column(t("col.mrr"), True), Column(t("col.distinct"), True),
            Column(t("col.cases"), True))
    table_rows = tuple(
        (Cell(t(f"method.baseline.{name}")), site.percent_cell(r.get("hit_1")), site.percent_cell(r.get("hit_5")),
         site.percent_cell(r.get("hit_10")), site.num_cell(r.get("mrr_10")), site.num_cell(r.get("distinct_top10")),
         site.num_cell(r.get("cases")))
        for name, r in rows.items())
    table = Table("backtest", t("table.backtest"), cols, table_rows, empty=t("table.empty"))
    return Section("backtest", t("method.backtest"), text=(*text, t("method.sources")), tables=(table,))
