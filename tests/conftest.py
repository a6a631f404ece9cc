"""Shared test fixtures: small, named graphs built from plain records."""

from __future__ import annotations

import pytest

from partnernet.graph import graph_from_records


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
