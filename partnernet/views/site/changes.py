"""What changed since the previous edition (``publish --previous OLD``): the page, and the changes sections of
the partnership and actor pages.

The comparison is :func:`partnernet.metrics.diff.diff`, computed once in the
publish run; its tables reach the site as ``changes_<name>``
(:data:`partnernet.metrics.diff.SITE_TABLES`) and its counts and the previous
edition's name through :class:`~partnernet.views.site.model.SiteOptions`.
Every change is said in words ("ny", "forladt", "ny sektor"), never by colour
alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

from ... import schema
from ...metrics.diff import SITE_TABLES
from ...text import page_texts, summary_text
from ..map import OTHER_COLOR, MapView
from ..map_columns import CATEGORY_COLORS
from .context import SiteContext
from .model import Cell, Column, Fact, Link, MapSpec, Page, Section, Table

#: Class of a cell that says something came (joined, new, a new sector) or went (left, ended).
ADD_CLASS: Final = "change-add"
DROP_CLASS: Final = "change-drop"
_ADDING: Final = frozenset({"added", "joined", "rise"})
_DROPPING: Final = frozenset({"removed", "left", "fall"})

CHANGES_PAGE: Final = "changes.html"
#: How an actor changed, as a map shows it (the legend's order).
UNCHANGED: Final = "unchanged"
CHANGE_KINDS: Final = ("joined", "left", UNCHANGED)
#: The colours of the page's "colour by change": green for joined, vermillion for left, grey for unchanged.
CHANGE_COLORS: Final = (CATEGORY_COLORS[2], CATEGORY_COLORS[5], OTHER_COLOR)


def has_changes(site: Any) -> bool:
    """The site was published with a previous edition to compare with."""
    return bool(getattr(site, "tables", None)) and SITE_TABLES[0] in site.tables


def badge(site: SiteContext, status: str, *, new_sector: bool = False, key: str | None = None) -> Cell:
    """A cell naming a change in words (``badge.<status>``), with "ny sektor" added for a member from a sector the
    partnership lacked."""
    text = site.t(f"badge.{key or status}")
    if new_sector:
        text = f'{text}, {site.t("badge.new_sector")}'
    cls = ADD_CLASS if status in _ADDING else DROP_CLASS if status in _DROPPING else None
    return site.text_cell(text, cls=cls)


def changes_page(site: SiteContext) -> Page:
    """Every change since the previous edition, table by table, after the summary paragraph."""
    counts = dict(site.options.changes_counts)
    t = site.tables
    facts = [Fact(site.t(f"changes.fact.{key}"), site.num(counts.get(key, 0)))
             for key in ("partnerships_added", "partnerships_removed", "joined", "left")]
    if counts.get("suggestions_eligible"):
        facts.append(Fact(site.t("changes.fact.hits"),
                          site.percent(counts.get("suggestions_taken_up", 0) / counts["suggestions_eligible"])))
    change = actor_change(t.get("changes_members"))
    legend = Counter(change.get(a, UNCHANGED) for a in site.actor_ids)
    legend_facts = tuple(Fact(site.t(f"change.legend.{key}"), site.count("count.actors", legend[key]))
                         for key in CHANGE_KINDS)
    sections = [
        Section("summary", site.t("changes.summary"), text=(summary_text(counts, site.lang),), facts=tuple(facts),
                tiles=True),
        Section("map", site.t("changes.map"), text=(site.t("changes.map.text"),), facts=legend_facts,
                map=MapSpec("network", changes=True)),
        _partnerships_section(site, _rows(t, "partnerships")),
        _members_section(site, _rows(t, "members")),
        _actors_section(site, _rows(t, "actors")),
        _coverage_section(site, _rows(t, "coverage")),
        _suggestions_section(site, _rows(t, "suggestions")),
        _centrality_section(site, _rows(t, "centrality")),
        Section("changes-downloads", site.t("changes.downloads"), text=(site.t("changes.downloads.text"),),
                links=tuple(Link(f"{name}.csv", f"downloads/{name}.csv") for name in SITE_TABLES
                            if any(d.name == f"{name}.csv" for d in site.downloads) or not site.downloads)),
    ]
    lead = site.t("changes.lead", previous=site.options.previous or "")
    return Page(CHANGES_PAGE, "changes", site.t("changes.title"), site.t("changes.title"), lead, site.crumbs(),
                tuple(sections), MapSpec("network", changes=True))


def actor_change(members: Any) -> dict[str, str]:
    """Actor id → ``joined`` (it joined a partnership), else ``left`` (it left one); actors with neither are
    unchanged and left out. ``members`` is the comparison's membership table."""
    out: dict[str, str] = {}
    if members is None:
        return out
    for actor, change in members.select("actor", "change").iter_rows():
        if change == "joined" or (change == "left" and out.get(actor) != "joined"):
            out[actor] = change
    return out


def with_changes(view: MapView, members: Any) -> MapView:
    """``view`` with a ``change`` on every actor node (see :func:`actor_change`) and the change named in its
    tooltip, so a map can colour by it; the colours stay the sectors'."""
    change = actor_change(members)
    texts = page_texts(view.lang)
    nodes = []
    for node in view.nodes:
        if node.get("kind") == schema.ACTOR:
            kind = change.get(node["id"], UNCHANGED)
            node = {**node, "change": kind, "title": f'{node["title"]}\n{texts[f"change.legend.{kind}"]}'}
        nodes.append(node)
    legend = {**view.legend, "change": [{"id": k, "label": texts[f"change.legend.{k}"],
                                          "count": sum(1 for n in nodes if n.get("change") == k)}
                                         for k in CHANGE_KINDS]}
    # offered in the page's colour and filter menus like any category column (views.map_columns)
    at = {k: i for i, k in enumerate(CHANGE_KINDS)}
    column = {"id": "change", "label": texts["change.column"], "type": "category", "values": list(CHANGE_KINDS),
              "labels": [texts[f"change.legend.{k}"] for k in CHANGE_KINDS], "colors": list(CHANGE_COLORS),
              "index": [at[n["change"]] if "change" in n else -1 for n in nodes]}
    columns = dict(view.columns or {})
    columns["columns"] = [*columns.get("columns", []), column]
    return replace(view, nodes=nodes, legend=legend, columns=columns)


def _rows(tables: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    frame = tables.get(f"changes_{name}")
    return [] if frame is None else list(frame.iter_rows(named=True))


def _partnership_cell(site: SiteContext, pid: str, label: str) -> Cell:
    """A partnership of either edition: linked when it has a page (it is in the newer one)."""
    return site.partnership_cell(pid) if pid in site.p_slug else Cell(site.label_text(label))


def _actor_cell(site: SiteContext, aid: str, label: str) -> Cell:
    return site.actor_cell(aid) if aid in site.actor_sector else Cell(site.label_text(label))


def _cols(site: SiteContext, *keys: str | tuple[str, bool]) -> tuple[Column, ...]:
    return tuple(site.column(k, False) if isinstance(k, str) else site.column(*k) for k in keys)


def _partnerships_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    shown = [r for r in rows if r["status"] != "unchanged"]
    body = tuple((_partnership_cell(site, r["id"], r["label"]), badge(site, r["status"]),
                  site.num_cell(r["members_old"]), site.num_cell(r["members_new"]), site.num_cell(r["joined"]),
                  site.num_cell(r["left"]), site.num_cell(r["role_changes"])) for r in shown)
    cols = _cols(site, "col.partnership", "col.status", ("col.before", True), ("col.after", True),
                 ("col.joined", True), ("col.left", True), ("col.role_changes", True))
    return Section("changes-partnerships", site.t("changes.partnerships"),
                   tables=(Table("changes-partnerships", site.t("changes.partnerships"), cols, body,
                                 empty=site.t("table.empty")),))


def member_rows(site: SiteContext, rows: Sequence[dict[str, Any]], *, partnership: bool = True,
                actor: bool = True) -> tuple[tuple[Cell, ...], ...]:
    """Membership changes as table rows (the partnership and the actor column when asked for)."""
    out = []
    for r in rows:
        cells = []
        if partnership:
            cells.append(_partnership_cell(site, r["partnership"], r["partnership_label"]))
        if actor:
            cells += [_actor_cell(site, r["actor"], r["actor_label"]), site.sector_cell(r["sector"])]
        cells += [badge(site, r["change"], new_sector=bool(r["new_sector"])),
                  site.text_cell(site.role_label(r["role_old"]) if r["role_old"] else ""),
                  site.text_cell(site.role_label(r["role_new"]) if r["role_new"] else "")]
        out.append(tuple(cells))
    return tuple(out)


def member_columns(site: SiteContext, *, partnership: bool = True, actor: bool = True) -> tuple[Column, ...]:
    keys = (["col.partnership"] if partnership else []) + (["col.actor", "col.sector"] if actor else [])
    return _cols(site, *keys, "col.change", "col.before", "col.after")


def _members_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    return Section("changes-members", site.t("changes.members"),
                   tables=(Table("changes-members", site.t("changes.members"), member_columns(site),
                                 member_rows(site, rows), empty=site.t("table.empty")),))


def _actors_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    body = tuple((_actor_cell(site, r["id"], r["label"]), badge(site, r["status"], key="actor_removed"
                                                                if r["status"] == "removed" else None),
                  site.sector_cell(r["sector_old"]) if r["sector_old"] else site.text_cell(""),
                  site.sector_cell(r["sector_new"]) if r["sector_new"] else site.text_cell(""),
                  site.text_cell(site.type_label(r["type_old"])), site.text_cell(site.type_label(r["type_new"])))
                 for r in rows)
    cols = (Column(site.t("col.actor")), Column(site.t("col.status")),
            Column(f'{site.t("col.sector")}: {site.t("col.before")}'),
            Column(f'{site.t("col.sector")}: {site.t("col.after")}'),
            Column(f'{site.t("col.type")}: {site.t("col.before")}'), Column(f'{site.t("col.type")}: {site.t("col.after")}'))
    return Section("changes-actors", site.t("changes.actors"),
                   tables=(Table("changes-actors", site.t("changes.actors"), cols, body, empty=site.t("table.empty")),))


def sector_list(site: SiteContext, sectors: Sequence[str] | None) -> str:
    return ", ".join(site.sector_label(s) for s in sectors or ())


def _coverage_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    shown = [r for r in rows if r["status"] == "changed"]
    body = tuple((_partnership_cell(site, r["id"], r["label"]),
                  site.text_cell(sector_list(site, r["sectors_gained"]), cls=ADD_CLASS if r["sectors_gained"] else None),
                  site.text_cell(sector_list(site, r["sectors_lost"]), cls=DROP_CLASS if r["sectors_lost"] else None),
                  site.percent_cell(r["coverage_old"]), site.percent_cell(r["coverage_new"]),
                  site.num_cell(r["diversity_old"], 2), site.num_cell(r["diversity_new"], 2)) for r in shown)
    cols = _cols(site, "col.partnership", "col.gained", "col.lost", ("col.coverage_old", True),
                 ("col.coverage_new", True), ("col.diversity_old", True), ("col.diversity_new", True))
    return Section("changes-coverage", site.t("changes.coverage"),
                   tables=(Table("changes-coverage", site.t("changes.coverage"), cols, body,
                                 empty=site.t("table.empty")),))


def _suggestions_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    yes, no = site.text_cell(site.t("yes"), sort=1, cls=ADD_CLASS), site.text_cell(site.t("no"), sort=0)
    body = tuple((_partnership_cell(site, r["partnership"], r["partnership_label"]), site.sector_cell(r["sector"]),
                  _actor_cell(site, r["actor"], r["actor_label"]), yes if r["suggested"] else no,
                  site.text_cell(r["rank_label"] or "–", sort=r["rank"])) for r in rows if r["in_old"])
    cols = _cols(site, "col.partnership", "col.sector", "col.actor", "col.suggested", "col.old_rank")
    return Section("changes-suggestions", site.t("changes.suggestions"),
                   text=(site.t("changes.suggestions.text", top=site.num(site.options.changes_top)),),
                   tables=(Table("changes-suggestions", site.t("changes.suggestions"), cols, body,
                                 empty=site.t("table.empty")),))


def _centrality_section(site: SiteContext, rows: Sequence[dict[str, Any]]) -> Section:
    measure = site.t(f"measure.{site.options.changes_measure}")
    body = tuple((_actor_cell(site, r["id"], r["label"]), site.sector_cell(r["sector"]), badge(site, r["direction"]),
                  site.num_cell(r["rank_old"]), site.num_cell(r["rank_new"]), site.num_cell(r["rank_change"]),
                  site.num_cell(r["value_old"]), site.num_cell(r["value_new"])) for r in rows)
    cols = (*_cols(site, "col.actor", "col.sector", "col.change", ("col.rank_old", True), ("col.rank_new", True),
                   ("col.rank_change", True)),
            Column(f'{measure}: {site.t("col.before")}', True), Column(f'{measure}: {site.t("col.after")}', True))
    return Section("changes-centrality", site.t("changes.centrality", measure=measure),
                   text=(site.t("changes.centrality.text", measure=measure),),
                   tables=(Table("changes-centrality", site.t("changes.centrality", measure=measure), cols, body,
                                 empty=site.t("table.empty")),))


def partnership_changes(site: SiteContext, pid: str) -> list[Section]:
    """The changes section of a partnership page (none when the site has no previous edition)."""
    if not has_changes(site):
        return []
    row = site.change_rows("partnerships").get(pid, {})
    cov = site.change_rows("coverage").get(pid, {})
    members = site.change_members("partnership", pid)
    if row.get("status") == "added":
        text = [site.t("changes.here.new_partnership")]
    elif not members and not cov.get("sectors_gained") and not cov.get("sectors_lost"):
        text = [site.t("changes.here.none")]
    else:
        text = []
    if cov.get("sectors_gained") and row.get("status") != "added":
        text.append(site.t("changes.here.sectors", sectors=sector_list(site, cov["sectors_gained"])))
    if cov.get("sectors_lost"):
        text.append(site.t("changes.here.lost", sectors=sector_list(site, cov["sectors_lost"])))
    tables = (Table("partnership-changes", site.t("changes.here.members"), member_columns(site, partnership=False),
                    member_rows(site, members, partnership=False)),) if members else ()
    return [Section("changes", site.t("changes.here"), text=tuple(text), tables=tables,
                    links=(Link(site.t("nav.changes"), CHANGES_PAGE),))]


def actor_changes(site: SiteContext, aid: str) -> list[Section]:
    """The changes section of an actor page (none when the site has no previous edition)."""
    if not has_changes(site):
        return []
    row = site.change_rows("actors").get(aid, {})
    members = site.change_members("actor", aid)
    text = [site.t("changes.here.new_actor")] if row.get("status") == "added" else []
    if row.get("status") == "changed":
        before = [row["label_old"]] if row.get("label_old") else []
        if row.get("sector_old") != row.get("sector_new"):
            before.append(site.sector_label(row.get("sector_old")))
        if row.get("type_old") != row.get("type_new"):
            before.append(site.type_label(row.get("type_old")) or "–")
        text.append(site.t("changes.here.before", before=", ".join(before)))
    if not members and not row:
        text.append(site.t("changes.here.none"))
    tables = (Table("actor-changes", site.t("changes.here.members"), member_columns(site, actor=False),
                    member_rows(site, members, actor=False)),) if members else ()
    return [Section("changes", site.t("changes.here"), text=tuple(text), tables=tables,
                    links=(Link(site.t("nav.changes"), CHANGES_PAGE),))]
