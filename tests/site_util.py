"""Helpers and fixtures of the site-model tests (tests/test_views_site_*.py): the bundled site, and
finding a section or table on a page."""

import os
from pathlib import Path

import pytest

from partnernet.graph import build_graph
from partnernet.load import load, locate
from partnernet.metrics.suite import compute_tables
from partnernet.views.site.build import build_site
from partnernet.views.site.model import Download, SiteOptions

ROOT = Path(__file__).resolve().parent.parent


def structural_funds() -> Path:
    """The real dk-structural-funds data (``PARTNERNET_SHARED_DATA``, else ``../shared/data`` of the checkout)."""
    env = os.environ.get("PARTNERNET_SHARED_DATA")
    return (Path(env) if env else ROOT.parent / "shared" / "data") / "dk-structural-funds"


def site_for(g, **options):
    tables, modularity = compute_tables(g)
    opts = SiteOptions(date="2024-01-31", modularity=modularity, **options)
    downloads = [Download("nodes.csv", "input", "Knuder", "CSV", 10), Download("graph.gexf", "graph", "Gephi", "GEXF", 20)]
    return build_site(g, tables, opts, downloads)


@pytest.fixture(scope="module")
def bundled_graph():
    return build_graph(load(locate(ROOT / "data")))


@pytest.fixture(scope="module")
def bundled(bundled_graph):
    return site_for(bundled_graph)


def all_pages(site):
    return list(site.pages())


def table(section, table_id):
    return next(t for t in section.tables if t.id == table_id)


def section(page, section_id):
    return next(s for s in page.sections if s.id == section_id)


#: Labels meant to break a page: markup, script, template syntax, bidi overrides, a 10,000-letter word.
HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% raw %}",
    "Ærø \u202eevil\u202c Å",
    "L" * 10_000,
]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_hostile_data(data: Path) -> Path:
    """Write nodes, edges and sectors whose labels, sector labels, names and extra columns are :data:`HOSTILE`."""
    nodes = ["id,label,kind,sector,note"]
    nodes.append(f"p1,{_csv_cell(HOSTILE[0])},partnership,,{_csv_cell(HOSTILE[1])}")
    nodes.append(f"p2,{_csv_cell(HOSTILE[3])},partnership,,")
    for i, text in enumerate(HOSTILE):
        sector = "evil" if i % 2 else "state"
        nodes.append(f"a{i},{_csv_cell(text)},actor,{sector},{_csv_cell(HOSTILE[(i + 1) % len(HOSTILE)])}")
    edges = ["source,target,role,comment"]
    for i in range(len(HOSTILE)):
        edges.append(f"a{i},p{1 + i % 2},member,{_csv_cell(HOSTILE[2])}")
    edges.append("a0,p2,lead,")
    (data / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (data / "edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    (data / "sectors.csv").write_text(
        "id,label_da,label_en,group,color\n"
        "state,Stat,State,public,#0072B2\n"
        f"evil,{_csv_cell(HOSTILE[1])},{_csv_cell(HOSTILE[0])},civil_society,#CC79A7\n",
        encoding="utf-8",
    )
    return data


#: A long evidence quote (folded on pages and in the side panel).
LONG_QUOTE = ("Partnerskabet blev oprettet af kommunen og ministeriet, som sammen har ansvaret for sekretariatet, "
              "den faglige bistand og den årlige opfølgning på målene i aftalen.")


def write_columns_data(data: Path) -> Path:
    """Nodes and edges with columns of their own: ``country``, ``kontaktperson``, a number with a decimal
    comma (``budget``), an empty value, a hostile value, an internal ``_note``; edges with ``evidence``
    (one long, one short, one empty)."""
    (data / "nodes.csv").write_text(
        "id,label,kind,sector,country,kontaktperson,budget,motto,_note\n"
        'p1,Grøn Omstilling,partnership,,,,"1234567,5",,intern note\n'
        'p2,Sund By,partnership,,,,"250,25",,\n'
        'a1,Aarhus Kommune,actor,municipality,Danmark,Åse Ørn,,"<img src=x onerror=alert(1)>",\n'
        "a2,Miljøstyrelsen,actor,state,Danmark,,,,\n"
        "a3,Novo Nordisk,actor,business,,Bo Berg,,,\n",
        encoding="utf-8")
    (data / "edges.csv").write_text(
        "source,target,role,evidence\n"
        f'a1,p1,lead,"{LONG_QUOTE}"\n'
        "a2,p1,member,Miljøstyrelsen deltager i styregruppen.\n"
        "a3,p1,member,\n"
        "a1,p2,member,\n"
        "a3,p2,lead,\n",
        encoding="utf-8")
    return data
