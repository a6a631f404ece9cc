"""partnernet.metrics.diff: the bundled data against itself and across years, a hand-built pair of snapshots with
every kind of change (golden files), and a suggestions-taken-up case worked out by hand."""

from pathlib import Path

import polars as pl
import pytest

from partnernet.defaults import DIFF_MEASURES, DIFF_TABLES
from partnernet.errors import OptionError
from partnernet.export.tables import csv_bytes
from partnernet.graph import as_of, build_graph, graph_from_records
from partnernet.load import load, locate
from partnernet.metrics.centrality import MEASURES
from partnernet.metrics.diff import diff, hit_rate
from partnernet.text import summary_text

from .golden_util import golden

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled():
    return build_graph(load(locate(ROOT / "data")))


def _p(pid, label=None):
    return {"id": pid, "label": label or pid, "kind": "partnership"}


def _a(aid, sector, type=None, label=None):
    return {"id": aid, "label": label or aid.upper(), "sector": sector, "type": type}


def _m(a, p, role="member"):
    return {"source": a, "target": p, "role": role}


@pytest.fixture(scope="module")
def every_change():
    """Old → new: p1 continues (a lead → member, b stays, c and h join from civil society, which p1 lacked, g joins
    from the region sector as a new actor, d leaves with its knowledge sector), p2 ends, p3 stays as it was, p4
    starts with e and g; d is gone, e changes type, f changes sector and label, g is new."""
    old = graph_from_records(
        [_p("p1", "Grøn"), _p("p2"), _p("p3"), _a("a", "state"), _a("b", "business"), _a("c", "civil_society"),
         _a("d", "knowledge"), _a("e", "municipality", "municipality"), _a("f", "region"),
         _a("h", "civil_society")],
        [_m("a", "p1", "lead"), _m("b", "p1"), _m("d", "p1"), _m("a", "p2"), _m("c", "p2"), _m("b", "p3"),
         _m("c", "p3"), _m("e", "p3"), _m("f", "p2")])
    new = graph_from_records(
        [_p("p1", "Grøn"), _p("p3"), _p("p4"), _a("a", "state"), _a("b", "business"), _a("c", "civil_society"),
         _a("e", "municipality", "agency"), _a("f", "municipality", label="F2"), _a("g", "region"),
         _a("h", "civil_society")],
        [_m("a", "p1"), _m("b", "p1"), _m("c", "p1"), _m("h", "p1"), _m("g", "p1"), _m("b", "p3"), _m("c", "p3"),
         _m("e", "p3"), _m("e", "p4", "lead"), _m("g", "p4")])
    return old, new


def test_the_bundled_data_against_itself_is_no_change(bundled):
    d = diff(bundled, bundled)
    assert not d.changed
    assert set(d.partnerships["status"]) == {"unchanged"}
    assert set(d.coverage["status"]) == {"unchanged"}
    assert all(d.tables()[name].height == 0 for name in ("members", "actors", "suggestions", "centrality"))
    assert summary_text(d.counts, "da") == "Ingen ændringer." and summary_text(d.counts, "en") == "No changes."


def test_bundled_2012_against_2014(bundled):
    d = diff(as_of(bundled, 2012), as_of(bundled, 2014))
    status = dict(d.partnerships.select("id", "status").rows())
    assert status["p-hjemloesestrategi"] == "removed"  # the homelessness strategy, 2009–2013
    assert status["p-uddannelse"] == "added"  # the partnership with the education sector, 2014–
    starting = d.members.filter(pl.col("partnership") == "p-uddannelse")
    assert starting.select("actor", "change").rows() == [
        ("min-boern-sociale", "joined"), ("professionshoejskolernes-rektorkollegium", "joined"),
        ("sfi", "joined"), ("socialstyrelsen", "joined")]
    assert d.members.filter(pl.col("partnership") == "p-hjemloesestrategi")["change"].unique().to_list() == ["left"]
    gained = {r[0]: r[1] for r in d.coverage.select("id", "sectors_gained").rows() if r[1]}
    assert gained == {"p-patientsikker-kommune": ["municipality", "business_association", "knowledge"]}
    assert summary_text(d.counts, "da").startswith(
        "1 nyt partnerskab, 1 afsluttet; 11 nye medlemmer, heraf 7 fra sektorer der manglede; ")


def test_every_kind_of_change_matches_the_golden_tables(every_change):
    d = diff(*every_change, suggestions_top=1, movers=3)
    for name, frame in d.tables().items():
        golden(f"diff/{name}.csv", csv_bytes(frame))
    assert d.counts == {
        "partnerships_added": 1, "partnerships_removed": 1, "partnerships_changed": 1, "joined": 5,
        "joined_new_sector": 3, "left": 4, "role_changes": 1, "actors_added": 1, "actors_removed": 1,
        "actors_changed": 2, "sectors_gained": 2, "sectors_lost": 1, "suggestions_eligible": 2,
        "suggestions_taken_up": 1}
    assert summary_text(d.counts, "en") == (
        "1 new partnership, 1 ended; 5 new members, 3 of them from sectors that were missing; 4 members left a "
        "partnership; 1 role change; 1 new actor, 1 actor gone, 2 actors with a new name, sector or type; the "
        "partnerships gained 2 sectors and lost 1; the earlier suggestions named 1 of 2 new members from missing "
        "sectors (50%).")


def test_suggestions_taken_up_by_hand(every_change):
    """p1 lacked civil society in the old snapshot, whose actors are c (it shares p2 with p1's lead a) and h (no link
    to p1's members at all): c is ranked 1, h 2. Both joined; with lists of one, c was suggested and h was not, so
    the hit rate is 1 of 2. g joined from the region sector too, but did not exist before: it could not be suggested
    and does not count."""
    d = diff(*every_change, suggestions_top=1)
    rows = d.suggestions.select("actor", "sector", "in_old", "suggested", "rank").rows()
    assert rows == [("g", "region", False, False, None), ("c", "civil_society", True, True, 1),
                    ("h", "civil_society", True, False, None)]
    assert hit_rate(d) == 0.5
    wider = diff(*every_change, suggestions_top=2)
    assert wider.suggestions.filter(pl.col("actor") == "h")["rank"].to_list() == [2]
    assert hit_rate(wider) == 1.0


def test_rows_come_in_a_stable_order(every_change):
    old, new = every_change
    first, again = diff(old, new), diff(old, new)
    for name in DIFF_TABLES:
        assert first.tables()[name].equals(again.tables()[name])
    assert first.partnerships["id"].to_list() == sorted(first.partnerships["id"].to_list())


def test_the_order_of_the_input_does_not_change_a_byte(every_change):
    old, new = every_change

    def shuffled(g):
        nodes = [{"id": n, **{k: v for k, v in d.items() if k != "declared"}} for n, d in reversed(list(g.nodes(data=True)))]
        edges = [{"source": u, "target": v, "role": d["role"]} for u, v, d in reversed(list(g.edges(data=True)))]
        return graph_from_records(nodes, edges)

    first, again = diff(old, new), diff(shuffled(old), shuffled(new))
    for name in DIFF_TABLES:
        assert csv_bytes(first.tables()[name]) == csv_bytes(again.tables()[name]), name


def test_centrality_movers_use_one_measure_on_both(every_change):
    d = diff(*every_change, measure="degree", movers=2)
    assert d.measure == "degree"
    assert set(d.centrality["direction"]) <= {"rise", "fall"}
    assert (d.centrality["rank_change"] == d.centrality["rank_old"] - d.centrality["rank_new"]).all()
    assert d.centrality.filter(pl.col("direction") == "rise").height <= 2


def test_options_are_checked(every_change):
    with pytest.raises(OptionError, match="unknown measure"):
        diff(*every_change, measure="fame")
    with pytest.raises(OptionError):
        diff(*every_change, movers=0)


def test_the_cli_offers_the_measures_of_the_library():
    assert DIFF_MEASURES == MEASURES
