"""The site model's own behaviour: a page's links and depth, when a table gets a filter box."""

from partnernet.views.site.model import FILTER_MIN_ROWS, Cell, Column, Fact, Link, Page, Section, Table


def test_page_links_and_depth():
    t = Table("t", "T", (Column("a"),), ((Cell("x", href="actors/x.html"),), (Cell("y"),)))
    page = Page("partnerships/p.html", "partnership", "P", "P", breadcrumbs=(Link("Hjem", "index.html"), Link("P")),
                sections=(Section("s", "S", facts=(Fact("f", "v", "sectors/s.html"),), tables=(t,),
                                  links=(Link("maps", "maps.html"),)),))
    assert list(page.links()) == ["index.html", "sectors/s.html", "maps.html", "actors/x.html"]
    assert page.depth == 1 and Page("index.html", "index", "", "").depth == 0


def test_long_tables_get_a_filter_box():
    row = (Cell("x"),)
    assert not Table("t", "T", (Column("a"),), (row,) * FILTER_MIN_ROWS).filterable
    assert Table("t", "T", (Column("a"),), (row,) * (FILTER_MIN_ROWS + 1)).filterable
