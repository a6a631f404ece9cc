"""The ``partnernet map`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnernet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_map_writes_the_file_and_prints_its_path(tmp_path):
    out = tmp_path / "out" / "kort.html"
    result = run("map", "--data", DATA, "--out", str(out), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html
    assert "Partnerskabsnetværk" in html


def test_map_summary_on_stderr(tmp_path):
    result = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"))
    assert result.exit_code == 0
    assert "Map: 43 nodes, 43 links" in result.stderr


def test_map_options_reach_the_view(tmp_path):
    out = tmp_path / "m.html"
    result = run("map", "--data", DATA, "--out", str(out), "-q", "--view", "actors", "--lang", "en",
                 "--title", "Actors & <friends>", "--caption", "Source: test", "--size-by", "degree",
                 "--color-by", "group", "--sector", "state", "--sector", "Kommune")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<h1>Actors &amp; &lt;friends&gt;</h1>" in html
    assert "Source: test" in html and "Size: degree" in html
    assert "Only the sectors: State, Municipality." in html


def test_map_partnership_and_actor_views(tmp_path):
    a = tmp_path / "p.html"
    assert run("map", "--data", DATA, "--out", str(a), "-q", "--partnership", "p-groenne-indkoeb").exit_code == 0
    assert "Mangler: Civilsamfund" in a.read_text(encoding="utf-8")
    b = tmp_path / "a.html"
    assert run("map", "--data", DATA, "--out", str(b), "-q", "--actor", "kl", "--depth", "2").exit_code == 0
    assert "Netværket omkring KL" in b.read_text(encoding="utf-8")


@pytest.mark.parametrize("view", ["network", "actors", "sectors"])
def test_the_smallest_max_nodes_works_on_every_view(tmp_path, view):
    result = run("map", "--data", DATA, "--view", view, "--max-nodes", "1", "--out", str(tmp_path / "m.html"), "-q")
    assert result.exit_code == 0, result.output


def test_map_max_nodes_and_as_of(tmp_path):
    out = tmp_path / "m.html"
    result = run("map", "--data", DATA, "--out", str(out), "--max-nodes", "5", "--as-of", "2010")
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Kortet viser 4 af" in html and "og 1 af" in html and "Status i 2010." in html
    assert "(top 5 of" in result.stderr


def test_unknown_partnership_is_a_usage_error_with_a_suggestion(tmp_path):
    result = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "-q", "--partnership", "p-fuldkorns")
    assert result.exit_code == 2
    assert 'Error: --partnership: unknown partnership "p-fuldkorns"; did you mean "p-fuldkorn"?' in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_unknown_actor_and_sector(tmp_path):
    r1 = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "-q", "--actor", "miljoestyrelsn")
    assert r1.exit_code == 2 and 'did you mean "miljoestyrelsen"' in r1.stderr
    r0 = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "-q", "--actor", "miljostyrelsen")
    assert r0.exit_code == 0  # the label without its ø works too
    r2 = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "-q", "--sector", "stat")
    assert r2.exit_code == 0  # the Danish label works too
    r3 = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "-q", "--sector", "stae")
    assert r3.exit_code == 2 and 'did you mean "state"' in r3.stderr


def test_bad_choice_is_a_usage_error(tmp_path):
    result = run("map", "--data", DATA, "--out", str(tmp_path / "m.html"), "--size-by", "fame")
    assert result.exit_code == 2


def test_output_into_a_file_path_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("map", "--data", DATA, "--out", str(blocker / "m.html"), "-q")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_utf8_file_under_a_c_locale(tmp_path):
    out = tmp_path / "m.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENCODING"))}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "partnernet", "map", "--data", DATA, "--out", str(out), "-q"],
                            env=env, capture_output=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    raw = out.read_bytes()
    assert "Miljøstyrelsen".encode("utf-8") in raw
    raw.decode("utf-8")


def test_command_module_imports_nothing_heavy():
    code = ("import sys, partnernet.cli.map; "
            "print(sorted(m for m in ('networkx', 'polars', 'pyvis', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_same_bytes_across_processes(tmp_path):
    """Python's hash randomisation (set order) must not leak into the file."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"m{seed}.html"
        subprocess.run([sys.executable, "-m", "partnernet", "map", "--data", DATA, "--out", str(out), "-q"],
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}, check=True,
                       capture_output=True, timeout=120)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_an_out_name_too_long_is_a_clear_output_error(tmp_path):
    result = run("map", "--data", DATA, "--out", str(tmp_path / ("m" * 300)), "-q")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(": file name too long (300 bytes in one name; at most 255)")


def test_map_shows_the_data_own_columns_unless_hidden(tmp_path):
    out = tmp_path / "kort.html"
    assert run("map", "--data", DATA, "--out", str(out), "-q").exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "evidence: " in html and "declared_note" in html
    result = run("map", "--data", DATA, "--out", str(out), "--hide-column", "evidence,declared_note", "-q")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '"evidence"' not in html and "evidence: " not in html and "declared_note" not in html
    result = run("map", "--data", DATA, "--out", str(out), "--hide-column", "land")
    assert result.exit_code == 2 and "is not a column of the data" in result.output
