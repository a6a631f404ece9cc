"""Tables as text: aligned plain text for files and pipes, fitted to the width of a terminal with rich.

Without a width (``--out FILE``, a pipe) :func:`format_table` writes every
row and column, aligned, as plain text: fast on 100,000 rows. With the width
of a terminal, :func:`fit_table` lays the table out with rich, in this
order when space runs out: ids are shortened first (with "…"), free text
(lists, labels, reasons) wraps, and columns are dropped from the right,
named in a note: text other than labels and reasons first, then measures,
then ids; labels, sectors and reasons stay. A terminal shows the first
:data:`TERMINAL_ROWS` rows and counts the rest (a file or pipe gets them all).
rich is imported only here, and only for a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import polars as pl

from ..export.tables import cell_text

MIN_COLUMN = 6
#: Rows a terminal shows; more are counted under the table (rich lays out about 1,000 rows a second).
TERMINAL_ROWS = 100
#: Columns holding node ids: shortened first when a terminal is too narrow.
ID_COLUMNS = frozenset(("id", "partnership", "candidate", "source", "target"))
#: Narrowest a label column is made on a terminal (wider labels wrap).
LABEL_MIN = 20
#: Narrowest other text columns are made (they wrap), and ids (they are cut with "…").
TEXT_MIN = 12
ID_MIN = 8
_GAP = 2


def _width(text: str) -> int:
    """Terminal columns of ``text``: wide (East Asian) characters take 2, combining marks 0."""
    if text.isascii():
        return len(text)
    return len(text) + sum(_extra_width(ch) for ch in text if not ch.isascii())


@lru_cache(maxsize=4096)
def _extra_width(ch: str) -> int:
    return 1 if unicodedata.east_asian_width(ch) in "WF" else -1 if unicodedata.combining(ch) else 0


def format_table(frame: pl.DataFrame, *, width: int | None = None) -> str:
    """The table as text: plain and aligned without ``width``, fitted to a terminal of ``width`` columns with it."""
    if width:
        return fit_table(frame, width)
    header = frame.columns
    rows = [[cell_text(v, excel=False).replace("\n", " ") for v in row] for row in frame.iter_rows()]
    numeric = [frame[c].dtype.is_numeric() for c in header]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        parts = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - _width(c))
            parts.append(pad + c if numeric[i] else c + pad)
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    if not rows:
        out.append("(no rows)")
    return "\n".join(out)


def _terminal_cell(value: object) -> str:
    """A cell as a terminal shows it: floats to four significant digits, the rest as in CSV."""
    if isinstance(value, float) and value == value and abs(value) not in (float("inf"),):
        return f"{value:.4g}"
    return cell_text(value, excel=False).replace("\n", " ")


def _kind(name: str, dtype: pl.DataType) -> str:
    if name in ("rank", "rank_label"):
        return "rank"
    if name in ID_COLUMNS:
        return "id"
    if name in ("label", "sector") or name.endswith("_label") or name.startswith(("label_", "reason")):
        return "label"
    return "measure" if dtype.is_numeric() else "text"


def fit_table(frame: pl.DataFrame, width: int) -> str:
    """The table laid out by rich for a terminal ``width`` columns wide (see the module docstring)."""
    from io import StringIO

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    shown = frame.head(TERMINAL_ROWS)
    rows = [[_terminal_cell(v) for v in row] for row in shown.iter_rows()]
    kinds = [_kind(c, frame.schema[c]) for c in frame.columns]
    natural = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(frame.columns)]
    floor = {"id": ID_MIN, "label": LABEL_MIN, "text": TEXT_MIN}
    least = [n if k in ("measure", "rank") else min(n, max(TEXT_MIN if c == "sector" else floor[k], _width(c)))
             for c, k, n in zip(frame.columns, kinds, natural)]
    keep = list(range(len(kinds)))
    dropped: list[str] = []
    for kind in ("text", "measure", "id"):  # from the right: other text first, then measures, then ids
        for i in reversed(range(len(kinds))):
            if sum(least[j] for j in keep) + _GAP * (len(keep) - 1) <= width or len(keep) == 1:
                break
            if kinds[i] == kind and i in keep:
                keep.remove(i)
                dropped.append(frame.columns[i])
    widths = _widths(keep, kinds, natural, least, width)
    table = Table(box=box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True), show_edge=False,
                  pad_edge=False, padding=(0, _GAP - 1, 0, 0), collapse_padding=True, header_style="bold")
    for j in keep:
        name, kind = frame.columns[j], kinds[j]
        if kind in ("measure", "rank"):
            table.add_column(name, justify="right", no_wrap=True, width=widths[j])
        elif kind == "id":
            table.add_column(name, no_wrap=True, overflow="ellipsis", width=widths[j])
        else:
            table.add_column(name, overflow="fold", width=widths[j])
    for r in rows:
        table.add_row(*(Text(r[j]) for j in keep))
    buffer = StringIO()
    Console(file=buffer, width=width, color_system=None, markup=False, highlight=False, emoji=False,
            legacy_windows=False, force_terminal=False).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    if not rows:
        lines.append("(no rows)")
    if frame.height > len(rows):
        lines.append(f"… {frame.height - len(rows):,} more rows (all of them with --out FILE, --format csv or a pipe)")
    if dropped:
        hidden = [c for c in frame.columns if c in dropped]
        lines.append(f"not shown for lack of width: {', '.join(hidden)} (widen the terminal, or --format csv)")
    return "\n".join(lines)


def _widths(keep: list[int], kinds: list[str], natural: list[int], least: list[int], width: int) -> dict[int, int]:
    """Column widths that fit ``width``: ids give up their width first, then the widest text columns."""
    widths = {j: natural[j] for j in keep}
    budget = width - _GAP * (len(keep) - 1)
    for group in (("id",), ("label", "text")):
        while sum(widths.values()) > budget:
            j = max((j for j in keep if kinds[j] in group and widths[j] > least[j]), key=lambda j: widths[j],
                    default=None)
            if j is None:
                break
            widths[j] -= 1
    return widths


def format_sections(sections: Sequence[tuple[str, pl.DataFrame]], *, width: int | None = None) -> str:
    """Non-empty tables, each under its heading and a blank line apart; one empty table when all are empty."""
    shown = [(title, frame) for title, frame in sections if frame.height]
    if not shown:
        return format_table(sections[0][1], width=width)
    return "\n\n".join(f"{title}\n{format_table(frame, width=width)}" for title, frame in shown)


def with_sector_labels(frame: pl.DataFrame, vocabulary, lang: str) -> pl.DataFrame:
    """The ``sector`` column shown by its label in ``lang`` (text tables only: CSV and JSON keep the ids)."""
    if vocabulary is None or "sector" not in frame.columns or frame.schema["sector"] != pl.String:
        return frame
    labels = {s.id: s.label(lang) for s in vocabulary}
    return frame.with_columns(pl.col("sector").replace(labels))


def format_summary(report: dict, vocabulary=None, lang: str = "da") -> str:
    """The summary report as readable sections of aligned counts, sectors by their label in ``lang``."""
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
        if key == "actors_by_sector" and vocabulary is not None:
            labels = {sec.id: sec.label(lang) for sec in vocabulary}
            counts = {labels.get(name, name): n for name, n in counts.items()}
        wide = max(22, *(_width(str(name)) + 2 for name in counts))
        lines += [f"  {name}{' ' * (wide - _width(str(name)))}{count:>10}" for name, count in counts.items()]
    return "\n".join(lines)
