"""Which nodes a map shows when it cannot show them all: the rules, stated, with what they left out.

Kept apart from the view model (:mod:`partnernet.views.map`): everything here takes
the two-mode graph, the nodes a view could show and a ranking of actors, and returns
a :class:`Selection` (the kept nodes and the counts the page states). No texts, no
colours, no positions.

The rules (the map says which one it used, and what it left out):

* :func:`actors_first`: the whole-network map above its node limit. Actors first:
  :data:`ACTOR_SHARE` of the limit goes to actors, at least :data:`SECTOR_FLOOR` of each
  sector (the highest ranked), the rest the highest ranked of all; the remainder to the
  partnerships that connect most of the kept actors. An actor those partnerships leave
  unlinked gives its place to the next best linked one (a sector's best stays). Ranking by the size measure alone
  keeps almost only partnerships on real data, where most actors have betweenness 0.
* :func:`ranked_actors`: the actor-network map above its limit: the same ranking and
  sector floor, actors only.
* :func:`partnership_nodes`: a partnership map: the partnership, its members and the
  :data:`PARTNERSHIP_OTHERS` other partnerships sharing most members
  (:func:`partnernet.graph.neighbourhood`); the same on the command line and the site.
* :func:`ego_nodes`: an ego map: the actors within ``depth`` steps, nearest and most
  connected to the actor first (:data:`EGO_ACTORS`), and the partnerships that connect
  them, the actor's own first (:data:`EGO_PARTNERSHIPS`).

Ties are broken by id, so a selection depends only on the data.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx

from .. import schema

#: Share of the whole-network map's node limit that goes to actors (the rest to partnerships).
ACTOR_SHARE: Final = 0.75
#: Actors of each sector a capped map keeps at least (when the sector has them): every sector shows.
SECTOR_FLOOR: Final = 5
#: Other partnerships of the members on a partnership map (those sharing the most members).
PARTNERSHIP_OTHERS: Final = 10
#: Actors on an ego map besides the actor itself (nearest, then sharing the most partnerships with it).
EGO_ACTORS: Final = 30
#: Partnerships on an ego map (the actor's own first, then those with the most actors shown).
EGO_PARTNERSHIPS: Final = 8


@dataclass(frozen=True)
class Selection:
    """The nodes a map keeps, by which ``rule``, and how many of each kind it could have shown.

    ``rule`` names the rule (``"actors_first"``, ``"actors"``, ``"partnership"``,
    ``"ego"``); ``None`` means nothing was left out. The counts are of the kept
    and of all candidate actors and partnerships.
    """

    keep: frozenset
    rule: str | None = None
    actors: int = 0
    actors_total: int = 0
    partnerships: int = 0
    partnerships_total: int = 0

    @property
    def left_out(self) -> bool:
        """True when the map does not show every candidate node."""
        return self.actors < self.actors_total or self.partnerships < self.partnerships_total


class _Kinds(dict):
    """Node → kind, looked up in the graph when first asked (a small map of a big graph)."""

    def __init__(self, g: nx.Graph):
        super().__init__()
        self.nodes = g.nodes

    def __missing__(self, n: Any) -> str:
        kind = self[n] = self.nodes[n].get(schema.KIND)
        return kind


def _counted(keep: Iterable, candidates: Collection, kinds: Mapping[Any, str], rule: str | None) -> Selection:
    keep = frozenset(keep)
    a_total = sum(1 for n in candidates if kinds[n] == schema.ACTOR)
    a = sum(1 for n in keep if kinds[n] == schema.ACTOR)
    p = len(keep) - a
    p_total = len(candidates) - a_total
    sel = Selection(keep, rule, a, a_total, p, p_total)
    return sel if sel.left_out else Selection(keep, None, a, a_total, p, p_total)


def actor_rank(g: nx.Graph, measure: Mapping[Any, float]) -> Callable[[Any], tuple]:
    """Sort key of actors, best first: the size ``measure`` (higher first), then the number of
    partnerships and direct ties (more first), then id. The keys of the actors ``measure`` names
    are made once (a site asks for them on every actor page)."""
    adj = g.adj
    known = {n: (-float(v or 0.0), -len(adj[n]), str(n)) for n, v in measure.items() if n in adj}

    def key(n: Any) -> tuple:
        k = known.get(n)
        return k if k is not None else (-float(measure.get(n) or 0.0), -len(adj[n]), str(n))

    return key


def ranked_actors(g: nx.Graph, actors: Iterable, limit: int, key: Callable[[Any], tuple], *,
                  floor: int = SECTOR_FLOOR) -> list:
    """The ``limit`` best ``actors`` by ``key``, with at least ``floor`` of each sector (their best);
    in ``key`` order."""
    ranked = sorted(actors, key=key)
    if len(ranked) <= limit:
        return ranked
    sector = g.nodes
    per_sector: Counter = Counter()
    chosen: set = set()
    sectors = {sector[n].get(schema.SECTOR) for n in ranked}
    floor = min(floor, limit // max(len(sectors), 1))
    for n in ranked:
        s = sector[n].get(schema.SECTOR)
        if per_sector[s] < floor:
            per_sector[s] += 1
            chosen.add(n)
    for n in ranked:
        if len(chosen) >= limit:
            break
        chosen.add(n)
    return [n for n in ranked if n in chosen]


def actors_first(g: nx.Graph, candidates: Collection, limit: int, key: Callable[[Any], tuple]) -> Selection:
    """The whole two-mode map's nodes under ``limit``: actors first, then the partnerships that
    connect them (see the module docstring)."""
    kinds = dict(g.nodes(data=schema.KIND))
    if len(candidates) <= limit:
        return _counted(candidates, candidates, kinds, None)
    actors = [n for n in candidates if kinds[n] == schema.ACTOR]
    parts = [n for n in candidates if kinds[n] != schema.ACTOR]
    a_budget = min(len(actors), max(limit - len(parts), math.ceil(limit * ACTOR_SHARE)))
    kept = ranked_actors(g, actors, a_budget, key)
    shown = set(kept)
    p_budget = limit - len(kept)
    adj = g.adj
    links = {p: sum(1 for m in adj[p] if m in shown) for p in parts}
    connecting = sorted((p for p in parts if links[p]), key=lambda p: (-links[p], -len(adj[p]), str(p)))
    chosen = connecting[:p_budget]
    if len(chosen) < p_budget:  # room left: more actors
        kept = ranked_actors(g, actors, limit - len(chosen), key)
    kept = _linked_first(g, kept, set(chosen), sorted(actors, key=key), kinds)
    return _counted(set(kept) | set(chosen), candidates, kinds, "actors_first")


def _linked_first(g: nx.Graph, kept: list, chosen: set, ranked: list, kinds: Mapping[Any, str]) -> list:
    """``kept`` with its actors that no chosen partnership or kept actor links to replaced by the next
    best actors that a chosen partnership links to; a sector's best actor stays, so every sector does."""
    adj = g.adj
    shown = set(kept)

    def linked(a: Any) -> bool:
        return any(q in chosen or (q in shown and kinds[q] == schema.ACTOR) for q in adj[a])

    sector = g.nodes
    out = [a for a in kept if linked(a)]
    have = {sector[a].get(schema.SECTOR) for a in out}
    for a in kept:  # in rank order: the best of a sector left without a linked actor
        s = sector[a].get(schema.SECTOR)
        if s not in have:
            have.add(s)
            out.append(a)
    taken = set(out)
    room = len(kept) - len(out)
    for a in ranked:
        if room <= 0:
            break
        if a not in taken and any(q in chosen for q in adj[a]):
            out.append(a)
            taken.add(a)
            room -= 1
    return [a for a in ranked if a in taken]


def partnership_nodes(g: nx.Graph, partnership: Any, *, others: int = PARTNERSHIP_OTHERS) -> Selection:
    """A partnership, its members and the ``others`` other partnerships of its members sharing the
    most members with it (ties by id); counts against every other partnership of its members."""
    adj = g.adj
    kinds = g.nodes
    mem = [m for m in adj[partnership] if kinds[m].get(schema.KIND) == schema.ACTOR]
    shared: Counter = Counter()
    for m in mem:
        for q in adj[m]:
            if q != partnership and kinds[q].get(schema.KIND) == schema.PARTNERSHIP:
                shared[q] += 1
    top = sorted(shared, key=lambda q: (-shared[q], str(q)))[:others]
    total = g.graph.get("other_partnerships", {}).get(partnership, len(shared))
    keep = frozenset({partnership, *mem, *top})
    rule = "partnership" if total > len(top) else None
    return Selection(keep, rule, len(mem), len(mem), 1 + len(top), 1 + total)


def near_actors(g: nx.Graph, actor: Any) -> dict[Any, int]:
    """``actor`` (step 0) and the actors one step from it in the actor network (step 1): those
    sharing a partnership with it or tied to it directly, without building the actor network."""
    adj = g.adj
    kinds = g.nodes
    near = {actor: 0}
    for n in adj[actor]:
        if kinds[n].get(schema.KIND) == schema.ACTOR:
            near.setdefault(n, 1)
        else:
            for m in adj[n]:
                near.setdefault(m, 1)  # a partnership's neighbours are actors
    return near


def ego_nodes(g: nx.Graph, actor: Any, near: Mapping[Any, int], key: Callable[[Any], tuple], *,
              two_mode: bool, actors: int = EGO_ACTORS, partnerships: int = EGO_PARTNERSHIPS) -> Selection:
    """An ego map's nodes: ``actor``, the ``actors`` best of the actors ``near`` it (step → actor,
    from :func:`networkx.single_source_shortest_path_length` on the actor network), nearest first,
    then sharing the most partnerships with it, then by ``key``; on a two-mode map the
    ``partnerships`` best of the actor's own partnerships and those with two or more actors shown
    (own first, then most actors shown). Actors left without a link to the map are dropped."""
    adj = g.adj
    kinds = _Kinds(g)
    own = {p for p in adj[actor] if kinds[p] == schema.PARTNERSHIP}
    shared = Counter(m for p in own for m in adj[p])  # a partnership's neighbours are actors
    others = heapq.nsmallest(actors, (n for n in near if n != actor), key=lambda n: (near[n], -shared[n], key(n)))
    kept = [actor, *others]
    shown = set(kept)
    candidates: set = set(near)
    if not two_mode:
        return _counted(shown, candidates, kinds, "ego")
    links: Counter = Counter()
    for n in kept:
        for p in adj[n]:
            if kinds[p] == schema.PARTNERSHIP:
                links[p] += 1
    pool = [p for p, c in links.items() if p in own or c >= 2]
    candidates.update(pool)
    chosen = sorted(pool, key=lambda p: (p not in own, -links[p], -len(adj[p]), str(p)))[:partnerships]
    keep = shown | set(chosen)
    linked = {actor} | {m for p in chosen for m in adj[p] if m in shown}
    linked |= {m for n in shown for m in adj[n] if m in shown and kinds[m] == schema.ACTOR and kinds[n] == schema.ACTOR}
    keep = {n for n in keep if kinds[n] != schema.ACTOR or n in linked}
    return _counted(keep, candidates, kinds, "ego")
