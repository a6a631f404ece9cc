"""The page of one partnership."""

import pytest

from partnernet.graph import members

from .site_util import bundled, bundled_graph, section, site_for, structural_funds, table  # noqa: F401 (fixtures)


def test_the_lead_counts_in_words(bundled):
    """The bundled partnership with a single member: singular forms, not "1 medlemmer fra 1 sektorer"."""
    assert bundled.page("partnership", "p-fuldkorn").lead == "Partnerskab med 1 medlem fra 1 sektor."
    assert bundled.page("partnership", "p-groenne-indkoeb").lead.startswith("Partnerskab med 9 medlemmer fra ")


def test_partnership_page_shows_members_sectors_and_candidates(bundled):
    page = bundled.page("partnership", "p-groenne-indkoeb")
    assert page.heading == "Partnerskab for Offentlige Grønne Indkøb"
    assert page.breadcrumbs[-1].href == "partnerships.html"
    mem = table(section(page, "members"), "members")
    assert len(mem.rows) == 9
    roles = {row[0].text: row[3].text for row in mem.rows}
    assert roles["Miljøstyrelsen"] == "leder"
    sectors = table(section(page, "sectors"), "sectors")
    status = {row[0].text: row[3].text for row in sectors.rows}
    assert status["Kommune"] == "Til stede (5 unavngivne)" and status["Civilsamfund"] == "Mangler"
    assert status["Stat"] == "Til stede"
    cand = table(section(page, "candidates"), "candidates")
    assert cand.rows, "candidates for the missing sectors"
    assert {row[0].text for row in cand.rows} <= {"Kommunale og regionale foreninger", "Erhvervs- og arbejdsmarkedsorganisation",
                                                  "Civilsamfund", "Viden og uddannelse"}
    assert all(int(row[1].text.rstrip("=")) <= 3 for row in cand.rows if row[1].text)  # "2=": a shared rank
    facts = {f.term: f.value for f in section(page, "facts").facts}
    assert facts["Medlemmer"] == "9" and facts["Dækning"] == "50\xa0%"  # CLDR: a no-break space before %


def test_partnership_page_lists_declared_sectors_as_present_not_missing(bundled):
    page = bundled.page("partnership", "p-sundere-liv")
    status = {row[0].text: row[3].text for row in table(section(page, "sectors"), "sectors").rows}
    assert status == {"Stat": "Til stede", "Region": "Til stede (1 unavngivet)", "Kommune": "Til stede (1 unavngivet)",
                      "Kommunale og regionale foreninger": "Mangler", "Erhverv": "Til stede (1 unavngivet)",
                      "Erhvervs- og arbejdsmarkedsorganisation": "Til stede (1 unavngivet)",
                      "Civilsamfund": "Til stede (1 unavngivet)", "Viden og uddannelse": "Mangler"}
    assert section(page, "sectors").text == ("Mangler: Kommunale og regionale foreninger, Viden og uddannelse.",)
    cand = table(section(page, "candidates"), "candidates")
    assert {row[0].text for row in cand.rows} == {"Kommunale og regionale foreninger", "Viden og uddannelse"}


def test_partnership_page_shows_own_columns_and_evidence_next_to_each_member(tmp_path):
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    from .site_util import write_columns_data

    g = build_graph(load(locate(write_columns_data(tmp_path))))
    page = site_for(g).page("partnership", "p1")
    assert [(f.term, f.value) for f in section(page, "columns").facts] == [("budget", "1.234.567,5")]  # no _note
    en = site_for(g, lang="en").page("partnership", "p1")
    assert [(f.term, f.value) for f in section(en, "columns").facts] == [("budget", "1,234,567.5")]
    mem = table(section(page, "members"), "members")
    assert mem.columns[-1].label == "evidence"
    quotes = {row[0].text: (row[-1].text, row[-1].cls) for row in mem.rows}
    assert quotes["Miljøstyrelsen"] == ("Miljøstyrelsen deltager i styregruppen.", None)
    assert quotes["Aarhus Kommune"][1] == "long" and quotes["Novo Nordisk"][0] == ""


def test_bundled_partnership_page_shows_the_declared_note_folded(bundled):
    page = bundled.page("partnership", "p-groenne-indkoeb")
    facts = {f.term: f for f in section(page, "columns").facts}
    assert facts["declared_members"].value == "9" and not facts["declared_members"].fold
    assert facts["declared_note"].fold
    assert table(section(page, "members"), "members").columns[-1].label == "evidence"


@pytest.mark.skipif(not (structural_funds() / "nodes.csv").is_file(), reason="shared real data not present")
def test_real_partnership_pages_show_theme_region_years_and_the_budget():
    """dk-structural-funds: theme, region and period are shown as written, the years as the period, and
    budget_dkk (which mixes 32467,02 and 15.414.794) the language's way."""
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    g = build_graph(load(locate(structural_funds())))
    page = site_for(g).page("partnership", "p0001-det-danske-seafood-center-d089")
    own = {f.term: f.value for f in section(page, "columns").facts}
    assert own == {"fund": "ERDFN", "theme": "Innovation og videndeling", "region": "Nordjylland",
                   "budget_dkk": "32.467,02", "period": "2007-2013"}
    assert {f.term: f.value for f in section(page, "facts").facts}["Periode"] == "2007–2011"
    en = site_for(g, lang="en").page("partnership", "p0001-det-danske-seafood-center-d089")
    assert {f.term: f.value for f in section(en, "columns").facts}["budget_dkk"] == "32,467.02"
