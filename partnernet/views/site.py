"""Page models of the published site: what each page shows, as plain data.

:func:`build_site` takes the frozen two-mode graph, the metric tables (computed
once per publish run by :mod:`partnernet.pipeline`) and the site options, and
returns a :class:`Site`. :meth:`Site.pages` yields one :class:`Page` per HTML
file, in a fixed order. A page is headings, paragraphs, facts, tables of
:class:`Cell` values and links; it says *which* map to embed
(:class:`MapSpec`) but holds no HTML. :mod:`partnernet.render.site` turns
pages into HTML; nothing here imports jinja2 or touches files.

Links are **site paths** (``"partnerships/p-x.html"``, relative to the site
root, ``/`` separated); the renderer rewrites them relative to the page that
holds them, so the site works under any sub-path and over ``file://``.
Page file names come from :func:`partnernet.slug.unique_slugs` (one slug
space per folder).

Everything is deterministic: rows are sorted, numbers are formatted for the
page language by :func:`partnernet.text.format_number` and carry their
raw value (``Cell.sort``) for the table sorter.

Site layout::

    index.html                 what the data is, main map, sectors, coverage grid, top actors/brokers
    partnerships.html          all partnerships          partnerships/<slug>.html  one per partnership
    sectors.html               all sectors + mixing      sectors/<slug>.html       one per sector
    actors.html                actors with a page        actors/<slug>.html        top N actors
    maps.html                  the maps                  maps/network.html, maps/actors.html, maps/sectors.html
    downloads.html             the files                 downloads/…
    assets/                    scripts and styles, one copy for every page
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import Any, Final

import networkx as nx
import polars as pl

from .. import __version__
from .. import schema as S
from ..defaults import MAX_ACTOR_PAGES, TOP_N
from ..graph import memberships_of, members, sectors_of
from ..text import data_label, format_number, page_text, page_texts, plural
from ..slug import unique_slugs

#: Candidates shown per missing sector on a partnership page.
CANDIDATES: Final = 3
#: Decimal places of measures on pages (the downloads keep six).
DIGITS: Final = 3
#: Partners listed on an actor page (those sharing the most partnerships; the page says so).
MAX_PARTNER_ROWS: Final = 200
#: Rows of the long lists on the overview and sector pages (the coverage grid, a sector's actors and
#: partnerships): above it the largest are listed and the page says so; the Partnerships page and the
#: downloads have them all. A grid of 20,000 partnerships is a 28 MB index page.
MAX_LIST_ROWS: Final = 500
#: Tables longer than this get a filter box.
FILTER_MIN_ROWS: Final = 12
#: The index page embeds the network map up to this many nodes (actors + partnerships); above it the
#: map section links to maps/network.html, which shows the same map: a large map is megabytes that
#: would be downloaded twice and would slow the front page for everyone.
INDEX_MAP_MAX_NODES: Final = 500

#: Metric tables of a publish run, in download order: name → description key.
TABLES: Final = (
    "centrality",
    "partnership_centrality",
    "coverage",
    "sector_summary",
    "sector_mixing",
    "gaps",
    "brokerage",
    "communities",
)

BROKER_ROLES: Final = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
ACTOR_MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")

MAP_PAGES: Final = ("network", "actors", "sectors")


# --- the model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link to a site path (``href``), or plain text when ``href`` is None."""

    text: str
    href: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell: display text, optional link, raw sort value, CSS class, tooltip, swatch colour."""

    text: str
    href: str | None = None
    sort: float | int | str | None = None
    cls: str | None = None
    title: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class Column:
    """A table column: heading, numeric (right-aligned, numeric sort), tooltip, colour swatch."""

    label: str
    numeric: bool = False
    title: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class Table:
    """A sortable, filterable table. ``kind="grid"`` is the coverage grid (compact cells)."""

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = "data"
    note: str | None = None
    empty: str | None = None
    row_header: bool = True

    @property
    def filterable(self) -> bool:
        """A filter box is offered above tables of more than :data:`FILTER_MIN_ROWS` rows."""
        return len(self.rows) > FILTER_MIN_ROWS


@dataclass(frozen=True)
class Fact:
    """A term and its value (a definition-list entry); ``href`` links the value."""

    term: str
    value: str
    href: str | None = None


@dataclass(frozen=True)
class LegendItem:
    """A sector in the legend: colour, label, link, actor count."""

    label: str
    color: str
    href: str | None
    count: int


@dataclass(frozen=True)
class MapSpec:
    """Which map a page embeds: the arguments of :func:`partnernet.views.map.map_view`."""

    view: str = "network"
    partnership: str | None = None


@dataclass(frozen=True)
class Section:
    """A part of a page with its own heading (``h2``)."""

    id: str
    heading: str
    text: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    legend: tuple[LegendItem, ...] = ()
    tables: tuple[Table, ...] = ()
    links: tuple[Link, ...] = ()
    map: MapSpec | None = None
    tiles: bool = False  # facts as a row of figure tiles rather than a list


@dataclass(frozen=True)
class Page:
    """One HTML file of the site."""

    path: str
    kind: str
    title: str
    heading: str
    lead: str | None = None
    breadcrumbs: tuple[Link, ...] = ()
    sections: tuple[Section, ...] = ()
    map: MapSpec | None = None

    @property
    def depth(self) -> int:
        """Folder depth of the page (0 for the site root)."""
        return self.path.count("/")

    def links(self) -> Iterator[str]:
        """Every site path this page links to (for tests and link checks)."""
        for b in self.breadcrumbs:
            if b.href:
                yield b.href
        for s in self.sections:
            for f in s.facts:
                if f.href:
                    yield f.href
            for li in s.legend:
                if li.href:
                    yield li.href
            for link in s.links:
                if link.href:
                    yield link.href
            for t in s.tables:
                for row in t.rows:
                    for c in row:
                        if c.href:
                            yield c.href


@dataclass(frozen=True)
class Download:
    """A file under ``downloads/``: name, group (input/tables/graph), description, size in bytes."""

    name: str
    group: str
    description: str
    format: str
    size: int


@dataclass(frozen=True)
class SiteOptions:
    """What the site says about itself; set by the CLI, all optional."""

    lang: str = "da"
    title: str | None = None
    org: str | None = None
    date: str = "1970-01-01"
    version: str = __version__
    max_actor_pages: int = MAX_ACTOR_PAGES
    top: int = TOP_N
    candidates: int = CANDIDATES
    sources: tuple[str, ...] = ()
    source_note: str | None = None
    betweenness_samples: int | None = None
    modularity: float | None = None


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    kind: str


# --- helpers ---------------------------------------------------------------------------


def _rows_by_id(frame: pl.DataFrame | None, key: str = S.ID) -> dict[str, dict[str, Any]]:
    if frame is None or frame.height == 0 or key not in frame.columns:
        return {}
    return {row[key]: row for row in frame.iter_rows(named=True)}


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _sort_key(value: Any) -> float | None:
    f = _float(value)
    return None if f is None else round(f, 6)


def _fold(text: str) -> str:
    return str(text).casefold()


def _value_key(value: Any) -> Any:
    """A dict key that tells apart values which compare equal but are written differently
    (``1``, ``1.0`` and ``True``; ``0.0`` and ``-0.0``; NaN, which equals nothing)."""
    if value.__class__ is float and (value == 0.0 or value != value):
        return float, repr(value)
    return value.__class__, value


class RowsByKey:
    """The rows of a table grouped by one column, made into dicts (as ``iter_rows(named=True)``)
    only when asked for: the gaps table of a large network has hundreds of thousands of rows,
    and each process writing pages needs those of its own pages only."""

    def __init__(self, frame: pl.DataFrame | None, key: str) -> None:
        self._spans: dict[Any, tuple[int, int]] = {}
        self._frame = None
        if frame is None or frame.height == 0 or key not in frame.columns:
            return
        self._frame = frame.sort(key, maintain_order=True)  # stable: rows keep their order within a key
        start = 0
        for value, group in groupby(self._frame.get_column(key).to_list()):
            n = sum(1 for _ in group)
            self._spans[value] = (start, n)
            start += n

    def get(self, value: Any) -> list[dict[str, Any]]:
        """The rows whose key column is ``value``, in table order (none: an empty list)."""
        span = self._spans.get(value)
        if span is None or self._frame is None:
            return []
        return list(self._frame.slice(*span).iter_rows(named=True))


# --- the site ---------------------------------------------------------------------------


class Site:
    """The graph, metric tables and options of one publish run, with every lookup built once."""

    def __init__(self, g: nx.Graph, tables: Mapping[str, pl.DataFrame], options: SiteOptions,
                 downloads: Sequence[Download] = ()):
        self.g = g
        self.options = options
        self.lang = options.lang
        self.tables = dict(tables)
        self.downloads = tuple(downloads)
        self.vocab = sectors_of(g)
        self._texts = page_texts(self.lang)
        kinds = dict(g.nodes(data=S.KIND))
        self.actor_ids = sorted(n for n, k in kinds.items() if k == S.ACTOR)
        self.partnership_ids = sorted(n for n, k in kinds.items() if k == S.PARTNERSHIP)
        # every lookup a page makes, built once: pages are made by the thousand
        self._labels = {n: str(d.get(S.LABEL) or n) for n, d in g.nodes(data=True)}
        self._folded = {n: _fold(label) for n, label in self._labels.items()}
        self._members: dict[str, list[str]] = {p: [] for p in self.partnership_ids}
        self._parts: dict[str, list[str]] = {a: [] for a in self.actor_ids}
        for a in self.actor_ids:  # sorted, so both lists come out sorted
            for q in g.adj[a]:
                if kinds[q] == S.PARTNERSHIP:
                    self._parts[a].append(q)
                    self._members[q].append(a)
        for p_members in self._members.values():
            p_members.sort()
        for a_parts in self._parts.values():
            a_parts.sort()
        self._kinds = kinds
        self._sector = {a: g.nodes[a].get(S.SECTOR) for a in self.actor_ids}
        self._actor_cells: dict[str, Cell] = {}
        self._partnership_cells: dict[str, Cell] = {}
        self._sector_cells: dict[str | None, Cell] = {}
        self._shared_cells: dict[tuple[Any, ...], Cell] = {}
        self._shared_rows: dict[tuple[Any, ...], tuple[Cell, ...]] = {}
        self.centrality = _rows_by_id(self.tables.get("centrality"))
        self.part_rows = _rows_by_id(self.tables.get("partnership_centrality"))
        self.coverage = _rows_by_id(self.tables.get("coverage"))
        self.sector_rows = _rows_by_id(self.tables.get("sector_summary"))
        self.mixing = _rows_by_id(self.tables.get("sector_mixing"))
        self.brokerage = _rows_by_id(self.tables.get("brokerage"))
        self.communities = _rows_by_id(self.tables.get("communities"))
        self.gaps = RowsByKey(self.tables.get("gaps"), "partnership")

        # sectors that occur: the vocabulary plus unknown ones found on actors
        self.sector_ids = list(self.vocab.ids)
        extra = sorted(set(self._sector.values()) - set(self.sector_ids) - {None})
        self.sector_ids += extra
        self._sector_order = {s: i for i, s in enumerate(self.sector_ids)}

        # slugs, one space per folder
        self.p_slug = unique_slugs(self.partnership_ids)
        self.s_slug = unique_slugs(self.sector_ids)
        self.page_actors = self._choose_actor_pages()
        self.a_slug = unique_slugs(self.page_actors)

    # -- small helpers --------------------------------------------------------------

    def t(self, key: str, **kw: Any) -> str:
        """A page text (as :func:`partnernet.text.page_text`), looked up in the texts of the site's
        language: pages ask for texts a hundred thousand times."""
        template = self._texts[key]
        return template.format(**kw) if kw else template

    def num(self, value: Any, digits: int = DIGITS) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        if isinstance(value, float):
            value = round(value, digits)
            if value == 0:
                value = 0.0
        return format_number(value, self.lang, digits)

    def _shared(self, key: Any, make: Callable[[], Cell]) -> Cell:
        """The cell for ``key``, made once: one object serves every table (cells are immutable, and
        the renderer writes each object once); a site has a few thousand distinct values in
        hundreds of thousands of cells."""
        try:
            cell = self._shared_cells.get(key)
        except TypeError:  # an unhashable value: not shared
            return make()
        if cell is None:
            cell = self._shared_cells[key] = make()
        return cell

    def num_cell(self, value: Any, digits: int = DIGITS) -> Cell:
        return self._shared((_value_key(value), digits),
                            lambda: Cell(self.num(value, digits), sort=_sort_key(value), cls="num"))

    def text_cell(self, text: str, sort: int | None = None, cls: str | None = None) -> Cell:
        """A plain text cell (labels of types, roles, groups, yes/no)."""
        return self._shared((text, _value_key(sort), cls), lambda: Cell(text, sort=sort, cls=cls))

    def percent(self, share: Any) -> str:
        """A share in [0, 1] as a whole percentage ("50 %")."""
        f = _float(share)
        return "" if f is None else f"{format_number(int(round(f * 100)), self.lang)} %"

    def percent_cell(self, share: Any) -> Cell:
        return self._shared((_value_key(share), "%"),
                            lambda: Cell(self.percent(share), sort=_sort_key(share), cls="num"))

    def label(self, node: str) -> str:
        label = self._labels.get(node)
        return label if label is not None else str(node)

    def members(self, pid: str) -> list[str]:
        """Actor ids of a partnership, sorted (as :func:`partnernet.graph.members`)."""
        return self._members.get(pid) or members(self.g, pid)

    def memberships(self, aid: str) -> list[str]:
        """Partnership ids of an actor, sorted (as :func:`partnernet.graph.memberships_of`)."""
        return self._parts.get(aid) or memberships_of(self.g, aid)

    def sector_of(self, node: str) -> str | None:
        """The sector id of an actor (of any node: None when it has none)."""
        if node in self._sector:
            return self._sector[node]
        return self.g.nodes[node].get(S.SECTOR)

    def sector_label(self, sid: str | None) -> str:
        if sid is None or sid == "":
            return page_text(self.lang, "no_sector")
        try:
            return self.vocab.get(sid).label(self.lang)
        except KeyError:
            return str(sid)

    def sector_color(self, sid: str | None) -> str:
        try:
            return self.vocab.get(sid).color if sid else S.NO_SECTOR_COLOR
        except KeyError:
            return S.NO_SECTOR_COLOR

    def group_label(self, group: str | None) -> str:
        if group in S.GROUPS:
            return S.GROUPS[group][0 if self.lang == "da" else 1]
        return group or ""

    def type_label(self, otype: str | None) -> str:
        return data_label(self.lang, "type", otype) if otype else ""

    def role_label(self, role: str | None) -> str:
        role = role or S.MEMBER
        return data_label(self.lang, "role", role)

    def partnership_href(self, pid: str) -> str | None:
        slug = self.p_slug.get(pid)
        return f"partnerships/{slug}.html" if slug else None

    def sector_href(self, sid: str | None) -> str | None:
        slug = self.s_slug.get(sid) if sid else None
        return f"sectors/{slug}.html" if slug else None

    def actor_href(self, aid: str) -> str | None:
        slug = self.a_slug.get(aid)
        return f"actors/{slug}.html" if slug else None

    # text cells carry no sort key: the table script sorts them by their text (locale-aware)

    # cells are immutable: one per actor, partnership and sector serves every table

    def actor_cell(self, aid: str) -> Cell:
        cell = self._actor_cells.get(aid)
        if cell is None:
            cell = self._actor_cells[aid] = Cell(self.label(aid), href=self.actor_href(aid))
        return cell

    def partnership_cell(self, pid: str) -> Cell:
        cell = self._partnership_cells.get(pid)
        if cell is None:
            cell = self._partnership_cells[pid] = Cell(self.label(pid), href=self.partnership_href(pid))
        return cell

    def sector_cell(self, sid: str | None) -> Cell:
        cell = self._sector_cells.get(sid)
        if cell is None:
            cell = self._sector_cells[sid] = Cell(self.sector_label(sid), href=self.sector_href(sid),
                                                  color=self.sector_color(sid) if sid else None)
        return cell

    def folded(self, node: str) -> str:
        """The label of ``node`` case-folded (the sort key of names)."""
        f = self._folded.get(node)
        return f if f is not None else _fold(self.label(node))

    def by_label(self, ids: Iterable[str]) -> list[str]:
        """``ids`` sorted by case-folded label, then id."""
        ids = list(ids)
        try:
            return sorted(ids, key=self._name_rank.__getitem__)
        except KeyError:  # not a node of the graph
            folded = self.folded
            return sorted(ids, key=lambda n: (folded(n), n))

    @cached_property
    def _name_rank(self) -> dict[str, int]:
        """Each node's place in the order of :meth:`by_label`: pages sort thousands of names, and an
        integer key is several times quicker than the (label, id) pair."""
        folded = self._folded
        return {n: i for i, n in enumerate(sorted(folded, key=lambda n: (folded[n], n)))}

    def period(self, node: str) -> str:
        d = self.g.nodes[node]
        start, end = d.get(S.START), d.get(S.END)
        if start is None and end is None:
            return ""
        return f"{start if start is not None else ''}–{end if end is not None else ''}"

    # -- which actors get a page --------------------------------------------------------

    def _choose_actor_pages(self) -> list[str]:
        limit = max(0, int(self.options.max_actor_pages))
        if len(self.actor_ids) <= limit:
            return list(self.actor_ids)

        def key(a: str):
            row = self.centrality.get(a, {})
            return (-(_float(row.get("betweenness")) or 0.0), -(row.get("partnerships") or 0), a)

        return sorted(sorted(self.actor_ids, key=key)[:limit])

    @property
    def actor_pages_capped(self) -> bool:
        return len(self.page_actors) < len(self.actor_ids)

    def actor_pages_note(self) -> str:
        if self.actor_pages_capped:
            return self.t("actor.list.capped", n=self.num(len(self.page_actors)),
                          total=self.num(len(self.actor_ids)), max=self.num(self.options.max_actor_pages))
        return self.t(plural("actor.list.all", len(self.actor_ids)), n=self.num(len(self.actor_ids)))

    # -- site-wide parts ---------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.options.title or self.t("site.title")

    def nav(self) -> list[NavItem]:
        return [
            NavItem(self.t("nav.home"), "index.html", "index"),
            NavItem(self.t("nav.partnerships"), "partnerships.html", "partnerships"),
            NavItem(self.t("nav.sectors"), "sectors.html", "sectors"),
            NavItem(self.t("nav.actors"), "actors.html", "actors"),
            NavItem(self.t("nav.maps"), "maps.html", "maps"),
            NavItem(self.t("nav.downloads"), "downloads.html", "downloads"),
        ]

    def footer(self) -> str:
        return self.t("site.footer", version=self.options.version, date=self.options.date)

    def home(self) -> Link:
        return Link(self.t("nav.home"), "index.html")

    # -- pages --------------------------------------------------------------------------------

    def page_keys(self) -> list[tuple[str, str]]:
        """``(kind, key)`` of every page, in a fixed order: overview pages first, then one per
        sector, partnership and actor. :meth:`page` builds the page for a key, so pages can be
        made in any order or in several processes."""
        keys = [("index", ""), ("partnerships", ""), ("sectors", ""), ("actors", ""), ("maps", ""),
                ("downloads", "")]
        keys += [("map", v) for v in MAP_PAGES]
        keys += [("sector", s) for s in self.sector_ids]
        keys += [("partnership", p) for p in self.partnership_ids]
        keys += [("actor", a) for a in self.page_actors]
        return keys

    def page(self, kind: str, key: str = "") -> Page:
        """The page for one of :meth:`page_keys`."""
        if kind in ("index", "partnerships", "sectors", "actors", "maps", "downloads"):
            return getattr(self, f"{kind}_page")()
        return getattr(self, f"{kind}_page")(key)

    def pages(self) -> Iterator[Page]:
        """Every page of the site, in the order of :meth:`page_keys`."""
        for kind, key in self.page_keys():
            yield self.page(kind, key)

    def page_count(self) -> int:
        return 6 + len(MAP_PAGES) + len(self.sector_ids) + len(self.partnership_ids) + len(self.page_actors)

    # .. index ...................................................................................

    def index_page(self) -> Page:
        g = self.g
        memberships = sum(1 for *_, r in g.edges(data=S.RELATION) if r == S.MEMBERSHIP)
        ties = g.number_of_edges() - memberships
        facts = []
        if self.options.source_note:
            facts.append(Fact(self.t("index.data"), self.options.source_note))
        if self.options.sources:
            facts.append(Fact(self.t("index.sources"), ", ".join(self.options.sources), "downloads.html"))
        facts.append(Fact(self.t("index.built"), self.options.date))
        facts.append(Fact(self.t("index.version"), self.options.version))
        if g.graph.get("as_of") is not None:
            facts.append(Fact(self.t("index.as_of"), str(g.graph["as_of"])))
        facts.append(Fact(self.t("index.counts"), self.t(
            "index.counts.value", actors=self.num(len(self.actor_ids)), partnerships=self.num(len(self.partnership_ids)),
            memberships=self.num(memberships), ties=self.num(ties))))
        occurring = set(self._sector.values())
        used = [s for s in self.sector_ids if s in occurring]
        facts.append(Fact(self.t("index.sectors_n"), self.t("index.sectors_n.value", used=self.num(len(used)),
                                                            total=self.num(len(self.sector_ids))), "sectors.html"))
        if self.communities:
            n_comm = len({r.get("community") for r in self.communities.values() if r.get("community") is not None})
            mod = self.options.modularity
            facts.append(Fact(self.t("index.communities"),
                              self.num(n_comm) + (f" ({self.num(mod)})" if mod is not None else "")))
        k = self.options.betweenness_samples
        facts.append(Fact(self.t("index.betweenness"),
                          self.t("index.betweenness.exact") if k is None else self.t("index.betweenness.sampled", k=self.num(k))))
        facts.append(Fact(self.t("actor.list"), self.actor_pages_note(), "actors.html"))

        spec = MapSpec("network") if self.g.number_of_nodes() <= INDEX_MAP_MAX_NODES else None
        sections = [
            Section("about", self.t("index.about"), facts=tuple(facts)),
            Section("map", self.t("index.map"), map=spec,
                    links=tuple(Link(self.t(f"nav.map.{v}"), f"maps/{v}.html") for v in MAP_PAGES)),
            Section("sectors", self.t("index.legend"), text=(self.t("index.legend.text"),), legend=self.legend()),
            Section("coverage", self.t("index.coverage"), text=(self.t("index.coverage.text"),),
                    tables=(self.coverage_grid(),)),
            self.top_actors_section(),
            self.top_brokers_section(),
            Section("pages", self.t("index.links"), links=tuple(
                Link(item.text, item.href) for item in self.nav()[1:]
            ) + tuple(Link(self.t(f"nav.map.{v}"), f"maps/{v}.html") for v in MAP_PAGES)),
        ]
        lead = self.t("index.lead")
        return Page("index.html", "index", self.title, self.title, lead, (), tuple(sections), spec)

    def legend(self) -> tuple[LegendItem, ...]:
        counts = Counter(self._sector[a] for a in self.actor_ids)
        return tuple(
            LegendItem(self.sector_label(s), self.sector_color(s), self.sector_href(s), counts.get(s, 0))
            for s in self.sector_ids
        )

    def coverage_grid(self) -> Table:
        cols = [Column(self.t("col.partnership")), Column(self.t("col.members"), numeric=True)]
        for s in self.sector_ids:
            cols.append(Column(self.sector_label(s), numeric=True, color=self.sector_color(s)))
        cols.append(Column(self.t("col.coverage"), numeric=True))
        rows = []
        grid_cells: dict[tuple[str, Any], Cell] = {}  # one per sector and count: the same in many rows
        listed = self.largest(self.partnership_ids)
        for pid in self.by_label(listed):
            cov = self.coverage.get(pid, {})
            present = dict(zip(cov.get("present") or [], cov.get("counts") or []))
            n_members = cov.get("members")
            if n_members is None:
                n_members = len(self.members(pid))
            row = [self.partnership_cell(pid), self.num_cell(n_members)]
            for s in self.sector_ids:
                n = present.get(s, 0)
                key = (s, _value_key(n))
                cell = grid_cells.get(key)
                if cell is None:
                    cell = grid_cells[key] = self._grid_cell(s, n)
                row.append(cell)
            row.append(self.percent_cell(cov.get("coverage")))
            rows.append(tuple(row))
        return Table("coverage-grid", self.t("index.coverage.caption"), tuple(cols), tuple(rows), kind="grid",
                     note=self.capped_note(len(listed), len(self.partnership_ids), "list.capped.partnerships"),
                     empty=self.t("table.empty"))

    def largest(self, pids: Sequence[str]) -> list[str]:
        """``pids``, or the :data:`MAX_LIST_ROWS` with the most members when there are more."""
        if len(pids) <= MAX_LIST_ROWS:
            return list(pids)

        def size(pid: str) -> int:
            n = self.coverage.get(pid, {}).get("members")
            return len(self.members(pid)) if n is None else n

        return sorted(pids, key=lambda p: (-size(p), p))[:MAX_LIST_ROWS]

    def capped_note(self, shown: int, total: int, key: str) -> str | None:
        """The note under a list of ``shown`` of ``total`` rows, or None when nothing was left out."""
        if shown >= total:
            return None
        return self.t(key, n=self.num(shown), total=self.num(total))

    def _grid_cell(self, sid: str, n: Any) -> Cell:
        if n:
            return Cell(self.num(n), sort=n, cls="cell-filled",
                        title=self.t("index.present", sector=self.sector_label(sid), n=self.num(n)),
                        color=self.sector_color(sid))
        return Cell("", sort=0, cls="cell-empty", title=self.t("index.missing", sector=self.sector_label(sid)))

    def actor_measure_table(self, table_id: str, caption: str, ids: Sequence[str], *, note: str | None = None) -> Table:
        cols = (Column(self.t("col.actor")), Column(self.t("col.sector")), Column(self.t("col.partnerships"), True),
                Column(self.t("col.partners"), True), Column(self.t("measure.betweenness"), True),
                Column(self.t("measure.degree"), True), Column(self.t("measure.closeness"), True),
                Column(self.t("measure.eigenvector"), True), Column(self.t("measure.pagerank"), True))
        rows = []
        for a in ids:
            r = self.centrality.get(a, {})
            rows.append((self.actor_cell(a), self.sector_cell(self.sector_of(a)),
                         self.num_cell(r.get("partnerships")), self.num_cell(r.get("partners")),
                         self.num_cell(r.get("betweenness")), self.num_cell(r.get("degree")),
                         self.num_cell(r.get("closeness")), self.num_cell(r.get("eigenvector")),
                         self.num_cell(r.get("pagerank"))))
        return Table(table_id, caption, cols, tuple(rows), note=note, empty=self.t("table.empty"))

    def top_actor_ids(self, n: int) -> list[str]:
        def key(a: str):
            r = self.centrality.get(a, {})
            return (-(_float(r.get("betweenness")) or 0.0), -(_float(r.get("degree")) or 0.0), a)

        return sorted(self.actor_ids, key=key)[:n]

    def top_actors_section(self) -> Section:
        ids = self.top_actor_ids(self.options.top)
        table = self.actor_measure_table("top-actors", self.t("index.top_actors"), ids)
        return Section("top-actors", self.t("index.top_actors"), text=(self.t("index.top_actors.text", n=len(ids)),),
                       tables=(table,), links=(Link(self.t("actor.list"), "actors.html"),))

    def top_broker_ids(self, n: int) -> list[str]:
        def key(a: str):
            r = self.brokerage.get(a, {})
            return (-(_float(r.get("cross_sector")) or 0.0), -(_float(r.get("total")) or 0.0), a)

        return [a for a in sorted(self.brokerage, key=key) if (_float(self.brokerage[a].get("cross_sector")) or 0) > 0][:n]

    def top_brokers_section(self) -> Section:
        ids = self.top_broker_ids(self.options.top)
        cols = (Column(self.t("col.actor")), Column(self.t("col.sector")),
                Column(self.t("broker.cross_sector"), True), Column(self.t("broker.total"), True),
                Column(self.t("broker.role")))
        rows = []
        for a in ids:
            r = self.brokerage[a]
            rows.append((self.actor_cell(a), self.sector_cell(self.sector_of(a)),
                         self.num_cell(r.get("cross_sector")), self.num_cell(r.get("total")),
                         Cell(self.main_role(r))))
        table = Table("top-brokers", self.t("index.top_brokers"), cols, tuple(rows), empty=self.t("table.empty"))
        return Section("top-brokers", self.t("index.top_brokers"),
                       text=(self.t("index.top_brokers.text", n=len(ids)),), tables=(table,))

    def main_role(self, row: Mapping[str, Any]) -> str:
        best = max(BROKER_ROLES, key=lambda r: (_float(row.get(r)) or 0.0, -BROKER_ROLES.index(r)))
        if not (_float(row.get(best)) or 0):
            return self.t("broker.none")
        return self.t(f"broker.{best}")

    # .. overview pages ...........................................................................

    def crumbs(self, *extra: Link) -> tuple[Link, ...]:
        return (self.home(), *extra)

    def partnerships_page(self) -> Page:
        cols = (Column(self.t("col.partnership")), Column(self.t("col.members"), True),
                Column(self.t("col.sectors"), True), Column(self.t("partnership.missing")),
                Column(self.t("col.coverage"), True), Column(self.t("col.diversity"), True),
                Column(self.t("measure.betweenness"), True), Column(self.t("col.period")))
        rows = []
        for pid in self.by_label(self.partnership_ids):
            cov = self.coverage.get(pid, {})
            pr = self.part_rows.get(pid, {})
            missing = cov.get("missing") or []
            n_members = cov.get("members", pr.get("members"))
            n_sectors = len(cov.get("present") or []) if cov else pr.get("sectors")
            rows.append((self.partnership_cell(pid), self.num_cell(n_members), self.num_cell(n_sectors),
                         Cell(", ".join(self.sector_label(s) for s in missing), sort=len(missing)),
                         self.percent_cell(cov.get("coverage")), self.num_cell(cov.get("diversity"), 2),
                         self.num_cell(pr.get("betweenness")), Cell(self.period(pid))))
        table = Table("partnerships", self.t("partnership.list"), cols, tuple(rows), empty=self.t("table.empty"))
        return Page("partnerships.html", "partnerships", self.t("nav.partnerships"), self.t("partnership.list"),
                    self.t("partnership.list.text"), self.crumbs(),
                    (Section("partnerships", self.t("nav.partnerships"), tables=(table,)),))

    def sectors_page(self) -> Page:
        cols = (Column(self.t("col.sector")), Column(self.t("col.group")), Column(self.t("col.actors"), True),
                Column(self.t("col.partnerships"), True), Column(self.t("col.internal"), True),
                Column(self.t("col.external"), True), Column(self.t("col.ei"), True))
        rows = []
        for s in self.sector_ids:
            r = self.sector_rows.get(s, {})
            group = r.get("group") or (self.vocab.group_of(s) if s in self.vocab else None)
            rows.append((self.sector_cell(s), Cell(self.group_label(group)), self.num_cell(r.get("actors")),
                         self.num_cell(r.get("partnerships")), self.num_cell(r.get("internal")),
                         self.num_cell(r.get("external")), self.num_cell(r.get("ei_index"), 2)))
        table = Table("sectors", self.t("sector.list"), cols, tuple(rows), note=self.t("sector.ei.text"),
                      empty=self.t("table.empty"))
        sections = [Section("sectors", self.t("nav.sectors"), tables=(table,))]
        if self.mixing:
            sections.append(Section("mixing", self.t("sector.mixing_all"), text=(self.t("sector.mixing_all.text"),),
                                    tables=(self.mixing_matrix(),)))
        return Page("sectors.html", "sectors", self.t("nav.sectors"), self.t("sector.list"),
                    self.t("sector.list.text"), self.crumbs(), tuple(sections))

    def mixing_matrix(self) -> Table:
        present = [s for s in self.sector_ids if s in self.mixing]
        cols = (Column(self.t("col.sector")),) + tuple(
            Column(self.sector_label(s), numeric=True, color=self.sector_color(s)) for s in present)
        rows = []
        for s in present:
            r = self.mixing[s]
            rows.append((self.sector_cell(s),) + tuple(self.num_cell(r.get(o)) for o in present))
        return Table("sector-mixing", self.t("sector.mixing_all"), cols, tuple(rows), kind="matrix",
                     empty=self.t("table.empty"))

    def actors_page(self) -> Page:
        ids = self.by_label(self.page_actors)
        extra_cols = (Column(self.t("col.type")), Column(self.t("col.community"), True),
                      Column(self.t("broker.cross_sector"), True))
        base = self.actor_measure_table("actors", self.t("actor.list"), ids)
        rows = []
        for a, row in zip(ids, base.rows):
            d = self.g.nodes[a]
            comm = self.communities.get(a, {}).get("community")
            br = self.brokerage.get(a, {})
            rows.append(row[:2] + (Cell(self.type_label(d.get(S.TYPE))), self.num_cell(comm),
                                   self.num_cell(br.get("cross_sector"))) + row[2:])
        cols = base.columns[:2] + extra_cols + base.columns[2:]
        table = Table("actors", self.t("actor.list"), cols, tuple(rows), empty=self.t("table.empty"))
        return Page("actors.html", "actors", self.t("nav.actors"), self.t("actor.list"), self.actor_pages_note(),
                    self.crumbs(), (Section("actors", self.t("nav.actors"), tables=(table,)),))

    def maps_page(self) -> Page:
        rows = tuple((Cell(self.t(f"nav.map.{v}"), href=f"maps/{v}.html"), Cell(self.t(f"subtitle.{v}")))
                     for v in MAP_PAGES)
        table = Table("maps", self.t("maps.title"), (Column(self.t("col.map")), Column(self.t("col.content"))), rows)
        return Page("maps.html", "maps", self.t("maps.title"), self.t("maps.title"), self.t("maps.text"),
                    self.crumbs(), (Section("maps", self.t("maps.title"), tables=(table,)),))

    def map_page(self, view: str) -> Page:
        title = self.t(f"nav.map.{view}")
        return Page(f"maps/{view}.html", "map", title, title, self.t(f"subtitle.{view}"),
                    self.crumbs(Link(self.t("nav.maps"), "maps.html")),
                    (Section("map", title, map=MapSpec(view)),), MapSpec(view))

    def downloads_page(self) -> Page:
        sections = []
        for group in ("input", "tables", "graph"):
            files = [d for d in self.downloads if d.group == group]
            if not files:
                continue
            cols = (Column(self.t("col.file")), Column(self.t("col.content")), Column(self.t("col.format")),
                    Column(self.t("col.size"), True))
            rows = tuple(
                (Cell(d.name, href=f"downloads/{d.name}", sort=d.name), Cell(d.description), Cell(d.format),
                 Cell(_size(d.size, self.lang), sort=d.size, cls="num"))
                for d in files
            )
            table = Table(f"downloads-{group}", self.t(f"downloads.{group}"), cols, rows, empty=self.t("table.empty"))
            sections.append(Section(f"downloads-{group}", self.t(f"downloads.{group}"), tables=(table,)))
        return Page("downloads.html", "downloads", self.t("downloads.title"), self.t("downloads.title"),
                    self.t("downloads.lead"), self.crumbs(),
                    (Section("about-files", self.t("downloads.about"), text=(self.t("downloads.text"),)), *sections))

    # .. one partnership ..........................................................................

    def partnership_page(self, pid: str) -> Page:
        g = self.g
        label = self.label(pid)
        mem = self.by_label(self.members(pid))
        cov = self.coverage.get(pid, {})
        pr = self.part_rows.get(pid, {})
        present = list(zip(cov.get("present") or [], cov.get("counts") or []))
        missing = list(cov.get("missing") or [])

        facts = [Fact(self.t("col.members"), self.num(len(mem))),
                 Fact(self.t("col.sectors"), self.num(len(present)))]
        if cov.get("coverage") is not None:
            facts.append(Fact(self.t("col.coverage"), self.percent(cov.get("coverage"))))
        if cov.get("diversity") is not None:
            facts.append(Fact(self.t("col.diversity"), self.num(cov.get("diversity"), 2)))
        if cov.get("helix_complete") is not None:
            facts.append(Fact(self.t("col.helix"), self.t("yes") if cov.get("helix_complete") else self.t("no")))
        if self.period(pid):
            facts.append(Fact(self.t("col.period"), self.period(pid)))
        for m in ("betweenness", "degree", "closeness"):
            if pr.get(m) is not None:
                facts.append(Fact(self.t(f"measure.{m}"), self.num(pr.get(m))))

        member_rows = []
        links = g.adj[pid]
        for a in mem:
            member_rows.append((self.actor_cell(a), self.sector_cell(self.sector_of(a)),
                                self.text_cell(self.type_label(g.nodes[a].get(S.TYPE))),
                                self.text_cell(self.role_label(links[a].get(S.ROLE))),
                                self.num_cell(self.centrality.get(a, {}).get("partnerships"))))
        members_table = Table("members", self.t("partnership.members"), self._member_columns, tuple(member_rows),
                              empty=self.t("table.empty"))

        counts = dict(present)
        sector_rows = []
        for s in self.sector_ids:
            if s not in counts and s not in missing:
                continue  # not part of the reference (e.g. an unknown sector absent here)
            sector_rows.append(self._sector_status_row(s, counts.get(s, 0)))
        sector_table = Table("sectors", self.t("partnership.sectors"), self._sector_columns, tuple(sector_rows),
                             empty=self.t("table.empty"))
        if missing:
            missing_text = self.t("partnership.missing.list", sectors=", ".join(self.sector_label(s) for s in missing))
        else:
            missing_text = self.t("partnership.no_missing")
        sections = [
            Section("facts", self.t("partnership.facts"), facts=tuple(facts), tiles=True),
            Section("map", self.t("partnership.map"), map=MapSpec("network", partnership=pid)),
            Section("members", self.t("partnership.members"), tables=(members_table,)),
            Section("sectors", self.t("partnership.sectors"), text=(missing_text,), tables=(sector_table,)),
            self.candidates_section(pid),
        ]
        lead = self.t("partnership.lead", members=self.num(len(mem)), sectors=self.num(len(present)))
        return Page(self.partnership_href(pid), "partnership", label, label, lead,
                    self.crumbs(Link(self.t("nav.partnerships"), "partnerships.html")), tuple(sections),
                    MapSpec("network", partnership=pid))

    @cached_property
    def _member_columns(self) -> tuple[Column, ...]:
        return (Column(self.t("col.actor")), Column(self.t("col.sector")), Column(self.t("col.type")),
                Column(self.t("col.role")), Column(self.t("col.partnerships"), True))

    @cached_property
    def _sector_columns(self) -> tuple[Column, ...]:
        return (Column(self.t("col.sector")), Column(self.t("col.group")), Column(self.t("col.members"), True),
                Column(self.t("col.status")))

    @cached_property
    def _candidate_columns(self) -> tuple[Column, ...]:
        return (Column(self.t("col.sector")), Column(self.t("col.rank"), True), Column(self.t("col.candidate")),
                Column(self.t("col.shared"), True), Column(self.t("col.via")), Column(self.t("col.score"), True),
                Column(self.t("col.reason")))

    def _sector_status_row(self, sid: str, n: Any) -> tuple[Cell, ...]:
        """A row of a partnership's sector table: the same for every partnership with ``n`` members
        of the sector, so made once."""
        key = ("sector-row", sid, _value_key(n))
        row = self._shared_rows.get(key)
        if row is None:
            status = self.text_cell(self.t("partnership.present"), sort=1) if n else \
                self.text_cell(self.t("partnership.missing"), sort=0, cls="status-missing")
            row = self._shared_rows[key] = (self.sector_cell(sid), self.text_cell(self.group_label(self._group(sid))),
                                            self.num_cell(n), status)
        return row

    def _group(self, sid: str) -> str | None:
        return self.vocab.group_of(sid) if sid in self.vocab else None

    def candidates_section(self, pid: str) -> Section:
        rows = []
        order = self._sector_order
        gaps = sorted(self.gaps.get(pid), key=lambda r: (order.get(r.get("sector"), len(order)),
                                                            r.get("rank") or 0, str(r.get("candidate"))))
        reason_key = "reason_da" if self.lang == "da" else "reason_en"
        for r in gaps:
            if r.get("rank") is not None and r["rank"] > self.options.candidates:
                continue
            cand = r.get("candidate")
            reason = Cell(str(r.get(reason_key) or r.get("reason_en") or ""))
            if cand is None:  # no actor of this sector in the data: a finding, shown as such
                empty = self.text_cell("")
                rows.append((self.sector_cell(r.get("sector")), empty, self.text_cell("–"), empty, empty, empty,
                             reason))
                continue
            via = r.get("via")
            via_text = ", ".join(self.label(v) for v in via) if isinstance(via, (list, tuple)) else (
                self.label(via) if via else "")
            rows.append((self.sector_cell(r.get("sector")), self.num_cell(r.get("rank")), self.actor_cell(cand),
                         self.num_cell(r.get("shared")), Cell(via_text), self.num_cell(r.get("score")), reason))
        table = Table("candidates", self.t("partnership.candidates"), self._candidate_columns, tuple(rows),
                      empty=self.t("partnership.candidates.none"), row_header=False)
        return Section("candidates", self.t("partnership.candidates"),
                       text=(self.t("partnership.candidates.text"),), tables=(table,))

    # .. one sector ...............................................................................

    def sector_page(self, sid: str) -> Page:
        g = self.g
        label = self.sector_label(sid)
        r = self.sector_rows.get(sid, {})
        group = r.get("group") or self._group(sid)
        actors = self.by_label([a for a in self.actor_ids if self._sector[a] == sid])
        facts = [Fact(self.t("col.group"), self.group_label(group)),
                 Fact(self.t("col.actors"), self.num(len(actors)))]
        for key, col, digits in (("partnerships", "col.partnerships", DIGITS), ("internal", "col.internal", DIGITS),
                                 ("external", "col.external", DIGITS), ("ei_index", "col.ei", 2)):
            if r.get(key) is not None:
                facts.append(Fact(self.t(col), self.num(r.get(key), digits)))

        listed = actors
        if len(actors) > MAX_LIST_ROWS:
            listed = self.by_label(sorted(actors, key=lambda a: (-(self.centrality.get(a, {}).get("betweenness")
                                                                   or 0.0), a))[:MAX_LIST_ROWS])
        actor_table = self.actor_measure_table("sector-actors", self.t("sector.actors"), listed)
        actor_table = Table(actor_table.id, actor_table.caption,
                            tuple(c for i, c in enumerate(actor_table.columns) if i != 1),
                            tuple(tuple(c for i, c in enumerate(row) if i != 1) for row in actor_table.rows),
                            note=self.capped_note(len(listed), len(actors), "list.capped.actors"),
                            empty=self.t("table.empty"))
        inside, absent = [], []
        for pid in self.partnership_ids:
            present = self.coverage.get(pid, {}).get("present") or []
            (inside if sid in present else absent).append(pid)
        in_rows = []
        for pid in self.by_label(self.largest(inside)):
            cov = self.coverage.get(pid, {})
            present = dict(zip(cov.get("present") or [], cov.get("counts") or []))
            in_rows.append((self.partnership_cell(pid), self.num_cell(present[sid]),
                            self.num_cell(cov.get("members"))))
        in_table = Table("sector-in", self.t("sector.in"),
                         (Column(self.t("col.partnership")), Column(label, True), Column(self.t("col.members"), True)),
                         tuple(in_rows), note=self.capped_note(len(in_rows), len(inside), "list.capped.partnerships"),
                         empty=self.t("sector.in.none"))
        absent_rows = tuple((self.partnership_cell(p), self.num_cell(self.coverage.get(p, {}).get("members")))
                            for p in self.by_label(self.largest(absent)))
        absent_table = Table("sector-absent", self.t("sector.absent"),
                             (Column(self.t("col.partnership")), Column(self.t("col.members"), True)), absent_rows,
                             note=self.capped_note(len(absent_rows), len(absent), "list.capped.partnerships"),
                             empty=self.t("sector.absent.none"))
        mix = self.mixing.get(sid, {})
        mix_rows = tuple((self.sector_cell(o), self.num_cell(mix.get(o))) for o in self.sector_ids
                         if o in mix and mix.get(o) is not None)
        mix_table = Table("sector-mix", self.t("sector.mixing"),
                          (Column(self.t("col.sector")), Column(self.t("col.count"), True)), mix_rows,
                          empty=self.t("table.empty"))
        sections = [
            Section("facts", self.t("sector.facts"), facts=tuple(facts), text=(self.t("sector.ei.text"),), tiles=True),
            Section("actors", self.t("sector.actors"), tables=(actor_table,)),
            Section("in", self.t("sector.in"), tables=(in_table,)),
            Section("absent", self.t("sector.absent"), tables=(absent_table,)),
            Section("mixing", self.t("sector.mixing"), text=(self.t("sector.mixing.text"),), tables=(mix_table,)),
        ]
        return Page(self.sector_href(sid), "sector", label, label, self.t("sector.lead", group=self.group_label(group)),
                    self.crumbs(Link(self.t("nav.sectors"), "sectors.html")), tuple(sections))

    # .. one actor ................................................................................

    def actor_page(self, aid: str) -> Page:
        g = self.g
        d = g.nodes[aid]
        label = self.label(aid)
        sid = d.get(S.SECTOR)
        parts = self.memberships(aid)
        part_rows = []
        own = g.adj[aid]
        for p in self.by_label(parts):
            cov = self.coverage.get(p, {})
            part_rows.append((self.partnership_cell(p), self.text_cell(self.role_label(own[p].get(S.ROLE))),
                              self.num_cell(cov.get("members", len(self.members(p))))))
        part_table = Table("actor-partnerships", self.t("actor.partnerships"),
                           (Column(self.t("col.partnership")), Column(self.t("col.role")),
                            Column(self.t("col.members"), True)), tuple(part_rows), empty=self.t("table.empty"))

        shared: Counter = Counter()
        for p in parts:
            shared.update(self.members(p))
        shared.pop(aid, None)
        kinds = self._kinds
        ties = {m: d.get(S.WEIGHT) for m, d in g.adj[aid].items() if kinds.get(m) == S.ACTOR}
        partners = set(shared) | set(ties)
        n_partners = len(partners)
        note = None
        if n_partners > MAX_PARTNER_ROWS:
            partners = _most_shared(partners, shared, ties, self.by_label)
            note = self.t("actor.partners.capped", n=self.num(MAX_PARTNER_ROWS), total=self.num(n_partners))
        tie, no_tie = self.text_cell(self.t("yes"), sort=1), self.text_cell("", sort=0)
        partner_rows = []
        for m in self.by_label(partners):
            partner_rows.append((self.actor_cell(m), self.sector_cell(self.sector_of(m)),
                                 self.num_cell(shared.get(m, 0)), tie if m in ties else no_tie))
        partner_table = Table("actor-partners", self.t("actor.partners"),
                              (Column(self.t("col.actor")), Column(self.t("col.sector")),
                               Column(self.t("col.partnerships"), True), Column(self.t("col.tie"))),
                              tuple(partner_rows), note=note, empty=self.t("table.empty"))

        c = self.centrality.get(aid, {})
        measures = [Fact(self.t("col.partnerships"), self.num(c.get("partnerships", len(parts)))),
                    Fact(self.t("col.partners"), self.num(c.get("partners", n_partners)))]
        measures += [Fact(self.t(f"measure.{m}"), self.num(c.get(m))) for m in ACTOR_MEASURES if c.get(m) is not None]
        comm = self.communities.get(aid, {}).get("community")
        if comm is not None:
            measures.append(Fact(self.t("col.community"), self.num(comm)))
        b = self.brokerage.get(aid, {})
        broker_facts = [Fact(self.t("broker.role"), self.main_role(b))] if b else []
        for key in (*BROKER_ROLES, "total", "cross_sector"):
            if b.get(key) is not None:
                broker_facts.append(Fact(self.t(f"broker.{key}"), self.num(b.get(key))))
        for key in ("constraint", "effective_size"):
            if b.get(key) is not None:
                broker_facts.append(Fact(self.t(f"broker.{key}"), self.num(b.get(key))))

        facts = [Fact(self.t("col.sector"), self.sector_label(sid), self.sector_href(sid))]
        if d.get(S.TYPE):
            facts.append(Fact(self.t("col.type"), self.type_label(d.get(S.TYPE))))
        if self.period(aid):
            facts.append(Fact(self.t("col.period"), self.period(aid)))
        sections = [
            Section("facts", self.t("actor.facts"), facts=tuple(facts), tiles=True),
            Section("partnerships", self.t("actor.partnerships"), tables=(part_table,)),
            Section("partners", self.t("actor.partners"), text=(self.t("actor.partners.text", label=label),),
                    tables=(partner_table,)),
            Section("measures", self.t("actor.measures"), facts=tuple(measures), tiles=True),
        ]
        if broker_facts:
            sections.append(Section("brokerage", self.t("actor.brokerage"), text=(self.t("actor.brokerage.text"),),
                                    facts=tuple(broker_facts), tiles=True))
        lead_parts = [self.sector_label(sid)]
        if d.get(S.TYPE):
            lead_parts.append(self.type_label(d.get(S.TYPE)))
        return Page(self.actor_href(aid), "actor", label, label, " · ".join(lead_parts),
                    self.crumbs(Link(self.t("nav.actors"), "actors.html")), tuple(sections))


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


def _size(n: int, lang: str) -> str:
    if n < 1024:
        return f"{format_number(n, lang)} B"
    if n < 1024 * 1024:
        return f"{format_number(round(n / 1024, 1), lang, 1)} KB"
    return f"{format_number(round(n / 1024 / 1024, 1), lang, 1)} MB"


def build_site(g: nx.Graph, tables: Mapping[str, pl.DataFrame], options: SiteOptions | None = None,
               downloads: Sequence[Download] = ()) -> Site:
    """The site model for graph ``g`` and its metric tables (see :data:`TABLES`).

    Tables that are missing are treated as empty, so a page never fails on a
    metric that could not be computed; the pages just show fewer columns.

    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"}],
    ...                        [{"source": "a", "target": "p"}])
    >>> site = build_site(g, {}, SiteOptions(lang="en"))
    >>> [p.path for p in site.pages()][:3], site.partnership_href("p")
    (['index.html', 'partnerships.html', 'sectors.html'], 'partnerships/p.html')
    """
    return Site(g, tables, options or SiteOptions(), downloads)


__all__ = [
    "BROKER_ROLES", "CANDIDATES", "Cell", "INDEX_MAP_MAX_NODES", "Column", "Download", "Fact", "LegendItem", "Link",
    "MAX_LIST_ROWS",
    "MapSpec", "NavItem", "Page", "Section", "Site", "SiteOptions", "TABLES", "Table", "build_site",
]
