"""The What changed page and the changes sections of partnership and actor pages (bundled 2012 → 2014)."""

import pytest

from partnernet.graph import as_of
from partnernet.metrics.diff import diff
from partnernet.views.map import MapView
from partnernet.views.site.build import PAGE_KINDS
from partnernet.views.site.changes import actor_change, with_changes

from .site_util import bundled, bundled_graph, section, site_for, table  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def changed(bundled_graph):
    old, new = as_of(bundled_graph, 2012), as_of(bundled_graph, 2014)
    d = diff(old, new)
    site = site_for(new, previous="data, 2012", changes_counts=tuple(d.counts.items()), changes_top=d.suggestions_top)
    site.tables.update(d.site_tables())
    return site


def texts(cells):
    return [c.text for c in cells]


def test_the_page_exists_only_with_a_previous_edition(bundled, changed):
    assert ("changes", "") not in bundled.page_keys()
    assert ("changes", "") in changed.page_keys() and "changes" in PAGE_KINDS
    assert "changes.html" in [n.href for n in changed.nav()] and "changes.html" not in [n.href for n in bundled.nav()]


def test_the_page_says_what_changed(changed):
    page = changed.page("changes")
    assert page.path == "changes.html" and page.heading == "Hvad er ændret"
    assert section(page, "summary").text[0].startswith("1 nyt partnerskab, 1 afsluttet; 11 nye medlemmer, heraf 7 fra "
                                                       "sektorer der manglede")
    rows = table(section(page, "changes-partnerships"), "changes-partnerships").rows
    assert [texts(r)[:2] for r in rows] == [["Partnerskab om Hjemløsestrategien", "afsluttet"],
                                            ["Partnerskabet Patientsikker Kommune", "ændret"],
                                            ["Partnerskab med uddannelsesverdenen", "ny"]]
    assert rows[0][0].href is None and rows[2][0].href == "partnerships/p-uddannelse.html"  # an ended one has no page
    members = table(section(page, "changes-members"), "changes-members").rows
    assert ["Partnerskabet Patientsikker Kommune", "Pharmakon", "Viden og uddannelse", "ny, ny sektor", "", "medlem"] \
        in [texts(r) for r in members]
    assert members[0][3].cls == "change-drop" and members[-1][3].cls == "change-add"
    gained = table(section(page, "changes-coverage"), "changes-coverage").rows
    assert texts(gained[0])[:2] == ["Partnerskabet Patientsikker Kommune",
                                    "Kommune, Erhvervs- og arbejdsmarkedsorganisation, Viden og uddannelse"]
    assert section(page, "map").map.changes and [f.value for f in section(page, "map").facts] == [
        "11 aktører", "1 aktør", "22 aktører"]


def test_partnership_and_actor_pages_get_a_changes_section(changed, bundled):
    new = section(changed.page("partnership", "p-uddannelse"), "changes")
    assert new.text == ("Partnerskabet er nyt siden den tidligere udgave.",)
    grown = section(changed.page("partnership", "p-patientsikker-kommune"), "changes")
    assert grown.text == ("Nye sektorer: Kommune, Erhvervs- og arbejdsmarkedsorganisation, Viden og uddannelse.",)
    assert texts(grown.tables[0].rows[0]) == ["Danmarks Apotekerforening", "Erhvervs- og arbejdsmarkedsorganisation",
                                              "ny, ny sektor", "", "medlem"]
    same = section(changed.page("partnership", "p-noeglehul"), "changes")
    assert same.text == ("Ingen ændringer siden den tidligere udgave.",) and same.tables == ()
    actor = section(changed.page("actor", "sfi"), "changes")
    assert [texts(r)[:2] for r in actor.tables[0].rows] == [["Partnerskab om Hjemløsestrategien", "forladt"],
                                                            ["Partnerskab med uddannelsesverdenen", "ny"]]
    assert not [s for s in bundled.page("partnership", "p-uddannelse").sections if s.id == "changes"]


def test_map_nodes_carry_their_change(changed):
    members = changed.tables["changes_members"]
    change = actor_change(members)
    assert change["pharmakon"] == "joined" and change["ramboell-management-consulting"] == "left"
    assert change["sfi"] == "joined"  # joined one partnership and left another: joined wins
    view = MapView("network", "da", "", "", None, "", [], [{"id": "sfi", "kind": "actor", "title": "SFI"},
                                                          {"id": "kl", "kind": "actor", "title": "KL"},
                                                          {"id": "p", "kind": "partnership", "title": "P"}],
                   [], {}, [], [], {}, "sector", "betweenness", 10, 3, False)
    marked = with_changes(view, members)
    assert [n.get("change") for n in marked.nodes] == ["joined", "unchanged", None]
    assert marked.nodes[0]["title"] == "SFI\nNy i et partnerskab"
    assert [(i["id"], i["count"]) for i in marked.legend["change"]] == [("joined", 1), ("left", 0), ("unchanged", 1)]
    column = marked.columns["columns"][-1]  # the page's colour and filter menus offer it
    assert (column["id"], column["label"], column["values"]) == ("change", "Ændring", ["joined", "left", "unchanged"])
    assert column["index"] == [0, 2, -1] and len(set(column["colors"])) == 3


def test_an_actor_whose_sector_changed_says_what_it_was():
    from partnernet.graph import graph_from_records

    old = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a", "label": "A", "sector": "state"},
                              {"id": "b", "sector": "business"}], [{"source": "a", "target": "p"},
                                                                  {"source": "b", "target": "p"}])
    new = graph_from_records([{"id": "p", "kind": "partnership"}, {"id": "a", "label": "A2", "sector": "region"},
                              {"id": "b", "sector": "business"}], [{"source": "a", "target": "p"},
                                                                  {"source": "b", "target": "p"}])
    d = diff(old, new)
    site = site_for(new, previous="old", changes_counts=tuple(d.counts.items()), lang="en")
    site.tables.update(d.site_tables())
    assert section(site.page("actor", "a"), "changes").text == (
        "Changed since the previous edition, which had: A, State.",)
