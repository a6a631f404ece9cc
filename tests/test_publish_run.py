"""The publish run: stages, atomic swap, same bytes with and without workers, downloads as validated Excel CSV, exports."""

import csv
import hashlib
import io
import json
import os
import random
from pathlib import Path

import networkx as nx
import pytest

from partnernet.errors import OptionError, OutputError
from partnernet.graph import load_graph
from partnernet.load import load, locate
from partnernet.publish import writer
from partnernet.publish.options import MARKER, PublishOptions
from partnernet.publish.run import STAGES, estimated_pages, export, publish

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("pub") / "site"
    calls = []
    result = publish(locate(DATA), PublishOptions(out=out, date="2024-01-31"),
                     progress=lambda *a: calls.append(a))
    return out, result, calls


def test_publish_writes_the_site_layout(site):
    out, result, _ = site
    files = tree(out)
    for name in ("index.html", "partnerships.html", "sectors.html", "actors.html", "maps.html", "downloads.html",
                 "maps/network.html", "maps/actors.html", "maps/sectors.html",
                 "partnerships/p-groenne-indkoeb.html", "sectors/state.html", "actors/kl.html",
                 "assets/vis-network.min.js", "assets/map.js", "assets/map.css", "assets/site.js", "assets/site.css",
                 "downloads/nodes.csv", "downloads/edges.csv", "downloads/graph.gexf", "downloads/graph.graphml",
                 "downloads/nodes.json", "downloads/edges.json", MARKER):
        assert name in files, name
    for table in ("centrality", "partnership_centrality", "coverage", "sector_summary", "sector_mixing", "gaps",
                  "brokerage", "communities", "backtest"):
        assert f"downloads/{table}.csv" in files and f"downloads/{table}.json" in files
    assert "method.html" in files and "suggestions.html" in files
    assert "downloads/suggestions/p-fuldkorn.csv" in files and "downloads/suggestions/p-sundere-liv.csv" in files
    assert result.pages == 62 == len([f for f in files if f.endswith(".html")])
    assert result.files == len(files)
    assert result.bytes == sum((out / f).stat().st_size for f in files)
    assert result.index == out / "index.html"
    assert result.actor_pages == result.actors == 34
    assert result.date == "2024-01-31"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "no temporary folders left"


def test_assets_are_written_once_and_pages_stay_small(site):
    out, _, _ = site
    vis = (out / "assets" / "vis-network.min.js").stat().st_size
    assert vis > 300_000
    for page in (out / "partnerships").glob("*.html"):
        assert page.stat().st_size < vis / 5
        assert "vis.Network" not in page.read_text(encoding="utf-8")


def test_progress_reports_every_stage_in_order_and_timings_are_returned(site):
    _, result, calls = site
    stages = []
    for stage, done, total in calls:
        assert 0 <= done <= total
        if not stages or stages[-1] != stage:
            stages.append(stage)
    assert stages == list(STAGES)
    assert all(done == total for stage, done, total in calls if (stage, done, total) == calls[-1])
    assert set(result.timings) == set(STAGES)
    assert all(t >= 0 for t in result.timings.values())


def test_downloads_are_the_validated_input_and_excel_csv(site):
    out, _, _ = site
    for name in ("nodes.csv", "edges.csv"):
        data = (out / "downloads" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data != (DATA / name).read_bytes()
    again = load(locate(out / "downloads"))  # the downloads are valid input, and the same data
    first = load(locate(DATA))
    assert again.nodes.equals(first.nodes) and again.edges.equals(first.edges)
    page = (out / "downloads.html").read_text(encoding="utf-8")
    for name in ("nodes.csv", "edges.csv"):
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() in page
    data = (out / "downloads" / "coverage.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid;label;members;present;counts;declared;declared_counts;missing;coverage;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 10
    assert json.loads((out / "downloads" / "coverage.json").read_bytes())[0]["id"] == rows[1][0]
    g = nx.read_gexf(out / "downloads" / "graph.gexf")
    assert g.number_of_nodes() == 43


def test_rebuilding_gives_the_same_bytes(site, tmp_path):
    out, _, _ = site
    again = tmp_path / "again"
    publish(locate(DATA), PublishOptions(out=again, date="2024-01-31"))
    assert tree(again) == tree(out)


def test_parallel_workers_write_the_same_bytes(site, tmp_path):
    out, _, _ = site
    par = tmp_path / "par"
    publish(locate(DATA), PublishOptions(out=par, date="2024-01-31", workers=2))
    assert tree(par) == tree(out)
    assert any(name.startswith("downloads/suggestions/") for name in tree(par))  # the suggestion lists too


def test_parallel_run_computes_tables_in_a_worker(monkeypatch, tmp_path):
    """With workers, brokerage, communities and the back-test come from the worker; this process never
    computes them."""
    from partnernet.metrics import backtest, brokerage, communities

    def forbidden(*args, **kwargs):
        raise AssertionError("computed in the publishing process")

    monkeypatch.setattr(brokerage, "brokerage_table", forbidden)
    monkeypatch.setattr(communities, "community_table", forbidden)
    monkeypatch.setattr(backtest, "backtest", forbidden)
    result = publish(locate(DATA), PublishOptions(out=tmp_path / "par", date="2024-01-31", workers=2))
    assert (tmp_path / "par" / "downloads" / "brokerage.csv").stat().st_size > 100
    assert (tmp_path / "par" / "downloads" / "communities.json").stat().st_size > 100
    assert (tmp_path / "par" / "downloads" / "backtest.csv").stat().st_size > 100
    assert result.pages > 0


def test_estimated_pages_counts_partnerships_actor_pages_sectors(site):
    _, result, _ = site
    g = load_graph(locate(DATA))
    assert estimated_pages(g, 1000) == result.pages  # the site's own count, before its model exists
    assert estimated_pages(g, 0) == estimated_pages(g, 1000) - 34


def test_a_failed_run_leaves_the_previous_site_intact(site, tmp_path, monkeypatch):
    out = tmp_path / "site"
    publish(locate(DATA), PublishOptions(out=out, date="2024-01-31"))
    before = tree(out)
    calls = {"n": 0}
    real = writer.Writer.pages

    def failing(self, keys):
        calls["n"] += 1
        if calls["n"] == 9:
            raise RuntimeError("disk on fire")
        return real(self, keys)

    monkeypatch.setattr(writer.Writer, "pages", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        publish(locate(DATA), PublishOptions(out=out, date="2025-06-01", lang="en"))
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "the staging folder is removed"


def test_a_folder_partnernet_did_not_write_is_never_replaced(tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(OutputError, match="not written by partnernet"):
        publish(locate(DATA), PublishOptions(out=precious))
    assert (precious / "thesis.docx").read_bytes() == b"years of work"
    empty = tmp_path / "empty"
    empty.mkdir()
    publish(locate(DATA), PublishOptions(out=empty, date="2024-01-31"))
    assert (empty / "index.html").is_file()


def test_out_is_a_file_is_an_output_error(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(OutputError):
        publish(locate(DATA), PublishOptions(out=f))


def test_bad_options_are_option_errors(tmp_path):
    with pytest.raises(OptionError):
        publish(locate(DATA), PublishOptions(out=tmp_path / "s", lang="de"))
    with pytest.raises(OptionError):
        publish(locate(DATA), PublishOptions(out=tmp_path / "s", max_nodes=0))
    with pytest.raises(OptionError):
        publish(locate(DATA), PublishOptions(out=tmp_path / "s", exact=True, samples=10))


def test_as_of_publishes_the_network_of_that_year(tmp_path):
    result = publish(locate(DATA), PublishOptions(out=tmp_path / "s", date="2024-01-31", as_of=2008))
    index = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "Status i år" in index and "2008" in index
    assert result.partnerships < 9


def test_actor_pages_cap(tmp_path):
    result = publish(locate(DATA), PublishOptions(out=tmp_path / "s", date="2024-01-31", max_actor_pages=3))
    assert result.actor_pages == 3
    assert len(list((tmp_path / "s" / "actors").glob("*.html"))) == 3
    assert "3 af 34 aktører" in (tmp_path / "s" / "actors.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, name", [("gexf", "g.gexf"), ("graphml", "g.graphml")])
def test_export_graph_files_equal_the_site_downloads(site, tmp_path, fmt, name):
    out, _, _ = site
    result = export(locate(DATA), fmt, tmp_path / name, date="2024-01-31")
    assert result.out.read_bytes() == (out / "downloads" / f"graph.{fmt}").read_bytes()


def test_export_csv_folder(site, tmp_path):
    out, _, _ = site
    result = export(locate(DATA), "csv", tmp_path / "csv")
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert MARKER in names
    assert set(result.files) == {n for n in names if n != MARKER}
    assert "nodes.csv" in names and "gaps.csv" in names and not any(n.endswith(".json") for n in names)
    for n in result.files:
        if n != "received.csv":
            assert (tmp_path / "csv" / n).read_bytes() == (out / "downloads" / n).read_bytes()
    received = (tmp_path / "csv" / "received.csv").read_text(encoding="utf-8-sig").splitlines()
    assert received == ["name;file;size;sha256"] + [
        f"{n};{n};{(DATA / n).stat().st_size};{hashlib.sha256((DATA / n).read_bytes()).hexdigest()}"
        for n in ("nodes.csv", "edges.csv")]
    export(locate(DATA), "csv", tmp_path / "csv")  # replaces its own folder


def test_export_json_folder(site, tmp_path):
    out, _, _ = site
    result = export(locate(DATA), "json", tmp_path / "json")
    assert "nodes.json" in result.files and "coverage.json" in result.files
    for n in result.files:
        assert (tmp_path / "json" / n).read_bytes() == (out / "downloads" / n).read_bytes()


def test_export_refuses_a_foreign_folder_and_bad_formats(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x")
    with pytest.raises(OutputError):
        export(locate(DATA), "csv", tmp_path / "mine")
    with pytest.raises(OptionError):
        export(locate(DATA), "xls", tmp_path / "x")


# --- a large network, for the time budget ----------------------------------------------------

def synthetic(folder: Path, n_actors: int, n_parts: int, ties: int = 0, seed: int = 1) -> Path:
    """A skewed random two-mode network: a few actors in many partnerships, most in one or two."""
    rnd = random.Random(seed)
    sectors = ["state", "region", "municipality", "local_gov_association", "business", "business_association",
               "civil_society", "knowledge"]
    weights = [5, 2, 15, 1, 40, 8, 20, 9]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "label", "kind", "sector", "type", "start", "end"])
        for i in range(n_parts):
            w.writerow([f"p{i}", f"Partnerskab {i} om grøn omstilling", "partnership", "", "", 2000 + i % 20, ""])
        for i in range(n_actors):
            w.writerow([f"a{i}", f"Aktør {i}", "actor", rnd.choices(sectors, weights)[0], "", "", ""])
    with open(folder / "edges.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "role"])
        for p in range(n_parts):
            size = min(300, max(2, int(rnd.lognormvariate(1.8, 0.7))))
            chosen: set[int] = set()
            while len(chosen) < size:
                chosen.add(int(n_actors * rnd.random() ** 2))
            for j, a in enumerate(sorted(chosen)):
                w.writerow([f"a{a}", f"p{p}", "lead" if j == 0 else "member"])
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < ties:
            a, b = sorted(rnd.sample(range(n_actors), 2))
            if (a, b) not in pairs:
                pairs.add((a, b))
                w.writerow([f"a{a}", f"a{b}", "member"])
    return folder


def test_a_mid_sized_network_publishes_with_capped_actor_pages(tmp_path):
    """Timing targets live in benchmarks/run.py; this checks the capped shape of a larger run."""
    data = synthetic(tmp_path / "data", 2000, 400, ties=200)
    result = publish(locate(data), PublishOptions(out=tmp_path / "site", date="2024-01-31", max_actor_pages=300))
    assert result.partnerships == 400 and result.actor_pages == 300
    assert len(list((tmp_path / "site" / "partnerships").glob("*.html"))) == 400
    assert len(list((tmp_path / "site" / "actors").glob("*.html"))) == 300


def test_an_unprotected_script_with_workers_fails_cleanly_instead_of_hanging(tmp_path):
    """With spawn, workers re-run the calling script; without a main guard that must stop, not loop or hang."""
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    out = tmp_path / "site"
    script.write_text(
        "from partnernet.load import locate\n"
        "from partnernet.publish.options import PublishOptions\nfrom partnernet.publish.run import publish\n"
        f"publish(locate({str(DATA)!r}), PublishOptions(out={str(out)!r}, workers=2))\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env,
                          cwd=tmp_path)
    assert done.returncode != 0
    assert "a worker process stopped unexpectedly" in done.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unguarded.py"], "no staging folder left"


def test_capped_actor_map_has_the_links_of_the_actor_network():
    """The whole-network actor map takes its kept actors' links from the sparse matrix, not the whole projection."""
    from partnernet.graph import actor_network
    from partnernet.views.map import MapBuilder, map_view

    g = load_graph_for_test()
    view = map_view(g, view="actors", max_nodes=15)
    kept = {n["id"] for n in view.nodes}
    assert len(kept) == 15
    h = actor_network(g).subgraph(kept)
    ours = sorted((e["from"], e["to"], e["weight"], e["relation"]) for e in view.edges)
    want = sorted((*sorted((u, v)), d["weight"], "co-membership" if d["shared"] else "tie")
                  for u, v, d in h.edges(data=True))
    assert ours == want
    # the public builder with precomputed rows gives the map_view result
    assert MapBuilder(g, lang="da").node_view("actors", max_nodes=15) == view


def load_graph_for_test():
    return load_graph(locate(DATA))


def test_a_huge_label_costs_its_size_once_on_the_pages(tmp_path):
    """A 0.9 MB label of an actor in 40 partnerships: shortened wherever the actor is named, whole once on its
    own page (and in the downloads), so the pages stay small (before: 171 MB of pages)."""
    from partnernet.defaults import LABEL_TEXT_MAX

    label = ("Aktør med et meget langt navn " * 30_000)[:900_000].strip()
    nodes = ["id,label,kind,sector"] + [f"p{i},Partnerskab {i},partnership," for i in range(40)]
    nodes += [f'big,"{label}",actor,state'] + [f"a{j},Aktør {j},actor,business" for j in range(80)]
    edges = ["source,target"] + [f"{a},p{i}" for i in range(40) for a in ("big", f"a{2 * i}", f"a{2 * i + 1}")]
    (tmp_path / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    publish(locate(tmp_path), PublishOptions(out=out, date="2024-01-31", workers=1))
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    # 81 actor pages with an ego map each (about 20 KB; the big actor's name shortened in them) and the label once
    assert sum(len(text) for text in pages.values()) < 6_000_000
    assert [name for name, text in pages.items() if label in text] == ["actors/big.html"]
    assert pages["actors/big.html"].count(label) == 1
    short = label[: LABEL_TEXT_MAX - 1].rstrip() + "…"
    assert short in pages["partnerships/p7.html"] and len(pages["partnerships/p7.html"]) < 200_000
    assert label in (out / "downloads" / "nodes.csv").read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def with_previous(tmp_path_factory):
    """The bundled data published with itself as of 2012 as the previous edition."""
    out = tmp_path_factory.mktemp("pub-prev") / "site"
    result = publish(locate(DATA), PublishOptions(out=out, date="2024-01-31", previous=DATA, previous_as_of=2012))
    return out, result


def test_previous_adds_the_changes_page_and_its_downloads(site, with_previous):
    out, result = with_previous
    plain, plain_result, _ = site
    assert (out / "changes.html").is_file() and not (plain / "changes.html").exists()
    assert result.pages == plain_result.pages + 1
    assert estimated_pages(load_graph(locate(DATA)), 1000, changes=True) == result.pages
    from partnernet.metrics.diff import SITE_TABLES

    for name in SITE_TABLES:
        assert (out / "downloads" / f"{name}.csv").read_bytes().startswith("\ufeff".encode())  # Excel CSV
        json.loads((out / "downloads" / f"{name}.json").read_text(encoding="utf-8"))
        assert f"{name}.csv" in (out / "downloads.html").read_text(encoding="utf-8")
    members = list(csv.reader(io.StringIO((out / "downloads" / "changes_members.csv").read_text("utf-8-sig")),
                              delimiter=";"))
    assert members[1][:4] == ["p-patientsikker-kommune", "Partnerskabet Patientsikker Kommune", "changed",
                              "danmarks-apotekerforening"]
    assert 'href="../changes.html"' in (out / "partnerships" / "p-uddannelse.html").read_text(encoding="utf-8")


def test_previous_gives_the_same_bytes_with_workers(with_previous, tmp_path):
    out, _ = with_previous
    par = tmp_path / "par"
    publish(locate(DATA), PublishOptions(out=par, date="2024-01-31", previous=DATA, previous_as_of=2012, workers=2))
    assert tree(par) == tree(out)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory):
    out = tmp_path_factory.mktemp("pub2") / "site"
    result = publish(locate(DATA), PublishOptions(out=out, date="2024-01-31", lang="da,en"))
    return out, result


def test_two_languages_share_assets_and_downloads(bilingual, site):
    out, result = bilingual
    one, _ , _ = site
    files = tree(out)
    pages = [f for f in tree(one) if f.endswith(".html")]
    assert all(f in files and f"en/{f}" in files for f in pages)   # every page in both languages
    assert not any(f.startswith("en/assets/") for f in files)      # one copy of the assets
    assert result.pages == 2 * len(pages)
    for name in ("nodes.csv", "graph.gexf", "gaps.json"):             # the same bytes, a hard link
        assert (out / "downloads" / name).stat().st_ino == (out / "en" / "downloads" / name).stat().st_ino
    da = (out / "downloads/suggestions/p-groenne-indkoeb.csv").read_text(encoding="utf-8-sig")
    en = (out / "en/downloads/suggestions/p-groenne-indkoeb.csv").read_text(encoding="utf-8-sig")
    assert da.startswith("Partnerskab;") and en.startswith("Partnership;")
    index = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and 'hreflang="da" href="../index.html"' in index
    # the first language is the one-language site, but for the links to its translation
    for f in pages:
        html = (out / f).read_text(encoding="utf-8")
        assert 'hreflang="en"' in html, f


def test_one_language_site_is_unchanged_by_the_bilingual_option(site):
    out, _, _ = site
    assert not (out / "en").exists()
    assert "hreflang" not in (out / "index.html").read_text(encoding="utf-8")


def test_bilingual_site_with_workers_has_the_same_bytes(bilingual, tmp_path):
    out, _ = bilingual
    publish(locate(DATA), PublishOptions(out=tmp_path / "w", date="2024-01-31", lang="da,en", workers=2))
    assert tree(tmp_path / "w") == tree(out)


def test_a_hidden_column_stays_in_the_downloads(tmp_path):
    from .site_util import write_columns_data

    (tmp_path / "data").mkdir()
    data = write_columns_data(tmp_path / "data")
    out = tmp_path / "site"
    publish(locate(data), PublishOptions(out=out, date="2024-01-31", hide_columns=("kontaktperson",)))
    assert "Bo Berg" in (out / "downloads" / "nodes.csv").read_text(encoding="utf-8-sig")
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "Bo Berg" not in pages and "intern note" not in pages and "Åse Ørn" not in pages
    assert "Danmark" in pages
    with pytest.raises(OptionError, match="did you mean"):
        publish(locate(data), PublishOptions(out=tmp_path / "x", date="2024-01-31", hide_columns=("kontakt",)))
    assert not (tmp_path / "x").exists()
