"""The analysis commands: exit codes, formats, options, and exact output fragments."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import analysis, cli

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")

NODES = """id,label,kind,sector,start,end
P,Patientsikkert Sygehus,partnership,,2010,
T,Grønt Partnerskab,partnership,,2015,
kl,KL,actor,local_gov_association,,
dsp,Dansk Selskab for Patientsikkerhed,actor,civil_society,,
rh,Region Hovedstaden,actor,region,,
au,Aarhus Universitet,actor,knowledge,,
orsted,Ørsted,actor,business,,
"""
EDGES = """source,target,start,end
kl,P,,
dsp,P,,
rh,P,,
kl,T,2015,
orsted,T,2015,
au,rh,,
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def small(tmp_path) -> str:
    (tmp_path / "nodes.csv").write_text(NODES, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(EDGES, encoding="utf-8")
    return str(tmp_path)


def records(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_centrality_help_states_the_sampling_threshold():
    from partnernet.defaults import EXACT_MAX_NODES

    assert f"Above {EXACT_MAX_NODES:,} nodes" in analysis.centrality.help


# --- centrality ------------------------------------------------------------------------------


def test_centrality_table_is_readable(small):
    result = run("centrality", "--data", small)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["rank", "id", "label", "sector"]
    assert lines[0].split()[-5:] == ["degree", "betweenness", "closeness", "eigenvector", "pagerank"]
    assert lines[2].split()[:3] == ["1", "kl", "KL"]
    assert any("Ørsted" in line for line in lines)
    assert "5 actors ranked by betweenness (two-mode graph)" in result.stderr


def test_centrality_csv_header_and_ids(small):
    result = run("centrality", "--data", small, "--format", "csv", "-q")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == (
        "rank,id,label,sector,type,partnerships,partners,degree,betweenness,closeness,eigenvector,pagerank"
    )
    assert [r["id"] for r in rows][:1] == ["kl"]
    assert {r["sector"] for r in rows} >= {"region", "business"}


def test_centrality_json_top_sort_and_sector(small):
    rows = records(run("centrality", "--data", small, "--format", "json", "--sort", "partners", "--top", "2", "-q"))
    assert [(r["rank"], r["id"]) for r in rows] == [(1, "kl"), (1, "rh")]
    assert rows[0]["partners"] == 3
    rows = records(run("centrality", "--data", small, "--format", "json", "--sector", "region", "-q"))
    assert [r["id"] for r in rows] == ["rh"]
    assert rows[0]["rank"] == 2


def test_centrality_partnerships_and_actor_graph(small):
    rows = records(run("centrality", "--data", small, "--partnerships", "--format", "json", "-q"))
    assert [r["id"] for r in rows] == ["P", "T"]
    assert rows[0]["members"] == 3 and rows[0]["sectors"] == 3
    rows = records(run("centrality", "--data", small, "--graph", "actors", "--format", "json", "-q"))
    assert len(rows) == 5


def test_centrality_sampling_note_and_exact(small):
    result = run("centrality", "--data", small, "--samples", "3", "--format", "json")
    assert result.exit_code == 0
    assert "betweenness and closeness: approximate, 3 samples (seed 42); use --exact for exact values" in result.stderr
    assert "approximate" not in run("centrality", "--data", small, "--exact").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--exact", "--samples", "3"), "not both"),
        (("--sector", "stats"), 'Error: --sector: unknown sector "stats"; did you mean "state"?'),
        (("--sort", "members"), 'cannot sort by "members"'),
        (("--partnerships", "--graph", "actors"), "--partnerships"),
        (("--samples", "1"), "--samples"),
    ],
)
def test_centrality_usage_errors_exit_2(small, args, message):
    result = run("centrality", "--data", small, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_as_of_slices_the_network(small):
    rows = records(run("centrality", "--data", small, "--as-of", "2012", "--format", "json", "-q"))
    by_id = {r["id"]: r for r in rows}
    assert by_id["kl"]["partnerships"] == 1
    assert by_id["orsted"]["partnerships"] == 0


def test_out_file(small, tmp_path):
    target = tmp_path / "out" / "c.csv"
    result = run("centrality", "--data", small, "--format", "csv", "--out", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("rank,id,label")
    assert f"Wrote {target} (5 rows)" in result.stderr
    assert result.stdout == ""


def test_bundled_data_exact_and_published_shape():
    rows = records(run("centrality", "--data", DATA, "--format", "json", "--top", "1", "-q"))
    assert rows[0]["id"] == "kl" and rows[0]["rank"] == 1


# --- coverage --------------------------------------------------------------------------------


def test_coverage_json_lists_of_ids(small):
    rows = records(run("coverage", "--data", small, "--format", "json", "-q"))
    p = next(r for r in rows if r["id"] == "P")
    assert p["present"] == ["region", "local_gov_association", "civil_society"]
    assert p["counts"] == [1, 1, 1]
    assert "knowledge" in p["missing"] and p["coverage"] == 0.375
    assert p["diversity"] == pytest.approx(2 / 3, abs=1e-6)


def test_coverage_group_level_and_require(small):
    rows = records(run("coverage", "--data", small, "--level", "group", "--format", "json", "-q"))
    assert next(r for r in rows if r["id"] == "P")["missing"] == ["private", "knowledge"]
    rows = records(run("coverage", "--data", small, "--require", "region, knowledge", "--format", "json", "-q"))
    p = next(r for r in rows if r["id"] == "P")
    assert (p["missing"], p["coverage"]) == (["knowledge"], 0.5)


def test_coverage_csv_joins_lists(small):
    result = run("coverage", "--data", small, "--format", "csv", "-q")
    assert "P,Patientsikkert Sygehus,3,region|local_gov_association|civil_society,1|1|1," in result.stdout


def test_coverage_per_sector_and_matrix(small):
    rows = records(run("coverage", "--data", small, "--per-sector", "--format", "json", "-q"))
    region = next(r for r in rows if r["id"] == "region")
    assert (region["internal"], region["external"], region["ei_index"]) == (0, 3, 1.0)
    assert rows[0]["label_da"] == "Stat" and rows[0]["ei_index"] is None
    result = run("coverage", "--data", small, "--matrix", "-q")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["id", "state", "region"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--require", "regoin"), 'Error: --require: unknown sector "regoin"; did you mean "region"?'),
        (("--per-sector", "--matrix"), "either --per-sector or --matrix"),
        (("--matrix", "--require", "state"), "--require applies"),
        (("--level", "helix"), "--level"),
    ],
)
def test_coverage_usage_errors_exit_2(small, args, message):
    result = run("coverage", "--data", small, *args)
    assert result.exit_code == 2
    assert message in result.output


# --- brokers and communities ---------------------------------------------------------------


def test_brokers_sorted_by_cross_sector(small):
    rows = records(run("brokers", "--data", small, "--format", "json", "-q"))
    # kl and rh each bridge two open pairs of three sectors (liaison, read both ways): tied, by id.
    assert [(r["rank"], r["id"], r["liaison"]) for r in rows[:2]] == [(1, "kl", 4), (1, "rh", 4)]
    assert [r["cross_sector"] for r in rows] == sorted((r["cross_sector"] for r in rows), reverse=True)
    assert list(rows[0])[:4] == ["rank", "id", "label", "sector"]


def test_brokers_top_and_sector(small):
    rows = records(run("brokers", "--data", small, "--format", "json", "--top", "1", "--sector", "business", "-q"))
    assert [r["id"] for r in rows] == ["orsted"]


def test_communities_with_modularity_note(small):
    result = run("communities", "--data", small)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["id", "label", "sector", "community"]
    assert "modularity: " in result.stdout and "(Louvain, seed 42, resolution 1)" in result.stdout
    rows = records(run("communities", "--data", small, "--format", "json", "--by-sector"))
    assert rows[0]["community"] == 0
    assert sum(sum(v for k, v in r.items() if k != "community") for r in rows) == 5


def test_communities_deterministic(small):
    a = run("communities", "--data", small, "--format", "csv", "--seed", "5", "-q").stdout
    assert a == run("communities", "--data", small, "--format", "csv", "--seed", "5", "-q").stdout


def test_help_does_not_import_metrics():
    import subprocess
    import sys

    code = "import sys; from partnernet.cli import main; sys.argv=['partnernet','--help']\n" \
           "try:\n main()\nexcept SystemExit: pass\n" \
           "assert 'partnernet.metrics' not in sys.modules and 'networkx' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_out_to_a_fifo_writes_into_it(small, tmp_path):
    import os
    import threading

    fifo = tmp_path / "table.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = CliRunner().invoke(cli, ["centrality", "--data", small, "--format", "csv", "--out", str(fifo), "-q"])
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert got and got[0].startswith("rank,id,")


# --- names accepted everywhere (issue 15) ----------------------------------------------------------


@pytest.mark.parametrize(("command", "by_name", "by_id"), [
    (["centrality", "--sector"], "Region", "region"),
    (["centrality", "--sector"], "Civilsamfund", "civil_society"),
    (["brokers", "--sector"], "kommunale og regionale foreninger", "local_gov_association"),
    (["coverage", "--require"], "Kommune,Viden og uddannelse", "municipality,knowledge"),
    (["coverage", "--level", "group", "--require"], "Offentlig", "public"),
])
def test_options_take_labels_as_well_as_ids(small, command, by_name, by_id):
    named = run(*command, by_name, "--data", small, "--format", "csv", "-q")
    assert named.exit_code == 0, named.output
    assert named.stdout == run(*command, by_id, "--data", small, "--format", "csv", "-q").stdout


def test_an_ambiguous_name_is_a_usage_error_listing_the_candidates(tmp_path):
    (tmp_path / "nodes.csv").write_text(NODES, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(EDGES, encoding="utf-8")
    (tmp_path / "sectors.csv").write_text(
        "id,label_da,label_en,group,color\nngo,Forening,Association,civil_society,#CC79A7\n"
        "union,Fagforening,Forening,private,#D55E00\n", encoding="utf-8")
    (tmp_path / "nodes.csv").write_text(NODES.replace("local_gov_association", "union").replace(
        "civil_society", "ngo").replace(",region,", ",ngo,").replace(",knowledge,", ",ngo,").replace(
        ",business,", ",union,"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["centrality", "--data", str(tmp_path), "-q", "--sector", "FORENING"])
    assert result.exit_code == 2
    assert result.stderr == ('Error: --sector: "FORENING" is ambiguous: it names 2 sectors: "ngo" (Forening), '
                             '"union" (Fagforening); give the id\n')


def test_the_text_table_shows_sector_labels_and_csv_keeps_ids(small):
    text = run("centrality", "--data", small, "-q").stdout
    assert "Kommunale og regionale foreninger" in text and "local_gov_association" not in text
    assert "local_gov_association" in run("centrality", "--data", small, "-q", "--format", "csv").stdout
