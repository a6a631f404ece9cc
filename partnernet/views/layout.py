"""Node positions of a map: integer pixel coordinates, the same for the same graph.

Kept apart from the view model (:mod:`partnernet.views.map`), as networkx keeps
``drawing/layout.py`` apart from its algorithms: everything here takes a graph
(or ids and pairs) and returns ``{node: (x, y)}``, and knows nothing of colours,
texts or metric tables.

* :func:`layout`: each connected component on its own (stress majorization up to
  :data:`STRESS_MAX` nodes, rustworkx Fruchterman–Reingold above), scaled to
  pixels, then shelf-packed into rows with isolated nodes in a grid below;
* :func:`stress_layout`: SMACOF stress majorization of one component;
* :func:`radial_layout`: the partnership map (a centre, a ring, an outer ring);
* :func:`circle_layout`: nodes evenly on a circle (the sectors map).

Seeds are fixed and nodes and edges are fed in sorted order, so positions depend
only on the graph's content; every result is rounded to integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import networkx as nx

from ..defaults import SEED

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
#: Up to this many nodes the nearest neighbours are found from all pairs (in row blocks), above it by
#: scipy's k-d tree: importing scipy.spatial costs more than the pairs of a whole-network map (2,000 nodes).
ALL_PAIRS_MAX: Final = 5_000


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

    if len(points) <= ALL_PAIRS_MAX:  # all pairs; importing scipy.spatial costs more than this for a map
        p = np.asarray(points, dtype=float)
        nearest = np.empty(len(p))
        for lo in range(0, len(p), 500):  # 500 rows at a time: a few MB, whatever the map's size
            sq = ((p[lo:lo + 500, None, :] - p[None, :, :]) ** 2).sum(axis=2)
            sq[np.arange(sq.shape[0]), np.arange(lo, lo + sq.shape[0])] = np.inf
            nearest[lo:lo + 500] = np.sqrt(sq.min(axis=1))
    else:
        from scipy.spatial import cKDTree

        nearest = cKDTree(points).query(points, k=2)[0][:, 1]
    d = sorted(float(x) for x in nearest)
    return d[len(d) // 2]


# --- the view -------------------------------------------------------------------------


def radial_layout(sub: nx.Graph, centre: Any, ring: Sequence[tuple[Any, ...]]) -> dict[Any, tuple[int, int]]:
    """The partnership map: ``centre`` in the middle, a ring around it, every other node outside.

    ``ring`` holds tuples whose last item is a node (of ``sub`` or not, e.g. a
    placeholder); they are placed on a circle in sorted order, starting at the
    top. Each remaining node of ``sub`` goes on an outer ring at the mean angle
    of its ring neighbours, nudged apart so labels do not overlap. Needs no seed.
    """
    ring = sorted(ring)
    n = len(ring)
    r1 = max(200.0, n * SPACING * 1.4 / (2 * math.pi))
    pos: dict[Any, tuple[float, float]] = {centre: (0.0, 0.0)}
    angle: dict[Any, float] = {}
    for i, item in enumerate(ring):
        v = item[-1]
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


def circle_layout(nodes: Sequence[Any]) -> dict[Any, tuple[int, int]]:
    """``nodes`` evenly on a circle in the given order, the first at the top (the sectors map:
    readable for a handful of big nodes, and needs no seed)."""
    radius = max(300.0, len(nodes) * 200.0 / (2 * math.pi))
    return {
        v: (int(round(radius * math.cos(-math.pi / 2 + 2 * math.pi * i / len(nodes)))),
            int(round(radius * math.sin(-math.pi / 2 + 2 * math.pi * i / len(nodes)))))
        for i, v in enumerate(nodes)
    }


#: Maps up to this many nodes get :func:`remove_overlaps` (larger ones show few labels at their first
#: zoom, and the page hides the lower-ranked of two colliding labels).
OVERLAP_MAX: Final = 400
#: Free space kept between two node boxes by :func:`remove_overlaps`, in page pixels.
OVERLAP_GAP: Final = 6.0


def remove_overlaps(pos: dict[Any, tuple[int, int]], boxes: dict[Any, tuple[float, float, float, float]], *,
                    gap: float = OVERLAP_GAP, iterations: int = 20) -> dict[Any, tuple[int, int]]:
    """Positions moved apart so no two node boxes overlap (as far as ``iterations`` allow).

    ``boxes`` gives each node's box relative to its position, ``(left, top, right,
    bottom)`` (left and top negative): the shape and the label under it. Like Gephi's
    Noverlap and PRISM, only overlapping pairs move, each node by half the overlap
    along the axis where it is smaller (for wide, low label boxes that is mostly up and
    down), summed over its overlaps, so the drawing keeps its shape. All pairs are
    compared at once (numpy; a map this step is for has a few hundred nodes at most) in
    sorted order of the ids, so the result depends only on the input; integer pixels out.
    """
    import numpy as np

    ids = sorted(pos, key=str)
    if len(ids) < 2:
        return dict(pos)
    x = np.array([float(pos[v][0]) for v in ids])
    y = np.array([float(pos[v][1]) for v in ids])
    left, top, right, bottom = (np.array([float(boxes[v][k]) for v in ids]) for k in range(4))
    n = len(ids)
    # a pair at the same centre moves apart by its order: the later one down (or right)
    later = np.triu(np.ones((n, n), dtype=bool), k=1)
    tie = np.where(later, 1.0, -1.0)
    for _ in range(iterations):
        x0, x1, y0, y1 = x + left, x + right, y + top, y + bottom
        ox = np.minimum.outer(x1, x1) - np.maximum.outer(x0, x0) + gap
        oy = np.minimum.outer(y1, y1) - np.maximum.outer(y0, y0) + gap
        over = (ox > 0) & (oy > 0)
        np.fill_diagonal(over, False)
        if not over.any():
            break
        along_y = over & (oy <= ox)
        along_x = over & ~along_y
        cy, cx = (y0 + y1) / 2, (x0 + x1) / 2
        sy = np.sign(np.subtract.outer(cy, cy))  # +1: i is below j, so i moves down
        sx = np.sign(np.subtract.outer(cx, cx))
        sy = np.where(sy == 0, -tie, sy)
        sx = np.where(sx == 0, -tie, sx)
        y = y + (np.where(along_y, sy * oy, 0.0).sum(axis=1)) / 2
        x = x + (np.where(along_x, sx * ox, 0.0).sum(axis=1)) / 2
    return {v: (int(round(x[i])), int(round(y[i]))) for i, v in enumerate(ids)}
