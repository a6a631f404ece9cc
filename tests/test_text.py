"""Tests for partnernet.text: one rule for a missing key, plurals, language check, numbers."""

import pickle

import pytest

from partnernet.errors import OptionError
from partnernet.text import (LANGS, MissingText, check_lang, count_text, data_label, format_number, format_percent,
                             map_text, map_texts, page_text, page_texts, plural, plural_tags)
from partnernet.text.maps import MAP_TEXTS
from partnernet.text.pages import PAGE_TEXTS
from partnernet.text.changes import CHANGES_TEXTS
from partnernet.text.strategist import STRATEGIST_TEXTS


@pytest.mark.parametrize("table", [MAP_TEXTS, PAGE_TEXTS, STRATEGIST_TEXTS, CHANGES_TEXTS],
                         ids=["maps", "pages", "strategist", "changes"])
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


@pytest.mark.parametrize("lang, count, key", [("da", 0, "x.other"), ("da", 1, "x.one"), ("en", 2, "x.other"),
                                             ("en", 1, "x.one")])
def test_plural_key(lang, count, key):
    assert plural("x", count, lang) == key


def every_text() -> dict[str, dict[str, str]]:
    """Every key a page or a map can ask for, by language (the pages' texts over the maps')."""
    return {lang: {**MAP_TEXTS[lang], **PAGE_TEXTS[lang], **CHANGES_TEXTS[lang]} for lang in LANGS}


def text_keys() -> list[str]:
    """Every text key, a counted text once under its stem (``count.members`` for its ``.one``/``.other``)."""
    everything = {key for texts in every_text().values() for key in texts}
    counted = {key.rpartition(".")[0] for key in everything if key.endswith(".one")}
    return sorted({key.rpartition(".")[0] if key.rpartition(".")[0] in counted else key for key in everything})


@pytest.mark.parametrize("key", text_keys())
def test_every_text_key_has_every_language_and_plural_form(key):
    """One line per key: its Danish and English forms, and for a counted text one per plural category."""
    texts = every_text()
    for lang in LANGS:
        forms = {f"{key}.{tag}" for tag in plural_tags(lang)}
        if key in texts[lang]:
            assert not forms & set(texts[lang]), f"{key!r} in {lang!r} is both plain and counted"
        else:
            missing = sorted(f for f in forms if f not in texts[lang])
            assert not missing, f"{key!r} in {lang!r} lacks {missing}"
        # a counted text fills in its count
        for form in forms & set(texts[lang]):
            assert "{n}" in texts[lang][form] or form.endswith(".one"), f"{form!r} in {lang!r} does not show the count"


@pytest.mark.parametrize("lang, key, n, want", [
    ("da", "count.members", 1, "1 medlem"), ("da", "count.members", 2, "2 medlemmer"),
    ("en", "count.members", 1, "1 member"), ("en", "count.members", 2, "2 members"),
    ("da", "count.rows", 1, "1 række"), ("da", "count.shared", 1, "1 fælles partnerskab"),
    ("da", "count.actors", 1234, "1.234 aktører"), ("en", "count.partnerships", 0, "0 partnerships"),
])
def test_counted_words(lang, key, n, want):
    assert count_text(lang, key, n) == want
    assert page_texts(lang).count(key, n) == want


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_exist_in_every_language(lang):
    assert page_text(lang, plural("actor.list.all", 1, lang))
    assert "7" in page_text(lang, plural("actor.list.all", 7, lang), n=7)


def test_texts_survive_pickling_with_their_language():
    t = pickle.loads(pickle.dumps(page_texts("en")))
    assert t == page_texts("en")
    with pytest.raises(MissingText, match="'en'"):
        t["nope"]


def test_format_number():
    assert format_number(1234567, "da") == "1.234.567"
    assert format_number(0.5, "en", 2) == "0.50"
    assert format_number(None, "en") == "–"


@pytest.mark.parametrize("share, da, en", [(1 / 8, "13\xa0%", "13%"), (3 / 8, "38\xa0%", "38%"), (0.145, "15\xa0%", "15%"),
                                           (0, "0\xa0%", "0%"), (1, "100\xa0%", "100%")])
def test_shares_are_whole_percent_rounded_half_up(share, da, en):
    assert (format_percent(share, "da"), format_percent(share, "en")) == (da, en)


def test_numbers_round_half_up():
    assert format_number(0.12345, "da", 4) == "0,1235"
    assert format_number(0.1235, "da") == "0,124"  # half up, where round() gives 0.123
    assert format_number(2.5, "en", 0) == "3"
    assert format_number(1234567.0, "da") == "1.234.567"
