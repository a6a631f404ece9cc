"""Gap candidates, ranking and reasons on a small hand-built network."""

from __future__ import annotations

import polars as pl
import pytest

from partnernet.errors import OptionError
from partnernet.metrics.gaps import NO_ACTOR_DA, NO_ACTOR_EN, gaps_table

from .conftest import make_graph


@pytest.fixture
def gap_graph():
    """T: KL, DSP.  PS "Patientsikkert Sygehus": KL, DSP, Region Hovedstaden.  X: DSP, Novo.
    Tie: Aarhus Universitet – Region Hovedstaden.  Lone business without partners."""
    return make_graph(
        [
            {"id": "T", "label": "Målpartnerskab", "kind": "partnership"},
            {"id": "PS", "label": "Patientsikkert Sygehus", "kind": "partnership"},
            {"id": "X", "label": "Innovation", "kind": "partnership"},
            {"id": "a_kl", "label": "KL", "sector": "local_gov_association"},
            {"id": "b_dsp", "label": "Dansk Selskab for Patientsikkerhed", "sector": "civil_society"},
            {"id": "rh", "label": "Region Hovedstaden", "sector": "region"},
            {"id": "novo", "label": "Novo", "sector": "business"},
            {"id": "lone", "label": "Ensom ApS", "sector": "business"},
            {"id": "au", "label": "Aarhus Universitet", "sector": "knowledge"},
        ],
        [
            {"source": "a_kl", "target": "T"}, {"source": "b_dsp", "target": "T"},
            {"source": "a_kl", "target": "PS"}, {"source": "b_dsp", "target": "PS"}, {"source": "rh", "target": "PS"},
            {"source": "b_dsp", "target": "X"}, {"source": "novo", "target": "X"},
            {"source": "au", "target": "rh"},
        ],
    )


def rows(t: pl.DataFrame, sector: str) -> list[dict]:
    return t.filter(sector=sector).to_dicts()


def test_columns_and_order(gap_graph):
    t = gaps_table(gap_graph, partnership="T")
    assert t.columns == [
        "partnership", "partnership_label", "sector", "rank", "candidate", "candidate_label",
        "shared", "via", "two_step", "score", "reason_da", "reason_en",
    ]
    assert t["sector"].unique(maintain_order=True).to_list() == [
        "state", "region", "municipality", "business", "business_association", "knowledge",
    ]
    assert set(t["partnership"]) == {"T"}


def test_declared_sectors_are_not_gaps():
    """T as in ``gap_graph`` but declaring unnamed business and region members: no candidates for them."""
    g = make_graph(
        [{"id": "T", "kind": "partnership", "declared": {"business": 3, "region": 1}},
         {"id": "X", "kind": "partnership"},
         {"id": "a", "label": "KL", "sector": "local_gov_association"},
         {"id": "b", "label": "Novo", "sector": "business"},
         {"id": "r", "label": "Region Hovedstaden", "sector": "region"},
         {"id": "u", "label": "Aarhus Universitet", "sector": "knowledge"}],
        [{"source": "a", "target": "T"}, {"source": "a", "target": "X"}, {"source": "b", "target": "X"},
         {"source": "r", "target": "X"}, {"source": "u", "target": "X"}],
    )
    t = gaps_table(g, partnership="T")
    assert t["sector"].unique(maintain_order=True).to_list() == [
        "state", "municipality", "business_association", "civil_society", "knowledge"]
    assert t.filter(sector="knowledge")["candidate"].to_list() == ["u"]
    assert gaps_table(g, partnership="X")["sector"].unique(maintain_order=True).to_list() == [
        "state", "municipality", "business_association", "civil_society"]


def test_bundled_declared_sectors_get_no_candidates():
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    t = gaps_table(build_graph(load(locate())))
    fuldkorn = set(t.filter(partnership="p-fuldkorn")["sector"])
    assert fuldkorn == {"region", "municipality", "local_gov_association"}
    assert set(t.filter(partnership="p-sundere-liv")["sector"]) == {"local_gov_association", "knowledge"}
    assert "municipality" not in set(t.filter(partnership="p-hjemloesestrategi")["sector"])


def test_shared_partnership_candidate(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="T"), "region")
    assert (r["rank"], r["candidate"], r["shared"], r["via"], r["two_step"], r["score"]) == (
        1, "rh", 1, ["a_kl", "b_dsp"], True, 2.0,
    )
    assert r["reason_da"] == "samarbejder allerede med KL og Dansk Selskab for Patientsikkerhed i Patientsikkert Sygehus"
    assert r["reason_en"] == "already partners with KL and Dansk Selskab for Patientsikkerhed in Patientsikkert Sygehus"


def test_ranking_and_no_link_reason(gap_graph):
    first, second = rows(gaps_table(gap_graph, partnership="T"), "business")
    assert (first["candidate"], first["rank"], first["shared"], first["via"]) == ("novo", 1, 1, ["b_dsp"])
    assert first["reason_en"] == "already partners with Dansk Selskab for Patientsikkerhed in Innovation"
    assert (second["candidate"], second["rank"], second["shared"], second["two_step"], second["score"]) == (
        "lone", 2, 0, False, 0.0,
    )
    assert second["reason_da"] == "ingen forbindelse til medlemmerne endnu; 0 samarbejdspartnere i netværket"
    assert second["reason_en"] == "no link to the members yet; 0 partners in the network"


def test_two_step_candidate(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="T"), "knowledge")
    assert (r["candidate"], r["shared"], r["via"], r["two_step"]) == ("au", 0, [], True)
    assert r["reason_da"] == "kender KL gennem Region Hovedstaden"
    assert r["reason_en"] == "knows KL through Region Hovedstaden"


def test_direct_tie_reason(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="PS"), "knowledge")
    assert (r["candidate"], r["shared"], r["via"], r["score"]) == ("au", 0, ["rh"], 1.0)
    assert r["reason_da"] == "har direkte forbindelse til Region Hovedstaden"
    assert r["reason_en"] == "has a direct tie to Region Hovedstaden"


def test_no_actor_of_sector_is_a_finding(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="T"), "state")
    assert r["candidate"] is None and r["rank"] is None and r["via"] == []
    assert (r["reason_da"], r["reason_en"]) == (NO_ACTOR_DA, NO_ACTOR_EN)
    assert NO_ACTOR_DA == "ingen aktører fra denne sektor i data"


def test_top_limits_candidates(gap_graph):
    t = gaps_table(gap_graph, partnership="T", top=1)
    assert rows(t, "business")[0]["candidate"] == "novo"
    assert t.group_by("sector").len()["len"].max() == 1


def test_all_partnerships_sorted(gap_graph):
    t = gaps_table(gap_graph)
    assert t["partnership"].unique(maintain_order=True).to_list() == ["PS", "T", "X"]
    keys = t.select("partnership", "sector", "rank").rows()
    assert len(keys) == len(set(keys))


def test_ranking_criteria_in_order():
    """shared > number of linked members > two-step > degree > id."""
    parts = [{"id": p, "kind": "partnership"} for p in ("T", "A", "B")]
    actors = [{"id": m, "sector": "state"} for m in ("m1", "m2")] + [
        {"id": c, "sector": "business"} for c in ("c_shared", "c_two_links", "c_one_link", "c_far", "c_hub", "c_z")
    ] + [{"id": "k", "sector": "knowledge"}, {"id": "h1", "sector": "region"}, {"id": "h2", "sector": "region"}]
    edges = [{"source": m, "target": "T"} for m in ("m1", "m2")]
    edges += [{"source": x, "target": "A"} for x in ("m1", "c_shared")]
    edges += [{"source": x, "target": "B"} for x in ("m1", "c_shared")]
    edges += [{"source": "c_two_links", "target": m} for m in ("m1", "m2")]
    edges += [{"source": "c_one_link", "target": "m2"}]
    edges += [{"source": "c_far", "target": "k"}, {"source": "k", "target": "m1"}]
    edges += [{"source": "c_hub", "target": h} for h in ("h1", "h2")]
    g = make_graph(parts + actors, edges)
    t = gaps_table(g, partnership="T").filter(sector="business")
    assert t["candidate"].to_list() == ["c_shared", "c_two_links", "c_one_link", "c_far", "c_hub", "c_z"]
    assert t["rank"].to_list() == [1, 2, 3, 4, 5, 6]
    assert t["shared"].to_list() == [2, 0, 0, 0, 0, 0]
    assert t["two_step"].to_list() == [True, True, True, True, False, False]
    top3 = gaps_table(g, partnership="T", top=5).filter(sector="business")["candidate"].to_list()
    assert top3 == ["c_shared", "c_two_links", "c_one_link", "c_far", "c_hub"]


def test_option_errors(gap_graph):
    with pytest.raises(OptionError, match='unknown partnership "PSS"; did you mean "PS"\\?'):
        gaps_table(gap_graph, partnership="PSS")
    with pytest.raises(OptionError, match="is an actor"):
        gaps_table(gap_graph, partnership="rh")
    with pytest.raises(OptionError, match="top"):
        gaps_table(gap_graph, top=0)


def test_complete_partnership_has_no_rows():
    from partnernet.schema import DEFAULT_SECTORS

    g = make_graph(
        [{"id": "P", "kind": "partnership"}] + [{"id": s, "sector": s} for s in DEFAULT_SECTORS.ids],
        [{"source": s, "target": "P"} for s in DEFAULT_SECTORS.ids],
    )
    t = gaps_table(g)
    assert t.height == 0
    assert t.schema["via"] == pl.List(pl.String)


def test_long_name_lists_are_shortened():
    members = [{"id": f"m{i}", "label": f"M{i}", "sector": "state"} for i in range(6)]
    g = make_graph(
        [{"id": "T", "kind": "partnership"}, {"id": "Q", "kind": "partnership"}, {"id": "c", "sector": "business"}] + members,
        [{"source": m["id"], "target": "T"} for m in members]
        + [{"source": m["id"], "target": "Q"} for m in members] + [{"source": "c", "target": "Q"}],
    )
    r = gaps_table(g, partnership="T").filter(sector="business").row(0, named=True)
    assert r["reason_da"] == "samarbejder allerede med M0, M1, M2 og 3 andre i Q"
    assert r["reason_en"] == "already partners with M0, M1, M2 and 3 others in Q"
