"""Text tables: plain and complete for files and pipes, fitted by rich to a terminal's width."""

from __future__ import annotations

import polars as pl
import pytest

from partnernet import schema
from partnernet.cli.tables import TERMINAL_ROWS, fit_table, format_table, with_sector_labels


@pytest.fixture
def actors():
    """A centrality-like table: ids, long labels, a sector, a type, measures."""
    return pl.DataFrame({
        "rank": [1, 2],
        "id": ["min-boern-sociale-forhold", "kl"],
        "label": ["Ministeriet for Børn, Ligestilling, Integration og Sociale Forhold", "KL"],
        "sector": ["state", "local_gov_association"],
        "type": ["ministry", "association"],
        "partnerships": [3, 2],
        "betweenness": [0.1013201234, 0.1123880001],
        "closeness": [0.26190476, 0.31762941],
        "pagerank": [0.028627, 0.021853],
    })


def test_plain_table_keeps_every_column_and_full_precision(actors):
    text = format_table(actors)
    assert text.splitlines()[0].split() == actors.columns
    assert "0.10132 " in text and "Ministeriet for Børn, Ligestilling, Integration og Sociale Forhold" in text


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_a_terminal_table_fits_its_width(actors, width):
    lines = fit_table(actors, width).splitlines()
    table = [line for line in lines if not line.startswith("not shown")]
    assert max(len(line) for line in table) <= width


def test_ids_are_shortened_labels_wrap_and_measures_go_from_the_right(actors):
    text = fit_table(actors, 80)
    header = text.splitlines()[0].split()
    assert header == ["rank", "id", "label", "sector", "partnerships", "betweenness"]
    assert "min-boe…" in text and "Ministeriet for" in text and "Sociale Forhold" in text
    assert text.splitlines()[-1] == ("not shown for lack of width: type, closeness, pagerank "
                                     "(widen the terminal, or --format csv)")
    assert " 0.1013\n" in text  # four significant digits on a terminal


def test_a_terminal_shows_the_first_rows_and_counts_the_rest():
    frame = pl.DataFrame({"id": [f"a{i}" for i in range(TERMINAL_ROWS + 5)]})
    lines = fit_table(frame, 80).splitlines()
    assert lines[-1] == "… 5 more rows (all of them with --out FILE, --format csv or a pipe)"
    assert len(lines) == 2 + TERMINAL_ROWS + 1


def test_sector_column_shows_labels_in_the_language(actors):
    da = with_sector_labels(actors, schema.DEFAULT_SECTORS, "da")["sector"].to_list()
    en = with_sector_labels(actors, schema.DEFAULT_SECTORS, "en")["sector"].to_list()
    assert da == ["Stat", "Kommunale og regionale foreninger"] and en == ["State", "Local government association"]
    assert with_sector_labels(actors.drop("sector"), schema.DEFAULT_SECTORS, "da").columns == actors.drop("sector").columns
