"""GEXF and GraphML export: round trip through networkx' readers, clean values, same bytes."""

import io
from pathlib import Path

import networkx as nx
import pytest

from partnernet.graph import build_graph, graph_from_records
from partnernet.io.csvread import parse_bytes
from partnernet.load import load, locate
from partnernet.export.graphxml import export_graph, gexf_bytes, graph_json_files, graph_records, graphml_bytes
from partnernet.validate import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled():
    return build_graph(load(locate(ROOT / "data")))


def read_gexf(data: bytes) -> nx.Graph:
    return nx.read_gexf(io.BytesIO(data))


def read_graphml(data: bytes) -> nx.Graph:
    return nx.read_graphml(io.BytesIO(data))


def edge_set(g) -> set[frozenset]:
    return {frozenset((str(u), str(v))) for u, v in g.edges}


def test_gexf_round_trip_keeps_nodes_edges_and_attributes(tiny_graph):
    h = read_gexf(gexf_bytes(tiny_graph))
    assert set(h.nodes) == set(tiny_graph.nodes)
    assert edge_set(h) == edge_set(tiny_graph)
    assert h.nodes["a"]["label"] == "Miljøstyrelsen"
    assert h.nodes["a"]["sector"] == "state"
    assert h.nodes["a"]["kind"] == "actor"
    assert h.nodes["p1"]["kind"] == "partnership"
    assert "sector" not in h.nodes["p1"]  # None values are dropped, not written as "None"
    assert h.edges["a", "p1"]["role"] == "lead"
    assert h.edges["c", "d"]["weight"] == 2.0
    assert h.edges["c", "d"]["relation"] == "tie"
    assert h.graph["mode"] == "static"


def test_graphml_round_trip_keeps_nodes_edges_and_attributes(tiny_graph):
    h = read_graphml(graphml_bytes(tiny_graph))
    assert set(h.nodes) == set(tiny_graph.nodes)
    assert edge_set(h) == edge_set(tiny_graph)
    assert h.nodes["b"] == {"label": "Ørsted", "kind": "actor", "sector": "business", "type": "business"}
    assert h.edges["a", "p1"]["role"] == "lead"
    assert h.edges["c", "d"]["weight"] == 2.0


def test_bundled_data_round_trips_through_both_formats(bundled):
    for data, reader in ((gexf_bytes(bundled, date="2024-01-31"), read_gexf), (graphml_bytes(bundled), read_graphml)):
        h = reader(data)
        assert h.number_of_nodes() == bundled.number_of_nodes() == 43
        assert h.number_of_edges() == bundled.number_of_edges() == 43
        assert edge_set(h) == edge_set(bundled)
        for n, d in bundled.nodes(data=True):
            assert h.nodes[n]["label"] == d["label"]
            assert h.nodes[n]["kind"] == d["kind"]
    g = read_graphml(graphml_bytes(bundled))
    assert g.nodes["p-groenne-indkoeb"]["start"] == 2006
    x = read_gexf(gexf_bytes(bundled))
    assert x.nodes["p-groenne-indkoeb"]["start_year"] == 2006  # start/end renamed: the graph stays static
    assert x.graph["mode"] == "static"


def test_declared_is_written_as_its_nodes_csv_text_and_reads_back(bundled):
    import json

    text = "business:5|business_association:1|civil_society:1|knowledge:1"
    assert read_graphml(graphml_bytes(bundled)).nodes["p-fuldkorn"]["declared"] == text
    assert read_gexf(gexf_bytes(bundled)).nodes["p-fuldkorn"]["declared"] == text
    nodes = {n["id"]: n for n in json.loads(graph_json_files(bundled)["nodes.json"])}
    assert nodes["p-fuldkorn"]["declared"] == text
    assert nodes["p-noeglehul"]["declared"] is None
    # The written text is nodes.csv's form: read in again, it gives the same mapping.
    again = build_graph(validate(parse_bytes(f"id,kind,declared\np,partnership,{text}\na,actor,\n".encode(), "n.csv"),
                                 parse_bytes(b"source,target\na,p\n", "e.csv")))
    assert again.nodes["p"]["declared"] == bundled.nodes["p-fuldkorn"]["declared"]


def test_the_same_graph_gives_the_same_bytes(bundled):
    assert gexf_bytes(bundled, date="2024-01-31") == gexf_bytes(bundled, date="2024-01-31")
    assert graphml_bytes(bundled) == graphml_bytes(bundled)


def test_bytes_do_not_depend_on_insertion_order():
    nodes = [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"}, {"id": "b", "sector": "business"}]
    edges = [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}]
    g1 = graph_from_records(nodes, edges)
    g2 = graph_from_records(list(reversed(nodes)), list(reversed(edges)))
    assert gexf_bytes(g1) == gexf_bytes(g2)
    assert graphml_bytes(g1) == graphml_bytes(g2)


def test_gexf_date_is_pinned_or_left_out(tiny_graph):
    assert b'lastmodifieddate="2024-01-31"' in gexf_bytes(tiny_graph, date="2024-01-31")
    assert b"lastmodifieddate" not in gexf_bytes(tiny_graph)
    assert b"<creator>partnernet " in gexf_bytes(tiny_graph)


def test_memberships_are_written_actor_to_partnership(tiny_graph):
    h = export_graph(tiny_graph)
    for u, v in h.edges:
        if h.nodes[v].get("kind") == "partnership" or h.nodes[u].get("kind") == "partnership":
            assert h.nodes[u]["kind"] == "actor"
    nodes, edges = graph_records(tiny_graph)
    assert [n["id"] for n in nodes] == ["a", "b", "c", "d", "p1", "p2"]
    assert all(e["target"].startswith("p") for e in edges if e["relation"] == "membership")


def test_lists_none_nan_and_reserved_names_are_made_writable():
    g = graph_from_records(
        nodes=[
            {"id": "p", "kind": "partnership", "tags": ["x", "y"], "viz": "plain text", "pid": "7"},
            {"id": "a", "sector": "state", "score": float("nan"), "note": None, "flag": True},
        ],
        edges=[{"source": "a", "target": "p", "type": "formal", "id": "e-1", "evidence": "ctl\x01char"}],
    )
    h = read_gexf(gexf_bytes(g))
    assert h.nodes["p"]["tags"] == "x|y"
    assert h.nodes["p"]["viz_"] == "plain text"
    assert h.nodes["p"]["pid_"] == "7"
    assert "score" not in h.nodes["a"] and "note" not in h.nodes["a"]
    assert h.nodes["a"]["flag"] is True
    e = h.edges["a", "p"]
    assert e["type_"] == "formal" and e["id_"] == "e-1"
    assert e["evidence"] == "ctl\ufffdchar"
    k = read_graphml(graphml_bytes(g))
    assert k.nodes["p"]["tags"] == "x|y"
    assert k.edges["a", "p"]["type"] == "formal"


def test_the_analysis_graph_is_not_touched(tiny_graph):
    before_nodes = {n: dict(d) for n, d in tiny_graph.nodes(data=True)}
    before_edges = {(u, v): dict(d) for u, v, d in tiny_graph.edges(data=True)}
    before_graph = dict(tiny_graph.graph)
    gexf_bytes(tiny_graph)
    graphml_bytes(tiny_graph)
    graph_json_files(tiny_graph)
    assert {n: dict(d) for n, d in tiny_graph.nodes(data=True)} == before_nodes
    assert {(u, v): dict(d) for u, v, d in tiny_graph.edges(data=True)} == before_edges
    assert dict(tiny_graph.graph) == before_graph
    assert nx.is_frozen(tiny_graph)


def test_xml_special_characters_survive(tiny_graph):
    g = graph_from_records(
        nodes=[{"id": "p", "kind": "partnership", "label": "<b>&\"'</b>"}, {"id": "a&b", "label": "]]> æøå"}],
        edges=[{"source": "a&b", "target": "p"}],
    )
    for data, reader in ((gexf_bytes(g), read_gexf), (graphml_bytes(g), read_graphml)):
        h = reader(data)
        assert h.nodes["p"]["label"] == "<b>&\"'</b>"
        assert h.nodes["a&b"]["label"] == "]]> æøå"


def test_json_records_round_trip(bundled):
    import json

    files = graph_json_files(bundled)
    nodes = json.loads(files["nodes.json"])
    edges = json.loads(files["edges.json"])
    assert len(nodes) == 43 and len(edges) == 43
    assert list(nodes[0])[:6] == ["id", "label", "kind", "sector", "type", "start"]
    assert {e["relation"] for e in edges} == {"membership"}


# --- the streaming writers write what networkx' writers write -----------------------------------------


def _networkx_gexf(g, *, date=None, name="partnernet") -> bytes:
    """The reference: networkx' GEXFWriter on the same cleaned copy, with partnernet's meta data."""
    from networkx.readwrite.gexf import GEXFWriter

    from partnernet import __version__

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.find("creator").text = f"partnernet {__version__}"
    if date:
        meta.set("lastmodifieddate", date)
    else:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(export_graph(g, for_gexf=True, name=name))
    buf = io.BytesIO()
    writer.write(buf)
    return _ending(buf.getvalue())


def _networkx_graphml(g, *, name="partnernet") -> bytes:
    buf = io.BytesIO()
    nx.write_graphml_xml(export_graph(g, name=name), buf, encoding="utf-8", prettyprint=True)
    return _ending(buf.getvalue())


def _ending(data: bytes) -> bytes:
    return data if data.endswith(b"\n") else data + b"\n"


def _hostile_graph():
    return graph_from_records(
        nodes=[
            {"id": "p", "kind": "partnership", "label": "<b>&\"'</b>\tx\r\ny", "tags": ["x", "y"], "viz": "v",
             "key": "k", "score": 0.5, "count": 3},
            {"id": "q", "kind": "partnership", "score": 2, "flag": False, "declared": {"state": 2, "business": 1}},
            {"id": "a&b", "label": "]]> æøå", "sector": "state", "flag": True, "score": "high"},
            {"id": "lonely", "label": "Ensom \u202eevil\u202c", "sector": "business"},
        ],
        edges=[{"source": "a&b", "target": "p", "type": "formal", "id": "e-1", "label": "L<1>", "weight": 2.5},
               {"source": "a&b", "target": "q", "evidence": "ctl\x01char \"quoted\"\nnext"},
               {"source": "lonely", "target": "a&b", "weight": 3}],
    )


@pytest.mark.parametrize("which", ["tiny", "bundled", "hostile", "empty"])
def test_writers_give_networkx_bytes(which, tiny_graph, bundled):
    g = {"tiny": tiny_graph, "bundled": bundled, "hostile": _hostile_graph(),
         "empty": graph_from_records(nodes=[], edges=[])}[which]
    assert gexf_bytes(g, date="2024-01-31") == _networkx_gexf(g, date="2024-01-31")
    assert gexf_bytes(g) == _networkx_gexf(g)
    assert gexf_bytes(g, name="Mine & <yours>") == _networkx_gexf(g, name="Mine & <yours>")
    assert graphml_bytes(g) == _networkx_graphml(g)
    assert graphml_bytes(g, name='A "B"') == _networkx_graphml(g, name='A "B"')


def test_writers_give_networkx_bytes_for_nodes_without_attributes():
    g = nx.freeze(nx.Graph([("x", "y")]))
    assert gexf_bytes(g) == _networkx_gexf(g)
    assert graphml_bytes(g) == _networkx_graphml(g)


def test_renaming_is_decided_per_file_so_networkx_reads_a_user_start_year():
    nodes = [{"id": "p", "kind": "partnership", "start": 2019},
             {"id": "a", "sector": "state", "start_year": "since the nineties"},
             {"id": "b", "sector": "state"}]
    g = graph_from_records(nodes, [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    h = read_gexf(gexf_bytes(g))
    assert h.nodes["p"]["start_year_"] == 2019
    assert h.nodes["a"]["start_year"] == "since the nineties"
    assert "start_year" not in h.nodes["p"]


def test_control_characters_in_attribute_names_still_give_valid_xml():
    nodes = [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state", "no\x00tes": "x\x01y", "\x1b[2J": "z"}]
    g = graph_from_records(nodes, [{"source": "a", "target": "p"}])
    for data, read in ((gexf_bytes(g), read_gexf), (graphml_bytes(g), read_graphml)):
        h = read(data)
        assert h.nodes["a"]["no\ufffdtes"] == "x\ufffdy"
        assert h.nodes["a"]["\ufffd[2J"] == "z"
