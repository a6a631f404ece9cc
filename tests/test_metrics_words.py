"""The label words: tokens, title and name features, checked by hand on small named networks."""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.metrics import features, words

from .conftest import business_rows, names_graph, titles_graph


@pytest.fixture
def titles():
    """P "Vækst i Aalborg": a, b.  Q "Vækst på Fyn 2026": a, d.  R "Turisme i Aalborg": b, c.

    Tokens (≥ 4 letters, lower-cased): P {vækst, aalborg}, Q {vækst}, R {turisme, aalborg};
    idf = log((1 + 3) / (1 + df)): vækst and aalborg log(4/3), turisme log 2.
    For P and the business sector, by hand: c "Aalborg Erhverv" has aalborg in its name
    (title_name log(4/3)) and in R's title (title_sim log(4/3)); d "Fyns Handel" no title word in
    its name (0) and vækst in Q's title (title_sim log(4/3)).
    """
    return titles_graph()


def test_title_features_by_hand(titles):
    net, rows, by = business_rows(titles)
    assert by["c"]["title_name"] == pytest.approx(np.log(4 / 3)) and by["d"]["title_name"] == 0
    assert by["c"]["title_sim"] == pytest.approx(np.log(4 / 3))
    assert by["d"]["title_sim"] == pytest.approx(np.log(4 / 3))
    assert words.title_weight(net, np.array([net.p_ids.index("P")]))[0] == pytest.approx(2 * np.log(4 / 3))
    c = net.a_ids.index("c")
    assert words.similar_titles(net, np.array([net.p_ids.index("P")]), np.array([c])) == [[net.p_ids.index("R")]]


def test_titles_without_informative_words_add_no_feature(five):
    net = features.arrays(five)
    assert net.p_text is None and not set(words.TEXT) & set(features.feature_names(net))


def test_tokens_are_cut_to_their_prefix():
    """Truncation stemming: plastindustriens meets Plast, energisystemer meets Energy."""
    assert words.tokens("Plastindustriens energisystemer") == words.tokens("Plast Energy") == ["energ", "plast"]
    assert words.tokens("Vækst i Syd 2026") == ["vækst"]


def test_member_name_by_hand():
    """c shares sønde(rborg) with member a (idf log(5/3)); d shares no word with a member."""
    net, rows, by = business_rows(names_graph())
    assert by["c"]["member_name"] == pytest.approx(np.log(5 / 3)) and by["d"]["member_name"] == 0
    p, c = np.array([net.p_ids.index("P")]), np.array([net.a_ids.index("c")])
    assert words.name_matches(net, p, c) == [[net.a_ids.index("a")]]


def test_labels_sharing_no_word_add_no_name_feature(titles):
    net = features.arrays(titles)
    assert net.a_words is None and words.NAME not in features.feature_names(net)
