"""The map's column dictionary: which columns a page can colour, filter and size by, written compactly."""

from __future__ import annotations

import itertools
import json

import pytest

from partnernet import schema
from partnernet.graph import graph_from_records
from partnernet.views.map import OTHER_COLOR, map_view
from partnernet.views.map_columns import CATEGORY_COLORS, MAX_CATEGORY_TEXT, map_columns

from .colour_util import ciede2000, srgb_to_lab
from .test_schema import MIN_DELTA_E

NOTE = "x" * (MAX_CATEGORY_TEXT + 1)


@pytest.fixture
def countries():
    """Five actors in three countries (DK twice as often), one partnership with a budget and years."""
    nodes = [{"id": "p", "kind": "partnership", "budget": "1500,5", "start": 2012, "end": 2014}]
    for i, (aid, country) in enumerate([("a", "DK"), ("b", "DK"), ("c", "SE"), ("d", "NO"), ("e", "DK")]):
        nodes.append({"id": aid, "sector": "state" if i % 2 else "business", "country": country,
                      "note": f"{NOTE}{i}", "code": f"c{i}", "staff": str(10 * i)})
    edges = [{"source": a, "target": "p", **({"start": 2013} if a == "a" else {})} for a in "abcde"]
    return graph_from_records(nodes=nodes, edges=edges)


def columns_of(view) -> dict[str, dict]:
    return {c["id"]: c for c in view.columns["columns"]}


def test_category_colours_are_visibly_apart_from_each_other_and_the_map_greys():
    colours = {c: c for c in CATEGORY_COLORS}
    colours.update({"(no sector)": schema.NO_SECTOR_COLOR, "(partnership)": schema.PARTNERSHIP_COLOR,
                    "(other)": OTHER_COLOR})
    close = [f"{a}/{b}" for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2)
             if ciede2000(srgb_to_lab(ca), srgb_to_lab(cb)) < MIN_DELTA_E]
    assert not close
    assert len(set(CATEGORY_COLORS)) == len(CATEGORY_COLORS)


def test_a_repeating_short_text_is_a_category_with_one_index_per_node(countries):
    view = map_view(countries, lang="en")
    col = columns_of(view)["country"]
    assert col["type"] == "category"
    assert col["values"] == ["DK", "NO", "SE"]  # most frequent first, then by value
    assert col["colors"] == list(CATEGORY_COLORS[:3])
    ids = [n["id"] for n in view.nodes]
    index = col["index"] + [-1] * (len(ids) - len(col["index"]))  # the empty values at the end are left off
    assert len(col["index"]) == 5  # the partnership, last, has none
    assert [col["values"][k] if k >= 0 else None for k in index] == [
        {"a": "DK", "b": "DK", "c": "SE", "d": "NO", "e": "DK"}.get(i) for i in ids]


def test_notes_and_identifiers_are_not_categories_and_numbers_are_numbers(countries):
    cols = columns_of(map_view(countries, lang="en"))
    assert "note" not in cols and "code" not in cols
    assert cols["budget"]["type"] == "number" and 1500.5 in cols["budget"]["values"]
    assert cols["staff"]["type"] == "number" and sorted(v for v in cols["staff"]["values"] if v is not None) == [
        0, 10, 20, 30, 40]


def test_sector_and_group_columns_use_the_build_colours(countries):
    view = map_view(countries, lang="en")
    cols = columns_of(view)
    colour = {n["id"]: n["color"] for n in view.nodes}
    sector = cols["sector"]
    index = sector["index"] + [-1] * (len(view.nodes) - len(sector["index"]))
    for n, k in zip(view.nodes, index):
        if n["kind"] == "actor":
            assert sector["colors"][k] == colour[n["id"]]
        else:
            assert k == -1
    group = cols["group"]
    assert group["values"] == ["public", "private"] and "index" not in group
    # the group of each sector value, not of each node
    assert group["of"] == {"column": "sector", "index": [group["values"].index(
        {"state": "public", "business": "private"}[s]) for s in sector["values"]]}


def test_years_are_rows_of_the_items_that_have_one(countries):
    view = map_view(countries, lang="en")
    years = view.columns["years"]
    assert (years["min"], years["max"]) == (2012, 2014)
    at = [n["id"] for n in view.nodes].index("p")
    assert years["nodes"] == [[at, 2012, 2014]]
    [row] = years["edges"]
    assert view.edges[row[0]]["from"] == "a" and row[1:] == [2013, None]


def test_no_years_no_time_slider_data():
    g = graph_from_records(nodes=[{"id": "p", "kind": "partnership"}, {"id": "a"}, {"id": "b"}],
                           edges=[{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    assert "years" not in map_view(g).columns


def test_the_dictionary_is_deterministic_and_plain_json(countries):
    a, b = map_view(countries, lang="da"), map_view(countries, lang="da")
    assert json.dumps(a.columns, sort_keys=True) == json.dumps(b.columns, sort_keys=True)
    assert json.loads(json.dumps(a.columns, allow_nan=False)) == a.columns


def test_map_columns_on_a_missing_sector_place_gives_no_values(countries):
    nodes = [{"id": "missing:state", "kind": "missing", "sector": "state"}]
    out = map_columns(countries, nodes, [], lang="en", sectors=[("state", "State", "#000000")], groups={},
                      communities=None, other_color=OTHER_COLOR)
    assert out == {"columns": []}
