"""The columns a map page can colour, filter and size by, and the years it can step through.

:func:`map_columns` writes, for the nodes of one map view, a small column
dictionary: each column once with its values, their labels and colours, and per
node only the index of its value (categories) or the number itself (numeric
columns). A page of 10,000 actors then carries ``0,3,1,…`` instead of ten
thousand country names. The page script (``render/static/map.js``) recolours,
filters and resizes the drawn map from it without a rebuild.

Columns offered
---------------
* ``sector``, ``group`` (helix group) and ``community`` (when the view has the
  community table), coloured as the build options colour them;
* every extra node column of the data whose values are short texts that repeat
  (a category: at most :data:`MAX_CATEGORIES` values, none longer than
  :data:`MAX_CATEGORY_TEXT`; long notes and identifiers are not categories);
* every extra node column whose values are all numbers (``1,5`` read as 1.5),
  for sizing and for a range filter.

Colours of a data column come from :data:`CATEGORY_COLORS` (Okabe–Ito plus
Tol's, every two of them and the map greys at least CIEDE2000 ΔE00 10 apart,
``tests/test_views_map_columns.py``), given to the values by how often they
occur in the graph (then by value), so the same data always gives the same
colours; values past the palette share :data:`~partnernet.views.map.OTHER_COLOR`.

Years: the ``start``/``end`` of nodes and of the drawn links, as ``[index,
start, end]`` rows for the items that have one, so the page's time slider
shows the network as it stood in a year (the rule of
:func:`partnernet.graph.as_of`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final

import networkx as nx

from .. import schema
from ..text import map_text

#: Colours of data categories, in the order they are given out.
CATEGORY_COLORS: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                          "#882255", "#332288", "#999933", "#117733", "#AA4499")
#: A text column with more distinct values than this is not a category (names, notes).
MAX_CATEGORIES: Final = 60
#: A text column with a value longer than this is not a category (notes, quotes).
MAX_CATEGORY_TEXT: Final = 60
#: Node attributes that are never offered as columns (the fixed ones, and the declared counts).
NOT_COLUMNS: Final = frozenset({schema.ID, schema.LABEL, schema.KIND, schema.SECTOR, schema.TYPE, schema.START,
                                schema.END, schema.DECLARED, schema.RELATION})

_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")

def _number(v: Any) -> float | None:
    """``v`` as a number when it is one (an int, a float, or a text such as ``32467,02``), else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and _NUMBER.fullmatch(v.strip()):
        return float(v.strip().replace(",", "."))
    return None


def _plain(x: float) -> int | float:
    return int(x) if x.is_integer() else x


def _trimmed(values: list, empty: Any) -> list:
    """``values`` without the empty ones at the end (the partnerships, which come last, mostly have none)."""
    end = len(values)
    while end and values[end - 1] == empty:
        end -= 1
    return values[:end]


def _category(cid: str, label: str, values: Sequence[Any], labels: Sequence[str], colors: Sequence[str],
              index: list[int]) -> dict[str, Any]:
    return {"id": cid, "label": label, "type": "category", "values": [str(v) for v in values],
            "labels": list(labels), "colors": list(colors), "index": _trimmed(index, -1)}


def map_columns(g: nx.Graph, nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], *,
                lang: str, sectors: Sequence[tuple[str, str, str]], groups: Mapping[str, tuple[str, str, str, int]],
                communities: Mapping[str, tuple[str, str, int]] | None, other_color: str) -> dict[str, Any]:
    """The column dictionary and the years of a map view's ``nodes`` and ``edges`` (see the module docs).

    ``sectors``: ``(id, label, colour)`` in vocabulary order (no sector: id ``""``, last);
    ``groups``: sector id → ``(group id, label, colour, rank)``; ``communities``: actor id →
    ``(label, colour, rank)``, or None without the community table (ranks order the legend).
    """
    columns: list[dict[str, Any]] = []
    real = [n for n in nodes if n["kind"] in (schema.ACTOR, schema.PARTNERSHIP)]

    actors = [n for n in nodes if n["kind"] == schema.ACTOR]
    if actors:
        sector_ids = [s[0] for s in sectors]
        at = {sid: i for i, sid in enumerate(sector_ids)}
        index = [at.get(n.get("sector") or "", -1) if n["kind"] == schema.ACTOR else -1 for n in nodes]
        used = sorted({i for i in index if i >= 0})
        remap = {old: new for new, old in enumerate(used)}
        columns.append(_category("sector", map_text(lang, "col.sector"), [sector_ids[i] for i in used],
                                 [sectors[i][1] for i in used], [sectors[i][2] for i in used],
                                 [remap.get(i, -1) for i in index]))
        shown = [sector_ids[i] for i in used]
        order = sorted({groups[s] for s in shown if s in groups}, key=lambda gr: gr[3])
        if order:
            # the helix group follows from the sector: one group index per sector value, not per node
            at_g = {gr[0]: i for i, gr in enumerate(order)}
            col = _category("group", map_text(lang, "col.group"), [gr[0] for gr in order], [gr[1] for gr in order],
                            [gr[2] for gr in order], [])
            del col["index"]
            col["of"] = {"column": "sector", "index": [at_g[groups[s][0]] if s in groups else -1 for s in shown]}
            columns.append(col)
        if communities:
            comm = [communities.get(str(n["id"])) if n["kind"] == schema.ACTOR else None for n in nodes]
            labels = list(dict.fromkeys(sorted((c for c in comm if c), key=lambda c: c[2])))
            if labels:
                at_c = {c: i for i, c in enumerate(labels)}
                columns.append(_category("community", map_text(lang, "col.community"), [c[0] for c in labels],
                                         [c[0] for c in labels], [c[1] for c in labels],
                                         [at_c[c] if c else -1 for c in comm]))

    columns += _data_columns(g, nodes, real, other_color=other_color)
    years = _years(g, nodes, edges)
    out: dict[str, Any] = {"columns": columns}
    if years:
        out["years"] = years
    return out


def _data_columns(g: nx.Graph, nodes: Sequence[Mapping[str, Any]], real: Sequence[Mapping[str, Any]], *,
                  other_color: str) -> list[dict[str, Any]]:
    """The data's own node columns that are categories or numbers, in the order of the data."""
    gn = g.nodes
    names: dict[str, None] = {}
    for n in real:
        nid = n["id"]
        if nid in gn:
            for k in gn[nid]:
                if k not in NOT_COLUMNS:
                    names.setdefault(k, None)
    out = []
    for name in names:
        values = [gn[n["id"]].get(name) if n["kind"] in (schema.ACTOR, schema.PARTNERSHIP) and n["id"] in gn
                  else None for n in nodes]
        present = [v for v in values if v is not None and v != ""]
        if not present:
            continue
        numbers = [_number(v) for v in present]
        if all(x is not None for x in numbers):
            out.append({"id": name, "label": name, "type": "number",
                        "values": _trimmed([None if v is None or v == "" else _plain(_number(v)) for v in values], None)})
            continue
        if any(not isinstance(v, str) or len(v) > MAX_CATEGORY_TEXT for v in present):
            continue
        # colours by how often a value occurs in the whole graph, so a site's maps agree where they can
        counts = Counter(d.get(name) for _, d in g.nodes(data=True) if isinstance(d.get(name), str))
        shown = set(present)
        if len(shown) > MAX_CATEGORIES or len(shown) == len(present):
            continue  # free text, or one value per node: not a category
        order = sorted(shown, key=lambda v: (-counts[v], v))
        colors = [CATEGORY_COLORS[i] if i < len(CATEGORY_COLORS) else other_color for i in range(len(order))]
        at = {v: i for i, v in enumerate(order)}
        out.append(_category(name, name, order, order, colors, [at.get(v, -1) for v in values]))
    return out


def _years(g: nx.Graph, nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """``{"min", "max", "nodes": [[i, start, end]…], "edges": […]}`` of the items with a year, or None."""
    gn = g.nodes
    node_rows, edge_rows, seen = [], [], []
    for i, n in enumerate(nodes):
        d = gn[n["id"]] if n["id"] in gn else {}
        s, e = d.get(schema.START), d.get(schema.END)
        if s is not None or e is not None:
            node_rows.append([i, s, e])
            seen += [y for y in (s, e) if y is not None]
    for i, e in enumerate(edges):
        u, v = e["from"], e["to"]
        if not (u in gn and v in gn and g.has_edge(u, v)):
            continue
        d = g.edges[u, v]
        s, t = d.get(schema.START), d.get(schema.END)
        if s is not None or t is not None:
            edge_rows.append([i, s, t])
            seen += [y for y in (s, t) if y is not None]
    if not seen:
        return None
    return {"min": min(seen), "max": max(seen), "nodes": node_rows, "edges": edge_rows}
