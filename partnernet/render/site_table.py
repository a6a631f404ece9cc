"""Site tables as HTML: sector swatches, cells, rows and whole table blocks.

Tables are written in Python rather than with a template macro per cell: a large site has
millions of cells. Every text is escaped with markupsafe exactly as autoescaping would,
and every link is checked by :func:`check_path` as its cell is written.

The page models share one :class:`~partnernet.views.site.model.Cell` object per actor,
partnership, sector and distinct value, used in thousands of tables; a :class:`RowWriter`
writes the HTML of each such object once. :func:`check_path` is the site's link policy,
also applied by :mod:`partnernet.render.site` to the links outside tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from ..text import count_text, format_number
from ..views.columns import fold_summary
from ..views.site.model import Cell, Column, Table

_SAFE_PATH = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*(?:#[A-Za-z0-9_-]+)?")

#: Cells whose HTML a :class:`RowWriter` keeps before it starts over: more than the shared
#: cells of a 10,000-actor site, and a bound on the memory held for cells used once.
MAX_CACHED_CELLS = 50_000


@lru_cache(maxsize=65536)
def check_path(path: str) -> str:
    """Refuse anything but a plain relative site path (letters, digits, ``._-``, ``/``)."""
    if not _SAFE_PATH.fullmatch(path or "") or any(part in ("", ".", "..") for part in path.split("#")[0].split("/")):
        raise ValueError(f"not a safe site path: {path!r}")
    return path


def _attr(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(escape(str(value)))


def swatch_html(color: str, colors: Mapping[str, str] | None = None) -> str:
    """A colour square: a palette class when the colour has one, else a small SVG (no inline style)."""
    cls = (colors or {}).get(color)
    if cls:
        return f'<i class="sw {cls}" aria-hidden="true"></i>'
    return (f'<svg class="swatch" width="10" height="10" viewBox="0 0 12 12" aria-hidden="true">'
            f'<rect x="0.5" y="0.5" width="11" height="11" fill="{escape(color)}" stroke="#333333" '
            f'stroke-width="1"/></svg>')


def help_html(root: str, href: str, term: str, texts: Mapping[str, str]) -> str:
    """The small "?" link to the explanation of ``term`` (a Method page anchor), with an accessible name."""
    name = texts["help.label"].format(term=term)
    return (f' <a class="help" href="{escape(root + check_path(href))}"><span aria-hidden="true">?</span>'
            f'<span class="sr">{escape(name)}</span></a>')


def cell_html(cell: Cell, *, header: bool, root: str, colors: Mapping[str, str] | None = None) -> str:
    """One ``<td>``/``<th>`` with every text escaped; links made relative with ``root``."""
    tag = "th" if header else "td"
    attrs = ' scope="row"' if header else ""
    if cell.cls:
        attrs += f' class="{escape(cell.cls)}"'
    if cell.sort is not None:
        attrs += f' data-sort="{_attr(cell.sort)}"'
    if cell.title:
        attrs += f' title="{escape(cell.title)}"'
    if cell.cls == "cell-empty":
        inner = f'<span class="sr">{escape(cell.title or "")}</span>'
    elif cell.cls == "cell-filled":
        inner = f'<span aria-hidden="true">{escape(cell.text)}</span><span class="sr">{escape(cell.title or "")}</span>'
    elif cell.cls == "long":  # a long text from the data, folded
        inner = (f'<details><summary><bdi>{escape(fold_summary(cell.text))}</bdi></summary>'
                 f'<bdi>{escape(cell.text)}</bdi></details>')
    else:
        inner = swatch_html(cell.color, colors) + " " if cell.color else ""
        if cell.href:
            inner += f'<a href="{escape(root + check_path(cell.href))}"><bdi>{escape(cell.text)}</bdi></a>'
        elif cell.text:
            inner += f"<bdi>{escape(cell.text)}</bdi>"
    return f"<{tag}{attrs}>{inner}</{tag}>"


class RowWriter:
    """Writes the ``<tr>`` rows of tables on pages at one folder depth (links start with ``root``).

    The HTML of each cell object is kept by the object's identity, and the object is kept with
    it, so that no other object can take its identity while the entry exists: a cell shared by
    many tables is written once.
    """

    def __init__(self, root: str, colors: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.colors = colors
        self._td: dict[int, str] = {}
        self._th: dict[int, str] = {}
        self._kept: list[Cell] = []

    def _write(self, cell: Cell, header: bool) -> str:
        """The HTML of a cell not written yet, kept for the next time."""
        if len(self._kept) >= MAX_CACHED_CELLS:
            self._td.clear()
            self._th.clear()
            self._kept.clear()
        html = cell_html(cell, header=header, root=self.root, colors=self.colors)
        (self._th if header else self._td)[id(cell)] = html
        self._kept.append(cell)
        return html

    def rows(self, table: Table) -> Markup:
        """The rows of ``table``, one per line, indented for the ``<tbody>``."""
        header = table.row_header
        first = (self._th if header else self._td).get
        td = self._td.get
        write = self._write
        out = []
        for row in table.rows:
            if row:
                head, *rest = row
                cells = [first(id(head)) or write(head, header)]
                cells += [td(id(c)) or write(c, False) for c in rest]
                out.append("      <tr>" + "".join(cells) + "</tr>")
            else:
                out.append("      <tr></tr>")
        return Markup("\n".join(out))


class TableWriter(RowWriter):
    """Writes whole table blocks (tools, caption, header, rows, note) as the ``table_html`` of the
    site templates: a template macro per table cost more than its rows on small pages. The
    header of each distinct column set is written once."""

    def __init__(self, root: str, texts: Mapping[str, str], lang: str,
                 colors: Mapping[str, str] | None = None) -> None:
        super().__init__(root, colors)
        self.texts = texts
        self.lang = lang
        self._heads: dict[tuple[Column, ...], str] = {}

    def head(self, columns: tuple[Column, ...]) -> str:
        """The ``<th scope="col">`` lines of a table header."""
        html = self._heads.get(columns)
        if html is None:
            lines = []
            for col in columns:
                attrs = ' class="num" data-type="number"' if col.numeric else ""
                if col.title:
                    attrs += f' title="{escape(col.title)}"'
                swatch = swatch_html(col.color, self.colors) + " " if col.color else ""
                helps = help_html(self.root, col.help, col.label, self.texts) if col.help else ""
                lines.append(f'      <th scope="col"{attrs}>{swatch}<span>{escape(col.label)}</span>{helps}</th>\n')
            html = self._heads[columns] = "".join(lines)
        return html

    def table(self, tb: Table) -> Markup:
        """The ``<div class="table-block">`` of one table, with a line break after it."""
        t = self.texts
        kind = "" if tb.kind == "data" else f" {escape(tb.kind)}"
        out = [f'<div class="table-block{kind}">\n']
        if tb.rows:
            if tb.filterable:
                out.append(f'  <div class="table-tools" hidden>\n'
                           f'    <label>{escape(t["table.filter"])} <input type="search" class="table-filter" '
                           f'data-table="t-{escape(tb.id)}" placeholder="{escape(t["table.filter.placeholder"])}" '
                           f'autocomplete="off" spellcheck="false"></label>\n'
                           f'    <span class="table-count" aria-live="polite"></span>\n'
                           f'  </div>\n')
            count = count_text(self.lang, "count.rows", len(tb.rows))
            # the box a wide table scrolls in on a phone: focusable (keyboard scrolling), named by the caption
            out.append(f'  <div class="table-scroll{" tall" if len(tb.rows) > 40 else ""}" role="region" tabindex="0" '
                       f'aria-labelledby="c-{escape(tb.id)}">\n'
                       f'  <table id="t-{escape(tb.id)}" class="data-table{kind}" data-sortable>\n'
                       f'    <caption id="c-{escape(tb.id)}">{escape(tb.caption)} <span class="count">({escape(count)})</span></caption>\n'
                       f'    <thead><tr>\n{self.head(tb.columns)}    </tr></thead>\n'
                       f'    <tbody>\n{self.rows(tb)}\n    </tbody>\n'
                       f'  </table>\n'
                       f'  </div>\n')
        else:
            out.append(f'  <p class="empty-table">{escape(tb.empty or t["table.empty"])}</p>\n')
        if tb.note:
            out.append(f'<p class="table-note">{escape(tb.note)}</p>')
        out.append("</div>\n")
        return Markup("".join(out))


def rows_html(table: Table, root: str, colors: Mapping[str, str] | None = None) -> Markup:
    """The ``<tr>`` rows of one table (see :class:`RowWriter`, which pages use to share the work)."""
    return RowWriter(root, colors).rows(table)
