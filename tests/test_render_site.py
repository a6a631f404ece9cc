"""Site HTML: escaping, relative links, one CSP for every page, assets linked from assets/."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from partnernet.graph import build_graph, graph_from_records
from partnernet.load import load, locate
from partnernet.metrics.suite import compute_tables
from partnernet.publish.tasks import MapSettings
from partnernet.publish.writer import SiteMaps
from partnernet.render.map import content_security_policy
from partnernet.render.site import (
    check_path,
    relative,
    render_page,
    rows_html,
    site_asset_files,
    site_csp,
)
from partnernet.views.site.build import build_site
from partnernet.views.site.model import Cell, SiteOptions, Table

ROOT = Path(__file__).resolve().parent.parent
EVIL = '</script><script>alert("x")</script><!--'


class Parsed(HTMLParser):
    """Collects tags, attributes and script bodies of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._text: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script, self._text = a, []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)
        else:
            self.text.append(data)

    def attrs(self, tag, name):
        return [a[name] for t, a in self.tags if t == tag and name in a]


def make(g, **options):
    tables, _ = compute_tables(g)
    site = build_site(g, tables, SiteOptions(date="2024-01-31", **options))
    maps = SiteMaps(g, tables, MapSettings(lang=site.lang, max_nodes=2000, seed=42))
    return site, maps


def render(site, maps, page):
    return render_page(site, page, maps.view(page.map) if page.map else None)


@pytest.fixture(scope="module")
def bundled():
    return make(build_graph(load(locate(ROOT / "data"))))


@pytest.fixture(scope="module")
def rendered(bundled):
    site, maps = bundled
    return {p.path: render(site, maps, p) for p in site.pages()}


def test_every_page_has_the_maps_csp_and_no_inline_script(rendered):
    policy = content_security_policy(inline=False)
    assert site_csp() == policy
    assert "'unsafe-inline'" not in policy and "default-src 'none'" in policy
    for path, html in rendered.items():
        p = Parsed(html)
        metas = [a for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [policy], path
        for attrs, body in p.scripts:
            if "src" in attrs:
                assert body.strip() == "", path
            else:
                assert attrs.get("type") == "application/json", f"inline executable script in {path}"
        assert " style=" not in html, f"inline style attribute in {path} (blocked by the CSP)"
        assert "<style" not in html


def test_assets_are_linked_relatively_for_the_page_depth(rendered):
    index = Parsed(rendered["index.html"])
    assert index.attrs("script", "src") == ["assets/vis-network.min.js", "assets/map.js", "assets/site.js"]
    assert index.attrs("link", "href")[1:] == ["assets/map.css", "assets/site.css"]
    page = Parsed(rendered["partnerships/p-groenne-indkoeb.html"])
    assert page.attrs("script", "src") == ["../assets/vis-network.min.js", "../assets/map.js", "../assets/site.js"]
    actor = Parsed(rendered["actors/kl.html"])  # the ego map
    assert actor.attrs("script", "src") == ["../assets/vis-network.min.js", "../assets/map.js", "../assets/site.js"]
    sector = Parsed(rendered["sectors/state.html"])
    assert sector.attrs("script", "src") == ["../assets/site.js"]  # no map, no map scripts
    assert sector.attrs("link", "href")[1:] == ["../assets/site.css"]


def test_links_are_relative_and_resolve_inside_the_site(rendered):
    files = set(rendered) | {f"assets/{n}" for n in site_asset_files()}
    for path, html in rendered.items():
        base = path.rpartition("/")[0]
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src")):
            for href in Parsed(html).attrs(tag, attr):
                if href.startswith(("#", "data:")):
                    continue
                assert not re.match(r"^[a-z]+:|^/", href), (path, href)
                target = href.split("#")[0]
                parts = (base.split("/") if base else []) + target.split("/")
                resolved = []
                for part in parts:
                    if part == "..":
                        assert resolved, (path, href)
                        resolved.pop()
                    else:
                        resolved.append(part)
                target = "/".join(resolved)
                if target.startswith("downloads/"):
                    continue  # files written by the publish run; checked in test_publish_run
                assert target in files, (path, href)


def test_no_url_leaves_the_site(rendered):
    for path, html in rendered.items():
        for m in re.finditer(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I):
            context = html[max(0, m.start() - 40): m.end() + 10]
            assert "xmlns" in context or "w3.org" in context, (path, context)


def test_each_page_has_one_h1_a_nav_and_lang(rendered):
    for path, html in rendered.items():
        p = Parsed(html)
        assert sum(1 for t, _ in p.tags if t == "h1") == 1, path
        assert ('html', {'lang': 'da'}) in p.tags
        assert any(t == "nav" for t, _ in p.tags)


def test_data_text_is_escaped_everywhere():
    g = graph_from_records(
        nodes=[{"id": "p", "kind": "partnership", "label": EVIL},
               {"id": "a", "label": EVIL + "&amp;", "sector": "state"},
               {"id": "b", "label": "Ørsted", "sector": "business"}],
        edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"}],
    )
    site, maps = make(g, title=EVIL, org=EVIL)
    for page in site.pages():
        html = render(site, maps, page)
        assert "<script>alert" not in html, page.path
        assert "<!--" not in html.split("<body", 1)[1], page.path
        p = Parsed(html)
        for attrs, body in p.scripts:
            assert "</script" not in body.lower()
            assert "alert" not in body or "\\u003c/script" in body
        assert EVIL in "".join(p.text) or page.kind in ("maps", "downloads", "sectors", "sector", "map"), page.path


def test_english_site_is_english(bundled):
    g = build_graph(load(locate(ROOT / "data")))
    site, maps = make(g, lang="en")
    html = render(site, maps, site.page("index"))
    assert '<html lang="en">' in html
    assert "About the data" in html and "Om data" not in html


def test_rows_html_escapes_and_links_relatively():
    t = Table("t", "cap", (), ((Cell("<b>x</b>", href="actors/a.html", sort="<b>"), Cell("1,5", sort=1.5, cls="num")),))
    html = str(rows_html(t, "../"))
    assert '<th scope="row" data-sort="&lt;b&gt;"><a href="../actors/a.html"><bdi>&lt;b&gt;x&lt;/b&gt;</bdi></a></th>' in html
    assert '<td class="num" data-sort="1.5"><bdi>1,5</bdi></td>' in html


@pytest.mark.parametrize("bad", ["/etc/passwd", "../x.html", "a/../../b", "http://x.dk/a", "javascript:alert(1)",
                                 "a\\b", "", "a//b", "./a", "a b.html"])
def test_unsafe_paths_are_refused(bad):
    with pytest.raises(ValueError):
        check_path(bad)


def test_relative():
    assert relative("index.html", 0) == "index.html"
    assert relative("downloads/graph.gexf", 2) == "../../downloads/graph.gexf"


def test_site_assets_include_the_map_assets_and_ours():
    files = site_asset_files()
    assert set(files) == {"vis-network.min.js", "map.js", "map.css", "site.css", "site.js"}
    js = files["site.js"].decode()
    assert ".innerHTML" not in js and "eval(" not in js and "http" not in js
    css = files["site.css"].decode()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_the_same_page_renders_to_the_same_text(bundled):
    site, maps = bundled
    page = site.page("partnership", "p-groenne-indkoeb")
    assert render(site, maps, page) == render(site, maps, site.page("partnership", "p-groenne-indkoeb"))


def test_table_blocks_escape_every_text():
    from partnernet.text import page_texts
    from partnernet.render.site_table import TableWriter
    from partnernet.views.site.model import Column

    evil = EVIL
    writer = TableWriter("../", page_texts("da"), "da")
    cols = (Column(evil, title=evil), Column(evil, numeric=True, color="#123456"))
    rows = tuple((Cell(evil, href="actors/a.html"), Cell("1", sort=1.0, cls="num")) for _ in range(20))
    html = str(writer.table(Table("t", evil, cols, rows, note=evil)))
    html += str(writer.table(Table("e", evil, cols, (), empty=evil)))
    assert "<script>" not in html and "<!--" not in html
    # caption, two column labels and a title, the cells, the note; the empty table's text
    assert html.count("&lt;/script&gt;&lt;script&gt;alert(") == 1 + 3 + 20 + 1 + 1
    assert 'data-table="t-t"' in html
    # the box a wide table scrolls in: focusable, a region named by the table's caption
    assert '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="c-t">' in html
    assert '<caption id="c-t">' in html


def test_a_shared_cell_is_written_once_and_the_same_everywhere():
    from partnernet.render.site_table import RowWriter

    shared = Cell("<x>", href="actors/a.html")
    writer = RowWriter("../")
    t1 = Table("a", "a", (), ((shared, shared),))
    t2 = Table("b", "b", (), ((Cell("y"), shared),), row_header=False)
    first, second = str(writer.rows(t1)), str(writer.rows(t2))
    assert first == str(rows_html(t1, "../")) and second == str(rows_html(t2, "../"))
    td = '<td><a href="../actors/a.html"><bdi>&lt;x&gt;</bdi></a></td>'
    assert first.endswith(td + "</tr>") and second.endswith(td + "</tr>")
    assert '<th scope="row"><a href="../actors/a.html">' in first
    with pytest.raises(ValueError):
        writer.rows(Table("c", "c", (), ((Cell("z", href="../x.html"),),)))


def test_key_figures_have_a_named_help_link_relative_to_the_page(rendered):
    page = rendered["partnerships/p-groenne-indkoeb.html"]
    assert ('<a class="help" href="../method.html#s-coverage"><span aria-hidden="true">?</span>'
            '<span class="sr">Forklaring: Dækning</span></a>') in page
    listing = rendered["partnerships.html"]
    assert re.search(r'<th scope="col"[^>]*><span>Dækning</span> <a class="help" href="method.html#s-coverage">',
                     listing)
    method = Parsed(rendered["method.html"])
    ids = {a["id"] for _, a in method.tags if "id" in a}
    assert {"s-coverage", "s-diversity", "s-ei-index", "s-centrality", "s-communities", "s-backtest"} <= ids


def test_the_suggestions_page_has_a_labelled_sector_filter_hidden_without_script(rendered):
    p = Parsed(rendered["suggestions.html"])
    form = [a for t, a in p.tags if t == "form"]
    assert form == [{"class": "section-filter", "hidden": None}]
    assert [a for t, a in p.tags if t == "label" and a.get("for") == "section-filter"]
    options = p.attrs("option", "value")
    assert options[0] == "" and all(v.startswith("s-sector-") for v in options[1:])
    sections = {a["id"] for t, a in p.tags if t == "section"}
    assert set(options[1:]) <= sections
    assert 'href="downloads/suggestions/p-fuldkorn.csv"' in rendered["suggestions.html"]
    assert 'href="../downloads/suggestions/p-fuldkorn.csv"' in rendered["partnerships/p-fuldkorn.html"]


def test_own_columns_are_escaped_and_long_texts_folded(tmp_path):
    from .site_util import LONG_QUOTE, write_columns_data

    site, maps = make(build_graph(load(locate(write_columns_data(tmp_path)))))
    actor = render(site, maps, site.page("actor", "a1"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in actor and "<img src=x" not in actor
    assert "<details><summary><bdi>Partnerskabet blev oprettet af kommunen" in actor  # the long quote, folded
    assert f"<bdi>{LONG_QUOTE}</bdi></details>" in actor
    page = render(site, maps, site.page("partnership", "p1"))
    assert "<dt>budget</dt><dd><bdi>1.234.567,5</bdi></dd>" in page and "intern note" not in page
    assert "Miljøstyrelsen deltager i styregruppen." in page


def test_a_one_language_site_has_no_language_switch(rendered):
    assert not any("hreflang" in html or "lang-switch" in html for html in rendered.values())


def test_a_bilingual_page_links_its_translation_and_shares_the_assets(bundled):
    g = bundled[0].g
    tables, _ = compute_tables(g)
    for lang, up in (("da", "../"), ("en", "../../")):
        site = build_site(g, tables, SiteOptions(lang=lang, date="2024-01-31", langs=("da", "en")))
        html = render_page(site, site.page("actor", "kl"))
        p = Parsed(html)
        alternates = [(a["hreflang"], a["href"]) for t, a in p.tags if t == "link" and a.get("rel") == "alternate"]
        assert alternates == [("da", f"{up}actors/kl.html"), ("en", f"{up}en/actors/kl.html")]
        assert p.attrs("script", "src") == [f"{up}assets/site.js"]  # one copy of the assets, at the top
        switch = [a for t, a in p.tags if t == "a" and "hreflang" in a]
        other = "en" if lang == "da" else "da"
        assert [(a["hreflang"], a["lang"]) for a in switch] == [(other, other)]
        assert ("English" if lang == "da" else "Dansk") in html and 'aria-current="page">' in html


def test_the_map_table_under_a_map_carries_the_node_own_columns(tmp_path):
    from partnernet.render.site import map_table

    from .site_util import write_columns_data

    site, maps = make(build_graph(load(locate(write_columns_data(tmp_path)))))
    table = map_table(maps.view(site.page("index").map))
    labels = [c.label for c in table.columns]
    assert labels[-4:] == ["country", "kontaktperson", "motto", "budget"]  # the actors' first: their rows are
    rows = {row[0].text: [c.text for c in row[-4:]] for row in table.rows}
    assert rows["Aarhus Kommune"] == ["Danmark", "Åse Ørn", "<img src=x onerror=alert(1)>", ""]
    assert rows["Grøn Omstilling"][-1] == "1.234.567,5"
