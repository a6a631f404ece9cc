"""The map view model: what an interactive network map shows, as plain data.

:func:`map_view` turns the frozen two-mode graph (and the metric tables computed
from it) into a :class:`MapView`: nodes with label, plain-text tooltip, integer
position, colour, size, shape, sector, kind and measures; edges with width, role
and dash style; a legend; the filter menus; and every text in the chosen
language. It is pure (no pyvis, no jinja2, no files) and JSON-serialisable
through :meth:`MapView.to_dict`, so it can be tested without a browser and
rendered by :mod:`partnernet.render.map`.

Views
-----
``network`` (default)
    The two-mode network: actors (circles) and partnerships (squares).
``actors``
    The one-mode actor network (:func:`partnernet.graph.actor_network`).
``sectors``
    One node per sector (size = number of actors); an edge joins two sectors
    that take part in the same partnership, weighted by the number of such
    partnerships.
``partnership=ID``
    That partnership, its members and the other partnerships sharing the most
    members with it, plus one dashed "empty place" per missing sector (from the
    coverage table).
``actor=ID, depth=N``
    The ego network: the actors within N steps in the actor network (shared
    partnership or direct tie) nearest to the actor, and the partnerships that
    connect them, the ego's own first; bounded.

Positions come from :mod:`partnernet.views.layout` (fixed seed, integer pixels;
small maps then have their nodes moved apart so labels do not overlap), so the
same data gives the same bytes; options and ids are checked by
:mod:`partnernet.views.map_options` first. Which nodes a focus map shows, and
which a whole map keeps above ``max_nodes`` (default
:data:`partnernet.defaults.MAX_NODES`), is decided by :mod:`partnernet.views.select`,
and the page says what was left out.

The module is longer than most (about 950 lines) because :class:`MapBuilder` is one
object whose steps share its texts, vocabulary, colour encoding and metric rows;
:meth:`MapBuilder.node_view` reads as focus → filter → cap → nodes → edges →
legend, each step a method, and everything that does not need that state
(positions, option checks, sector names) lives in its own module.

>>> from partnernet.graph import graph_from_records
>>> g = graph_from_records(
...     nodes=[{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
...            {"id": "b", "sector": "business"}],
...     edges=[{"source": "a", "target": "p", "role": "lead"}, {"source": "b", "target": "p"}])
>>> v = map_view(g, lang="en")                               # doctest: +SKIP
>>> [n["id"] for n in v.nodes], v.title                      # doctest: +SKIP
(['a', 'b', 'p'], 'Partnership network')
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Final

import networkx as nx

from .. import schema
from ..graph import actor_network, actor_subnetwork, concrete_subgraph, memberships_of, members, sectors_of
from ..defaults import MAX_NODES, SEED, SIZE_BY
from ..text import (MEASURE_DIGITS, count_text, data_label, format_number, format_percent, map_text, map_texts,
                    round_half_up, shorten)
from .columns import DataColumns, data_columns, tooltip_lines
from .labels import group_label, sector_color, sector_label
from .layout import OVERLAP_MAX, circle_layout, layout, radial_layout, remove_overlaps
from .map_columns import map_columns
from .map_options import check_map_options
from .select import (SECTOR_FLOOR, Selection, actor_rank, actors_first, ego_nodes, near_actors, partnership_nodes,
                     ranked_actors)

ACTOR_MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank", "partnerships", "partners")
PARTNERSHIP_MEASURES: Final = ("members", "sectors", "degree", "betweenness", "closeness")
#: Display order of measures in tables and panels.
MEASURE_ORDER: Final = (*SIZE_BY, "sectors", "actors")

#: Okabe–Ito colours (colour-blind safe) for the helix groups and for communities.
GROUP_COLORS: Final = {
    "public": "#0072B2",
    "private": "#E69F00",
    "civil_society": "#CC79A7",
    "knowledge": "#009E73",
}
COMMUNITY_COLORS: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOR: Final = "#BBBBBB"
EDGE_COLOR: Final = "#8C8C8C"
LEAD_COLOR: Final = "#222222"

ACTOR_SIZE: Final = (7.0, 28.0)
PARTNERSHIP_SIZE: Final = (8.0, 20.0)
SECTOR_SIZE: Final = (14.0, 48.0)
MISSING_SIZE: Final = 12.0
LEAD_ROLES: Final = ("lead", "secretariat", "facilitator")

#: The whole actor-network map shows each actor's strongest links only, this many, when it would
#: otherwise have more links than this many per actor (see :func:`partnernet.graph.actor_subnetwork`).
LINKS_PER_ACTOR: Final = 8

MISSING_PREFIX: Final = "missing:"
SECTOR_PREFIX: Final = "sector:"


@dataclass(frozen=True)
class MapView:
    """Everything a map page shows, as plain JSON-ready data.

    ``nodes``: dicts with ``id, label, title, x, y, color, size, shape, group,
    sector, sector_label, kind, type, type_label, measures, partnerships`` (and
    for partnerships ``members, present, missing, coverage``; for missing
    sectors ``dashes``). ``edges``: ``id, from, to, width, role, role_label,
    relation, weight, dashes, color, title``. ``legend``: colour items, shapes,
    lines and the size text. ``sectors``/``partnerships``: the filter menus.
    ``texts``: every UI text in ``lang``.
    """

    view: str
    lang: str
    title: str
    subtitle: str
    caption: str | None
    summary: str
    notes: list[str]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: dict[str, Any]
    sectors: list[dict[str, Any]]
    partnerships: list[dict[str, Any]]
    texts: dict[str, str]
    color_by: str
    size_by: str
    max_nodes: int
    total_nodes: int
    capped: bool
    focus: str | None = None
    seed: int = SEED
    measures: list[str] = field(default_factory=list)
    #: what the page can colour, filter and size by, and the years (:func:`~partnernet.views.map_columns.map_columns`)
    columns: dict[str, Any] = field(default_factory=dict)
    #: the data's date (a publish run's ``--date``), printed on the exported image
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A deep plain-dict copy (lists and dicts only), ready for ``json.dumps``.

        Made by a JSON round trip, which is fast and proves the view is JSON-serialisable.
        """
        return json.loads(json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, allow_nan=False))


# --- small helpers -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _plain_text(lang: str, key: str) -> str:
    """:func:`~partnernet.text.map_text` without values, remembered (a site asks for the same
    role, kind and type names hundreds of thousands of times)."""
    return map_text(lang, key)


def _round(value: Any, digits: int = MEASURE_DIGITS) -> Any:
    """A measure or weight for the page data: rounded as every page shows it, integers as integers."""
    if isinstance(value, float):
        return _round_float(value, digits)
    return value


@functools.lru_cache(maxsize=1 << 18)
def _round_float(value: float, digits: int) -> float | int | None:
    """:func:`_round` of a float, remembered: a site shows an actor's measures on every map it is on
    (3.3 million roundings at L), and rounding half up goes through ``Decimal``. Floats that are equal
    keys (0.0 and -0.0) round alike."""
    if math.isnan(value) or math.isinf(value):
        return None
    r = round_half_up(value, digits)
    return int(r) if r.is_integer() and abs(r) >= 1 else r


def _scale(value: float | None, vmax: float, lo: float, hi: float) -> float:
    """Area-true size: radius grows with the square root of the value."""
    if value is None or vmax <= 0 or value <= 0:
        return lo
    return round(lo + (hi - lo) * math.sqrt(min(value, vmax) / vmax), 1)


def _isolate(label: str) -> str:
    """Wrap a data text in Unicode bidi isolates so an RTL override inside it cannot reorder the rest."""
    return f"\u2068{label}\u2069"


def _edge_width(w: float, wmin: float, wmax: float) -> float:
    if wmax <= wmin:
        return 1.5
    return round(1.0 + 5.0 * math.sqrt((w - wmin) / (wmax - wmin)), 1)


def _rows(frame) -> dict[str, dict[str, Any]]:
    if frame is None:
        return {}
    return {row["id"]: row for row in frame.iter_rows(named=True)}


#: Average width of a label character, in font sizes (system-ui, Danish names: 0.56–0.63 measured).
LABEL_EM: Final = 0.62
#: Longest label drawn on a map, in characters (the page shortens longer ones with "…").
LABEL_CHARS: Final = 40


def label_font_size(size: float, focus: bool = False) -> int:
    """The font size of a node's label on the page (bigger nodes, bigger labels; the focus bigger still)."""
    return min(18, int(round(13 + size * 0.25))) + (4 if focus else 0)


def separate_labels(nodes: list[dict[str, Any]]) -> None:
    """Move the nodes of a small map apart until no node with its label under it overlaps another
    (:func:`~partnernet.views.layout.remove_overlaps`), in place. Label widths are estimated
    (:data:`LABEL_EM`); the page hides any label that still collides."""
    if not 1 < len(nodes) <= OVERLAP_MAX:
        return
    boxes = {}
    for n in nodes:
        fs = label_font_size(n["size"], n.get("focus", False))
        half = max(n["size"], fs * LABEL_EM * min(len(n["label"]), LABEL_CHARS) / 2)
        boxes[n["id"]] = (-half, -n["size"], half, n["size"] + 1.5 * fs + 4)
    pos = remove_overlaps({n["id"]: (n["x"], n["y"]) for n in nodes}, boxes)
    for n in nodes:
        n["x"], n["y"] = pos[n["id"]]


# --- the view -------------------------------------------------------------------------


def map_view(
    g: nx.Graph,
    *,
    view: str = "network",
    partnership: str | None = None,
    actor: str | None = None,
    depth: int = 1,
    sector: str | Sequence[str] | None = None,
    color_by: str = "sector",
    size_by: str = "betweenness",
    max_nodes: int = MAX_NODES,
    lang: str = "da",
    title: str | None = None,
    caption: str | None = None,
    seed: int = SEED,
    tables: Mapping[str, Any] | None = None,
    hide_columns: Sequence[str] = (),
) -> MapView:
    """Build the map view model from the frozen two-mode graph ``g`` (see module docstring).

    ``tables`` (optional) are metric tables already computed for ``g``, by name
    (``centrality``, ``partnership_centrality``, ``coverage``, ``communities``;
    see :class:`MapBuilder`): given, they are used instead of computing the
    metrics again, which is what a publish run does for its thousands of maps.
    ``hide_columns``: own columns of the data not to show (see :mod:`partnernet.views.columns`).

    Raises :class:`~partnernet.errors.OptionError` for unknown ids (with a
    did-you-mean), unknown choices and contradictory options. ``g`` is never
    modified.
    """
    partnership, actor, sectors = check_map_options(
        g, view=view, partnership=partnership, actor=actor, depth=depth, sector=sector, color_by=color_by,
        size_by=size_by, max_nodes=max_nodes, lang=lang)

    columns = data_columns(g, hide_columns)
    builder = MapBuilder(g, lang=lang, color_by=color_by, size_by=size_by, seed=seed, tables=tables, columns=columns)
    if view == "sectors":
        return builder.sectors_view(sectors, title=title, caption=caption, max_nodes=max_nodes)
    return builder.node_view(view, partnership=partnership, actor=actor, depth=depth, sectors=sectors,
                             max_nodes=max_nodes, title=title, caption=caption)


class MapBuilder:
    """Builds map views of one graph; the public way to make many views from precomputed tables.

    :func:`map_view` checks its options and resolves ids, then uses a builder.
    A caller making many views (the publish run: one map per partnership)
    makes the metric rows once and passes them to every builder::

        rows = MapBuilder.metric_rows(tables)          # once per run
        b = MapBuilder(h, lang="da", rows=rows)         # h: g or a neighbourhood of it
        view = b.node_view("network", partnership=pid)  # or b.sectors_view(), ...

    ``tables`` / ``rows``: the metric tables by name — ``centrality`` (actor
    measures), ``partnership_centrality``, ``coverage`` and ``communities``
    (only for ``color_by="community"``) — or their rows by id
    (:meth:`metric_rows`). Given, they are used for every view mode (the
    actor-network map then shows the measures of the tables, e.g. two-mode
    centrality); missing ones count as empty. Without them each view computes
    its metrics from the graph it shows. ``columns``: the data's own columns to show
    (:func:`~partnernet.views.columns.data_columns` of the whole network; default: all of
    ``g``'s). Ids and options are not checked here: that is :func:`map_view`'s job.
    """

    def __init__(self, g: nx.Graph, *, lang: str = "da", color_by: str = "sector", size_by: str = "betweenness",
                 seed: int = SEED, tables: Mapping[str, Any] | None = None,
                 rows: tuple[dict, dict, dict, dict] | None = None, columns: DataColumns | None = None):
        self.g = g
        self.columns = columns if columns is not None else data_columns(g)
        self.lang = lang
        self.color_by = color_by
        self.size_by = size_by
        self.seed = seed
        self.vocab = sectors_of(g)
        self._rows = rows if rows is not None else (self.metric_rows(tables) if tables is not None else None)

    @staticmethod
    def metric_rows(tables: Mapping[str, Any]) -> tuple[dict, dict, dict, dict]:
        """The rows by id of the metric tables a view uses: actor measures, partnership measures,
        coverage, communities (see the class docs)."""
        return (_rows(tables.get("centrality")), _rows(tables.get("partnership_centrality")),
                _rows(tables.get("coverage")), _rows(tables.get("communities")))

    def t(self, key: str, **kw: object) -> str:
        if kw:
            return map_text(self.lang, key, **kw)
        return _plain_text(self.lang, key)

    def count(self, key: str, n: int, **kw: object) -> str:
        """The plural form of ``key`` for ``n`` (see :func:`~partnernet.text.count_text`)."""
        return count_text(self.lang, key, n, **kw)

    def sector_label(self, sid: str | None) -> str:
        return sector_label(self.vocab, sid, self.lang)

    def sector_color(self, sid: str | None) -> str:
        return sector_color(self.vocab, sid)

    def measure_name(self, m: str) -> str:
        return self.t(f"measure.{m}")

    # -- metrics -------------------------------------------------------------------

    def metrics(self, mode: str) -> tuple[dict, dict, dict, dict]:
        """Actor measures, partnership measures, coverage rows and communities (by id)."""
        if self._rows is not None:
            return self._rows
        g = self.g
        has_actors = any(k == schema.ACTOR for _, k in g.nodes(data=schema.KIND))
        has_partnerships = any(k == schema.PARTNERSHIP for _, k in g.nodes(data=schema.KIND))
        actor_rows = part_rows = cover_rows = comm_rows = {}
        if has_actors:
            from ..metrics.centrality import centrality_table

            # two-mode centrality on every view, as on the site (its tables): the actor-network map of
            # the command line then keeps the same actors and links as the site's
            actor_rows = _rows(centrality_table(g, graph="two-mode", seed=self.seed))
        if has_partnerships:
            from ..metrics.centrality import partnership_table
            from ..metrics.coverage import coverage_table

            if mode == "network":
                part_rows = _rows(partnership_table(g))
            cover_rows = _rows(coverage_table(g))
        if self.color_by == "community" and has_actors:
            from ..metrics.communities import community_table

            comm_rows = _rows(community_table(g, seed=self.seed))
        return actor_rows, part_rows, cover_rows, comm_rows

    # -- colours ---------------------------------------------------------------------

    def community_colors(self, comm_rows: dict) -> dict[int, str]:
        sizes = Counter(r["community"] for r in comm_rows.values() if r.get("community") is not None)
        order = sorted(sizes, key=lambda c: (-sizes[c], c))
        return {c: (COMMUNITY_COLORS[i] if i < len(COMMUNITY_COLORS) else OTHER_COLOR) for i, c in enumerate(order)}

    def actor_color(self, aid: str, sid: str | None, comm_rows: dict, comm_colors: dict) -> tuple[str, str]:
        """(group id, colour) of an actor under the chosen colour encoding."""
        if self.color_by == "community":
            c = comm_rows.get(aid, {}).get("community")
            if c is None:
                return "community-none", schema.NO_SECTOR_COLOR
            color = comm_colors.get(c, OTHER_COLOR)
            return (f"community-{c}" if color != OTHER_COLOR else "community-other"), color
        if self.color_by == "group":
            if sid is None or sid not in self.vocab:
                return "none", schema.NO_SECTOR_COLOR
            grp = self.vocab.group_of(sid)
            return grp, GROUP_COLORS.get(grp, OTHER_COLOR)
        if sid is None or sid not in self.vocab:
            return "none", schema.NO_SECTOR_COLOR
        return sid, self.sector_color(sid)

    def color_legend(self, nodes: list[dict], comm_colors: dict) -> dict[str, Any]:
        counts = Counter(n["group"] for n in nodes if n["kind"] == schema.ACTOR)
        colors = {n["group"]: n["color"] for n in nodes if n["kind"] == schema.ACTOR}
        items = []
        if self.color_by == "sector":
            order = [s.id for s in self.vocab] + ["none"]
            for gid in order:
                if gid in counts:
                    items.append({"id": gid, "label": self.sector_label(None if gid == "none" else gid),
                                  "color": colors[gid], "count": counts[gid]})
        elif self.color_by == "group":
            for gid in [*schema.GROUPS, "none"]:
                if gid in counts:
                    label = group_label(gid, self.lang) if gid in schema.GROUPS else self.t("no_sector")
                    items.append({"id": gid, "label": label, "color": colors[gid], "count": counts[gid]})
        else:
            numbered = sorted((g for g in counts if g.startswith("community-") and g[10:].lstrip("-").isdigit()),
                              key=lambda g: list(comm_colors).index(int(g[10:])) if int(g[10:]) in comm_colors else 0)
            for i, gid in enumerate(numbered, start=1):
                items.append({"id": gid, "label": self.t("community", n=i), "color": colors[gid], "count": counts[gid]})
            for gid, key in (("community-other", "community.rest"), ("community-none", "no_sector")):
                if gid in counts:
                    items.append({"id": gid, "label": self.t(key), "color": colors[gid], "count": counts[gid]})
        return {"title": self.t(f"legend.color.{self.color_by}"), "items": items}

    def page_columns(self, nodes: list[dict], edges: list[dict], comm_rows: dict) -> dict[str, Any]:
        """The columns the page can colour, filter and size by, in this builder's colours and words."""
        sectors = [(s.id, s.label(self.lang), s.color) for s in self.vocab]
        sectors.append(("", self.t("no_sector"), schema.NO_SECTOR_COLOR))
        rank = {gid: i for i, gid in enumerate(schema.GROUPS)}
        groups = {s.id: (self.vocab.group_of(s.id), group_label(self.vocab.group_of(s.id), self.lang),
                         GROUP_COLORS.get(self.vocab.group_of(s.id), OTHER_COLOR),
                         rank.get(self.vocab.group_of(s.id), len(rank))) for s in self.vocab}
        communities = None
        if comm_rows:
            # ranked among the map's own actors: a site's thousands of maps each read only their rows
            shown = {n["id"]: comm_rows[n["id"]] for n in nodes if n["kind"] == schema.ACTOR and n["id"] in comm_rows}
            colors = self.community_colors(shown)
            order = {c: i for i, c in enumerate(colors)}
            communities = {a: (self.t("community", n=order[r["community"]] + 1), colors[r["community"]],
                               order[r["community"]])
                           for a, r in shown.items() if r.get("community") in order}
        return map_columns(self.g, nodes, edges, lang=self.lang, sectors=sectors, groups=groups,
                           communities=communities, other_color=OTHER_COLOR)

    # -- the node views (network, actors, focus) ---------------------------------------

    def node_view(self, view: str = "network", *, partnership: str | None = None, actor: str | None = None,
                  depth: int = 1, sectors: list[str] | None = None, max_nodes: int = MAX_NODES,
                  title: str | None = None, caption: str | None = None,
                  selection: Selection | None = None) -> MapView:
        """A ``network`` or ``actors`` view, whole or around a ``partnership`` / ``actor``.

        The steps, each a method: :meth:`_focus` (which nodes) → :meth:`_filter` (sectors) →
        :meth:`_cap` (the node limit) → :meth:`_nodes` → :meth:`_edges` → :meth:`_node_legend`.
        ``selection`` (optional) is the :meth:`_focus` result made on a larger graph than the
        builder's (a site ego map is built on the ego's own small graph, and states the counts of
        the whole one).
        """
        g = self.g
        two_mode = view == "network"
        # the whole actor network is built only when it is walked (ego networks); the whole-network
        # actors map needs its kept actors only, taken from the sparse co-membership matrix
        lazy_actors = not two_mode and actor is None
        base = g if two_mode else (None if lazy_actors else actor_network(g))
        focus = partnership or actor

        rows = self.metrics("network" if two_mode else "actors")
        actor_rows, part_rows, cover_rows, comm_rows = rows
        comm_colors = self.community_colors(comm_rows) if self.color_by == "community" else {}
        sel = selection or self._focus(base, two_mode, partnership=partnership, actor=actor, depth=depth,
                                       actor_rows=actor_rows)
        keep = set(sel.keep)
        if sectors is not None:
            keep = self._filter(keep, sectors, focus)
        total = len(keep)
        keep, cut = self._cap(keep, sel, max_nodes, focus, two_mode, actor_rows, part_rows)
        capped = cut is not None or len(keep) < total
        sub, links_total = self._subgraph(base, keep, partnership, actor_rows)

        # missing sectors of the focus partnership, as dashed empty places
        missing_nodes: list[str] = []
        if partnership is not None:
            missing_nodes = [MISSING_PREFIX + s for s in (cover_rows.get(partnership, {}).get("missing") or [])]
            pos = self._partnership_positions(sub, partnership, missing_nodes)
        elif actor is not None and two_mode and depth == 1:
            pos = self._ego_positions(sub, actor)
        else:
            pos = layout(sub, seed=self.seed)

        part_labels = {p: shorten(str(g.nodes[p].get(schema.LABEL) or p))
                       for p, k in g.nodes(data=schema.KIND) if k == schema.PARTNERSHIP}
        nodes, a_measures, p_measures = self._nodes(keep, pos, rows, comm_colors, part_labels, focus)
        nodes += self._missing_nodes(missing_nodes, pos, partnership, part_labels)
        if partnership is None:  # a partnership map's rings are spaced for labels; a site has thousands
            separate_labels(nodes)
        edges = self._edges(sub, two_mode) + self._missing_edges(partnership, missing_nodes)
        for i, e in enumerate(edges):
            e["id"] = f"e{i}"
        legend = self._node_legend(nodes, edges, comm_colors, missing_nodes)

        if partnership is not None:
            default_title = self.t("title.partnership", label=part_labels[partnership])
            subtitle = self.t("subtitle.partnership")
        elif actor is not None:
            default_title = self.t("title.actor", label=shorten(str(g.nodes[actor].get(schema.LABEL) or actor)))
            subtitle = self.t("subtitle.actor", depth=self.count("count.steps", depth))
        else:
            default_title = self.t(f"title.{view}")
            subtitle = self.t(f"subtitle.{view}")
        summary = self.t("summary" if two_mode else "summary.actors",
                         actors=self.count("count.actors", sum(1 for n in nodes if n["kind"] == schema.ACTOR)),
                         partnerships=self.count("count.partnerships",
                                                 sum(1 for n in nodes if n["kind"] == schema.PARTNERSHIP)),
                         edges=self.count("count.links", sum(1 for e in edges if e["relation"] != "missing")))
        notes = self._notes(sectors)
        notes += self._selection_notes(cut or sel, depth)
        if capped and cut is None:
            notes.append(self.t("cap", shown=format_number(len(keep), self.lang), total=self.count("count.nodes", total),
                                measure=self.measure_name(self.size_by), max=format_number(max_nodes, self.lang)))
        if links_total is not None and sub.number_of_edges() < links_total:
            notes.append(self.count("links.budget", LINKS_PER_ACTOR, measure=self.measure_name(self.size_by),
                                    shown=format_number(sub.number_of_edges(), self.lang),
                                    total=self.count("count.links", links_total)))
        return MapView(
            view=view, lang=self.lang, title=title or default_title, subtitle=subtitle, caption=caption,
            summary=summary, notes=notes, nodes=nodes, edges=edges, legend=legend,
            sectors=self._sector_menu(nodes), partnerships=self._partnership_menu(nodes, g, part_labels),
            texts=map_texts(self.lang), color_by=self.color_by, size_by=self.size_by, max_nodes=max_nodes,
            total_nodes=total, capped=capped, focus=focus, seed=self.seed,
            measures=sorted(set(a_measures) | set(p_measures), key=MEASURE_ORDER.index),
            columns=self.page_columns(nodes, edges, comm_rows),
        )

    def _focus(self, base: nx.Graph | None, two_mode: bool, *, partnership: str | None, actor: str | None,
               depth: int, actor_rows: dict) -> Selection:
        """The nodes a view starts from (:mod:`partnernet.views.select`): a partnership's bounded
        neighbourhood, an actor's bounded ego network, or all.

        ``base`` is the graph the view shows (None: the actor network, not built).
        """
        g = self.g
        if partnership is not None:
            return partnership_nodes(g, partnership)
        if actor is not None:
            if depth == 1:
                near = near_actors(g, actor)
            else:
                near = nx.single_source_shortest_path_length(base if not two_mode else actor_network(g), actor,
                                                             cutoff=depth)
            return ego_nodes(g, actor, near, self.actor_key(actor_rows), two_mode=two_mode)
        if base is None:
            keep = frozenset(n for n, k in g.nodes(data=schema.KIND) if k == schema.ACTOR)
        else:
            keep = frozenset(base.nodes)
        return Selection(keep)

    def actor_key(self, actor_rows: dict):
        """Sort key of actors, best first (:func:`~partnernet.views.select.actor_rank`) by the size measure."""
        key = self.size_by if any(self.size_by in r for r in actor_rows.values()) else "partnerships"
        return actor_rank(self.g, {n: r.get(key) for n, r in actor_rows.items()})

    def _cap(self, keep: set, sel: Selection, max_nodes: int, focus: str | None, two_mode: bool,
             actor_rows: dict, part_rows: dict) -> tuple[set, Selection | None]:
        """``keep`` under ``max_nodes``: the whole map by its rule (actors first), a focus map by
        the size measure (:meth:`top_nodes`); and the selection the page then states."""
        if len(keep) <= max_nodes:
            return keep, None
        if focus is None and sel.rule is None:
            if two_mode:
                cut = actors_first(self.g, keep, max_nodes, self.actor_key(actor_rows))
            else:
                cut = Selection(frozenset(ranked_actors(self.g, keep, max_nodes, self.actor_key(actor_rows))),
                                "actors", min(max_nodes, len(keep)), len(keep))
            return set(cut.keep), cut
        return set(self.top_nodes(keep, max_nodes, focus, actor_rows, part_rows)), None

    def _selection_notes(self, sel: Selection, depth: int) -> list[str]:
        """What a selection rule showed and left out, in words (none when it left nothing out)."""
        if sel.rule is None or not sel.left_out:
            return []
        num = functools.partial(format_number, lang=self.lang)
        values = dict(
            actors=num(sel.actors), actors_total=self.count("count.actors", sel.actors_total),
            partnerships=num(sel.partnerships), partnerships_total=self.count("count.partnerships", sel.partnerships_total),
            measure=self.measure_name(self.size_by), floor=num(SECTOR_FLOOR))
        if sel.rule == "partnership":
            return [self.t("select.partnership", shown=num(sel.partnerships - 1),
                           total=self.count("count.other_partnerships", sel.partnerships_total - 1))]
        if sel.rule == "ego":
            return [self.t("select.ego", steps=self.count("count.steps", depth), **values)]
        return [self.t(f"select.{sel.rule}", max=num(sel.actors + sel.partnerships), **values)]

    def _filter(self, keep: set, sectors: list[str], focus: str | None) -> set:
        """``keep`` without the actors outside ``sectors`` and the partnerships left without members;
        the focus node always stays."""
        g = self.g
        wanted = set(sectors)
        keep = {n for n in keep
                if n == focus or g.nodes[n].get(schema.KIND) != schema.ACTOR or g.nodes[n].get(schema.SECTOR) in wanted}
        return {n for n in keep
                if g.nodes[n].get(schema.KIND) != schema.PARTNERSHIP or n == focus or any(m in keep for m in g[n])}

    def _subgraph(self, base: nx.Graph | None, keep: set, partnership: str | None,
                  actor_rows: dict) -> tuple[nx.Graph, int | None]:
        """The graph drawn (``base`` restricted to ``keep``), and for the whole actor map the number
        of links before :data:`LINKS_PER_ACTOR` cut them (else None)."""
        if base is None:
            return actor_subnetwork(self.g, keep, per_actor=LINKS_PER_ACTOR,
                                    rank={n: float(r.get(self.size_by) or 0.0) for n, r in actor_rows.items()})
        if partnership is None and len(keep) < base.number_of_nodes():
            return concrete_subgraph(base, keep), None  # whole-network and ego views sort everything they walk
        if len(keep) == base.number_of_nodes():
            return base, None  # a site partnership map is drawn on its own neighbourhood graph
        return base.subgraph(keep), None

    def _partnership_positions(self, sub: nx.Graph, focus: str, missing_nodes: list[str]) -> dict[str, tuple[int, int]]:
        """Positions of the partnership view (:func:`~partnernet.views.layout.radial_layout`): the
        members on a ring by sector (vocabulary order), one dashed place per missing sector where that
        sector would be, so the gap shows; the members' other partnerships outside."""
        g = self.g
        order = {sid: i for i, sid in enumerate(self.vocab.ids)}
        ring: list[tuple[int, str, str]] = []
        for m in sub.nodes:
            if m != focus and g.nodes[m].get(schema.KIND) == schema.ACTOR and sub.has_edge(m, focus):
                sid = g.nodes[m].get(schema.SECTOR)
                ring.append((order.get(sid, len(order)), str(g.nodes[m].get(schema.LABEL) or m).casefold(), m))
        for m in missing_nodes:
            ring.append((order.get(m[len(MISSING_PREFIX):], len(order)), "", m))
        return radial_layout(sub, focus, ring)

    def _ego_positions(self, sub: nx.Graph, ego: str) -> dict[str, tuple[int, int]]:
        """Positions of an ego map at one step (:func:`~partnernet.views.layout.radial_layout`): the
        actor in the middle, its partnerships on a ring (by name), their members outside, each by
        the partnerships it shares with the actor. Needs no force layout: a site has an ego map per
        actor page."""
        g = self.g
        ring = [(str(g.nodes[p].get(schema.LABEL) or p).casefold(), str(p), p) for p in sub[ego]
                if g.nodes[p].get(schema.KIND) == schema.PARTNERSHIP]
        return radial_layout(sub, ego, ring)

    def _nodes(self, keep: set, pos: Mapping[str, tuple[int, int]], rows: tuple[dict, dict, dict, dict],
               comm_colors: dict, part_labels: dict, focus: str | None) -> tuple[list[dict[str, Any]], list, list]:
        """The node dicts of ``keep`` (actors first, then by id), and the actor and partnership
        measures the tables hold."""
        g = self.g
        actor_rows, part_rows, cover_rows, comm_rows = rows
        a_measures = [m for m in ACTOR_MEASURES if any(m in r for r in actor_rows.values())]
        p_measures = [m for m in PARTNERSHIP_MEASURES if any(m in r for r in part_rows.values())]
        a_size_key = self.size_by if self.size_by in a_measures else ("partnerships" if "partnerships" in a_measures else None)
        p_size_key = self.size_by if self.size_by in p_measures else "members"
        a_max = max((float(actor_rows.get(n, {}).get(a_size_key) or 0) for n in keep
                     if g.nodes[n].get(schema.KIND) == schema.ACTOR), default=0.0) if a_size_key else 0.0
        p_max = max((float(self._partnership_measure(n, p_size_key, part_rows)) for n in keep
                     if g.nodes[n].get(schema.KIND) == schema.PARTNERSHIP), default=0.0)
        nodes: list[dict[str, Any]] = []
        for n in sorted(keep, key=lambda v: (g.nodes[v].get(schema.KIND) != schema.ACTOR, str(v))):
            d = g.nodes[n]
            x, y = pos[n]
            label = shorten(str(d.get(schema.LABEL) or n))
            if d.get(schema.KIND) == schema.ACTOR:
                sid = d.get(schema.SECTOR)
                grp, color = self.actor_color(n, sid, comm_rows, comm_colors)
                row = actor_rows.get(n, {})
                measures = {m: _round(row.get(m)) for m in a_measures if row.get(m) is not None}
                if self.color_by == "community" and n in comm_rows:
                    measures["community"] = comm_rows[n].get("community")
                size = _scale(float(row.get(a_size_key) or 0) if a_size_key else None, a_max, *ACTOR_SIZE)
                roles = {p: (g.edges[n, p].get(schema.ROLE) or schema.MEMBER) for p in memberships_of(g, n)}
                node = self._node(n, label, schema.ACTOR, x, y, color, size, "dot", grp, sid, d.get(schema.TYPE),
                                  measures, size_measure=a_size_key)
                node["partnerships"] = [{"id": p, "label": part_labels[p], "role": r,
                                         "role_label": data_label(self.lang, "role", r)}
                                        for p, r in sorted(roles.items())]
                node["link_columns"] = self._link_columns(n, sorted(roles))
            else:
                row = part_rows.get(n, {})
                measures = {m: _round(row.get(m)) for m in p_measures if row.get(m) is not None}
                measures.setdefault("members", len(members(g, n)))
                size = _scale(float(self._partnership_measure(n, p_size_key, part_rows)), p_max, *PARTNERSHIP_SIZE)
                node = self._node(n, label, schema.PARTNERSHIP, x, y, schema.PARTNERSHIP_COLOR, size, "square",
                                  "partnership", None, None, measures, size_measure=p_size_key)
                links = g.adj[n]
                node["members"] = []
                for m in members(g, n):
                    role = links[m].get(schema.ROLE) or schema.MEMBER
                    md = g.nodes[m]
                    node["members"].append({
                        "id": m, "label": shorten(str(md.get(schema.LABEL) or m)), "role": role,
                        "role_label": data_label(self.lang, "role", role), "sector": md.get(schema.SECTOR),
                        "sector_label": self.sector_label(md.get(schema.SECTOR))})
                cov = cover_rows.get(n, {})
                named = cov.get("present") or []
                node["present"] = [self.sector_label(s) for s in named] + [
                    self.t("present_unnamed", sector=self.sector_label(s))
                    for s in (cov.get("declared") or []) if s not in named]
                node["missing"] = [self.sector_label(s) for s in (cov.get("missing") or [])]
                node["link_columns"] = self._link_columns(n, members(g, n))
                if _round(cov.get("coverage")) is not None:  # a finite share, written as the pages write it
                    node["coverage"] = format_percent(cov["coverage"], self.lang)
                node["partnerships"] = []
            node["focus"] = n == focus
            nodes.append(node)
        return nodes, a_measures, p_measures

    def _link_columns(self, n: Any, others: Sequence[Any]) -> list[list[Any]]:
        """``[other id, [(column, text), …]]`` for each membership of ``n`` whose edge has own columns
        (the side panel shows them under the partnership or member they belong to, e.g. an evidence quote)."""
        if not self.columns.edges:
            return []
        adj = self.g.adj[n]
        out = []
        for m in others:
            own = self.columns.edge_values(adj[m], self.lang)
            if own:
                out.append([m, own])
        return out

    def _missing_nodes(self, missing_nodes: list[str], pos: Mapping[str, tuple[int, int]], partnership: str | None,
                       part_labels: dict) -> list[dict[str, Any]]:
        """One dashed node per sector the focus partnership lacks."""
        nodes = []
        for m in missing_nodes:
            sid = m[len(MISSING_PREFIX):]
            x, y = pos[m]
            label = self.t("missing", sector=self.sector_label(sid))
            node = self._node(m, label, "missing", x, y, self.sector_color(sid), MISSING_SIZE, "dot",
                              sid if self.color_by == "sector" else "missing", sid, None, {}, size_measure=None)
            node["dashes"] = True
            node["partnerships"] = [{"id": partnership, "label": part_labels[partnership], "role": "missing",
                                     "role_label": self.t("relation.missing")}]
            node["focus"] = False
            nodes.append(node)
        return nodes

    def _missing_edges(self, partnership: str | None, missing_nodes: list[str]) -> list[dict[str, Any]]:
        """A dashed line from the focus partnership to each of its missing sectors."""
        return [{
            "from": partnership, "to": m, "width": 1.5, "role": "missing", "role_label": self.t("relation.missing"),
            "relation": "missing", "weight": 0, "dashes": True, "color": self.sector_color(m[len(MISSING_PREFIX):]),
            "title": self.t("missing", sector=self.sector_label(m[len(MISSING_PREFIX):])),
        } for m in missing_nodes]

    def _node_legend(self, nodes: list[dict], edges: list[dict], comm_colors: dict,
                     missing_nodes: list[str]) -> dict[str, Any]:
        """Colours, shapes, lines and the size text of a network or actors view."""
        legend = self.color_legend(nodes, comm_colors)
        legend["shapes"] = [{"shape": "dot", "label": self.t("legend.actor"), "dashes": False}]
        if any(n["kind"] == schema.PARTNERSHIP for n in nodes):
            legend["shapes"].append({"shape": "square", "label": self.t("legend.partnership"), "dashes": False})
        if missing_nodes:
            legend["shapes"].append({"shape": "dot", "label": self.t("legend.missing"), "dashes": True})
        legend["lines"] = self._line_legend(edges)
        legend["size"] = self.t("legend.size", measure=self.measure_name(self.size_by))
        legend["width"] = self.t("legend.width")
        return legend

    def _partnership_measure(self, p: str, key: str, part_rows: dict) -> float:
        v = part_rows.get(p, {}).get(key)
        if v is None and key == "members":
            v = len(members(self.g, p))
        return float(v or 0)

    def top_nodes(self, keep: set, limit: int, focus: str | None, actor_rows: dict, part_rows: dict) -> list:
        """The ``limit`` nodes with the highest size measure, normalised within each kind; ties by id."""
        g = self.g
        a_key = self.size_by if any(self.size_by in r for r in actor_rows.values()) else "partnerships"
        p_key = self.size_by if any(self.size_by in r for r in part_rows.values()) else "members"
        score: dict[Any, float] = {}
        for n in keep:
            if g.nodes[n].get(schema.KIND) == schema.ACTOR:
                score[n] = float(actor_rows.get(n, {}).get(a_key) or 0)
            else:
                score[n] = self._partnership_measure(n, p_key, part_rows)
        by_kind: dict[str, float] = {}
        for n, s in score.items():
            k = g.nodes[n].get(schema.KIND)
            by_kind[k] = max(by_kind.get(k, 0.0), s)
        def key(n):
            top = by_kind.get(g.nodes[n].get(schema.KIND)) or 1.0
            return (n != focus, -(score[n] / top), str(n))
        return sorted(keep, key=key)[:limit]

    def _node(self, nid, label, kind, x, y, color, size, shape, group, sid, otype, measures, *, size_measure):
        t = self.t
        lines = [_isolate(label),
                 f"{t('kind.' + kind)}" + (f" · {self.sector_label(sid)}" if kind == schema.ACTOR else "")]
        if otype:
            lines.append(data_label(self.lang, "type", otype))
        if size_measure and size_measure in measures:
            lines.append(f"{self.measure_name(size_measure)}: {format_number(measures[size_measure], self.lang)}")
        own = self.columns.node_values(self.g.nodes[nid], self.lang) if kind in (schema.ACTOR, schema.PARTNERSHIP) else []
        lines += tooltip_lines(own)
        return {
            "id": nid, "label": label, "title": "\n".join(lines), "x": x, "y": y, "color": color, "size": size,
            "shape": shape, "group": group, "sector": sid,
            "sector_label": self.sector_label(sid) if (sid or kind == schema.ACTOR) else None,
            "kind": kind, "kind_label": t(f"kind.{kind}"), "type": otype,
            "type_label": data_label(self.lang, "type", otype) if otype else None, "measures": measures,
            "dashes": False, "columns": own,
        }

    def _edges(self, sub: nx.Graph, two_mode: bool) -> list[dict[str, Any]]:
        g = self.g
        nodes = g.nodes
        rows = []
        for u, v, d in sub.edges(data=True):
            if two_mode and schema.PARTNERSHIP in (nodes[u].get(schema.KIND), nodes[v].get(schema.KIND)):
                if nodes[u].get(schema.KIND) == schema.PARTNERSHIP:
                    u, v = v, u  # actor first, partnership second
            elif str(v) < str(u):
                u, v = v, u
            rows.append((str(u), str(v), u, v, d))
        rows.sort(key=lambda r: (r[0], r[1]))
        weights = [float(d.get(schema.WEIGHT) or 1.0) for *_, d in rows]
        wmin, wmax = (min(weights), max(weights)) if weights else (1.0, 1.0)
        edges = []
        heads: dict[Any, str] = {}  # node → its label in bidi isolates (a node has many edges)
        shared_texts: dict[int, str] = {}

        def head(n: Any) -> str:
            text = heads.get(n)
            if text is None:
                text = heads[n] = _isolate(shorten(str(nodes[n].get(schema.LABEL) or n)))
            return text

        for (_, _, u, v, d), w in zip(rows, weights):
            width = _edge_width(w, wmin, wmax)
            if two_mode:
                relation = d.get(schema.RELATION) or schema.MEMBERSHIP
                role = d.get(schema.ROLE) or schema.MEMBER
                lead = relation == schema.MEMBERSHIP and role in LEAD_ROLES
                kind_text = self.t("relation." + relation)
                if relation == schema.MEMBERSHIP or role != schema.MEMBER:
                    kind_text += f": {data_label(self.lang, 'role', role)}"
                own = self.columns.edge_values(d, self.lang)
                title = "\n".join([f"{head(u)} – {head(v)}", kind_text]
                                  + ([f"{self.t('col.weight')}: {format_number(w, self.lang)}"] if w != 1 else [])
                                  + tooltip_lines(own))
                edges.append({
                    "from": u, "to": v, "width": round(width + (2.0 if lead else 0.0), 1), "role": role,
                    "role_label": data_label(self.lang, "role", role), "relation": relation, "weight": _round(w),
                    "dashes": relation == schema.TIE, "color": LEAD_COLOR if lead else EDGE_COLOR, "title": title,
                    "columns": own,
                })
            else:
                shared = int(d.get("shared") or 0)
                relation = "co-membership" if shared else schema.TIE
                note = shared_texts.get(shared)
                if note is None:
                    note = shared_texts[shared] = self.count("count.shared", shared) if shared else self.t("relation.tie")
                title = f"{head(u)} – {head(v)}\n" + note
                edges.append({
                    "from": u, "to": v, "width": width, "role": None, "role_label": None, "relation": relation,
                    "weight": _round(w), "dashes": not shared, "color": EDGE_COLOR, "title": title,
                })
        return edges

    def _line_legend(self, edges: list[dict]) -> list[dict]:
        present = {e["relation"] for e in edges}
        leads = any(e["color"] == LEAD_COLOR for e in edges)
        out = []
        if schema.MEMBERSHIP in present:
            out.append({"label": self.t("legend.membership"), "color": EDGE_COLOR, "width": 1.5, "dashes": False})
        if leads:
            out.append({"label": self.t("legend.lead"), "color": LEAD_COLOR, "width": 3.5, "dashes": False})
        if "co-membership" in present:
            out.append({"label": self.t("legend.co-membership"), "color": EDGE_COLOR, "width": 3, "dashes": False})
        if "sectors" in present:
            out.append({"label": self.t("legend.sectors"), "color": EDGE_COLOR, "width": 3, "dashes": False})
        if schema.TIE in present:
            out.append({"label": self.t("legend.tie"), "color": EDGE_COLOR, "width": 1.5, "dashes": True})
        if "missing" in present:
            out.append({"label": self.t("legend.missing_line"), "color": EDGE_COLOR, "width": 1.5, "dashes": True})
        return out

    def _notes(self, sectors: list[str] | None) -> list[str]:
        notes = []
        year = self.g.graph.get("as_of")
        if year is not None:
            notes.append(self.t("as_of", year=year))
        if sectors:
            notes.append(self.t("filtered_sectors", sectors=", ".join(self.sector_label(s) for s in sectors)))
        return notes

    def _sector_menu(self, nodes: list[dict]) -> list[dict]:
        counts: Counter = Counter()
        for n in nodes:
            if n["kind"] == schema.ACTOR:
                counts[n["sector"]] += 1
            elif n["kind"] == "missing":  # a dashed empty place is no actor: the sector is listed with 0
                counts.setdefault(n["sector"], 0)
            elif n["kind"] == "sector":
                counts[n["sector"]] += n["measures"].get("actors", 0)
        out = []
        for s in self.vocab:
            if s.id in counts:
                out.append({"id": s.id, "label": s.label(self.lang), "color": s.color, "count": counts[s.id]})
        if None in counts:
            out.append({"id": "", "label": self.t("no_sector"), "color": schema.NO_SECTOR_COLOR, "count": counts[None]})
        return out

    def _partnership_menu(self, nodes: list[dict], g: nx.Graph, part_labels: dict) -> list[dict]:
        ids = set()
        for n in nodes:
            if n["kind"] == schema.PARTNERSHIP:
                ids.add(n["id"])
            for p in n.get("partnerships") or []:
                ids.add(p["id"])
        return sorted(({"id": p, "label": part_labels[p]} for p in ids if p in part_labels),
                      key=lambda r: (r["label"].casefold(), r["id"]))

    # -- the sectors view -------------------------------------------------------------

    def sectors_view(self, sectors: list[str] | None = None, *, title: str | None = None, caption: str | None = None,
                     max_nodes: int = MAX_NODES) -> MapView:
        g = self.g
        wanted = set(sectors) if sectors else None
        actor_count: Counter = Counter()
        for n, d in g.nodes(data=True):
            if (d.get(schema.KIND) == schema.ACTOR and d.get(schema.SECTOR) is not None
                    and (wanted is None or d[schema.SECTOR] in wanted)):
                actor_count[d[schema.SECTOR]] += 1
        part_count: Counter = Counter()
        pair_count: Counter = Counter()
        for p, k in g.nodes(data=schema.KIND):
            if k != schema.PARTNERSHIP:
                continue
            present = sorted({g.nodes[m].get(schema.SECTOR) for m in members(g, p)} - {None})
            if wanted is not None:
                present = [s for s in present if s in wanted]
            for s in present:
                part_count[s] += 1
            for i, a in enumerate(present):
                for b in present[i + 1:]:
                    pair_count[(a, b)] += 1
        # sector order = vocabulary order; unknown sectors last, by id
        order = [s.id for s in self.vocab if s.id in actor_count]
        order += sorted(s for s in actor_count if s not in order)
        h = nx.Graph()
        h.add_nodes_from(SECTOR_PREFIX + s for s in order)
        for (a, b), c in pair_count.items():
            if a in actor_count and b in actor_count:
                h.add_edge(SECTOR_PREFIX + a, SECTOR_PREFIX + b, weight=float(c))
        pos = circle_layout([SECTOR_PREFIX + s for s in order])
        amax = max(actor_count.values(), default=0)
        nodes = []
        for s in order:
            nid = SECTOR_PREFIX + s
            if self.color_by == "group" and s in self.vocab:
                grp = self.vocab.group_of(s)
                group, color = grp, GROUP_COLORS.get(grp, OTHER_COLOR)
            else:
                group, color = s, self.sector_color(s)
            measures = {"actors": actor_count[s], "partnerships": part_count.get(s, 0)}
            label = self.sector_label(s)
            size = _scale(actor_count[s], amax, *SECTOR_SIZE)
            lines = [_isolate(label),
                     f"{self.measure_name('actors')}: {format_number(actor_count[s], self.lang)}",
                     f"{self.measure_name('partnerships')}: {format_number(part_count.get(s, 0), self.lang)}"]
            x, y = pos[nid]
            nodes.append({
                "id": nid, "label": label, "title": "\n".join(lines), "x": x, "y": y, "color": color, "size": size,
                "shape": "dot", "group": group, "sector": s, "sector_label": label, "kind": "sector",
                "kind_label": self.t("kind.sector"), "type": None, "type_label": None, "measures": measures,
                "dashes": False, "partnerships": [], "focus": False,
            })
        separate_labels(nodes)
        weights = [float(d["weight"]) for *_, d in h.edges(data=True)]
        wmin, wmax = (min(weights), max(weights)) if weights else (1.0, 1.0)
        edges = []
        for u, v, d in sorted(((min(u, v), max(u, v), d) for u, v, d in h.edges(data=True))):
            w = float(d["weight"])
            lu, lv = self.sector_label(u[len(SECTOR_PREFIX):]), self.sector_label(v[len(SECTOR_PREFIX):])
            edges.append({
                "id": f"e{len(edges)}", "from": u, "to": v, "width": _edge_width(w, 0.0 if wmin == wmax else wmin, wmax),
                "role": None, "role_label": None, "relation": "sectors", "weight": _round(w), "dashes": False,
                "color": EDGE_COLOR, "title": f"{lu} – {lv}\n{self.count('count.shared', int(w))}",
            })
        legend_items = []
        if self.color_by == "group":
            seen = {}
            for n in nodes:
                seen.setdefault(n["group"], n)
            for gid in schema.GROUPS:
                if gid in seen:
                    legend_items.append({"id": gid, "label": group_label(gid, self.lang),
                                         "color": seen[gid]["color"],
                                         "count": sum(1 for n in nodes if n["group"] == gid)})
            color_title = self.t("legend.color.group")
        else:
            legend_items = [{"id": n["sector"], "label": n["label"], "color": n["color"], "count": n["measures"]["actors"]}
                            for n in nodes]
            color_title = self.t("legend.color.sector")
        legend = {
            "title": color_title, "items": legend_items,
            "shapes": [{"shape": "dot", "label": self.t("legend.sector"), "dashes": False}],
            "lines": self._line_legend(edges),
            "size": self.t("legend.size", measure=self.measure_name("actors")),
            "width": self.t("legend.width"),
        }
        summary = self.t("summary.sectors", sectors=self.count("count.sectors", len(nodes)),
                         edges=self.count("count.links", len(edges)))
        return MapView(
            view="sectors", lang=self.lang, title=title or self.t("title.sectors"), subtitle=self.t("subtitle.sectors"),
            caption=caption, summary=summary, notes=self._notes(sectors), nodes=nodes, edges=edges, legend=legend,
            sectors=self._sector_menu(nodes), partnerships=[], texts=map_texts(self.lang),
            color_by="group" if self.color_by == "group" else "sector", size_by="actors", max_nodes=max_nodes,
            total_nodes=len(nodes), capped=False, focus=None, seed=self.seed, measures=["actors", "partnerships"],
        )

