"""The Suggestions page, and each partnership's suggestions as the rows of its CSV download.

The page shows, per missing sector (one section each, so the sector filter of
the site's script can show one at a time; without the script the page is the
full list), the top candidates of every partnership lacking it: rank label
(``1=`` for ties), candidate, the reason, shared partnerships, linked members
and in how many other lists it is; candidates with no link to the members
("same sector only") in a table apart. On a large network the page lists the
largest partnerships up to :data:`~partnernet.views.site.context.MAX_LIST_ROWS`
rows and says so; the downloads (``gaps.csv`` and one CSV per partnership,
:func:`suggestion_rows`) keep everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .context import MAX_LIST_ROWS, SiteContext, finite_float
from .model import Cell, Column, Link, Page, Section, SectionFilter, Table

PAGE: str = "suggestions.html"


def _shown(site: SiteContext, rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows a page shows: the top :attr:`SiteOptions.candidates` per sector, and the "no actor" rows."""
    top = site.options.candidates
    return [r for r in rows if r.get("rank") is None or r["rank"] <= top]


def _listed(site: SiteContext) -> tuple[list[str], int]:
    """The partnerships the page lists (the largest first, up to about :data:`MAX_LIST_ROWS` rows) and how
    many have suggestions at all."""
    pids = site.suggestion_ids
    if not pids:
        return [], 0

    def size(pid: str) -> int:
        n = site.coverage.get(pid, {}).get("members")
        return len(site.members(pid)) if n is None else n

    listed, total = [], 0
    for pid in sorted(pids, key=lambda p: (-size(p), p)):
        n = len(_shown(site, site.gaps.get(pid)))
        if listed and total + n > MAX_LIST_ROWS:
            break
        listed.append(pid)
        total += n
    return listed, len(pids)


def candidate_columns(site: SiteContext, *, partnership: bool) -> tuple[Column, ...]:
    """The columns of a candidates table (with the partnership first on the Suggestions page, the sector
    first on a partnership page)."""
    def make() -> tuple[Column, ...]:
        first = Column(site.t("col.partnership")) if partnership else Column(site.t("col.sector"))
        return (first, site.column("col.rank", True), Column(site.t("col.candidate")), site.column("col.reason"),
                Column(site.t("col.shared"), True), Column(site.t("col.linked"), True),
                Column(site.t("col.lists"), True))

    return site.memo(("columns", "candidates", partnership), make)


def candidate_row(site: SiteContext, first: Cell, r: Mapping[str, Any]) -> tuple[Cell, ...]:
    """One candidate of the gaps table as a table row after ``first`` (its partnership or sector)."""
    reason = Cell(str(r.get("reason_da" if site.lang == "da" else "reason_en") or r.get("reason_en") or ""))
    rank = Cell(str(r.get("rank_label") or r.get("rank") or ""), sort=finite_float(r.get("rank")), cls="num")
    return (first, rank, site.actor_cell(r["candidate"]), reason, site.num_cell(r.get("shared_partnerships")),
            site.num_cell(r.get("linked_members")), site.num_cell(r.get("lists")))


def split_candidates(rows: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]],
                                                                 list[Mapping[str, Any]]]:
    """Rows of the gaps table as (linked candidates, same-sector-only candidates, "no actor" rows)."""
    linked, only, none = [], [], []
    for r in rows:
        if r.get("candidate") is None:
            none.append(r)
        elif r.get("same_sector_only"):
            only.append(r)
        else:
            linked.append(r)
    return linked, only, none


def suggestions_page(site: SiteContext) -> Page:
    """Every partnership's missing sectors with its top candidates, one section per sector."""
    listed, total = _listed(site)
    by_sector: dict[str, list[Mapping[str, Any]]] = {}
    for pid in site.by_label(listed):
        for r in _shown(site, site.gaps.get(pid)):
            by_sector.setdefault(r.get("sector"), []).append(r)
    order = site.sector_order
    sections = []
    choices = []
    for sid in sorted(by_sector, key=lambda s: (order.get(s, len(order)), str(s))):
        rows = by_sector[sid]
        label = site.sector_label(sid)
        linked, only, none = split_candidates(rows)
        key = lambda r: (site.folded(r["partnership"]), r["partnership"], r.get("rank") or 0,  # noqa: E731
                         site.folded(r["candidate"]))
        tables = []
        if linked or not (none or only):
            tables.append(Table(f"linked-{site.s_slug.get(sid, 'x')}", site.t("suggestions.linked", sector=label),
                                candidate_columns(site, partnership=True),
                                tuple(candidate_row(site, site.partnership_cell(r["partnership"]), r)
                                      for r in sorted(linked, key=key)),
                                empty=site.t("partnership.candidates.none"), row_header=False))
        if only:
            tables.append(Table(f"only-{site.s_slug.get(sid, 'x')}", site.t("suggestions.only", sector=label),
                                candidate_columns(site, partnership=True),
                                tuple(candidate_row(site, site.partnership_cell(r["partnership"]), r)
                                      for r in sorted(only, key=key)),
                                note=site.t("suggestions.only.text"), row_header=False))
        text = (site.t("suggestions.no_actor"),) if none and not linked and not only else ()
        section_id = f"sector-{site.s_slug.get(sid, 'x')}"
        sections.append(Section(section_id, site.t("suggestions.sector", sector=label), text=text,
                                tables=tuple(tables)))
        choices.append((section_id, label))
    if not sections:
        sections.append(Section("none", site.t("suggestions.title"), text=(site.t("suggestions.none"),)))
    else:
        sections.append(_downloads_section(site, listed, total))
    note = site.capped_note(len(listed), total, "list.capped.suggestions")
    lead = site.t("suggestions.lead") + (f" {note}" if note else "")
    flt = SectionFilter(site.t("suggestions.filter"), site.t("suggestions.filter.all"), tuple(choices)) \
        if len(choices) > 1 else None
    return Page(PAGE, "suggestions", site.t("nav.suggestions"), site.t("suggestions.title"), lead, site.crumbs(),
                tuple(sections), filter=flt)


def _downloads_section(site: SiteContext, listed: Sequence[str], total: int) -> Section:
    """The CSV download of each listed partnership."""
    rows = []
    for pid in site.by_label(listed):
        href = site.suggestions_href(pid)
        missing = site.coverage.get(pid, {}).get("missing") or []
        rows.append((site.partnership_cell(pid), Cell(", ".join(site.sector_label(s) for s in missing)),
                     Cell(href.rsplit("/", 1)[-1], href=href) if href else Cell("")))
    cols = (Column(site.t("col.partnership")), Column(site.t("col.missing_sectors")), Column(site.t("col.download")))
    table = Table("suggestion-files", site.t("suggestions.downloads.caption"), cols, tuple(rows),
                  note=site.capped_note(len(listed), total, "list.capped.suggestions"), empty=site.t("table.empty"))
    return Section("downloads", site.t("suggestions.downloads"), text=(site.t("suggestions.downloads.text"),),
                   tables=(table,))


def suggestion_rows(site: SiteContext, pid: str) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a partnership's suggestions download: every row of the gaps table for it, with
    headers and sector labels in the site's language (Danish by default) and actors by name."""
    t = site.t
    header = [t("csv.partnership"), t("csv.sector"), t("csv.rank"), t("csv.candidate"), t("csv.score"),
              t("csv.shared"), t("csv.linked"), t("csv.via"), t("csv.matched"), t("csv.same_sector_only"),
              t("csv.lists"), t("csv.reason")]
    reason = "reason_da" if site.lang == "da" else "reason_en"
    order = site.sector_order
    rows = []
    gaps = sorted(site.gaps.get(pid), key=lambda r: (order.get(r.get("sector"), len(order)), r.get("rank") or 0,
                                                       str(r.get("candidate"))))
    for r in gaps:
        cand = r.get("candidate")
        via = r.get("via") or []
        rows.append([site.label(pid), site.sector_label(r.get("sector")), r.get("rank_label") or "",
                     site.label(cand) if cand is not None else "", r.get("score"), r.get("shared_partnerships"),
                     r.get("linked_members"), [site.label(v) for v in via], list(r.get("matched") or []),
                     "" if cand is None else t("csv.yes") if r.get("same_sector_only") else t("csv.no"),
                     r.get("lists"), r.get(reason) or r.get("reason_en") or ""])
    return header, rows


def suggestion_links(site: SiteContext, pid: str) -> tuple[Link, ...]:
    """The link to a partnership's suggestions download (none without suggestions)."""
    href = site.suggestions_href(pid)
    return (Link(site.t("partnership.candidates.download"), href),) if href else ()
