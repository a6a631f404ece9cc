"""The page registry and the site as a whole: which pages exist, where they link, determinism."""

import networkx as nx

from partnernet.graph import graph_from_records
from partnernet.views.site.build import build_site
from partnernet.views.site.model import MapSpec, SiteOptions

from .site_util import all_pages, bundled, bundled_graph, section, site_for, table  # noqa: F401 (fixtures)


def test_every_page_kind_exists_once_per_node(bundled):
    pages = all_pages(bundled)
    paths = [p.path for p in pages]
    assert paths[:11] == ["index.html", "partnerships.html", "sectors.html", "actors.html", "suggestions.html",
                          "maps.html", "method.html", "downloads.html", "maps/network.html", "maps/actors.html",
                          "maps/sectors.html"]
    assert len(paths) == len(set(paths)) == bundled.page_count() == 11 + 8 + 9 + 34
    assert sum(p.kind == "partnership" for p in pages) == 9
    assert sum(p.kind == "sector" for p in pages) == 8
    assert sum(p.kind == "actor" for p in pages) == 34
    assert "partnerships/p-groenne-indkoeb.html" in paths
    assert "actors/kl.html" in paths


def test_every_link_points_to_a_page_or_a_download(bundled):
    pages = all_pages(bundled)
    targets = {p.path for p in pages} | {f"downloads/{d.name}" for d in bundled.downloads}
    targets |= {bundled.suggestions_href(p) for p in bundled.suggestion_ids}
    anchors = {p.path: {f"s-{s.id}" for s in p.sections} for p in pages}
    for page in pages:
        for href in page.links():
            path, _, anchor = href.partition("#")
            assert path in targets, (page.path, href)
            assert not anchor or anchor in anchors[path], (page.path, href)


def test_pages_with_a_map_say_which(bundled):
    pages = {p.path: p for p in all_pages(bundled)}
    assert pages["index.html"].map == MapSpec("network")
    assert pages["maps/actors.html"].map == MapSpec("actors")
    assert pages["partnerships/p-fuldkorn.html"].map == MapSpec("network", partnership="p-fuldkorn")
    assert pages["actors/kl.html"].map == MapSpec("network", actor="kl")
    assert pages["actors.html"].map is None


def test_actor_pages_are_capped_to_the_most_central_and_say_so(bundled_graph):
    site = site_for(bundled_graph, max_actor_pages=5)
    assert len(site.page_actors) == 5
    assert "kl" in site.page_actors
    assert site.actor_pages_note() == ("5 af 34 aktører har deres egen side: dem med højest betweenness (grænse: 5). "
                                       "De øvrige står i tabellerne under Downloads.")
    pages = all_pages(site)
    assert sum(p.kind == "actor" for p in pages) == 5
    targets = {p.path for p in pages} | {f"downloads/{d.name}" for d in site.downloads}
    targets |= {site.suggestions_href(p) for p in site.suggestion_ids}
    for page in pages:
        for href in page.links():
            assert href.partition("#")[0] in targets
    # actors without a page appear as plain text
    mem = table(section(site.page("partnership", "p-groenne-indkoeb"), "members"), "members")
    assert any(row[0].href is None for row in mem.rows)
    assert all_pages(site_for(bundled_graph))[3].lead == "Alle 34 aktører har deres egen side."


def test_english_texts(bundled_graph):
    site = site_for(bundled_graph, lang="en", title="Partnerships in Denmark", org="Ministry")
    index = site.page("index")
    assert index.heading == "Partnerships in Denmark"
    assert section(index, "about").heading == "About the data"
    assert [n.text for n in site.nav()] == ["Home", "Partnerships", "Sectors", "Actors", "Suggestions", "Maps",
                                              "Method", "Downloads"]
    page = site.page("partnership", "p-groenne-indkoeb")
    facts = {f.term: f.value for f in section(page, "facts").facts}
    assert facts["Coverage"] == "50%"  # English writes no space before %
    assert site.page("sector", "state").heading == "State"


HOSTILE = ["../../etc/passwd", "..\\x", "C:\\x", "con", "NUL", "a/b", "", "x" * 300, "<script>alert(1)</script>"]


def hostile_graph():
    nodes = [{"id": "p:" + h, "kind": "partnership", "label": "P " + h} for h in HOSTILE]
    nodes += [{"id": h or "empty", "label": h or "empty", "sector": "state"} for h in HOSTILE]
    edges = [{"source": h or "empty", "target": "p:" + h} for h in HOSTILE]
    return graph_from_records(nodes, edges)


def test_hostile_ids_give_safe_unique_paths():
    site = site_for(hostile_graph())
    paths = [p.path for p in site.pages()]
    assert len(paths) == len(set(paths))
    for path in paths:
        folder, _, name = path.rpartition("/")
        assert folder in ("", "partnerships", "sectors", "actors", "maps")
        stem = name[: -len(".html")]
        assert name.endswith(".html") and stem and len(stem) <= 60
        assert ".." not in path and "\\" not in path and ":" not in path
        assert stem.lower() not in {"con", "nul", "prn", "aux"}


def test_models_are_deterministic_and_the_graph_is_untouched(bundled_graph):
    before = (dict(bundled_graph.nodes(data=True)), list(bundled_graph.edges(data=True)))
    a = all_pages(site_for(bundled_graph))
    b = all_pages(site_for(bundled_graph))
    assert a == b
    assert (dict(bundled_graph.nodes(data=True)), list(bundled_graph.edges(data=True))) == before
    assert nx.is_frozen(bundled_graph)


def test_missing_tables_give_pages_without_those_columns(tiny_graph):
    site = build_site(tiny_graph, {}, SiteOptions())
    pages = list(site.pages())
    assert len(pages) == site.page_count()
    assert section(site.page("index"), "top-brokers").tables[0].rows == ()


def test_empty_graph_still_has_every_overview_page():
    g = graph_from_records([], [])
    site = build_site(g, {}, SiteOptions())
    assert [p.kind for p in site.pages()] == ["index", "partnerships", "sectors", "actors", "suggestions", "maps",
                                               "method", "downloads", "map", "map", "map"] + ["sector"] * 8


def test_the_registry_is_the_one_list_of_page_kinds(bundled, monkeypatch):
    """Keys, pages and the page count all follow PAGE_KINDS: a new kind is one entry there."""
    from partnernet.views.site import build
    from partnernet.views.site.build import PAGE_KINDS, PageKind
    from partnernet.views.site.model import Page

    # a site published without a previous edition has no What changed page
    assert list(dict.fromkeys(kind for kind, _ in bundled.page_keys())) == [k for k in PAGE_KINDS if k != "changes"]
    extra = PageKind(lambda site: ("a", "b"), lambda site, key: Page(f"extra/{key}.html", "extra", key, key))
    monkeypatch.setattr(build, "PAGE_KINDS", {**PAGE_KINDS, "extra": extra})
    assert bundled.page_keys()[-2:] == [("extra", "a"), ("extra", "b")]
    assert bundled.page("extra", "b").path == "extra/b.html"
    assert bundled.page_count() == len(bundled.page_keys()) == 11 + 8 + 9 + 34 + 2
