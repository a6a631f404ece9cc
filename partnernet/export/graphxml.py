"""The graph as GEXF (Gephi), GraphML (Cytoscape, yEd, igraph) and JSON records, as deterministic bytes.

The XML is written here, element by element, from clean records of the graph
(the analysis graph is never touched), prepared so that any data the user
brings writes cleanly:

* attributes whose value is ``None`` are dropped (GraphML/GEXF have no null);
* lists and tuples become ``|``-joined text, as in the CSV exports, and a
  mapping (a partnership's ``declared`` unnamed members) the text of its
  nodes.csv cell, ``business:5|civil_society:1``;
* characters XML 1.0 cannot hold (control characters) become U+FFFD;
  floats are rounded like every export, NaN/infinite values dropped;
* graph-level attributes (the sector vocabulary object, source paths) are
  replaced by a plain ``name``;
* nodes are written actors first, then partnerships, each sorted by id, and
  edges in that node order, so a membership reads actor → partnership and the
  same data always gives the same bytes.

GEXF gives some attribute names a meaning of their own (``start``/``end`` make
the graph dynamic, an edge ``type`` must be ``directed``/``undirected``, ``viz``
or ``spells`` must be structures, ``id`` replaces the edge id). To keep the
export a plain static graph those names are written with a suffix:
``start`` → ``start_year``, ``end`` → ``end_year`` and other reserved names
→ ``<name>_``, and a name already in use anywhere in the file gets another
``_`` (decided once per file, so every node writes the same names).
``label`` stays the node label and ``weight`` the edge weight.
GraphML keeps every name as it is.

The bytes are those networkx' GEXF and GraphML writers give for the same clean
copy (:func:`export_graph`); networkx' writers are not used here, only in the
tests, as the oracle the fast writers are proven equal to.

>>> from partnernet.graph import graph_from_records
>>> g = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"}],
...                        [{"source": "a", "target": "p"}])
>>> gexf_bytes(g, date="2024-01-31")[:38]
b"<?xml version='1.0' encoding='utf-8'?>"
"""

from __future__ import annotations

import re
from typing import Final

import networkx as nx

from .. import __version__, schema
from ..graph import declared_text
from .tables import plain, records_json, rounded

#: GEXF names with a special meaning → the name written instead.
GEXF_NODE_RENAME: Final = {"start": "start_year", "end": "end_year"}
GEXF_EDGE_RENAME: Final = {"start": "start_year", "end": "end_year"}
_GEXF_NODE_RESERVED: Final = frozenset({"id", "pid", "spells", "slices", "viz", "parents"})
_GEXF_EDGE_RESERVED: Final = frozenset({"id", "type", "spells", "slices", "viz"})


_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 cannot hold (most control characters) replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def _value(value):
    """An attribute value as GEXF/GraphML can hold it, or ``None`` to drop it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return rounded(value)
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return xml_safe(declared_text(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return xml_safe("|".join("" if v is None else str(v) for v in items))
    return xml_safe(str(value))


def _rename_map(names: set[str], rename: dict[str, str], reserved: frozenset[str]) -> dict[str, str]:
    """Reserved names among ``names`` → the names written instead, decided once for the whole file.

    A new name never takes one in use anywhere in the file (``start`` next to a
    user's ``start_year`` becomes ``start_year_``), so one attribute never holds
    two columns' values.
    """
    out: dict[str, str] = {}
    taken = set(names)
    for name in sorted(names):
        new = rename.get(name) or (f"{name}_" if name in reserved else name)
        if new == name:
            continue
        while new in taken:
            new += "_"
        taken.add(new)
        out[name] = new
    return out


def _renamed(values: dict, mapping: dict[str, str]) -> dict:
    """``values`` with the names in ``mapping`` renamed (the same dict when none is)."""
    if not mapping or not any(k in mapping for k in values):
        return values
    return {mapping.get(k, k): v for k, v in values.items()}


def _node_order(g: nx.Graph) -> list:
    def key(n):
        return (0 if g.nodes[n].get(schema.KIND) == schema.ACTOR else 1, str(n))

    return sorted(g.nodes, key=key)


Records = tuple[list[tuple[str, dict]], list[tuple[str, str, dict]]]
"""Nodes ``(id, data)`` and edges ``(source, target, data)`` as they are written."""


def _records(g: nx.Graph, variants: tuple[bool, ...]) -> dict[bool, Records]:
    """The written copy of the graph (see :func:`export_graph`) for each ``for_gexf`` in ``variants``.

    Values are cleaned once for all variants; the variants differ only in
    renamed names and GEXF's label default.
    """
    out: dict[bool, Records] = {v: ([], []) for v in variants}
    node_names = {xml_safe(str(k)) for _, data in g.nodes(data=True) for k in data}
    edge_names = {xml_safe(str(k)) for _, _, data in g.edges(data=True) for k in data}
    node_map = _rename_map(node_names, GEXF_NODE_RENAME, _GEXF_NODE_RESERVED)
    edge_map = _rename_map(edge_names, GEXF_EDGE_RENAME, _GEXF_EDGE_RESERVED)
    order = _node_order(g)
    position = {n: i for i, n in enumerate(order)}
    for n in order:
        data = g.nodes[n]
        values = {k: v for k, v in ((xml_safe(str(k)), _value(data[k])) for k in sorted(data, key=str)) if v is not None}
        nid = xml_safe(str(n))
        for for_gexf in variants:
            d = _renamed(values, node_map) if for_gexf else values
            if for_gexf and "label" not in d:
                d = {**d, "label": nid}
            out[for_gexf][0].append((nid, d))
    edges = []
    for u, v, d in g.edges(data=True):
        if position[v] < position[u]:
            u, v = v, u
        edges.append((position[u], position[v], u, v, d))
    edges.sort(key=lambda e: (e[0], e[1]))
    for _, _, u, v, data in edges:
        values = {k: x for k, x in ((xml_safe(str(k)), _value(data[k])) for k in sorted(data, key=str)) if x is not None}
        su, sv = xml_safe(str(u)), xml_safe(str(v))
        for for_gexf in variants:
            d = _renamed(values, edge_map) if for_gexf else values
            out[for_gexf][1].append((su, sv, d))
    return out


def export_graph(g: nx.Graph, *, for_gexf: bool = False, name: str = "partnernet") -> nx.Graph:
    """The copy that is written, as a graph: clean attribute values, fixed order, plain graph attributes.

    The analysis graph is not touched. With ``for_gexf`` reserved GEXF names are
    renamed (see the module docs).
    """
    nodes, edges = _records(g, (for_gexf,))[for_gexf]
    h = nx.Graph(name=name)
    h.add_nodes_from(nodes)
    h.add_edges_from(edges)
    return h


_ATTR_ESCAPE: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                                      "\n": "&#10;", "\t": "&#09;"})
_TEXT_ESCAPE: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
#: XML schema type of an attribute, by the Python type of its first value (as networkx declares them).
_XML_TYPES: Final = {bool: "boolean", int: "long", float: "double", str: "string"}
_DECLARATION: Final = "<?xml version='1.0' encoding='utf-8'?>\n"


def _tag(name: str, attrs: list[tuple[str, object]], *, empty: bool = False) -> str:
    """An opening (or empty) element tag, attribute values escaped as ElementTree escapes them."""
    text = "".join(f' {k}="{str(v).translate(_ATTR_ESCAPE)}"' for k, v in attrs)
    return f"<{name}{text} />" if empty else f"<{name}{text}>"


def gexf_bytes(g: nx.Graph, *, date: str | None = None, name: str = "partnernet") -> bytes:
    """GEXF 1.2 of the graph; ``date`` (YYYY-MM-DD) is written as ``lastmodifieddate``.

    Without ``date`` the attribute is left out, so the bytes never depend on
    the day the export ran. The document is the one networkx' ``GEXFWriter``
    writes (pretty-printed, attribute ids in order of first use), written
    line by line instead of through an element tree: on a network of
    100,000 actors the tree took a gigabyte and most of the time.
    """
    return _gexf(_records(g, (True,))[True], date=date, name=name)


def _gexf(records: Records, *, date: str | None, name: str) -> bytes:
    nodes, edges = records
    counter = iter(range(1 << 62))
    declared: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    created: list[str] = []

    def attvalues(kind: str, data: dict, skip: frozenset[str], indent: str) -> list[str]:
        lines = []
        for key, value in data.items():
            if key in skip:
                continue
            title = "networkx_key" if key == "key" else str(key)
            if title not in declared[kind]:
                declared[kind][title] = (str(next(counter)), _XML_TYPES[type(value)])
                if kind not in created:
                    created.append(kind)
            text = str(value).lower() if isinstance(value, bool) else str(value)
            lines.append(f"{indent}  " + _tag("attvalue", [("for", declared[kind][title][0]), ("value", text)],
                                              empty=True))
        return [f"{indent}<attvalues>", *lines, f"{indent}</attvalues>"] if lines else []

    body: list[str] = []
    node_lines = []
    for n, data in nodes:
        head = [("id", n), ("label", str(data.get("label", n)))]
        values = attvalues("node", data, frozenset({"label"}), "        ")
        if values:
            node_lines += ["      " + _tag("node", head), *values, "      </node>"]
        else:
            node_lines.append("      " + _tag("node", head, empty=True))
    edge_lines = []
    for i, (u, v, data) in enumerate(edges):
        head: list[tuple[str, object]] = [("source", u), ("target", v), ("id", str(i))]
        if "label" in data:
            head.append(("label", str(data["label"])))
        if "weight" in data:
            head.append(("weight", str(data["weight"])))
        values = attvalues("edge", data, frozenset({"label", "weight"}), "        ")
        if values:
            edge_lines += ["      " + _tag("edge", head), *values, "      </edge>"]
        else:
            edge_lines.append("      " + _tag("edge", head, empty=True))

    meta = [("lastmodifieddate", date)] if date else []
    body += [
        _tag("gexf", [("xmlns", "http://www.gexf.net/1.2draft"), ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                      ("xsi:schemaLocation", "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"),
                      ("version", "1.2")]),
        "  " + _tag("meta", meta),
        f"    <creator>{f'partnernet {__version__}'.translate(_TEXT_ESCAPE)}</creator>",
        "  </meta>",
        "  " + _tag("graph", [("defaultedgetype", "undirected"), ("mode", "static"), ("name", name)]),
    ]
    for kind in reversed(created):  # networkx puts each new block first
        body.append("    " + _tag("attributes", [("mode", "static"), ("class", kind)]))
        body += ["      " + _tag("attribute", [("id", i), ("title", t), ("type", typ)], empty=True)
                 for t, (i, typ) in declared[kind].items()]
        body.append("    </attributes>")
    for element, lines in (("nodes", node_lines), ("edges", edge_lines)):
        body += [f"    <{element}>", *lines, f"    </{element}>"] if lines else [f"    <{element} />"]
    body += ["  </graph>", "</gexf>"]
    return (_DECLARATION + "\n".join(body) + "\n").encode("utf-8")


def graphml_bytes(g: nx.Graph, *, name: str = "partnernet") -> bytes:
    """GraphML of the graph (attribute types declared per key).

    The document networkx' ``write_graphml_xml`` writes (pretty-printed, one
    key per name, type and scope, keys listed newest first), written line by
    line instead of through an element tree (see :func:`gexf_bytes`).
    """
    return _graphml(_records(g, (False,))[False], name=name)


def _graphml(records: Records, *, name: str) -> bytes:
    nodes, edges = records
    keys: dict[tuple[str, str, str], str] = {}

    def data_lines(scope: str, data: dict, indent: str) -> list[str]:
        lines = []
        for key, value in data.items():
            ident = (str(key), _XML_TYPES[type(value)], scope)
            if ident not in keys:
                keys[ident] = f"d{len(keys)}"
            lines.append(f'{indent}<data key="{keys[ident]}">{str(value).translate(_TEXT_ESCAPE)}</data>')
        return lines

    graph_data = data_lines("graph", {"name": name}, "    ")
    body: list[str] = []
    for n, data in nodes:
        lines = data_lines("node", data, "      ")
        head = [("id", n)]
        body += ["    " + _tag("node", head), *lines, "    </node>"] if lines else ["    " + _tag("node", head, empty=True)]
    for u, v, data in edges:
        lines = data_lines("edge", data, "      ")
        head = [("source", u), ("target", v)]
        body += ["    " + _tag("edge", head), *lines, "    </edge>"] if lines else ["    " + _tag("edge", head, empty=True)]
    body += graph_data
    head = [
        _tag("graphml", [("xmlns", "http://graphml.graphdrawing.org/xmlns"),
                         ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                         ("xsi:schemaLocation", "http://graphml.graphdrawing.org/xmlns "
                                                "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")]),
        *("  " + _tag("key", [("id", ident), ("for", scope), ("attr.name", key), ("attr.type", typ)], empty=True)
          for (key, typ, scope), ident in reversed(keys.items())),
    ]
    graph = ["  " + _tag("graph", [("edgedefault", "undirected")]), *body, "  </graph>"] if body else \
        ["  " + _tag("graph", [("edgedefault", "undirected")], empty=True)]
    return (_DECLARATION + "\n".join([*head, *graph, "</graphml>"]) + "\n").encode("utf-8")


def graph_xml_files(g: nx.Graph, *, date: str | None = None, name: str = "partnernet") -> dict[str, bytes]:
    """``graph.gexf`` and ``graph.graphml`` together, cleaning the graph's values once for both."""
    records = _records(g, (True, False))
    return {"graph.gexf": _gexf(records[True], date=date, name=name),
            "graph.graphml": _graphml(records[False], name=name)}


def graph_records(g: nx.Graph) -> tuple[list[dict], list[dict]]:
    """Nodes and edges as JSON-ready records, in the export order.

    Nodes: ``id`` then every attribute (missing ones as ``None``); edges:
    ``source``, ``target`` then every attribute. Memberships read actor →
    partnership. Floats are rounded as in every export.
    """
    order = _node_order(g)
    position = {n: i for i, n in enumerate(order)}
    n_keys: list[str] = []
    for n in order:
        for k in g.nodes[n]:
            if k not in n_keys and k != schema.ID:
                n_keys.append(k)
    fixed = [k for k in (schema.LABEL, schema.KIND, schema.SECTOR, schema.TYPE, schema.START, schema.END) if k in n_keys]
    n_keys = fixed + sorted(k for k in n_keys if k not in fixed)
    nodes = [plain({schema.ID: str(n), **{k: _json_value(g.nodes[n].get(k)) for k in n_keys}}) for n in order]

    rows = []
    e_keys: list[str] = []
    for u, v, d in g.edges(data=True):
        if position[v] < position[u]:
            u, v = v, u
        rows.append((position[u], position[v], u, v, d))
        for k in d:
            if k not in e_keys:
                e_keys.append(k)
    rows.sort(key=lambda r: (r[0], r[1]))
    fixed = [k for k in (schema.RELATION, schema.ROLE, schema.WEIGHT, schema.START, schema.END) if k in e_keys]
    e_keys = fixed + sorted(k for k in e_keys if k not in fixed)
    edges = [plain({schema.SOURCE: str(u), schema.TARGET: str(v), **{k: d.get(k) for k in e_keys}}) for _, _, u, v, d in rows]
    return nodes, edges


def _json_value(value):
    """A node attribute for JSON: a mapping (``declared``) as its nodes.csv text, the rest as it is."""
    return declared_text(value) if isinstance(value, dict) else value


def graph_json_files(g: nx.Graph) -> dict[str, bytes]:
    """``nodes.json`` and ``edges.json``: the graph's nodes and edges as lists of records, one per line."""
    nodes, edges = graph_records(g)
    return {"nodes.json": records_json(nodes), "edges.json": records_json(edges)}
