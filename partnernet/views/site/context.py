"""What every page builder needs: the lookup index of one site, its shared cells, labels and links.

:class:`SiteContext` is built once per publish run (in each process that writes
pages) from the frozen graph, the metric tables and the :class:`SiteOptions`:
ids in their page order, the rows of the metric tables by id, member and
membership lists, slugs and site paths, and one :class:`Cell` per actor,
partnership, sector and distinct value, shared by every table (a site has a few
thousand distinct values in hundreds of thousands of cells). The page builders
(one module per page kind, registered in :mod:`partnernet.views.site.build`) only read it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from itertools import groupby
from typing import Any, Final, TypeVar

import networkx as nx
import polars as pl

from ... import schema
from ...graph import memberships_of, members, sectors_of
from ...slug import unique_slugs
from ...text import (MEASURE_DIGITS, data_label, format_number, format_percent, page_texts, plural, round_half_up,
                     shorten)
from ..columns import data_columns, is_long
from ..labels import group_label, sector_color, sector_label
from .model import Cell, Column, Download, Fact, Link, NavItem, Section, SiteOptions, Table

T = TypeVar("T")

#: Decimal places of measures on pages (the downloads keep six).
DIGITS: Final = MEASURE_DIGITS
#: Rows of the long lists on the overview and sector pages (the coverage grid, a sector's actors and
#: partnerships): above it the largest are listed and the page says so; the Partnerships page and the
#: downloads have them all. A grid of 20,000 partnerships is a 28 MB index page.
MAX_LIST_ROWS: Final = 500
#: The map pages under ``maps/``, in menu order.
MAP_PAGES: Final = ("network", "actors", "sectors")
BROKER_ROLES: Final = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
#: The page that explains how every figure is computed.
METHOD_PAGE: Final = "method.html"
#: The key figures, by the text key of their heading, and the section of the Method page that explains each.
HELP_TOPICS: Final = {
    "col.coverage": "coverage", "col.diversity": "diversity", "col.helix": "helix", "col.ei": "ei-index",
    "measure.betweenness": "centrality", "measure.degree": "centrality", "measure.closeness": "centrality",
    "measure.eigenvector": "centrality", "measure.pagerank": "centrality", "col.community": "communities",
    "index.communities": "communities", "broker.cross_sector": "brokerage", "col.rank": "suggestions",
    "col.score": "suggestions",
}


def _rows_by_id(frame: pl.DataFrame | None, key: str = schema.ID) -> dict[str, dict[str, Any]]:
    if frame is None or frame.height == 0 or key not in frame.columns:
        return {}
    return {row[key]: row for row in frame.iter_rows(named=True)}


def finite_float(value: Any) -> float | None:
    """``value`` as a finite float, else None (None, booleans, text, NaN, infinities)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _sort_key(value: Any) -> float | None:
    f = finite_float(value)
    return None if f is None else round(f, 6)


def _fold(text: str) -> str:
    return str(text).casefold()


def value_key(value: Any) -> Any:
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

    def keys(self) -> list[Any]:
        """The key values that have rows, sorted."""
        return sorted(self._spans)

    def get(self, value: Any) -> list[dict[str, Any]]:
        """The rows whose key column is ``value``, in table order (none: an empty list)."""
        span = self._spans.get(value)
        if span is None or self._frame is None:
            return []
        return list(self._frame.slice(*span).iter_rows(named=True))


class SiteContext:
    """The graph, metric tables and options of one publish run, with every lookup built once.

    What every page builder needs: the ids and their order, the rows of the metric tables by id,
    labels, links (site paths) and the cells that show them, made once and shared by every table.
    """

    def __init__(self, g: nx.Graph, tables: Mapping[str, pl.DataFrame], options: SiteOptions,
                 downloads: Sequence[Download] = ()):
        self.g = g
        self.options = options
        self.lang = options.lang
        self.tables = dict(tables)
        self.downloads = tuple(downloads)
        self.vocab = sectors_of(g)
        self.columns = data_columns(g, options.hide_columns)
        self._texts = page_texts(self.lang)
        kinds = dict(g.nodes(data=schema.KIND))
        self.actor_ids = sorted(n for n, k in kinds.items() if k == schema.ACTOR)
        self.partnership_ids = sorted(n for n, k in kinds.items() if k == schema.PARTNERSHIP)
        # every lookup a page makes, built once: pages are made by the thousand
        self._labels = {n: shorten(str(d.get(schema.LABEL) or n)) for n, d in g.nodes(data=True)}
        self._folded = {n: _fold(label) for n, label in self._labels.items()}
        self._members: dict[str, list[str]] = {p: [] for p in self.partnership_ids}
        self._parts: dict[str, list[str]] = {a: [] for a in self.actor_ids}
        for a in self.actor_ids:  # sorted, so both lists come out sorted
            for q in g.adj[a]:
                if kinds[q] == schema.PARTNERSHIP:
                    self._parts[a].append(q)
                    self._members[q].append(a)
        for p_members in self._members.values():
            p_members.sort()
        for a_parts in self._parts.values():
            a_parts.sort()
        self.kinds = kinds
        self.actor_sector = {a: g.nodes[a].get(schema.SECTOR) for a in self.actor_ids}
        self._actor_cells: dict[str, Cell] = {}
        self._partnership_cells: dict[str, Cell] = {}
        self._sector_cells: dict[str | None, Cell] = {}
        self._shared_cells: dict[tuple[Any, ...], Cell] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}
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
        extra = sorted(set(self.actor_sector.values()) - set(self.sector_ids) - {None})
        self.sector_ids += extra
        self.sector_order = {s: i for i, s in enumerate(self.sector_ids)}

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

    def count(self, key: str, n: int, **kw: Any) -> str:
        """The plural form of ``key`` for ``n``, with ``{n}`` the count written out ("1 medlem", "2 medlemmer")."""
        return self.t(plural(key, n, self.lang), n=self.num(n), **kw)

    def help(self, key: str) -> str | None:
        """The Method page anchor that explains the figure headed by text ``key`` (None: not a key figure)."""
        topic = HELP_TOPICS.get(key)
        return f"{METHOD_PAGE}#s-{topic}" if topic else None

    def column(self, key: str, numeric: bool = False) -> Column:
        """A column headed by text ``key``, linked to its explanation when it is a key figure."""
        return Column(self.t(key), numeric, help=self.help(key))

    def fact(self, key: str, value: str, href: str | None = None) -> Fact:
        """A fact termed by text ``key``, linked to its explanation when it is a key figure."""
        return Fact(self.t(key), value, href, help=self.help(key))

    def num(self, value: Any, digits: int = DIGITS) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        if isinstance(value, float):
            value = round_half_up(value, digits)  # as shown: an integer result is written as one
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

    def memo(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``, made once per site for ``key``: the column headings of a kind of table, a row that
        is the same on many pages."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    def declared(self, pid: str) -> dict[str, int]:
        """The partnership's declared unnamed members (coverage table): sector → count."""
        cov = self.coverage.get(pid, {})
        return dict(zip(cov.get("declared") or [], cov.get("declared_counts") or []))

    def unnamed(self, n: int) -> str:
        """"5 unavngivne" / "5 unnamed": declared unnamed members of a sector."""
        return self.count("unnamed.n", n)

    def num_cell(self, value: Any, digits: int = DIGITS) -> Cell:
        return self._shared((value_key(value), digits),
                            lambda: Cell(self.num(value, digits), sort=_sort_key(value), cls="num"))

    def text_cell(self, text: str, sort: int | None = None, cls: str | None = None) -> Cell:
        """A plain text cell (labels of types, roles, groups, yes/no)."""
        return self._shared((text, value_key(sort), cls), lambda: Cell(text, sort=sort, cls=cls))

    def percent(self, share: Any) -> str:
        """A share in [0, 1] as a whole percent, rounded half up ("13 %"), as the map's side panel writes it."""
        f = finite_float(share)
        return "" if f is None else format_percent(f, self.lang)

    def percent_cell(self, share: Any) -> Cell:
        return self._shared((value_key(share), "%"),
                            lambda: Cell(self.percent(share), sort=_sort_key(share), cls="num"))

    def label_text(self, label: str) -> str:
        """A label that is not a node of this site's graph (of the previous edition), cut as :meth:`label` cuts."""
        return shorten(str(label))

    def change_rows(self, name: str) -> dict[str, dict[str, Any]]:
        """The rows of the comparison's table ``changes_<name>`` by id (empty without a previous edition)."""
        return self.memo(("change-rows", name), lambda: _rows_by_id(self.tables.get(f"changes_{name}")))

    def change_members(self, key: str, value: str) -> list[dict[str, Any]]:
        """The membership changes of one partnership (``key="partnership"``) or actor (``"actor"``), in table order."""
        rows = self.memo(("change-members", key), lambda: RowsByKey(self.tables.get("changes_members"), key))
        return rows.get(value)

    def label(self, node: str) -> str:
        """The label of ``node`` as pages name it: cut to :data:`~partnernet.defaults.LABEL_TEXT_MAX` characters."""
        label = self._labels.get(node)
        return label if label is not None else str(node)

    def full_label_sections(self, node: str) -> list[Section]:
        """On a node's own page: a section with its whole label when :meth:`label` cut it (else none)."""
        full = str(self.g.nodes[node].get(schema.LABEL) or node) if node in self.g else str(node)
        return [Section("full-label", self.t("page.full_label"), text=(full,))] if full != self.label(node) else []

    def columns_section(self, node: str) -> list[Section]:
        """On a node's own page: its own columns of the data ("Fra data"), long texts folded (none: no section)."""
        values = self.columns.node_values(self.g.nodes[node], self.lang)
        if not values:
            return []
        return [Section("columns", self.t("page.columns"),
                        facts=tuple(Fact(name, text, fold=is_long(text)) for name, text in values))]

    def edge_columns(self, pairs: Sequence[tuple[str, str]]) -> tuple[tuple[Column, ...], list[list[Cell]]]:
        """The membership (edge) columns of the data for rows of ``(actor, partnership)`` pairs: a column per
        own edge column that any of them has, and each row's cells (long texts folded, see :meth:`long_cell`)."""
        if not self.columns.edges:
            return (), [[] for _ in pairs]
        adj = self.g.adj
        values = [dict(self.columns.edge_values(adj[a][p], self.lang)) for a, p in pairs]
        names = [c for c in self.columns.edges if any(c in v for v in values)]
        return (tuple(Column(c) for c in names),
                [[self.long_cell(v[c]) if c in v else self.text_cell("") for c in names] for v in values])

    def long_cell(self, text: str) -> Cell:
        """A cell with a text from the data: folded (``<details>``) when it is long."""
        return Cell(text, cls="long") if is_long(text) else self.text_cell(text)

    def members(self, pid: str) -> list[str]:
        """Actor ids of a partnership, sorted (as :func:`partnernet.graph.members`)."""
        return self._members.get(pid) or members(self.g, pid)

    def memberships(self, aid: str) -> list[str]:
        """Partnership ids of an actor, sorted (as :func:`partnernet.graph.memberships_of`)."""
        return self._parts.get(aid) or memberships_of(self.g, aid)

    def sector_of(self, node: str) -> str | None:
        """The sector id of an actor (of any node: None when it has none)."""
        if node in self.actor_sector:
            return self.actor_sector[node]
        return self.g.nodes[node].get(schema.SECTOR)

    def sector_label(self, sid: str | None) -> str:
        return sector_label(self.vocab, sid, self.lang)

    def sector_color(self, sid: str | None) -> str:
        return sector_color(self.vocab, sid)

    def group_label(self, group: str | None) -> str:
        return group_label(group, self.lang)

    def type_label(self, otype: str | None) -> str:
        return data_label(self.lang, "type", otype) if otype else ""

    def role_label(self, role: str | None) -> str:
        role = role or schema.MEMBER
        return data_label(self.lang, "role", role)

    @cached_property
    def suggestion_ids(self) -> list[str]:
        """The partnerships with rows in the gaps table (each has a suggestions download), sorted."""
        return [p for p in self.gaps.keys() if p in self.p_slug]

    def suggestions_href(self, pid: str) -> str | None:
        """The site path of a partnership's suggestions download (None when it has no suggestions)."""
        if pid not in self._suggestion_set:
            return None
        return f"downloads/suggestions/{self.p_slug[pid]}.csv"

    @cached_property
    def _suggestion_set(self) -> frozenset[str]:
        return frozenset(self.suggestion_ids)

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
        start, end = d.get(schema.START), d.get(schema.END)
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
            return (-(finite_float(row.get("betweenness")) or 0.0), -(row.get("partnerships") or 0), a)

        return sorted(sorted(self.actor_ids, key=key)[:limit])

    @property
    def actor_pages_capped(self) -> bool:
        return len(self.page_actors) < len(self.actor_ids)

    def actor_pages_note(self) -> str:
        if self.actor_pages_capped:
            return self.count("actor.list.capped", len(self.page_actors),
                              total=self.count("count.actors", len(self.actor_ids)),
                              max=self.num(self.options.max_actor_pages))
        return self.count("actor.list.all", len(self.actor_ids))

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
            NavItem(self.t("nav.suggestions"), "suggestions.html", "suggestions"),
            *([NavItem(self.t("nav.changes"), "changes.html", "changes")] if self.options.previous else []),
            NavItem(self.t("nav.maps"), "maps.html", "maps"),
            NavItem(self.t("nav.method"), METHOD_PAGE, "method"),
            NavItem(self.t("nav.downloads"), "downloads.html", "downloads"),
        ]

    def footer(self) -> str:
        return self.t("site.footer", version=self.options.version, date=self.options.date)

    def home(self) -> Link:
        return Link(self.t("nav.home"), "index.html")

    # -- parts that several pages share -------------------------------------------------------

    def crumbs(self, *extra: Link) -> tuple[Link, ...]:
        return (self.home(), *extra)

    def group_of(self, sid: str) -> str | None:
        """The helix group of a sector of the vocabulary (None for an unknown sector)."""
        return self.vocab.group_of(sid) if sid in self.vocab else None

    def largest(self, pids: Sequence[str]) -> list[str]:
        """``pids``, or the :data:`MAX_LIST_ROWS` with the most members when there are more."""
        if len(pids) <= MAX_LIST_ROWS:
            return list(pids)

        def size(pid: str) -> int:
            n = self.coverage.get(pid, {}).get("members")
            return len(self.members(pid)) if n is None else n

        return sorted(pids, key=lambda p: (-size(p), p))[:MAX_LIST_ROWS]

    def most_central(self, aids: Sequence[str]) -> list[str]:
        """``aids``, or the :data:`MAX_LIST_ROWS` with the highest betweenness when there are more."""
        if len(aids) <= MAX_LIST_ROWS:
            return list(aids)
        return sorted(aids, key=lambda a: (-(self.centrality.get(a, {}).get("betweenness") or 0.0), a))[:MAX_LIST_ROWS]

    def capped_note(self, shown: int, total: int, key: str) -> str | None:
        """The note under a list of ``shown`` of ``total`` rows, or None when nothing was left out.

        ``key`` is ``list.capped.<things>``; the total is written with the counted word ``count.<things>``.
        """
        if shown >= total:
            return None
        return self.t(key, n=self.num(shown), total=self.count("count." + key.rsplit(".", 1)[1], total))

    def actor_measure_table(self, table_id: str, caption: str, ids: Sequence[str], *, note: str | None = None) -> Table:
        cols = (Column(self.t("col.actor")), Column(self.t("col.sector")), Column(self.t("col.partnerships"), True),
                Column(self.t("col.partners"), True), self.column("measure.betweenness", True),
                self.column("measure.degree", True), self.column("measure.closeness", True),
                self.column("measure.eigenvector", True), self.column("measure.pagerank", True))
        rows = []
        for a in ids:
            r = self.centrality.get(a, {})
            rows.append((self.actor_cell(a), self.sector_cell(self.sector_of(a)),
                         self.num_cell(r.get("partnerships")), self.num_cell(r.get("partners")),
                         self.num_cell(r.get("betweenness")), self.num_cell(r.get("degree")),
                         self.num_cell(r.get("closeness")), self.num_cell(r.get("eigenvector")),
                         self.num_cell(r.get("pagerank"))))
        return Table(table_id, caption, cols, tuple(rows), note=note, empty=self.t("table.empty"))

    def main_role(self, row: Mapping[str, Any]) -> str:
        best = max(BROKER_ROLES, key=lambda r: (finite_float(row.get(r)) or 0.0, -BROKER_ROLES.index(r)))
        if not (finite_float(row.get(best)) or 0):
            return self.t("broker.none")
        return self.t(f"broker.{best}")
