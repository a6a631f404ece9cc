"""Gap candidates, ranking and reasons on a small hand-built network."""

from __future__ import annotations

import polars as pl
import pytest

from partnernet.errors import OptionError
from partnernet.graph import build_graph
from partnernet.load import bundled_dir, load, locate
from partnernet.metrics import gaps
from partnernet.metrics.gaps import NO_ACTOR_DA, NO_ACTOR_EN, gaps_table

from .conftest import make_graph, names_graph, titles_graph


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
        "partnership", "partnership_label", "sector", "rank", "rank_label", "candidate", "candidate_label",
        "score", "shared_partnerships", "linked_members", "via", "matched", "same_sector_only", "lists",
        "reason_da", "reason_en",
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
    assert (r["rank"], r["rank_label"], r["candidate"], r["shared_partnerships"], r["linked_members"], r["via"]) == (
        1, "1", "rh", 1, 2, ["a_kl", "b_dsp"],
    )
    assert r["same_sector_only"] is False
    assert r["reason_da"] == "samarbejder med KL og Dansk Selskab for Patientsikkerhed i Patientsikkert Sygehus"
    assert r["reason_en"] == "partners with KL and Dansk Selskab for Patientsikkerhed in Patientsikkert Sygehus"


def test_linked_before_same_sector_only(gap_graph):
    first, second = rows(gaps_table(gap_graph, partnership="T"), "business")
    assert (first["candidate"], first["rank"], first["shared_partnerships"], first["via"]) == ("novo", 1, 1, ["b_dsp"])
    assert first["reason_en"] == "partners with Dansk Selskab for Patientsikkerhed in Innovation"
    assert first["score"] > second["score"]
    assert (second["candidate"], second["rank"], second["linked_members"], second["same_sector_only"]) == (
        "lone", 2, 0, True,
    )
    assert second["reason_da"] == "ingen forbindelse til medlemmerne; med i 0 partnerskaber"
    assert second["reason_en"] == "no link to the members; in 0 partnerships"


def test_direct_tie_reason(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="PS"), "knowledge")
    assert (r["candidate"], r["shared_partnerships"], r["linked_members"], r["via"]) == ("au", 0, 1, ["rh"])
    assert r["reason_da"] == "har direkte forbindelse til Region Hovedstaden"
    assert r["reason_en"] == "has a direct tie to Region Hovedstaden"


def test_no_actor_of_sector_is_a_finding(gap_graph):
    (r,) = rows(gaps_table(gap_graph, partnership="T"), "state")
    assert r["candidate"] is None and r["rank"] is None and r["via"] == [] and r["score"] is None
    assert (r["reason_da"], r["reason_en"]) == (NO_ACTOR_DA, NO_ACTOR_EN)
    assert NO_ACTOR_DA == "ingen aktører fra denne sektor i data"


def test_top_limits_candidates(gap_graph):
    t = gaps_table(gap_graph, partnership="T", top=1)
    assert rows(t, "business")[0]["candidate"] == "novo"
    assert t.group_by("sector").len()["len"].max() == 1


def test_all_partnerships_sorted(gap_graph):
    t = gaps_table(gap_graph)
    assert t["partnership"].unique(maintain_order=True).to_list() == ["PS", "T", "X"]
    keys = t.select("partnership", "sector", "candidate").rows()
    assert len(keys) == len(set(keys))


def test_lists_counts_other_partnerships(gap_graph):
    t = gaps_table(gap_graph)
    lone = t.filter(candidate="lone")
    assert set(lone["partnership"]) == {"PS", "T"} and lone["lists"].to_list() == [1, 1]


def test_equal_evidence_shares_the_rank():
    """c1 and c2 are linked to the member m exactly alike: one rank, shown as "1="; c3 is behind them."""
    parts = [{"id": p, "kind": "partnership"} for p in ("T", "A", "B")]
    actors = [{"id": "m", "sector": "state"}, {"id": "n", "sector": "region"}] + [
        {"id": c, "sector": "business"} for c in ("c1", "c2", "c3")]
    edges = [{"source": "m", "target": "T"}, {"source": "n", "target": "T"}]
    edges += [{"source": x, "target": "A"} for x in ("m", "c1")] + [{"source": x, "target": "B"} for x in ("m", "c2")]
    g = make_graph(parts + actors, edges)
    t = gaps_table(g, partnership="T").filter(sector="business")
    assert t["candidate"].to_list() == ["c1", "c2", "c3"]
    assert t["rank"].to_list() == [1, 1, 3]
    assert t["rank_label"].to_list() == ["1=", "1=", "3"]
    assert t["score"][0] == t["score"][1] > t["score"][2]
    cut = gaps_table(g, partnership="T", top=1).filter(sector="business")
    assert cut["candidate"].to_list() == ["c1"] and cut["rank_label"].to_list() == ["1="]


def test_rank_follows_the_score():
    """Across every group, a lower rank never has a higher score."""
    t = gaps_table(_bigger())
    bad = t.drop_nulls("rank").sort("partnership", "sector", "rank").with_columns(
        worse=pl.col("score").diff().over("partnership", "sector") > 0)
    assert not bad["worse"].any()


def _bigger():
    parts = [{"id": f"P{i}", "kind": "partnership"} for i in range(4)]
    actors = [{"id": f"a{i}", "sector": s} for i, s in enumerate(["state", "region", "business", "business",
                                                                    "knowledge", "business", "civil_society"])]
    member = [(0, 0), (1, 0), (2, 0), (0, 1), (3, 1), (4, 1), (1, 2), (5, 2), (6, 2), (0, 3), (5, 3), (3, 3)]
    return make_graph(parts + actors, [{"source": f"a{a}", "target": f"P{p}"} for a, p in member])


def test_min_members_leaves_out_small_partnerships(gap_graph):
    g = make_graph(
        [{"id": "S", "kind": "partnership"}, {"id": "a", "sector": "state"}, {"id": "b", "sector": "business"}],
        [{"source": "a", "target": "S"}],
    )
    assert gaps_table(g).height == 0
    assert gaps_table(g, min_members=1).filter(sector="business")["candidate"].to_list() == ["b"]
    with pytest.raises(OptionError, match="min_members"):
        gaps_table(g, min_members=0)


def test_declared_sectors_are_present(gap_graph):
    """A partnership that declares unnamed business members is not missing business."""
    gap_graph.nodes["T"]["declared"] = {"business": 5, "state": 1, "knowledge": 0}
    t = gaps_table(gap_graph, partnership="T")
    assert "business" not in set(t["sector"]) and "state" not in set(t["sector"])
    assert "knowledge" in set(t["sector"])  # a count of 0 declares nothing


def test_matched_attribute_drives_rank_and_reason():
    """Neither candidate is linked; c1's partnership has T's theme, so it comes first and says why."""
    g = make_graph(
        [{"id": "T", "kind": "partnership", "theme": "sundhed"}, {"id": "Q", "kind": "partnership", "theme": "sundhed"},
         {"id": "R", "kind": "partnership", "theme": "energi"},
         {"id": "m", "sector": "state"}, {"id": "n", "sector": "region"},
         {"id": "c1", "sector": "business"}, {"id": "c2", "sector": "business"}],
        [{"source": "m", "target": "T"}, {"source": "n", "target": "T"},
         {"source": "c1", "target": "Q"}, {"source": "c2", "target": "R"}],
    )
    first, second = gaps_table(g, partnership="T", match=("theme",)).filter(sector="business").to_dicts()
    assert (first["candidate"], first["matched"], first["same_sector_only"]) == ("c1", ["theme=sundhed"], True)
    assert first["reason_da"] == "ingen forbindelse til medlemmerne; med i 1 partnerskab; samme theme (sundhed)"
    assert first["reason_en"] == "no link to the members; in 1 partnership; same theme (sundhed)"
    assert second["matched"] == [] and second["rank"] == 2


def years_graph(t_end, spans):
    """T (2020–``t_end``): m (state), n (region); business candidate c<i> alone in a partnership of span ``spans[i]``."""
    nodes = [{"id": "T", "kind": "partnership", "start": 2020, "end": t_end},
             {"id": "m", "sector": "state"}, {"id": "n", "sector": "region"}]
    edges = [{"source": "m", "target": "T"}, {"source": "n", "target": "T"}]
    for i, (start, end) in enumerate(spans):
        nodes += [{"id": f"Q{i}", "kind": "partnership", "start": start, "end": end}, {"id": f"c{i}", "sector": "business"}]
        edges.append({"source": f"c{i}", "target": f"Q{i}"})
    return make_graph(nodes, edges)


def test_overlapping_years_named_when_they_separate():
    """Only c0's partnership overlaps T's years: it ranks first and says so."""
    g = years_graph(2022, [(2021, 2021), (2010, 2011), (2005, 2006)])
    first, *rest = gaps_table(g, partnership="T").filter(sector="business").to_dicts()
    assert (first["candidate"], first["matched"], first["rank_label"]) == ("c0", ["years"], "1")
    assert first["reason_en"] == "no link to the members; in 1 partnership; overlapping years"
    assert all(r["matched"] == [] for r in rest)


def test_overlapping_years_not_named_when_nearly_all_overlap():
    """T is open-ended: every candidate overlaps, so the years explain nothing and are not named."""
    g = years_graph(None, [(2021, 2021), (2023, None), (2010, 2021)])
    rows = gaps_table(g, partnership="T").filter(sector="business").to_dicts()
    assert all(r["matched"] == [] and "år" not in r["reason_da"] for r in rows)


def test_option_errors(gap_graph):
    with pytest.raises(OptionError, match='unknown partnership "PSS"; did you mean "PS"\\?'):
        gaps_table(gap_graph, partnership="PSS")
    with pytest.raises(OptionError, match="is an actor"):
        gaps_table(gap_graph, partnership="rh")
    with pytest.raises(OptionError, match="top"):
        gaps_table(gap_graph, top=0)
    with pytest.raises(OptionError, match="unknown attribute column"):
        gaps_table(gap_graph, match=("theme",))


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
    assert r["reason_da"] == "samarbejder med M0, M1, M2 og 3 andre i Q"
    assert r["reason_en"] == "partners with M0, M1, M2 and 3 others in Q"


def test_title_words_named_in_the_reason():
    """The default weights give the text features weight: c is named in P's title and has a similar one."""
    g = titles_graph()
    rows = gaps_table(g, partnership="P").filter(sector="business")
    c = rows.filter(candidate="c").row(0, named=True)
    assert c["rank"] == 1
    assert "navnet nævnt i partnerskabets titel" in c["reason_da"]
    assert "its name appears in the partnership's title" in c["reason_en"]
    assert "lignende titler: Turisme i Aalborg" in c["reason_da"]
    assert set(c["matched"]) >= {"title_name", "title_sim"}


def test_among_ranks_some_partnerships_and_sectors_as_the_whole_table_does():
    from partnernet.graph import build_graph
    from partnernet.load import load, locate

    from .site_util import ROOT

    g = build_graph(load(locate(ROOT / "data")))
    key = ["partnership", "sector", "candidate", "rank", "rank_label", "score"]
    full = gaps_table(g, top=5).filter(pl.col("candidate").is_not_null()).select(key)
    wanted = {"p-groen-skibsfart": {"municipality", "knowledge"}, "p-noeglehul": {"region"}}
    some = gaps_table(g, top=5, among=wanted).select(key)
    assert some.height > 0
    assert some.equals(full.filter(pl.struct("partnership", "sector").map_elements(
        lambda r: r["sector"] in wanted.get(r["partnership"], ()), return_dtype=pl.Boolean)))
    assert set(gaps_table(g, top=5, among=["p-noeglehul"])["partnership"]) == {"p-noeglehul"}


def test_word_shared_with_a_member_named_in_the_reason():
    g = names_graph()
    c = gaps_table(g, partnership="P").filter(candidate="c").row(0, named=True)
    assert "member_name" in c["matched"]
    assert "ord i navnet fælles med Sønderborg Kommune" in c["reason_da"]
    assert "shares a word of its name with Sønderborg Kommune" in c["reason_en"]


@pytest.mark.parametrize("top", [1, 3, None])
@pytest.mark.parametrize("shortlist", [False, True])
def test_one_partnership_counts_the_whole_networks_lists(monkeypatch, top, shortlist):
    """With --partnership, ``lists`` is what the whole table says, though only the lists that can hold its
    candidates are made (on the bundled data, exhaustive and with the shortlist of large data)."""
    if shortlist:
        monkeypatch.setattr(gaps, "EXHAUSTIVE_ROWS", 0)
    g = build_graph(load(locate(bundled_dir())))
    whole = gaps_table(g, top=top)
    for p in whole["partnership"].unique().sort().to_list():
        one = gaps_table(g, partnership=p, top=top)
        assert one.equals(whole.filter(partnership=p)), p
