"""Tests of partnernet.views.layout: positions only (no colours, texts or tables)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from partnernet.views.layout import (_median_nearest_distance, circle_layout, layout, radial_layout, remove_overlaps,
                                     stress_layout)


def test_layout_is_seeded_and_integer():
    g = nx.barabasi_albert_graph(150, 2, seed=3)
    g = nx.relabel_nodes(g, {i: f"n{i:03d}" for i in g})
    p1, p2 = layout(g, seed=42), layout(g, seed=42)
    assert p1 == p2
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in p1.values())
    assert layout(g, seed=1) != p1
    assert len(set(p1.values())) == len(p1)  # no two nodes on the same spot


def test_layout_keeps_components_apart():
    g = nx.Graph()
    nx.add_path(g, ["a1", "a2", "a3", "a4"])
    nx.add_path(g, ["b1", "b2", "b3"])
    g.add_node("z")
    pos = layout(g)
    a_x = [pos[n][0] for n in ("a1", "a2", "a3", "a4")]
    b_x = [pos[n][0] for n in ("b1", "b2", "b3")]
    a_y = [pos[n][1] for n in ("a1", "a2", "a3", "a4")]
    b_y = [pos[n][1] for n in ("b1", "b2", "b3")]
    separate_x = max(a_x) < min(b_x) or max(b_x) < min(a_x)
    separate_y = max(a_y) < min(b_y) or max(b_y) < min(a_y)
    assert separate_x or separate_y


def _stress(pos, g):
    """Kamada–Kawai stress of ``pos`` after the best uniform scaling (so layouts of any size compare)."""
    import numpy as np

    d = dict(nx.all_pairs_shortest_path_length(g))
    nodes = sorted(g)
    pairs = [(u, v) for i, u in enumerate(nodes) for v in nodes[i + 1:]]
    dist = np.array([np.hypot(pos[u][0] - pos[v][0], pos[u][1] - pos[v][1]) for u, v in pairs])
    target = np.array([d[u][v] for u, v in pairs], dtype=float)
    w = target ** -2.0
    scale = (w * dist * target).sum() / (w * dist * dist).sum()
    return float((w * (scale * dist - target) ** 2).sum())


@pytest.mark.parametrize("name, g", [
    ("path", nx.path_graph(6)),
    ("cycle", nx.cycle_graph(12)),
    ("florentine", nx.florentine_families_graph()),
    ("karate", nx.karate_club_graph()),
    ("grid", nx.grid_2d_graph(5, 5)),
])
def test_stress_layout_is_as_good_as_kamada_kawai(name, g):
    """The small-component layout reaches networkx' Kamada–Kawai stress (same model), without scipy.optimize."""
    g = nx.relabel_nodes(g, {v: str(v) for v in g})
    ids = sorted(g)
    pairs = sorted((min(u, v), max(u, v)) for u, v in g.edges)
    ours = stress_layout(ids, pairs)
    kk = nx.kamada_kawai_layout(g, pos=nx.circular_layout(g.subgraph(ids)), weight=None)
    assert _stress(ours, g) <= _stress(kk, g) * 1.05 + 1e-3
    assert ours == stress_layout(ids, pairs)


def test_stress_layout_places_a_path_on_a_line_at_unit_steps():
    ids = ["a", "b", "c", "d"]
    pos = stress_layout(ids, [("a", "b"), ("b", "c"), ("c", "d")])
    step = [((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5 for u, v in zip(ids, ids[1:])]
    assert step == pytest.approx([1, 1, 1], abs=1e-3)
    ends = ((pos["a"][0] - pos["d"][0]) ** 2 + (pos["a"][1] - pos["d"][1]) ** 2) ** 0.5
    assert ends == pytest.approx(3, abs=1e-3)


@pytest.mark.parametrize("n", [2, 3, 40, 499, 500, 501, 1000, 1001, 1500, 5000, 5001])
def test_median_nearest_distance_matches_a_kd_tree(n):
    """Maps up to ALL_PAIRS_MAX nodes are measured pair by pair in row blocks (no scipy.spatial import),
    larger ones with a k-d tree: the same value to the last bit, so positions do not move."""
    from scipy.spatial import cKDTree

    rng = random.Random(n)
    points = [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(n)]
    nearest = sorted(float(x) for x in cKDTree(points).query(points, k=2)[0][:, 1])
    assert _median_nearest_distance(points) == nearest[len(nearest) // 2]


def test_median_nearest_distance_of_repeated_points_is_zero():
    assert _median_nearest_distance([(1.0, 2.0)] * 3 + [(5.0, 5.0)]) == 0.0


def test_radial_layout_puts_the_centre_in_the_middle_and_the_ring_in_order():
    sub = nx.Graph([("p", "a"), ("p", "b"), ("a", "q"), ("b", "q")])
    pos = radial_layout(sub, "p", [(1, "b"), (0, "a"), (2, "gap")])
    assert pos["p"] == (0, 0)
    assert pos["a"][1] < 0 and pos["a"][0] == 0  # the first of the ring at the top
    assert {"gap", "q"} <= set(pos)  # ring places need not be nodes; the rest goes outside
    radius = lambda v: (pos[v][0] ** 2 + pos[v][1] ** 2) ** 0.5
    assert radius("q") > radius("a") == pytest.approx(radius("b"), abs=1)
    assert all(isinstance(c, int) for xy in pos.values() for c in xy)


def test_circle_layout_starts_at_the_top_and_keeps_the_order():
    pos = circle_layout(["s1", "s2", "s3", "s4"])
    assert pos["s1"] == (0, -300) and pos["s2"] == (300, 0) and pos["s3"] == (0, 300) and pos["s4"] == (-300, 0)
    assert circle_layout([]) == {}


# --- overlap removal ------------------------------------------------------------------------

#: A node of size 7 with a 100-pixel label under it: (left, top, right, bottom) around its centre.
LABELLED_BOX = (-50.0, -7.0, 50.0, 33.0)


def _overlap(pos, boxes, a, b) -> bool:
    (al, at, ar, ab), (bl, bt, br, bb) = boxes[a], boxes[b]
    return (pos[a][0] + al < pos[b][0] + br and pos[b][0] + bl < pos[a][0] + ar
            and pos[a][1] + at < pos[b][1] + bb and pos[b][1] + bt < pos[a][1] + ab)


def test_remove_overlaps_moves_colliding_labels_apart_up_and_down():
    pos = {"a": (0, 0), "b": (30, 10), "c": (400, 0)}
    boxes = {n: LABELLED_BOX for n in pos}
    out = remove_overlaps(pos, boxes)
    assert not _overlap(out, boxes, "a", "b")
    assert out["c"] == (400, 0)  # not in the way: does not move
    assert out["a"][0] == 0 and out["b"][0] == 30  # wide, low boxes move along y only
    assert out == remove_overlaps(dict(reversed(list(pos.items()))), boxes)  # order of the input does not matter


def test_remove_overlaps_separates_nodes_on_the_same_spot():
    boxes = {n: LABELLED_BOX for n in "xy"}
    out = remove_overlaps({"x": (5, 5), "y": (5, 5)}, boxes)
    assert out["x"][1] < out["y"][1] and not _overlap(out, boxes, "x", "y")
