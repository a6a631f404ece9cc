"""``partnernet publish`` and ``partnernet export``: options, messages, exit codes."""

import json
import os
import threading
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from partnernet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def test_publish_writes_the_site_and_says_where_to_open_it(tmp_path):
    out = tmp_path / "site"
    result = run("publish", "--data", DATA, "--out", str(out), "--date", "2024-01-31")
    assert result.exit_code == 0, result.output
    assert f"Open {out / 'index.html'}" in result.output.splitlines()[-1]
    assert "Using data:" in result.output
    assert "Site: 62 pages" in result.output
    assert (out / "index.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2024-01-31" in index and '<html lang="da">' in index


def test_publish_options_reach_the_pages(tmp_path):
    out = tmp_path / "site"
    result = run("publish", "--data", DATA, "--out", str(out), "--date", "2024-01-31", "--lang", "en",
                 "--title", "Partnerships <2024>", "--org", "Danish Business Authority", "--max-actor-pages", "5",
                 "--max-nodes", "20", "--exact", "-q")
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index
    assert "Partnerships &lt;2024&gt;" in index and "Danish Business Authority" in index
    assert "About the data" in index
    assert len(list((out / "actors").glob("*.html"))) == 5
    assert result.output.strip() == f"Open {out / 'index.html'}"  # -q: only the result


def test_publish_is_reproducible_with_source_date_epoch(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("publish", "--data", DATA, "--out", str(a), "-q", env=env).exit_code == 0
    assert run("publish", "--data", DATA, "--out", str(b), "-q", env=env).exit_code == 0
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    assert "2023-11-14" in (a / "index.html").read_text(encoding="utf-8")


def test_verbose_prints_stage_timings(tmp_path):
    result = run("publish", "--data", DATA, "--out", str(tmp_path / "s"), "--date", "2024-01-31", "-v")
    assert result.exit_code == 0
    for stage in ("load", "metrics", "write", "swap"):
        assert f"  {stage}" in result.output


def test_usage_errors_exit_2(tmp_path):
    for args in (["--date", "31-01-2024"], ["--date", "2024-02-30"], ["--lang", "de"], ["--exact", "--samples", "9"],
                 ["--max-nodes", "0"], ["--samples", "1"]):
        result = run("publish", "--data", DATA, "--out", str(tmp_path / "s"), *args)
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "s").exists()


def test_output_problems_exit_1_and_change_nothing(tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    result = run("publish", "--data", DATA, "--out", str(foreign))
    assert result.exit_code == 1
    assert "error: cannot write" in result.output and "not written by partnernet" in result.output
    assert "nothing was changed" in result.output
    assert (foreign / "notes.txt").read_text() == "keep me"
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert run("publish", "--data", DATA, "--out", str(afile)).exit_code != 0


def test_data_errors_exit_1(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "nodes.csv").write_text("id,sector\na,stats\n", encoding="utf-8")
    (d / "edges.csv").write_text("source,target\na,zz\n", encoding="utf-8")
    result = run("publish", "--data", str(d), "--out", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "unknown sector" in result.output
    assert not (tmp_path / "s").exists()


def test_export_gexf_and_graphml(tmp_path):
    for fmt in ("gexf", "graphml"):
        out = tmp_path / f"g.{fmt}"
        result = run("export", "--data", DATA, "--format", fmt, "--out", str(out), "--date", "2024-01-31")
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1] == str(out)
        g = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
        assert g.number_of_nodes() == 43 and g.number_of_edges() == 43


def test_export_csv_and_json_folders(tmp_path):
    result = run("export", "--data", DATA, "--format", "csv", "--out", str(tmp_path / "csv"), "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "centrality.csv").read_bytes().startswith(b"\xef\xbb\xbfid;label;")
    assert (tmp_path / "csv" / "edges.csv").read_bytes().startswith(b"\xef\xbb\xbfsource;target;")
    assert (tmp_path / "csv" / "received.csv").is_file()
    result = run("export", "--data", DATA, "--format", "json", "--out", str(tmp_path / "json"), "-q")
    assert result.exit_code == 0
    assert len(json.loads((tmp_path / "json" / "nodes.json").read_bytes())) == 43


def test_export_needs_a_known_format(tmp_path):
    assert run("export", "--data", DATA, "--format", "xls").exit_code == 2
    assert run("export", "--data", DATA).exit_code == 2


def test_a_bad_date_is_reported_by_the_library_before_any_data_is_read(tmp_path):
    """Deliberate change: the message is the library's (publish.options.build_date), no longer a click copy of it."""
    result = run("publish", "--data", DATA, "--out", str(tmp_path / "s"), "--date", "31-01-2024")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: --date: '31-01-2024' is not a date in the form YYYY-MM-DD"]
    result = run("export", "--data", DATA, "--format", "csv", "--date", "2024-02-30")
    assert (result.exit_code, result.stderr.splitlines()) == (2, ["Error: --date: '2024-02-30' is not a valid date"])


def test_out_the_working_folder_is_refused_before_any_data_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("publish", "--nodes", "missing.csv", "--edges", "missing.csv", "--out", ".")
    assert result.exit_code == 2  # click checks the files first: the refusal itself is below
    result = run("publish", "--data", DATA, "--out", ".", "-q")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == ("error: cannot write .: is the working folder or contains it, and cannot "
                                             "be replaced while in use; choose another --out (e.g. a subfolder)")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_out_name_too_long_is_a_clear_output_error(tmp_path):
    long = tmp_path / ("a" * 300)
    for args in (["publish", "--out", str(long)], ["export", "--format", "csv", "--out", str(long)],
                 ["export", "--format", "gexf", "--out", str(long)]):
        result = run(*args, "--data", DATA, "-q")
        assert result.exit_code == 1, result.output
        assert result.output.splitlines()[0].endswith(": file name too long (300 bytes in one name; at most 255)")


def test_publish_through_a_symlinked_folder_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    result = run("publish", "--data", DATA, "--out", str(tmp_path / "link"), "--date", "2024-01-31", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / "index.html").is_file()


def _fifo(path: Path, data: bytes) -> threading.Thread:
    """A named pipe at ``path`` that gives ``data`` once, like ``<(cat file)``."""
    os.mkfifo(path)

    def feed():
        with open(path, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return writer


def test_inputs_from_pipes_are_read_once_and_published_whole(tmp_path):
    nodes, edges = (Path(DATA) / "nodes.csv").read_bytes(), (Path(DATA) / "edges.csv").read_bytes()
    _fifo(tmp_path / "n", nodes), _fifo(tmp_path / "e", edges)
    out = tmp_path / "site"
    result = run("publish", "--nodes", str(tmp_path / "n"), "--edges", str(tmp_path / "e"), "--out", str(out),
                 "--date", "2024-01-31", "-q")
    assert result.exit_code == 0, result.output
    assert (out / "downloads" / "nodes.csv").stat().st_size > 0 and (out / "downloads" / "edges.csv").stat().st_size > 0
    (tmp_path / "n").unlink(), (tmp_path / "e").unlink()
    _fifo(tmp_path / "n", nodes), _fifo(tmp_path / "e", edges)
    result = run("export", "--format", "csv", "--nodes", str(tmp_path / "n"), "--edges", str(tmp_path / "e"),
                 "--out", str(tmp_path / "csv"), "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "nodes.csv").stat().st_size > 0 and (tmp_path / "csv" / "edges.csv").stat().st_size > 0


def test_workers_are_capped_and_the_run_says_so(tmp_path, monkeypatch):
    from partnernet.publish import workers

    monkeypatch.setattr(workers, "cpus", lambda: 1)
    result = run("publish", "--data", DATA, "--out", str(tmp_path / "site"), "--workers", "1000")
    assert result.exit_code == 0, result.output
    assert "--workers 1000: 1 used (at most one per CPU and per task)" in result.output.splitlines()


def test_previous_adds_the_what_changed_page(tmp_path):
    year = run("publish", "--data", DATA, "--previous-as-of", "2012", "--out", str(tmp_path / "a"), "--date", "2024-01-31")
    folder = run("publish", "--data", DATA, "--previous", DATA, "--previous-as-of", "2012", "--out", str(tmp_path / "b"),
                 "--date", "2024-01-31")
    assert year.exit_code == folder.exit_code == 0
    page = (tmp_path / "a" / "changes.html").read_text(encoding="utf-8")
    assert "Hvad er ændret" in page and "1 nyt partnerskab" in page
    assert (tmp_path / "b" / "changes.html").read_bytes().replace(b"data/nodes.csv, data/edges.csv", b"") \
        == page.encode("utf-8").replace(b"data/nodes.csv, data/edges.csv", b"")


def test_two_languages_and_their_usage_errors(tmp_path):
    out = tmp_path / "site"
    result = run("publish", "--data", DATA, "--out", str(out), "--date", "2024-01-31", "--lang", "da, en", "-q")
    assert result.exit_code == 0, result.output
    assert (out / "en" / "index.html").is_file() and not (out / "en" / "assets").exists()
    for value, message in (("da,da", "names a language twice"), ("da,fr", "'fr' is not one of da, en"),
                           (",", "give a language")):
        result = run("publish", "--data", DATA, "--out", str(tmp_path / "s"), "--lang", value)
        assert result.exit_code == 2 and message in result.output, (value, result.output)
    assert not (tmp_path / "s").exists()


def test_hide_column_hides_from_pages_and_an_unknown_one_is_a_usage_error(tmp_path):
    out = tmp_path / "site"
    result = run("publish", "--data", DATA, "--out", str(out), "--date", "2024-01-31", "--hide-column",
                 "declared_note", "-q")
    assert result.exit_code == 0, result.output
    page = (out / "partnerships" / "p-groenne-indkoeb.html").read_text(encoding="utf-8")
    assert "declared_note" not in page and "declared_members" in page
    assert "declared_note" in (out / "downloads" / "nodes.csv").read_text(encoding="utf-8-sig")
    result = run("publish", "--data", DATA, "--out", str(tmp_path / "s"), "--hide-column", "evidenc")
    assert result.exit_code == 2
    assert '--hide-column: "evidenc" is not a column of the data; did you mean "evidence"?' in result.output
    assert not (tmp_path / "s").exists()
