"""The site model: what a page is made of, as frozen dataclasses with no behaviour of their own.

A :class:`Page` is headings, paragraphs, :class:`Fact` lists, :class:`Table`
values of :class:`Cell` and links (site paths, see :mod:`partnernet.views.site`);
it says *which* map to embed (:class:`MapSpec`) but holds no HTML.
:class:`SiteOptions` is what the site says about itself, set by the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from ... import __version__
from ...dataset import Received
from ...defaults import MAX_ACTOR_PAGES, TOP_N

#: Candidates shown per missing sector on a partnership page.
CANDIDATES: Final = 3
#: Tables longer than this get a filter box.
FILTER_MIN_ROWS: Final = 12


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
    #: The site path of the heading's explanation (a Method page anchor), shown as a small "?" link.
    help: str | None = None


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
    #: The site path of the term's explanation (a Method page anchor), shown as a small "?" link.
    help: str | None = None
    #: A long text from the data, folded (``<details>``) with its start as the summary.
    fold: bool = False


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
    #: Each actor node carries a ``change`` (joined, left, unchanged) from the comparison with the previous edition.
    changes: bool = False
    actor: str | None = None


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
class SectionFilter:
    """A choice that shows only some sections of a page (with the site's script; without it every
    section shows): a label, the text of "all", and ``(section id, text)`` per choice."""

    label: str
    all: str
    choices: tuple[tuple[str, str], ...]


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
    filter: SectionFilter | None = None

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
                yield from (h for h in (f.href, f.help) if h)
            for li in s.legend:
                if li.href:
                    yield li.href
            for link in s.links:
                if link.href:
                    yield link.href
            for t in s.tables:
                yield from (c.help for c in t.columns if c.help)
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
    received: tuple[Received, ...] = ()
    source_note: str | None = None
    betweenness_samples: int | None = None
    modularity: float | None = None
    #: The previous edition compared with (``publish --previous``; None: no What changed page), the counts of
    #: the comparison (:attr:`partnernet.metrics.diff.Diff.counts`), the length of the suggestion lists a new
    #: member was looked for in, and the measure of the centrality movers.
    previous: str | None = None
    changes_counts: tuple[tuple[str, int], ...] = ()
    changes_top: int = 0
    changes_measure: str = "pagerank"
    #: Own columns of the data not shown on the pages (``--hide-column``; see :mod:`partnernet.views.columns`).
    hide_columns: tuple[str, ...] = ()
    #: Every language the site is published in, its own first (one: no language switch).
    langs: tuple[str, ...] = ()


@dataclass(frozen=True)
class NavItem:
    """An entry of the site menu: text, site path, and the page kind it marks as current."""

    text: str
    href: str
    kind: str
