"""The index page: facts about the data, the coverage grid, the top actors."""

from partnernet.graph import members

from .site_util import bundled, bundled_graph, section, table  # noqa: F401 (fixtures)


def test_index_describes_the_data(bundled):
    index = bundled.page("index")
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
    grid = table(section(bundled.page("index"), "coverage"), "coverage-grid")
    assert grid.kind == "grid"
    assert len(grid.rows) == 9
    sectors = bundled.sector_ids
    for row in grid.rows:
        pid = next(p for p in bundled.partnership_ids if bundled.partnership_href(p) == row[0].href)
        counts = {}
        for m in members(bundled_graph, pid):
            s = bundled_graph.nodes[m]["sector"]
            counts[s] = counts.get(s, 0) + 1
        unnamed = bundled_graph.nodes[pid].get("declared") or {}
        for sid, cell in zip(sectors, row[2:-1]):
            if counts.get(sid):
                assert cell.cls == "cell-filled" and cell.text == str(counts[sid])
            elif unnamed.get(sid):  # present only through declared unnamed members
                assert cell.cls == "cell-filled" and cell.text == f"({unnamed[sid]})" and "unavngiv" in cell.title
            else:
                assert cell.cls == "cell-empty" and cell.text == "" and "mangler" in cell.title


def test_coverage_grid_shows_declared_sectors_as_present_unnamed(bundled):
    grid = table(section(bundled.page("index"), "coverage"), "coverage-grid")
    row = next(r for r in grid.rows if r[0].text == "Fuldkornspartnerskabet")
    cells = dict(zip(bundled.sector_ids, row[2:-1]))
    assert (cells["business"].text, cells["business"].title) == ("(5)", "Erhverv: 5 unavngivne medlemmer")
    assert cells["civil_society"].title == "Civilsamfund: 1 unavngivet medlem"
    assert cells["state"].text == "1" and cells["municipality"].cls == "cell-empty"


def test_top_actors_are_sorted_by_betweenness(bundled):
    t = table(section(bundled.page("index"), "top-actors"), "top-actors")
    values = [row[4].sort for row in t.rows]
    assert values == sorted(values, reverse=True)
    assert len(t.rows) == 10
    assert t.rows[0][0].text == "KL"
