"""Site page models: which pages exist, what they show, where they link; pure and deterministic."""

from pathlib import Path

import networkx as nx
import pytest

from partnernet.graph import build_graph, graph_from_records, members
from partnernet.load import load, locate
from partnernet.pipeline import compute_tables
from partnernet.views.site import Download, MapSpec, SiteOptions, build_site

ROOT = Path(__file__).resolve().parent.parent


def site_for(g, **options):
    tables, modularity = compute_tables(g)
    opts = SiteOptions(date="2024-01-31", modularity=modularity, **options)
    downloads = [Download("nodes.csv", "input", "Knuder", "CSV", 10), Download("graph.gexf", "graph", "Gephi", "GEXF", 20)]
    return build_site(g, tables, opts, downloads)


@pytest.fixture(scope="module")
def bundled_graph():
    return build_graph(load(locate(ROOT / "data")))


@pytest.fixture(scope="module")
def bundled(bundled_graph):
    return site_for(bundled_graph)


def all_pages(site):
    return list(site.pages())


def table(section, table_id):
    return next(t for t in section.tables if t.id == table_id)


def section(page, section_id):
    return next(s for s in page.sections if s.id == section_id)


def test_every_page_kind_exists_once_per_node(bundled):
    pages = all_pages(bundled)
    paths = [p.path for p in pages]
    assert paths[:9] == ["index.html", "partnerships.html", "sectors.html", "actors.html", "maps.html",
                         "downloads.html", "maps/network.html", "maps/actors.html", "maps/sectors.html"]
    assert len(paths) == len(set(paths)) == bundled.page_count() == 9 + 8 + 9 + 34
    assert sum(p.kind == "partnership" for p in pages) == 9
    assert sum(p.kind == "sector" for p in pages) == 8
    assert sum(p.kind == "actor" for p in pages) == 34
    assert "partnerships/p-groenne-indkoeb.html" in paths
    assert "actors/kl.html" in paths


def test_every_link_points_to_a_page_or_a_download(bundled):
    pages = all_pages(bundled)
    targets = {p.path for p in pages} | {f"downloads/{d.name}" for d in bundled.downloads}
    for page in pages:
        for href in page.links():
            assert href in targets, (page.path, href)


def test_pages_with_a_map_say_which(bundled):
    pages = {p.path: p for p in all_pages(bundled)}
    assert pages["index.html"].map == MapSpec("network")
    assert pages["maps/actors.html"].map == MapSpec("actors")
    assert pages["partnerships/p-fuldkorn.html"].map == MapSpec("network", partnership="p-fuldkorn")
    assert pages["actors/kl.html"].map is None


def test_index_describes_the_data(bundled):
    index = bundled.index_page()
    about = section(index, "about")
    facts = {f.term: f.value for f in about.facts}
    assert facts["Bygget"] == "2024-01-31"
    assert facts["partnernet-version"]
    assert facts["Omfang"] == "34 aktører, 9 partnerskaber, 43 medlemskaber, 0 direkte samarbejder"
    assert [s.id for s in index.sections] == ["about", "map", "sectors", "coverage", "top-actors", "top-brokers",
                                             "pages"]
    legend = section(index, "sectors").legend
    assert [item.label for item in legend][:3] == ["Stat", "Region", "Kommune"]
    assert sum(item.count for item in legend) == 34


def test_coverage_grid_marks_present_and_missing_sectors(bundled, bundled_graph):
    grid = table(section(bundled.index_page(), "coverage"), "coverage-grid")
    assert grid.kind == "grid"
    assert len(grid.rows) == 9
    sectors = bundled.sector_ids
    for row in grid.rows:
        pid = next(p for p in bundled.partnership_ids if bundled.partnership_href(p) == row[0].href)
        counts = {}
        for m in members(bundled_graph, pid):
            s = bundled_graph.nodes[m]["sector"]
            counts[s] = counts.get(s, 0) + 1
        for sid, cell in zip(sectors, row[2:-1]):
            if counts.get(sid):
                assert cell.cls == "cell-filled" and cell.text == str(counts[sid])
            else:
                assert cell.cls == "cell-empty" and cell.text == "" and "mangler" in cell.title


def test_top_actors_are_sorted_by_betweenness(bundled):
    t = table(section(bundled.index_page(), "top-actors"), "top-actors")
    values = [row[4].sort for row in t.rows]
    assert values == sorted(values, reverse=True)
    assert len(t.rows) == 10
    assert t.rows[0][0].text == "KL"


def test_partnership_page_shows_members_sectors_and_candidates(bundled):
    page = bundled.partnership_page("p-groenne-indkoeb")
    assert page.heading == "Partnerskab for Offentlige Grønne Indkøb"
    assert page.breadcrumbs[-1].href == "partnerships.html"
    mem = table(section(page, "members"), "members")
    assert len(mem.rows) == 9
    roles = {row[0].text: row[3].text for row in mem.rows}
    assert roles["Miljøstyrelsen"] == "leder"
    sectors = table(section(page, "sectors"), "sectors")
    status = {row[0].text: row[3].text for row in sectors.rows}
    assert status["Kommune"] == "Til stede" and status["Civilsamfund"] == "Mangler"
    cand = table(section(page, "candidates"), "candidates")
    assert cand.rows, "candidates for the missing sectors"
    assert {row[0].text for row in cand.rows} <= {"Kommunale og regionale foreninger", "Erhvervs- og arbejdsmarkedsorganisation",
                                                  "Civilsamfund", "Viden og uddannelse"}
    assert all(int(row[1].text) <= 3 for row in cand.rows if row[1].text)
    facts = {f.term: f.value for f in section(page, "facts").facts}
    assert facts["Medlemmer"] == "9" and facts["Dækning"] == "50 %"


def test_sector_page_splits_partnerships_into_in_and_absent(bundled):
    page = bundled.sector_page("municipality")
    present = table(section(page, "in"), "sector-in")
    absent = table(section(page, "absent"), "sector-absent")
    assert len(present.rows) + len(absent.rows) == 9
    assert {r[0].text for r in present.rows} & {r[0].text for r in absent.rows} == set()
    actors = table(section(page, "actors"), "sector-actors")
    assert len(actors.rows) == 9
    facts = {f.term for f in section(page, "facts").facts}
    assert "E-I-indeks" in facts


def test_actor_page_shows_partnerships_partners_measures_brokerage(bundled):
    page = bundled.actor_page("kl")
    parts = table(section(page, "partnerships"), "actor-partnerships")
    assert len(parts.rows) == 2
    partners = table(section(page, "partners"), "actor-partners")
    assert len(partners.rows) == 10
    measures = {f.term for f in section(page, "measures").facts}
    assert {"Betweenness", "Grad", "Closeness", "Eigenvector", "PageRank"} <= measures
    broker = {f.term: f.value for f in section(page, "brokerage").facts}
    assert broker["Vigtigste mæglerrolle"]


def test_actor_pages_are_capped_to_the_most_central_and_say_so(bundled_graph):
    site = site_for(bundled_graph, max_actor_pages=5)
    assert len(site.page_actors) == 5
    assert "kl" in site.page_actors
    assert site.actor_pages_note() == ("5 af 34 aktører har deres egen side: dem med højest betweenness (grænse: 5). "
                                       "De øvrige står i tabellerne under Downloads.")
    pages = all_pages(site)
    assert sum(p.kind == "actor" for p in pages) == 5
    targets = {p.path for p in pages} | {f"downloads/{d.name}" for d in site.downloads}
    for page in pages:
        for href in page.links():
            assert href in targets
    # actors without a page appear as plain text
    mem = table(section(site.partnership_page("p-groenne-indkoeb"), "members"), "members")
    assert any(row[0].href is None for row in mem.rows)
    assert all_pages(site_for(bundled_graph))[3].lead == "Alle 34 aktører har deres egen side."


def test_english_texts(bundled_graph):
    site = site_for(bundled_graph, lang="en", title="Partnerships in Denmark", org="Ministry")
    index = site.index_page()
    assert index.heading == "Partnerships in Denmark"
    assert section(index, "about").heading == "About the data"
    assert [n.text for n in site.nav()] == ["Home", "Partnerships", "Sectors", "Actors", "Maps", "Downloads"]
    page = site.partnership_page("p-groenne-indkoeb")
    facts = {f.term: f.value for f in section(page, "facts").facts}
    assert facts["Coverage"] == "50 %"
    assert site.sector_page("state").heading == "State"


def test_numbers_are_formatted_for_the_language(bundled_graph):
    da = site_for(bundled_graph).actor_page("kl")
    en = site_for(bundled_graph, lang="en").actor_page("kl")
    b_da = {f.term: f.value for f in section(da, "measures").facts}["Betweenness"]
    b_en = {f.term: f.value for f in section(en, "measures").facts}["Betweenness"]
    assert "," in b_da and "." in b_en
    assert b_da.replace(",", ".") == b_en


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
    assert section(site.index_page(), "top-brokers").tables[0].rows == ()


def test_empty_graph_still_has_every_overview_page():
    g = graph_from_records([], [])
    site = build_site(g, {}, SiteOptions())
    assert [p.kind for p in site.pages()] == ["index", "partnerships", "sectors", "actors", "maps", "downloads",
                                               "map", "map", "map"] + ["sector"] * 8


def test_cells_are_shared_per_value_but_never_across_written_forms(bundled):
    assert bundled.num_cell(3) is bundled.num_cell(3)
    assert bundled.actor_cell("kl") is bundled.actor_cell("kl")
    # equal values written differently keep cells of their own: 1 / 1.0 / True, 0.0 / -0.0
    assert bundled.num_cell(1) is not bundled.num_cell(1.0)
    assert bundled.num_cell(True) is not bundled.num_cell(1)
    assert repr(bundled.num_cell(-0.0000001).sort) == "-0.0" and repr(bundled.num_cell(0.0).sort) == "0.0"
    assert bundled.num_cell(0.5).text != bundled.percent_cell(0.5).text
    assert bundled.text_cell("x", sort=1) is not bundled.text_cell("x", sort=1.0)
    nan = bundled.num_cell(float("nan"))
    assert nan.text == "" and nan.sort is None


def test_most_shared_partners_are_those_of_the_full_ranking():
    import random

    from partnernet.views.site import MAX_PARTNER_ROWS, _most_shared

    rng = random.Random(7)
    for _ in range(20):
        partners = {f"a{i:04d}" for i in range(rng.randint(MAX_PARTNER_ROWS + 1, 3 * MAX_PARTNER_ROWS))}
        shared = {m: rng.choice((1, 1, 1, 2, 2, 3)) for m in partners if rng.random() < 0.9}
        ties = {m: 1.0 for m in partners if rng.random() < 0.2}
        label = {m: rng.choice("abcAB") + m for m in partners}

        def by_label(ids):
            return sorted(ids, key=lambda m: (label[m].casefold(), m))

        full = sorted(partners, key=lambda m: (-shared.get(m, 0), m not in ties, label[m].casefold(), m))
        assert _most_shared(partners, shared, ties, by_label) == set(full[:MAX_PARTNER_ROWS])


def test_by_label_orders_by_folded_label_then_id_also_for_unknown_ids(bundled):
    ids = list(bundled.actor_ids) + list(bundled.partnership_ids)
    expected = sorted(ids, key=lambda n: (bundled.label(n).casefold(), n))
    assert bundled.by_label(reversed(ids)) == expected
    assert bundled.by_label(ids + ["zz-not-a-node"]) == sorted(
        ids + ["zz-not-a-node"], key=lambda n: (bundled.label(n).casefold(), n))


def test_gap_rows_are_grouped_in_table_order(bundled):
    gaps = bundled.tables["gaps"]
    for pid in bundled.partnership_ids:
        assert bundled.gaps.get(pid) == [r for r in gaps.iter_rows(named=True) if r["partnership"] == pid]
    assert bundled.gaps.get("no-such-partnership") == []


def test_long_lists_show_the_largest_and_say_so(bundled_graph, monkeypatch):
    """Above MAX_LIST_ROWS the coverage grid and sector lists keep the largest rows, with a note."""
    from partnernet.views import site as V

    monkeypatch.setattr(V, "MAX_LIST_ROWS", 3)
    site = site_for(bundled_graph)
    grid = table(section(site.page("index", ""), "coverage"), "coverage-grid")
    assert len(grid.rows) == 3
    assert grid.note == "Viser de 3 største af 9 partnerskaber (flest medlemmer). Alle står på siden Partnerskaber og i downloads."
    sizes = {p: site.coverage[p]["members"] for p in site.partnership_ids}
    largest = sorted(sizes, key=lambda p: (-sizes[p], p))[:3]
    shown = [row[0].href.rsplit("/", 1)[-1].removesuffix(".html") for row in grid.rows]
    assert sorted(shown) == sorted(site.p_slug[p] for p in largest)

    sector = max(site.sector_ids, key=lambda s: sum(1 for a in site.actor_ids if site.sector_of(a) == s))
    page = site.page("sector", sector)
    actors = table(section(page, "actors"), "sector-actors")
    n_actors = sum(1 for a in site.actor_ids if site.sector_of(a) == sector)
    assert n_actors > 3 and len(actors.rows) == 3
    assert actors.note.startswith(f"Viser de 3 af {n_actors} aktører med højest betweenness")


def test_short_lists_have_no_note(bundled):
    grid = table(section(bundled.page("index", ""), "coverage"), "coverage-grid")
    assert grid.note is None and len(grid.rows) == 9
