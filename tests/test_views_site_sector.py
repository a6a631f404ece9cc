"""The page of one sector."""

from .site_util import bundled, bundled_graph, section, table  # noqa: F401 (fixtures)


def test_sector_page_splits_partnerships_into_in_and_absent(bundled):
    page = bundled.page("sector", "municipality")
    present = table(section(page, "in"), "sector-in")
    absent = table(section(page, "absent"), "sector-absent")
    assert len(present.rows) + len(absent.rows) == 9
    assert {r[0].text for r in present.rows} & {r[0].text for r in absent.rows} == set()
    actors = table(section(page, "actors"), "sector-actors")
    assert len(actors.rows) == 9
    facts = {f.term for f in section(page, "facts").facts}
    assert "E-I-indeks" in facts


def test_sector_page_counts_declared_partnerships_as_in_not_absent(bundled):
    page = bundled.page("sector", "civil_society")
    inside = {row[0].text: row[1].text for row in table(section(page, "in"), "sector-in").rows}
    absent = {row[0].text for row in table(section(page, "absent"), "sector-absent").rows}
    assert inside["Fuldkornspartnerskabet"] == "1 unavngivet"
    assert "Fuldkornspartnerskabet" not in absent and "Partnerskab for Grøn Skibsfart" in absent
