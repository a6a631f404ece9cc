"""The map view model: what an interactive network map shows, as plain data.

:func:`map_view` turns the frozen two-mode graph (and the metric tables computed
from it) into a :class:`MapView`: nodes with label, plain-text tooltip, integer
position, colour, size, shape, sector, kind and measures; edges with width, role
and dash style; a legend; the filter menus; and every text in the chosen
language. It is pure (no pyvis, no jinja2, no files) and JSON-serialisable
through :meth:`MapView.to_dict`, so it can be tested without a browser and
rendered by :mod:`partnernet.render.map`.

Views
-----
``network`` (default)
    The two-mode network: actors (circles) and partnerships (squares).
``actors``
    The one-mode actor network (:func:`partnernet.graph.actor_network`).
``sectors``
    One node per sector (size = number of actors); an edge joins two sectors
    that take part in the same partnership, weighted by the number of such
    partnerships.
``partnership=ID``
    That partnership, its members and their other partnerships, plus one
    dashed "empty place" per missing sector (from the coverage table).
``actor=ID, depth=N``
    The ego network: actors within N steps in the actor network (shared
    partnership or direct tie) and the partnerships that connect them (the
    ego's own, and every partnership with at least two of the kept actors).

Positions are computed here, once, with a fixed seed (Fruchterman–Reingold from
``rustworkx``, much faster than networkx' on maps of thousands of nodes), scaled to
pixels and rounded to integers, so the same data gives the same bytes. Above
``max_nodes`` (default :data:`MAX_NODES`) only the nodes with the highest
``size_by`` measure are kept, and the page says so.

>>> from partnernet.graph import graph_from_records
>>> g = graph_from_records(
...     nodes=[{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
...            {"id": "b", "sector": "business"}],
...     edges=[{"source": "a", "target": "p", "role": "lead"}, {"source": "b", "target": "p"}])
>>> v = map_view(g, lang="en")                               # doctest: +SKIP
>>> [n["id"] for n in v.nodes], v.title                      # doctest: +SKIP
(['a', 'b', 'p'], 'Partnership network')
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Final

import networkx as nx

from .. import schema as S
from ..defaults import COLOR_BY, MAX_NODES, SEED, SIZE_BY, VIEWS
from ..errors import OptionError, close_matches
from ..graph import actor_network, memberships_of, members, sectors_of
from ..text import check_lang, data_label, format_number, map_text, map_texts

ACTOR_MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank", "partnerships", "partners")
PARTNERSHIP_MEASURES: Final = ("members", "sectors", "degree", "betweenness", "closeness")
#: Display order of measures in tables and panels.
MEASURE_ORDER: Final = (*SIZE_BY, "sectors", "actors")

#: Okabe–Ito colours (colour-blind safe) for the helix groups and for communities.
GROUP_COLORS: Final = {
    "public": "#0072B2",
    "private": "#E69F00",
    "civil_society": "#CC79A7",
    "knowledge": "#009E73",
}
COMMUNITY_COLORS: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOR: Final = "#BBBBBB"
EDGE_COLOR: Final = "#8C8C8C"
LEAD_COLOR: Final = "#222222"

ACTOR_SIZE: Final = (7.0, 28.0)
PARTNERSHIP_SIZE: Final = (8.0, 20.0)
SECTOR_SIZE: Final = (14.0, 48.0)
MISSING_SIZE: Final = 12.0
LEAD_ROLES: Final = ("lead", "secretariat", "facilitator")

MISSING_PREFIX: Final = "missing:"
SECTOR_PREFIX: Final = "sector:"


@dataclass(frozen=True)
class MapView:
    """Everything a map page shows, as plain JSON-ready data.

    ``nodes``: dicts with ``id, label, title, x, y, color, size, shape, group,
    sector, sector_label, kind, type, type_label, measures, partnerships`` (and
    for partnerships ``members, present, missing, coverage``; for missing
    sectors ``dashes``). ``edges``: ``id, from, to, width, role, role_label,
    relation, weight, dashes, color, title``. ``legend``: colour items, shapes,
    lines and the size text. ``sectors``/``partnerships``: the filter menus.
    ``texts``: every UI text in ``lang``.
    """

    view: str
    lang: str
    title: str
    subtitle: str
    caption: str | None
    summary: str
    notes: list[str]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: dict[str, Any]
    sectors: list[dict[str, Any]]
    partnerships: list[dict[str, Any]]
    texts: dict[str, str]
    color_by: str
    size_by: str
    max_nodes: int
    total_nodes: int
    capped: bool
    focus: str | None = None
    seed: int = SEED
    measures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A deep plain-dict copy (lists and dicts only), ready for ``json.dumps``.

        Made by a JSON round trip, which is fast and proves the view is JSON-serialisable.
        """
        return json.loads(json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, allow_nan=False))


# --- option checking -------------------------------------------------------------


def _did_you_mean(kind: str, value: str, choices: Iterable[str], flag: str) -> OptionError:
    choices = sorted(set(choices))
    close = close_matches(value, choices, n=3, cutoff=0.6, ignore_case=False)
    msg = f"{flag}: no {kind} with id {value!r}"
    if close:
        msg += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    elif choices and len(choices) <= 12:
        msg += f"; choose one of {', '.join(choices)}"
    return OptionError(msg)


def _choice(flag: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        close = close_matches(value, choices, n=1, cutoff=0.5, ignore_case=False)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise OptionError(f"{flag}: {value!r} is not one of {', '.join(choices)}{hint}")
    return value


def _resolve_node(g: nx.Graph, value: str, kind: str, flag: str) -> str:
    """A node id of ``kind`` from its id or its exact label (any case); else OptionError with suggestions."""
    if value in g and g.nodes[value].get(S.KIND) == kind:
        return value
    ids = [n for n, k in g.nodes(data=S.KIND) if k == kind]
    folded = value.strip().casefold()
    by_label = [n for n in ids if str(g.nodes[n].get(S.LABEL) or "").casefold() == folded]
    if len(by_label) == 1:
        return by_label[0]
    raise _did_you_mean(kind, value, ids, flag)


def _resolve_sectors(g: nx.Graph, sector: str | Sequence[str] | None) -> list[str] | None:
    """Sector ids from ids or labels (either language, any case); unknown → OptionError."""
    if sector is None:
        return None
    wanted = [sector] if isinstance(sector, str) else list(sector)
    if not wanted:
        return None
    vocab = sectors_of(g)
    by_name: dict[str, str] = {}
    for s in vocab:
        for name in (s.id, s.label_da, s.label_en):
            by_name.setdefault(name.casefold(), s.id)
    out: list[str] = []
    for w in wanted:
        sid = by_name.get(str(w).strip().casefold())
        if sid is None:
            raise _did_you_mean("sector", str(w), vocab.ids, "--sector")
        if sid not in out:
            out.append(sid)
    return out


# --- small helpers -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _plain_text(lang: str, key: str) -> str:
    """:func:`~partnernet.text.map_text` without values, remembered (a site asks for the same
    role, kind and type names hundreds of thousands of times)."""
    return map_text(lang, key)


def _round(value: Any, digits: int = 4) -> Any:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        r = round(value, digits)
        return int(r) if r.is_integer() and abs(r) >= 1 else r
    return value


def _scale(value: float | None, vmax: float, lo: float, hi: float) -> float:
    """Area-true size: radius grows with the square root of the value."""
    if value is None or vmax <= 0 or value <= 0:
        return lo
    return round(lo + (hi - lo) * math.sqrt(min(value, vmax) / vmax), 1)


def _isolate(label: str) -> str:
    """Wrap a data text in Unicode bidi isolates so an RTL override inside it cannot reorder the rest."""
    return f"\u2068{label}\u2069"


def _edge_width(w: float, wmin: float, wmax: float) -> float:
    if wmax <= wmin:
        return 1.5
    return round(1.0 + 5.0 * math.sqrt((w - wmin) / (wmax - wmin)), 1)


def _rows(frame) -> dict[str, dict[str, Any]]:
    if frame is None:
        return {}
    return {row["id"]: row for row in frame.iter_rows(named=True)}


def _concrete_subgraph(base: nx.Graph, keep: set) -> nx.Graph:
    """``base`` restricted to ``keep`` as a small concrete graph (same node and edge data dicts).

    networkx' subgraph *views* filter every neighbour of every kept node on each
    pass; a map walks its graph several times (components, layout, edges), which
    on a 2,000-node actor network with 300,000 links costs seconds. Used only where
    the result does not depend on iteration order (everything downstream sorts).
    """
    h = nx.Graph()
    h.add_nodes_from((n, base.nodes[n]) for n in sorted(keep, key=str))
    adj = base.adj
    h.add_edges_from((u, v, d) for u in h for v, d in adj[u].items() if v in keep)
    return h


def _actor_subnetwork(g: nx.Graph, keep: set, *, per_actor: int | None = None,
                      rank: Mapping[str, float] | None = None) -> tuple[nx.Graph, int]:
    """The actor network (:func:`partnernet.graph.actor_network`) restricted to the actors ``keep``,
    built from the sparse co-membership matrix for those actors only; and its number of links.

    Same nodes, node data and edge data (``shared``, ``tie``, ``weight``) as
    ``actor_network(g).subgraph(keep)``, without building the whole projection
    first (millions of links on large data, for a map that shows the top 2,000 actors).

    With ``per_actor`` and more than ``per_actor`` links per actor on average,
    only each actor's ``per_actor`` strongest links are kept (a link stays when
    it is among the strongest of either end): strongest by weight, then by the
    other end's ``rank`` (higher first), then by id. A few partnerships with
    hundreds of members make cliques of tens of thousands of links, which
    hide everything else on the map and make the page too slow to draw.
    """
    import numpy as np
    import scipy.sparse as sp

    from ..graph import actor_adjacency

    adj = actor_adjacency(g)
    ids = adj.ids
    idx = np.array(sorted(i for i, a in enumerate(ids) if a in keep), dtype=np.int64)
    h = nx.Graph()
    h.add_nodes_from((ids[i], g.nodes[ids[i]]) for i in idx.tolist())
    if idx.size == 0:
        return h, 0
    shared = sp.triu(sp.csr_matrix(adj.shared)[idx][:, idx], k=1).tocsr()
    ties = sp.triu(sp.csr_matrix(adj.ties)[idx][:, idx], k=1).tocsr()
    both = ((shared != 0) + (ties != 0)).tocoo()
    row, col = both.row.astype(np.int64), both.col.astype(np.int64)
    s_val = np.asarray(shared[row, col]).ravel().astype(np.int64)
    t_val = np.asarray(ties[row, col]).ravel().astype(float)
    total = int(row.size)
    if per_actor is not None and total > per_actor * idx.size:
        weight = s_val + t_val
        score = np.array([float((rank or {}).get(ids[i]) or 0.0) for i in idx.tolist()])
        ends = np.concatenate([row, col])
        other = np.concatenate([col, row])
        link = np.concatenate([np.arange(total), np.arange(total)])
        order = np.lexsort((other, -score[other], -np.concatenate([weight, weight]), ends))
        ends_sorted = ends[order]
        first = np.searchsorted(ends_sorted, ends_sorted, side="left")
        strongest = link[order][np.arange(order.size) - first < per_actor]
        chosen = np.zeros(total, dtype=bool)
        chosen[strongest] = True
        row, col, s_val, t_val = row[chosen], col[chosen], s_val[chosen], t_val[chosen]
    sel = idx.tolist()
    h.add_edges_from((ids[sel[i]], ids[sel[j]], {"shared": int(s), "tie": float(t), "weight": float(s) + float(t)})
                     for i, j, s, t in zip(row.tolist(), col.tolist(), s_val.tolist(), t_val.tolist()))
    return h, total


# --- layout --------------------------------------------------------------------------


def layout(h: nx.Graph, seed: int = SEED) -> dict[str, tuple[int, int]]:
    """Integer pixel positions: Fruchterman–Reingold (rustworkx) per component, with a fixed seed.

    Each connected component is laid out on its own and scaled so nodes keep
    about :data:`SPACING` pixels apart; the components are then packed in rows,
    largest first, and isolated nodes go in a grid below. (One force layout of a
    disconnected graph pushes the components to the edges and squeezes each of
    them.) Nodes and edges are fed in sorted order, so the result depends only
    on the graph's content, not on insertion order.
    """
    if h.number_of_nodes() == 0:
        return {}
    comps = [sorted(c, key=str) for c in nx.connected_components(h)]
    comps.sort(key=lambda c: (-len(c), str(c[0])))
    boxes: list[tuple[list, dict, float, float]] = []
    singles = [c[0] for c in comps if len(c) == 1]
    for comp in (c for c in comps if len(c) > 1):
        # a filtered view is slow to walk; the layout sorts nodes and edges, so h itself does when it is all one piece
        local = _component_layout(h if len(comp) == h.number_of_nodes() else h.subgraph(comp), comp, seed)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        minx, miny = min(xs), min(ys)
        local = {v: (x - minx, y - miny) for v, (x, y) in local.items()}
        boxes.append((comp, local, max(xs) - minx, max(ys) - miny))
    gap = SPACING * 1.5
    widths = sorted({w for _, _, w, _ in boxes})
    total = sum(w + gap for _, _, w, _ in boxes)
    candidates = sorted({*widths, total, *(total * f for f in (0.2, 0.3, 0.4, 0.5, 0.6, 0.75))})
    best = None
    for row_width in (c for c in candidates if not widths or c >= widths[-1]):
        placed, w_used, h_used = _pack(boxes, singles, row_width, gap)
        # the zoom needed to fit a viewport of about 1.2 : 1 (the map area)
        need = max(w_used / ASPECT, h_used)
        if best is None or need < best[0] - 1e-9:
            best = (need, placed)
    pos = best[1] if best else _pack(boxes, singles, SPACING, gap)[0]
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {v: (int(round(px - cx)), int(round(py - cy))) for v, (px, py) in pos.items()}


def _pack(boxes, singles, row_width: float, gap: float):
    """Shelf-pack component boxes into rows of ``row_width``; singletons in a grid below."""
    pos: dict = {}
    x = y = row_h = w_used = 0.0
    for _, local, w, hh in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for v, (px, py) in local.items():
            pos[v] = (x + px, y + py)
        w_used = max(w_used, x + w)
        x += w + gap
        row_h = max(row_h, hh)
    h_used = y + row_h
    if singles:
        y = (y + row_h + gap) if boxes else 0.0
        per_row = max(1, int(max(row_width, w_used) // SPACING) + 1)
        for i, v in enumerate(singles):
            pos[v] = ((i % per_row) * SPACING, y + (i // per_row) * SPACING)
        w_used = max(w_used, (min(per_row, len(singles)) - 1) * SPACING)
        h_used = y + ((len(singles) - 1) // per_row) * SPACING
    return pos, w_used, h_used


#: The whole actor-network map shows each actor's strongest links only, this many, when it would
#: otherwise have more links than this many per actor (see :func:`_actor_subnetwork`).
LINKS_PER_ACTOR: Final = 8

#: Width : height of the map area the packing aims for.
ASPECT: Final = 1.2

#: Typical distance between neighbouring nodes, in page pixels.
SPACING: Final = 90.0
#: Median edge length of a laid-out component, in page pixels (room for a label).
EDGE_LENGTH: Final = 130.0
#: Components up to this size get a stress layout (nicer, O(n²) memory and time per step); larger ones
#: rustworkx Fruchterman–Reingold.
STRESS_MAX: Final = 120
#: The least median distance from a node to its nearest neighbour, in page pixels (see :func:`_to_pixels`).
MIN_NEIGHBOUR_DISTANCE: Final = SPACING / 2


def _component_layout(c: nx.Graph, ids: list, seed: int) -> dict[str, tuple[float, float]]:
    n = len(ids)
    if n == 2:
        return {ids[0]: (0.0, 0.0), ids[1]: (SPACING * 1.2, 0.0)}
    pairs = sorted((min(u, v), max(u, v)) for u, v in c.edges if u != v)
    if n <= STRESS_MAX:
        return _to_pixels(stress_layout(ids, pairs), pairs)
    import rustworkx as rx

    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(ids)
    index = {v: i for i, v in enumerate(ids)}
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), float(d.get("weight") or 1.0))
        for u, v, d in c.edges(data=True)
        if u != v
    )
    r.add_edges_from(edges)
    pos = rx.spring_layout(
        r,
        seed=seed,
        num_iter=200 if n <= 500 else 50,
        weight_fn=lambda w: min(float(w), 5.0),
        scale=1.0,
        center=[0.0, 0.0],
    )
    return _to_pixels({ids[i]: (pos[i][0], pos[i][1]) for i in range(n)}, pairs)


def stress_layout(ids: list, pairs: list[tuple], *, iterations: int = 300,
                  tol: float = 1e-6) -> dict[str, tuple[float, float]]:
    """Positions whose distances match the graph distances (stress majorization, SMACOF).

    The model of Kamada–Kawai (networkx' ``kamada_kawai_layout``): nodes are
    placed so that the distance between every two of them is as close as
    possible to their shortest-path length, pairs weighted by ``d⁻²``. Solved
    by Gansner, Koren and North's majorization (Graph Drawing 2004), which
    needs only numpy and decreases the stress at every step; it starts from
    classical scaling of the distances, so it needs no seed. ``ids`` must be one connected
    component; ``pairs`` its edges.
    """
    import numpy as np

    n = len(ids)
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(ids)}
    nbrs: list[list[int]] = [[] for _ in range(n)]
    for u, v in pairs:
        nbrs[index[u]].append(index[v])
        nbrs[index[v]].append(index[u])
    d = np.zeros((n, n))
    for s in range(n):  # breadth-first search from every node: n is small
        seen = {s: 0}
        frontier = [s]
        while frontier:
            nxt = []
            for u in frontier:
                for v in nbrs[u]:
                    if v not in seen:
                        seen[v] = seen[u] + 1
                        nxt.append(v)
            frontier = nxt
        d[s, list(seen)] = list(seen.values())
    w = np.zeros_like(d)
    off = d > 0
    w[off] = d[off] ** -2.0
    v_mat = -w
    v_mat[np.diag_indices(n)] = w.sum(axis=1)
    v_inv = np.linalg.pinv(v_mat)
    # start from classical scaling (Torgerson): exact for a path, close for most graphs; eigenvector
    # signs fixed so the start depends only on the graph; a circle fills a dimension the scaling leaves empty
    j = np.eye(n) - 1.0 / n
    vals, vecs = np.linalg.eigh(-0.5 * j @ (d * d) @ j)
    top = np.argsort(vals)[::-1][:2]
    x = vecs[:, top] * np.sqrt(np.maximum(vals[top], 0.0))
    x *= np.where(x[np.abs(x).argmax(axis=0), [0, 1]] < 0, -1.0, 1.0)
    angle = 2 * np.pi * np.arange(n) / n
    for k in range(2):
        if vals[top[k]] <= 1e-9 * max(vals[top[0]], 1.0):
            x[:, k] = 1e-3 * np.sin(angle + k)

    def distances(x: np.ndarray) -> np.ndarray:
        sq = (x * x).sum(axis=1)
        return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * (x @ x.T), 0.0))

    dist = distances(x)
    last = float((w * (dist - d) ** 2).sum())
    for _ in range(iterations):
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(dist > 1e-9, -w * d / dist, 0.0)
        b[np.diag_indices(n)] = -b.sum(axis=1)
        x = v_inv @ (b @ x)
        dist = distances(x)
        now = float((w * (dist - d) ** 2).sum())
        if last - now < tol * max(last, 1e-12):
            break
        last = now
    return {v: (float(x[i, 0]), float(x[i, 1])) for i, v in enumerate(ids)}


def _to_pixels(pos: dict, pairs: list[tuple]) -> dict[str, tuple[float, float]]:
    """Scale a unit layout so the median edge is :data:`EDGE_LENGTH` pixels long,
    and spread it further if nodes would still sit closer than :data:`MIN_NEIGHBOUR_DISTANCE`.

    In a big component with hubs (a partnership with hundreds of members) most
    edges are long, so scaling by the median edge alone packs the nodes a few
    pixels apart: the map opens as a solid block of overlapping labels, which is
    unreadable at any zoom and slow to draw (every label, every frame). Spread
    out, the overview shows the nodes and links, and labels appear (vis-network
    draws a label once it is at least 5 px on screen) as one zooms in.
    """
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in pairs)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    factor = EDGE_LENGTH / median if median > 1e-9 else SPACING
    nearest = _median_nearest_distance(list(pos.values()))
    if nearest > 1e-9 and nearest * factor < MIN_NEIGHBOUR_DISTANCE:
        factor = MIN_NEIGHBOUR_DISTANCE / nearest
    return {v: (x * factor, y * factor) for v, (x, y) in pos.items()}


def _median_nearest_distance(points: list[tuple[float, float]]) -> float:
    """Median distance from each point to its nearest other point (0 for fewer than two points)."""
    if len(points) < 2:
        return 0.0
    import numpy as np

    if len(points) <= 1000:  # all pairs; importing scipy.spatial costs more than this for small maps
        p = np.asarray(points, dtype=float)
        sq = ((p[:, None, :] - p[None, :, :]) ** 2).sum(axis=2)
        np.fill_diagonal(sq, np.inf)
        nearest = np.sqrt(sq.min(axis=1))
    else:
        from scipy.spatial import cKDTree

        nearest = cKDTree(points).query(points, k=2)[0][:, 1]
    d = sorted(float(x) for x in nearest)
    return d[len(d) // 2]


# --- the view -------------------------------------------------------------------------


def map_view(
    g: nx.Graph,
    *,
    view: str = "network",
    partnership: str | None = None,
    actor: str | None = None,
    depth: int = 1,
    sector: str | Sequence[str] | None = None,
    color_by: str = "sector",
    size_by: str = "betweenness",
    max_nodes: int = MAX_NODES,
    lang: str = "da",
    title: str | None = None,
    caption: str | None = None,
    seed: int = SEED,
    tables: Mapping[str, Any] | None = None,
) -> MapView:
    """Build the map view model from the frozen two-mode graph ``g`` (see module docstring).

    ``tables`` (optional) are metric tables already computed for ``g``, by name
    (``centrality``, ``partnership_centrality``, ``coverage``, ``communities``;
    see :class:`MapBuilder`): given, they are used instead of computing the
    metrics again, which is what a publish run does for its thousands of maps.

    Raises :class:`~partnernet.errors.OptionError` for unknown ids (with a
    did-you-mean), unknown choices and contradictory options. ``g`` is never
    modified.
    """
    check_lang(lang)
    _choice("--view", view, VIEWS)
    _choice("--color-by", color_by, COLOR_BY)
    _choice("--size-by", size_by, SIZE_BY)
    if max_nodes < 1:
        raise OptionError("--max-nodes: must be at least 1")
    if depth < 1:
        raise OptionError("--depth: must be at least 1")
    if partnership is not None and actor is not None:
        raise OptionError("--partnership and --actor cannot be combined; choose one focus")
    if partnership is not None and view != "network":
        raise OptionError("--partnership shows the two-mode network; it cannot be combined with --view " + view)
    if actor is not None and view == "sectors":
        raise OptionError("--actor cannot be combined with --view sectors")
    if partnership is not None:
        partnership = _resolve_node(g, partnership, S.PARTNERSHIP, "--partnership")
    if actor is not None:
        actor = _resolve_node(g, actor, S.ACTOR, "--actor")
    sectors = _resolve_sectors(g, sector)

    builder = MapBuilder(g, lang=lang, color_by=color_by, size_by=size_by, seed=seed, tables=tables)
    if view == "sectors":
        return builder.sectors_view(sectors, title=title, caption=caption, max_nodes=max_nodes)
    return builder.node_view(view, partnership=partnership, actor=actor, depth=depth, sectors=sectors,
                             max_nodes=max_nodes, title=title, caption=caption)


class MapBuilder:
    """Builds map views of one graph; the public way to make many views from precomputed tables.

    :func:`map_view` checks its options and resolves ids, then uses a builder.
    A caller making many views (the publish run: one map per partnership)
    makes the metric rows once and passes them to every builder::

        rows = MapBuilder.metric_rows(tables)          # once per run
        b = MapBuilder(h, lang="da", rows=rows)         # h: g or a neighbourhood of it
        view = b.node_view("network", partnership=pid)  # or b.sectors_view(), ...

    ``tables`` / ``rows``: the metric tables by name — ``centrality`` (actor
    measures), ``partnership_centrality``, ``coverage`` and ``communities``
    (only for ``color_by="community"``) — or their rows by id
    (:meth:`metric_rows`). Given, they are used for every view mode (the
    actor-network map then shows the measures of the tables, e.g. two-mode
    centrality); missing ones count as empty. Without them each view computes
    its metrics from the graph it shows. Ids and options are not checked here:
    that is :func:`map_view`'s job.
    """

    def __init__(self, g: nx.Graph, *, lang: str = "da", color_by: str = "sector", size_by: str = "betweenness",
                 seed: int = SEED, tables: Mapping[str, Any] | None = None,
                 rows: tuple[dict, dict, dict, dict] | None = None):
        self.g = g
        self.lang = lang
        self.color_by = color_by
        self.size_by = size_by
        self.seed = seed
        self.vocab = sectors_of(g)
        self._rows = rows if rows is not None else (self.metric_rows(tables) if tables is not None else None)

    @staticmethod
    def metric_rows(tables: Mapping[str, Any]) -> tuple[dict, dict, dict, dict]:
        """The rows by id of the metric tables a view uses: actor measures, partnership measures,
        coverage, communities (see the class docs)."""
        return (_rows(tables.get("centrality")), _rows(tables.get("partnership_centrality")),
                _rows(tables.get("coverage")), _rows(tables.get("communities")))

    def t(self, key: str, **kw: object) -> str:
        if kw:
            return map_text(self.lang, key, **kw)
        return _plain_text(self.lang, key)

    def sector_label(self, sid: str | None) -> str:
        if sid is None:
            return self.t("no_sector")
        try:
            return self.vocab.get(sid).label(self.lang)
        except KeyError:
            return sid

    def sector_color(self, sid: str | None) -> str:
        try:
            return self.vocab.get(sid).color if sid is not None else S.NO_SECTOR_COLOR
        except KeyError:
            return S.NO_SECTOR_COLOR

    def measure_name(self, m: str) -> str:
        return self.t(f"measure.{m}")

    # -- metrics -------------------------------------------------------------------

    def metrics(self, mode: str) -> tuple[dict, dict, dict, dict]:
        """Actor measures, partnership measures, coverage rows and communities (by id)."""
        if self._rows is not None:
            return self._rows
        g = self.g
        has_actors = any(k == S.ACTOR for _, k in g.nodes(data=S.KIND))
        has_partnerships = any(k == S.PARTNERSHIP for _, k in g.nodes(data=S.KIND))
        actor_rows = part_rows = cover_rows = comm_rows = {}
        if has_actors:
            from ..metrics.centrality import centrality_table

            actor_rows = _rows(centrality_table(g, graph="two-mode" if mode == "network" else "actors", seed=self.seed))
        if has_partnerships:
            from ..metrics.centrality import partnership_table
            from ..metrics.coverage import coverage_table

            if mode == "network":
                part_rows = _rows(partnership_table(g))
            cover_rows = _rows(coverage_table(g))
        if self.color_by == "community" and has_actors:
            from ..metrics.communities import community_table

            comm_rows = _rows(community_table(g, seed=self.seed))
        return actor_rows, part_rows, cover_rows, comm_rows

    # -- colours ---------------------------------------------------------------------

    def community_colors(self, comm_rows: dict) -> dict[int, str]:
        sizes = Counter(r["community"] for r in comm_rows.values() if r.get("community") is not None)
        order = sorted(sizes, key=lambda c: (-sizes[c], c))
        return {c: (COMMUNITY_COLORS[i] if i < len(COMMUNITY_COLORS) else OTHER_COLOR) for i, c in enumerate(order)}

    def actor_color(self, aid: str, sid: str | None, comm_rows: dict, comm_colors: dict) -> tuple[str, str]:
        """(group id, colour) of an actor under the chosen colour encoding."""
        if self.color_by == "community":
            c = comm_rows.get(aid, {}).get("community")
            if c is None:
                return "community-none", S.NO_SECTOR_COLOR
            color = comm_colors.get(c, OTHER_COLOR)
            return (f"community-{c}" if color != OTHER_COLOR else "community-other"), color
        if self.color_by == "group":
            if sid is None or sid not in self.vocab:
                return "none", S.NO_SECTOR_COLOR
            grp = self.vocab.group_of(sid)
            return grp, GROUP_COLORS.get(grp, OTHER_COLOR)
        if sid is None or sid not in self.vocab:
            return "none", S.NO_SECTOR_COLOR
        return sid, self.sector_color(sid)

    def color_legend(self, nodes: list[dict], comm_colors: dict) -> dict[str, Any]:
        counts = Counter(n["group"] for n in nodes if n["kind"] == S.ACTOR)
        colors = {n["group"]: n["color"] for n in nodes if n["kind"] == S.ACTOR}
        items = []
        if self.color_by == "sector":
            order = [s.id for s in self.vocab] + ["none"]
            for gid in order:
                if gid in counts:
                    items.append({"id": gid, "label": self.sector_label(None if gid == "none" else gid),
                                  "color": colors[gid], "count": counts[gid]})
        elif self.color_by == "group":
            for gid in [*S.GROUPS, "none"]:
                if gid in counts:
                    label = S.GROUPS[gid][0 if self.lang == "da" else 1] if gid in S.GROUPS else self.t("no_sector")
                    items.append({"id": gid, "label": label, "color": colors[gid], "count": counts[gid]})
        else:
            numbered = sorted((g for g in counts if g.startswith("community-") and g[10:].lstrip("-").isdigit()),
                              key=lambda g: list(comm_colors).index(int(g[10:])) if int(g[10:]) in comm_colors else 0)
            for i, gid in enumerate(numbered, start=1):
                items.append({"id": gid, "label": self.t("community", n=i), "color": colors[gid], "count": counts[gid]})
            for gid, key in (("community-other", "community.other"), ("community-none", "no_sector")):
                if gid in counts:
                    items.append({"id": gid, "label": self.t(key), "color": colors[gid], "count": counts[gid]})
        return {"title": self.t(f"legend.color.{self.color_by}"), "items": items}

    # -- the node views (network, actors, focus) ---------------------------------------

    def node_view(self, view: str = "network", *, partnership: str | None = None, actor: str | None = None,
                  depth: int = 1, sectors: list[str] | None = None, max_nodes: int = MAX_NODES,
                  title: str | None = None, caption: str | None = None) -> MapView:
        """A ``network`` or ``actors`` view, whole or around a ``partnership`` / ``actor``."""
        g = self.g
        two_mode = view == "network"
        # the whole actor network is built only when it is walked (ego networks); the whole-network
        # actors map needs its kept actors only, taken from the sparse co-membership matrix
        lazy_actors = not two_mode and actor is None
        base = g if two_mode else (None if lazy_actors else actor_network(g))

        # 1. focus
        if partnership is not None:
            mem = members(g, partnership)
            others = {q for m in mem for q in memberships_of(g, m)}
            keep = {partnership, *mem, *others}
        elif actor is not None:
            anet = base if not two_mode else actor_network(g)
            near = set(nx.single_source_shortest_path_length(anet, actor, cutoff=depth))
            keep = set(near)
            if two_mode:
                own = set(memberships_of(g, actor))
                for p in (n for n, k in g.nodes(data=S.KIND) if k == S.PARTNERSHIP):
                    if p in own or sum(1 for m in g[p] if m in near) >= 2:
                        keep.add(p)
        elif lazy_actors:
            keep = {n for n, k in g.nodes(data=S.KIND) if k == S.ACTOR}
        else:
            keep = set(base.nodes)
        focus = partnership or actor

        # 2. sector filter (the focus node always stays)
        if sectors is not None:
            wanted = set(sectors)
            keep = {n for n in keep
                    if n == focus or g.nodes[n].get(S.KIND) != S.ACTOR or g.nodes[n].get(S.SECTOR) in wanted}
            keep = {n for n in keep
                    if g.nodes[n].get(S.KIND) != S.PARTNERSHIP or n == focus or any(m in keep for m in g[n])}

        actor_rows, part_rows, cover_rows, comm_rows = self.metrics("network" if two_mode else "actors")
        comm_colors = self.community_colors(comm_rows) if self.color_by == "community" else {}

        # 3. cap to the top max_nodes by the size measure (the focus node first)
        total = len(keep)
        capped = total > max_nodes
        if capped:
            keep = set(self.top_nodes(keep, max_nodes, focus, actor_rows, part_rows))

        links_total = None
        if lazy_actors:
            sub, links_total = _actor_subnetwork(
                g, keep, per_actor=LINKS_PER_ACTOR,
                rank={n: float(r.get(self.size_by) or 0.0) for n, r in actor_rows.items()})
        elif partnership is None and len(keep) < base.number_of_nodes():
            sub = _concrete_subgraph(base, keep)  # whole-network and ego views sort everything they walk
        elif len(keep) == base.number_of_nodes():
            sub = base  # a site partnership map is drawn on its own neighbourhood graph
        else:
            sub = base.subgraph(keep)

        # 4. missing sectors of the focus partnership, as dashed empty places
        missing_nodes: list[str] = []
        if partnership is not None:
            missing_nodes = [MISSING_PREFIX + s for s in (cover_rows.get(partnership, {}).get("missing") or [])]
        if partnership is not None:
            pos = self.partnership_layout(sub, partnership, missing_nodes)
        else:
            pos = layout(sub, seed=self.seed)

        # 5. nodes
        a_measures = [m for m in ACTOR_MEASURES if any(m in r for r in actor_rows.values())]
        p_measures = [m for m in PARTNERSHIP_MEASURES if any(m in r for r in part_rows.values())]
        a_size_key = self.size_by if self.size_by in a_measures else ("partnerships" if "partnerships" in a_measures else None)
        p_size_key = self.size_by if self.size_by in p_measures else "members"
        a_max = max((float(actor_rows.get(n, {}).get(a_size_key) or 0) for n in keep
                     if g.nodes[n].get(S.KIND) == S.ACTOR), default=0.0) if a_size_key else 0.0
        p_max = max((float(self._partnership_measure(n, p_size_key, part_rows)) for n in keep
                     if g.nodes[n].get(S.KIND) == S.PARTNERSHIP), default=0.0)

        part_labels = {p: g.nodes[p].get(S.LABEL) or p for p, k in g.nodes(data=S.KIND) if k == S.PARTNERSHIP}
        nodes: list[dict[str, Any]] = []
        for n in sorted(keep, key=lambda v: (g.nodes[v].get(S.KIND) != S.ACTOR, str(v))):
            d = g.nodes[n]
            x, y = pos[n]
            label = str(d.get(S.LABEL) or n)
            if d.get(S.KIND) == S.ACTOR:
                sid = d.get(S.SECTOR)
                grp, color = self.actor_color(n, sid, comm_rows, comm_colors)
                row = actor_rows.get(n, {})
                measures = {m: _round(row.get(m)) for m in a_measures if row.get(m) is not None}
                if self.color_by == "community" and n in comm_rows:
                    measures["community"] = comm_rows[n].get("community")
                size = _scale(float(row.get(a_size_key) or 0) if a_size_key else None, a_max, *ACTOR_SIZE)
                roles = {p: (g.edges[n, p].get(S.ROLE) or S.MEMBER) for p in memberships_of(g, n)}
                node = self._node(n, label, S.ACTOR, x, y, color, size, "dot", grp, sid, d.get(S.TYPE), measures,
                                  size_measure=a_size_key)
                node["partnerships"] = [{"id": p, "label": part_labels[p], "role": r,
                                         "role_label": data_label(self.lang, "role", r)} for p, r in sorted(roles.items())]
                node["focus"] = n == focus
            else:
                row = part_rows.get(n, {})
                measures = {m: _round(row.get(m)) for m in p_measures if row.get(m) is not None}
                measures.setdefault("members", len(members(g, n)))
                size = _scale(float(self._partnership_measure(n, p_size_key, part_rows)), p_max, *PARTNERSHIP_SIZE)
                node = self._node(n, label, S.PARTNERSHIP, x, y, S.PARTNERSHIP_COLOR, size, "square", "partnership",
                                  None, None, measures, size_measure=p_size_key)
                links = g.adj[n]
                node["members"] = []
                for m in members(g, n):
                    role = links[m].get(S.ROLE) or S.MEMBER
                    md = g.nodes[m]
                    node["members"].append({
                        "id": m, "label": str(md.get(S.LABEL) or m), "role": role,
                        "role_label": data_label(self.lang, "role", role), "sector": md.get(S.SECTOR),
                        "sector_label": self.sector_label(md.get(S.SECTOR))})
                cov = cover_rows.get(n, {})
                node["present"] = [self.sector_label(s) for s in (cov.get("present") or [])]
                node["missing"] = [self.sector_label(s) for s in (cov.get("missing") or [])]
                if cov.get("coverage") is not None:
                    node["coverage"] = _round(cov.get("coverage"))
                node["partnerships"] = []
                node["focus"] = n == focus
            nodes.append(node)
        for m in missing_nodes:
            sid = m[len(MISSING_PREFIX):]
            x, y = pos[m]
            slabel = self.sector_label(sid)
            label = self.t("missing", sector=slabel)
            node = self._node(m, label, "missing", x, y, self.sector_color(sid), MISSING_SIZE, "dot",
                              sid if self.color_by == "sector" else "missing", sid, None, {}, size_measure=None)
            node["dashes"] = True
            node["partnerships"] = [{"id": partnership, "label": part_labels[partnership], "role": "missing",
                                     "role_label": self.t("relation.missing")}]
            node["focus"] = False
            nodes.append(node)

        # 6. edges
        edges = self._edges(sub, two_mode)
        for m in missing_nodes:
            edges.append({
                "from": partnership, "to": m, "width": 1.5, "role": "missing", "role_label": self.t("relation.missing"),
                "relation": "missing", "weight": 0, "dashes": True, "color": self.sector_color(m[len(MISSING_PREFIX):]),
                "title": self.t("missing", sector=self.sector_label(m[len(MISSING_PREFIX):])),
            })
        for i, e in enumerate(edges):
            e["id"] = f"e{i}"

        # 7. texts, legend, menus
        n_actors = sum(1 for n in nodes if n["kind"] == S.ACTOR)
        n_parts = sum(1 for n in nodes if n["kind"] == S.PARTNERSHIP)
        if partnership is not None:
            default_title = self.t("title.partnership", label=part_labels[partnership])
            subtitle = self.t("subtitle.partnership")
        elif actor is not None:
            default_title = self.t("title.actor", label=str(g.nodes[actor].get(S.LABEL) or actor))
            subtitle = self.t("subtitle.actor", depth=depth)
        else:
            default_title = self.t(f"title.{view}")
            subtitle = self.t(f"subtitle.{view}")
        summary = self.t("summary" if two_mode else "summary.actors", actors=format_number(n_actors, self.lang),
                         partnerships=format_number(n_parts, self.lang),
                         edges=format_number(sum(1 for e in edges if e["relation"] != "missing"), self.lang))
        notes = self._notes(sectors)
        if capped:
            notes.append(self.t("cap", shown=format_number(len(keep), self.lang), total=format_number(total, self.lang),
                                measure=self.measure_name(self.size_by), max=format_number(max_nodes, self.lang)))
        if links_total is not None and sub.number_of_edges() < links_total:
            notes.append(self.t("links.budget", per=LINKS_PER_ACTOR, measure=self.measure_name(self.size_by),
                                shown=format_number(sub.number_of_edges(), self.lang),
                                total=format_number(links_total, self.lang)))
        legend = self.color_legend(nodes, comm_colors)
        legend["shapes"] = [{"shape": "dot", "label": self.t("legend.actor"), "dashes": False}]
        if n_parts:
            legend["shapes"].append({"shape": "square", "label": self.t("legend.partnership"), "dashes": False})
        if missing_nodes:
            legend["shapes"].append({"shape": "dot", "label": self.t("legend.missing"), "dashes": True})
        legend["lines"] = self._line_legend(edges)
        legend["size"] = self.t("legend.size", measure=self.measure_name(self.size_by))
        legend["width"] = self.t("legend.width")

        return MapView(
            view=view, lang=self.lang, title=title or default_title, subtitle=subtitle, caption=caption,
            summary=summary, notes=notes, nodes=nodes, edges=edges, legend=legend,
            sectors=self._sector_menu(nodes), partnerships=self._partnership_menu(nodes, g, part_labels),
            texts=map_texts(self.lang), color_by=self.color_by, size_by=self.size_by, max_nodes=max_nodes,
            total_nodes=total, capped=capped, focus=focus, seed=self.seed,
            measures=sorted(set(a_measures) | set(p_measures), key=MEASURE_ORDER.index),
        )

    def partnership_layout(self, sub: nx.Graph, focus: str, missing_nodes: list[str]) -> dict[str, tuple[int, int]]:
        """Radial layout for the partnership view: the gap is visible as empty places on the ring.

        The partnership sits in the centre; its members form a ring ordered by
        sector (vocabulary order), with one dashed place per missing sector
        where that sector would be; the members' other partnerships form an
        outer ring, each at the mean angle of its members. Needs no seed.
        """
        g = self.g
        order = {sid: i for i, sid in enumerate(self.vocab.ids)}
        ring: list[tuple[int, str, str]] = []
        for m in sub.nodes:
            if m != focus and g.nodes[m].get(S.KIND) == S.ACTOR and sub.has_edge(m, focus):
                sid = g.nodes[m].get(S.SECTOR)
                ring.append((order.get(sid, len(order)), str(g.nodes[m].get(S.LABEL) or m).casefold(), m))
        for m in missing_nodes:
            ring.append((order.get(m[len(MISSING_PREFIX):], len(order)), "", m))
        ring.sort()
        n = len(ring)
        r1 = max(200.0, n * SPACING * 1.4 / (2 * math.pi))
        pos: dict[str, tuple[float, float]] = {focus: (0.0, 0.0)}
        angle: dict[str, float] = {}
        for i, (_, _, v) in enumerate(ring):
            a = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
            angle[v] = a
            pos[v] = (r1 * math.cos(a), r1 * math.sin(a))
        outer = []
        for v in sub.nodes:
            if v in pos:
                continue
            linked = [angle[u] for u in sub[v] if u in angle]
            if linked:
                a = math.atan2(sum(math.sin(x) for x in linked), sum(math.cos(x) for x in linked))
            else:
                a = math.pi / 2
            outer.append((a, str(v), v))
        outer.sort()
        r2 = r1 + 190.0
        if outer:
            min_gap = min(2 * math.pi / len(outer), (SPACING * 1.6) / r2)
            placed: list[float] = []
            for a, _, v in outer:
                if placed and a - placed[-1] < min_gap:
                    a = placed[-1] + min_gap
                placed.append(a)
                pos[v] = (r2 * math.cos(a), r2 * math.sin(a))
        return {v: (int(round(x)), int(round(y))) for v, (x, y) in pos.items()}

    def _partnership_measure(self, p: str, key: str, part_rows: dict) -> float:
        v = part_rows.get(p, {}).get(key)
        if v is None and key == "members":
            v = len(members(self.g, p))
        return float(v or 0)

    def top_nodes(self, keep: set, limit: int, focus: str | None, actor_rows: dict, part_rows: dict) -> list:
        """The ``limit`` nodes with the highest size measure, normalised within each kind; ties by id."""
        g = self.g
        a_key = self.size_by if any(self.size_by in r for r in actor_rows.values()) else "partnerships"
        p_key = self.size_by if any(self.size_by in r for r in part_rows.values()) else "members"
        score: dict[Any, float] = {}
        for n in keep:
            if g.nodes[n].get(S.KIND) == S.ACTOR:
                score[n] = float(actor_rows.get(n, {}).get(a_key) or 0)
            else:
                score[n] = self._partnership_measure(n, p_key, part_rows)
        by_kind: dict[str, float] = {}
        for n, s in score.items():
            k = g.nodes[n].get(S.KIND)
            by_kind[k] = max(by_kind.get(k, 0.0), s)
        def key(n):
            top = by_kind.get(g.nodes[n].get(S.KIND)) or 1.0
            return (n != focus, -(score[n] / top), str(n))
        return sorted(keep, key=key)[:limit]

    def _node(self, nid, label, kind, x, y, color, size, shape, group, sid, otype, measures, *, size_measure):
        t = self.t
        lines = [_isolate(label), f"{t('kind.' + kind)}" + (f" · {self.sector_label(sid)}" if kind == S.ACTOR else "")]
        if otype:
            lines.append(data_label(self.lang, "type", otype))
        if size_measure and size_measure in measures:
            lines.append(f"{self.measure_name(size_measure)}: {format_number(measures[size_measure], self.lang)}")
        return {
            "id": nid, "label": label, "title": "\n".join(lines), "x": x, "y": y, "color": color, "size": size,
            "shape": shape, "group": group, "sector": sid,
            "sector_label": self.sector_label(sid) if (sid or kind == S.ACTOR) else None,
            "kind": kind, "kind_label": t(f"kind.{kind}"), "type": otype,
            "type_label": data_label(self.lang, "type", otype) if otype else None, "measures": measures, "dashes": False,
        }

    def _edges(self, sub: nx.Graph, two_mode: bool) -> list[dict[str, Any]]:
        g = self.g
        nodes = g.nodes
        rows = []
        for u, v, d in sub.edges(data=True):
            if two_mode and S.PARTNERSHIP in (nodes[u].get(S.KIND), nodes[v].get(S.KIND)):
                if nodes[u].get(S.KIND) == S.PARTNERSHIP:
                    u, v = v, u  # actor first, partnership second
            elif str(v) < str(u):
                u, v = v, u
            rows.append((str(u), str(v), u, v, d))
        rows.sort(key=lambda r: (r[0], r[1]))
        weights = [float(d.get(S.WEIGHT) or 1.0) for *_, d in rows]
        wmin, wmax = (min(weights), max(weights)) if weights else (1.0, 1.0)
        edges = []
        heads: dict[Any, str] = {}  # node → its label in bidi isolates (a node has many edges)
        shared_texts: dict[int, str] = {}

        def head(n: Any) -> str:
            text = heads.get(n)
            if text is None:
                text = heads[n] = _isolate(str(nodes[n].get(S.LABEL) or n))
            return text

        for (_, _, u, v, d), w in zip(rows, weights):
            width = _edge_width(w, wmin, wmax)
            if two_mode:
                relation = d.get(S.RELATION) or S.MEMBERSHIP
                role = d.get(S.ROLE) or S.MEMBER
                lead = relation == S.MEMBERSHIP and role in LEAD_ROLES
                kind_text = self.t("relation." + relation)
                if relation == S.MEMBERSHIP or role != S.MEMBER:
                    kind_text += f": {data_label(self.lang, 'role', role)}"
                title = (f"{head(u)} – {head(v)}\n{kind_text}"
                         + (f"\n{self.t('col.weight')}: {format_number(w, self.lang)}" if w != 1 else ""))
                edges.append({
                    "from": u, "to": v, "width": round(width + (2.0 if lead else 0.0), 1), "role": role,
                    "role_label": data_label(self.lang, "role", role), "relation": relation, "weight": _round(w),
                    "dashes": relation == S.TIE, "color": LEAD_COLOR if lead else EDGE_COLOR, "title": title,
                })
            else:
                shared = int(d.get("shared") or 0)
                relation = "co-membership" if shared else S.TIE
                note = shared_texts.get(shared)
                if note is None:
                    note = shared_texts[shared] = self.t("shared", n=shared) if shared else self.t("relation.tie")
                title = f"{head(u)} – {head(v)}\n" + note
                edges.append({
                    "from": u, "to": v, "width": width, "role": None, "role_label": None, "relation": relation,
                    "weight": _round(w), "dashes": not shared, "color": EDGE_COLOR, "title": title,
                })
        return edges

    def _line_legend(self, edges: list[dict]) -> list[dict]:
        present = {e["relation"] for e in edges}
        leads = any(e["color"] == LEAD_COLOR for e in edges)
        out = []
        if S.MEMBERSHIP in present:
            out.append({"label": self.t("legend.membership"), "color": EDGE_COLOR, "width": 1.5, "dashes": False})
        if leads:
            out.append({"label": self.t("legend.lead"), "color": LEAD_COLOR, "width": 3.5, "dashes": False})
        if "co-membership" in present:
            out.append({"label": self.t("legend.co-membership"), "color": EDGE_COLOR, "width": 3, "dashes": False})
        if "sectors" in present:
            out.append({"label": self.t("legend.sectors"), "color": EDGE_COLOR, "width": 3, "dashes": False})
        if S.TIE in present:
            out.append({"label": self.t("legend.tie"), "color": EDGE_COLOR, "width": 1.5, "dashes": True})
        if "missing" in present:
            out.append({"label": self.t("legend.missing_line"), "color": EDGE_COLOR, "width": 1.5, "dashes": True})
        return out

    def _notes(self, sectors: list[str] | None) -> list[str]:
        notes = []
        year = self.g.graph.get("as_of")
        if year is not None:
            notes.append(self.t("as_of", year=year))
        if sectors:
            notes.append(self.t("filtered_sectors", sectors=", ".join(self.sector_label(s) for s in sectors)))
        return notes

    def _sector_menu(self, nodes: list[dict]) -> list[dict]:
        counts: Counter = Counter()
        for n in nodes:
            if n["kind"] in (S.ACTOR, "missing"):
                counts[n["sector"]] += 1
            elif n["kind"] == "sector":
                counts[n["sector"]] += n["measures"].get("actors", 0)
        out = []
        for s in self.vocab:
            if s.id in counts:
                out.append({"id": s.id, "label": s.label(self.lang), "color": s.color, "count": counts[s.id]})
        if None in counts:
            out.append({"id": "", "label": self.t("no_sector"), "color": S.NO_SECTOR_COLOR, "count": counts[None]})
        return out

    def _partnership_menu(self, nodes: list[dict], g: nx.Graph, part_labels: dict) -> list[dict]:
        ids = set()
        for n in nodes:
            if n["kind"] == S.PARTNERSHIP:
                ids.add(n["id"])
            for p in n.get("partnerships") or []:
                ids.add(p["id"])
        return sorted(({"id": p, "label": part_labels[p]} for p in ids if p in part_labels),
                      key=lambda r: (r["label"].casefold(), r["id"]))

    # -- the sectors view -------------------------------------------------------------

    def sectors_view(self, sectors: list[str] | None = None, *, title: str | None = None, caption: str | None = None,
                     max_nodes: int = MAX_NODES) -> MapView:
        g = self.g
        wanted = set(sectors) if sectors else None
        actor_count: Counter = Counter()
        for n, d in g.nodes(data=True):
            if d.get(S.KIND) == S.ACTOR and d.get(S.SECTOR) is not None and (wanted is None or d[S.SECTOR] in wanted):
                actor_count[d[S.SECTOR]] += 1
        part_count: Counter = Counter()
        pair_count: Counter = Counter()
        for p, k in g.nodes(data=S.KIND):
            if k != S.PARTNERSHIP:
                continue
            present = sorted({g.nodes[m].get(S.SECTOR) for m in members(g, p)} - {None})
            if wanted is not None:
                present = [s for s in present if s in wanted]
            for s in present:
                part_count[s] += 1
            for i, a in enumerate(present):
                for b in present[i + 1:]:
                    pair_count[(a, b)] += 1
        # sector order = vocabulary order; unknown sectors last, by id
        order = [s.id for s in self.vocab if s.id in actor_count]
        order += sorted(s for s in actor_count if s not in order)
        h = nx.Graph()
        h.add_nodes_from(SECTOR_PREFIX + s for s in order)
        for (a, b), c in pair_count.items():
            if a in actor_count and b in actor_count:
                h.add_edge(SECTOR_PREFIX + a, SECTOR_PREFIX + b, weight=float(c))
        # a circle in vocabulary order: readable for a handful of big nodes, and needs no seed
        radius = max(300.0, len(order) * 200.0 / (2 * math.pi))
        pos = {
            SECTOR_PREFIX + s: (int(round(radius * math.cos(-math.pi / 2 + 2 * math.pi * i / len(order)))),
                                int(round(radius * math.sin(-math.pi / 2 + 2 * math.pi * i / len(order)))))
            for i, s in enumerate(order)
        }
        amax = max(actor_count.values(), default=0)
        nodes = []
        for s in order:
            nid = SECTOR_PREFIX + s
            if self.color_by == "group" and s in self.vocab:
                grp = self.vocab.group_of(s)
                group, color = grp, GROUP_COLORS.get(grp, OTHER_COLOR)
            else:
                group, color = s, self.sector_color(s)
            measures = {"actors": actor_count[s], "partnerships": part_count.get(s, 0)}
            label = self.sector_label(s)
            size = _scale(actor_count[s], amax, *SECTOR_SIZE)
            lines = [_isolate(label),
                     f"{self.measure_name('actors')}: {format_number(actor_count[s], self.lang)}",
                     f"{self.measure_name('partnerships')}: {format_number(part_count.get(s, 0), self.lang)}"]
            x, y = pos[nid]
            nodes.append({
                "id": nid, "label": label, "title": "\n".join(lines), "x": x, "y": y, "color": color, "size": size,
                "shape": "dot", "group": group, "sector": s, "sector_label": label, "kind": "sector",
                "kind_label": self.t("kind.sector"), "type": None, "type_label": None, "measures": measures,
                "dashes": False, "partnerships": [], "focus": False,
            })
        weights = [float(d["weight"]) for *_, d in h.edges(data=True)]
        wmin, wmax = (min(weights), max(weights)) if weights else (1.0, 1.0)
        edges = []
        for u, v, d in sorted(((min(u, v), max(u, v), d) for u, v, d in h.edges(data=True))):
            w = float(d["weight"])
            lu, lv = self.sector_label(u[len(SECTOR_PREFIX):]), self.sector_label(v[len(SECTOR_PREFIX):])
            edges.append({
                "id": f"e{len(edges)}", "from": u, "to": v, "width": _edge_width(w, 0.0 if wmin == wmax else wmin, wmax),
                "role": None, "role_label": None, "relation": "sectors", "weight": _round(w), "dashes": False,
                "color": EDGE_COLOR, "title": f"{lu} – {lv}\n{self.t('shared', n=int(w))}",
            })
        legend_items = []
        if self.color_by == "group":
            seen = {}
            for n in nodes:
                seen.setdefault(n["group"], n)
            for gid in S.GROUPS:
                if gid in seen:
                    legend_items.append({"id": gid, "label": S.GROUPS[gid][0 if self.lang == "da" else 1],
                                         "color": seen[gid]["color"],
                                         "count": sum(1 for n in nodes if n["group"] == gid)})
            color_title = self.t("legend.color.group")
        else:
            legend_items = [{"id": n["sector"], "label": n["label"], "color": n["color"], "count": n["measures"]["actors"]}
                            for n in nodes]
            color_title = self.t("legend.color.sector")
        legend = {
            "title": color_title, "items": legend_items,
            "shapes": [{"shape": "dot", "label": self.t("legend.sector"), "dashes": False}],
            "lines": self._line_legend(edges),
            "size": self.t("legend.size", measure=self.measure_name("actors")),
            "width": self.t("legend.width"),
        }
        summary = self.t("summary.sectors", sectors=format_number(len(nodes), self.lang),
                         edges=format_number(len(edges), self.lang))
        return MapView(
            view="sectors", lang=self.lang, title=title or self.t("title.sectors"), subtitle=self.t("subtitle.sectors"),
            caption=caption, summary=summary, notes=self._notes(sectors), nodes=nodes, edges=edges, legend=legend,
            sectors=self._sector_menu(nodes), partnerships=[], texts=map_texts(self.lang),
            color_by="group" if self.color_by == "group" else "sector", size_by="actors", max_nodes=max_nodes,
            total_nodes=len(nodes), capped=False, focus=None, seed=self.seed, measures=["actors", "partnerships"],
        )

