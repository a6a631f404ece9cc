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
- :func:`plural` picks the ``.one`` or ``.other`` form of a text by a count.
- :func:`format_number` writes numbers the way each language does.

>>> map_text("da", "search")
'Søg'
>>> page_text("en", "page.of", n=3, total=10)
'3 of 10'
>>> format_number(0.12345, "da"), format_number(1234567, "en")
('0,1235', '1,234,567')
"""

from __future__ import annotations

from ..defaults import LABEL_TEXT_MAX, LANGS
from ..errors import OptionError
from .maps import MAP_TEXTS
from .pages import PAGE_TEXTS

__all__ = ["LANGS", "MissingText", "Texts", "check_lang", "data_label", "format_number", "map_text", "map_texts",
           "page_text", "page_texts", "plural", "shorten"]


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


def check_lang(lang: str) -> str:
    """Return ``lang`` if partnernet speaks it, else raise :class:`~partnernet.errors.OptionError`."""
    if lang not in LANGS:
        raise OptionError(f"--lang: {lang!r} is not one of {', '.join(LANGS)}")
    return lang


_MAP: dict[str, Texts] = {lang: Texts(lang, MAP_TEXTS[lang]) for lang in LANGS}
_PAGE: dict[str, Texts] = {lang: Texts(lang, {**MAP_TEXTS[lang], **PAGE_TEXTS[lang]}) for lang in LANGS}


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


def plural(key: str, count: int) -> str:
    """The key of the form of ``key`` for ``count``: ``key.one`` for exactly one, else ``key.other``.

    Danish and English share this rule (CLDR: one for 1, other for the rest).

    >>> page_text("en", plural("actor.list.all", 1)), page_text("en", plural("actor.list.all", 3), n=3)
    ('The one actor has its own page.', 'All 3 actors have their own page.')
    """
    return f"{key}.one" if count == 1 else f"{key}.other"


def format_number(value: float | int | None, lang: str, digits: int = 4) -> str:
    """Format a number for display: integers as integers, floats to ``digits`` places.

    Danish uses a decimal comma and a dot as thousands separator.
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1):
        s = f"{int(value):,}"
    else:
        s = f"{value:,.{digits}f}"
    if lang == "da":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s
