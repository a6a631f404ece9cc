"""partnernet's one exception hierarchy and the located `Problem` record.

The library raises these and never prints or exits; the CLI maps
`DataError`/`OutputError` to exit code 1 and `OptionError` to exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_SHOW_MAX = 60


def _invisible(code: int) -> bool:
    """Zero-width, bidi and BOM characters: shown escaped so a message never hides them."""
    return (
        0x200B <= code <= 0x200F
        or 0x202A <= code <= 0x202E
        or 0x2060 <= code <= 0x2069
        or code == 0xFEFF
    )


def show_value(value: object) -> str:
    """Quote a cell value for a message: control characters escaped, long values cut."""
    if value is None:
        return '""'
    text = str(value)
    out = []
    for ch in text[: _SHOW_MAX * 2]:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or _invisible(code):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    shown = "".join(out)
    if len(shown) > _SHOW_MAX or len(text) > _SHOW_MAX * 2:
        shown = shown[: _SHOW_MAX - 1] + "…"
    return f'"{shown}"'


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a user's file.

    Rendered as ``file:line:column (name): value – reason``; ``line`` is the
    physical line (1-based) where the record starts, ``column`` the 1-based field
    number.
    """

    file: str
    line: int
    column: int
    name: str
    value: object
    reason: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} ({self.name}): {show_value(self.value)} – {self.reason}"

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.reason)


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
