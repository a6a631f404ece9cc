"""The write stage: downloads into the staging folder, and the run's maps equal ``map_view``."""

import dataclasses
from pathlib import Path

from partnernet.graph import load_graph
from partnernet.load import locate
from partnernet.metrics.suite import compute_tables
from partnernet.publish.tasks import MapSettings, Staging
from partnernet.publish.writer import TABLE_TASK, Downloads, SiteMaps, download_tasks
from partnernet.views.map import map_view
from partnernet.views.site.model import MapSpec

DATA = Path(__file__).resolve().parent.parent / "data"


def test_each_table_is_its_own_download_task():
    assert download_tasks(["gaps", "coverage"]) == {"table:gaps": "tables", "table:coverage": "tables",
                                                    "graph-json": "tables", "graph-xml": "graph",
                                                    "suggestions": "suggestions"}


def test_downloads_write_their_files_and_report_the_sizes(tiny_graph, tmp_path):
    tables, _ = compute_tables(tiny_graph, only=["coverage"])
    writes = Downloads(tiny_graph, tables, Staging(str(tmp_path), "2024-01-31")).write_tables()
    assert [w.download for w in writes] == [TABLE_TASK + "coverage"]
    assert {name: (tmp_path / "downloads" / name).stat().st_size for name in writes[0].files} == writes[0].files
    assert writes[0].bytes == sum(writes[0].files.values()) and writes[0].pages == 0


def test_run_maps_match_map_view():
    """The run builds maps from its own tables (fast); they must show what ``map_view`` shows."""
    g = load_graph(locate(DATA))
    tables, _ = compute_tables(g)
    maker = SiteMaps(g, tables, MapSettings(lang="da", max_nodes=2000, seed=42))
    assert maker.view(MapSpec("network")) == map_view(g, view="network", tables=tables)
    # computed by itself, a map has no community table: the same but for the page's colour menu
    alone = map_view(g, view="network")
    assert "community" not in [c["id"] for c in alone.columns["columns"]]
    assert "community" in [c["id"] for c in maker.view(MapSpec("network")).columns["columns"]]
    assert dataclasses.replace(maker.view(MapSpec("network")), columns=alone.columns) == alone
    assert maker.view(MapSpec("sectors")) == map_view(g, view="sectors")
    for pid in ("p-groenne-indkoeb", "p-patientsikker-kommune", "p-fuldkorn"):
        ours = maker.view(MapSpec("network", partnership=pid))
        full = map_view(g, partnership=pid)
        assert [(n["id"], n["x"], n["y"], n["size"], n["color"]) for n in ours.nodes] == \
            [(n["id"], n["x"], n["y"], n["size"], n["color"]) for n in full.nodes]
        assert [(e["from"], e["to"]) for e in ours.edges] == [(e["from"], e["to"]) for e in full.edges]
        assert ours.legend == full.legend and ours.title == full.title


def test_suggestion_downloads_are_excel_csv_with_danish_headers(tmp_path):
    """Each partnership's suggestions: UTF-8 BOM, ``;``, decimal comma, CRLF, Danish headers and sector labels."""
    from partnernet.load import locate
    from partnernet.publish.options import PublishOptions
    from partnernet.publish.run import publish

    publish(locate(Path(__file__).resolve().parent.parent / "data"),
            PublishOptions(out=tmp_path / "site", date="2024-01-31"))
    data = (tmp_path / "site" / "downloads" / "suggestions" / "p-sundere-liv.csv").read_bytes()
    assert data.startswith("\ufeffPartnerskab;Manglende sektor;Nr.;Kandidat;Score;".encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    assert any(line.startswith("Sundere liv for alle – en partnerskabsstrategi;Viden og uddannelse;1;") and
               ";nej;" in line for line in lines)
    assert any("," in line.split(";")[4] for line in lines[1:-1])  # decimal comma in the score
