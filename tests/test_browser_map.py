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
from partnernet.text import format_number, shorten
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
            const m = window.partnernetMap, net = m.network;
            const p = net.canvasToDOM(net.getPositions([m.visId(id)])[m.visId(id)]);
            const r = document.querySelector('#map canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def panel_heading(page) -> str:
    return page.locator("#panel-body h3").text_content()


# --- every view draws ----------------------------------------------------------------------


def overlapping_labels(page) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes overlap, from vis-network's own measurements of what it drew."""
    boxes = page.evaluate("window.partnernetMap.labelBoxes()")
    return [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]]


@pytest.mark.parametrize("name", list(VIEWS))
def test_no_labels_overlap_at_the_first_zoom(guarded_page, pages, name):
    path, view = pages[name]
    page = guarded_page.goto(path)
    boxes = page.evaluate("window.partnernetMap.labelBoxes()")
    assert len(boxes) >= min(len(view.nodes), 8)  # labels are drawn (and most of them: below)
    assert len(boxes) >= 0.7 * len(view.nodes)
    assert overlapping_labels(page) == []
    guarded_page.screenshot(f"labels-{name}.png")


def test_labels_stay_apart_when_zooming(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    for _ in range(3):
        page.evaluate("window.partnernetMap.zoomBy(1.25)")
        page.wait_for_timeout(100)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert overlapping_labels(page) == []
    page.evaluate("window.partnernetMap.zoomBy(0.3)")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert overlapping_labels(page) == []


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
    assert page.evaluate("window.partnernetMap.network.getSelectedNodes()") == ["#miljoestyrelsen"]


def test_sector_filter_hides_nodes_and_reset_restores(guarded_page, pages, graph):
    path, view = pages["network"]
    page = guarded_page.goto(path)
    municipalities = sum(1 for n in view.nodes if n["sector"] == "municipality")
    assert municipalities > 0
    page.locator("#sector-filter input[value=municipality]").uncheck()
    assert count(page) == len(view.nodes) - municipalities
    hidden = page.evaluate("window.partnernetMap.nodes.get({filter: n => n.hidden}).map(n => n.id.slice(1))")
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
        const near = new Set(m.network.getConnectedNodes('#kl').concat(['#kl']));
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


# --- keyboard only ---------------------------------------------------------------------------


def view_state(page) -> dict:
    return page.evaluate("""() => {
        const m = window.partnernetMap, net = m.network;
        return {scale: net.getScale(), ...net.getViewPosition(), selected: net.getSelectedNodes().map(m.dataId)};
    }""")


def tab_to(page, element_id: str, limit: int = 60, key: str = "Tab") -> list[str]:
    """Press Tab (or ``key``) until ``element_id`` has the focus; the ids (or classes) of the stops on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stop = page.evaluate("() => document.activeElement.id || document.activeElement.className")
        stops.append(stop)
        if stop == element_id:
            return stops
    pytest.fail(f"Tab never reached #{element_id}: {stops}")


def test_the_map_works_with_the_keyboard_alone(guarded_page, pages):
    """Tab to the map, zoom with + and −, pan with the arrow keys, select a search result with Enter,
    reset with Escape: each checked on the vis-network view, the side panel and the live region."""
    path, view = pages["network"]
    page = guarded_page.goto(path)
    status = page.locator("#map-status")

    # one tab stop for the map: the container (vis-network's own frame does nothing with keys)
    stops = tab_to(page, "map")
    assert "vis-network" not in stops
    assert page.locator("#map").get_attribute("role") == "application"
    assert page.locator("#map").get_attribute("aria-label").startswith(f"Netværkskort med {len(view.nodes)} knuder")
    before = view_state(page)
    page.keyboard.press("+")
    zoomed = view_state(page)
    assert zoomed["scale"] == pytest.approx(before["scale"] * 1.25)
    page.keyboard.press("-")
    assert view_state(page)["scale"] == pytest.approx(before["scale"])
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = view_state(page)
    assert moved["x"] > before["x"] and moved["y"] > before["y"]
    assert moved["scale"] == pytest.approx(before["scale"])
    # the zoom buttons are next, named, and work with Enter
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "zoom-in"
    assert page.locator("#zoom-in").get_attribute("aria-label") == "Zoom ind"
    page.keyboard.press("Enter")
    assert view_state(page)["scale"] == pytest.approx(before["scale"] * 1.25)

    # search by keyboard: type, ArrowDown to the results, Enter selects the focused one
    tab_to(page, "search", key="Shift+Tab")  # back over the map to the controls
    page.locator("#search").press_sequentially("miljø")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Miljøstyrelsen")
    page.keyboard.press("Enter")
    assert panel_heading(page) == "Miljøstyrelsen"
    assert view_state(page)["selected"] == ["miljoestyrelsen"]
    page.wait_for_function("() => document.getElementById('map-status').textContent !== ''")
    assert status.text_content() == "Valgt: Miljøstyrelsen (Aktør)."

    # Escape on the map resets: nothing selected, the whole map in view
    tab_to(page, "map")
    page.keyboard.press("Escape")
    assert view_state(page)["selected"] == []
    assert page.locator("#panel-body h3").count() == 0
    assert page.evaluate("""() => {  // every node in view again
        const net = window.partnernetMap.network, map = document.getElementById('map');
        return Object.values(net.getPositions()).every(p => {
            const d = net.canvasToDOM(p);
            return d.x >= 0 && d.y >= 0 && d.x <= map.clientWidth && d.y <= map.clientHeight;
        });
    }""")
    page.wait_for_function("() => document.getElementById('map-status').textContent === 'Kortet er nulstillet.'")
    guarded_page.check()


def test_the_counts_follow_the_filters_and_are_announced(guarded_page, pages):
    path, view = pages["network"]
    page = guarded_page.goto(path)
    summary = page.locator("#map-summary")
    assert summary.text_content() == view.summary
    box = page.locator("#sector-filter input[name=sector]").first
    box.focus()
    sector = box.get_attribute("value")
    page.keyboard.press("Space")
    shown = [n for n in view.nodes if n["kind"] == "partnership" or n["sector"] != sector]
    actors = sum(1 for n in shown if n["kind"] == "actor")
    assert summary.text_content().startswith(f"{actors} aktør{'' if actors == 1 else 'er'}, ")
    page.wait_for_function("() => document.getElementById('map-status').textContent.startsWith('Kortet viser nu')")
    assert page.locator("#map-status").text_content() == "Kortet viser nu " + summary.text_content()
    page.keyboard.press("Space")
    assert summary.text_content() == view.summary


def test_the_skip_link_opens_the_table(guarded_page, pages):
    page = guarded_page.goto(pages["network"][0])
    tab_to(page, "map-skip")
    page.keyboard.press("Enter")
    assert page.locator("#data-table details").evaluate("d => d.open")


def test_the_panel_writes_figures_as_the_pages_do(guarded_page, pages):
    """Coverage as a whole percent, measures with the pages' decimals (format_number)."""
    path, view = pages["network"]
    page = guarded_page.goto(path)
    page.evaluate("window.partnernetMap.select('p-groenne-indkoeb', true)")
    assert "Dækning50\xa0%" in page.locator("#panel-body dl.measures").text_content()
    page.evaluate("window.partnernetMap.select('kl', true)")
    shown = dict(zip(page.locator("#panel-body dl.measures dt").all_text_contents(),
                     page.locator("#panel-body dl.measures dd").all_text_contents()))
    kl = next(n for n in view.nodes if n["id"] == "kl")
    assert shown["betweenness (mellemled)"] == format_number(kl["measures"]["betweenness"], "da")
    assert shown["betweenness (mellemled)"].count(",") == 1 and len(shown["betweenness (mellemled)"].split(",")[1]) == 3


def test_partnership_view_opens_on_the_partnership(guarded_page, pages):
    page = guarded_page.goto(pages["partnership"][0])
    assert panel_heading(page) == "Partnerskab for Offentlige Grønne Indkøb"
    missing = page.evaluate("window.partnernetMap.nodes.get({filter: n => n.id.startsWith('#missing:')}).length")
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
        const p = net.canvasToDOM(net.getPositions(['#kl'])['#kl']);
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
        assert panel_heading(page) == shorten(label)  # long labels cut at the stated limit
        page.locator("#search").fill(label[:30])
        assert label[:30] in page.locator("#search-results").text_content()
    page.locator("#data-table summary").click()
    table = page.locator("table.nodes").text_content()
    assert all(shorten(label) in table for label in HOSTILE.values())
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
    assert "1.700 af 2.200 aktører" in page.locator(".summary").text_content()
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


# --- load time: a 2,000-node map, the page data round trip ------------------------------------
# (timed by hand with benchmarks/browser_map.py; here only what must hold, untimed)


@pytest.fixture(scope="module")
def big_map(tmp_path_factory):
    """A 2,000-node two-mode map (capped from 2,500) with hub partnerships, as written for publishing."""
    rng = random.Random(11)
    sectors = ["state", "region", "municipality", "business", "civil_society", "knowledge", None]
    roles = ["member", "member", "member", "lead", "funder", "secretariat"]
    nodes = [{"id": f"p{i:03d}", "kind": "partnership", "label": f"Partnerskab {i} om grøn omstilling"}
             for i in range(300)]
    nodes += [{"id": f"a{i:04d}", "label": f"Aktør {i} – Ærø Øst Å"} for i in range(2200)]
    for i, node in enumerate(nodes[300:]):
        if sectors[i % 7]:
            node["sector"] = sectors[i % 7]
    edges = []
    for i in range(2200):
        hubs = [rng.randrange(5)] if i % 2 else []  # five big partnerships, ~220 members each
        for p in {*hubs, *(rng.randrange(300) for _ in range(rng.randint(1, 4)))}:
            edges.append({"source": f"a{i:04d}", "target": f"p{p:03d}", "role": rng.choice(roles)})
    view = map_view(graph_from_records(nodes, edges), max_nodes=2000)
    return write_map(view, tmp_path_factory.mktemp("big") / "big.html"), view


def test_2000_node_map_reaches_the_drawn_mark_with_every_node(guarded_page, big_map):
    path, view = big_map
    assert len(view.nodes) == 2000 and len(view.edges) > 5000
    page = guarded_page.goto(path)
    marks = page.evaluate("() => performance.getEntriesByName('partnernet-drawn').map(e => e.startTime)")
    assert len(marks) == 1 and marks[0] > 0
    assert page.evaluate("window.partnernetMap.nodes.length") == count(page) == 2000
    assert page.evaluate("window.partnernetMap.edges.length") == count(page, "Edge") == len(view.edges)
    # everything works once drawn: search, the side panel (details read on first use), a filter
    page.locator("#search").fill("aktør 17 ")
    assert page.locator("#search-results .result").count() >= 1
    hub = next(n for n in view.nodes if n["kind"] == "partnership" and len(n["members"]) > 100)
    page.evaluate("(id) => window.partnernetMap.select(id, true)", hub["id"])
    assert panel_heading(page) == hub["label"]
    assert f"Medlemmer ({len(hub['members'])})" in page.locator("#panel-body").text_content()
    page.locator("#partnership-filter").select_option(hub["id"])
    on_map = {n["id"] for n in view.nodes}
    assert count(page) == 1 + sum(1 for m in hub["members"] if m["id"] in on_map)
    guarded_page.screenshot("map-2000.png")


def _expected_vis(view):
    from partnernet.render.map import vis_data

    data = vis_data(view)
    return {n["id"]: n for n in data["nodes"]}, {e["id"]: e for e in data["edges"]}


def _check_vis_round_trip(page, view) -> None:
    """The DataSets hold exactly the vis-network data of vis_data(): the page only left out what it rebuilds."""
    want_nodes, want_edges = _expected_vis(view)
    got_nodes = page.evaluate("() => window.partnernetMap.nodes.get()")
    assert len(got_nodes) == len(want_nodes)
    for n in got_nodes:
        assert n["id"].startswith("#")  # map.js gives vis-network every id with "#" in front
        n["id"] = n["id"][1:]
        want = want_nodes[n["id"]]
        assert {k: n.get(k) for k in want} == want, n["id"]
    got_edges = page.evaluate("""() => {
        const m = window.partnernetMap;
        return m.edges.get().map(e => {
            const c = m.network.body.edges[e.id].options.color;  // as drawn: own colour or the options'
            return {id: e.id, title: e.title, note: e.note === undefined ? null : e.note,
                    color: {color: c.color, highlight: c.highlight, hover: c.hover, opacity: c.opacity}};
        });
    }""")
    assert len(got_edges) == len(want_edges)
    for e in got_edges:
        want = want_edges[e["id"]]
        assert e["title"] == want["title"] and e["note"] is None, e["id"]
        assert e["color"] == want["color"], e["id"]


def test_page_rebuilds_the_vis_data_exactly(guarded_page, pages, big_map):
    for path, view in (pages["network"], pages["actors"], big_map):
        page = guarded_page.goto(path)
        _check_vis_round_trip(page, view)


def page_data(view):
    """The page data in one piece: :func:`partnernet.render.map.page_data_parts` joined."""
    from partnernet.render.map import page_data_parts

    first, rest = page_data_parts(view)
    del first["more"]
    first["details"] = [{**a, **b} for a, b in zip(first["details"], rest["details"])]
    first["refs"], first["roles"] = rest["refs"], rest["roles"]
    first.update({k: v for k, v in rest.items() if k not in ("details", "refs", "roles")})  # the column dictionary
    sector = next((c for c in rest["columns"] if c["id"] == "sector"), None)
    for i, d in enumerate(first["details"]):  # the actors' sectors, as map.js fills them in from that column
        k = sector["index"][i] if sector and i < len(sector["index"]) else -1
        if k >= 0 and "sector_label" not in d:
            d.update(sector=sector["values"][k], sector_label=sector["labels"][k])
    return first


def test_map_works_from_page_data_in_one_piece(guarded_page, pages, graph, tmp_path):
    """A page with all its map data in one block (no map-details template) works the same: map.js reads either."""
    import re

    from partnernet.render.html import json_for_script

    path, view = pages["network"]
    html = path.read_text(encoding="utf-8")
    html = re.sub(r'(<script type="application/json" id="map-data">).*?(</script>)',
                  lambda m: m.group(1) + json_for_script(page_data(view)) + m.group(2), html, count=1, flags=re.S)
    html, n = re.subn(r'<template id="map-details">.*?</template>', "", html, count=1, flags=re.S)
    assert n == 1
    one = tmp_path / "one-piece.html"
    one.write_text(html, encoding="utf-8")
    page = guarded_page.goto(one)
    assert count(page) == len(view.nodes)
    _check_vis_round_trip(page, view)
    page.locator("#search").fill("styrelsen")
    assert "Miljøstyrelsen" in page.locator("#search-results").text_content()
    page.evaluate("(id) => window.partnernetMap.select(id, false)", "p-groenne-indkoeb")
    body = page.locator("#panel-body").text_content()
    assert "Medlemmer (9)" in body and "Manglende sektorer" in body and "Civilsamfund" in body
    page.locator("#partnership-filter").select_option("p-groenne-indkoeb")
    assert count(page) == 1 + len(list(graph["p-groenne-indkoeb"]))


def test_page_data_parts_carry_every_detail(big_map, pages):
    """The references in the detail lists expand to exactly the view's lists (what the panel shows)."""
    from partnernet.render.map import page_data_parts

    for _, view in (big_map, pages["network"], pages["partnership"]):
        data = page_data(view)
        first, rest = page_data_parts(view)
        assert first["more"] is True and "more" not in data
        ids = [n["id"] for n in view.nodes]
        assert [d["id"] for d in first["details"]] == [d["id"] for d in rest["details"]] == ids
        refs, roles = data["refs"], data["roles"]
        for node, d in zip(view.nodes, data["details"]):
            assert d["label"] == node["label"]
            for key in ("partnerships", "members"):
                items = []
                for item in d.get(key, []):
                    own = item[2] if len(item) > 2 else {}
                    label, sector_label = refs[item[0]]
                    items.append({"id": item[0], "role": item[1], "label": own.get("label", label),
                                  "sector_label": own.get("sector_label", sector_label),
                                  "role_label": own.get("role_label", roles.get(item[1]))})
                want = [{k: x.get(k) for k in ("id", "role", "label", "sector_label", "role_label")}
                        for x in node.get(key) or []]
                assert items == want, (node["id"], key)
            for key in ("kind", "kind_label", "sector", "sector_label", "type_label", "present", "missing", "coverage"):
                assert d.get(key) == node.get(key) or (not d.get(key) and not node.get(key)), (node["id"], key)
            assert d.get("measures", {}) == node["measures"]


def test_scripts_come_before_the_data_table_which_works_without_scripts(browser, pages):
    path, view = pages["network"]
    html = path.read_text(encoding="utf-8")
    assert html.index('id="map-data"') < html.index('id="map-details"') < html.index('id="data-table"')
    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        page = context.new_page()
        page.goto(path.resolve().as_uri())
        page.locator("#data-table summary").click()
        rows = page.locator("table.nodes tbody tr")
        assert rows.count() == len(view.nodes)
        assert page.locator("table.edges tbody tr").count() == len(view.edges)
        assert "Miljøstyrelsen" in page.locator("table.nodes").inner_text()
    finally:
        context.close()


def test_big_layouts_keep_nodes_apart(big_map):
    """A hub-heavy component is spread so nodes keep a readable distance (no block of overlapping labels)."""
    from scipy.spatial import cKDTree

    from partnernet.views.layout import MIN_NEIGHBOUR_DISTANCE

    _, view = big_map
    points = [(n["x"], n["y"]) for n in view.nodes]
    dist, _ = cKDTree(points).query(points, k=2)
    nearest = sorted(dist[:, 1])
    assert nearest[len(nearest) // 2] >= MIN_NEIGHBOUR_DISTANCE - 2  # positions are rounded to whole pixels


# --- ids that are names of Object.prototype ------------------------------------------------------


def prototype_names(browser) -> list[str]:
    """Every own property name of ``Object.prototype`` in this Chromium (constructor, __proto__, …)."""
    with open_guarded_page(browser) as guarded:
        return sorted(guarded.page.evaluate("Object.getOwnPropertyNames(Object.prototype)"))


def prototype_graph(names: list[str]):
    """Each name as an actor id, all in partnership "p" and tied in a chain, so every one has edges."""
    nodes = [{"id": "p", "kind": "partnership", "label": "Partnerskab"}, {"id": "a", "sector": "state"}]
    nodes += [{"id": n, "label": f"Aktør {n}", "sector": "business"} for n in names]
    edges = [{"source": n, "target": "p"} for n in names] + [{"source": "a", "target": "p"}]
    edges += [{"source": names[i], "target": names[i + 1]} for i in range(len(names) - 1)]
    return graph_from_records(nodes, edges)


def check_every_id_works(page, ids: list[str], n_nodes: int, n_edges: int) -> None:
    """Every node and edge is drawn, and every id can be selected and shows its own panel."""
    assert count(page) == n_nodes
    assert count(page, "Edge") == n_edges
    drawn = page.evaluate("""(ids) => ids.filter((id) => {
        const m = window.partnernetMap, vid = m.visId(id);
        return Object.prototype.hasOwnProperty.call(m.network.getPositions([vid]), vid); })""", ids)
    assert drawn == ids
    for node_id in ids:
        page.evaluate("(id) => window.partnernetMap.select(id, false)", node_id)
        assert panel_heading(page).endswith(node_id)


def test_ids_that_are_object_prototype_names_are_drawn_and_selectable(browser, guarded_page, tmp_path):
    names = prototype_names(browser)
    assert {"constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"} <= set(names)
    view = map_view(prototype_graph(names))
    page = guarded_page.goto(write_map(view, tmp_path / "prototype.html"))
    check_every_id_works(page, names, len(view.nodes), len(view.edges))
    page.locator("#search").fill("Aktør constructor")
    page.locator("#search-results .result").first.click()
    assert panel_heading(page) == "Aktør constructor"
    guarded_page.check()


# --- the data's own columns -------------------------------------------------------------------


@pytest.fixture(scope="module")
def columns_map(tmp_path_factory):
    """The partnership map of p1 of the own-columns data (tests/site_util.py)."""
    from .site_util import write_columns_data

    data = write_columns_data(tmp_path_factory.mktemp("columns-data"))
    view = map_view(build_graph(load(locate(data))), partnership="p1")
    return write_map(view, tmp_path_factory.mktemp("columns-map") / "p1.html"), view


def test_the_panel_shows_the_data_own_columns_as_text(guarded_page, columns_map):
    from .site_util import LONG_QUOTE

    page = guarded_page.goto(columns_map[0])
    click_node(page, "a1")
    assert panel_heading(page) == "Aarhus Kommune"
    columns = page.evaluate("""() => Array.from(document.querySelectorAll('#panel-body > dl.columns dt'))
                                      .map(dt => [dt.textContent, dt.nextElementSibling.textContent])""")
    assert columns == [["country", "Danmark"], ["kontaktperson", "Åse Ørn"], ["motto", "<img src=x onerror=alert(1)>"]]
    assert page.locator("#panel-body img").count() == 0                # the hostile value stays text
    quote = page.locator("#panel-body li dl.columns details.long")      # its evidence, under its partnership
    assert quote.count() == 1 and not quote.evaluate("d => d.open")
    quote.locator("summary").click()
    assert quote.evaluate("d => d.open") and quote.locator("p").text_content() == LONG_QUOTE
    guarded_page.screenshot("map-panel-columns.png")
    click_node(page, "p1")
    body = page.locator("#panel-body").text_content()
    assert "budget" in body and "1.234.567,5" in body and "intern note" not in body
    assert "Miljøstyrelsen deltager i styregruppen." in body
    guarded_page.check()
