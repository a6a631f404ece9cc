"""The graph as GEXF (Gephi) and GraphML (Cytoscape, yEd, igraph), as deterministic bytes.

networkx' writers are used on a *copy* of the graph, never the analysis graph,
prepared so that any data the user brings writes cleanly:

* attributes whose value is ``None`` are dropped (GraphML/GEXF have no null);
* lists and tuples become ``|``-joined text, as in the CSV exports;
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
→ ``<name>_``. ``label`` stays the node label and ``weight`` the edge weight.
GraphML keeps every name as it is.

>>> from partnernet.graph import graph_from_records
>>> g = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"}],
...                        [{"source": "a", "target": "p"}])
>>> gexf_bytes(g, date="2024-01-31")[:38]
b"<?xml version='1.0' encoding='utf-8'?>"
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from io import BytesIO
from typing import Final

import networkx as nx

from .. import __version__
from .. import schema as S
from .export import DECIMALS

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
        if not math.isfinite(value):
            return None
        rounded = round(value, DECIMALS)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return xml_safe("|".join("" if v is None else str(v) for v in items))
    return xml_safe(str(value))


def _rename(name: str, rename: dict[str, str], reserved: frozenset[str], taken: set[str]) -> str:
    new = rename.get(name) or (f"{name}_" if name in reserved else name)
    while new != name and new in taken:
        new += "_"
    return new


def _clean(data: dict, rename: dict[str, str], reserved: frozenset[str]) -> dict:
    out = {}
    taken = set(data)
    for key in sorted(data, key=str):
        value = _value(data[key])
        if value is None:
            continue
        out[_rename(str(key), rename, reserved, taken)] = value
    return out


def _node_order(g: nx.Graph) -> list:
    def key(n):
        return (0 if g.nodes[n].get(S.KIND) == S.ACTOR else 1, str(n))

    return sorted(g.nodes, key=key)


def export_graph(g: nx.Graph, *, for_gexf: bool = False, name: str = "partnernet") -> nx.Graph:
    """The copy that is written: clean attribute values, fixed order, plain graph attributes.

    The analysis graph is not touched. With ``for_gexf`` reserved GEXF names are
    renamed (see the module docs).
    """
    n_rename = GEXF_NODE_RENAME if for_gexf else {}
    e_rename = GEXF_EDGE_RENAME if for_gexf else {}
    n_reserved = _GEXF_NODE_RESERVED if for_gexf else frozenset()
    e_reserved = _GEXF_EDGE_RESERVED if for_gexf else frozenset()
    h = nx.Graph(name=name)
    order = _node_order(g)
    position = {n: i for i, n in enumerate(order)}
    for n in order:
        data = _clean(dict(g.nodes[n]), n_rename, n_reserved)
        if for_gexf and "label" not in data:
            data["label"] = xml_safe(str(n))
        h.add_node(xml_safe(str(n)), **data)
    edges = []
    for u, v, d in g.edges(data=True):
        if position[v] < position[u]:
            u, v = v, u
        edges.append((position[u], position[v], u, v, d))
    edges.sort(key=lambda e: (e[0], e[1]))
    for _, _, u, v, d in edges:
        h.add_edge(xml_safe(str(u)), xml_safe(str(v)), **_clean(dict(d), e_rename, e_reserved))
    return h


def _serialise(write: Callable[[nx.Graph, BytesIO], None], h: nx.Graph) -> bytes:
    buf = BytesIO()
    write(h, buf)
    data = buf.getvalue()
    return data if data.endswith(b"\n") else data + b"\n"


def gexf_bytes(g: nx.Graph, *, date: str | None = None, name: str = "partnernet") -> bytes:
    """GEXF 1.2 of the graph; ``date`` (YYYY-MM-DD) is written as ``lastmodifieddate``.

    Without ``date`` the attribute is left out, so the bytes never depend on
    the day the export ran.
    """
    from networkx.readwrite.gexf import GEXFWriter

    h = export_graph(g, for_gexf=True, name=name)

    def write(graph: nx.Graph, fh: BytesIO) -> None:
        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        meta = writer.xml.find("meta")
        if meta is not None:
            creator = meta.find("creator")
            if creator is not None:
                creator.text = f"partnernet {__version__}"
            if date:
                meta.set("lastmodifieddate", date)
            else:
                meta.attrib.pop("lastmodifieddate", None)
        writer.add_graph(graph)
        writer.write(fh)

    return _serialise(write, h)


def graphml_bytes(g: nx.Graph, *, name: str = "partnernet") -> bytes:
    """GraphML of the graph (attribute types declared per key)."""
    h = export_graph(g, for_gexf=False, name=name)

    def write(graph: nx.Graph, fh: BytesIO) -> None:
        nx.write_graphml_xml(graph, fh, encoding="utf-8", prettyprint=True)

    return _serialise(write, h)


def graph_records(g: nx.Graph) -> tuple[list[dict], list[dict]]:
    """Nodes and edges as JSON-ready records, in the export order.

    Nodes: ``id`` then every attribute (missing ones as ``None``); edges:
    ``source``, ``target`` then every attribute. Memberships read actor →
    partnership. Floats are rounded as in every export.
    """
    from .export import _plain

    order = _node_order(g)
    position = {n: i for i, n in enumerate(order)}
    n_keys: list[str] = []
    for n in order:
        for k in g.nodes[n]:
            if k not in n_keys and k != S.ID:
                n_keys.append(k)
    fixed = [k for k in (S.LABEL, S.KIND, S.SECTOR, S.TYPE, S.START, S.END) if k in n_keys]
    n_keys = fixed + sorted(k for k in n_keys if k not in fixed)
    nodes = [_plain({S.ID: str(n), **{k: g.nodes[n].get(k) for k in n_keys}}) for n in order]

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
    fixed = [k for k in (S.RELATION, S.ROLE, S.WEIGHT, S.START, S.END) if k in e_keys]
    e_keys = fixed + sorted(k for k in e_keys if k not in fixed)
    edges = [_plain({S.SOURCE: str(u), S.TARGET: str(v), **{k: d.get(k) for k in e_keys}}) for _, _, u, v, d in rows]
    return nodes, edges


def graph_json_files(g: nx.Graph) -> dict[str, bytes]:
    """``nodes.json`` and ``edges.json``: the graph's nodes and edges as lists of records."""
    import json

    nodes, edges = graph_records(g)

    def dump(value) -> bytes:
        return (json.dumps(value, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")

    return {"nodes.json": dump(nodes), "edges.json": dump(edges)}
