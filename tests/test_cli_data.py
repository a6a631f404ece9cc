import json
from pathlib import Path

from click.testing import CliRunner

from partnernet.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(folder: Path, nodes: str, edges: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_text(nodes, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")
    return folder


def test_validate_bundled_data_ok():
    result = run("validate", "--data", str(ROOT / "data"))
    assert result.exit_code == 0
    assert "OK: 34 actors, 9 partnerships, 43 edges" in result.output
    assert result.output.rstrip().endswith("0 errors, 2 warnings")


def test_validate_reports_every_problem_with_location(tmp_path):
    d = write(tmp_path / "d", "id,sector\na,state\na,stats\n", "source,target\na,zz\n")
    result = run("validate", "--data", str(d))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    nodes = str(d / "nodes.csv")
    assert any(line.endswith('nodes.csv:3:1 (id): "a" – duplicate id (first on line 2)') for line in lines)
    assert any('nodes.csv:3:2 (sector): "stats" – unknown sector' in line and 'did you mean "state"?' in line for line in lines)
    assert any('edges.csv:2:2 (target): "zz" – unknown node id: not in ' in line for line in lines)
    assert lines[-1] == "3 errors, 0 warnings"  # "a" is linked (to the unknown "zz"), so not isolated
    assert "Traceback" not in result.output
    assert nodes


def test_summary_json_counts_bundled_data():
    result = run("summary", "--data", str(ROOT / "data"), "--format", "json", "-q")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["partnerships"] == 9
    assert report["actors"] == 34
    assert sum(report["actors_by_sector"].values()) == 34


def test_summary_table_is_readable():
    result = run("summary", "--data", str(ROOT / "data"), "-q")
    assert result.exit_code == 0
    assert "Actors by sector" in result.output
    lines = result.output.splitlines()
    assert any(line.startswith("  Kommune ") and line.endswith(" 9") for line in lines)  # sectors by label
    assert "  municipality                   9\n" in result.output  # types by id


def test_data_and_nodes_together_is_a_usage_error(tmp_path):
    d = write(tmp_path / "d", "id\na\n", "source,target\n")
    result = run("validate", "--data", str(d), "--nodes", str(d / "nodes.csv"), "--edges", str(d / "edges.csv"))
    assert result.exit_code == 2
    assert "use either --data DIR or --nodes FILE --edges FILE, not both" in result.output


def test_version_and_help():
    assert run("--version").output.startswith("partnernet, version")
    assert "Data format" in run("--help").output
