"""The Suggestions page and each partnership's suggestions download."""

from partnernet.views.site.suggestions import suggestion_rows

from .site_util import bundled, bundled_graph, section, site_for, table  # noqa: F401 (fixtures)


def test_one_section_per_missing_sector_with_a_filter(bundled):
    page = bundled.page("suggestions")
    assert page.path == "suggestions.html" and page.kind == "suggestions"
    sector_sections = [s for s in page.sections if s.id.startswith("sector-")]
    assert sector_sections and page.sections[-1].id == "downloads"
    assert [c[0] for c in page.filter.choices] == [s.id for s in sector_sections]
    assert page.filter.choices[0][1] == "Region" and page.filter.all == "Alle sektorer"


def test_candidates_show_the_honest_columns_and_same_sector_only_apart(bundled):
    page = bundled.page("suggestions")
    municipality = section(page, "sector-municipality")
    linked = table(municipality, "linked-municipality")
    assert [c.label for c in linked.columns] == ["Partnerskab", "Nr.", "Kandidat", "Begrundelse",
                                                 "Fælles partnerskaber", "Forbundne medlemmer", "I andre lister"]
    assert linked.columns[1].help == "method.html#s-suggestions"
    ranks = {r[1].text for r in linked.rows}
    assert "1=" in ranks  # tied candidates share a rank
    assert all(r[2].href and r[2].href.startswith("actors/") for r in linked.rows)
    assert all(r[3].text for r in linked.rows)  # every candidate has a reason
    only = table(section(page, "sector-region"), "only-region")
    assert only.rows and all("ingen forbindelse" in r[3].text for r in only.rows)


def test_fuldkorn_and_sundere_liv_have_reasoned_suggestions(bundled):
    page = bundled.page("suggestions")
    listed = {r[0].text for s in page.sections for t in s.tables for r in t.rows}
    assert {"Fuldkornspartnerskabet", "Sundere liv for alle – en partnerskabsstrategi"} <= listed
    for pid in ("p-fuldkorn", "p-sundere-liv"):
        cands = section(bundled.page("partnership", pid), "candidates")
        rows = [r for t in cands.tables for r in t.rows]
        assert rows and all(r[3].text for r in rows)
        assert cands.links[0].href == f"downloads/suggestions/{pid}.csv"
        status = {r[0].text: r[3].text for r in table(section(bundled.page("partnership", pid), "sectors"),
                                                      "sectors").rows}
        assert any("unavngiv" in v for v in status.values())  # declared sectors: present (unnamed)
        missing = bundled.coverage[pid]["missing"]
        assert {r[0].text for r in rows} <= {bundled.sector_label(s) for s in missing}


def test_every_listed_partnership_has_its_download(bundled):
    files = table(section(bundled.page("suggestions"), "downloads"), "suggestion-files")
    assert [r[2].href for r in files.rows] == [bundled.suggestions_href(p)
                                               for p in bundled.by_label(bundled.suggestion_ids)]


def test_suggestion_rows_have_danish_headers_and_sector_labels(bundled):
    header, rows = suggestion_rows(bundled, "p-fuldkorn")
    assert header[:4] == ["Partnerskab", "Manglende sektor", "Nr.", "Kandidat"] and header[-1] == "Begrundelse"
    assert {r[1] for r in rows} <= {"Region", "Kommune", "Kommunale og regionale foreninger"}
    assert len(rows) == len(bundled.gaps.get("p-fuldkorn"))  # all rows, not only the top ones
    assert {r[9] for r in rows} == {"ja"}  # Fuldkorn's candidates are all same-sector-only


def test_english_headers(bundled_graph):
    header, _ = suggestion_rows(site_for(bundled_graph, lang="en"), "p-fuldkorn")
    assert header[:3] == ["Partnership", "Missing sector", "Rank"]


def test_the_page_is_capped_on_large_networks(monkeypatch, bundled_graph):
    from partnernet.views.site import suggestions

    monkeypatch.setattr(suggestions, "MAX_LIST_ROWS", 5)
    page = site_for(bundled_graph).page("suggestions")
    shown = {r[0].text for s in page.sections if s.id.startswith("sector-") for t in s.tables for r in t.rows}
    assert 1 <= len(shown) < 9 and "Viser forslagene for" in page.lead


def test_a_download_never_carries_a_live_formula():
    from partnernet.export.tables import csv_rows
    from partnernet.graph import graph_from_records

    g = graph_from_records(
        [{"id": "p", "kind": "partnership", "label": "=HYPERLINK(\"x\")"}, {"id": "q", "kind": "partnership"},
         {"id": "a", "sector": "state"}, {"id": "b", "sector": "state"}, {"id": "c", "sector": "business",
                                                                           "label": "+Firma"}],
        [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}, {"source": "a", "target": "q"},
         {"source": "c", "target": "q"}])
    site = site_for(g)
    header, rows = suggestion_rows(site, "p")
    text = csv_rows(header, rows, excel=True).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Firma" in text
    assert not any(cell.startswith(("=", "+")) for line in text.split("\r\n") for cell in line.split(";"))
