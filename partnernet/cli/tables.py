"""Tables as aligned plain text for a terminal (Danish characters intact)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import polars as pl

from ..export.tables import cell_text

MIN_COLUMN = 6


def _width(text: str) -> int:
    """Terminal columns of ``text``: wide (East Asian) characters take 2, combining marks 0."""
    if text.isascii():
        return len(text)
    return len(text) + sum(_extra_width(ch) for ch in text if not ch.isascii())


@lru_cache(maxsize=4096)
def _extra_width(ch: str) -> int:
    return 1 if unicodedata.east_asian_width(ch) in "WF" else -1 if unicodedata.combining(ch) else 0


def _fit(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - used - 1)


def format_table(frame: pl.DataFrame, *, width: int | None = None) -> str:
    """Align columns (numbers right, text left); shrink the widest text columns to fit ``width``."""
    header = frame.columns
    rows = [[cell_text(v, excel=False) for v in row] for row in frame.iter_rows()]
    numeric = [frame[c].dtype.is_numeric() for c in header]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    if width:
        budget = width - 2 * (len(header) - 1)
        while sum(widths) > budget:
            i = max(range(len(widths)), key=lambda k: (not numeric[k], widths[k]))
            if widths[i] <= MIN_COLUMN:
                break
            widths[i] -= 1

    def line(cells: list[str]) -> str:
        parts = []
        for i, c in enumerate(cells):
            fitted = _fit(c, widths[i])
            if numeric[i]:
                fitted = " " * (widths[i] - _width(fitted.rstrip())) + fitted.rstrip()
            parts.append(fitted)
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    if not rows:
        out.append("(no rows)")
    return "\n".join(out)


def format_sections(sections: Sequence[tuple[str, pl.DataFrame]], *, width: int | None = None) -> str:
    """Non-empty tables, each under its heading and a blank line apart; one empty table when all are empty."""
    shown = [(title, frame) for title, frame in sections if frame.height]
    if not shown:
        return format_table(sections[0][1], width=width)
    return "\n\n".join(f"{title}\n{format_table(frame, width=width)}" for title, frame in shown)


def format_summary(report: dict) -> str:
    """The summary report as readable sections of aligned counts."""
    scalars = [
        ("Actors", report["actors"]),
        ("Partnerships", report["partnerships"]),
        ("Memberships", report["memberships"]),
        ("Direct ties", report["ties"]),
        ("Components", report["components"]),
        ("Largest component", report["largest_component"]),
        ("Linked actor pairs", report["actor_links"]),
        ("Actor network density", f"{report['actor_density']:.4f}"),
        ("Isolated actors", report["isolated_actors"]),
    ]
    lines = [f"{name:<24}{value:>10}" for name, value in scalars]
    for title, key in (
        ("Actors by sector", "actors_by_sector"),
        ("Actors by type", "actors_by_type"),
        ("Partnerships by size (members)", "partnerships_by_size"),
        ("Memberships by role", "memberships_by_role"),
    ):
        lines += ["", title]
        counts = report[key] or {"(none)": 0}
        lines += [f"  {name:<22}{count:>10}" for name, count in counts.items()]
    return "\n".join(lines)
