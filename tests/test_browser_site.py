"""The published site in a real browser: crawled over HTTP under a sub-path, and over file://.

Every page is opened in headless Chromium (tests/browser_util.py): it fails on
any request that leaves the site, on console errors (CSP violations are
console errors), uncaught exceptions and dialogs. Every link and download must
resolve, every page must have its heading and a table, the maps must draw and
the table script must sort and filter. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from partnernet.load import locate
from partnernet.publish.options import PublishOptions
from partnernet.publish.run import publish

from .browser_util import browser, open_guarded_page, requires_chromium  # noqa: F401  (fixture)
from .site_util import HOSTILE, write_hostile_data

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "intranet/partnerskaber/site"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The bundled data published under <tmp>/intranet/partnerskaber/site."""
    root = tmp_path_factory.mktemp("www")
    site = root / SUB_PATH
    publish(locate(ROOT / "data"), PublishOptions(out=site, date="2024-01-31", org="Erhvervsstyrelsen"))
    return root, site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(published):
    """A web server on 127.0.0.1 serving the PARENT folders, so the site lives under a sub-path."""
    root, _ = published
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{SUB_PATH}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


LINKS_JS = """() => {
  const out = [];
  for (const [sel, attr] of [["a[href]", "href"], ["link[href]", "href"], ["script[src]", "src"]]) {
    document.querySelectorAll(sel).forEach(e => out.push(e.getAttribute(attr)));
  }
  return out;
}"""


def crawl(guarded, start: str, inside, fetch_ok) -> dict[str, dict]:
    """Open every HTML page reachable from ``start``; check each link; return what each page showed.

    ``inside(url)`` tells whether a URL belongs to the site; ``fetch_ok(url)``
    whether a non-HTML file (download, asset) exists.
    """
    seen: dict[str, dict] = {}
    queue = deque([start])
    files: set[str] = set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        page = guarded.goto(url, allow_prefix=None)
        guarded.check()
        info = page.evaluate("""() => ({
            h1: Array.from(document.querySelectorAll('h1')).map(h => h.textContent.trim()),
            tables: document.querySelectorAll('table').length,
            rows: document.querySelectorAll('table tbody tr').length,
            map: document.getElementById('map') !== null,
            drawn: window.partnernetMap ? window.partnernetMap.drawnNodeCount() : null,
            sortable: document.querySelectorAll('th button.sort').length,
            title: document.title,
        })""")
        seen[url] = info
        for href in page.evaluate(LINKS_JS):
            if href.startswith("#") or href.startswith("data:"):
                continue
            target = urljoin(url, href).split("#")[0]
            assert inside(target), f"{url} links outside the site: {href}"
            if target.endswith(".html"):
                if target not in seen:
                    queue.append(target)
            else:
                files.add(target)
    for f in sorted(files):
        assert fetch_ok(f), f"missing file: {f}"
    seen["__files__"] = {"files": sorted(files)}
    return seen


def check_pages(pages: dict[str, dict], site: Path) -> None:
    files = pages.pop("__files__")["files"]
    html_on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    reached = {unquote(urlsplit(u).path).split(f"/{SUB_PATH}/", 1)[-1] for u in pages}
    assert reached == html_on_disk, "every page is reachable by links from index.html"
    downloads = {unquote(f).split("/downloads/", 1)[-1] for f in files if "/downloads/" in f}
    on_disk = {p.relative_to(site / "downloads").as_posix() for p in (site / "downloads").rglob("*") if p.is_file()}
    assert downloads == on_disk, "every download is linked"  # the suggestion lists under suggestions/ too
    for url, info in pages.items():
        assert len(info["h1"]) == 1 and info["h1"][0], url
        assert info["tables"] >= 1 and info["rows"] >= 1, f"no table on {url}"
        if info["map"]:
            assert info["drawn"] and info["drawn"] > 0, f"map not drawn on {url}"
        if info["rows"] > 1:
            assert info["sortable"] > 0, f"table script did not run on {url}"


def test_crawl_over_http_under_a_sub_path(browser, server, published):
    _, site = published
    prefix = server

    with open_guarded_page(browser, offline=False) as guarded:
        outside = []
        guarded.page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((prefix, "data:", "blob:"))
                        else None)
        request = guarded.page.context.request

        def fetch_ok(url: str) -> bool:
            response = request.get(url)
            rel = url[len(prefix):]
            return response.status == 200 and response.body() == (site / rel).read_bytes()

        pages = crawl(guarded, prefix + "index.html", lambda u: u.startswith(prefix), fetch_ok)
        guarded.check()
        assert outside == [], f"requests outside {prefix}: {outside}"
    assert len(pages) - 1 == 62
    check_pages(pages, site)


def test_crawl_over_file_urls(browser, published):
    _, site = published
    prefix = site.resolve().as_uri() + "/"

    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = prefix  # pages may load the site's own assets, nothing else
        pages = crawl(guarded, prefix + "index.html", lambda u: u.startswith(prefix),
                      lambda u: Path(unquote(urlsplit(u).path)).is_file())
        guarded.check()
    check_pages(pages, site)


def test_tables_sort_and_filter(browser, published):
    _, site = published
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        page = guarded.goto(site / "partnerships.html", allow_prefix=site)
        names = "() => Array.from(document.querySelectorAll('#t-partnerships tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
        members = "() => Array.from(document.querySelectorAll('#t-partnerships tbody tr')).map(r => Number(r.cells[1].dataset.sort))"
        before = page.evaluate(names)
        assert before == sorted(before, key=str.casefold)
        page.click("#t-partnerships thead th:nth-child(2) button.sort")
        values = page.evaluate(members)
        assert values == sorted(values, reverse=True)
        assert page.get_attribute("#t-partnerships thead th:nth-child(2)", "aria-sort") == "descending"
        page.click("#t-partnerships thead th:nth-child(2) button.sort")
        assert page.evaluate(members) == sorted(values)
        page.click("#t-partnerships thead th:nth-child(1) button.sort")
        assert page.evaluate(names) == sorted(before, key=str.casefold)

        assert page.locator(".table-tools").count() == 0  # 9 rows: no filter box needed

        page = guarded.goto(site / "actors.html", allow_prefix=site)
        actors = "() => Array.from(document.querySelectorAll('#t-actors tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
        everyone = page.evaluate(actors)
        assert len(everyone) == 34
        page.fill("input.table-filter[data-table='t-actors']", "kommune")
        shown = page.evaluate(actors)
        assert shown and all("kommune" in n.lower() for n in shown) and len(shown) < 34
        assert page.text_content(".table-count") == f"{len(shown)} / 34"
        page.fill("input.table-filter[data-table='t-actors']", "ÆLDRE")  # case- and Danish-letter-insensitive
        page.fill("input.table-filter[data-table='t-actors']", "")
        assert page.evaluate(actors) == everyone
        guarded.check()


def test_the_embedded_map_works(browser, published):
    """Search, the details panel and the sector filter of map.js work inside a site page."""
    _, site = published
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        page = guarded.goto(site / "partnerships" / "p-groenne-indkoeb.html", allow_prefix=site)
        assert page.text_content("#panel-body h3").strip() == "Partnerskab for Offentlige Grønne Indkøb"  # focus
        page.fill("#search", "miljø")
        results = page.locator("#search-results button.result")
        assert results.count() >= 2
        results.first.click()
        assert page.text_content("#panel-body h3").strip().startswith("Miljø")
        before = page.evaluate("window.partnernetMap.drawnNodeCount()")
        page.uncheck("#sector-filter input[value='municipality']")
        assert page.evaluate("window.partnernetMap.drawnNodeCount()") < before
        page.click("#reset")
        assert page.evaluate("window.partnernetMap.drawnNodeCount()") == before
        guarded.check()


def test_an_actor_page_shows_its_ego_map(browser, published):
    """KL's page draws its bounded ego map: KL in the middle, its partnerships and their members."""
    _, site = published
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        page = guarded.goto(site / "actors" / "kl.html", allow_prefix=site)
        drawn = page.evaluate("window.partnernetMap.drawnNodeCount()")
        assert 3 <= drawn <= 1 + 30 + 8
        assert page.text_content("#panel-body h3").strip() == "KL"  # the focus
        ids = page.evaluate("window.partnernetMap.nodes.getIds().map(window.partnernetMap.dataId)")
        assert "kl" in ids and any(i.startswith("p-") for i in ids)
        assert page.evaluate("window.partnernetMap.labelBoxes().length") > 0
        guarded.screenshot("site-actor-kl.png")
        guarded.check()


def test_a_big_index_shows_the_sector_map(browser, tmp_path):
    """Above the index's node limit the front page shows the sector map and says where the full one is."""
    from partnernet.views.site import index

    site = tmp_path / "site"
    old = index.INDEX_MAP_MAX_NODES
    index.INDEX_MAP_MAX_NODES = 10
    try:
        publish(locate(ROOT / "data"), PublishOptions(out=site, date="2024-01-31"))
    finally:
        index.INDEX_MAP_MAX_NODES = old
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        page = guarded.goto(site / "index.html", allow_prefix=site)
        kinds = page.evaluate("(() => { const m = window.partnernetMap; return m.nodes.getIds().map(m.dataId); })()")
        assert kinds and all(k.startswith("sector:") for k in kinds)
        assert "sektorkortet" in page.text_content("#s-map")
        assert page.locator('#s-map a[href="maps/network.html"]').count() == 1
        guarded.check()


def test_the_embedded_map_works_with_the_keyboard(browser, published):
    """On a site page too: the map is a tab stop, + zooms, and the skip link opens the map's table."""
    _, site = published
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        page = guarded.goto(site / "index.html", allow_prefix=site)
        page.locator("#map").focus()
        assert page.evaluate("document.activeElement.id") == "map"
        scale = page.evaluate("window.partnernetMap.network.getScale()")
        page.keyboard.press("+")
        assert page.evaluate("window.partnernetMap.network.getScale()") > scale
        page.locator(".map-skip").focus()
        page.keyboard.press("Enter")
        assert page.locator("#map-table").evaluate("d => d.open")
        guarded.check()


def test_pages_are_readable_without_javascript(browser, published):
    _, site = published
    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        page = context.new_page()
        page.goto(site.joinpath("partnerships", "p-groenne-indkoeb.html").resolve().as_uri())
        assert page.text_content("h1").strip() == "Partnerskab for Offentlige Grønne Indkøb"
        assert page.locator("#t-members tbody tr").count() == 9
        assert page.locator("#t-candidates tbody tr").count() >= 1
        assert page.locator(".table-tools").first.is_hidden()  # the filter box needs the script
        assert page.locator("noscript").count() == 2  # the footer's, and the map's own at the blank map
        assert "kræver JavaScript" in page.locator(".map-wrap .noscript").text_content()
        page.goto(site.joinpath("index.html").resolve().as_uri())
        assert page.locator("#t-coverage-grid tbody tr").count() == 9
    finally:
        context.close()


def test_screenshots_of_index_and_a_partnership_page(browser, published):
    _, site = published
    with open_guarded_page(browser, viewport=(1280, 900)) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        guarded.goto(site / "index.html", allow_prefix=site)
        guarded.screenshot("site-index.png", full_page=True)
        page = guarded.goto(site / "partnerships" / "p-groenne-indkoeb.html", allow_prefix=site)
        assert page.evaluate("window.partnernetMap.drawnNodeCount()") > 9
        guarded.screenshot("site-partnership.png", full_page=True)
        page.emulate_media(media="print")
        guarded.screenshot("site-partnership-print.png", full_page=True)
        guarded.goto(site / "actors" / "kl.html", allow_prefix=site)
        guarded.screenshot("site-actor.png", full_page=True)
        guarded.check()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A site whose labels, sector labels, partnership names and extra columns are hostile text."""
    data = write_hostile_data(tmp_path_factory.mktemp("hostile-data"))
    site = tmp_path_factory.mktemp("hostile-www") / "site"
    publish(locate(data), PublishOptions(out=site, date="2024-01-31"))
    return site


def test_hostile_text_is_shown_as_text_and_never_runs(browser, hostile_site):
    """Every page of a site built from hostile data: no dialog, no console error, the text visible as text."""
    site = hostile_site
    prefix = site.resolve().as_uri() + "/"
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = prefix
        pages = crawl(guarded, prefix + "index.html", lambda u: u.startswith(prefix),
                      lambda u: Path(unquote(urlsplit(u).path)).is_file())
        guarded.check()
        assert len(pages) > 10
        page = guarded.goto(site / "partnerships.html", allow_prefix=site)
        text = page.evaluate("() => document.body.innerText")
        assert HOSTILE[0] in text and HOSTILE[3].split()[0] in text
        assert page.evaluate("() => document.querySelectorAll('img[src=x], script:not([src]):not([type])').length") == 0
        page = guarded.goto(site / "index.html", allow_prefix=site)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width < 3000, "a 10,000-character label must not stretch the page"
        guarded.screenshot("site-hostile.png", full_page=False)
        guarded.check()


# --- ids that are names of Object.prototype ------------------------------------------------------


@pytest.fixture(scope="module")
def prototype_site(browser, tmp_path_factory):
    """A site whose actor ids, a partnership id and a sector id are the names of Object.prototype."""
    with open_guarded_page(browser) as guarded:
        names = sorted(guarded.page.evaluate("Object.getOwnPropertyNames(Object.prototype)"))
    data = tmp_path_factory.mktemp("prototype-data")
    nodes = ["id,label,kind,sector", "p,Partnerskab,partnership,", "constructor,Konstruktør,partnership,"]
    actors = [n for n in names if n != "constructor"]
    nodes += [f"{n},Aktør {n},actor,{'valueOf' if i % 2 else 'state'}" for i, n in enumerate(actors)]
    edges = ["source,target"] + [f"{n},p" for n in actors] + [f"{n},constructor" for n in actors[:3]]
    (data / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (data / "edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    (data / "sectors.csv").write_text("id,label_da,label_en,group,color\nstate,Stat,State,public,#0072B2\n"
                                      "valueOf,Værdi,Value,private,#E69F00\n", encoding="utf-8")
    site = tmp_path_factory.mktemp("prototype-www") / "site"
    publish(locate(data), PublishOptions(out=site, date="2024-01-31"))
    return site, names


def test_object_prototype_ids_work_in_every_map_of_a_site(browser, prototype_site):
    site, names = prototype_site
    pages = [site / "index.html", *sorted((site / "maps").glob("*.html")),
             *sorted((site / "partnerships").glob("*.html"))]
    with open_guarded_page(browser) as guarded:
        guarded.allow_prefix = site.resolve().as_uri() + "/"
        checked = 0
        for path in pages:
            page = guarded.goto(path, allow_prefix=site)
            if not page.evaluate("document.getElementById('map-data') !== null"):
                continue
            page.wait_for_function("document.getElementById('map').dataset.ready === 'true'")
            want = page.evaluate("JSON.parse(document.getElementById('map-data').textContent).vis")
            assert page.evaluate("window.partnernetMap.drawnNodeCount()") == len(want["nodes"]), path.name
            assert page.evaluate("window.partnernetMap.drawnEdgeCount()") == len(want["edges"]), path.name
            ids = [n["id"] for n in want["nodes"] if n["id"] in names]
            for node_id in ids:
                page.evaluate("(id) => window.partnernetMap.select(id, false)", node_id)
                label = "Konstruktør" if node_id == "constructor" else f"Aktør {node_id}"
                assert page.text_content("#panel-body h3").strip() == label, (path.name, node_id)
            page.uncheck("#sector-filter input[value='valueOf']")
            page.click("#reset")
            checked += bool(ids)
            guarded.check()
        assert checked >= 4


def test_a_partnership_page_shows_evidence_folded_beside_each_member(browser, tmp_path):
    from .site_util import LONG_QUOTE, write_columns_data

    data = write_columns_data(tmp_path)
    site = tmp_path / "site"
    publish(locate(data), PublishOptions(out=site, date="2024-01-31"))
    with open_guarded_page(browser, viewport=(1280, 900)) as guarded:
        page = guarded.goto(site / "partnerships" / "p1.html", allow_prefix=site)
        row = page.locator("#t-members tbody tr", has_text="Aarhus Kommune")
        fold = row.locator("td details")
        assert fold.count() == 1 and not fold.evaluate("d => d.open")
        assert fold.locator("summary").text_content().endswith("…")
        fold.locator("summary").click()
        assert fold.evaluate("d => d.open") and LONG_QUOTE in fold.text_content()
        short = page.locator("#t-members tbody tr", has_text="Miljøstyrelsen").locator("td").last
        assert short.text_content() == "Miljøstyrelsen deltager i styregruppen."
        facts = page.locator("#s-columns").text_content()
        assert "budget" in facts and "1.234.567,5" in facts and "intern note" not in facts
        guarded.screenshot("site-partnership-evidence.png", full_page=True)
        guarded.check()
