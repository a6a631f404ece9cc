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
