"""The suggestion commands ``gaps`` and ``backtest``: blocks, tie labels, counts, options, formats, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import cli
from partnernet.cli.suggestions import NO_CASES

from .site_util import structural_funds

ROOT = Path(__file__).resolve().parent.parent

#: P (KL, DSfP) misses business: Ørsted and Novo both partner with KL in Q (a tie, 1=); region and knowledge
#: only have Region Hovedstaden and Aarhus Universitet, who share nothing with P's members (same sector only);
#: state, municipality and business_association have no actor at all. S has one member.
GAPS_NODES = """id,label,kind,sector,theme
P,Patientsikkert Sygehus,partnership,,sundhed
Q,Grønt Partnerskab,partnership,,klima
R,Viden i Regionen,partnership,,sundhed
S,Solo,partnership,,klima
kl,KL,actor,local_gov_association,
dsp,Dansk Selskab for Patientsikkerhed,actor,civil_society,
orsted,Ørsted,actor,business,
novo,Novo Nordisk,actor,business,
au,Aarhus Universitet,actor,knowledge,
rh,Region Hovedstaden,actor,region,
"""
GAPS_EDGES = "source,target\nkl,P\ndsp,P\nkl,Q\norsted,Q\nnovo,Q\nau,R\nrh,R\ndsp,S\n"

#: Only P has three members; s1 and b1 are each the only one of their sector there and also in Q, so the
#: hidden one is still linked to P through the other: rank 1 for every method.
BACKTEST_NODES = """id,label,kind,sector
P,Projekt P,partnership,
Q,Projekt Q,partnership,
X,Projekt X,partnership,
s1,Styrelse 1,actor,state
m1,Kommune 1,actor,municipality
b1,Firma 1,actor,business
s2,Styrelse 2,actor,state
b2,Firma 2,actor,business
"""
BACKTEST_EDGES = "source,target\ns1,P\nm1,P\nb1,P\ns1,Q\nb1,Q\nb2,X\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def folder(tmp_path: Path, name: str, nodes: str, edges: str) -> str:
    path = tmp_path / name
    path.mkdir()
    (path / "nodes.csv").write_text(nodes, encoding="utf-8")
    (path / "edges.csv").write_text(edges, encoding="utf-8")
    return str(path)


@pytest.fixture
def gaps_net(tmp_path) -> str:
    return folder(tmp_path, "gaps", GAPS_NODES, GAPS_EDGES)


@pytest.fixture
def found_at_rank_1(tmp_path) -> str:
    return folder(tmp_path, "one", BACKTEST_NODES, BACKTEST_EDGES)


@pytest.fixture
def no_cases(tmp_path) -> str:
    """Partnerships of two members only: nothing can be hidden."""
    return folder(tmp_path, "none", "id,kind,sector\nP,partnership,\nQ,partnership,\na,actor,state\n"
                  "b,actor,business\nc,actor,business\n", "source,target\na,P\nb,P\na,Q\nc,Q\n")


def records(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def blocks(stdout: str) -> dict[str, list[dict[str, str]]]:
    """The text table's blocks: heading → rows, cut into cells where the dashes under the header are."""
    import re

    out = {}
    for block in stdout.strip().split("\n\n"):
        heading, header, rule, *rows = block.split("\n")
        spans = [m.span() for m in re.finditer("-+", rule)]
        names = [header[a:b].strip() for a, b in spans]
        out[heading] = [{n: row[a:b].strip() for n, (a, b) in zip(names, spans)} for row in rows]
    return out


# --- gaps ------------------------------------------------------------------------------------


def test_gaps_text_keeps_linked_same_sector_only_and_no_actor_apart(gaps_net):
    result = run("gaps", "--data", gaps_net, "--partnership", "P", "--lang", "en")
    assert result.exit_code == 0
    shown = blocks(result.stdout)
    assert list(shown) == ["Linked to the members: 2 suggestions",
                           "Same sector only (no link to the members yet): 2 suggestions",
                           "No actor of this sector in the data: 3 missing sectors"]
    linked, alone, none = shown.values()
    assert [(r["sector"], r["rank"], r["candidate"], r["shared_partnerships"], r["linked_members"], r["via"],
             r["lists"]) for r in linked] == [("Business", "1=", "novo", "1", "1", "kl", "1"),
                                             ("Business", "1=", "orsted", "1", "1", "kl", "1")]
    assert linked[0]["reason"] == "partners with KL in Grønt Partnerskab"
    assert [(r["sector"], r["rank"], r["candidate"]) for r in alone] == [("Region", "1", "rh"),
                                                                         ("Research and education", "1", "au")]
    assert "via" not in alone[0] and alone[0]["reason"].startswith("no link to the members; in 1 partnership")
    assert [r["sector"] for r in none] == ["State", "Municipality", "Trade association or union"]  # labels in --lang
    assert ("4 suggestions (2 linked to the members, 2 same sector only; 4 distinct actors) for 6 missing sectors "
            "in 1 partnership; 3 missing sectors with no actor in the data\n") in result.stderr


def test_gaps_reason_in_danish_by_default(gaps_net):
    out = run("gaps", "--data", gaps_net, "--partnership", "P").stdout
    assert "samarbejder med KL i Grønt Partnerskab" in out and "partners with" not in out


def test_gaps_csv_and_json_keep_one_table_with_the_flag_and_both_reasons(gaps_net):
    rows = records(run("gaps", "--data", gaps_net, "--partnership", "P", "--format", "json", "-q"))
    assert [(r["sector"], r["rank"], r["rank_label"], r["candidate"], r["same_sector_only"]) for r in rows] == [
        ("state", None, None, None, None), ("region", 1, "1", "rh", True), ("municipality", None, None, None, None),
        ("business", 1, "1=", "novo", False), ("business", 1, "1=", "orsted", False),
        ("business_association", None, None, None, None), ("knowledge", 1, "1", "au", True)]
    assert rows[3]["reason_da"] == "samarbejder med KL i Grønt Partnerskab"
    assert rows[0]["reason_en"] == "no actor of this sector in the data"
    table = list(csv.DictReader(io.StringIO(run("gaps", "--data", gaps_net, "--partnership", "P", "--format", "csv",
                                                "-q").stdout)))
    assert [(r["rank_label"], r["same_sector_only"], r["via"]) for r in table if r["sector"] == "business"] == [
        ("1=", "false", "kl"), ("1=", "false", "kl")]


def test_gaps_lists_counts_other_partnerships_even_for_one(gaps_net):
    one = records(run("gaps", "--data", gaps_net, "--partnership", "P", "--format", "json", "-q"))
    every = records(run("gaps", "--data", gaps_net, "--format", "json", "-q"))
    assert one == [r for r in every if r["partnership"] == "P"]
    assert next(r for r in one if r["candidate"] == "novo")["lists"] == 1  # also in R's business list
    every = records(run("gaps", "--data", gaps_net, "--top", "0", "--format", "json", "-q"))
    one = records(run("gaps", "--data", gaps_net, "--partnership", "P", "--top", "0", "--format", "json", "-q"))
    assert one == [r for r in every if r["partnership"] == "P"]


def test_gaps_summary_when_only_sectors_without_actors_are_missing(tmp_path):
    data = folder(tmp_path, "x", "id,kind,sector\nP,partnership,\na,actor,business\nb,actor,business\n",
                  "source,target\na,P\nb,P\n")
    (tmp_path / "sectors.csv").write_text("id,label_da,label_en,group,color\nbusiness,Erhverv,Business,private,#111111\n"
                                          "state,Stat,State,public,#222222\nngo,Forening,NGO,civil_society,#333333\n",
                                          encoding="utf-8")
    result = run("gaps", "--data", data, "--sectors", str(tmp_path / "sectors.csv"))
    assert result.exit_code == 0, result.output
    assert list(blocks(result.stdout)) == ["No actor of this sector in the data: 2 missing sectors"]
    assert "no suggestions for 2 missing sectors in 1 partnership; 2 missing sectors with no actor in the data\n" \
        in result.stderr


def test_gaps_min_members(gaps_net):
    result = run("gaps", "--data", gaps_net, "--partnership", "S")
    assert result.exit_code == 0
    assert result.stdout.endswith("(no rows)\n")
    assert "no missing sectors to fill (partnerships with fewer than 2 members left out; see --min-members)\n" \
        in result.stderr
    rows = records(run("gaps", "--data", gaps_net, "--partnership", "S", "--min-members", "1", "--format", "json", "-q"))
    assert {r["partnership"] for r in rows} == {"S"}
    assert {r["partnership"] for r in records(run("gaps", "--data", gaps_net, "--min-members", "3", "--format",
                                                   "json", "-q"))} == {"Q"}
    assert run("gaps", "--data", gaps_net, "--min-members", "4").stderr.splitlines()[-2] == \
        "no missing sectors to fill (partnerships with fewer than 4 members left out; see --min-members)"


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_gaps_min_members_bounds(gaps_net, value):
    result = run("gaps", "--data", gaps_net, "--min-members", value)
    assert result.exit_code == 2
    assert "Invalid value for '--min-members'" in result.stderr


def test_gaps_top(gaps_net):
    rows = records(run("gaps", "--data", gaps_net, "--format", "json", "--top", "0", "-q"))
    assert {r["partnership"] for r in rows} == {"P", "Q", "R"}
    one = records(run("gaps", "--data", gaps_net, "--format", "json", "--top", "1", "-q"))
    assert len(one) < len(rows) and all(r["rank"] in (1, None) for r in one)


def test_gaps_match_a_known_column(gaps_net):
    rows = records(run("gaps", "--data", gaps_net, "--match", " theme , theme", "--format", "json", "-q"))
    assert rows and all(m.startswith("theme=") for r in rows for m in r["matched"])


@pytest.mark.parametrize(("value", "message"), [
    ("theem", 'Error: unknown attribute column "theem"; did you mean "theme"?\n'),
    ("theme,regin", 'Error: unknown attribute column "regin"; known: theme, type\n'),
    (" , ", "Error: Invalid value for '--match': give at least one attribute column, e.g. --match theme,region\n"),
])
def test_gaps_match_errors_exit_2(gaps_net, value, message):
    result = run("gaps", "--data", gaps_net, "--match", value)
    assert result.exit_code == 2
    assert result.stderr.endswith(message)
    assert result.stdout == ""


def test_gaps_unknown_partnership_exit_2(gaps_net):
    result = run("gaps", "--data", gaps_net, "--partnership", "PP")
    assert result.exit_code == 2
    assert result.stderr.endswith('Error: --partnership: unknown partnership "PP"; did you mean "P"?\n')


def test_gaps_takes_the_partnership_by_its_label(gaps_net):
    by_id = run("gaps", "--data", gaps_net, "--partnership", "P", "--format", "csv", "-q")
    label = run("gaps", "--data", gaps_net, "--partnership", "patientsikkert  SYGEHUS", "--format", "csv", "-q")
    assert label.exit_code == 0 and label.stdout == by_id.stdout


# --- backtest --------------------------------------------------------------------------------


def test_backtest_finds_the_hidden_member_at_rank_1(found_at_rank_1):
    result = run("backtest", "--data", found_at_rank_1)
    assert result.exit_code == 0
    assert result.stdout == (
        "method             hit@1  hit@5  hit@10  MRR@10  distinct_actors\n"
        "-----------------  -----  -----  ------  ------  ---------------\n"
        "partnernet             1      1       1       1                2\n"
        "popularity             1      1       1       1                2\n"
        "common_neighbours      1      1       1       1                2\n"
        "mass_diffusion         1      1       1       1                2\n"
        "On this network the hidden member was among the first 10 suggestions in 100 % of 1 test "
        "(best baseline: popularity, 100 %).\n")
    assert result.stderr.splitlines()[-2].startswith("1 case drawn from 1 eligible partnership (seed 7); "
                                                      "partnernet's weights: ")


def test_backtest_csv_and_json(found_at_rank_1):
    assert run("backtest", "--data", found_at_rank_1, "--format", "csv", "-q").stdout == (
        "method,hit_1,hit_5,hit_10,mrr_10,distinct_top10,cases\n"
        "partnernet,1,1,1,1,2,1\npopularity,1,1,1,1,2,1\ncommon_neighbours,1,1,1,1,2,1\nmass_diffusion,1,1,1,1,2,1\n")
    rows = records(run("backtest", "--data", found_at_rank_1, "--format", "json", "-q"))
    assert rows[0] == {"method": "partnernet", "hit_1": 1.0, "hit_5": 1.0, "hit_10": 1.0, "mrr_10": 1.0,
                       "distinct_top10": 2, "cases": 1}
    result = run("backtest", "--data", found_at_rank_1, "--format", "json")
    assert "On this network the hidden member was among the first 10 suggestions in 100 % of 1 test" \
        in result.stderr  # the sentence goes to stderr, so stdout stays valid JSON


def test_backtest_bundled_data_three_cases():
    result = run("backtest", "--cases", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "method             hit@1  hit@5  hit@10  MRR@10  distinct_actors"
    assert [line.split()[0] for line in lines[2:6]] == ["partnernet", "popularity", "common_neighbours",
                                                        "mass_diffusion"]
    rows = {r["method"]: r for r in records(run("backtest", "--cases", "3", "--format", "json", "-q"))}
    best = max(list(rows)[1:], key=lambda m: (rows[m]["hit_10"], rows[m]["mrr_10"]))
    assert lines[6] == (f"On this network the hidden member was among the first 10 suggestions in "
                        f"{100 * rows['partnernet']['hit_10']:.0f} % of 3 tests (best baseline: "
                        f"{best.replace('_', ' ')}, {100 * rows[best]['hit_10']:.0f} %).")
    assert len(lines) == 7 and all(r["cases"] == 3 for r in rows.values())


def test_backtest_is_deterministic_and_seeded():
    a = run("backtest", "--cases", "2", "--format", "csv", "-q").stdout
    assert a == run("backtest", "--cases", "2", "--seed", "7", "--format", "csv", "-q").stdout


def test_backtest_with_no_eligible_partnership_says_so(no_cases):
    result = run("backtest", "--data", no_cases)
    assert result.exit_code == 0
    assert result.stdout.endswith("(no rows)\n" + NO_CASES + "\n")
    assert NO_CASES == ("No partnership can be tested: none has at least 3 members with one that is the only "
                        "member of its sector there and takes part in another partnership.")
    assert "0 cases drawn from 0 eligible partnerships (seed 7)" in result.stderr
    assert records(run("backtest", "--data", no_cases, "--format", "json", "-q")) == []


@pytest.mark.parametrize(("args", "message"), [
    (("--cases", "0"), "Invalid value for '--cases': 0 is not in the range 1<=x<=1000000000."),
    (("--match", "colour"), 'Error: unknown attribute column "colour"; known: type'),
])
def test_backtest_usage_errors_exit_2(found_at_rank_1, args, message):
    result = run("backtest", "--data", found_at_rank_1, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_backtest_out_file(found_at_rank_1, tmp_path):
    out = tmp_path / "bt.csv"
    result = run("backtest", "--data", found_at_rank_1, "--format", "csv", "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("method,hit_1,hit_5,hit_10,mrr_10,distinct_top10,cases\n")
    assert f"Wrote {out} (4 rows)" in result.stderr


@pytest.mark.skipif(not (structural_funds() / "nodes.csv").is_file(), reason="shared real data not present")
def test_backtest_and_gaps_on_the_shared_real_network():
    data = str(structural_funds())
    rows = records(run("backtest", "--data", data, "--cases", "20", "--format", "json", "-q"))
    assert [r["method"] for r in rows] == ["partnernet", "popularity", "common_neighbours", "mass_diffusion"]
    assert all(r["cases"] == 20 for r in rows)
    result = run("gaps", "--data", data, "--match", "theme,region", "--top", "1", "-q")
    assert result.exit_code == 0
    assert result.stdout.startswith("Linked to the members: ")


def test_backtest_as_of_slices_before_testing():
    result = run("backtest", "--as-of", "1900", "--cases", "3")
    assert result.exit_code == 0
    assert result.stdout.endswith("(no rows)\n" + NO_CASES + "\n")


def test_match_never_offers_the_declared_counts_as_attribute_columns():
    """The bundled data has declared, declared_members and declared_note: none is an attribute column."""
    result = run("gaps", "--match", "nope")
    assert result.exit_code == 2
    assert 'Error: unknown attribute column "nope"; known: type' in result.stderr


@pytest.mark.parametrize(("args", "by_id"), [
    (["gaps", "--partnership", "Fuldkornspartnerskabet"], ["gaps", "--partnership", "p-fuldkorn"]),
    (["centrality", "--sector", "Stat"], ["centrality", "--sector", "state"]),
    (["coverage", "--require", "Kommune"], ["coverage", "--require", "municipality"]),
    (["brokers", "--sector", "Viden og uddannelse"], ["brokers", "--sector", "knowledge"]),
])
def test_the_issues_names_work_on_the_bundled_data(args, by_id):
    named = run(*args, "--format", "csv", "-q")
    assert named.exit_code == 0, named.output
    assert named.stdout == run(*by_id, "--format", "csv", "-q").stdout
