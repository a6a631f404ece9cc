"""The data's own columns: which extra columns of nodes and edges the maps and pages show, and how.

Every column of ``nodes.csv`` and ``edges.csv`` that partnernet does not read
itself (nodes: anything but ``id, label, kind, sector, type, start, end,
declared``; edges: anything but ``source, target, role, weight, start, end``)
is the user's own: ``country``, ``kontaktperson``, ``theme``, the bundled
``evidence`` quotes. Map tooltips and side panels and the actor and
partnership pages show them, by their name as written in the header, in
the order of the file.

* **Empty values are not shown** (the graph keeps only non-empty ones).
* **Numbers**: a column whose every value is a number written one way, with a
  decimal comma and dots between thousands (``32467,02``, ``15.414.794``) or a
  decimal point and commas, is written the page language's way with the
  decimals it has (``32.467,02`` / ``32,467.02``,
  :func:`~partnernet.text.format_decimal_text`). A column of whole numbers
  without separators (years, postcodes, CVR numbers) and one that reads both
  ways (only ``7.500``-like values) are shown as written: a figure is never
  guessed.
* **Long texts** (over :data:`FOLD_AT` characters) are folded on pages and in
  the side panel (``<details>``), and cut at :data:`TEXT_MAX` characters with
  "…"; tooltips show the first :data:`TOOLTIP_MAX`. The downloads keep every
  value whole.
* **Hidden columns**: a column whose header starts with ``_`` (``_note``,
  ``_intern``) is never shown on maps or pages, nor is one named in
  ``hide`` (``--hide-column COL[,COL]``). Both stay in the downloads.

Values are plain text: the renderers escape them (templates) or put them in
with ``textContent`` (map.js).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from .. import memo, schema
from ..errors import OptionError, suggest
from ..text import format_decimal_text, shorten

#: Columns partnernet reads itself; every other column is the user's own.
NODE_OWN: Final = frozenset({*schema.NODE_KNOWN})
EDGE_OWN: Final = frozenset({*schema.EDGE_KNOWN, schema.RELATION})
#: A column whose header starts with this is internal: kept in the downloads, never shown.
HIDDEN_PREFIX: Final = "_"
#: Texts longer than this are folded (``<details>``) on pages and in the side panel.
FOLD_AT: Final = 160
#: Longest value shown on a page or in a panel; the downloads hold the rest.
TEXT_MAX: Final = 2000
#: Longest value in a tooltip (a tooltip is a line per column).
TOOLTIP_MAX: Final = 80

#: A number with a decimal comma (dots between thousands), and one with a decimal point (commas between them).
_NUMBERS: Final = {
    ",": re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"),
    ".": re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"),
}


@dataclass(frozen=True)
class DataColumns:
    """The own columns of one network that maps and pages show, and which of them are decimal numbers.

    Made once per graph by :func:`data_columns` (on the whole network, so a map of a part of it
    writes the same column the same way).
    """

    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    #: Number columns (``("node", name)`` / ``("edge", name)``) → the decimal mark their values use.
    numbers: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def node_values(self, attrs: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
        """``(column, text)`` of a node's shown columns that have a value, in column order."""
        return self._values("node", self.nodes, attrs, lang)

    def edge_values(self, attrs: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
        """``(column, text)`` of an edge's shown columns that have a value, in column order."""
        return self._values("edge", self.edges, attrs, lang)

    def _values(self, kind: str, names: Sequence[str], attrs: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
        out = []
        for name in names:
            v = attrs.get(name)
            if v is None or v == "":
                continue
            text = str(v)
            mark = self.numbers.get((kind, name))
            if mark is not None:
                text = format_decimal_text(text, lang, mark)
            out.append((name, shorten(text, TEXT_MAX)))
        return out


def is_long(text: str) -> bool:
    """Whether a value is folded on pages and in the side panel."""
    return len(text) > FOLD_AT


def fold_summary(text: str) -> str:
    """The summary line of a folded long text: its start, cut at a word, with "…"."""
    head = text[:80]
    if len(text) > 80 and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def names_in(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """The own columns that view nodes or edges (with their ``columns`` pairs) show, in order of first use:
    the columns of a table of them."""
    return list(dict.fromkeys(name for item in items for name, _ in item.get("columns") or ()))


def tooltip_lines(values: Iterable[tuple[str, str]]) -> list[str]:
    """The tooltip lines of shown column values: ``name: value``, each value cut to :data:`TOOLTIP_MAX`."""
    return [f"{name}: {shorten(' '.join(text.split()), TOOLTIP_MAX)}" for name, text in values]


def _own_columns(rows: Iterable[Mapping[str, Any]], own: frozenset[str]) -> dict[str, list[str]]:
    """The own columns of node or edge attribute dicts, in order of first appearance, with their values."""
    found: dict[str, list[str]] = {}
    for attrs in rows:
        for k, v in attrs.items():
            if k not in own and isinstance(k, str) and v is not None and v != "" and not isinstance(v, (dict, list)):
                found.setdefault(k, []).append(str(v))
    return found


def _decimal_mark(values: list[str]) -> str | None:
    """The decimal mark of a column of numbers written one way (``","`` or ``"."``), else None (text, whole
    numbers without separators, or values that read both ways)."""
    if not any("," in v or "." in v for v in values):
        return None
    marks = [mark for mark, pattern in _NUMBERS.items() if all(pattern.fullmatch(v) for v in values)]
    return marks[0] if len(marks) == 1 else None


def all_columns(g: nx.Graph) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every own column of the nodes and of the edges (hidden ones too), with their values."""
    def make():
        return (_own_columns((d for _, d in g.nodes(data=True)), NODE_OWN),
                _own_columns((d for _, _, d in g.edges(data=True)), EDGE_OWN))

    return memo.remember(g, "own_columns", make)


def data_columns(g: nx.Graph, hide: Sequence[str] = ()) -> DataColumns:
    """The own columns of ``g`` that maps and pages show: all but those starting with ``_`` and those in ``hide``.

    Raises :class:`~partnernet.errors.OptionError` for a name in ``hide`` that is no own
    column of the data (with a did-you-mean).

    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records([{"id": "p", "kind": "partnership", "budget": "1,5", "_note": "x"},
    ...                         {"id": "a", "sector": "state", "country": "DK"}], [{"source": "a", "target": "p"}])
    >>> c = data_columns(g)
    >>> c.nodes, c.node_values(g.nodes["p"], "en")
    (('budget', 'country'), [('budget', '1.5')])
    """
    node_cols, edge_cols = all_columns(g)
    known = [*node_cols, *(c for c in edge_cols if c not in node_cols)]
    for name in hide:
        if name not in node_cols and name not in edge_cols:
            raise OptionError(f'--hide-column: "{name}" is not a column of the data'
                              + (suggest(name, known) or f"; its own columns: {', '.join(known) or 'none'}"))
    hidden = set(hide)

    def shown(cols: Mapping[str, list[str]]) -> tuple[str, ...]:
        return tuple(c for c in cols if not c.startswith(HIDDEN_PREFIX) and c not in hidden)

    nodes, edges = shown(node_cols), shown(edge_cols)
    numbers = {(kind, c): mark for kind, names, cols in (("node", nodes, node_cols), ("edge", edges, edge_cols))
               for c in names if (mark := _decimal_mark(cols[c])) is not None}
    return DataColumns(nodes, edges, numbers)
