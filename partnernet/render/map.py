"""Render a :class:`~partnernet.views.map.MapView` as an interactive, offline HTML page.

The pyvis bridge
----------------
pyvis is used for what it is good at — the vis-network data model and the
vis-network build it ships — and nothing else:

* the node and edge records and the vis-network options are pyvis' own:
  what :meth:`pyvis.network.Network.add_node`, :class:`pyvis.edge.Edge` and
  pyvis' :class:`~pyvis.options.Options` (physics solver and parameters via
  ``barnes_hut``, physics off, straight edges, no colour inheritance) produce,
  extended with the few options pyvis does not model (fonts, hover, tooltip
  delay). :func:`vis_data` writes those records directly, and the tests build
  them through pyvis and compare the bytes: importing pyvis imports IPython
  (about half a second), which alone would break the one-second budget of a
  command on the bundled data;
* ``vis-network.min.js`` is the copy inside the installed pyvis package
  (:mod:`partnernet.render.assets`, located without importing pyvis).

What pyvis is *not* used for, and why: its HTML template and
``write_html``/``show`` load Bootstrap (and in ``local`` mode vis-network) from
a CDN, copy ``lib/`` into the working directory, leave the heading and the
select menu unescaped, and write in the locale encoding; ``from_nx`` rewrites
the caller's graph attributes. The bridge is fed from the view model, never
from the analysis graph; the view model guarantees unique edges between
existing nodes (pyvis' ``add_edge`` checks that by scanning every edge on each
insert, which is quadratic).

The page
--------
partnernet's own template (``templates/map.html.j2``) with autoescaping; the
view data is embedded (through the script-safe ``tojson``) and read by
``static/map.js`` in two parts (:func:`page_data_parts`): what the first drawing
needs in ``<script type="application/json" id="map-data">``, and the node
details for the side panel, search results and filters in an inert
``<template id="map-details">`` after the scripts, parsed on first use.

Load time (measured by ``benchmarks/browser_map.py``; targets and results are
in the README): positions come from the view, physics, the
stabilisation and vis-network's own ``improvedLayout`` are off and edges are
straight (no hidden support nodes); the JSON is kept small (shared values once,
references instead of repeated names); the scripts come before the data table,
so the thousands of table rows are parsed after the map is drawn, while the
table itself stays in the HTML for everyone who cannot use the canvas (and for
readers without scripts). What remains is vis-network building its node and
edge objects and the first drawing.
``asset_mode="inline"`` puts vis-network, ``map.js`` and ``map.css`` into the
page (one self-contained file); ``"linked"`` refers to them relatively under
``asset_prefix`` (the publish site writes them once with
:func:`partnernet.render.assets.asset_files`).

Content-Security-Policy (a ``<meta>`` element): ``default-src 'none'`` — no
connections, frames, fonts, objects or media at all — with ``img-src data:
blob:`` (the PNG download and the favicon stub). Inline mode allows exactly the
inline script and style texts by their SHA-256 hashes (no ``'unsafe-inline'``,
and it works for ``file://`` pages, where ``'self'`` is unreliable); linked mode
allows ``'self'`` scripts and styles, i.e. the site's own ``assets/``. vis-network
needs neither ``eval`` nor inline style attributes (it styles through the CSSOM),
which the browser tests check with the policy active.
"""

from __future__ import annotations

import functools
import os
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from ..defaults import LABEL_TEXT_MAX
from ..schema import NO_SECTOR_COLOR
from ..io.atomic import write_text
from ..views.columns import FOLD_AT, names_in
from ..views.map import ACTOR_SIZE, EDGE_COLOR, OTHER_COLOR, PARTNERSHIP_SIZE, MapView, label_font_size
from . import assets
from .html import csp_hash, render_template, script_safe, style_safe
from ..text import MEASURE_DIGITS, count_text, format_number, shorten

AssetMode = Literal["inline", "linked"]

LABEL_MAX = 40
TITLE_MAX = LABEL_TEXT_MAX
FONT_FACE = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
FOCUS_BORDER = "#000000"
#: The node radius range of each kind, for sizing by another measure or column in the page.
SIZE_RANGES: dict[str, tuple[float, float]] = {"actor": ACTOR_SIZE, "partnership": PARTNERSHIP_SIZE}


@functools.lru_cache(maxsize=1024)
def _darker(color: str, factor: float = 0.6) -> str:
    """A darker shade of a ``#rrggbb`` colour (node borders), remembered: a site has a few colours
    on hundreds of thousands of map nodes."""
    c = color.lstrip("#")
    if len(c) != 6:
        return "#333333"
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(int(v * factor) for v in (r, g, b)))


def _shorten_title(title: str) -> str:
    lines = [shorten(line, TITLE_MAX) for line in title.split("\n")]
    return "\n".join(lines)


def _vis_node(n: dict[str, Any]) -> dict[str, Any]:
    """pyvis ``add_node`` keyword arguments for one view node."""
    color = n["color"]
    border = _darker(color)
    opts: dict[str, Any] = {
        "label": shorten(n["label"], LABEL_MAX),
        "title": _shorten_title(n["title"]),
        "x": n["x"],
        "y": n["y"],
        "size": n["size"],
        "color": {
            "background": color,
            "border": border,
            "highlight": {"background": color, "border": FOCUS_BORDER},
            "hover": {"background": color, "border": FOCUS_BORDER},
        },
        "borderWidth": 1,
        # the colour is explicit so the page can restore it after dimming (vis merges font updates)
        "font": {"size": label_font_size(n["size"], bool(n.get("focus"))), "color": "#1a1a1a"},
    }
    if n.get("dashes"):
        opts["color"] = {
            "background": "#ffffff",
            "border": border,
            "highlight": {"background": "#ffffff", "border": FOCUS_BORDER},
            "hover": {"background": "#ffffff", "border": FOCUS_BORDER},
        }
        opts["borderWidth"] = 2
        opts["shapeProperties"] = {"borderDashes": [4, 3]}
        opts["font"]["color"] = "#444444"
    if n.get("focus"):
        opts["borderWidth"] = 4
        opts["color"]["border"] = FOCUS_BORDER
    return opts


def _edge_color(color: str) -> dict[str, Any]:
    return {"color": color, "highlight": "#000000", "hover": "#000000", "opacity": 0.85}


def _vis_edge(e: dict[str, Any]) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "id": e["id"],
        "width": e["width"],
        "color": _edge_color(e["color"]),
        "title": _shorten_title(e["title"]),
    }
    if e.get("dashes"):
        opts["dashes"] = [6, 4]
    return opts


def vis_data(view: MapView) -> dict[str, Any]:
    """The vis-network ``nodes``, ``edges`` and ``options`` for ``view``, in pyvis' record format.

    The records are exactly what :meth:`pyvis.network.Network.add_node`, pyvis
    :class:`~pyvis.edge.Edge` and pyvis' ``Options.to_json`` produce for the
    same calls (``tests/test_render_map.py`` builds both and compares them), but
    pyvis is not imported here: importing it imports IPython, about half a second,
    which alone would break the one-second budget of a command on small data.
    """
    nodes = []
    for n in view.nodes:
        opts = _vis_node(n)
        label = opts.pop("label")
        nodes.append({"color": opts.pop("color"), **opts, "id": n["id"], "label": label or n["id"],
                      "shape": n["shape"]})
    edges = [{**_vis_edge(e), "from": e["from"], "to": e["to"]} for e in view.edges]
    big = len(view.nodes) > 1000
    options: dict[str, Any] = {
        "configure": {"enabled": False},
        "edges": {"color": {"inherit": False}, "smooth": {"enabled": False, "type": "dynamic"},
                  "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"dragNodes": True, "hideEdgesOnDrag": big, "hideNodesOnDrag": False,
                        "hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": False}, "multiselect": False, "hideEdgesOnZoom": big},
        "physics": {
            "barnesHut": {"avoidOverlap": 0.2, "centralGravity": 0.2, "damping": 0.4,
                          "gravitationalConstant": -4000, "springConstant": 0.03, "springLength": 110},
            "enabled": False,
            "stabilization": {"enabled": False, "fit": True, "iterations": 1000, "onlyDynamicEdges": False,
                              "updateInterval": 50},
        },
        "nodes": {"font": {"face": FONT_FACE, "color": "#1a1a1a", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "labelHighlightBold": True},
        "layout": {"improvedLayout": False, "randomSeed": view.seed},
    }
    return {"nodes": nodes, "edges": edges, "options": options}


#: The edge colour most edges share; it goes into the vis options once instead of into every edge.
DEFAULT_EDGE_COLOR: dict[str, Any] = _edge_color(EDGE_COLOR)

#: Node fields the page script reads (the panel, search and filters); ``partnerships`` and
#: ``members`` are written as ``[id, role]`` references (see :func:`_details`); ``columns`` are the
#: data's own ``[column, text]`` pairs, ``link_columns`` those of the node's memberships, by the other end.
DETAIL_KEYS = ("id", "label", "kind", "kind_label", "sector", "sector_label", "type_label", "measures",
               "partnerships", "members", "present", "missing", "coverage", "change", "columns", "link_columns")


def _details(view: MapView) -> tuple[list[dict[str, Any]], dict[str, list], dict[str, str]]:
    """Node details for the page, with the partnership and member lists as references.

    A big map repeats the same partnership and member names thousands of times
    (an actor lists its partnerships, a partnership its members); here each
    list item is ``[id, role]``, and every name, member sector and role label
    is written once, in ``refs`` (id → ``[label, sector_label]``) and ``roles``
    (role → label). An item whose texts differ from those tables (never, for
    views from :func:`~partnernet.views.map.map_view`) carries them itself as a
    third element. Empty and null fields are left out.
    """
    refs: dict[str, list] = {}
    roles: dict[str, str] = {}

    def ref(item: dict[str, Any]) -> list:
        rid, role = item["id"], item.get("role")
        texts = [item.get("label"), item.get("sector_label")]
        own: dict[str, Any] = {}
        if refs.setdefault(rid, texts) != texts:
            own.update(label=texts[0], sector_label=texts[1])
        role_label = item.get("role_label")
        if role is not None and roles.setdefault(role, role_label) != role_label:
            own["role_label"] = role_label
        return [rid, role, own] if own else [rid, role]

    out = []
    for n in view.nodes:
        d: dict[str, Any] = {}
        for k in DETAIL_KEYS:
            v = n.get(k)
            if v is None or (isinstance(v, (list, dict, str)) and not v and k not in ("id", "label")):
                continue
            if k in ("partnerships", "members"):
                v = [ref(item) for item in v]
            d[k] = v
        out.append(d)
    return out, refs, roles


def _page_vis(view: MapView) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    """:func:`vis_data` made smaller for the page; the edge notes; the node defaults.

    * The shared edge colour moves from every edge into the options.
    * An edge tooltip that is "*from* – *to*" (the two full node labels, each in
      bidi isolates) plus a note on the next lines is written as the index of
      that note (``"note"``) in the returned list; the page script puts the
      tooltip together again, character for character. Tooltips of any other
      form (shortened, or without the two names) stay as they are.
    * A node colour whose highlight and hover states are its own background
      with the focus border is written as ``{background, border}``, and a label
      colour equal to the default is left out; the page script fills both in
      from the returned defaults (``highlight``, ``font``) before vis-network
      sees the nodes.
    """
    data = vis_data(view)
    data["options"]["edges"]["color"] = {"inherit": False, **DEFAULT_EDGE_COLOR}
    font_color = data["options"]["nodes"]["font"]["color"]
    for n in data["nodes"]:
        c = n.get("color")
        if isinstance(c, dict):
            state = {"background": c.get("background"), "border": FOCUS_BORDER}
            if c.get("highlight") == state and c.get("hover") == state:
                del c["highlight"], c["hover"]
        font = n.get("font")
        if isinstance(font, dict) and font.get("color") == font_color:
            del font["color"]
    labels = {n["id"]: n["label"] for n in view.nodes}
    notes: dict[str, int] = {}
    for e in data["edges"]:
        if e.get("color") == DEFAULT_EDGE_COLOR:
            del e["color"]
        title = e.get("title")
        if isinstance(title, str) and e["from"] in labels and e["to"] in labels:
            head = f"\u2068{labels[e['from']]}\u2069 – \u2068{labels[e['to']]}\u2069\n"
            if title.startswith(head):
                del e["title"]
                e["note"] = notes.setdefault(title[len(head):], len(notes))
    return data, list(notes), {"highlight": FOCUS_BORDER, "font": font_color}


def map_label(view: MapView) -> str:
    """The map's accessible name: what it shows, in words, and where the same data is as a table."""
    return view.texts["map.label"].format(nodes=count_text(view.lang, "count.nodes", len(view.nodes)),
                                          edges=count_text(view.lang, "count.links", len(view.edges)))


def page_data_parts(view: MapView) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page's JSON in two parts: what the map needs to draw, and what it needs later.

    The first part (the ``map-data`` block, read before the first drawing)
    holds the vis-network data, the texts and, per node, only ``id`` and
    ``label``; it says ``"more": true``. The second part (``details``, ``refs``,
    ``roles``; the ``map-details`` block after the scripts) holds everything
    the side panel, search results and filters show, and is parsed only when
    one of them is first used. Every megabyte costs load time in the browser
    (reading, parsing the HTML, ``JSON.parse``), so both are kept small: edges
    without their own colour use the one in the options, most edge tooltips and
    node colours are rebuilt by the page (see :func:`_page_vis`), and names in
    the detail lists are references (see :func:`_details`).
    """
    t = view.texts
    details, refs, roles = _details(view)
    _sectors_by_column(view, details)
    vis, notes, node_defaults = _page_vis(view)
    first = {
        "lang": view.lang,
        "view": view.view,
        "focus": view.focus,
        "vis": vis,
        "notes": notes,
        "node_defaults": node_defaults,
        "details": [{"id": d["id"], "label": d.get("label", "")} for d in details],
        "more": True,
        "measures": view.measures,
        "digits": MEASURE_DIGITS,
        "texts": {k: v for k, v in t.items() if k.split(".")[0] in {
            "search", "physics", "panel", "measure", "members", "partnerships", "missing_sectors", "present_sectors",
            "measures", "none", "coverage", "col", "kind", "download", "count", "summary", "status", "zoom",
            "columns", "legend", "png", "community", "no_sector"}},
        # the defaults of the page's colour and size menus, and what the exported image prints
        "color_by": view.color_by,
        "size_by": view.size_by,
        "title": view.title,
        "date": view.date,
    }
    if any("columns" in d or "link_columns" in d for d in details):
        first["fold_at"] = FOLD_AT  # the side panel folds longer values of the data's own columns
    rest = {
        "details": [{k: v for k, v in d.items() if k != "label"} for d in details],
        "refs": refs,
        "roles": roles,
        **page_columns(view),
    }
    return first, rest


def _sectors_by_column(view: MapView, details: list[dict[str, Any]]) -> None:
    """Leave out each actor's ``sector`` and ``sector_label`` where the sector column says the same:
    the page script fills them in from the column (a value index per node instead of two names)."""
    col = next((c for c in view.columns.get("columns", []) if c["id"] == "sector"), None)
    if col is None:
        return
    for d, k in zip(details, col["index"]):
        if k >= 0 and d.get("sector", "") == col["values"][k] and d.get("sector_label") == col["labels"][k]:
            d.pop("sector", None)
            d.pop("sector_label", None)


def page_columns(view: MapView) -> dict[str, Any]:
    """The view's column dictionary for the page script, each colour as ``[fill, border]`` (the
    border drawn as :func:`vis_data` draws it), with the node size ranges the script scales to."""
    columns = [{**c, "colors": [[x, _darker(x)] for x in c["colors"]]} if "colors" in c else c
               for c in view.columns.get("columns", [])]
    out: dict[str, Any] = {"columns": columns, "sizes": SIZE_RANGES, "other": OTHER_COLOR,
                           "none": [NO_SECTOR_COLOR, _darker(NO_SECTOR_COLOR)]}
    if view.columns.get("years"):
        out["years"] = view.columns["years"]
    return out


def content_security_policy(*, inline: bool, script_hashes: list[str] = (), style_hashes: list[str] = ()) -> str:
    """The page's CSP: nothing from outside; inline scripts/styles only by hash (inline) or 'self' (linked)."""
    if inline:
        script_src = " ".join(script_hashes) or "'none'"
        style_src = " ".join(style_hashes) or "'none'"
    else:
        script_src = "'self'"
        style_src = "'self'"
    return "; ".join([
        "default-src 'none'",
        f"script-src {script_src}",
        f"style-src {style_src}",
        "img-src data: blob:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def render_map(view: MapView, *, asset_mode: AssetMode = "inline", asset_prefix: str = "assets/") -> str:
    """The complete HTML page for ``view`` as text (write it as UTF-8).

    ``asset_mode="inline"`` gives one self-contained file; ``"linked"`` refers to
    ``{asset_prefix}vis-network.min.js``, ``map.js`` and ``map.css``. The same
    view always gives the same text (no timestamps, no random ids).
    """
    if asset_mode not in ("inline", "linked"):
        raise ValueError(f"asset_mode must be 'inline' or 'linked', not {asset_mode!r}")
    inline = asset_mode == "inline"
    if not inline and (asset_prefix.startswith(("/", "\\")) or "://" in asset_prefix or asset_prefix.startswith("//")):
        raise ValueError(f"asset_prefix must be a relative path, not {asset_prefix!r}")
    data = {f.name: getattr(view, f.name) for f in fields(view)}  # read-only: no copy needed
    first, rest = page_data_parts(view)
    context: dict[str, Any] = {
        "view": data,
        "data": first,
        "more": rest,
        "inline": inline,
        "prefix": asset_prefix,
        "labels": {n["id"]: n["label"] for n in view.nodes},
        "node_columns": names_in(view.nodes),
        "edge_columns": names_in(view.edges),
        "fmt": lambda v: format_number(v, view.lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else "",
        "map_label": map_label(view),
    }
    if inline:
        vis_js = script_safe(assets.read_asset(assets.VIS_JS))
        map_js = script_safe(assets.read_asset(assets.MAP_JS))
        css = style_safe(assets.read_asset(assets.MAP_CSS))
        context.update(vis_js=Markup(vis_js), map_js=Markup(map_js), css=Markup(css))
        context["csp"] = content_security_policy(
            inline=True, script_hashes=[csp_hash(vis_js), csp_hash(map_js)], style_hashes=[csp_hash(css)])
    else:
        context["csp"] = content_security_policy(inline=False)
    return render_template("map.html.j2", **context)


def write_map(view: MapView, path: str | os.PathLike, *, asset_mode: AssetMode = "inline",
              asset_prefix: str = "assets/") -> Path:
    """Render ``view`` and write it atomically as UTF-8 to ``path`` (whatever the locale)."""
    return write_text(path, render_map(view, asset_mode=asset_mode, asset_prefix=asset_prefix))
