"""Numbers, shares and plural forms the way each language writes them, by Babel's CLDR data.

One format per kind of figure, the same on pages, in map tooltips and in side
panels:

- counts and measures: :func:`format_number` (thousands separator; a
  non-integer to :data:`MEASURE_DIGITS` decimals, in tables, tooltips and the
  map's side panel alike: the map script gets the same number of digits);
- shares in [0, 1]: :func:`format_percent`, a whole percent;
- which form of a counted word: :func:`plural_form` (CLDR plural rules; the
  map script asks the browser's ``Intl.PluralRules``, which uses the same
  rules).

Every figure is rounded half up from its shortest decimal representation
(1/8 → 13 %, 3/8 → 38 %, 0.1235 → 0.124), not half to even on the binary
value, so a reader never sees two roundings. Babel is imported on the first
use, not with the package: ``partnernet --help`` does not pay for it. Results
are remembered: a site formats the same few thousand numbers again and again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Final

__all__ = ["MEASURE_DIGITS", "format_decimal_text", "format_number", "format_percent", "plural_form", "plural_tags",
           "round_half_up"]

#: Decimals of a measure (betweenness, PageRank, a weight) wherever it is shown.
MEASURE_DIGITS: Final = 3


@lru_cache(maxsize=None)
def _locale(lang: str) -> Any:
    from babel.core import Locale

    return Locale.parse(lang)


def _half_up(value: float | int, digits: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def round_half_up(value: float, digits: int = MEASURE_DIGITS) -> float:
    """``value`` rounded half up to ``digits`` decimals, as it is shown (for data a page script formats).

    >>> round_half_up(0.1235), round(0.1235, 3), round_half_up(-0.0001)
    (0.124, 0.123, 0.0)
    """
    r = float(_half_up(value, digits))
    return 0.0 if r == 0 else r


@lru_cache(maxsize=65536, typed=True)  # typed: 0 and 0.0 are written differently
def _format(value: float | int, lang: str, digits: int) -> str:
    from babel.numbers import format_decimal

    if isinstance(value, int) or (value.is_integer() and abs(value) >= 1):
        return format_decimal(int(value), format="#,##0", locale=_locale(lang))
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(_half_up(value, digits), format=pattern, locale=_locale(lang),
                          decimal_quantization=True)


def format_number(value: float | int | None, lang: str, digits: int = MEASURE_DIGITS) -> str:
    """A count or measure for display: integers as integers, other numbers to ``digits`` places.

    ``None`` is a dash. Danish writes a decimal comma and a dot between thousands.

    >>> format_number(1234567, "da"), format_number(0.1235, "en"), format_number(None, "en")
    ('1.234.567', '0.124', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, bool):
        value = int(value)
    return _format(value, lang, digits)


@lru_cache(maxsize=65536)
def format_decimal_text(text: str, lang: str, mark: str = ",") -> str:
    """A number from the data written the language's way, with as many decimals as it was written with:
    the user's figure, not a rounded measure. ``mark`` is the decimal mark the data uses (``","``: the
    other one, ``"."``, separates thousands, and the other way round).

    >>> format_decimal_text("32467,02", "da"), format_decimal_text("15.414.794", "en"), format_decimal_text("-0.5", "da", ".")
    ('32.467,02', '15,414,794', '-0,5')
    """
    from babel.numbers import format_decimal

    value = Decimal(text.replace("." if mark == "," else ",", "").replace(",", "."))
    places = max(0, -value.as_tuple().exponent)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale(lang), decimal_quantization=True)


@lru_cache(maxsize=4096)
def _percent(value: float, lang: str) -> str:
    from babel.numbers import format_percent as babel_percent

    whole = (Decimal(repr(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return babel_percent(whole / 100, locale=_locale(lang))


def format_percent(share: float | int, lang: str) -> str:
    """A share in [0, 1] as a whole percent, rounded half up, the language's way.

    >>> format_percent(1 / 8, "da"), format_percent(3 / 8, "da"), format_percent(0.5, "en")
    ('13\\xa0%', '38\\xa0%', '50%')
    """
    return _percent(float(share), lang)


def plural_form(lang: str, count: float | int) -> str:
    """The CLDR plural category (``"one"``, ``"other"``, …) of ``count`` in ``lang``.

    >>> plural_form("da", 1), plural_form("da", 2), plural_form("en", 0)
    ('one', 'other', 'other')
    """
    return _locale(lang).plural_form(count)


def plural_tags(lang: str) -> frozenset[str]:
    """Every plural category ``lang`` has for whole numbers (a text with a count needs one form each)."""
    rule = _locale(lang).plural_form
    return frozenset(rule(n) for n in range(0, 200))
