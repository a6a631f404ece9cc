"""Page texts in Danish and English, and locale-aware number formatting.

A leaf module (no imports from the rest of partnernet, no pyvis, no jinja2) so
that both the view models and the renderers can use it, and the publish site
can reuse the same words. Every text shown on a page comes from here or from the
data; nothing is hard-coded in templates or JavaScript.

>>> text("da", "search")
'Søg'
>>> format_number(0.12345, "da"), format_number(1234567, "en")
('0,1235', '1,234,567')
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("da", "en")
DEFAULT_LANG: Final = "da"

TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        # headings and titles
        "title.network": "Partnerskabsnetværk",
        "title.actors": "Aktørnetværk",
        "title.sectors": "Sektorer og fælles partnerskaber",
        "title.partnership": "Partnerskab: {label}",
        "title.actor": "Netværket omkring {label}",
        "subtitle.network": "Aktører og de partnerskaber, de deltager i.",
        "subtitle.actors": "Aktører forbundet, når de deltager i samme partnerskab eller har et direkte samarbejde.",
        "subtitle.sectors": "Én knude pr. sektor; linjerne viser, hvor mange partnerskaber to sektorer deltager i sammen.",
        "subtitle.partnership": "Partnerskabet, dets medlemmer og medlemmernes øvrige partnerskaber. Stiplede cirkler er sektorer, der mangler.",
        "subtitle.actor": "Aktører inden for {depth} skridt og de partnerskaber, der forbinder dem.",
        "summary": "{actors} aktører, {partnerships} partnerskaber, {edges} forbindelser.",
        "summary.sectors": "{sectors} sektorer, {edges} forbindelser.",
        "summary.actors": "{actors} aktører, {edges} forbindelser.",
        "as_of": "Status i {year}.",
        "filtered_sectors": "Kun sektorerne: {sectors}.",
        "cap": "Kortet viser de {shown} af {total} knuder med højest {measure} (grænse: {max}).",
        "links.budget": "Kortet viser hver aktørs {per} stærkeste forbindelser (flest fælles partnerskaber, derefter højest {measure}): {shown} af {total} forbindelser.",
        "empty": "Der er ingen knuder at vise med de valgte filtre.",
        # controls
        "controls": "Betjening",
        "search": "Søg",
        "search.placeholder": "Navn på aktør eller partnerskab",
        "search.none": "Ingen resultater",
        "search.results": "{n} resultater",
        "filter.sector": "Sektorer",
        "filter.partnership": "Partnerskab",
        "filter.all_partnerships": "Alle partnerskaber",
        "reset": "Nulstil",
        "physics": "Fysik",
        "physics.on": "Fysik: til",
        "physics.off": "Fysik: fra",
        "download": "Hent billede (PNG)",
        "legend": "Signaturforklaring",
        "map": "Netværkskort",
        "map.label": "Netværkskort med {nodes} knuder og {edges} forbindelser. De samme data findes i tabellen under kortet.",
        "panel": "Detaljer",
        "panel.close": "Luk",
        "panel.hint": "Klik på en knude for at se detaljer.",
        # table
        "table": "Data som tabel",
        "table.nodes": "Knuder",
        "table.edges": "Forbindelser",
        "col.name": "Navn",
        "col.kind": "Art",
        "col.sector": "Sektor",
        "col.type": "Organisationstype",
        "col.from": "Fra",
        "col.to": "Til",
        "col.role": "Rolle",
        "col.weight": "Vægt",
        "col.relation": "Forbindelse",
        # node and edge kinds
        "kind.actor": "Aktør",
        "kind.partnership": "Partnerskab",
        "kind.missing": "Manglende sektor",
        "kind.sector": "Sektor",
        "relation.membership": "Medlemskab",
        "relation.tie": "Direkte samarbejde",
        "relation.co-membership": "Fælles partnerskaber",
        "relation.missing": "Mangler",
        "relation.sectors": "Fælles partnerskaber",
        # legend
        "legend.color.sector": "Farve: sektor",
        "legend.color.community": "Farve: fællesskab (klynge)",
        "legend.color.group": "Farve: helix-gruppe",
        "legend.shape": "Form",
        "legend.lines": "Linjer",
        "legend.size": "Størrelse: {measure}",
        "legend.width": "Linjetykkelse: vægt",
        "legend.actor": "Aktør (cirkel)",
        "legend.partnership": "Partnerskab (firkant)",
        "legend.sector": "Sektor (cirkel, størrelse = antal aktører)",
        "legend.missing": "Manglende sektor (stiplet cirkel)",
        "legend.membership": "Medlem (tynd grå linje)",
        "legend.lead": "Leder eller tovholder (tyk mørk linje)",
        "legend.tie": "Direkte samarbejde (stiplet linje)",
        "legend.co-membership": "Fælles partnerskaber (tykkere = flere)",
        "legend.sectors": "Fælles partnerskaber (tykkere = flere)",
        "legend.missing_line": "Mangler i partnerskabet (stiplet linje)",
        "community": "Fællesskab {n}",
        "community.other": "Øvrige fællesskaber",
        "no_sector": "Uden sektor",
        # side panel and tooltips
        "missing": "Mangler: {sector}",
        "missing_sectors": "Manglende sektorer",
        "present_sectors": "Sektorer til stede",
        "members": "Medlemmer",
        "partnerships": "Partnerskaber",
        "measures": "Mål",
        "none": "ingen",
        "coverage": "Dækning",
        "role_in": "{role} i {partnership}",
        "shared": "{n} fælles partnerskaber",
        # measures
        "measure.degree": "grad",
        "measure.betweenness": "betweenness (mellemled)",
        "measure.closeness": "closeness (nærhed)",
        "measure.eigenvector": "eigenvector-centralitet",
        "measure.pagerank": "PageRank",
        "measure.partnerships": "antal partnerskaber",
        "measure.partners": "antal partnere",
        "measure.members": "antal medlemmer",
        "measure.actors": "antal aktører",
        "measure.sectors": "antal sektorer",
        "measure.community": "fællesskab",
        # roles
        "role.member": "medlem",
        "role.lead": "leder",
        "role.secretariat": "sekretariat",
        "role.funder": "finansierer",
        "role.evaluator": "evaluator",
        "role.advisor": "rådgiver",
        "role.facilitator": "facilitator",
        # organisation types
        "type.ministry": "ministerium",
        "type.agency": "styrelse",
        "type.municipality": "kommune",
        "type.region": "region",
        "type.association": "forening",
        "type.union": "fagforening",
        "type.ngo": "NGO",
        "type.business": "virksomhed",
        "type.research": "forskningsinstitution",
        "type.education": "uddannelsesinstitution",
        "type.foundation": "fond",
        "type.consultancy": "rådgivningsvirksomhed",
        "type.other": "andet",
        "footer": "Lavet med partnernet. Kortet bruger vis-network (Apache-2.0/MIT) og virker uden internetforbindelse.",
    },
    "en": {
        "title.network": "Partnership network",
        "title.actors": "Actor network",
        "title.sectors": "Sectors and shared partnerships",
        "title.partnership": "Partnership: {label}",
        "title.actor": "The network around {label}",
        "subtitle.network": "Actors and the partnerships they take part in.",
        "subtitle.actors": "Actors linked when they take part in the same partnership or work together directly.",
        "subtitle.sectors": "One node per sector; lines show how many partnerships two sectors take part in together.",
        "subtitle.partnership": "The partnership, its members and their other partnerships. Dashed circles are missing sectors.",
        "subtitle.actor": "Actors within {depth} steps and the partnerships that connect them.",
        "summary": "{actors} actors, {partnerships} partnerships, {edges} links.",
        "summary.sectors": "{sectors} sectors, {edges} links.",
        "summary.actors": "{actors} actors, {edges} links.",
        "as_of": "As of {year}.",
        "filtered_sectors": "Only the sectors: {sectors}.",
        "cap": "The map shows the {shown} of {total} nodes with the highest {measure} (limit: {max}).",
        "links.budget": "The map shows each actor's {per} strongest links (most shared partnerships, then highest {measure}): {shown} of {total} links.",
        "empty": "There are no nodes to show with the chosen filters.",
        "controls": "Controls",
        "search": "Search",
        "search.placeholder": "Name of actor or partnership",
        "search.none": "No results",
        "search.results": "{n} results",
        "filter.sector": "Sectors",
        "filter.partnership": "Partnership",
        "filter.all_partnerships": "All partnerships",
        "reset": "Reset",
        "physics": "Physics",
        "physics.on": "Physics: on",
        "physics.off": "Physics: off",
        "download": "Download image (PNG)",
        "legend": "Legend",
        "map": "Network map",
        "map.label": "Network map with {nodes} nodes and {edges} links. The same data is in the table below the map.",
        "panel": "Details",
        "panel.close": "Close",
        "panel.hint": "Click a node to see details.",
        "table": "Data as a table",
        "table.nodes": "Nodes",
        "table.edges": "Links",
        "col.name": "Name",
        "col.kind": "Kind",
        "col.sector": "Sector",
        "col.type": "Organisation type",
        "col.from": "From",
        "col.to": "To",
        "col.role": "Role",
        "col.weight": "Weight",
        "col.relation": "Link",
        "kind.actor": "Actor",
        "kind.partnership": "Partnership",
        "kind.missing": "Missing sector",
        "kind.sector": "Sector",
        "relation.membership": "Membership",
        "relation.tie": "Direct tie",
        "relation.co-membership": "Shared partnerships",
        "relation.missing": "Missing",
        "relation.sectors": "Shared partnerships",
        "legend.color.sector": "Colour: sector",
        "legend.color.community": "Colour: community (cluster)",
        "legend.color.group": "Colour: helix group",
        "legend.shape": "Shape",
        "legend.lines": "Lines",
        "legend.size": "Size: {measure}",
        "legend.width": "Line width: weight",
        "legend.actor": "Actor (circle)",
        "legend.partnership": "Partnership (square)",
        "legend.sector": "Sector (circle, size = number of actors)",
        "legend.missing": "Missing sector (dashed circle)",
        "legend.membership": "Member (thin grey line)",
        "legend.lead": "Lead or coordinator (thick dark line)",
        "legend.tie": "Direct tie (dashed line)",
        "legend.co-membership": "Shared partnerships (thicker = more)",
        "legend.sectors": "Shared partnerships (thicker = more)",
        "legend.missing_line": "Missing from the partnership (dashed line)",
        "community": "Community {n}",
        "community.other": "Other communities",
        "no_sector": "No sector",
        "missing": "Missing: {sector}",
        "missing_sectors": "Missing sectors",
        "present_sectors": "Sectors present",
        "members": "Members",
        "partnerships": "Partnerships",
        "measures": "Measures",
        "none": "none",
        "coverage": "Coverage",
        "role_in": "{role} in {partnership}",
        "shared": "{n} shared partnerships",
        "measure.degree": "degree",
        "measure.betweenness": "betweenness",
        "measure.closeness": "closeness",
        "measure.eigenvector": "eigenvector centrality",
        "measure.pagerank": "PageRank",
        "measure.partnerships": "number of partnerships",
        "measure.partners": "number of partners",
        "measure.members": "number of members",
        "measure.actors": "number of actors",
        "measure.sectors": "number of sectors",
        "measure.community": "community",
        "role.member": "member",
        "role.lead": "lead",
        "role.secretariat": "secretariat",
        "role.funder": "funder",
        "role.evaluator": "evaluator",
        "role.advisor": "advisor",
        "role.facilitator": "facilitator",
        "type.ministry": "ministry",
        "type.agency": "agency",
        "type.municipality": "municipality",
        "type.region": "region",
        "type.association": "association",
        "type.union": "union",
        "type.ngo": "NGO",
        "type.business": "business",
        "type.research": "research institution",
        "type.education": "educational institution",
        "type.foundation": "foundation",
        "type.consultancy": "consultancy",
        "type.other": "other",
        "footer": "Made with partnernet. The map uses vis-network (Apache-2.0/MIT) and works without an internet connection.",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise ``ValueError`` naming the choices."""
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def texts(lang: str) -> dict[str, str]:
    """All texts for ``lang`` (a copy, safe to hand to a template)."""
    return dict(TEXTS[check_lang(lang)])


def text(lang: str, key: str, **values: object) -> str:
    """One text, formatted with ``values``; an unknown key or value for a key falls back to the key.

    >>> text("en", "role.lead"), text("en", "role.chair")
    ('lead', 'chair')
    """
    table = TEXTS[check_lang(lang)]
    template = table.get(key)
    if template is None:
        # unknown roles/types from user data are shown as they are
        return key.split(".", 1)[1] if "." in key else key
    return template.format(**values) if values else template


def format_number(value: float | int | None, lang: str, digits: int = 4) -> str:
    """Format a number for display: integers as integers, floats to ``digits`` places.

    Danish uses a decimal comma and a dot as thousands separator.
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1):
        s = f"{int(value):,}"
    else:
        s = f"{value:,.{digits}f}"
    if lang == "da":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s
