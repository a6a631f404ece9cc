"""The map view model: pure data, deterministic, escaping-agnostic (plain text)."""

from __future__ import annotations

import json
import random
import time

import networkx as nx
import pytest

from partnernet import schema as S
from partnernet.errors import OptionError
from partnernet.graph import graph_from_records
from partnernet.views import map as M
from partnernet.graph import actor_subnetwork
from partnernet.views.map import MapView, map_view

from .conftest import make_graph


def by_id(view: MapView) -> dict[str, dict]:
    return {n["id"]: n for n in view.nodes}


def edge_key(e: dict) -> tuple[str, str]:
    return (e["from"], e["to"])


@pytest.fixture
def hub_graph():
    """p1 with members of three sectors (a leads); p2 shares b; c–d tie; e isolated."""
    return make_graph(
        nodes=[
            {"id": "p1", "label": "Partnerskab 1", "kind": "partnership"},
            {"id": "p2", "label": "Partnerskab 2", "kind": "partnership"},
            {"id": "a", "label": "Miljøstyrelsen", "sector": "state", "type": "agency"},
            {"id": "b", "label": "Ørsted", "sector": "business", "type": "business"},
            {"id": "c", "label": "Ældre Sagen", "sector": "civil_society", "type": "ngo"},
            {"id": "d", "label": "Aarhus Universitet", "sector": "knowledge", "type": "research"},
            {"id": "e", "label": "Københavns Kommune", "sector": "municipality", "type": "municipality"},
        ],
        edges=[
            {"source": "a", "target": "p1", "role": "lead"},
            {"source": "b", "target": "p1"},
            {"source": "c", "target": "p1"},
            {"source": "b", "target": "p2"},
            {"source": "d", "target": "p2", "weight": 3.0},
            {"source": "c", "target": "d", "weight": 2.0},
        ],
    )


# --- the whole network -----------------------------------------------------------------


def test_network_view_has_every_node_and_edge(tiny_graph):
    v = map_view(tiny_graph)
    assert sorted(n["id"] for n in v.nodes) == sorted(tiny_graph.nodes)
    assert sorted(edge_key(e) for e in v.edges) == sorted([("a", "p1"), ("b", "p1"), ("b", "p2"), ("c", "p2"), ("c", "d")])
    assert v.view == "network" and v.lang == "da" and not v.capped
    assert v.total_nodes == 6


def test_node_fields_are_plain_data(tiny_graph):
    v = map_view(tiny_graph)
    nodes = by_id(v)
    a = nodes["a"]
    for key in ("id", "label", "title", "x", "y", "color", "size", "shape", "group", "sector", "kind", "measures", "partnerships"):
        assert key in a
    assert a["label"] == "Miljøstyrelsen"
    assert a["kind"] == "actor" and a["shape"] == "dot"
    assert a["sector"] == "state" and a["sector_label"] == "Stat"
    assert a["color"] == S.DEFAULT_SECTORS.get("state").color
    assert isinstance(a["x"], int) and isinstance(a["y"], int)
    assert set(a["measures"]) >= {"degree", "betweenness", "closeness", "pagerank"}
    assert a["partnerships"] == [{"id": "p1", "label": "Partnerskab 1", "role": "lead", "role_label": "leder"}]
    p1 = nodes["p1"]
    assert p1["kind"] == "partnership" and p1["shape"] == "square" and p1["color"] == S.PARTNERSHIP_COLOR
    assert [m["id"] for m in p1["members"]] == ["a", "b"]
    assert p1["measures"]["members"] == 2
    assert "Civilsamfund" in p1["missing"] and "Stat" in p1["present"]


def test_partnerships_and_actors_have_distinct_shapes(tiny_graph):
    v = map_view(tiny_graph)
    shapes = {n["kind"]: n["shape"] for n in v.nodes}
    assert shapes["actor"] != shapes["partnership"]


def test_lead_role_is_visible_and_ties_are_dashed(tiny_graph):
    v = map_view(tiny_graph)
    edges = {edge_key(e): e for e in v.edges}
    lead, member, tie = edges[("a", "p1")], edges[("b", "p1")], edges[("c", "d")]
    assert lead["role"] == "lead" and member["role"] == "member"
    assert lead["width"] > member["width"]
    assert lead["color"] != member["color"]
    assert tie["dashes"] is True and lead["dashes"] is False and tie["relation"] == "tie"
    assert "leder" in lead["title"]
    labels = [line["label"] for line in v.legend["lines"]]
    assert any("Leder" in s for s in labels) and any("Direkte samarbejde" in s for s in labels)


def test_edge_width_grows_with_weight(hub_graph):
    v = map_view(hub_graph)
    edges = {edge_key(e): e for e in v.edges}
    assert edges[("d", "p2")]["width"] > edges[("b", "p2")]["width"]
    assert edges[("d", "p2")]["weight"] == 3


def test_tooltips_are_plain_text(tiny_graph):
    v = map_view(tiny_graph)
    for n in v.nodes:
        assert isinstance(n["title"], str)
        assert n["label"] in n["title"]
        assert "<" not in n["title"] and "&" not in n["title"]


def test_size_follows_the_chosen_measure(hub_graph):
    v = map_view(hub_graph, size_by="degree")
    actors = [n for n in v.nodes if n["kind"] == "actor"]
    ranked = sorted(actors, key=lambda n: n["measures"]["degree"])
    assert [n["size"] for n in ranked] == sorted(n["size"] for n in ranked)
    assert ranked[-1]["size"] > ranked[0]["size"]
    assert v.size_by == "degree"
    assert "grad" in v.legend["size"]


def test_legend_lists_sectors_present_with_counts(tiny_graph):
    v = map_view(tiny_graph)
    items = v.legend["items"]
    assert [i["id"] for i in items] == ["state", "business", "civil_society", "knowledge"]  # vocabulary order
    assert all(i["count"] == 1 for i in items)
    assert items[0]["label"] == "Stat"
    assert v.legend["title"] == "Farve: sektor"
    assert [s["label"] for s in v.legend["shapes"]] == ["Aktør (cirkel)", "Partnerskab (firkant)"]


def test_color_by_group_uses_helix_groups(hub_graph):
    v = map_view(hub_graph, color_by="group")
    nodes = by_id(v)
    assert nodes["a"]["group"] == "public" and nodes["a"]["color"] == M.GROUP_COLORS["public"]
    assert nodes["b"]["group"] == "private"
    assert [i["id"] for i in v.legend["items"]] == ["public", "private", "civil_society", "knowledge"]


def test_color_by_community_has_a_legend(hub_graph):
    v = map_view(hub_graph, color_by="community")
    actors = [n for n in v.nodes if n["kind"] == "actor"]
    assert all(n["group"].startswith("community-") for n in actors)
    assert v.legend["items"] and all(i["label"].startswith(("Fællesskab", "Øvrige", "Uden")) for i in v.legend["items"])
    assert sum(i["count"] for i in v.legend["items"]) == len(actors)
    assert all(n["color"] in (*M.COMMUNITY_COLORS, M.OTHER_COLOR, S.NO_SECTOR_COLOR) for n in actors)


def test_english_texts(tiny_graph):
    v = map_view(tiny_graph, lang="en")
    assert v.title == "Partnership network"
    assert v.texts["search"] == "Search"
    assert by_id(v)["a"]["sector_label"] == "State"
    assert v.summary.startswith("4 actors, 2 partnerships")


def test_title_and_caption_options(tiny_graph):
    v = map_view(tiny_graph, title="Min titel", caption="Kilde: test")
    assert v.title == "Min titel" and v.caption == "Kilde: test"


def test_to_dict_is_json_serialisable_and_a_copy(tiny_graph):
    v = map_view(tiny_graph)
    d = v.to_dict()
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)
    assert json.loads(text)["nodes"][0]["id"] == v.nodes[0]["id"]
    d["nodes"][0]["label"] = "changed"
    assert v.nodes[0]["label"] != "changed"


# --- determinism and purity -----------------------------------------------------------


def test_same_data_gives_the_same_view(tiny_graph):
    a = json.dumps(map_view(tiny_graph).to_dict(), sort_keys=True)
    b = json.dumps(map_view(tiny_graph).to_dict(), sort_keys=True)
    assert a == b


def test_record_order_does_not_change_the_view(hub_graph):
    nodes = [dict(hub_graph.nodes[n], id=n) for n in hub_graph.nodes]
    edges = [{"source": u, "target": v, "role": d["role"], "weight": d["weight"]} for u, v, d in hub_graph.edges(data=True)]
    rng = random.Random(7)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    shuffled = graph_from_records(nodes, edges)
    assert json.dumps(map_view(shuffled).to_dict(), sort_keys=True) == json.dumps(map_view(hub_graph).to_dict(), sort_keys=True)


def test_view_does_not_touch_the_graph(hub_graph):
    before_nodes = {n: dict(d) for n, d in hub_graph.nodes(data=True)}
    before_edges = {(u, v): dict(d) for u, v, d in hub_graph.edges(data=True)}
    map_view(hub_graph)
    map_view(hub_graph, view="actors")
    assert {n: dict(d) for n, d in hub_graph.nodes(data=True)} == before_nodes
    assert {(u, v): dict(d) for u, v, d in hub_graph.edges(data=True)} == before_edges
    assert nx.is_frozen(hub_graph)


# --- the other views ------------------------------------------------------------------


def test_actors_view_is_one_mode(hub_graph):
    v = map_view(hub_graph, view="actors")
    assert {n["kind"] for n in v.nodes} == {"actor"}
    edges = {edge_key(e): e for e in v.edges}
    assert ("a", "b") in edges and edges[("a", "b")]["relation"] == "co-membership"
    # c (p1) and d (p2) share no partnership, only their direct tie of weight 2
    assert edges[("c", "d")]["weight"] == 2 and edges[("c", "d")]["relation"] == "tie" and edges[("c", "d")]["dashes"]
    assert v.summary.startswith("5 aktører")


def test_sectors_view_counts_co_memberships(hub_graph):
    v = map_view(hub_graph, view="sectors")
    nodes = by_id(v)
    assert set(nodes) == {"sector:state", "sector:business", "sector:civil_society", "sector:knowledge", "sector:municipality"}
    assert nodes["sector:business"]["measures"] == {"actors": 1, "partnerships": 2}
    edges = {edge_key(e): e["weight"] for e in v.edges}
    # p1: state, business, civil_society; p2: business, knowledge
    assert edges[("sector:business", "sector:state")] == 1
    assert edges[("sector:business", "sector:knowledge")] == 1
    assert ("sector:knowledge", "sector:state") not in edges
    assert all(n["label"] for n in v.nodes)


def test_partnership_view_shows_missing_sectors_as_empty_places(hub_graph):
    v = map_view(hub_graph, partnership="p1")
    nodes = by_id(v)
    assert {"p1", "a", "b", "c", "p2"} <= set(nodes)  # members and their other partnerships
    assert "d" not in nodes and "e" not in nodes          # not members of p1
    missing = [n for n in v.nodes if n["kind"] == "missing"]
    assert {n["sector"] for n in missing} == {"region", "municipality", "local_gov_association",
                                              "business_association", "knowledge"}
    assert all(n["dashes"] and n["label"].startswith("Mangler: ") for n in missing)
    assert all(any(e["to"] == n["id"] and e["dashes"] for e in v.edges) for n in missing)
    assert nodes["p1"]["focus"] is True and v.focus == "p1"
    assert v.title == "Partnerskab: Partnerskab 1"
    # the partnership sits in the middle of the ring
    assert (nodes["p1"]["x"], nodes["p1"]["y"]) == (0, 0)


def test_missing_places_are_not_counted_as_actors(hub_graph):
    """A partnership without a public body: the dashed empty places are no actors, in the legend and
    in the sector filter (which lists their sectors with 0, so a place can still be hidden)."""
    v = map_view(hub_graph, partnership="p1")
    menu = {s["id"]: s["count"] for s in v.sectors}
    assert menu["region"] == 0 and menu["municipality"] == 0 and menu["knowledge"] == 0
    assert menu["state"] == 1 and menu["business"] == 1 and menu["civil_society"] == 1
    legend = {i["id"]: i["count"] for i in v.legend["items"]}
    assert "region" not in legend and legend["state"] == 1
    assert sum(legend.values()) == sum(1 for n in v.nodes if n["kind"] == "actor")


def test_partnership_view_shows_declared_sectors_as_present_unnamed_not_missing():
    g = make_graph([{"id": "p", "label": "P", "kind": "partnership", "declared": {"business": 5, "region": 1}},
                    {"id": "a", "label": "A", "sector": "state"}, {"id": "b", "label": "B", "sector": "state"}],
                   [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    v = map_view(g, partnership="p")
    missing = {n["sector"] for n in v.nodes if n["kind"] == "missing"}
    assert missing == {"municipality", "local_gov_association", "business_association", "civil_society", "knowledge"}
    panel = by_id(v)["p"]
    assert panel["present"] == ["Stat", "Region (unavngivne)", "Erhverv (unavngivne)"]
    assert "Erhverv" not in panel["missing"]
    assert by_id(map_view(g, partnership="p", lang="en"))["p"]["present"] == ["State", "Region (unnamed)",
                                                                              "Business (unnamed)"]


def test_ego_view_depth(hub_graph):
    v1 = map_view(hub_graph, actor="a", depth=1)
    ids1 = set(by_id(v1))
    assert {"a", "b", "c", "p1"} <= ids1 and "d" not in ids1
    v2 = map_view(hub_graph, actor="a", depth=2)
    ids2 = set(by_id(v2))
    assert {"d", "p2"} <= ids2 and "e" not in ids2
    assert v2.title == "Netværket omkring Miljøstyrelsen"
    va = map_view(hub_graph, view="actors", actor="a", depth=1)
    assert set(by_id(va)) == {"a", "b", "c"}


def test_sector_filter_by_id_or_name(hub_graph):
    v = map_view(hub_graph, sector=["business", "Civilsamfund"])
    actors = {n["id"] for n in v.nodes if n["kind"] == "actor"}
    assert actors == {"b", "c"}
    assert {n["id"] for n in v.nodes if n["kind"] == "partnership"} == {"p1", "p2"}
    assert any("Erhverv" in note for note in v.notes)
    assert map_view(hub_graph, sector="Business").nodes == map_view(hub_graph, sector="business").nodes


def test_as_of_is_stated(hub_graph):
    from partnernet.graph import as_of

    v = map_view(as_of(hub_graph, 2020))
    assert "Status i 2020." in v.notes


# --- options that name things the data does not have -------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"partnership": "p3"}, "choose one of p1, p2"),
        ({"partnership": "p11"}, 'did you mean "p1"'),
        ({"partnership": "a"}, '"a" is an actor, not a partnership'),
        ({"actor": "aa"}, 'did you mean "a"?'),
        ({"sector": "buisness"}, 'did you mean "business"'),
        ({"view": "actor"}, "did you mean 'actors'?"),
        ({"size_by": "betweeness"}, "did you mean 'betweenness'?"),
        ({"color_by": "colour"}, "--color-by"),
        ({"partnership": "p1", "actor": "a"}, "cannot be combined"),
        ({"partnership": "p1", "view": "sectors"}, "cannot be combined"),
        ({"actor": "a", "view": "sectors"}, "cannot be combined"),
        ({"max_nodes": 0}, "--max-nodes"),
        ({"lang": "de"}, "--lang"),
    ],
)
def test_bad_options_raise_option_error(hub_graph, kwargs, needle):
    with pytest.raises(OptionError) as info:
        map_view(hub_graph, **kwargs)
    assert needle in str(info.value)


# --- the size cap -----------------------------------------------------------------------


def test_cap_keeps_top_nodes_by_measure_and_says_so(hub_graph):
    full = map_view(hub_graph, actor="b", size_by="degree")
    v = map_view(hub_graph, actor="b", size_by="degree", max_nodes=3)
    assert len(v.nodes) == 3 and v.capped and v.total_nodes == len(full.nodes) == 6
    kept = {n["id"] for n in v.nodes}
    assert "b" in kept  # the focus first, then the highest degree within each kind
    assert any("3 af 6" in note and "grad" in note for note in v.notes)
    assert all(e["from"] in kept and e["to"] in kept for e in v.edges)


def test_whole_map_cap_keeps_actors_first(hub_graph):
    v = map_view(hub_graph, size_by="degree", max_nodes=3)
    assert len(v.nodes) == 3 and v.capped and v.total_nodes == 7
    assert all(n["kind"] == "actor" for n in v.nodes)  # a quarter of 3 is no room for partnerships
    assert "e" not in {n["id"] for n in v.nodes}  # the isolated actor has the lowest degree
    assert any("3 af 5 aktører og 0 af 2 partnerskaber" in note for note in v.notes)


def test_cap_keeps_the_focus_node(hub_graph):
    v = map_view(hub_graph, actor="e", max_nodes=1)
    assert [n["id"] for n in v.nodes] == ["e"]


def test_empty_graph_gives_an_empty_view(tiny_graph):
    from partnernet.graph import as_of

    g = as_of(graph_from_records([{"id": "a", "start": 2030}], []), 2000)
    assert g.number_of_nodes() == 0
    v = map_view(g)
    assert v.nodes == [] and v.edges == [] and v.legend["items"] == []
    assert map_view(g, view="sectors").nodes == []


def test_large_graph_is_capped_quickly():
    rng = random.Random(1)
    parts = [{"id": f"p{i:04d}", "kind": "partnership", "label": f"Partnerskab {i}"} for i in range(400)]
    sectors = S.DEFAULT_SECTORS.ids
    actors = [{"id": f"a{i:04d}", "label": f"Aktør {i}", "sector": sectors[i % len(sectors)]} for i in range(2600)]
    edges = []
    for i in range(2600):
        for p in rng.sample(range(400), 1 + (i % 3 == 0)):
            edges.append({"source": f"a{i:04d}", "target": f"p{p:04d}"})
    g = graph_from_records(parts + actors, edges)
    start = time.perf_counter()
    v = map_view(g, max_nodes=M.MAX_NODES)
    elapsed = time.perf_counter() - start
    assert len(v.nodes) == M.MAX_NODES and v.capped and v.total_nodes == 3000
    assert elapsed < 20, f"map_view took {elapsed:.1f} s"


def test_focus_by_exact_label(hub_graph):
    assert map_view(hub_graph, partnership="partnerskab 1").focus == "p1"
    assert map_view(hub_graph, actor="Ørsted").focus == "b"


def _clique_graph(n_big: int = 30):
    """One partnership of ``n_big`` members (a clique on the actor network), a small one, and a tie."""
    actors = [{"id": f"a{i:02d}", "label": f"Aktør {i}", "sector": "business", "type": "business"}
              for i in range(n_big)]
    nodes = [{"id": "big", "label": "Stort partnerskab", "kind": "partnership"},
             {"id": "small", "label": "Lille partnerskab", "kind": "partnership"},
             {"id": "x", "label": "Ydre aktør", "sector": "state", "type": "agency"}, *actors]
    edges = [{"source": a["id"], "target": "big"} for a in actors]
    edges += [{"source": "a00", "target": "small"}, {"source": "a01", "target": "small"},
              {"source": "x", "target": "a05", "weight": 2.0}]
    return make_graph(nodes=nodes, edges=edges)


def test_actors_map_keeps_each_actors_strongest_links_when_dense():
    """A 30-member partnership is a 435-link clique: the map keeps each actor's 10 strongest links, and says so."""
    g = _clique_graph()
    v = map_view(g, view="actors", size_by="degree")
    kept = {edge_key(e) for e in v.edges}
    assert len(kept) < 435 + 2
    # the double link a00–a01 (two shared partnerships) and the tie x–a05 are the strongest of their ends
    assert ("a00", "a01") in kept and ("a05", "x") in kept
    degree = {n["id"]: 0 for n in v.nodes}
    for u, w in kept:
        degree[u] += 1
        degree[w] += 1
    assert min(degree[a] for a in degree if a != "x") >= M.LINKS_PER_ACTOR
    assert any(f"{M.LINKS_PER_ACTOR} stærkeste forbindelser" in note and f"af {435 + 1} forbindelser" in note
               for note in v.notes)
    assert map_view(g, view="actors", size_by="degree").to_dict() == v.to_dict()  # deterministic


def test_sparse_actors_map_keeps_every_link(hub_graph):
    v = map_view(hub_graph, view="actors")
    assert not any("stærkeste" in note for note in v.notes)
    assert len(v.edges) == actor_subnetwork(hub_graph, {"a", "b", "c", "d", "e"})[1]


def test_rounded_measures_are_remembered_and_still_exact():
    """Rounding is remembered per float; equal keys (0.0, -0.0) and repeated calls round as the first did."""
    assert M._round(0.1235) == 0.124 and M._round(0.1235) == 0.124
    assert M._round(-0.0) == 0.0 and M._round(0.0) == 0.0
    assert M._round(2.0) == 2 and isinstance(M._round(2.0), int)
    assert M._round(float("nan")) is None and M._round(float("inf")) is None
    assert M._round(3) == 3 and M._round(None) is None


# --- the data's own columns ------------------------------------------------------------------


EVIDENCE = " ".join(["Citat"] * 40)


@pytest.fixture
def columns_graph():
    """p with an amount and an internal note; a (country, contact person, hostile text) leads p with a long
    evidence quote; b has an empty country."""
    return make_graph(
        nodes=[
            {"id": "p", "label": "P", "kind": "partnership", "budget": "1234,5", "_note": "intern"},
            {"id": "a", "label": "A", "sector": "state", "country": "Danmark", "kontaktperson": "Åse Ørn",
             "motto": "<script>alert(1)</script>"},
            {"id": "b", "label": "B", "sector": "business", "country": ""},
        ],
        edges=[{"source": "a", "target": "p", "role": "lead", "evidence": EVIDENCE},
               {"source": "b", "target": "p"}],
    )


def test_own_columns_in_tooltips_and_details(columns_graph):
    v = map_view(columns_graph)
    nodes = by_id(v)
    a, b, p = nodes["a"], nodes["b"], nodes["p"]
    assert a["columns"] == [("country", "Danmark"), ("kontaktperson", "Åse Ørn"), ("motto", "<script>alert(1)</script>")]
    assert "country: Danmark" in a["title"] and "kontaktperson: Åse Ørn" in a["title"]
    assert b["columns"] == []                                   # an empty value is not shown
    assert p["columns"] == [("budget", "1.234,5")]              # decimal comma kept in Danish; _note hidden
    assert "_note" not in json.dumps(v.to_dict())
    assert p["link_columns"] == [["a", [("evidence", EVIDENCE)]]]
    assert a["link_columns"] == [["p", [("evidence", EVIDENCE)]]]
    edge = next(e for e in v.edges if e["from"] == "a")
    assert edge["title"].splitlines()[-1].startswith("evidence: Citat Citat") and len(edge["title"].splitlines()[-1]) <= 90
    assert map_view(columns_graph, lang="en").nodes[2]["columns"] == [("budget", "1,234.5")]


def test_hidden_columns_are_left_out_and_unknown_names_refused(columns_graph):
    v = map_view(columns_graph, hide_columns=["kontaktperson", "evidence"])
    a = by_id(v)["a"]
    assert [c for c, _ in a["columns"]] == ["country", "motto"] and a["link_columns"] == []
    with pytest.raises(OptionError, match='"kontakt" is not a column of the data; did you mean "kontaktperson"'):
        map_view(columns_graph, hide_columns=["kontakt"])
