"""Helpers and fixtures of the site-model tests (tests/test_views_site_*.py): the bundled site, and
finding a section or table on a page."""

from pathlib import Path

import pytest

from partnernet.graph import build_graph
from partnernet.load import load, locate
from partnernet.metrics.suite import compute_tables
from partnernet.views.site.build import build_site
from partnernet.views.site.model import Download, SiteOptions

ROOT = Path(__file__).resolve().parent.parent


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
