"""Every word partnernet shows, in Danish and English, and how numbers and counts are written.

A leaf package (it imports only other leaves), so the view models, the
renderers and the publish run all take their words from the same place.
Nothing is hard-coded in templates or JavaScript.

- :mod:`partnernet.text.maps` holds the texts of the maps;
  :mod:`partnernet.text.pages` those of the site's pages, which a page sees
  over the map texts (:func:`page_texts`).
- One rule for a missing key: :class:`MissingText`, a ``KeyError`` naming key
  and language. A missing text is a bug, never data, so there is no fallback
  to the key. Words that come from the user's data (organisation types, roles)
  go through :func:`data_label`, which says so in its name.
- A text with a count has one key per CLDR plural category (``count.members.one``,
  ``count.members.other``); :func:`plural` picks the key and :func:`count_text`
  (or :meth:`Texts.count`) fills in the count. Counted words are written once,
  as ``count.*`` texts, and longer texts take them as values.
- :mod:`partnernet.text.numbers` writes numbers, shares and plural forms the
  way each language does (Babel's CLDR data): :func:`format_number`,
  :func:`format_percent`, :func:`plural_form`.
- :mod:`partnernet.text.changes` holds the texts of a comparison of two snapshots and
  :func:`summary_text`, its one-paragraph summary.

>>> map_text("da", "search")
'Søg'
>>> page_text("en", "page.of", n=3, total=10)
'3 of 10'
>>> format_number(0.1235, "da"), format_number(1234567, "en"), format_percent(1 / 8, "en")
('0,124', '1,234,567', '13%')
"""

from __future__ import annotations

from ..defaults import LABEL_TEXT_MAX, LANGS
from ..errors import OptionError
from .changes import CHANGES_TEXTS, summary_text
from .maps import MAP_TEXTS
from .numbers import MEASURE_DIGITS, format_decimal_text, format_number, format_percent, plural_form, plural_tags, round_half_up
from .pages import PAGE_TEXTS
from .strategist import STRATEGIST_TEXTS

__all__ = ["LANGS", "MEASURE_DIGITS", "MissingText", "Texts", "check_lang", "count_text", "data_label",
           "format_decimal_text", "format_number",
           "format_percent", "map_text", "map_texts", "page_text", "page_texts", "plural", "plural_form",
           "plural_tags", "round_half_up", "shorten", "summary_text"]


class MissingText(KeyError):
    """A text asked for that does not exist in a language: a bug in partnernet, not in the data."""

    def __init__(self, key: str, lang: str) -> None:
        super().__init__(key)
        self.key = key
        self.lang = lang

    def __str__(self) -> str:
        return f"no text {self.key!r} in language {self.lang!r}"


class Texts(dict[str, str]):
    """The texts of one language by key; a missing key raises :class:`MissingText`.

    A plain ``dict`` otherwise (templates and the page JSON read it as one),
    so a look-up costs what a dict look-up costs: pages ask a hundred thousand
    times.
    """

    def __init__(self, lang: str, items: dict[str, str]) -> None:
        super().__init__(items)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        raise MissingText(key, self.lang)

    def __reduce__(self):  # pickled across worker processes: keep the language
        return (Texts, (self.lang, dict(self)))

    def format(self, key: str, **values: object) -> str:
        """The text ``key`` with ``values`` filled in."""
        template = self[key]
        return template.format(**values) if values else template

    def count(self, key: str, count: int, **values: object) -> str:
        """The plural form of ``key`` for ``count``, with ``{n}`` the count written out (see :func:`count_text`)."""
        return self.format(plural(key, count, self.lang), n=format_number(count, self.lang), **values)


def check_lang(lang: str) -> str:
    """Return ``lang`` if partnernet speaks it, else raise :class:`~partnernet.errors.OptionError`."""
    if lang not in LANGS:
        raise OptionError(f"--lang: {lang!r} is not one of {', '.join(LANGS)}")
    return lang


_MAP: dict[str, Texts] = {lang: Texts(lang, MAP_TEXTS[lang]) for lang in LANGS}
_PAGE: dict[str, Texts] = {lang: Texts(lang, {**MAP_TEXTS[lang], **PAGE_TEXTS[lang], **STRATEGIST_TEXTS[lang],
                                               **CHANGES_TEXTS[lang]}) for lang in LANGS}


def map_texts(lang: str) -> Texts:
    """All map texts for ``lang`` (a copy, safe to hand to a template)."""
    return Texts(lang, _MAP[check_lang(lang)])


def page_texts(lang: str) -> Texts:
    """All texts a site page uses in ``lang``: the map texts overlaid with the pages' own (a copy)."""
    return Texts(lang, _PAGE[check_lang(lang)])


def map_text(lang: str, key: str, **values: object) -> str:
    """One map text formatted with ``values``.

    >>> map_text("en", "role.lead")
    'lead'
    """
    return _MAP[check_lang(lang)].format(key, **values)


def page_text(lang: str, key: str, **values: object) -> str:
    """One page text (or map text a page shares) formatted with ``values``."""
    return _PAGE[check_lang(lang)].format(key, **values)


def data_label(lang: str, group: str, value: str) -> str:
    """The label of a word from the user's data (``group`` is ``"type"`` or ``"role"``).

    Known values have a text (``type.ngo`` → "NGO"); any other value is the
    user's own word and is shown as it is.

    >>> data_label("en", "type", "ngo"), data_label("en", "type", "guild")
    ('NGO', 'guild')
    """
    return _PAGE[check_lang(lang)].get(f"{group}.{value}", value)


def shorten(text: str, limit: int = LABEL_TEXT_MAX) -> str:
    """``text`` cut to ``limit`` characters with "…" (the one rule for labels shown where a node is named).

    >>> shorten("Aarhus Universitet", 10)
    'Aarhus Un…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(key: str, count: int, lang: str) -> str:
    """The key of the form of ``key`` for ``count`` in ``lang``: ``key.one``, ``key.other``, …

    The form is the CLDR plural category (:func:`~partnernet.text.numbers.plural_form`);
    every text with a count has one key per category of each language.

    >>> page_text("en", plural("actor.list.all", 1, "en")), page_text("en", plural("actor.list.all", 3, "en"), n=3)
    ('The one actor has its own page.', 'All 3 actors have their own page.')
    """
    return f"{key}.{plural_form(lang, count)}"


def count_text(lang: str, key: str, count: int, **values: object) -> str:
    """The form of ``key`` for ``count`` with ``{n}`` the count as the language writes it.

    >>> count_text("da", "count.members", 1), count_text("en", "count.members", 1234)
    ('1 medlem', '1,234 members')
    """
    return page_text(lang, plural(key, count, lang), n=format_number(count, lang), **values)
