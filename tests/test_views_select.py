"""Which nodes a map shows when it cannot show them all, and what it says it left out."""

from __future__ import annotations

import pytest

from partnernet import schema as S
from partnernet.views import select as sel
from partnernet.views.map import map_view

from .conftest import make_graph


@pytest.fixture
def star_sectors_graph():
    """Many zero-betweenness actors: big partnership P (a0..a9, business) with the hub h (state);
    small partnerships Q (h, k1, k2: knowledge) and R (h, c1: civil_society); s1 (state) alone in S."""
    nodes = [{"id": p, "kind": "partnership", "label": f"Partnerskab {p}"} for p in "PQRS"]
    nodes += [{"id": f"a{i}", "sector": "business", "label": f"Virksomhed {i}"} for i in range(10)]
    nodes += [{"id": "h", "sector": "state", "label": "Styrelsen"},
              {"id": "k1", "sector": "knowledge", "label": "Universitet 1"},
              {"id": "k2", "sector": "knowledge", "label": "Universitet 2"},
              {"id": "c1", "sector": "civil_society", "label": "Forening"},
              {"id": "s1", "sector": "state", "label": "Ministeriet"}]
    edges = [{"source": f"a{i}", "target": "P"} for i in range(10)]
    edges += [{"source": "h", "target": p} for p in "PQR"]
    edges += [{"source": "k1", "target": "Q"}, {"source": "k2", "target": "Q"}, {"source": "c1", "target": "R"},
              {"source": "s1", "target": "S"}]
    return make_graph(nodes, edges)


def kinds(view) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in view.nodes:
        out[n["kind"]] = out.get(n["kind"], 0) + 1
    return out


def test_whole_map_keeps_actors_first_with_every_sector(star_sectors_graph):
    v = map_view(star_sectors_graph, max_nodes=8)
    assert len(v.nodes) == 8 and v.capped
    assert kinds(v) == {"actor": 6, "partnership": 2}
    sectors = {n["sector"] for n in v.nodes if n["kind"] == "actor"}
    assert sectors == {"business", "state", "knowledge", "civil_society"}  # the floor: one of each at this limit
    assert "h" in {n["id"] for n in v.nodes}  # the only actor with betweenness


def test_whole_map_states_its_rule_and_what_it_left_out(star_sectors_graph):
    da = map_view(star_sectors_graph, max_nodes=8)
    assert any(n.startswith("Kortet viser 6 af 15 aktører og 2 af 4 partnerskaber: først aktørerne med højest "
                            "betweenness") for n in da.notes), da.notes
    en = map_view(star_sectors_graph, max_nodes=8, lang="en")
    assert any("6 of 15 actors and 2 of 4 partnerships" in n and "at least 5 from each sector" in n for n in en.notes)


def test_partnerships_kept_are_those_connecting_most_kept_actors(star_sectors_graph):
    v = map_view(star_sectors_graph, max_nodes=8)
    parts = {n["id"] for n in v.nodes if n["kind"] == "partnership"}
    assert "S" not in parts  # s1's only partnership connects one actor, and only if s1 is kept


def test_actors_view_keeps_a_floor_per_sector(star_sectors_graph):
    v = map_view(star_sectors_graph, view="actors", max_nodes=4)
    assert {n["sector"] for n in v.nodes} == {"business", "state", "knowledge", "civil_society"}
    assert any("4 af 15 aktører" in n and "fra hver sektor" in n for n in v.notes)


def test_ranked_actors_keeps_the_floor_then_the_best(star_sectors_graph):
    g = star_sectors_graph
    key = sel.actor_rank(g, {"h": 5.0, "a3": 1.0})
    actors = [n for n, k in g.nodes(data=S.KIND) if k == S.ACTOR]
    kept = sel.ranked_actors(g, actors, 6, key, floor=1)
    assert kept[:2] == ["h", "a3"] and {"k1", "c1"} <= set(kept) and len(kept) == 6


def test_partnership_map_keeps_the_others_sharing_most_members(star_sectors_graph):
    s = sel.partnership_nodes(star_sectors_graph, "P", others=1)
    assert "P" in s.keep and "Q" in s.keep and "R" not in s.keep  # Q and R share h; Q first by id
    assert (s.partnerships, s.partnerships_total, s.rule) == (2, 3, "partnership")
    v = map_view(star_sectors_graph, partnership="P")
    assert all(n["id"] != "S" for n in v.nodes) and not any("øvrige" in n for n in v.notes)


def test_partnership_map_is_the_same_on_the_cli_and_the_site(star_sectors_graph):
    from partnernet.graph import neighbourhood

    h = neighbourhood(star_sectors_graph, "P", others=1)
    assert sel.partnership_nodes(h, "P", others=1) == sel.partnership_nodes(star_sectors_graph, "P", others=1)


def test_partnership_map_says_what_it_left_out():
    others = [f"Q{i:02d}" for i in range(sel.PARTNERSHIP_OTHERS + 2)]
    g = make_graph([{"id": p, "kind": "partnership"} for p in ["P", *others]] + [{"id": "m"}, {"id": "n"}],
                   [{"source": "m", "target": p} for p in ["P", *others]] + [{"source": "n", "target": "P"}])
    v = map_view(g, partnership="P", lang="en")
    assert sum(1 for n in v.nodes if n["kind"] == "partnership") == 1 + sel.PARTNERSHIP_OTHERS
    assert ("The map shows 10 of the members' 12 other partnerships: those sharing the most members with this "
            "partnership.") in v.notes


def test_ego_map_is_bounded_and_says_so(star_sectors_graph):
    g = star_sectors_graph
    s = sel.ego_nodes(g, "h", sel.near_actors(g, "h"), sel.actor_rank(g, {}), two_mode=True, actors=3,
                      partnerships=2)
    actors = {n for n in s.keep if g.nodes[n][S.KIND] == S.ACTOR}
    assert "h" in actors and len(actors) <= 4
    assert s.rule == "ego" and s.actors_total == 14 and s.partnerships <= 2
    # every actor shown is linked to the map
    for a in actors - {"h"}:
        assert any(p in s.keep for p in g[a])


def test_ego_map_prefers_actors_sharing_more_partnerships():
    g = make_graph(
        [{"id": p, "kind": "partnership"} for p in ("P", "Q")] + [{"id": x, "sector": "state"} for x in "ebcd"],
        [{"source": x, "target": "P"} for x in "ebcd"] + [{"source": x, "target": "Q"} for x in "ed"])
    s = sel.ego_nodes(g, "e", sel.near_actors(g, "e"), sel.actor_rank(g, {}), two_mode=True, actors=1)
    assert {n for n in s.keep if g.nodes[n][S.KIND] == S.ACTOR} == {"e", "d"}


def test_near_actors_is_one_step_in_the_actor_network(star_sectors_graph):
    import networkx as nx

    from partnernet.graph import actor_network

    g = star_sectors_graph
    assert sel.near_actors(g, "h") == nx.single_source_shortest_path_length(actor_network(g), "h", cutoff=1)


def test_small_maps_leave_nothing_out_and_say_nothing(tiny_graph):
    v = map_view(tiny_graph)
    assert not v.capped and not any("Kortet viser" in n for n in v.notes)


def test_whole_map_replaces_actors_left_without_a_link(star_sectors_graph):
    g = star_sectors_graph
    key = sel.actor_rank(g, {})
    actors = [n for n, k in g.nodes(data=S.KIND) if k == S.ACTOR]
    kept = sel._linked_first(g, ["s1", "k1", "a0", "a1"], {"Q"}, sorted(actors, key=key), dict(g.nodes(data=S.KIND)))
    # only k1 is in Q; s1 and a0 stay as their sectors' best; a1 gives its place to h, the best actor in Q
    assert kept == ["h", "a0", "k1", "s1"]
    v = map_view(g, max_nodes=8)
    linked = {e["from"] for e in v.edges} | {e["to"] for e in v.edges}
    unlinked = {n["id"] for n in v.nodes if n["kind"] == "actor" and n["id"] not in linked}
    assert unlinked <= {"c1"}  # civil society's only actor, in R, which connects no other kept actor
