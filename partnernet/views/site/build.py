"""The site: its page kinds, in one registry, and :func:`build_site`, the entry point.

:data:`PAGE_KINDS` maps each kind of page to the keys of its pages in a site and
the function that builds one (datasette-style: one module per kind). Adding a
page kind is its module and one entry here: :meth:`Site.page_keys`,
:meth:`Site.page`, :meth:`Site.pages` and :meth:`Site.page_count` follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import networkx as nx
import polars as pl

from .actor import actor_page
from .changes import changes_page, has_changes
from .context import MAP_PAGES, SiteContext
from .index import index_page
from .lists import actors_page, downloads_page, map_page, maps_page, partnerships_page, sectors_page
from .method import method_page
from .model import Download, Page, SiteOptions
from .partnership import partnership_page
from .sector import sector_page
from .suggestions import suggestions_page

@dataclass(frozen=True)
class PageKind:
    """A kind of page: the keys of its pages in a site (in page order), and how to build one."""

    keys: Callable[[SiteContext], Sequence[str]]
    build: Callable[[SiteContext, str], Page]


def _single(build: Callable[[SiteContext], Page]) -> PageKind:
    """A kind with one page, keyed ``""``."""
    return PageKind(lambda site: ("",), lambda site, key: build(site))


#: Every kind of page, in site order: the overview pages first, then one per map, sector,
#: partnership and actor.
PAGE_KINDS: Final[Mapping[str, PageKind]] = {
    "index": _single(index_page),
    "partnerships": _single(partnerships_page),
    "sectors": _single(sectors_page),
    "actors": _single(actors_page),
    "suggestions": _single(suggestions_page),
    "changes": PageKind(lambda site: ("",) if has_changes(site) else (), lambda site, key: changes_page(site)),
    "maps": _single(maps_page),
    "method": _single(method_page),
    "downloads": _single(downloads_page),
    "map": PageKind(lambda site: MAP_PAGES, map_page),
    "sector": PageKind(lambda site: site.sector_ids, sector_page),
    "partnership": PageKind(lambda site: site.partnership_ids, partnership_page),
    "actor": PageKind(lambda site: site.page_actors, actor_page),
}


class Site(SiteContext):
    """One publish run's site: the context every page needs, and its pages by kind and key."""

    def page_keys(self) -> list[tuple[str, str]]:
        """``(kind, key)`` of every page, in a fixed order (that of :data:`PAGE_KINDS`).
        :meth:`page` builds the page for a key, so pages can be made in any order or in several
        processes."""
        return [(kind, key) for kind, pk in PAGE_KINDS.items() for key in pk.keys(self)]

    def page(self, kind: str, key: str = "") -> Page:
        """The page for one of :meth:`page_keys`."""
        return PAGE_KINDS[kind].build(self, key)

    def pages(self) -> Iterator[Page]:
        """Every page of the site, in the order of :meth:`page_keys`."""
        for kind, key in self.page_keys():
            yield self.page(kind, key)

    def page_count(self) -> int:
        """The number of pages (of :meth:`page_keys`)."""
        return sum(len(pk.keys(self)) for pk in PAGE_KINDS.values())


def build_site(g: nx.Graph, tables: Mapping[str, pl.DataFrame], options: SiteOptions | None = None,
               downloads: Sequence[Download] = ()) -> Site:
    """The site model for graph ``g`` and its metric tables (see :data:`partnernet.metrics.suite.TABLES`).

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
