"""Shared test fixtures: small, named graphs built from plain records."""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.graph import graph_from_records
from partnernet.metrics import features


def make_graph(nodes, edges, **kw):
    """Build a frozen two-mode graph from dict records (defaults as in the CSV format)."""
    return graph_from_records(nodes, edges, **kw)


@pytest.fixture
def tiny_graph():
    """Two partnerships sharing one actor, plus one direct tie.

    p1: a (state, lead), b (business)      p2: b (business), c (civil_society)
    tie: c – d (knowledge)
    """
    return make_graph(
        nodes=[
            {"id": "p1", "label": "Partnerskab 1", "kind": "partnership"},
            {"id": "p2", "label": "Partnerskab 2", "kind": "partnership"},
            {"id": "a", "label": "Miljøstyrelsen", "sector": "state", "type": "agency"},
            {"id": "b", "label": "Ørsted", "sector": "business", "type": "business"},
            {"id": "c", "label": "Ældre Sagen", "sector": "civil_society", "type": "ngo"},
            {"id": "d", "label": "Aarhus Universitet", "sector": "knowledge", "type": "research"},
        ],
        edges=[
            {"source": "a", "target": "p1", "role": "lead"},
            {"source": "b", "target": "p1"},
            {"source": "p2", "target": "b"},
            {"source": "c", "target": "p2"},
            {"source": "c", "target": "d", "weight": 2.0},
        ],
    )


@pytest.fixture
def five():
    """P: a (state), b (region).  Q: a, c (business).  R: b, c, d (business).

    For P and the business sector, by hand (k = number of partnerships / members):
    mass diffusion  c: 1/(k_a·k_Q) + 1/(k_b·k_R) = 1/4 + 1/6 = 5/12,  d: 1/(k_b·k_R) = 1/6;
    heat conduction c: (1/k_c)(|Q∩P|/k_Q + |R∩P|/k_R) = (1/2)(1/2 + 1/3) = 5/12,  d: 1/3;
    common neighbours c: 2 (a, b), d: 1 (b); shared partnerships c: 2, d: 1.
    """
    return make_graph(
        [{"id": p, "kind": "partnership"} for p in ("P", "Q", "R")]
        + [{"id": "a", "sector": "state"}, {"id": "b", "sector": "region"},
           {"id": "c", "sector": "business"}, {"id": "d", "sector": "business"}],
        [{"source": x, "target": p} for p, xs in (("P", "ab"), ("Q", "ac"), ("R", "bcd")) for x in xs],
    )


def names_graph():
    """P "Vækst i Syd": a, b.  Q "Handel": a, d.  R "Turisme": b, c (c, d business).

    a "Sønderborg Kommune", b "Region Syd", c "Iværksætterhuset Sønderborg", d "Fyns Erhverv": the
    only token in two labels is sønde(rborg) (a and c), with idf log((1 + 4) / (1 + 2)) = log(5/3).
    """
    return make_graph(
        [{"id": "P", "kind": "partnership", "label": "Vækst i Syd"},
         {"id": "Q", "kind": "partnership", "label": "Handel"},
         {"id": "R", "kind": "partnership", "label": "Turisme"},
         {"id": "a", "sector": "municipality", "label": "Sønderborg Kommune"},
         {"id": "b", "sector": "region", "label": "Region Syd"},
         {"id": "c", "sector": "business", "label": "Iværksætterhuset Sønderborg"},
         {"id": "d", "sector": "business", "label": "Fyns Erhverv"}],
        [{"source": x, "target": p} for p, xs in (("P", "ab"), ("Q", "ad"), ("R", "bc")) for x in xs],
    )


def titles_graph():
    """P "Vækst i Aalborg": a, b.  Q "Vækst på Fyn 2026": a, d.  R "Turisme i Aalborg": b, c (c, d business)."""
    return make_graph(
        [{"id": "P", "kind": "partnership", "label": "Vækst i Aalborg"},
         {"id": "Q", "kind": "partnership", "label": "Vækst på Fyn 2026"},
         {"id": "R", "kind": "partnership", "label": "Turisme i Aalborg"},
         {"id": "a", "sector": "state", "label": "Staten"}, {"id": "b", "sector": "region", "label": "Region Nord"},
         {"id": "c", "sector": "business", "label": "Aalborg Erhverv"},
         {"id": "d", "sector": "business", "label": "Fyns Handel"}],
        [{"source": x, "target": p} for p, xs in (("P", "ab"), ("Q", "ad"), ("R", "bc")) for x in xs],
    )


def business_rows(g, **kw):
    """Arrays, candidate rows and {candidate id: features} of partnership P for the business sector."""
    net = features.arrays(g, **kw)
    wanted = np.zeros((1, net.n_sectors), dtype=bool)
    wanted[0, list(g.graph["sectors"].ids).index("business")] = True
    rows = features.candidate_rows(net, np.array([net.p_ids.index("P")]), wanted)
    return net, rows, {net.a_ids[c]: {k: v[i] for k, v in rows.values.items()} for i, c in enumerate(rows.cand)}
