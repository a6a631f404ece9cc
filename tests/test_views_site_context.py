"""The site context: shared cells, name order, grouped gap rows, capped lists."""

from partnernet.graph import members

from .site_util import bundled, bundled_graph, section, site_for, table  # noqa: F401 (fixtures)


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
    from partnernet.views.site import context

    monkeypatch.setattr(context, "MAX_LIST_ROWS", 3)
    site = site_for(bundled_graph)
    grid = table(section(site.page("index", ""), "coverage"), "coverage-grid")
    assert len(grid.rows) == 3
    assert grid.note == "Viser 3 af 9 partnerskaber: de største (flest medlemmer). Alle står på siden Partnerskaber og i downloads."
    sizes = {p: site.coverage[p]["members"] for p in site.partnership_ids}
    largest = sorted(sizes, key=lambda p: (-sizes[p], p))[:3]
    shown = [row[0].href.rsplit("/", 1)[-1].removesuffix(".html") for row in grid.rows]
    assert sorted(shown) == sorted(site.p_slug[p] for p in largest)

    sector = max(site.sector_ids, key=lambda s: sum(1 for a in site.actor_ids if site.sector_of(a) == s))
    page = site.page("sector", sector)
    actors = table(section(page, "actors"), "sector-actors")
    n_actors = sum(1 for a in site.actor_ids if site.sector_of(a) == sector)
    assert n_actors > 3 and len(actors.rows) == 3
    assert actors.note.startswith(f"Viser 3 af {n_actors} aktører: dem med højest betweenness")


def test_short_lists_have_no_note(bundled):
    grid = table(section(bundled.page("index", ""), "coverage"), "coverage-grid")
    assert grid.note is None and len(grid.rows) == 9
