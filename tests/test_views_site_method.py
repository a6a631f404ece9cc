"""The Method page: sectors with examples, each measure explained, the back-test in a sentence and a table."""

import polars as pl

from partnernet.views.site.method import MIN_BACKTEST_CASES

from .site_util import bundled, bundled_graph, section, site_for, table  # noqa: F401 (fixtures)


def test_method_page_explains_every_key_figure(bundled):
    page = bundled.page("method")
    assert page.path == "method.html" and page.kind == "method"
    ids = [s.id for s in page.sections]
    assert ids == ["sectors", "helix", "coverage", "diversity", "ei-index", "centrality", "brokerage", "communities",
                   "suggestions", "backtest"]
    from partnernet.views.site.context import HELP_TOPICS
    assert set(HELP_TOPICS.values()) <= set(ids)  # every "?" link has its anchor
    assert "Blau" in section(page, "diversity").heading
    assert any("Louvain" in p for p in section(page, "communities").text)
    assert any("Borgatti" in p for p in section(page, "centrality").text)


def test_sectors_show_examples_from_the_data(bundled):
    rows = table(section(bundled.page("method"), "sectors"), "method-sectors").rows
    by_sector = {r[0].text: r for r in rows}
    assert "KL" in by_sector["Kommunale og regionale foreninger"][2].text
    assert by_sector["Stat"][1].text == "Offentlig"
    helix = {f.term: f.value for f in section(bundled.page("method"), "helix").facts}
    assert "Stat" in helix["Offentlig"] and "Erhverv" in helix["Privat"]


def test_backtest_in_a_sentence_and_against_the_baselines(bundled):
    sec = section(bundled.page("method"), "backtest")
    bt = bundled.tables["backtest"]
    cases = bt["cases"][0]
    hit5 = round(bt.filter(pl.col("method") == "partnernet")["hit_5"][0] * 100)
    assert any(f"blandt de første 5 forslag i {hit5}\u00a0% af {cases} test" in p for p in sec.text)
    assert cases < MIN_BACKTEST_CASES and any("for få" in p for p in sec.text)  # the bundled data: 3 cases
    rows = table(sec, "backtest").rows
    assert [r[0].text.split(" ")[0] for r in rows] == ["partnernet", "Popularitet", "Fælles", "Massediffusion"]


def test_backtest_with_no_cases_says_so(bundled_graph):
    from partnernet.metrics.suite import compute_tables
    from partnernet.views.site.build import build_site
    from partnernet.views.site.model import SiteOptions

    tables, _ = compute_tables(bundled_graph, only=["coverage"])
    empty = pl.DataFrame({"method": ["partnernet"], "hit_1": [0.0], "hit_5": [0.0], "hit_10": [0.0],
                          "mrr_10": [0.0], "distinct_top10": [0], "cases": [0]})
    site = build_site(bundled_graph, {**tables, "backtest": empty}, SiteOptions(lang="en"))
    text = section(site.page("method"), "backtest").text
    assert any("No test could be made" in p for p in text)
    site = build_site(bundled_graph, tables, SiteOptions(lang="en"))
    assert any("not computed" in p for p in section(site.page("method"), "backtest").text)


def test_english_method_page(bundled_graph):
    page = site_for(bundled_graph, lang="en").page("method")
    text = section(page, "backtest").text
    assert page.heading.startswith("Method") and any("among the first 5 suggestions in" in p for p in text)


def test_key_figures_link_to_their_explanation(bundled):
    partnership = bundled.page("partnership", bundled.partnership_ids[0])
    facts = {f.term: f.help for s in partnership.sections for f in s.facts}
    assert facts["Dækning"] == "method.html#s-coverage" and facts["Diversitet"] == "method.html#s-diversity"
    cols = {c.label: c.help for c in table(section(bundled.page("sectors"), "sectors"), "sectors").columns}
    assert cols["E-I-indeks"] == "method.html#s-ei-index"
    cols = {c.label: c.help for c in table(section(bundled.page("index"), "top-actors"), "top-actors").columns}
    assert cols["Betweenness"] == "method.html#s-centrality"
    assert "method.html#s-coverage" in set(bundled.page("partnerships").links())
