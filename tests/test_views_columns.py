"""The data's own columns: which are shown, in which order, and how their values are written."""

from __future__ import annotations

import pytest

from partnernet.errors import OptionError
from partnernet.views.columns import (FOLD_AT, DataColumns, data_columns, fold_summary, is_long, tooltip_lines)

from .conftest import make_graph


@pytest.fixture
def own_graph():
    """p (budget with a decimal comma, an internal _note), a (country, kontaktperson), b (country empty);
    a–p carries an evidence quote."""
    return make_graph(
        nodes=[{"id": "p", "kind": "partnership", "budget": "1.234,5", "_note": "intern"},
               {"id": "q", "kind": "partnership", "budget": "15.414.794"},
               {"id": "a", "sector": "state", "country": "Danmark", "kontaktperson": "Åse Ørn", "zip": "8000"},
               {"id": "b", "sector": "business", "country": "", "zip": "2100"}],
        edges=[{"source": "a", "target": "p", "evidence": "Citat."}, {"source": "b", "target": "q"}])


def test_own_columns_in_file_order_without_hidden_ones(own_graph):
    c = data_columns(own_graph)
    assert c.nodes == ("budget", "country", "kontaktperson", "zip")  # _note: internal
    assert c.edges == ("evidence",)
    assert data_columns(own_graph, ["zip", "evidence"]).nodes == ("budget", "country", "kontaktperson")
    assert data_columns(own_graph, ["evidence"]).edges == ()


def test_values_skip_empty_and_write_numbers_the_language_way(own_graph):
    c = data_columns(own_graph)
    g = own_graph
    assert c.node_values(g.nodes["p"], "da") == [("budget", "1.234,5")]
    assert c.node_values(g.nodes["p"], "en") == [("budget", "1,234.5")]
    assert c.node_values(g.nodes["q"], "en") == [("budget", "15,414,794")]
    assert c.node_values(g.nodes["b"], "da") == [("zip", "2100")]     # empty country left out; a postcode as written
    assert c.edge_values(g.edges["a", "p"], "da") == [("evidence", "Citat.")]


@pytest.mark.parametrize(("values", "shown"), [
    (["1,5", "2"], "1,5"),              # decimal comma
    (["1.5", "1,234.5"], "1,5"),        # decimal point, commas between thousands: written the Danish way
    (["7.500", "12.000"], "7.500"),     # reads both ways: shown as written
    (["2014", "2020"], "2014"),         # whole numbers: as written
    (["1,5", "mange"], "1,5"),          # not all numbers: text
])
def test_a_column_is_a_number_only_when_it_reads_one_way(values, shown):
    g = make_graph([{"id": f"a{i}", "sector": "state", "x": v} for i, v in enumerate(values)], [])
    assert data_columns(g).node_values(g.nodes["a0"], "da") == [("x", shown)]


def test_unknown_hidden_column_is_an_option_error_with_a_suggestion(own_graph):
    with pytest.raises(OptionError, match='"kontakt" is not a column of the data; did you mean "kontaktperson"'):
        data_columns(own_graph, ["kontakt"])
    with pytest.raises(OptionError, match="its own columns: none"):
        data_columns(make_graph([{"id": "a", "sector": "state"}], []), ["x"])


def test_long_texts_fold_and_tooltips_are_short():
    long = "ord " * 100
    assert is_long("x" * (FOLD_AT + 1)) and not is_long("x" * FOLD_AT)
    assert fold_summary(long).endswith("ord…") and len(fold_summary(long)) <= 81
    (line,) = tooltip_lines([("evidence", long)])
    assert line.startswith("evidence: ord ord") and line.endswith("…") and len(line) == len("evidence: ") + 80


def test_values_are_cut_at_the_text_limit():
    c = DataColumns(nodes=("note",))
    (name, text), = c.node_values({"note": "x" * 5000}, "da")
    assert len(text) == 2000 and text.endswith("…")
