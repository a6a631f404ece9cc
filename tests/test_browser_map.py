"""The map pages in a real browser: Debian's headless Chromium driven by playwright.

Every test fails on any request that is not to the page itself, on console
errors (CSP violations included), uncaught exceptions and dialogs (see
tests/browser_util.py). Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import random
import threading
from pathlib import Path

import pytest

from partnernet.graph import build_graph, graph_from_records
from partnernet.load import load, locate
from partnernet.render.assets import asset_files
from partnernet.render.map import write_map
from partnernet.views.map import map_view

from .browser_util import browser, guarded_page, open_guarded_page, requires_chromium  # noqa: F401  (fixtures)
from .test_render_map import HOSTILE

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parent.parent

VIEWS = {
    "network": {},
    "actors": {"view": "actors"},
    "sectors": {"view": "sectors"},
    "partnership": {"partnership": "p-groenne-indkoeb"},
    "actor": {"actor": "kl", "depth": 1},
    "community": {"color_by": "community", "size_by": "degree"},
    "english": {"lang": "en", "view": "actors", "color_by": "group"},
}


@pytest.fixture(scope="module")
def graph():
    return build_graph(load(locate(ROOT / "data")))


class _Pages(dict):
    """name -> (path, view): each view of the bundled data written once per module, when first asked for."""

    def __init__(self, graph, folder: Path):
        super().__init__()
        self.graph, self.folder = graph, folder

    def __missing__(self, name: str):
        view = map_view(self.graph, **VIEWS[name])
        self[name] = (write_map(view, self.folder / f"{name}.html"), view)
        return self[name]


@pytest.fixture(scope="module")
def pages(graph, tmp_path_factory):
    return _Pages(graph, tmp_path_factory.mktemp("maps"))


def count(page, what: str = "Node") -> int:
    return page.evaluate(f"window.partnernetMap.drawn{what}Count()")


def click_node(page, node_id: str) -> None:
    """Click a node on the canvas at its drawn position."""
    x, y = page.evaluate(
        """(id) => {
            const net = window.partnernetMap.network;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#map canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def panel_heading(page) -> str:
    return page.locator("#panel-body h3").text_content()


# --- every view draws ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_draws_expected_nodes(guarded_page, pages, name):
    path, view = pages[name]
    page = guarded_page.goto(path)
    assert count(page) == len(view.nodes) > 0
    assert count(page, "Edge") == len(view.edges)
    assert page.locator("h1").text_content() == view.title
    guarded_page.screenshot(f"map-{name}.png")
    guarded_page.check()


# --- search, filters, panel ----------------------------------------------------------------


def test_search_finds_danish_names(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    search = page.locator("#search")
    search.fill("miljø")
    results = page.locator("#search-results .result bdi").all_text_contents()
    assert results == ["Miljøministeriet", "Miljøstyrelsen"]
    search.fill("KØBEN")
    assert page.locator("#search-results .result bdi").all_text_contents() == ["Københavns Kommune"]
    search.fill("århus")  # old and new spelling match each other
    assert "Aarhus Kommune" in page.locator("#search-results .result bdi").all_text_contents()
    search.fill("zzzz")
    assert page.locator("#search-results").text_content() == "Ingen resultater"
    search.fill("styrelsen")  # partial match inside the name
    page.locator("#search-results .result", has_text="Miljøstyrelsen").click()
    assert panel_heading(page) == "Miljøstyrelsen"
    assert page.evaluate("window.partnernetMap.network.getSelectedNodes()") == ["miljoestyrelsen"]


def test_sector_filter_hides_nodes_and_reset_restores(guarded_page, pages, graph):
    path, view = pages["network"]
    page = guarded_page.goto(path)
    municipalities = sum(1 for n in view.nodes if n["sector"] == "municipality")
    assert municipalities > 0
    page.locator("#sector-filter input[value=municipality]").uncheck()
    assert count(page) == len(view.nodes) - municipalities
    hidden = page.evaluate("window.partnernetMap.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert sorted(hidden) == sorted(n["id"] for n in view.nodes if n["sector"] == "municipality")
    guarded_page.screenshot("map-network-filtered.png")
    page.locator("#reset").click()
    assert count(page) == len(view.nodes)
    assert page.locator("#sector-filter input[value=municipality]").is_checked()


def test_partnership_filter(guarded_page, pages, graph):
    path, view = pages["network"]
    page = guarded_page.goto(path)
    page.locator("#partnership-filter").select_option("p-groenne-indkoeb")
    members = [n for n in graph["p-groenne-indkoeb"]]
    assert count(page) == 1 + len(members)
    page.locator("#partnership-filter").select_option("")
    assert count(page) == len(view.nodes)


def test_clicking_a_node_opens_the_side_panel(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    click_node(page, "kl")
    assert panel_heading(page) == "KL"
    body = page.locator("#panel-body").text_content()
    assert "Kommunale og regionale foreninger" in body and "betweenness" in body
    assert "Strategisk partnerskab på det sociale område" in body
    # the neighbourhood stays, the rest is dimmed
    colors = page.evaluate("""() => {
        const m = window.partnernetMap;
        const near = new Set(m.network.getConnectedNodes('kl').concat(['kl']));
        return m.nodes.get().map(n => [near.has(n.id), n.color.background]);
    }""")
    assert all((bg == "#e8e8e8") != near for near, bg in colors)
    guarded_page.screenshot("map-network-selected.png")
    # a partnership shows its members and missing sectors
    click_node(page, "p-groenne-indkoeb")
    assert panel_heading(page) == "Partnerskab for Offentlige Grønne Indkøb"
    body = page.locator("#panel-body").text_content()
    assert "Medlemmer (9)" in body and "Manglende sektorer" in body and "Civilsamfund" in body
    # clicking empty canvas closes it
    box = page.locator("#map canvas").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)
    assert page.locator("#panel-body h3").count() == 0


def test_partnership_view_opens_on_the_partnership(guarded_page, pages):
    page = guarded_page.goto(pages["partnership"][0])
    assert panel_heading(page) == "Partnerskab for Offentlige Grønne Indkøb"
    missing = page.evaluate("window.partnernetMap.nodes.get({filter: n => n.id.startsWith('missing:')}).length")
    assert missing == 4


def test_physics_toggle_and_png_download(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    button = page.locator("#physics")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true" and button.text_content() == "Fysik: til"
    page.wait_for_timeout(300)
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    with page.expect_download() as info:
        page.locator("#download").click()
    download = info.value
    assert download.suggested_filename == "network.png"
    assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tooltip_is_plain_text(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    x, y = page.evaluate("""() => {
        const net = window.partnernetMap.network;
        const p = net.canvasToDOM(net.getPositions(['kl']).kl);
        const r = document.querySelector('#map canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""")
    page.mouse.move(x, y)
    page.wait_for_function("() => { const t = document.querySelector('.vis-tooltip'); "
                           "return t !== null && getComputedStyle(t).visibility === 'visible'; }")
    tip = page.locator(".vis-tooltip")
    text = tip.inner_text().replace("\u2068", "").replace("\u2069", "")  # bidi isolates around the label
    assert text.startswith("KL\nAktør · Kommunale og regionale foreninger")
    # innerText: text nodes and the <br>s it makes for line breaks, no other elements
    assert page.evaluate("[...document.querySelector('.vis-tooltip').children].every(c => c.tagName === 'BR')")


# --- hostile data, CSP ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    nodes = [{"id": "p1", "label": "<b>Partnerskab</b> & co", "kind": "partnership"}]
    edges = []
    for i, (key, label) in enumerate(HOSTILE.items()):
        nodes.append({"id": key, "label": label, "sector": ["state", "business", "civil_society", "knowledge", "region"][i]})
        edges.append({"source": key, "target": "p1"})
    view = map_view(graph_from_records(nodes, edges), title="<img src=x onerror=alert(3)>",
                    caption="</script><script>alert(4)</script>")
    return write_map(view, tmp_path_factory.mktemp("hostile") / "hostile.html"), view


def test_hostile_labels_show_as_text_and_run_nothing(guarded_page, hostile_page):
    path, view = hostile_page
    page = guarded_page.goto(path)
    assert count(page) == len(view.nodes)
    assert page.locator("h1").text_content() == "<img src=x onerror=alert(3)>"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    for key, label in HOSTILE.items():
        page.evaluate("(id) => window.partnernetMap.select(id, true)", key)
        assert panel_heading(page) == label
        page.locator("#search").fill(label[:30])
        assert label[:30] in page.locator("#search-results").text_content()
    page.locator("#data-table summary").click()
    table = page.locator("table.nodes").text_content()
    assert all(label in table for label in HOSTILE.values())
    page.evaluate("(id) => window.partnernetMap.select(id, false)", "template")
    guarded_page.screenshot("map-hostile.png")
    assert guarded_page.dialogs == []


def test_csp_is_active(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    violations = page.evaluate("""() => new Promise(resolve => {
        const seen = [];
        document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
        const i = document.createElement('img');
        i.src = 'https://example.invalid/x.png';
        document.body.appendChild(i);
        setTimeout(() => resolve(seen), 300);
    })""")
    assert page.evaluate("window.__injected === undefined")
    assert any(v.startswith("script-src") for v in violations)
    assert any(v.startswith("img-src") for v in violations)
    # those two refusals were provoked on purpose; nothing else may have gone wrong
    guarded_page.problems = [p for p in guarded_page.problems
                             if "Content Security Policy" not in p and "example.invalid" not in p]


# --- linked assets over an intranet web server ------------------------------------------------


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "assets").mkdir()
    for name, data in asset_files().items():
        (root / "assets" / name).write_bytes(data)
    view = map_view(graph, view="actors")
    write_map(view, root / "maps" / "actors.html", asset_mode="linked", asset_prefix="../assets/")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", view
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_linked_page_from_a_web_server(browser, site):
    base, view = site
    with open_guarded_page(browser, offline=False) as guarded:
        page = guarded.goto(f"{base}/maps/actors.html")
        assert count(page) == len(view.nodes)
        assert sorted(u.rsplit("/", 1)[-1] for u in guarded.requests) == [
            "actors.html", "map.css", "map.js", "vis-network.min.js"]
        guarded.check()


# --- a large, capped map ------------------------------------------------------------------------


def test_large_capped_map_is_usable(guarded_page, tmp_path):
    rng = random.Random(3)
    sectors = ["state", "region", "municipality", "business", "civil_society", "knowledge"]
    nodes = [{"id": f"p{i:03d}", "kind": "partnership", "label": f"Partnerskab {i}"} for i in range(300)]
    nodes += [{"id": f"a{i:04d}", "label": f"Aktør {i} Ærø", "sector": sectors[i % 6]} for i in range(2200)]
    edges = [{"source": f"a{i:04d}", "target": f"p{rng.randrange(300):03d}"} for i in range(2200)]
    edges += [{"source": f"a{i:04d}", "target": f"p{(i * 7) % 300:03d}"} for i in range(0, 2200, 3) if (i * 7) % 300 != 0]
    view = map_view(graph_from_records(nodes, edges), max_nodes=2000)
    path = write_map(view, tmp_path / "large.html")
    page = guarded_page.goto(path)
    assert count(page) == 2000
    assert "2.000 af 2.500" in page.locator(".summary").text_content()
    page.locator("#search").fill("aktør 17 ")
    assert page.locator("#search-results .result").count() >= 1
    guarded_page.screenshot("map-large.png")


def test_empty_map_still_works(guarded_page, tmp_path):
    from partnernet.graph import as_of

    g = as_of(graph_from_records([{"id": "a", "start": 2030}], []), 2000)
    page = guarded_page.goto(write_map(map_view(g), tmp_path / "empty.html"))
    assert count(page) == 0
    assert "Der er ingen knuder at vise" in page.locator(".map-wrap").text_content()
    page.locator("#search").fill("x")
    page.locator("#search").press("Escape")
    page.locator("#reset").click()
    page.locator("#physics").click()
