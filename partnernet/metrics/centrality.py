"""Who is central: degree, betweenness, closeness, eigenvector and PageRank per actor.

Measures are computed on one of two networks:

``graph="two-mode"`` (default)
    The partnership graph itself: actors, partnerships, memberships and direct
    ties. An actor is central when it sits in many partnerships and on the
    paths between them. Partnership nodes take part in the computation; the
    actor table returns the actor rows, :func:`partnership_table` the others.
``graph="actors"``
    The one-mode actor network (:func:`partnernet.graph.actor_network`): actors
    linked when they share a partnership or have a direct tie.

Normalisation
-------------
Degree, betweenness and closeness are topological (weights ignored);
eigenvector and PageRank use ``weight`` (tie strength: shared partnerships
plus direct-tie weight in the actor network, the edge weight in the two-mode
graph).

* **One-mode** – the actor network, and a two-mode graph that is not bipartite
  (it has direct actor–actor ties, or no partnerships): networkx' standard
  normalisation over all ``n`` nodes. Degree ``deg/(n-1)``
  (:func:`networkx.degree_centrality`); betweenness over ``(n-1)(n-2)/2``
  pairs (:func:`networkx.betweenness_centrality`, ``normalized=True``);
  closeness with the Wasserman–Faust correction for disconnected graphs,
  ``(r-1)/(n-1) · (r-1)/Σd`` with ``r`` the size of the node's component
  (:func:`networkx.closeness_centrality`, the default ``wf_improved=True``).
  With only actor–actor ties both graph modes give these same values.
* **Two-mode (Borgatti–Everett 1997)** – a bipartite graph of actors and
  partnerships without direct ties. Each measure is divided by its maximum in
  a two-mode network with the same mode sizes, as in
  :mod:`networkx.algorithms.bipartite`: degree ``deg/|P|`` for actors and
  ``deg/|A|`` for partnerships; betweenness by Borgatti–Everett's maximum for
  the node's mode; closeness ``D_min/Σd · (r-1)/(n-1)``, where ``D_min`` is
  the smallest possible distance sum (``p + 2(a-1)`` for an actor in a
  component with ``a`` actors and ``p`` partnerships, and symmetrically for a
  partnership). On a connected graph this equals
  :func:`networkx.algorithms.bipartite.closeness_centrality`; unlike it,
  ``D_min`` counts the node's own component, so values stay within [0, 1]
  on disconnected graphs.
* Eigenvector centrality is the leading eigenvector of the weighted adjacency
  with Euclidean norm 1 (:func:`networkx.eigenvector_centrality`); on a
  disconnected network it concentrates on the component with the largest
  eigenvalue and is ~0 elsewhere. PageRank is :func:`networkx.pagerank` with
  ``alpha=0.85``.

Exact and approximate values
----------------------------
Exact betweenness runs in rustworkx (parallel Brandes); closeness uses
all-pairs distance sums from a bit-parallel breadth-first search. Both cost
about nodes × links. Above :data:`EXACT_MAX_NODES` nodes in the network used
they are estimated from :data:`DEFAULT_SAMPLES` seeded random sources unless
``exact=True``: betweenness with the estimator of
``networkx.betweenness_centrality(k=..., seed=...)``, closeness from the mean
distance of each node to the sampled sources (Eppstein & Wang), scaled to
its component. :func:`betweenness_samples` tells which applies; degree,
eigenvector and PageRank are always exact. Betweenness is rounded to
:data:`BETWEENNESS_DECIMALS` decimals, so that parallel summation in rustworkx
cannot make runs differ in the last bits (or flip the order of tied actors).
"""

from __future__ import annotations

from typing import Final, Literal

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import schema
from ..defaults import DEFAULT_SAMPLES, EXACT_MAX_NODES, GRAPH_MODES, SEED
from ..errors import OptionError
from ..graph import incidence
from ..memo import remember
from ._engine import (Net, actor_net, components, distance_sums, eigenvector, estimated_distance_sums, has_ties,
                      link_product, pagerank, raw_betweenness, sampled_betweenness, two_mode_net)

GraphMode = Literal["two-mode", "actors"]

#: Betweenness is rounded to this many decimals: rustworkx sums in parallel, and
#: the summation order (noise around 1e-16) must not change results or rankings.
BETWEENNESS_DECIMALS: Final = 10

MEASURES: Final = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")

_ACTOR_SCHEMA: Final = {
    schema.ID: pl.String,
    schema.LABEL: pl.String,
    schema.SECTOR: pl.String,
    schema.TYPE: pl.String,
    "partnerships": pl.Int64,
    "partners": pl.Int64,
    **{m: pl.Float64 for m in MEASURES},
}
_PARTNERSHIP_SCHEMA: Final = {
    schema.ID: pl.String,
    schema.LABEL: pl.String,
    "members": pl.Int64,
    "betweenness": pl.Float64,
    "degree": pl.Float64,
    "closeness": pl.Float64,
    "sectors": pl.Int64,
}


def betweenness_samples(
    g: nx.Graph,
    *,
    graph: GraphMode = "two-mode",
    exact: bool = False,
    samples: int | None = None,
) -> int | None:
    """Number of sampled sources betweenness and closeness will use, or ``None`` when they are exact.

    Exact when ``exact`` is true, when ``samples`` is at least the number of
    nodes, or when the network has at most :data:`EXACT_MAX_NODES` nodes and
    no ``samples`` were asked for; otherwise ``samples`` (default
    :data:`DEFAULT_SAMPLES`).

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records([{"id": "a"}, {"id": "b"}], [{"source": "a", "target": "b"}])
    >>> betweenness_samples(g) is None
    True
    """
    _check_mode(graph)
    if exact and samples is not None:
        raise OptionError("choose either exact betweenness or a number of samples, not both")
    if samples is not None and samples < 2:
        raise OptionError(f"samples must be at least 2, got {samples}")
    if exact:
        return None
    n = g.number_of_nodes() if graph == "two-mode" else len(_actor_ids(g))
    if samples is None:
        return None if n <= EXACT_MAX_NODES else min(DEFAULT_SAMPLES, n)
    return None if samples >= n else samples


def centrality_table(
    g: nx.Graph,
    *,
    graph: GraphMode = "two-mode",
    exact: bool = False,
    samples: int | None = None,
    seed: int = SEED,
) -> pl.DataFrame:
    """Centrality of every actor, one row per actor sorted by id.

    Columns: ``id, label, sector, type`` (String), ``partnerships`` (number of
    partnerships the actor belongs to), ``partners`` (distinct actors reached
    through partnerships or direct ties), then ``degree, betweenness,
    closeness, eigenvector, pagerank`` (Float64) normalised as described in
    the module docstring.

    Parameters
    ----------
    g
        The two-mode partnership graph (time-slice it first with
        :func:`partnernet.graph.as_of`).
    graph
        ``"two-mode"`` to compute on actors + partnerships, ``"actors"`` on the
        actor network.
    exact, samples, seed
        Betweenness and closeness: force exact, or estimate from ``samples``
        random sources drawn with ``seed`` (see :func:`betweenness_samples`).

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": a} for a in "abc"],
    ...     [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}])
    >>> centrality_table(g)["betweenness"].to_list()
    [0.0, 1.0, 0.0]
    """
    k = betweenness_samples(g, graph=graph, exact=exact, samples=samples)
    net = two_mode_net(g) if graph == "two-mode" else actor_net(g)
    bipartite = graph == "two-mode" and _is_bipartite(g, net)
    degree, betweenness, closeness = _path_measures(g, graph, net, bipartite, k, seed)
    eigen = remember(g, ("eigenvector", graph), lambda: eigenvector(net))
    rank = remember(g, ("pagerank", graph), lambda: pagerank(net))
    rows = np.flatnonzero(net.is_actor)
    ids = [net.ids[i] for i in rows]
    partners = link_product(g, sp.csr_array(np.ones((len(ids), 1))))[:, 0]
    memberships = np.diff(_incidence(g)[2].indptr)
    attrs = [g.nodes[a] for a in ids]
    return pl.DataFrame(
        {
            schema.ID: ids,
            schema.LABEL: [d.get(schema.LABEL) for d in attrs],
            schema.SECTOR: [d.get(schema.SECTOR) for d in attrs],
            schema.TYPE: [d.get(schema.TYPE) for d in attrs],
            "partnerships": memberships,
            "partners": partners,
            "degree": degree[rows],
            "betweenness": betweenness[rows],
            "closeness": closeness[rows],
            "eigenvector": eigen[rows],
            "pagerank": rank[rows],
        },
        schema=_ACTOR_SCHEMA,
    )


def actor_measure(g: nx.Graph, measure: str, *, exact: bool = False, samples: int | None = None,
                  seed: int = SEED) -> pl.DataFrame:
    """One measure of :func:`centrality_table` (two-mode), ``id`` and ``value`` per actor, sorted by id.

    Eigenvector and PageRank are computed alone (no shortest paths), which is
    what makes comparing two large snapshots quick; the other measures come
    from :func:`centrality_table` with the same options.
    """
    if measure not in MEASURES:
        raise OptionError(f'unknown measure "{measure}"; choose one of {", ".join(MEASURES)}')
    if measure not in ("eigenvector", "pagerank"):
        frame = centrality_table(g, exact=exact, samples=samples, seed=seed)
        return frame.select(schema.ID, pl.col(measure).alias("value"))
    net = two_mode_net(g)
    values = (remember(g, ("eigenvector", "two-mode"), lambda: eigenvector(net)) if measure == "eigenvector"
              else remember(g, ("pagerank", "two-mode"), lambda: pagerank(net)))
    rows = np.flatnonzero(net.is_actor)
    return pl.DataFrame({schema.ID: [net.ids[i] for i in rows], "value": values[rows]},
                        schema={schema.ID: pl.String, "value": pl.Float64})


def partnership_table(
    g: nx.Graph,
    *,
    exact: bool = False,
    samples: int | None = None,
    seed: int = SEED,
) -> pl.DataFrame:
    """Centrality of every partnership in the two-mode graph, sorted by id.

    Columns: ``id, label``, ``members`` (member actors), ``betweenness``,
    ``degree``, ``closeness`` (the partnership node in the two-mode graph,
    normalised as in :func:`centrality_table`) and ``sectors`` (distinct
    sectors among its members). A partnership with high betweenness bridges
    otherwise separate parts of the network.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "p", "kind": "partnership"}, {"id": "a", "sector": "state"},
    ...      {"id": "b", "sector": "business"}],
    ...     [{"source": "a", "target": "p"}, {"source": "b", "target": "p"}])
    >>> partnership_table(g).select("id", "members", "sectors").row(0)
    ('p', 2, 2)
    """
    k = betweenness_samples(g, graph="two-mode", exact=exact, samples=samples)
    net = two_mode_net(g)
    degree, betweenness, closeness = _path_measures(g, "two-mode", net, _is_bipartite(g, net), k, seed)
    rows = np.flatnonzero(~net.is_actor)
    ids = [net.ids[i] for i in rows]
    _, p_ids, b = _incidence(g)
    bt = b.T.tocsr()
    sector_of = [g.nodes[a].get(schema.SECTOR) for a in _incidence(g)[0]]
    sectors = [
        len({sector_of[i] for i in bt.indices[bt.indptr[j] : bt.indptr[j + 1]]} - {None})
        for j in range(len(p_ids))
    ]
    return pl.DataFrame(
        {
            schema.ID: ids,
            schema.LABEL: [g.nodes[p].get(schema.LABEL) for p in ids],
            "members": np.diff(bt.indptr),
            "betweenness": betweenness[rows],
            "degree": degree[rows],
            "closeness": closeness[rows],
            "sectors": sectors,
        },
        schema=_PARTNERSHIP_SCHEMA,
    )


# --- internals ------------------------------------------------------------------------


def _check_mode(graph: str) -> None:
    if graph not in GRAPH_MODES:
        raise OptionError(f'unknown graph "{graph}": choose one of {", ".join(GRAPH_MODES)}')


def _actor_ids(g: nx.Graph) -> list[str]:
    return _incidence(g)[0]


def _incidence(g: nx.Graph):
    return incidence(g)


def _is_bipartite(g: nx.Graph, net: Net) -> bool:
    n_actors = int(net.is_actor.sum())
    return 0 < n_actors < net.n and not has_ties(g)


def _path_measures(
    g: nx.Graph, mode: GraphMode, net: Net, bipartite: bool, k: int | None, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def compute():
        if k is None:
            raw_bc = raw_betweenness(net)
            sums, reach = distance_sums(net)
        else:
            raw_bc = sampled_betweenness(net, k, seed)
            sums, reach = estimated_distance_sums(net, k, seed)
        normalise = _two_mode_normalised if bipartite else _one_mode_normalised
        degree, betweenness, closeness = normalise(net, raw_bc, sums, reach)
        return degree, np.round(betweenness, BETWEENNESS_DECIMALS), closeness

    key = ("path_measures", mode, k, seed if k is not None else None)
    return remember(g, key, compute)


def _closeness(d_min: np.ndarray, sums: np.ndarray, reach: np.ndarray, n: int) -> np.ndarray:
    """``d_min / Σd · (r-1)/(n-1)``; 0 for nodes that reach nothing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = d_min / sums * (reach - 1) / (n - 1)
    return np.where(sums > 0, c, 0.0)


def _one_mode_normalised(net: Net, raw_bc: np.ndarray, sums: np.ndarray, reach: np.ndarray):
    n = net.n
    deg = net.degree.astype(np.float64)
    degree = deg / (n - 1) if n > 1 else np.ones(n)
    betweenness = raw_bc * (2.0 / ((n - 1) * (n - 2))) if n > 2 else np.zeros(n)
    return degree, betweenness, _closeness((reach - 1).astype(np.float64), sums, reach, n)


def _two_mode_normalised(net: Net, raw_bc: np.ndarray, sums: np.ndarray, reach: np.ndarray):
    actor = net.is_actor
    n_a = int(actor.sum())
    n_p = net.n - n_a
    deg = net.degree.astype(np.float64)
    degree = np.where(actor, deg / n_p, deg / n_a)
    max_a = _bet_max(n_a, n_p)
    max_p = _bet_max(n_p, n_a)
    betweenness = np.where(
        actor,
        raw_bc / max_a if max_a > 0 else 0.0,
        raw_bc / max_p if max_p > 0 else 0.0,
    )
    labels = components(net)
    comp_actors = np.bincount(labels, weights=actor.astype(np.float64))
    comp_size = np.bincount(labels).astype(np.float64)
    a_c = comp_actors[labels]
    p_c = comp_size[labels] - a_c
    d_min = np.where(actor, p_c + 2 * (a_c - 1), a_c + 2 * (p_c - 1))
    return degree, betweenness, _closeness(d_min, sums, reach, net.n)


def _bet_max(n: int, m: int) -> float:
    """Borgatti–Everett's maximum betweenness of a node in the mode of size ``n`` (other mode ``m``)."""
    if n == 0 or m == 0:
        return 0.0
    s, t = divmod(n - 1, m)
    return ((m**2) * ((s + 1) ** 2) + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0
