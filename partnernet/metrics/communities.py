"""Clusters of actors that work together: Louvain communities of the actor network.

Communities are found with :func:`networkx.community.louvain_communities` on
the actor network (actors linked by shared partnerships or direct ties,
``weight`` = shared partnerships + tie weight). Louvain is randomised; a fixed
``seed`` and a network built in sorted order make the result reproducible.
Communities are numbered by size: 0 is the largest, ties broken by the
smallest member id. Every actor belongs to exactly one community (an actor
without partners is a community of its own).

Large networks
--------------
The actor network grows with the square of partnership sizes (tens of
millions of links for 100,000 actors), and Louvain in networkx needs one
Python object per link. Above :data:`ACTOR_NETWORK_MAX_PAIRS` linked actor
pairs, Louvain therefore runs on the two-mode graph instead (actors and
partnerships as nodes, memberships and direct ties as weighted edges, nodes
and edges in sorted order, the same ``seed``); each actor keeps the
community it was placed in, partnerships are dropped. Both networks describe
the same collaborations, but the partitions differ, so results on large
networks are not those of the actor network. :func:`modularity` is always
measured on the weighted actor network; on large networks it is computed
from the incidence matrix (per community and partnership, the number of
members in the community) without building that network.
"""

from __future__ import annotations

from typing import Final

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from .. import schema
from ..defaults import SEED
from ..graph import incidence, linked_pairs, sectors_of, tie_matrix, tie_pairs
from ..memo import remember
from ._engine import actor_net, sector_codes

_SCHEMA: Final = {schema.ID: pl.String, schema.LABEL: pl.String, schema.SECTOR: pl.String, "community": pl.Int64}

#: Above this many linked actor pairs, communities are found on the two-mode graph (see the module docstring).
ACTOR_NETWORK_MAX_PAIRS: Final = 1_000_000


def community_table(g: nx.Graph, *, seed: int = SEED, resolution: float = 1.0) -> pl.DataFrame:
    """The community of every actor, sorted by id.

    Columns: ``id, label, sector`` and ``community`` (0 = largest). A
    ``resolution`` above 1 favours smaller communities, below 1 larger ones.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": x} for x in "abcd"],
    ...     [{"source": "a", "target": "b"}, {"source": "c", "target": "d"}])
    >>> community_table(g)["community"].to_list()
    [0, 0, 1, 1]
    """
    ids, labels = _labels(g, seed, resolution)
    attrs = [g.nodes[a] for a in ids]
    return pl.DataFrame(
        {
            schema.ID: ids,
            schema.LABEL: [d.get(schema.LABEL) for d in attrs],
            schema.SECTOR: [d.get(schema.SECTOR) for d in attrs],
            "community": labels,
        },
        schema=_SCHEMA,
    )


def modularity(g: nx.Graph, *, seed: int = SEED, resolution: float = 1.0) -> float:
    """Weighted modularity of the partition :func:`community_table` finds (same seed, resolution).

    Around 0 for a partition no better than chance; above about 0.3 the
    network has clear communities. ``nan`` when the actor network has no
    links.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": x} for x in "abcd"],
    ...     [{"source": "a", "target": "b"}, {"source": "c", "target": "d"}])
    >>> modularity(g)
    0.5
    """

    def compute() -> float:
        if _large(g):
            return _sparse_modularity(g, _labels(g, seed, resolution)[1], resolution)
        h = _network(g)
        if h.number_of_edges() == 0:
            return float("nan")
        parts = _partition(g, seed, resolution)
        return float(nx.community.modularity(h, parts, weight=schema.WEIGHT, resolution=resolution))

    return remember(g, ("modularity", seed, resolution), compute)


def community_sector_table(g: nx.Graph, *, seed: int = SEED, resolution: float = 1.0) -> pl.DataFrame:
    """Community × sector cross table: actors of each sector in each community.

    Column ``community`` (0 = largest, one row per community), then one Int64
    column per sector id of the vocabulary. Actors without a sector are in no
    column, so a row can sum to less than the community's size.

    Examples
    --------
    >>> from partnernet.graph import graph_from_records
    >>> g = graph_from_records(
    ...     [{"id": "a", "sector": "state"}, {"id": "b", "sector": "business"}],
    ...     [{"source": "a", "target": "b"}])
    >>> community_sector_table(g).select("community", "state", "business").row(0)
    (0, 1, 1)
    """
    ids, labels = _labels(g, seed, resolution)
    vocab = sectors_of(g)
    code = sector_codes(g, ids)
    n_comm = int(labels.max()) + 1 if labels.size else 0
    known = code >= 0
    counts = np.zeros((n_comm, len(vocab)), dtype=np.int64)
    np.add.at(counts, (labels[known], code[known]), 1)
    data: dict[str, object] = {"community": np.arange(n_comm)}
    dtypes: dict[str, pl.DataType] = {"community": pl.Int64}
    for j, s in enumerate(vocab.ids):
        data[s] = counts[:, j]
        dtypes[s] = pl.Int64
    return pl.DataFrame(data, schema=dtypes)


# --- internals ------------------------------------------------------------------------


def _network(g: nx.Graph) -> nx.Graph:
    """The weighted actor network as a plain graph, nodes and edges in sorted order."""

    def build() -> nx.Graph:
        net = actor_net(g)
        h = nx.Graph()
        h.add_nodes_from(net.ids)
        upper = sp.triu(net.weights, k=1).tocoo()
        order = np.lexsort((upper.col, upper.row))
        ids = net.ids
        h.add_weighted_edges_from(
            (ids[i], ids[j], w)
            for i, j, w in zip(upper.row[order].tolist(), upper.col[order].tolist(), upper.data[order].tolist())
        )
        return h

    return remember(g, "community_network", build)


def _large(g: nx.Graph) -> bool:
    """Whether the actor network is too large for networkx Louvain (see :data:`ACTOR_NETWORK_MAX_PAIRS`)."""
    return remember(g, "communities_large", lambda: linked_pairs(g) > ACTOR_NETWORK_MAX_PAIRS)


def _two_mode_network(g: nx.Graph) -> tuple[nx.Graph, list[str]]:
    """The two-mode graph as a plain weighted graph, nodes and edges in sorted order, and its node ids.

    Nodes are the positions in the sorted id list: the same graph for
    Louvain (it depends only on node and edge order, not on the labels),
    and integer keys make its many dictionary lookups cheaper.
    """
    ids = sorted(g.nodes)
    index = {n: i for i, n in enumerate(ids)}
    h = nx.Graph()
    h.add_nodes_from(range(len(ids)))
    edges = sorted((min(u, v), max(u, v), 1.0 if w is None else float(w)) for u, v, w in g.edges(data=schema.WEIGHT))
    h.add_weighted_edges_from((index[u], index[v], w) for u, v, w in edges)
    return h, ids


def _partition(g: nx.Graph, seed: int, resolution: float) -> list[list[str]]:
    """Louvain communities, largest first, ties by smallest member id; members sorted."""

    def compute() -> list[list[str]]:
        if _large(g):
            actors = set(incidence(g)[0])
            h, ids = _two_mode_network(g)
            found = nx.community.louvain_communities(h, weight=schema.WEIGHT, resolution=resolution, seed=seed)
            parts = [sorted(ids[i] for i in c if ids[i] in actors) for c in found]
            parts = [c for c in parts if c]
        else:
            h = _network(g)
            found = nx.community.louvain_communities(h, weight=schema.WEIGHT, resolution=resolution, seed=seed)
            parts = [sorted(c) for c in found]
        return sorted(parts, key=lambda c: (-len(c), c[0]))

    return remember(g, ("louvain", seed, resolution), compute)


def _sparse_modularity(g: nx.Graph, labels: np.ndarray, resolution: float) -> float:
    """Weighted modularity of ``labels`` on the actor network, from the incidence matrix and the ties.

    As :func:`networkx.community.modularity` with ``weight="weight"``: the
    weight inside community c is ``½ Σ_q (n_qc² − n_qc)`` over partnerships q
    (``n_qc`` members of q in c) plus its tie weights; an actor's strength is
    ``Σ_q (|q| − 1)`` plus its tie weights.
    """
    _, _, b = incidence(g)
    b = sp.csr_array(b, dtype=np.float64)
    ties = sp.csr_array(tie_matrix(g))
    sizes = np.asarray(b.sum(axis=0)).ravel()
    strength = b @ (sizes - 1.0) + np.asarray(ties.sum(axis=1)).ravel()
    total = float(strength.sum())
    if total == 0:
        return float("nan")
    n_comm = int(labels.max()) + 1 if labels.size else 0
    member = sp.csr_array(
        (np.ones(labels.size), (np.arange(labels.size), labels)), shape=(labels.size, n_comm)
    )
    n_qc = sp.csr_array(b.T @ member)
    inside = np.bincount(
        n_qc.indices, weights=n_qc.data**2 - n_qc.data, minlength=n_comm
    )
    i, j, w, _ = tie_pairs(g)
    same = labels[i] == labels[j]
    inside += 2 * np.bincount(labels[i[same]], weights=w[same], minlength=n_comm)
    degree = np.bincount(labels, weights=strength, minlength=n_comm)
    m = total / 2
    return float(np.sum(inside / 2 / m - resolution * degree**2 / total**2))


def _labels(g: nx.Graph, seed: int, resolution: float) -> tuple[list[str], np.ndarray]:
    ids = incidence(g)[0]
    position = {a: i for i, a in enumerate(ids)}
    labels = np.zeros(len(ids), dtype=np.int64)
    for k, members in enumerate(_partition(g, seed, resolution)):
        labels[[position[a] for a in members]] = k
    return ids, labels
