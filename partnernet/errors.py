"""partnernet's one exception hierarchy, the located `Problem` record, and did-you-mean.

The library raises these and never prints or exits; the CLI maps
`DataError`/`OutputError` to exit code 1 and `OptionError` to exit code 2.
Every "did you mean" in a message comes from :func:`close_matches` (and
:func:`suggest`, which words it), so options, ids and columns are matched
the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_SHOW_MAX = 60

#: Longest cell text kept in a problem (messages show at most 60 characters of it).
VALUE_MAX = 200


def cut_value(value: object) -> object:
    """A cell value as a problem keeps it: text cut to :data:`VALUE_MAX` characters."""
    return value[:VALUE_MAX] if isinstance(value, str) and len(value) > VALUE_MAX else value


def close_matches(value: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6,
                  ignore_case: bool = True) -> list[str]:
    """Up to ``n`` choices close to ``value``, closest first (:func:`difflib.get_close_matches`).

    With ``ignore_case`` (the default) a choice equal to ``value`` but for case
    always comes first, and the others are compared in lower case; of choices
    equal but for case the first is kept.

    >>> close_matches("Betweeness", ["degree", "betweenness"])
    ['betweenness']
    >>> close_matches("STATE", ["state", "region"])
    ['state']
    """
    if not ignore_case:
        return difflib.get_close_matches(value, list(choices), n=n, cutoff=cutoff)
    lowered: dict[str, str] = {}
    for c in choices:
        lowered.setdefault(c.lower(), c)
    key = value.lower()
    if key in lowered:
        return [lowered[key]]
    return [lowered[m] for m in difflib.get_close_matches(key, list(lowered), n=n, cutoff=cutoff)]


def suggest(value: str, choices: Iterable[str]) -> str:
    """``'; did you mean "x"?'`` for the closest choice (shown like a value), or ``''``.

    >>> suggest("helth", ["health", "state"])
    '; did you mean "health"?'
    """
    match = close_matches(value, choices)
    return f"; did you mean {show_value(match[0])}?" if match else ""


def _invisible(code: int) -> bool:
    """Zero-width, bidi and BOM characters: shown escaped so a message never hides them."""
    return (
        0x200B <= code <= 0x200F
        or 0x202A <= code <= 0x202E
        or 0x2060 <= code <= 0x2069
        or code == 0xFEFF
    )


def show_text(value: object, limit: int = _SHOW_MAX, *, quote: bool = False) -> str:
    """Text from the data (a value, a column or file name) as a terminal may show it.

    The one escaping of everything from the data that reaches a message:
    control characters (NUL, ESC and so CSI/OSC sequences, DEL, C1) and
    invisible formatting characters are written as ``\\xNN``/``\\uNNNN``, a
    backslash as ``\\\\``, and text longer than ``limit`` characters is cut
    with "…". With ``quote``, ``"`` is escaped as ``\\"`` too.
    """
    text = "" if value is None else str(value)
    out = []
    for ch in text[: limit * 2]:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif quote and ch == '"':
            out.append('\\"')
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or _invisible(code):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    shown = "".join(out)
    if len(shown) > limit or len(text) > limit * 2:
        shown = shown[: limit - 1] + "…"
    return shown


def show_value(value: object) -> str:
    """Quote a cell value for a message (:func:`show_text`, with ``"`` escaped)."""
    return f'"{show_text(value, quote=True)}"'


def show_list(values: Iterable[object], *, most: int = 20) -> str:
    """Values quoted by :func:`show_value`, comma-separated; past ``most`` the rest are counted."""
    values = list(values)
    shown = ", ".join(show_value(v) for v in values[:most])
    return shown + (f", … {len(values) - most} more" if len(values) > most else "")


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a user's file.

    Rendered as ``file:line:column (name): value – reason``; ``line`` is the
    physical line (1-based) where the record starts, ``column`` the 1-based field
    number. In a workbook sheet (``file`` is ``book.xlsx[nodes]``) the line is
    the row and the column is shown as Excel's letter: ``book.xlsx[nodes]:12:C``.
    """

    file: str
    line: int
    column: int
    name: str
    value: object
    reason: str
    severity: Severity = "error"

    def __str__(self) -> str:
        column = column_letters(self.column) if _SHEET.search(self.file) else self.column
        return (f"{show_text(self.file, 200)}:{self.line}:{column} ({show_text(self.name)}): "
                f"{show_value(self.value)} – {self.reason}")

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.reason)


#: A location inside a workbook: ``book.xlsx[sheet]`` (see :mod:`partnernet.io.workbook`).
_SHEET = re.compile(r"\.(?:xlsx|xlsm|ods)\[[^\]]*\]$", re.IGNORECASE)


def column_letters(number: int) -> str:
    """Excel's name of a 1-based column number: 1 → ``A``, 27 → ``AA``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


class PartnernetError(Exception):
    """Base of every error partnernet raises on purpose."""


class DataError(PartnernetError):
    """The input data has problems; carries all of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.sort_key)
        n = len(self.errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in the input data")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class OutputError(PartnernetError):
    """Writing an output failed; the previous output is left intact."""

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OptionError(PartnernetError):
    """An option names something the data does not have (exit code 2, like a usage error)."""
