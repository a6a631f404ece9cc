"""Sector and group names and colours, the same on maps and pages."""

from partnernet import schema as S
from partnernet.graph import graph_from_records, sectors_of
from partnernet.views.labels import group_label, sector_color, sector_label


def test_sector_labels_and_colours():
    vocab = sectors_of(graph_from_records([{"id": "a", "sector": "state"}], []))
    state = vocab.get("state")
    assert sector_label(vocab, "state", "da") == state.label_da and sector_label(vocab, "state", "en") == state.label_en
    assert sector_label(vocab, None, "da") == sector_label(vocab, "", "da") == "Uden sektor"
    assert sector_label(vocab, None, "en") == "No sector"
    assert sector_label(vocab, "not-a-sector", "en") == "not-a-sector"
    assert sector_color(vocab, "state") == state.color
    assert sector_color(vocab, None) == sector_color(vocab, "not-a-sector") == S.NO_SECTOR_COLOR


def test_group_labels():
    da, en = S.GROUPS["public"]
    assert group_label("public", "da") == da and group_label("public", "en") == en
    assert group_label("elsewhere", "da") == "elsewhere" and group_label(None, "en") == ""
