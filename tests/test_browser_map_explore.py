"""The map page's own choices in a real browser: colour, size, column filters, the time slider,
the view in the URL (copied links, Back), keyboard selection and the PNG export.

Same guards as tests/test_browser_map.py (no requests, no console errors). Screenshots and
the exported image go to tests/artifacts/ (named ``explore-*``) for a person to look at.
"""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import polars as pl
import pytest

from partnernet.graph import as_of, build_graph
from partnernet.load import load, locate
from partnernet.render.map import write_map
from partnernet.views.map import map_view
from partnernet.views.map_columns import CATEGORY_COLORS

from .browser_util import ARTIFACTS, browser, guarded_page, open_guarded_page, requires_chromium  # noqa: F401

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("DK", "SE", "DE", "NO")


@pytest.fixture(scope="module")
def graph():
    return build_graph(load(locate(ROOT / "data")))


@pytest.fixture(scope="module")
def country_graph():
    """The bundled data with a ``country`` on every actor (four values) and a ``budget`` on every partnership."""
    ds = load(locate(ROOT / "data"))
    kinds = ds.nodes["kind"].to_list()
    country = [None if k == "partnership" else COUNTRIES[i % 4] for i, k in enumerate(kinds)]
    budget = [f"{1000 * (i + 1)},5" if k == "partnership" else None for i, k in enumerate(kinds)]
    nodes = ds.nodes.with_columns(pl.Series("country", country, dtype=pl.String),
                                  pl.Series("budget", budget, dtype=pl.String))
    return build_graph(dataclasses.replace(ds, nodes=nodes))


@pytest.fixture(scope="module")
def network_page(graph, tmp_path_factory):
    view = map_view(graph)
    return write_map(view, tmp_path_factory.mktemp("explore") / "network.html"), view


@pytest.fixture(scope="module")
def country_page(country_graph, tmp_path_factory):
    view = map_view(country_graph)
    return write_map(view, tmp_path_factory.mktemp("explore") / "countries.html"), view


def shown_nodes(page) -> set[str]:
    return set(page.evaluate(
        "() => window.partnernetMap.nodes.get({filter: n => !n.hidden}).map(n => window.partnernetMap.dataId(n.id))"))


def shown_edges(page) -> int:
    return page.evaluate("""() => { const m = window.partnernetMap, on = new Set(m.nodes.get({filter: n => !n.hidden})
        .map(n => n.id)); return m.edges.get({filter: e => !e.hidden && on.has(e.from) && on.has(e.to)}).length; }""")


def node_colors(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(window.partnernetMap.nodes.get()
        .map(n => [window.partnernetMap.dataId(n.id), n.color.background]))""")


def set_year(page, year: int) -> None:
    page.locator("#year").evaluate(
        "(el, y) => { el.value = String(y); el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); }",
        year)


# --- colour, size, filters ------------------------------------------------------------------


def test_colour_by_a_column_changes_the_node_colours_and_the_legend(guarded_page, country_page, country_graph):
    path, view = country_page
    group_view = map_view(country_graph, color_by="group")
    page = guarded_page.goto(path)
    built = node_colors(page)
    options = page.locator("#color-by option").evaluate_all("os => os.map(o => o.value)")
    assert options[:2] == ["sector", "group"] and "country" in options
    page.locator("#color-by").select_option("country")
    colors = node_colors(page)
    actors = [n for n in view.nodes if n["kind"] == "actor"]
    by_country: dict[str, set] = {}
    for n in actors:
        by_country.setdefault(country_graph_value(view, n["id"]), set()).add(colors[n["id"]])
    assert all(len(c) == 1 for c in by_country.values())  # one colour per country
    assert {c.pop() for c in by_country.values()} == set(CATEGORY_COLORS[:4])  # four palette colours
    assert all(colors[n["id"]] == built[n["id"]] for n in view.nodes if n["kind"] == "partnership")
    legend = page.locator("#legend-colors li").all_text_contents()
    assert [item.split()[0] for item in legend] == sorted(COUNTRIES, key=lambda c: (-by_count(view, c), c))
    assert page.locator("#legend-color-title").text_content() == "Farve: country"
    guarded_page.screenshot("explore-colour-country.png")
    page.locator("#color-by").select_option("sector")
    assert node_colors(page) == built
    assert page.locator("#legend-color-title").text_content() == view.legend["title"]
    # the helix group, which the page derives from the sector, colours as a map built with it does
    page.locator("#color-by").select_option("group")
    grouped = node_colors(page)
    assert {n["id"]: grouped[n["id"]] for n in view.nodes if n["kind"] == "actor"} == {
        n["id"]: n["color"] for n in group_view.nodes if n["kind"] == "actor"}
    assert [li.split(" (")[0].strip() for li in page.locator("#legend-colors li").all_text_contents()] == [
        item["label"] for item in group_view.legend["items"]]


def country_graph_value(view, nid: str) -> str:
    [col] = [c for c in view.columns["columns"] if c["id"] == "country"]
    return col["values"][col["index"][[n["id"] for n in view.nodes].index(nid)]]


def by_count(view, country: str) -> int:
    return sum(1 for n in view.nodes if n["kind"] == "actor" and country_graph_value(view, n["id"]) == country)


def test_size_by_a_measure_or_a_numeric_column(guarded_page, country_page):
    path, view = country_page
    page = guarded_page.goto(path)
    sizes = lambda: page.evaluate(  # noqa: E731
        "() => Object.fromEntries(window.partnernetMap.nodes.get().map(n => [window.partnernetMap.dataId(n.id), n.size]))")
    built = sizes()
    page.locator("#size-by").select_option("budget")
    by_budget = sizes()
    parts = sorted((n for n in view.nodes if n["kind"] == "partnership"), key=lambda n: by_budget[n["id"]])
    assert by_budget[parts[-1]["id"]] == 20.0 and by_budget[parts[0]["id"]] < 20.0
    assert all(by_budget[n["id"]] == built[n["id"]] for n in view.nodes if n["kind"] == "actor")
    assert page.locator("#legend-size").text_content() == "Størrelse: budget"
    page.locator("#size-by").select_option("betweenness")
    assert sizes() == built


def test_the_counters_follow_a_column_filter_and_a_range(guarded_page, country_page):
    path, view = country_page
    page = guarded_page.goto(path)
    summary = page.locator("#map-summary")
    assert summary.text_content() == view.summary
    page.get_by_label("Filtrér: country").select_option("DK")
    dk = {n["id"] for n in view.nodes if n["kind"] == "actor" and country_graph_value(view, n["id"]) == "DK"}
    assert {n for n in shown_nodes(page) if n in {a["id"] for a in view.nodes if a["kind"] == "actor"}} == dk
    partnerships = sum(1 for n in view.nodes if n["kind"] == "partnership")
    assert summary.text_content().startswith(f"{len(dk)} aktører, {partnerships} partnerskaber, {shown_edges(page)} ")
    page.wait_for_function("() => document.getElementById('map-status').textContent.startsWith('Kortet viser nu')")
    page.get_by_label("Filtrér: country").select_option("")
    page.locator("#range-column").select_option("budget")
    page.locator("#range-min").fill("3000")
    page.locator("#range-min").dispatch_event("change")
    kept = {n for n in shown_nodes(page)} - {a["id"] for a in view.nodes if a["kind"] == "actor"}
    assert len(kept) == partnerships - 2  # the budgets are 1000,5, 2000,5, … in node order
    assert f"{partnerships - 2} partnerskaber" in summary.text_content()
    guarded_page.screenshot("explore-range.png")


# --- time -------------------------------------------------------------------------------------


def test_the_time_slider_shows_the_network_as_it_stood(guarded_page, network_page, graph):
    """2012 and 2014 on the bundled data: what the page shows is what graph.as_of keeps."""
    path, view = network_page
    page = guarded_page.goto(path)
    summary = page.locator("#map-summary")
    assert page.locator("#year").is_disabled()
    page.get_by_label("Vis kun det, der var aktivt i året").check()
    seen = {}
    for year in (2012, 2014):
        set_year(page, year)
        then = as_of(graph, year)
        assert shown_nodes(page) == {n["id"] for n in view.nodes} & set(then.nodes)
        assert shown_edges(page) == then.number_of_edges()
        assert page.locator("#year-value").text_content() == str(year)
        seen[year] = (shown_nodes(page), summary.text_content())
        guarded_page.screenshot(f"explore-year-{year}.png")
    assert "p-uddannelse" in seen[2014][0] - seen[2012][0]  # started in 2014
    assert seen[2012][1] != seen[2014][1]
    page.get_by_label("Vis kun det, der var aktivt i året").uncheck()
    assert len(shown_nodes(page)) == len(view.nodes) and summary.text_content() == view.summary
    # a range of start years: the partnerships that started from 2011 on (actors have no years here)
    page.locator("#range-column").select_option("start")
    page.locator("#range-min").fill("2011")
    page.locator("#range-min").dispatch_event("change")
    started = {n for n, d in graph.nodes(data=True) if d.get("kind") == "partnership" and (d.get("start") or 0) >= 2011}
    assert {n for n in shown_nodes(page) if graph.nodes[n]["kind"] == "partnership"} == started


# --- the URL ------------------------------------------------------------------------------------


def test_a_copied_link_restores_the_selection_filters_and_colours(browser, guarded_page, country_page):
    path, view = country_page
    page = guarded_page.goto(path)
    page.evaluate("window.partnernetMap.select('kl', true)")
    box = page.locator("#sector-filter input[value=business]")
    box.uncheck()
    page.locator("#color-by").select_option("country")
    page.get_by_label("Filtrér: country").select_option("SE")
    url = page.url
    assert "#" in url and "n=kl" in url and "xs=business" in url and "c=country" in url
    shown, colors, heading = shown_nodes(page), node_colors(page), page.locator("#panel-body h3").text_content()
    view_state = page.evaluate("() => [window.partnernetMap.network.getViewPosition(), window.partnernetMap.network.getScale()]")
    with open_guarded_page(browser) as other:
        again = other.goto(url)
        assert again.locator("#panel-body h3").text_content() == heading
        assert again.evaluate("window.partnernetMap.network.getSelectedNodes()") == ["#kl"]
        assert not again.locator("#sector-filter input[value=business]").is_checked()
        assert again.locator("#color-by").input_value() == "country"
        assert again.get_by_label("Filtrér: country").input_value() == "SE"
        assert shown_nodes(again) == shown
        assert node_colors(again) == colors
        position, scale = again.evaluate(
            "() => [window.partnernetMap.network.getViewPosition(), window.partnernetMap.network.getScale()]")
        assert abs(position["x"] - view_state[0]["x"]) <= 1 and abs(scale - view_state[1]) < 0.01
        other.screenshot("explore-restored.png")
        other.check()


def test_back_steps_through_selections_and_filters(guarded_page, network_page):
    path, view = network_page
    page = guarded_page.goto(path)
    labels = {n["id"]: n["label"] for n in view.nodes}
    page.evaluate("window.partnernetMap.select('kl', true)")
    page.evaluate("window.partnernetMap.select('p-groenne-indkoeb', true)")
    page.locator("#sector-filter input[value=business]").uncheck()
    hidden = len(view.nodes) - len(shown_nodes(page))
    assert hidden > 0
    page.go_back()
    page.wait_for_function("() => document.querySelector('#sector-filter input[value=business]').checked")
    assert len(shown_nodes(page)) == len(view.nodes)
    assert page.locator("#panel-body h3").text_content() == labels["p-groenne-indkoeb"]
    page.go_back()
    page.wait_for_function("(l) => document.querySelector('#panel-body h3')?.textContent === l", arg=labels["kl"])
    page.go_back()
    page.wait_for_function("() => document.querySelector('#panel-body h3') === null")
    assert page.evaluate("window.partnernetMap.network.getSelectedNodes()") == []
    page.go_forward()
    page.wait_for_function("(l) => document.querySelector('#panel-body h3')?.textContent === l", arg=labels["kl"])


def test_an_anchor_in_the_fragment_is_left_alone(guarded_page, network_page):
    path, view = network_page
    page = guarded_page.goto(path)
    page.evaluate("window.partnernetMap.select('kl', true)")
    page.locator(".map-skip").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#data-table")
    assert page.evaluate("window.partnernetMap.network.getSelectedNodes()") == ["#kl"]


# --- keyboard ------------------------------------------------------------------------------------


def test_keyboard_selects_steps_and_fits(guarded_page, network_page):
    path, view = network_page
    page = guarded_page.goto(path)
    page.locator("#map").focus()
    first = sorted(view.nodes, key=lambda n: (n["label"].casefold(), n["id"]))
    page.keyboard.press("n")
    assert page.locator("#panel-body h3").text_content() == first[0]["label"]
    page.keyboard.press("n")
    page.keyboard.press("p")
    assert page.locator("#panel-body h3").text_content() == first[0]["label"]
    page.keyboard.press("0")
    page.keyboard.press("Enter")
    assert page.evaluate("window.partnernetMap.network.getSelectedNodes().length") == 1
    assert "N og P" in page.locator("#map-help").text_content()


# --- the image ------------------------------------------------------------------------------------

DECODE = """async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const layout = window.partnernetMap.image();
    const box = (r) => { const d = ctx.getImageData(r.x * 2, r.y * 2, r.width * 2, r.height * 2).data, seen = {};
        let dark = 0, other = 0;
        for (let i = 0; i < d.length; i += 4) {
            const hex = '#' + [d[i], d[i + 1], d[i + 2]].map(v => v.toString(16).padStart(2, '0')).join('');
            seen[hex] = (seen[hex] || 0) + 1;
            if (d[i] < 80 && d[i + 1] < 80 && d[i + 2] < 80) dark++; else if (hex !== '#ffffff') other++;
        }
        return {dark, other, seen}; };
    return {width: c.width, height: c.height, css: [layout.width, layout.height],
            title: box({x: 0, y: 0, width: layout.width, height: layout.map.y - 8}),
            map: box(layout.map), legend: box(layout.legend)};
}"""


def test_the_png_is_twice_the_size_with_a_title_a_legend_and_the_date(guarded_page, graph, tmp_path):
    view = dataclasses.replace(map_view(graph, color_by="group"), date="2026-01-01")
    page = guarded_page.goto(write_map(view, tmp_path / "dated.html"))
    assert page.evaluate("window.partnernetMap.image().width") == page.evaluate(
        "document.querySelector('#map canvas').clientWidth") + 16 * 3 + 280
    with page.expect_download() as info:
        page.locator("#download").click()
    png = Path(info.value.path()).read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "explore-export.png").write_bytes(png)
    found = page.evaluate(DECODE, base64.b64encode(png).decode())
    assert [found["width"], found["height"]] == [2 * found["css"][0], 2 * found["css"][1]]
    assert found["title"]["dark"] > 500  # the title's letters
    assert found["map"]["other"] > 1000  # nodes and lines
    # every legend colour (the helix groups) is drawn in the legend column
    for item in view.legend["items"]:
        assert found["legend"]["seen"].get(item["color"].lower(), 0) > 50, item
    assert found["legend"]["dark"] > 500  # the legend's words


# --- without scripts -------------------------------------------------------------------------------


def test_without_javascript_the_page_says_so_and_points_to_the_table(browser, network_page):
    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        page = context.new_page()
        page.goto(network_page[0].resolve().as_uri())
        message = page.locator(".noscript")
        assert message.is_visible()
        assert "kræver JavaScript" in message.text_content()
        assert message.locator("a").get_attribute("href") == "#data-table"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explore-noscript.png"))
    finally:
        context.close()


# --- hostile values and the sectors view ----------------------------------------------------------


def test_hostile_column_values_are_shown_as_text(guarded_page, tmp_path):
    """Markup in a category is a menu option's text and a legend line's text; nothing runs."""
    from .test_render_map import HOSTILE

    values = [HOSTILE["script"], HOSTILE["img"], HOSTILE["template"]]
    ds = load(locate(ROOT / "data"))
    kinds = ds.nodes["kind"].to_list()
    theme = [None if k == "partnership" else values[i % 3] for i, k in enumerate(kinds)]
    g = build_graph(dataclasses.replace(ds, nodes=ds.nodes.with_columns(pl.Series("tema", theme, dtype=pl.String))))
    page = guarded_page.goto(write_map(map_view(g), tmp_path / "hostile-columns.html"))
    options = page.get_by_label("Filtrér: tema").locator("option").all_text_contents()
    assert sorted(options[1:]) == sorted(values)
    page.locator("#color-by").select_option("tema")
    legend = [li.split(" (")[0].strip() for li in page.locator("#legend-colors li").all_text_contents()]
    assert sorted(legend) == sorted(values)
    assert page.locator("#legend-colors img").count() == 0 and page.locator("#legend-colors script").count() == 0
    page.get_by_label("Filtrér: tema").select_option(HOSTILE["img"])
    restored = page.url
    page.reload()
    page.wait_for_function("() => document.getElementById('map').dataset.ready === 'true'")
    assert page.url == restored and page.get_by_label("Filtrér: tema").input_value() == HOSTILE["img"]


def test_the_sectors_view_exports_its_own_legend(guarded_page, graph, tmp_path):
    view = map_view(graph, view="sectors")
    page = guarded_page.goto(write_map(view, tmp_path / "sectors.html"))
    assert page.locator("#explore").count() == 0  # no column dictionary: no in-page choices
    with page.expect_download() as info:
        page.locator("#download").click()
    found = page.evaluate(DECODE, base64.b64encode(Path(info.value.path()).read_bytes()).decode())
    assert [found["width"], found["height"]] == [2 * found["css"][0], 2 * found["css"][1]]
    for item in view.legend["items"]:
        assert found["legend"]["seen"].get(item["color"].lower(), 0) > 50, item


def test_reset_returns_every_choice_to_the_build_options_in_one_history_step(guarded_page, country_page):
    path, view = country_page
    page = guarded_page.goto(path)
    built = node_colors(page)
    page.locator("#color-by").select_option("country")
    page.locator("#size-by").select_option("budget")
    page.get_by_label("Filtrér: country").select_option("NO")
    page.get_by_label("Vis kun det, der var aktivt i året").check()
    length = page.evaluate("history.length")
    page.locator("#reset").click()
    assert page.evaluate("history.length") == length + 1
    assert page.locator("#color-by").input_value() == "sector" and page.locator("#size-by").input_value() == "betweenness"
    assert page.get_by_label("Filtrér: country").input_value() == "" and page.locator("#year").is_disabled()
    assert node_colors(page) == built and len(shown_nodes(page)) == len(view.nodes)
    assert page.locator("#map-summary").text_content() == view.summary
    page.go_back()
    page.wait_for_function("() => document.getElementById('year-on').checked")
    assert page.locator("#color-by").input_value() == "country"
