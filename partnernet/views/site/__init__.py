"""Page models of the published site: what each page shows, as plain data.

:func:`partnernet.views.site.build.build_site` takes the frozen two-mode graph,
the metric tables (computed once per publish run) and the site options, and
returns a :class:`~partnernet.views.site.build.Site`, whose ``pages()`` yields one
:class:`~partnernet.views.site.model.Page` per HTML file, in a fixed order. A page
is headings, paragraphs, facts, tables of cells and links; it says *which* map
to embed but holds no HTML. :mod:`partnernet.render.site` turns pages into HTML;
nothing here imports jinja2 or touches files.

Modules:

``model``
    the dataclasses (``Page``, ``Section``, ``Table``, ``Cell``, ``SiteOptions``, …);
``context``
    ``SiteContext``: the lookup index, shared cells, labels and links every page needs;
``index``, ``lists``, ``partnership``, ``sector``, ``actor``, ``method``, ``suggestions``
    the page builders, one function per page kind;
``build``
    ``PAGE_KINDS``, the one registry of page kinds, ``Site`` and ``build_site``.

Links are **site paths** (``"partnerships/p-x.html"``, relative to the site
root, ``/`` separated); the renderer rewrites them relative to the page that
holds them, so the site works under any sub-path and over ``file://``.
Page file names come from :func:`partnernet.slug.unique_slugs` (one slug
space per folder).

Everything is deterministic: rows are sorted, numbers are formatted for the
page language by :func:`partnernet.text.format_number` and carry their
raw value (``Cell.sort``) for the table sorter.

Site layout::

    index.html                 what the data is, main map, sectors, coverage grid, top actors/brokers
    partnerships.html          all partnerships          partnerships/<slug>.html  one per partnership
    sectors.html               all sectors + mixing      sectors/<slug>.html       one per sector
    actors.html                actors with a page        actors/<slug>.html        top N actors
    suggestions.html           whom to invite, per missing sector
    method.html                how every figure is computed; the back-test
    maps.html                  the maps                  maps/network.html, maps/actors.html, maps/sectors.html
    downloads.html             the files                 downloads/…
    assets/                    scripts and styles, one copy for every page
"""
