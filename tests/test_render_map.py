"""The rendered map page: structure, escaping, no external resources, CSP, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from partnernet.defaults import LABEL_TEXT_MAX
from partnernet.graph import graph_from_records
from partnernet.render import assets
from partnernet.render.html import environment, json_for_script, tojson
from partnernet.render.map import render_map, vis_data, write_map
from partnernet.text import shorten
from partnernet.views.map import map_view

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = {
    "script": "</script><script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "template": "{{ 7*7 }}",
    "rtl": "Kommune \u202eevil\u202c end",
    "long": "Å" + "x" * 9_999,
}


class Page(HTMLParser):
    """Collects what the tests look at: elements, attributes, script/style texts, visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._attrs: dict = {}
        self._buf: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self._heading: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("script", "style"):
            self._in, self._attrs, self._buf = tag, a, []
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            content = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._attrs, content))
            else:
                self.styles.append(content)
            self._in = None
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)
            return
        self.text.append(data)
        if self._heading:
            self.headings[self._heading][-1] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def data(self) -> dict:
        [(_, content)] = [(a, c) for a, c in self.scripts if a.get("id") == "map-data"]
        return json.loads(content)

    @property
    def visible_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def bundled_graph():
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    return build_graph(load(locate(ROOT / "data")))


@pytest.fixture(scope="module")
def hostile_graph():
    nodes = [{"id": "p<x>", "label": "Partnerskab <b>fed</b> & co", "kind": "partnership"}]
    edges = []
    for i, (key, label) in enumerate(HOSTILE.items()):
        nodes.append({"id": f"{key}\"'><", "label": label, "sector": ["state", "business", "civil_society",
                                                                        "knowledge", "region"][i]})
        edges.append({"source": f"{key}\"'><", "target": "p<x>"})
    return graph_from_records(nodes, edges)


@pytest.fixture(scope="module")
def page_html(bundled_graph):
    return render_map(map_view(bundled_graph))


# --- structure -------------------------------------------------------------------------


def test_page_structure(bundled_graph, page_html):
    view = map_view(bundled_graph)
    page = Page(page_html)
    assert page_html.startswith("<!DOCTYPE html>")
    assert page.find("html")[0]["lang"] == "da"
    assert page.find("meta", charset="utf-8")
    assert page.headings["h1"] == ["Partnerskabsnetværk"]
    assert "Signaturforklaring" in page.headings["h2"]
    text = page.visible_text
    for item in view.legend["items"]:
        assert item["label"] in text
    assert "Aktør (cirkel)" in text and "Partnerskab (firkant)" in text
    data = page.data()
    assert len(data["vis"]["nodes"]) == len(view.nodes) == 43
    assert len(data["vis"]["edges"]) == len(view.edges) == 43
    assert len(data["details"]) == 43
    assert page.find("div", id="map")
    assert page.find("input", id="search")
    assert len(page.find("input", name="sector")) == len(view.sectors)
    assert page.find("select", id="partnership-filter")
    # the partnership menu (the other menus are the colour, size, column and range choices)
    assert [o["value"] for o in page.find("option") if o["value"].startswith("p-")] == [p["id"] for p in view.partnerships]
    for button in ("reset", "physics", "download"):
        assert page.find("button", id=button)


def test_page_has_the_data_as_a_table(bundled_graph, page_html):
    view = map_view(bundled_graph)
    page = Page(page_html)
    assert page.find("details")
    assert page.find("table", **{"class": "nodes"}) and page.find("table", **{"class": "edges"})
    rows = [a for t, a in page.tags if t == "tr"]
    assert len(rows) == 2 + len(view.nodes) + len(view.edges)  # two header rows
    assert "Miljøstyrelsen" in page.visible_text


def test_english_page(bundled_graph):
    page = Page(render_map(map_view(bundled_graph, lang="en")))
    assert page.find("html")[0]["lang"] == "en"
    assert page.headings["h1"] == ["Partnership network"]
    assert "Legend" in page.headings["h2"]
    assert page.find("button", id="reset") and "Reset" in page.visible_text
    assert "Søg" not in page.visible_text


def test_cap_is_stated_on_the_page(bundled_graph):
    page = Page(render_map(map_view(bundled_graph, max_nodes=10, size_by="degree")))
    assert "Kortet viser 8 af 34 aktører og 2 af 9 partnerskaber: først aktørerne med højest grad" in page.visible_text
    assert len(page.data()["vis"]["nodes"]) == 10


def test_physics_is_off_and_positions_are_in_the_file(page_html):
    vis = Page(page_html).data()["vis"]
    assert vis["options"]["physics"]["enabled"] is False
    assert vis["options"]["physics"]["barnesHut"]["gravitationalConstant"] < 0  # for the physics toggle
    assert vis["options"]["edges"]["smooth"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in vis["nodes"])
    assert all("arrows" not in e for e in vis["edges"])


def test_vis_data_comes_from_the_view_not_the_graph(tiny_graph):
    view = map_view(tiny_graph)
    before = json.dumps(view.to_dict(), sort_keys=True)
    data = vis_data(view)
    assert json.dumps(view.to_dict(), sort_keys=True) == before  # the bridge does not change the view
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["p1"]["shape"] == "square" and nodes["a"]["shape"] == "dot"
    assert nodes["a"]["title"] == view.nodes[[n["id"] for n in view.nodes].index("a")]["title"]
    assert {e["id"] for e in data["edges"]} == {e["id"] for e in view.edges}


def _vis_data_through_pyvis(view):
    """The reference: :func:`vis_data`'s records built by pyvis itself (``add_node``, ``Edge``, ``Options``)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    from partnernet.render.map import FONT_FACE, _vis_edge, _vis_node

    net = Network(height="100%", width="100%", directed=False, heading="", cdn_resources="in_line")
    for n in view.nodes:
        net.add_node(n["id"], shape=n["shape"], **_vis_node(n))
    for e in view.edges:
        net.edges.append(Edge(e["from"], e["to"], directed=False, **_vis_edge(e)).options)
    big = len(view.nodes) > 1000
    net.barnes_hut(gravity=-4000, central_gravity=0.2, spring_length=110, spring_strength=0.03, damping=0.4,
                   overlap=0.2)
    net.toggle_physics(False)
    net.toggle_stabilization(False)
    net.inherit_edge_colors(False)
    net.options.edges.smooth.enabled = False
    net.toggle_hide_edges_on_drag(big)
    options = json.loads(net.options.to_json())
    options["edges"]["color"] = {"inherit": False}
    options["edges"].update(selectionWidth=2, hoverWidth=1)
    options["interaction"].update(hover=True, tooltipDelay=150, navigationButtons=False, keyboard={"enabled": False},
                                  multiselect=False, hideEdgesOnZoom=big)
    options["nodes"] = {"font": {"face": FONT_FACE, "color": "#1a1a1a", "strokeWidth": 3, "strokeColor": "#ffffff"},
                        "labelHighlightBold": True}
    options["layout"] = {"improvedLayout": False, "randomSeed": view.seed}
    for node in net.nodes:
        node.pop("font_color", None)
    return {"nodes": net.nodes, "edges": net.edges, "options": options}


@pytest.mark.parametrize("make", [
    lambda g: map_view(g),
    lambda g: map_view(g, view="actors"),
    lambda g: map_view(g, partnership="p-groenne-indkoeb"),
    lambda g: map_view(g, max_nodes=10),
], ids=["network", "actors", "partnership", "capped"])
def test_vis_data_is_what_pyvis_builds(bundled_graph, make):
    """vis_data writes pyvis' records without importing pyvis (its import pulls in IPython): same bytes."""
    view = make(bundled_graph)
    ours = json.dumps(vis_data(view), ensure_ascii=False)
    assert ours == json.dumps(_vis_data_through_pyvis(view), ensure_ascii=False)


def test_vis_data_big_map_options_match_pyvis(tiny_graph):
    from dataclasses import replace

    view = map_view(tiny_graph)
    big = replace(view, nodes=[dict(view.nodes[0], id=f"n{i}") for i in range(1001)], edges=[])
    ours = vis_data(big)["options"]
    assert ours == _vis_data_through_pyvis(big)["options"]
    assert ours["interaction"]["hideEdgesOnDrag"] is True and ours["interaction"]["hideEdgesOnZoom"] is True


def test_rendering_a_map_does_not_import_pyvis():
    import subprocess
    import sys

    code = ("import sys; from partnernet.graph import build_graph; from partnernet.load import load, locate;"
            "from partnernet.views.map import map_view; from partnernet.render.map import render_map;"
            "render_map(map_view(build_graph(load(locate('data')))));"
            "print('pyvis' in sys.modules, 'IPython' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- determinism ---------------------------------------------------------------------------


def test_same_data_same_bytes(bundled_graph, page_html, tmp_path):
    again = render_map(map_view(bundled_graph))
    assert again == page_html
    a = write_map(map_view(bundled_graph), tmp_path / "a.html").read_bytes()
    b = write_map(map_view(bundled_graph), tmp_path / "b.html").read_bytes()
    assert a == b == page_html.encode("utf-8")
    assert not re.search(r"20\d\d-\d\d-\d\dT", page_html.split("vis-network.min.js")[0][-200:] + page_html[-3000:])


# --- no external resources, CSP -------------------------------------------------------------

URL_ATTRS = ("src", "href", "action", "poster", "data", "formaction", "srcset", "background")


def test_no_http_resource_references(page_html):
    page = Page(page_html)
    for tag, attrs in page.tags:
        for name in URL_ATTRS:
            value = attrs.get(name)
            if value:
                assert not re.match(r"\s*(https?:)?//", value, re.I), f"<{tag} {name}={value!r}>"
    for css in page.styles:
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css, re.I):
            assert not re.match(r"(https?:)?//", ref, re.I), ref
        assert "@import" not in css
    assert not page.find("link", rel="stylesheet")
    assert not [a for a, _ in page.scripts if a.get("src")]
    # the only http(s) strings are inside vis-network's code and licence comment (e.g. the SVG namespace)
    outside_js = "".join(c for a, c in page.scripts if a.get("id") == "map-data") + "".join(page.styles)
    assert "http://" not in outside_js and "https://" not in outside_js


def _csp(page: Page) -> dict[str, list[str]]:
    [meta] = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    return {d.split()[0]: d.split()[1:] for d in meta["content"].split("; ")}


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_csp_allows_nothing_from_outside_and_inline_code_only_by_hash(page_html):
    page = Page(page_html)
    csp = _csp(page)
    assert csp["default-src"] == ["'none'"]
    assert csp["img-src"] == ["data:", "blob:"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
    executable = [c for a, c in page.scripts if a.get("type") != "application/json"]
    assert len(executable) == 2  # vis-network and map.js
    assert sorted(csp["script-src"]) == sorted(_sha(c) for c in executable)
    assert csp["style-src"] == [_sha(page.styles[0])]
    for sources in csp.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        assert not any(s.startswith(("http", "*")) for s in sources)
    assert not [a for t, a in page.tags if "style" in a]  # no style attributes (the CSP would block them)


def test_vis_network_is_pyvis_copy_inlined(page_html):
    vis = assets.read_asset(assets.VIS_JS)
    assert "vis-network" in vis[:200] and "@version 9.1.2" in vis[:300]
    assert vis in page_html
    assert assets.vis_network_path().parts[-3:] == ("lib", "vis-9.1.2", "vis-network.min.js")


def test_linked_mode_refers_to_assets_relatively(bundled_graph):
    html = render_map(map_view(bundled_graph), asset_mode="linked", asset_prefix="../assets/")
    page = Page(html)
    srcs = [a["src"] for a, _ in page.scripts if a.get("src")]
    assert srcs == ["../assets/vis-network.min.js", "../assets/map.js"]
    assert page.find("link", rel="stylesheet", href="../assets/map.css")
    assert not page.styles
    assert [a.get("type") for a, _ in page.scripts if not a.get("src")] == ["application/json"]
    csp = _csp(page)
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert len(html) < 200_000 < len(render_map(map_view(bundled_graph)))


def test_asset_files_for_the_site():
    files = assets.asset_files()
    assert set(files) == {"vis-network.min.js", "map.js", "map.css"}
    assert all(isinstance(b, bytes) and b for b in files.values())
    assert b"map-data" in files["map.js"]


@pytest.mark.parametrize("prefix", ["/assets/", "https://cdn.example/", "//cdn.example/"])
def test_linked_mode_rejects_non_relative_prefix(tiny_graph, prefix):
    with pytest.raises(ValueError):
        render_map(map_view(tiny_graph), asset_mode="linked", asset_prefix=prefix)


# --- escaping -------------------------------------------------------------------------------


def test_tojson_is_safe_inside_script():
    value = {"a": "</script><script>alert(1)</script>", "b": "<!-- -->", "c": "&amp; 'x'", "d": "\u2028\u2029", "e": "æøå"}
    text = json_for_script(value)
    for bad in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert bad not in text
    assert "æøå" in text
    assert json.loads(text) == value
    assert environment().from_string("<script>{{ v|tojson }}</script>").render(v=value) == f"<script>{text}</script>"
    assert str(tojson("<")) == '"\\u003c"'


def test_environment_autoescapes():
    assert environment().from_string("{{ v }}").render(v="<b>&") == "&lt;b&gt;&amp;"


def test_hostile_labels_are_escaped_everywhere(hostile_graph):
    view = map_view(hostile_graph, title="<i>titel</i>", caption="</p><script>alert(2)</script>")
    html = render_map(view)
    page = Page(html)
    # exactly the page's own script elements: data, vis-network, map.js
    assert len(page.scripts) == 3
    # (vis-network's own code contains the string "<script>" once, in a core-js polyfill)
    assert html.replace(assets.read_asset(assets.VIS_JS), "").count("<script") == 3
    assert "<img" not in html and "<b>fed</b>" not in html and "<i>titel</i>" not in html
    assert page.headings["h1"] == ["<i>titel</i>"]
    assert "</p><script>alert(2)</script>" in page.visible_text
    text = page.visible_text
    for label in HOSTILE.values():
        assert shorten(label) in text  # the table shows the label as text (long ones cut at the stated limit)
    assert "{{ 7*7 }}" in text and "49" not in text.replace("{{ 7*7 }}", "")
    # the option values (partnership ids) are escaped attributes
    assert page.find("option", value="p<x>")
    # the JSON data carries the labels unchanged (long ones cut at the stated limit)
    data = page.data()
    labels = {d["label"] for d in data["details"]}
    assert {shorten(v) for v in HOSTILE.values()} <= labels
    titles = " ".join(n["title"] for n in data["vis"]["nodes"])
    assert "</script><script>alert(1)</script>" in titles


def test_long_labels_are_shortened_on_the_canvas_and_at_the_stated_limit_elsewhere(hostile_graph):
    view = map_view(hostile_graph)
    vis = {n["id"]: n for n in vis_data(view)["nodes"]}
    long_id = 'long"\'><'
    assert len(vis[long_id]["label"]) <= 40 and vis[long_id]["label"].endswith("…")
    assert len(vis[long_id]["title"]) < 1000
    label = next(n for n in view.nodes if n["id"] == long_id)["label"]
    assert label == shorten(HOSTILE["long"]) and len(label) == LABEL_TEXT_MAX and label.endswith("…")


def test_written_file_is_utf8(tmp_path, tiny_graph):
    path = write_map(map_view(tiny_graph), tmp_path / "sub" / "map.html")
    raw = path.read_bytes()
    assert "Miljøstyrelsen".encode("utf-8") in raw
    raw.decode("utf-8")


def test_the_data_table_carries_the_data_own_columns(tmp_path):
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    from .site_util import write_columns_data

    view = map_view(build_graph(load(locate(write_columns_data(tmp_path)))))
    html = render_map(view)
    table = html[html.index('<section class="data"'):]
    for name in ("country", "kontaktperson", "budget", "motto", "evidence"):
        assert f'<th scope="col">{name}</th>' in table
    assert "<td><bdi>Åse Ørn</bdi></td>" in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    assert "_note" not in html and "intern note" not in html
    # a partnership map: its dashed missing places and their lines have no own columns
    g = build_graph(load(locate(tmp_path)))
    assert '<th scope="col">evidence</th>' in render_map(map_view(g, partnership="p1"))
