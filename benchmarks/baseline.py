"""The script an analyst would write by hand, timed stage by stage (prints JSON).

pandas reads the CSVs, networkx builds the bipartite graph and its weighted
actor projection, ``networkx.betweenness_centrality`` runs on the projection,
and pyvis writes a map with its default settings. Exact betweenness on a large
projection takes hours, so above ``--exact-limit`` actors it is timed on
``--pivots`` sampled sources and extrapolated linearly (Brandes' algorithm costs
the same per source); the output says so.

Usage::

    python benchmarks/baseline.py DATA_DIR OUT_HTML
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("out_html")
    parser.add_argument("--exact-limit", type=int, default=3000)
    parser.add_argument("--pivots", type=int, default=50)
    args = parser.parse_args()
    times: dict[str, float] = {}

    t = time.perf_counter()
    import networkx as nx
    import pandas as pd
    from pyvis.network import Network

    nodes = pd.read_csv(f"{args.data}/nodes.csv", dtype=str)
    edges = pd.read_csv(f"{args.data}/edges.csv", dtype={"source": str, "target": str})
    times["read (pandas)"] = time.perf_counter() - t

    t = time.perf_counter()
    g = nx.Graph()
    actors = nodes.loc[nodes["kind"] == "actor", "id"].tolist()
    g.add_nodes_from(actors, bipartite=0)
    g.add_nodes_from(nodes.loc[nodes["kind"] == "partnership", "id"].tolist(), bipartite=1)
    g.add_edges_from(zip(edges["source"], edges["target"]))
    times["graph"] = time.perf_counter() - t

    t = time.perf_counter()
    proj = nx.bipartite.weighted_projected_graph(g, actors)
    times["projection"] = time.perf_counter() - t

    n = proj.number_of_nodes()
    t = time.perf_counter()
    if n <= args.exact_limit:
        nx.betweenness_centrality(proj)
        times["betweenness (projection)"] = time.perf_counter() - t
        estimated = False
    else:
        nx.betweenness_centrality(proj, k=args.pivots, seed=1)
        times["betweenness (projection)"] = (time.perf_counter() - t) * n / args.pivots
        estimated = True

    t = time.perf_counter()
    net = Network()
    net.from_nx(g)
    net.write_html(args.out_html)
    times["pyvis map"] = time.perf_counter() - t

    print(json.dumps({"times": times, "betweenness_estimated": estimated, "projection_edges": proj.number_of_edges()}))


if __name__ == "__main__":
    main()
