"""Render site page models (:mod:`partnernet.views.site`) as HTML.

Uses the shared jinja2 environment of :mod:`partnernet.render.html`
(autoescape on, script-safe ``tojson``). Templates are in
``templates/site/``: ``base.html.j2`` (the frame: header, navigation,
breadcrumbs, footer) and ``_parts.html.j2`` (sections, facts, the embedded
map). Tables are written in Python by :mod:`partnernet.render.site_table`:
a large site has millions of cells. What every page of a site shares (texts,
navigation, the table writers and the cells they have written) is made once
per site, not once per page.

Scripts and styles
------------------
Every page links its scripts and styles from the site's ``assets/`` folder
instead of inlining them: vis-network alone is about 0.5 MB, and a site with
thousands of partnership pages must stay small and quick to write. That
includes the table sort/filter script (``static/site.js``, ~4 KB): it is
small, but inlined into 2,000 pages it would be 8 MB of copies, and a single
policy for all scripts keeps the Content-Security-Policy identical on every
page — the one the maps use in linked mode
(:func:`partnernet.render.map.content_security_policy` with ``inline=False``:
``default-src 'none'``, scripts and styles from ``'self'`` only, no inline
script at all). Chromium applies ``'self'`` to ``file://`` pages as the
page's own files, so the site also works opened from disk (checked by the
browser tests). The only data inside a ``<script>`` element is the map's JSON
block (``type="application/json"``, never executed, written with ``tojson``).

Links
-----
Page models hold site paths; :func:`relative` prefixes them with ``../`` per
folder level of the page, so the site works under any sub-path and over
``file://``. Anything that is not a plain relative path (a scheme, a leading
``/``, ``..``, a backslash) is refused: a bug, never data, since every file
name derived from data is a slug.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any
from weakref import WeakKeyDictionary

from markupsafe import Markup

from ..text import format_number, page_text, page_texts
from ..views.columns import fold_summary, names_in
from ..views.map import MapView
from ..views.site.build import Site
from ..views.site.model import Cell, Column, Page, Table
from . import assets
from .html import render_template
from .map import content_security_policy, map_label, page_data_parts
from .site_table import TableWriter, cell_html, check_path, help_html, rows_html, swatch_html

__all__ = [
    "ASSETS_DIR", "MAP_TABLE_KINDS", "SITE_CSS", "SITE_JS", "cell_html", "check_path", "map_context", "map_table",
    "palette", "palette_css", "read_static", "relative", "render_page", "rows_html", "site_asset_files", "site_csp",
    "swatch_html",
]

SITE_CSS = "site.css"
SITE_JS = "site.js"

#: Folder (inside the site) that holds the shared scripts and styles.
ASSETS_DIR = "assets"

#: Which navigation entry is current for each page kind.
_SECTION_OF = {
    "index": "index", "partnerships": "partnerships", "partnership": "partnerships", "sectors": "sectors",
    "sector": "sectors", "actors": "actors", "actor": "actors", "maps": "maps", "map": "maps",
    "downloads": "downloads", "method": "method", "suggestions": "suggestions",
}


def site_csp() -> str:
    """The Content-Security-Policy of every site page: the maps' linked-mode policy."""
    return content_security_policy(inline=False)


def read_static(name: str) -> bytes:
    """One of the site's own static files (``site.css``, ``site.js``) as bytes."""
    return resources.files("partnernet.render").joinpath("static", name).read_bytes()


def site_asset_files(site: Site | None = None) -> dict[str, bytes]:
    """Every file of ``assets/``: the map assets (vis-network, map.js, map.css) and the site's own
    (site.css with the sector colours of ``site`` appended, site.js)."""
    files = dict(assets.asset_files())
    files[SITE_CSS] = read_static(SITE_CSS) + (palette_css(palette(site)).encode("utf-8") if site else b"")
    files[SITE_JS] = read_static(SITE_JS)
    return dict(sorted(files.items()))


def relative(path: str, depth: int) -> str:
    """The link from a page ``depth`` folders deep to the site path ``path``.

    >>> relative("partnerships/p-x.html", 1), relative("index.html", 0)
    ('../partnerships/p-x.html', 'index.html')
    """
    check_path(path)
    return "../" * depth + path


def map_table(view: MapView) -> Table:
    """The map's nodes as a table under the map (its label promises one): screen readers, print, no-JS."""
    t = view.texts
    lang = view.lang
    own = names_in(view.nodes)
    cols = (Column(t["col.name"]), Column(t["col.kind"]), Column(t["col.sector"]), Column(t["col.type"])) + tuple(
        Column(t.get(f"measure.{m}", m), numeric=True) for m in view.measures) + tuple(Column(c) for c in own)
    rows = []
    for n in view.nodes:
        measures = n.get("measures") or {}
        row = [Cell(str(n["label"])), Cell(n.get("kind_label") or ""),
               Cell(n.get("sector_label") or ""), Cell(n.get("type_label") or "")]
        for m in view.measures:
            v = measures.get(m)
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
            row.append(Cell(format_number(v, lang) if ok else "", sort=v if ok else None, cls="num"))
        if own:
            values = dict(n.get("columns") or ())
            row += [Cell(values.get(c, "")) for c in own]
        rows.append(tuple(row))
    return Table("map-nodes", f'{t["table.nodes"]} ({format_number(len(rows), lang)})', cols, tuple(rows))


#: Pages that show the map's nodes as a table under the map. A partnership page's members
#: table already is that table, and leaving it out there keeps 2,000 pages small.
MAP_TABLE_KINDS = frozenset({"index", "map"})


def map_context(view: MapView, *, with_table: bool = True) -> dict[str, Any]:
    """What the embedded map needs: the view, the JSON for map.js in its two parts (what the first
    drawing needs, and the details read on first use: :func:`partnernet.render.map.page_data_parts`),
    the map's label and its table."""
    first, rest = page_data_parts(view)
    return {
        "view": view,
        "table": map_table(view) if with_table else None,
        "data": first,
        "more": rest,
        "label": map_label(view),
    }


_HEX = re.compile(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}")


def palette(site: Site) -> dict[str, str]:
    """Colour → CSS class of the site's sector colours (``sw-0``, ``sw-1``, …), in sector order.

    Swatches are ``<i class="sw sw-N">`` with the colours in site.css rather than an
    SVG per table cell: a cell stays ~25 bytes instead of ~170, which matters on
    pages listing thousands of actors.
    """
    from ..schema import NO_SECTOR_COLOR

    colors = [site.sector_color(s) for s in site.sector_ids] + [NO_SECTOR_COLOR]
    out: dict[str, str] = {}
    for c in colors:
        if c not in out:
            out[c] = f"sw-{len(out)}"
    return out


def palette_css(colors: dict[str, str]) -> str:
    """The CSS rules of a :func:`palette` (colours that are not plain hex fall back to grey)."""
    from ..schema import NO_SECTOR_COLOR

    rules = [f".{cls} {{ background: {c if _HEX.fullmatch(c) else NO_SECTOR_COLOR}; }}" for c, cls in colors.items()]
    return "\n/* sector colours of this site */\n" + "\n".join(rules) + "\n"


def _outside_tables(page: Page):
    """Links of a page that are not in a table (table links are checked as their cells are written)."""
    yield from (b.href for b in page.breadcrumbs if b.href)
    for s in page.sections:
        yield from (h for f in s.facts for h in (f.href, f.help) if h)
        yield from (i.href for i in s.legend if i.href)
        yield from (link.href for link in s.links if link.href)


class _Frame:
    """What every page of one site shares: the template context that is the same on every page
    (texts, navigation, footer, policy) and one :class:`TableWriter` per folder depth, so that a
    cell used on thousands of pages is written once."""

    def __init__(self, site: Site) -> None:
        lang = self.lang = site.lang
        self.colors = palette(site)
        self.context: dict[str, Any] = {
            "lang": lang,
            "t": page_texts(lang),
            "nav": site.nav(),
            "site_title": site.title,
            "org": site.options.org,
            "version": site.options.version,
            "footer": site.footer(),
            "csp": site_csp(),
            "fmt_int": lambda n: format_number(int(n), lang),
            "fold_summary": fold_summary,
            "swatch": lambda color: Markup(swatch_html(color, self.colors)),
            "help_html": lambda root, href, term: Markup(help_html(root, href, term, self.context["t"])),
        }
        self._writers: dict[int, TableWriter] = {}

    def tables(self, depth: int) -> TableWriter:
        """The table writer of pages ``depth`` folders deep."""
        writer = self._writers.get(depth)
        if writer is None:
            writer = self._writers[depth] = TableWriter("../" * depth, self.context["t"], self.lang, self.colors)
        return writer


_FRAMES: WeakKeyDictionary[Site, _Frame] = WeakKeyDictionary()


def _frame(site: Site) -> _Frame:
    frame = _FRAMES.get(site)
    if frame is None:
        frame = _FRAMES[site] = _Frame(site)
    return frame


def _translations(site: Site, page: Page) -> tuple[str, list[dict[str, str]]]:
    """The way from ``page`` up to the site's top folder (where ``assets/`` is), and its translations:
    language, name and link of the same page in every language of the site (none for one language).

    The first language is the top folder, every other one its sub-folder of its name (``en/``).
    """
    langs = site.options.langs
    up = "../" * (page.depth + (1 if langs and site.lang != langs[0] else 0))
    if not langs:
        return up, []
    return up, [{"lang": lang, "name": page_text(lang, "site.lang.name"),
                 "href": up + ("" if lang == langs[0] else f"{lang}/") + check_path(page.path)} for lang in langs]


def render_page(site: Site, page: Page, map_view: MapView | None = None) -> str:
    """The HTML of one page (text; write it as UTF-8).

    ``map_view`` is the map for ``page.map`` (built by the caller, so that a
    publish run can build each map once); pages without a map ignore it.
    """
    check_path(page.path)
    for href in _outside_tables(page):
        check_path(href)
    depth = page.depth
    frame = _frame(site)
    top, translations = _translations(site, page)
    return render_template(
        "site/base.html.j2",
        **frame.context,
        page=page,
        root="../" * depth,
        assets_root=top,
        translations=translations,
        section_kind=_SECTION_OF.get(page.kind, page.kind),
        map=map_context(map_view, with_table=page.kind in MAP_TABLE_KINDS)
        if (page.map is not None and map_view is not None) else None,
        table_html=frame.tables(depth).table,
    )
