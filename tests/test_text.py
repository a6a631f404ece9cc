"""Tests for partnernet.text: one rule for a missing key, plurals, language check, numbers."""

import pickle

import pytest

from partnernet.errors import OptionError
from partnernet.text import (LANGS, MissingText, check_lang, data_label, format_number, map_text, map_texts,
                             page_text, page_texts, plural)
from partnernet.text.maps import MAP_TEXTS
from partnernet.text.pages import PAGE_TEXTS


@pytest.mark.parametrize("table", [MAP_TEXTS, PAGE_TEXTS], ids=["maps", "pages"])
def test_every_language_has_the_same_keys(table):
    assert set(table) == set(LANGS)
    assert set(table["da"]) == set(table["en"])


@pytest.mark.parametrize("look_up", [map_text, page_text, lambda lang, key: map_texts(lang)[key],
                                     lambda lang, key: page_texts(lang)[key]])
def test_a_missing_key_raises_naming_key_and_language(look_up):
    with pytest.raises(MissingText) as info:
        look_up("en", "no.such.key")
    assert isinstance(info.value, KeyError)
    assert "'no.such.key'" in str(info.value) and "'en'" in str(info.value)


def test_pages_see_map_texts_but_their_own_win():
    assert page_text("da", "search") == map_text("da", "search")
    assert page_text("da", "measure.closeness") == "Closeness"
    assert map_text("da", "measure.closeness") == "closeness (nærhed)"


def test_unknown_language_is_an_option_error():
    assert check_lang("en") == "en"
    with pytest.raises(OptionError, match="--lang: 'de' is not one of da, en"):
        check_lang("de")


def test_data_labels_are_shown_as_they_are_when_unknown():
    assert data_label("da", "role", "lead") == map_text("da", "role.lead")
    assert data_label("da", "role", "kasserer") == "kasserer"


@pytest.mark.parametrize("count, key", [(0, "x.other"), (1, "x.one"), (2, "x.other")])
def test_plural_key(count, key):
    assert plural("x", count) == key


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_exist_in_every_language(lang):
    assert page_text(lang, plural("actor.list.all", 1))
    assert "7" in page_text(lang, plural("actor.list.all", 7), n=7)


def test_texts_survive_pickling_with_their_language():
    t = pickle.loads(pickle.dumps(page_texts("en")))
    assert t == page_texts("en")
    with pytest.raises(MissingText, match="'en'"):
        t["nope"]


def test_format_number():
    assert format_number(1234567, "da") == "1.234.567"
    assert format_number(0.5, "en", 2) == "0.50"
    assert format_number(None, "en") == "–"
