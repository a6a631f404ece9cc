"""All data rules: raw tables in, a typed :class:`Dataset` out, or every problem at once.

Checks run as polars expressions over whole columns; Python loops touch only the
rows that fail, so a valid million-row file is checked in about a second.

Rules for edges: an actor–partnership edge is a membership (either column
order), an actor–actor edge a direct tie, a partnership–partnership edge an
error. Edges are undirected: a pair may appear once, and ``b,a`` after ``a,b``
is a duplicate like ``a,b`` twice.
"""

from __future__ import annotations

import difflib
import re

import polars as pl

from . import schema as S
from .dataset import Dataset
from .errors import DataError, Problem
from .io.csvread import LINE, RawTable

_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_YEAR = r"^[12][0-9]{3}$"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """``'; did you mean "x"?'`` for the closest choice, or ``''``."""
    lowered = {c.lower(): c for c in choices}
    if value.lower() in lowered:
        return f'; did you mean "{lowered[value.lower()]}"?'
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f'; did you mean "{lowered[match[0]]}"?' if match else ""


class _Collector:
    """Collects problems for one table; knows its file name and column positions."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.problems: list[Problem] = []
        self.pos = {name: i + 1 for i, name in enumerate(raw.columns)}

    def add(self, line: int, column: str, value: object, reason: str, severity: str = "error") -> None:
        self.problems.append(
            Problem(self.raw.path, int(line), self.pos.get(column, 1), column, value, reason, severity)
        )

    def rows(self, frame: pl.DataFrame, column: str, reason, severity: str = "error") -> None:
        """Add one problem per row of ``frame``; ``reason`` is a string or ``f(row) -> str``."""
        for row in frame.select(LINE, column).iter_rows():
            why = reason(row[1]) if callable(reason) else reason
            self.add(row[0], column, row[1], why, severity)


def _require(raw: RawTable, required: tuple[str, ...], known: tuple[str, ...], col: _Collector) -> bool:
    missing = [c for c in required if c not in raw.columns]
    for name in missing:
        found = ", ".join(f'"{c}"' for c in raw.columns) or "none"
        expected = ", ".join(f'"{c}"' for c in required)
        col.add(raw.header_line, name, "",
                f"missing required column; expected {expected}, found {found}{suggest(name, raw.columns)}")
    return not missing


def _clean(frame: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    """Report control characters, then trim every text cell; empty cells become null."""
    text_cols = [c for c in frame.columns if c != LINE]
    if not text_cols:
        return frame
    bad = frame.filter(pl.any_horizontal(pl.col(text_cols).str.contains(_CONTROL)))
    for row in bad.iter_rows(named=True):
        for c in text_cols:
            v = row[c]
            if v is not None and re.search(_CONTROL, v):
                ch = re.search(_CONTROL, v).group(0)
                col.add(row[LINE], c, v, f"control character U+{ord(ch):04X} is not allowed")
    trimmed = [pl.col(c).str.strip_chars() for c in text_cols]
    frame = frame.with_columns(trimmed)
    return frame.with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in text_cols])


def _years(frame: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    for name in (S.START, S.END):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias(name))
            continue
        normalised = pl.col(name).str.replace(r"^([12][0-9]{3})[.,]0+$", "$1")
        bad = frame.filter(pl.col(name).is_not_null() & ~normalised.str.contains(_YEAR))
        col.rows(bad, name, "not a year (expected four digits, e.g. 2019)")
        frame = frame.with_columns(
            pl.when(normalised.str.contains(_YEAR)).then(normalised).otherwise(None).cast(pl.Int32).alias(name)
        )
    bad = frame.filter(pl.col(S.END) < pl.col(S.START))
    for line, start, end in bad.select(LINE, S.START, S.END).iter_rows():
        col.add(line, S.END, end, f"end year is before start year {start}")
    return frame


def _vocabulary_check(frame, name, allowed, col, what) -> pl.DataFrame:
    if name not in frame.columns:
        return frame
    lowered = frame.with_columns(pl.col(name).str.to_lowercase())
    bad = lowered.filter(pl.col(name).is_not_null() & ~pl.col(name).is_in(list(allowed)))
    col.rows(frame.filter(pl.col(LINE).is_in(bad[LINE].implode())), name,
             lambda v: f"unknown {what}; expected one of {', '.join(allowed)}{suggest(v, allowed)}")
    return lowered


def validate_sectors(raw: RawTable) -> tuple[S.Vocabulary | None, list[Problem]]:
    """Turn a sectors.csv table into a :class:`Vocabulary` (or report why not)."""
    col = _Collector(raw)
    col.problems += raw.problems
    if raw.frame is None or not _require(raw, S.SECTOR_COLUMNS, S.SECTOR_COLUMNS, col):
        return None, col.problems
    frame = _clean(raw.frame, col)
    sectors, seen = [], {}
    for row in frame.iter_rows(named=True):
        line = row[LINE]
        ok = True
        for name in S.SECTOR_COLUMNS:
            if row[name] is None:
                col.add(line, name, "", "empty value")
                ok = False
        if not ok:
            continue
        if row["id"] in seen:
            col.add(line, "id", row["id"], f"duplicate sector id (first on line {seen[row['id']]})")
            continue
        seen[row["id"]] = line
        if row["group"] not in S.GROUPS:
            col.add(line, "group", row["group"],
                    f"unknown group; expected one of {', '.join(S.GROUPS)}{suggest(row['group'], list(S.GROUPS))}")
            continue
        if not _COLOR.match(row["color"]):
            col.add(line, "color", row["color"], "not a colour; expected #RRGGBB")
            continue
        sectors.append(S.Sector(row["id"], row["label_da"], row["label_en"], row["group"], row["color"].upper()))
    if not sectors and not [p for p in col.problems if p.severity == "error"]:
        col.add(raw.header_line, "id", "", "no sectors defined")
    return S.Vocabulary(tuple(sectors)), col.problems


def _nodes(raw: RawTable, sectors: S.Vocabulary, col: _Collector) -> pl.DataFrame | None:
    if raw.frame is None or not _require(raw, S.NODE_REQUIRED, S.NODE_KNOWN, col):
        return None
    f = _clean(raw.frame, col)
    col.rows(f.filter(pl.col(S.ID).is_null()), S.ID, "empty id")
    f = f.filter(pl.col(S.ID).is_not_null())
    dup = f.filter(pl.col(S.ID).is_duplicated())
    if dup.height:
        first = dup.group_by(S.ID).agg(pl.col(LINE).min().alias("first"))
        later = dup.join(first, on=S.ID).filter(pl.col(LINE) != pl.col("first"))
        for line, value, first_line in later.select(LINE, S.ID, "first").iter_rows():
            col.add(line, S.ID, value, f"duplicate id (first on line {first_line}; ids are compared after trimming spaces)")
    for name in (S.LABEL, S.KIND, S.SECTOR, S.TYPE):
        if name not in f.columns:
            f = f.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    f = f.with_columns(pl.coalesce(S.LABEL, S.ID).alias(S.LABEL), pl.col(S.KIND).fill_null(S.ACTOR))
    f = _vocabulary_check(f, S.KIND, S.KINDS, col, "kind")
    f = _vocabulary_check(f, S.TYPE, S.ORG_TYPES, col, "type")
    is_actor = pl.col(S.KIND) == S.ACTOR
    bad_sector = f.filter(is_actor & pl.col(S.SECTOR).is_not_null() & ~pl.col(S.SECTOR).is_in(list(sectors.ids)))
    labels = {s.label_da.lower(): s.id for s in sectors} | {s.label_en.lower(): s.id for s in sectors}

    def sector_reason(v: str) -> str:
        hint = f'; did you mean "{labels[v.lower()]}"?' if v.lower() in labels else suggest(v, sectors.ids)
        return f"unknown sector; expected one of {', '.join(sectors.ids)}{hint}"

    col.rows(bad_sector, S.SECTOR, sector_reason)
    col.rows(f.filter(is_actor & pl.col(S.SECTOR).is_null()), S.SECTOR, "actor without a sector", "warning")
    col.rows(f.filter(~is_actor & pl.col(S.SECTOR).is_not_null()), S.SECTOR,
             "a partnership has no sector; value ignored", "warning")
    f = f.with_columns(pl.when(is_actor).then(pl.col(S.SECTOR)).otherwise(None).alias(S.SECTOR))
    return _years(f, col)


def _weights(f: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    if S.WEIGHT not in f.columns:
        return f.with_columns(pl.lit(1.0).alias(S.WEIGHT))
    text = pl.col(S.WEIGHT).str.replace(r"^([+-]?[0-9]*),([0-9]+)$", "$1.$2")
    num = text.cast(pl.Float64, strict=False)
    f = f.with_columns(num.alias("__w"))
    given = pl.col(S.WEIGHT).is_not_null()
    col.rows(f.filter(given & pl.col("__w").is_null()), S.WEIGHT, "not a number")
    col.rows(f.filter(given & (pl.col("__w").is_nan() | pl.col("__w").is_infinite())), S.WEIGHT,
             "not a finite number")
    col.rows(f.filter(given & pl.col("__w").is_finite() & (pl.col("__w") <= 0)), S.WEIGHT,
             "weight must be a positive number")
    return f.with_columns(pl.col("__w").fill_null(1.0).alias(S.WEIGHT)).drop("__w")


def _edges(raw: RawTable, nodes: pl.DataFrame | None, col: _Collector) -> pl.DataFrame | None:
    if raw.frame is None or not _require(raw, S.EDGE_REQUIRED, S.EDGE_KNOWN, col):
        return None
    f = _clean(raw.frame, col)
    for end in (S.SOURCE, S.TARGET):
        col.rows(f.filter(pl.col(end).is_null()), end, f"empty {end}")
    f = f.filter(pl.col(S.SOURCE).is_not_null() & pl.col(S.TARGET).is_not_null())
    if S.ROLE not in f.columns:
        f = f.with_columns(pl.lit(None, dtype=pl.String).alias(S.ROLE))
    f = _vocabulary_check(f, S.ROLE, S.ROLES, col, "role").with_columns(pl.col(S.ROLE).fill_null(S.MEMBER))
    f = _weights(f, col)
    f = _years(f, col)
    col.rows(f.filter(pl.col(S.SOURCE) == pl.col(S.TARGET)), S.TARGET, "self-loop: an edge from a node to itself")
    f = f.filter(pl.col(S.SOURCE) != pl.col(S.TARGET))
    lo = pl.min_horizontal(S.SOURCE, S.TARGET)
    hi = pl.max_horizontal(S.SOURCE, S.TARGET)
    f = f.with_columns(lo.alias("__lo"), hi.alias("__hi"))
    dup = f.filter(pl.struct("__lo", "__hi").is_duplicated())
    if dup.height:
        first = dup.group_by("__lo", "__hi").agg(pl.col(LINE).min().alias("__first"))
        later = dup.join(first, on=["__lo", "__hi"]).filter(pl.col(LINE) != pl.col("__first")).sort(LINE)
        for row in later.iter_rows(named=True):
            col.add(row[LINE], S.TARGET, f"{row[S.SOURCE]},{row[S.TARGET]}",
                    f"duplicate edge (first on line {row['__first']}); edges are undirected, "
                    "so a pair may appear once in either order")
        f = f.filter(~pl.struct("__lo", "__hi").is_duplicated() | pl.col(LINE).is_in(first["__first"].implode()))
    f = f.drop("__lo", "__hi")
    if nodes is None:
        return None
    kinds = nodes.select(pl.col(S.ID).alias("__id"), pl.col(S.KIND).alias("__kind")).unique("__id", keep="first", maintain_order=True)
    ids = nodes[S.ID].to_list()
    for end in (S.SOURCE, S.TARGET):
        unknown = f.filter(~pl.col(end).is_in(nodes[S.ID].implode()))
        col.rows(unknown, end, lambda v: f"unknown node id; not in the nodes file{suggest(v, ids) if len(ids) < 50_000 else ''}")
    f = f.filter(pl.col(S.SOURCE).is_in(nodes[S.ID].implode()) & pl.col(S.TARGET).is_in(nodes[S.ID].implode()))
    f = (
        f.join(kinds.rename({"__kind": "__ks"}), left_on=S.SOURCE, right_on="__id", how="left", maintain_order="left")
        .join(kinds.rename({"__kind": "__kt"}), left_on=S.TARGET, right_on="__id", how="left", maintain_order="left")
    )
    both = (pl.col("__ks") == S.PARTNERSHIP) & (pl.col("__kt") == S.PARTNERSHIP)
    col.rows(f.filter(both), S.TARGET, "an edge between two partnerships is not allowed; "
             "link partnerships through shared members")
    f = f.filter(~both)
    swap = pl.col("__ks") == S.PARTNERSHIP
    f = f.with_columns(
        pl.when(swap).then(pl.col(S.TARGET)).otherwise(pl.col(S.SOURCE)).alias(S.SOURCE),
        pl.when(swap).then(pl.col(S.SOURCE)).otherwise(pl.col(S.TARGET)).alias(S.TARGET),
        pl.when((pl.col("__ks") == S.PARTNERSHIP) | (pl.col("__kt") == S.PARTNERSHIP))
        .then(pl.lit(S.MEMBERSHIP)).otherwise(pl.lit(S.TIE)).alias(S.RELATION),
    )
    return f.drop("__ks", "__kt")


def _structure_warnings(nodes: pl.DataFrame, edges: pl.DataFrame, col: _Collector) -> None:
    linked = pl.concat([edges[S.SOURCE], edges[S.TARGET]]).unique()
    isolated = nodes.filter((pl.col(S.KIND) == S.ACTOR) & ~pl.col(S.ID).is_in(linked.implode()))
    col.rows(isolated, S.ID, "isolated actor: no partnership and no tie", "warning")
    sizes = edges.filter(pl.col(S.RELATION) == S.MEMBERSHIP).group_by(S.TARGET).len()
    small = nodes.filter(pl.col(S.KIND) == S.PARTNERSHIP).join(
        sizes, left_on=S.ID, right_on=S.TARGET, how="left", maintain_order="left"
    ).with_columns(pl.col("len").fill_null(0))
    small = small.filter(pl.col("len") < 2)
    for line, pid, n in small.select(LINE, S.ID, "len").iter_rows():
        col.add(line, S.ID, pid, f"partnership with {n} member{'s' if n != 1 else ''} (fewer than two)", "warning")


def _order(frame: pl.DataFrame, first: tuple[str, ...]) -> pl.DataFrame:
    head = [c for c in first if c in frame.columns]
    rest = [c for c in frame.columns if c not in head and c != LINE]
    return frame.select(head + rest)


def validate(
    nodes_raw: RawTable,
    edges_raw: RawTable,
    sectors: S.Vocabulary = S.DEFAULT_SECTORS,
    *,
    extra_problems: list[Problem] | None = None,
) -> Dataset:
    """Check every rule on both tables; return the typed :class:`Dataset`.

    Raises :class:`DataError` carrying all errors and warnings when any error
    is found. Warnings alone are returned in ``Dataset.warnings``.
    """
    ncol, ecol = _Collector(nodes_raw), _Collector(edges_raw)
    problems = list(extra_problems or []) + nodes_raw.problems + edges_raw.problems
    nodes = _nodes(nodes_raw, sectors, ncol)
    edges = _edges(edges_raw, nodes, ecol)
    if nodes is not None and edges is not None:
        _structure_warnings(nodes, edges, ncol)
    problems += ncol.problems + ecol.problems
    if nodes is None or edges is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    node_extras = tuple(c for c in nodes.columns if c not in S.NODE_KNOWN and c != LINE)
    edge_extras = tuple(c for c in edges.columns if c not in (*S.EDGE_KNOWN, S.RELATION) and c != LINE)
    return Dataset(
        nodes=_order(nodes, S.NODE_KNOWN),
        edges=_order(edges, (S.SOURCE, S.TARGET, S.ROLE, S.RELATION, S.WEIGHT, S.START, S.END)),
        sectors=sectors,
        warnings=tuple(sorted(problems, key=lambda p: p.sort_key)),
        sources=(nodes_raw.path, edges_raw.path),
        node_extras=node_extras,
        edge_extras=edge_extras,
    )
