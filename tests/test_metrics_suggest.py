"""The features, the score and its learning, checked by hand on small named networks."""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.errors import OptionError
from partnernet.metrics import features, suggest

from .conftest import business_rows, make_graph


def test_features_by_hand(five):
    _, _, by = business_rows(five)
    assert set(by) == {"c", "d"}
    assert by["c"]["md"] == pytest.approx(5 / 12) and by["d"]["md"] == pytest.approx(1 / 6)
    assert by["c"]["heat"] == pytest.approx(5 / 12) and by["d"]["heat"] == pytest.approx(1 / 3)
    assert (by["c"]["cn"], by["d"]["cn"]) == (2, 1)
    assert (by["c"]["shared"], by["d"]["shared"]) == (2, 1)
    assert (by["c"]["degree"], by["d"]["degree"]) == (2, 1)


def test_adamic_adar_by_hand(five):
    """Paths c–Q–a and c–R–b, d–R–b: each 1/(log k_q · log k_m) with k_Q = k_a = k_b = 2, k_R = 3."""
    _, _, by = business_rows(five)
    assert by["c"]["aa"] == pytest.approx(1 / np.log(2) ** 2 + 1 / (np.log(3) * np.log(2)))
    assert by["d"]["aa"] == pytest.approx(1 / (np.log(3) * np.log(2)))


def test_baseline_scores_follow_their_measure(five):
    _, rows, _ = business_rows(five)
    for kind, w in suggest.BASELINES.items():
        score = suggest.Model(kind, w).score(rows)
        assert score[0] > score[1], kind  # c before d on every measure


def test_common_neighbours_counts_distinct_members():
    """c shares two partnerships with member a: one common neighbour, not two."""
    g = make_graph(
        [{"id": p, "kind": "partnership"} for p in ("P", "Q", "R")]
        + [{"id": "a", "sector": "state"}, {"id": "x", "sector": "region"}, {"id": "c", "sector": "business"}],
        [{"source": "a", "target": "P"}, {"source": "x", "target": "P"},
         {"source": "a", "target": "Q"}, {"source": "c", "target": "Q"},
         {"source": "a", "target": "R"}, {"source": "c", "target": "R"}],
    )
    _, _, by = business_rows(g)
    assert (by["c"]["cn"], by["c"]["shared"], by["c"]["cnw"]) == (1, 2, 2)


def test_attribute_shares_and_years():
    g = make_graph(
        [{"id": "P", "kind": "partnership", "theme": "health", "start": 2010, "end": 2012},
         {"id": "Q", "kind": "partnership", "theme": "health", "start": 2011},
         {"id": "R", "kind": "partnership", "theme": "energy", "start": 2001, "end": 2003},
         {"id": "a", "sector": "state", "country": "DK"}, {"id": "b", "sector": "region", "country": "SE"},
         {"id": "c", "sector": "business", "country": "DK"}],
        [{"source": "a", "target": "P"}, {"source": "b", "target": "P"},
         {"source": "c", "target": "Q"}, {"source": "c", "target": "R"}],
    )
    _, _, by = business_rows(g, match=("theme", "country"))
    assert by["c"]["p:theme"] == 0.5  # one of c's two partnerships has P's theme
    assert by["c"]["years"] == 0.5  # Q (2011–open) overlaps 2010–2012, R does not
    assert by["c"]["a:country"] == 0.5  # one of P's two members is from c's country
    with pytest.raises(OptionError, match='unknown attribute column "thme"; did you mean "theme"'):
        features.arrays(g, match=("thme",))


def test_discovered_columns_leave_out_ids_and_notes():
    parts = [{"id": f"p{i}", "kind": "partnership", "theme": "ab"[i % 2], "note": f"n{i}",
              "declared_members": str(i % 2)} for i in range(6)]
    g = make_graph(parts + [{"id": "a", "sector": "state"}], [{"source": "a", "target": "p0"}])
    assert features.discover_columns(g) == (["theme"], [])


def test_expected_hits_share_ties():
    """Two candidates tied at the top: the hidden one is first half the time; ranks 1 and 2 average."""
    query = np.array([0, 0, 0])
    score = np.array([1.0, 1.0, 0.0])
    hits, rr = suggest.expected_hits(query, score, np.array([True, False, False]), 1)
    assert hits[1][0] == 0.5 and hits[5][0] == 1.0
    assert rr[0] == pytest.approx((1 + 1 / 2) / 2)


def test_expected_hits_break_ties_by_then():
    """The same tie broken by popularity: the busier hidden candidate is first; a tie on both stays shared."""
    query = np.array([0, 0, 0])
    score = np.array([1.0, 1.0, 0.0])
    hits, rr = suggest.expected_hits(query, score, np.array([True, False, False]), 1, then=np.array([3.0, 1.0, 9.0]))
    assert hits[1][0] == 1.0 and rr[0] == 1.0
    hits, _ = suggest.expected_hits(query, score, np.array([True, False, False]), 1, then=np.array([2.0, 2.0, 9.0]))
    assert hits[1][0] == 0.5


def test_baselines_in_their_conventional_form():
    assert suggest.baseline("common_neighbours").then == "degree"
    assert suggest.baseline("mass_diffusion").then == "degree"
    assert suggest.baseline("popularity").then is None


def test_draw_cases_follows_the_protocol(five):
    net = features.arrays(five)
    parts, hidden = suggest.draw_cases(net, 10, 7)
    assert parts.tolist() == [net.p_ids.index("R")]  # the only partnership with three members
    assert net.a_ids[hidden[0]] in {"b", "c"}  # d takes part in nothing else; the others do
    again = suggest.draw_cases(net, 10, 7)
    assert np.array_equal(again[0], parts) and np.array_equal(again[1], hidden)


def test_fit_learns_the_informative_feature():
    rng = np.random.default_rng(0)
    n_cases, per = 80, 20
    query = np.repeat(np.arange(n_cases), per)
    signal, noise = rng.random(query.size), rng.random(query.size)
    positive = np.zeros(query.size, bool)
    positive[np.arange(n_cases) * per + np.argmax(signal.reshape(n_cases, per), axis=1)] = True
    rows = features.Rows(query, np.arange(query.size), {"years": signal, "p:x": noise})
    fitted = suggest.fit(suggest.Training(rows, positive, np.ones(query.size), n_cases), ("years", "p:x"))
    assert set(fitted) == set(suggest.LEARNED)
    for w in fitted.values():
        assert w["years"] > 5 * abs(w["p:x"])


def test_too_few_cases_use_the_default(five):
    model = suggest.learn(features.arrays(five), 7)
    assert model.kind == "default"
    assert model.weights == suggest.default_model(features.feature_names(features.arrays(five))).weights
