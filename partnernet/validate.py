"""All data rules: raw tables in, a typed :class:`Dataset` out, or every problem at once.

Checks run as polars expressions over whole columns; Python loops touch only the
rows that fail, so checking a valid file costs little more than reading it.

The rules (the README documents them for users):

* Cells are trimmed of surrounding whitespace; an empty cell is "no value".
  Control characters (U+0000–U+001F except tab and line breaks, U+007F–U+009F)
  and invisible formatting characters (zero-width spaces, bidi controls, BOM)
  are errors anywhere, column names included.
* A column named like an attribute partnernet computes (``relation`` in
  edges.csv) or starting with ``__`` (partnernet's working columns) is an
  error, so no user column ever loses its values.
* Column names are exact and case-sensitive (``Id`` is not ``id``); a missing
  required column names the close match. Unknown columns are kept as extra
  attributes (a warning when one looks like a known column).
* Ids are text, compared exactly after trimming and Unicode NFC normalisation
  (every cell is normalised): ``007``, ``7`` and ``7.0`` are three ids, ``A``
  and ``a`` two, ``" a"`` and ``"a"`` one (a duplicate), and so are "Århus"
  with a precomposed Å and with A + combining ring.
* Vocabulary values (kind, type, role, sector) may be an id or a label, Danish
  or English, matched ignoring case and accents (:mod:`partnernet.names`) and
  stored as the id; an unknown or ambiguous value is an error (with a "did you
  mean", or the candidates). An empty kind is ``actor``,
  an empty role ``member``, an empty weight 1.
* Weights are numbers from 1e-12 to 1e12 (:data:`WEIGHT_MAX`), written
  ``1.5`` or ``1,5`` (no thousands separators); 0, negative numbers, NaN,
  infinity and numbers outside those bounds are errors. Years are four digits (1000–2999).
* Edges: an actor–partnership edge is a membership (either column order), an
  actor–actor edge a direct tie, a partnership–partnership edge an error, a
  self-loop an error. Edges are undirected: a pair of nodes may appear on one
  line only, so ``b,a`` after ``a,b`` is a duplicate just like ``a,b`` twice.
* ``declared`` (partnerships only): unnamed members per sector as
  ``|``-separated ``sector:count`` pairs, e.g. ``business:5|civil_society:1``;
  sectors as in ``sector`` (ids or labels), counts whole
  numbers of at least 1, each sector once.
* Warnings: an actor without a sector, an isolated actor, a partnership with
  fewer than two members, an unnamed empty column, a cp1252 file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import polars as pl

from . import schema
from .dataset import Dataset
from .errors import DataError, Problem, close_matches, cut_value, show_list, show_text, show_value, suggest
from .io.csvread import LINE, RawTable
from .names import Names, kind_names, role_names, sector_names, type_names

#: Control characters (C0 except tab and line breaks, DEL, C1), then invisible formatting characters
#: (zero-width spaces and joiners, direction marks and overrides, word joiners, BOM).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_BAD_CHAR = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
#: Columns holding machine values (ids, vocabulary words, numbers): no invisible characters at all.
#: Free text (labels, extra columns) may hold them, e.g. direction marks in right-to-left names.
_VALUE_COLUMNS = frozenset(
    (schema.ID, schema.KIND, schema.SECTOR, schema.TYPE, schema.DECLARED, schema.START, schema.END, schema.SOURCE, schema.TARGET, schema.ROLE, schema.WEIGHT, "group", "color")
)
_YEAR = r"^[12][0-9]{3}([.,]0+)?$"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: Characters that join lists (``|`` in CSV cells, ``,`` in ``--require``): never part of a sector id.
_LIST_SEPARATORS = re.compile(r"[|,]")

#: Weights are kept within these bounds: sums and squares over a million edges stay far from overflow
#: and underflow, so every measure is computed without a numpy warning and stays right.
WEIGHT_MIN = 1e-12
WEIGHT_MAX = 1e12
_WEIGHT_RANGE = "1e-12 to 1e12"

#: "Did you mean" for unknown ids is looked up among at most this many ids, for at most this many problems.
_SUGGEST_MAX_CHOICES = 5_000
_SUGGEST_MAX_CALLS = 200


class _Suggester:
    """``suggest`` for large id lists: exact case-insensitive hits always, fuzzy ones within limits."""

    def __init__(self, choices: Sequence[str]):
        self.choices = list(choices)
        self.lowered = {c.lower(): c for c in reversed(self.choices)}
        self.calls = 0

    def __call__(self, value: str) -> str:
        hit = self.lowered.get(value.lower())
        if hit is not None:
            return f"; did you mean {show_value(hit)}?"
        self.calls += 1
        if len(self.choices) > _SUGGEST_MAX_CHOICES or self.calls > _SUGGEST_MAX_CALLS:
            return ""
        return suggest(value, self.choices)


class _Collector:
    """Collects problems for one table; knows its file name and column positions."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.problems: list[Problem] = []
        self.pos = dict(raw.positions) or {name: i + 1 for i, name in enumerate(raw.columns)}

    def add(self, line: int, column: str, value: object, reason: str, severity: str = "error",
            position: int | None = None) -> None:
        where = position if position is not None else self.pos.get(column, 1)
        self.problems.append(Problem(self.raw.path, int(line), where, column, cut_value(value), reason, severity))

    def rows(self, frame: pl.DataFrame, column: str, reason: str | Callable[[str], str],
             severity: str = "error") -> None:
        """Add one problem per row of ``frame``; ``reason`` is a string or ``f(value) -> str``."""
        for line, v in frame.select(LINE, column).iter_rows():
            self.add(line, column, v, reason(v) if callable(reason) else reason, severity)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def _require(raw: RawTable, required: tuple[str, ...], known: tuple[str, ...], col: _Collector,
             computed: tuple[str, ...] = ()) -> bool:
    """Report missing required columns (naming a close match), columns named like a ``computed`` attribute,
    bad characters in names, and unknown columns that look like known ones."""
    for name in raw.columns:
        m = re.search(_BAD_CHAR, name)
        if m:
            what = "control" if re.match(_CONTROL, m.group(0)) else "invisible formatting"
            col.add(raw.header_line, name, name, f"{what} character U+{ord(m.group(0)):04X} is not allowed "
                    "in a column name; rename the column")
    for name in raw.columns:
        if name.startswith(schema.INTERNAL_PREFIX) and name != LINE:  # LINE: reported by the reader
            col.add(raw.header_line, name, name, f"reserved column name: names starting with "
                    f"{schema.INTERNAL_PREFIX} are kept for partnernet's working columns; rename the column")
    for name in computed:
        if name in raw.columns:
            col.add(raw.header_line, name, name, f"reserved column name: partnernet computes {show_value(name)} "
                    "itself (membership or tie), so the column's values would be lost; rename the column")
    missing = [c for c in required if c not in raw.columns]
    found = show_list(raw.columns) or "none"
    expected = show_list(required)
    named = set()
    unknown = [c for c in raw.columns if c not in known]
    for name in missing:
        close = _close_column(name, unknown, cutoff=0.75)
        named.add(close)
        reason = f'missing required column "{name}" (expected {expected}; found {found})'
        if close:
            reason += f"; rename {show_value(close)} to {show_value(name)} (column names are exact and case-sensitive)"
        col.add(raw.header_line, name, close or "", reason, position=col.pos.get(close, 1) if close else 1)
    for name in raw.columns:
        if name in known or name in named:
            continue
        close = _close_column(name, [k for k in known if k not in raw.columns], cutoff=0.8)
        if close:
            col.add(raw.header_line, name, name,
                    f"unknown column, kept as an extra attribute; did you mean {show_value(close)}? "
                    "(column names are exact and case-sensitive)", "warning")
    return not missing


def _close_column(name: str, names: Sequence[str], cutoff: float) -> str | None:
    match = close_matches(name, names, cutoff=cutoff)
    return match[0] if match else None


def _clean(frame: pl.DataFrame, col: _Collector, keep: tuple[str, ...] = ()) -> pl.DataFrame:
    """Report control and invisible characters, then trim every cell and bring it to Unicode NFC.

    NFC makes "Århus" typed as one code point (U+00C5) and as two (A and
    U+030A, as macOS may save it) the same text, so the same id. Empty cells
    become null.

    Columns in ``keep`` are left as they are (raw copies kept for messages).
    """
    text_cols = [c for c in frame.columns if c != LINE and c not in keep]
    if not text_cols:
        return frame
    bad = frame.filter(pl.any_horizontal(pl.col(text_cols).str.contains(_BAD_CHAR)))
    for row in bad.iter_rows(named=True):
        for c in text_cols:
            v = row[c]
            m = re.search(_BAD_CHAR, v) if v is not None else None
            if not m:
                continue
            code = f"U+{ord(m.group(0)):04X}"
            if re.match(_CONTROL, m.group(0)):
                col.add(row[LINE], c, v, f"control character {code} is not allowed")
            elif c in _VALUE_COLUMNS:
                col.add(row[LINE], c, v, f"invisible formatting character {code} is not allowed")
            else:
                col.add(row[LINE], c, v, f"invisible formatting character {code} kept in free text "
                        "(pages show it as written, isolated to its cell)", "warning")
    frame = frame.with_columns(pl.col(text_cols).str.strip_chars().str.normalize("NFC"))
    return frame.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in text_cols)


def _years(frame: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    for name in (schema.START, schema.END):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias(name))
            continue
        ok = pl.col(name).str.contains(_YEAR)  # also "2019.0" / "2019,0", as Excel may write a number
        bad = frame.filter(pl.col(name).is_not_null() & ~ok)
        col.rows(bad, name, "not a year (expected four digits, e.g. 2019)")
        year = pl.col(name).str.slice(0, 4).cast(pl.Int32, strict=False)
        frame = frame.with_columns(pl.when(ok).then(year).otherwise(None).alias(name))
    bad = frame.filter(pl.col(schema.END) < pl.col(schema.START))
    for line, start, end in bad.select(LINE, schema.START, schema.END).iter_rows():
        col.add(line, schema.END, str(end), f"end year is before start year {start}")
    return frame


def _vocabulary(frame: pl.DataFrame, name: str, names: Names, col: _Collector, default: str | None = None,
                rows: pl.Expr | None = None) -> pl.DataFrame:
    """Read ``name``'s cells (of ``rows``, default all) as ids or labels of ``names`` (:mod:`partnernet.names`).

    Empty → ``default``; an unknown or ambiguous value is an error and becomes null.
    The distinct values are looked up once each: a vocabulary column has a handful.
    """
    if name not in frame.columns:
        return frame.with_columns(pl.lit(default, dtype=pl.String).alias(name))
    rows = pl.lit(True) if rows is None else rows
    ids, reasons = _lookup(frame.filter(rows)[name].drop_nulls().unique().to_list(), names)
    col.rows(frame.filter(rows & pl.col(name).is_in(list(reasons))), name, lambda v: reasons[v])
    return frame.with_columns(
        pl.when(pl.col(name).is_null()).then(pl.lit(default, dtype=pl.String))
        .otherwise(pl.col(name).replace_strict(ids, default=None, return_dtype=pl.String))
        .alias(name)
    )


def _lookup(values: Sequence[str], names: Names) -> tuple[dict[str, str], dict[str, str]]:
    """(value → id for the values that name one, value → reason for the others)."""
    ids: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for v in values:
        hits = names.candidates(v)
        if len(hits) == 1:
            ids[v] = hits[0]
        else:
            reasons[v] = _not_a_name(v, hits, names)
    return ids, reasons


def _not_a_name(value: str, hits: Sequence[str], names: Names, quoted: bool = False) -> str:
    """Why ``value`` names no single id (``hits``: the ids it names); ``quoted`` repeats the value."""
    what = f"{names.what} {show_value(value)}" if quoted else names.what
    if hits:
        return f"ambiguous {what}: it names {names.show(hits)}; write the id"
    return f"unknown {what}; expected one of {', '.join(names.ids)}{names.hint(value)}"


def validate_sectors(raw: RawTable) -> tuple[schema.Vocabulary | None, list[Problem]]:
    """Turn a sectors.csv table into a :class:`Vocabulary` (or report why not).

    Sector ids are compared ignoring case, like the sector values in nodes.csv,
    and may not hold ``|`` or ``,``. Every problem of every row is reported.
    """
    col = _Collector(raw)
    col.problems += raw.problems
    if raw.frame is None or not _require(raw, schema.SECTOR_COLUMNS, schema.SECTOR_COLUMNS, col):
        return None, col.problems
    frame = _clean(raw.frame, col)
    sectors, seen = [], {}
    for row in frame.iter_rows(named=True):  # a vocabulary has a handful of rows
        line, before = row[LINE], len(col.problems)
        for name in schema.SECTOR_COLUMNS:
            if row[name] is None:
                col.add(line, name, "", "empty value")
        sid, group, color = row["id"], row["group"], row["color"]
        if sid is not None:
            if sid.lower() in seen:
                col.add(line, "id", sid, f"duplicate sector id (first on line {seen[sid.lower()]})")
            else:
                seen[sid.lower()] = line
            if _LIST_SEPARATORS.search(sid):
                col.add(line, "id", sid, "a sector id may not hold | or , (they separate lists in the exports "
                        "and in --require)")
        if group is not None and group not in schema.GROUPS:
            col.add(line, "group", group,
                    f"unknown group; expected one of {', '.join(schema.GROUPS)}{suggest(group, list(schema.GROUPS))}")
        if color is not None and not _COLOR.match(color):
            col.add(line, "color", color, "not a colour; expected #RRGGBB")
        if len(col.problems) == before:
            sectors.append(schema.Sector(sid, row["label_da"], row["label_en"], group, color.upper()))
    if not sectors and not col.has_errors:
        col.add(raw.header_line, "id", "", "no sectors defined")
    return schema.Vocabulary(tuple(sectors)), col.problems


def _ids_of(raw: RawTable, names: Sequence[str]) -> set[str]:
    """Trimmed values of ``names`` in the records the reader could not use (so they count as present)."""
    return {fields[n].strip() for _, fields in raw.salvaged for n in names if fields.get(n, "").strip()}


def _nodes(raw: RawTable, sectors: schema.Vocabulary | None, col: _Collector) -> pl.DataFrame | None:
    if raw.frame is None or not _require(raw, schema.NODE_REQUIRED, schema.NODE_KNOWN, col):
        return None
    f = _clean(raw.frame.with_columns(pl.col(schema.ID).alias("__raw")), col, keep=("__raw",))
    if f.height == 0 and not raw.salvaged:
        col.add(raw.header_line, "file", "", "no nodes: the file has a header but no rows", position=1)
    col.rows(f.filter(pl.col(schema.ID).is_null()), schema.ID, "empty id")
    f = f.filter(pl.col(schema.ID).is_not_null())
    dup = f.filter(pl.col(schema.ID).is_duplicated())
    if dup.height:
        first = dup.group_by(schema.ID).agg(pl.col(LINE).min().alias("__first"), pl.col("__raw").first().alias("__fraw"))
        later = dup.join(first, on=schema.ID).filter(pl.col(LINE) != pl.col("__first")).sort(LINE)
        for line, raw_id, first_line, first_raw in later.select(LINE, "__raw", "__first", "__fraw").iter_rows():
            if raw_id.strip() != first_raw.strip():
                note = "; ids are compared in Unicode NFC form, so letters written with combining accents match"
            elif raw_id != first_raw:
                note = "; ids are compared without surrounding spaces"
            else:
                note = ""
            col.add(line, schema.ID, raw_id, f"duplicate id (first on line {first_line}{note})")
    f = f.drop("__raw")
    if schema.LABEL not in f.columns:
        f = f.with_columns(pl.lit(None, dtype=pl.String).alias(schema.LABEL))
    f = f.with_columns(pl.coalesce(schema.LABEL, schema.ID).alias(schema.LABEL))
    f = _vocabulary(f, schema.KIND, kind_names(), col, default=schema.ACTOR)
    f = _vocabulary(f, schema.TYPE, type_names(), col)
    f = _sectors(raw, f, sectors, col)
    f = _declared(f, sectors, col)
    return _years(f, col)


def _sectors(raw: RawTable, f: pl.DataFrame, sectors: schema.Vocabulary | None, col: _Collector) -> pl.DataFrame:
    is_actor = pl.col(schema.KIND) == schema.ACTOR
    if schema.SECTOR not in f.columns:
        if f.filter(is_actor).height:
            col.add(raw.header_line, schema.SECTOR, "", "no sector column: no actor has a sector", "warning",
                    position=1)
        return f.with_columns(pl.lit(None, dtype=pl.String).alias(schema.SECTOR))
    if sectors is None:  # the vocabulary itself is broken (reported): check nothing against it
        return f.with_columns(pl.when(is_actor).then(pl.col(schema.SECTOR)).alias(schema.SECTOR))
    col.rows(f.filter(is_actor & pl.col(schema.SECTOR).is_null()), schema.SECTOR, "actor without a sector", "warning")
    col.rows(f.filter((pl.col(schema.KIND) == schema.PARTNERSHIP) & pl.col(schema.SECTOR).is_not_null()), schema.SECTOR,
             "a partnership has no sector; value ignored", "warning")
    f = _vocabulary(f, schema.SECTOR, sector_names(sectors), col, rows=is_actor)
    return f.with_columns(pl.when(is_actor).then(pl.col(schema.SECTOR)).alias(schema.SECTOR))


_DECLARED_ENTRY = re.compile(r"^(?P<sector>[^:]*?)\s*:\s*(?P<count>.*)$")
_DECLARED_SCHEMA = pl.List(pl.Struct({"sector": pl.String, "count": pl.Int64}))


def _declared(f: pl.DataFrame, sectors: schema.Vocabulary | None, col: _Collector) -> pl.DataFrame:
    """Parse the ``declared`` column (unnamed members per sector, ``business:5|civil_society:1``).

    Each cell becomes a list of ``{sector, count}`` sorted by sector id, or
    null. Entries are ``|``-separated ``sector:count`` pairs (spaces around
    either separator are fine); the sector is read like the ``sector``
    column (an id or a label, :mod:`partnernet.names`); the count a whole number of at
    least 1; a sector may appear once per cell; only partnerships may declare
    members. Every problem of a cell is reported, each naming its entry; a
    cell with a problem is dropped. Only non-empty cells are looked at, in
    Python: a partnership column has at most one cell per partnership.
    """
    if schema.DECLARED not in f.columns:
        return f.with_columns(pl.lit(None, dtype=_DECLARED_SCHEMA).alias(schema.DECLARED))
    names = sector_names(sectors) if sectors is not None else None
    f = f.with_row_index("__row")  # lines are not unique keys: a membership list's row names two nodes
    given = f.filter(pl.col(schema.DECLARED).is_not_null())
    parsed: dict[int, list[dict]] = {}
    for row, line, kind, text in given.select("__row", LINE, schema.KIND, schema.DECLARED).iter_rows():
        if kind is None:  # an unknown kind (reported): which rules apply is not known
            continue
        if kind != schema.PARTNERSHIP:
            col.add(line, schema.DECLARED, text, "only a partnership can declare unnamed members; "
                    "leave the cell empty on an actor row")
            continue
        entries, ok = _declared_entries(text, names, lambda reason: col.add(line, schema.DECLARED, text, reason))
        if ok:
            parsed[row] = [{"sector": k, "count": n} for k, n in sorted(entries.items())]
    if not parsed:
        return f.drop("__row").with_columns(pl.lit(None, dtype=_DECLARED_SCHEMA).alias(schema.DECLARED))
    values = pl.Series(schema.DECLARED, [parsed.get(row) for row in f["__row"].to_list()], dtype=_DECLARED_SCHEMA)
    return f.drop("__row").with_columns(values)


def _declared_entries(text: str, names: Names | None,
                      report: Callable[[str], None]) -> tuple[dict[str, int], bool]:
    """The ``sector → count`` pairs of one ``declared`` cell and whether it had no problem (each reported)."""
    entries: dict[str, int] = {}
    seen: set[str] = set()
    ok = True
    for raw in text.split(schema.DECLARED_SEP):
        entry = raw.strip()
        m = _DECLARED_ENTRY.match(entry)
        if not entry or m is None or not m["sector"] or not m["count"]:
            what = f"entry {show_value(entry)}" if entry else "an empty entry"
            report(f"{what} is not sector:count (write e.g. business:5|civil_society:1)")
            ok = False
            continue
        name, count = m["sector"], m["count"]
        hits = [name] if names is None else names.candidates(name)
        sector = hits[0] if len(hits) == 1 else None
        if sector is None:
            report(_not_a_name(name, hits, names, quoted=True))
            ok = False
        if not count.isascii() or not count.isdigit():
            report(f"count {show_value(count)} for {show_value(name)} is not a whole number (write e.g. {name}:3)")
            ok = False
        elif int(count) < 1:
            report(f"count {show_value(count)} for {show_value(name)} must be at least 1")
            ok = False
        if sector is None:
            continue
        if sector.lower() in seen:
            report(f"sector {show_value(sector)} is listed twice")
            ok = False
            continue
        seen.add(sector.lower())
        entries[sector] = int(count) if count.isascii() and count.isdigit() else 0
    return entries, ok


def _weights(f: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    if schema.WEIGHT not in f.columns:
        return f.with_columns(pl.lit(1.0).alias(schema.WEIGHT))
    v = pl.col(schema.WEIGHT)
    text = pl.when(v.str.contains(r"^[+-]?[0-9]*,[0-9]+$")).then(v.str.replace(",", ".", literal=True)).otherwise(v)
    f = f.with_columns(text.cast(pl.Float64, strict=False).alias("__w"))
    given = pl.col(schema.WEIGHT).is_not_null()
    w = pl.col("__w")
    col.rows(f.filter(given & w.is_null()), schema.WEIGHT, "not a number (write e.g. 2, 1.5 or 1,5)")
    col.rows(f.filter(given & (w.is_nan() | w.is_infinite())), schema.WEIGHT, "not a finite number")
    col.rows(f.filter(given & w.is_finite() & (w <= 0)), schema.WEIGHT, "weight must be greater than 0")
    col.rows(f.filter(given & w.is_finite() & ((w > WEIGHT_MAX) | ((w > 0) & (w < WEIGHT_MIN)))), schema.WEIGHT,
             f"weight outside {_WEIGHT_RANGE}, which the measures cannot compute with safely; "
             "they use only the ratios of weights, so divide (or multiply) every weight by the same number")
    ok = w.is_finite() & (w >= WEIGHT_MIN) & (w <= WEIGHT_MAX)
    return f.with_columns(pl.when(ok).then(w).otherwise(1.0).alias(schema.WEIGHT)).drop("__w")


def _edges(raw: RawTable, nodes: pl.DataFrame | None, nodes_raw: RawTable,
           col: _Collector) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """(valid edges, links): ``links`` has every well-formed pair with the kinds of its ends
    (``__ks``/``__kt``, null when unknown), so structure warnings do not depend on other errors."""
    if raw.frame is None or not _require(raw, schema.EDGE_REQUIRED, schema.EDGE_KNOWN, col, schema.EDGE_COMPUTED):
        return None, None
    f = _clean(raw.frame, col)
    for end in (schema.SOURCE, schema.TARGET):
        col.rows(f.filter(pl.col(end).is_null()), end, f"empty {end}")
    f = f.filter(pl.col(schema.SOURCE).is_not_null() & pl.col(schema.TARGET).is_not_null())
    f = _vocabulary(f, schema.ROLE, role_names(), col, default=schema.MEMBER)
    f = _weights(f, col)
    f = _years(f, col)
    col.rows(f.filter(pl.col(schema.SOURCE) == pl.col(schema.TARGET)), schema.TARGET,
             "self-loop: source and target are the same node")
    f = f.filter(pl.col(schema.SOURCE) != pl.col(schema.TARGET))
    f = _duplicate_edges(f, col)
    if nodes is None:
        return None, None
    known = nodes.select(pl.col(schema.ID).alias("__id"), pl.col(schema.KIND).alias("__kind")).unique(
        "__id", keep="first", maintain_order=True)
    f = (
        f.join(known.rename({"__kind": "__ks"}), left_on=schema.SOURCE, right_on="__id", how="left", maintain_order="left")
        .join(known.rename({"__kind": "__kt"}), left_on=schema.TARGET, right_on="__id", how="left", maintain_order="left")
    )
    links = f.select(schema.SOURCE, schema.TARGET, "__ks", "__kt")
    ids = known["__id"]
    if ids.len():  # with no nodes at all, that one error says it all
        broken = _ids_of(nodes_raw, [schema.ID])
        present = pl.concat([ids, pl.Series(list(broken), dtype=pl.String)]).implode()
        unknown = {end: f.filter(~pl.col(end).is_in(present)) for end in (schema.SOURCE, schema.TARGET)}
        if any(u.height for u in unknown.values()):
            hint = _Suggester(ids.to_list())  # built only on the error path
            for end, rows in unknown.items():
                col.rows(rows, end, lambda v: f"unknown node id: not in {show_text(nodes_raw.path, 200)}{hint(v)}")
    f = f.filter(pl.col(schema.SOURCE).is_in(ids.implode()) & pl.col(schema.TARGET).is_in(ids.implode()))
    both = (pl.col("__ks") == schema.PARTNERSHIP) & (pl.col("__kt") == schema.PARTNERSHIP)
    for line, s, t in f.filter(both).select(LINE, schema.SOURCE, schema.TARGET).iter_rows():
        col.add(line, schema.TARGET, t, f"edge between two partnerships ({show_value(s)} and {show_value(t)}); "
                "partnerships are linked only through shared members")
    f = f.filter(~both)
    swap = pl.col("__ks") == schema.PARTNERSHIP
    f = f.with_columns(
        pl.when(swap).then(pl.col(schema.TARGET)).otherwise(pl.col(schema.SOURCE)).alias(schema.SOURCE),
        pl.when(swap).then(pl.col(schema.SOURCE)).otherwise(pl.col(schema.TARGET)).alias(schema.TARGET),
        pl.when((pl.col("__ks") == schema.PARTNERSHIP) | (pl.col("__kt") == schema.PARTNERSHIP))
        .then(pl.lit(schema.MEMBERSHIP)).otherwise(pl.lit(schema.TIE)).alias(schema.RELATION),
    )
    return f.drop("__ks", "__kt"), links


def _duplicate_edges(f: pl.DataFrame, col: _Collector) -> pl.DataFrame:
    """A pair may appear once, in either order: report later lines, keep the first."""
    pair = pl.struct(pl.min_horizontal(schema.SOURCE, schema.TARGET).alias("lo"),
                     pl.max_horizontal(schema.SOURCE, schema.TARGET).alias("hi"))
    f = f.with_columns(pair.alias("__pair"))
    dup = f.filter(pl.col("__pair").is_duplicated())
    if dup.height:
        first = dup.group_by("__pair").agg(pl.col(LINE).min().alias("__first"),
                                           pl.col(schema.SOURCE).sort_by(LINE).first().alias("__fsource"))
        later = dup.join(first, on="__pair").filter(pl.col(LINE) != pl.col("__first")).sort(LINE)
        for line, s, t, first_line, first_source in later.select(
                LINE, schema.SOURCE, schema.TARGET, "__first", "__fsource").iter_rows():
            if s == first_source:
                reason = f"duplicate edge: the same pair as line {first_line} (a pair may appear only once)"
            else:
                reason = (f"duplicate edge: the same pair as line {first_line} in reverse order "
                          "(edges are undirected, so a pair may appear only once in either order)")
            col.add(line, "source, target", f"{s}, {t}", reason, position=col.pos.get(schema.SOURCE, 1))
        f = f.filter(pl.col(LINE).is_in(first["__first"].implode()) | ~pl.col("__pair").is_duplicated())
    return f.drop("__pair")


def _structure_warnings(nodes: pl.DataFrame, links: pl.DataFrame, edges_raw: RawTable, col: _Collector) -> None:
    """Isolated actors and small partnerships, counted over every well-formed pair (also those with
    other errors, and records the reader could not use), so a broken line causes no extra warnings."""
    broken = pl.Series(list(_ids_of(edges_raw, [schema.SOURCE, schema.TARGET])), dtype=pl.String)
    linked = pl.concat([links[schema.SOURCE], links[schema.TARGET], broken]).unique()
    isolated = nodes.filter((pl.col(schema.KIND) == schema.ACTOR) & ~pl.col(schema.ID).is_in(linked.implode()))
    col.rows(isolated, schema.ID, "isolated actor: no partnership and no tie", "warning")
    ps, pt = pl.col("__ks") == schema.PARTNERSHIP, pl.col("__kt") == schema.PARTNERSHIP
    member_of = (
        links.select(pl.when(ps & ~pt.fill_null(False)).then(pl.col(schema.SOURCE))
                     .when(pt & ~ps.fill_null(False)).then(pl.col(schema.TARGET)).alias("__p"))
        .drop_nulls()
        .group_by("__p").len("__len")
    )
    small = (
        nodes.filter(pl.col(schema.KIND) == schema.PARTNERSHIP)
        .join(member_of, left_on=schema.ID, right_on="__p", how="left", maintain_order="left")
        .with_columns(pl.col("__len").fill_null(0))
        .filter(pl.col("__len") < 2)
    )
    for line, pid, n in small.select(LINE, schema.ID, "__len").iter_rows():
        col.add(line, schema.ID, pid, f"partnership with {n} member{'s' if n != 1 else ''} (fewer than two)", "warning")


def _order(frame: pl.DataFrame, first: tuple[str, ...]) -> pl.DataFrame:
    head = [c for c in first if c in frame.columns]
    rest = [c for c in frame.columns if c not in head and c != LINE]
    return frame.select(head + rest)


def validate(
    nodes_raw: RawTable,
    edges_raw: RawTable,
    sectors: schema.Vocabulary | None = schema.DEFAULT_SECTORS,
    *,
    extra_problems: list[Problem] | None = None,
) -> Dataset:
    """Check every rule on both tables; return the typed :class:`Dataset`.

    Both files are always checked as far as they can be, so one run reports
    the problems of both. ``sectors=None`` means the vocabulary could not be
    read (its problems are in ``extra_problems``): sector values are then not
    checked. Raises :class:`DataError` carrying all errors and warnings when
    any error is found; warnings alone are returned in ``Dataset.warnings``.
    """
    ncol, ecol = _Collector(nodes_raw), _Collector(edges_raw)
    problems = list(extra_problems or []) + nodes_raw.problems + edges_raw.problems
    nodes = _nodes(nodes_raw, sectors, ncol)
    edges, links = _edges(edges_raw, nodes, nodes_raw, ecol)
    if nodes is not None and links is not None:
        _structure_warnings(nodes, links, edges_raw, ncol)
    problems += ncol.problems + ecol.problems
    if nodes is None or edges is None or sectors is None or any(p.severity == "error" for p in problems):
        raise DataError(problems)
    node_extras = tuple(c for c in nodes.columns if c not in schema.NODE_KNOWN and c != LINE)
    edge_extras = tuple(c for c in edges.columns if c not in (*schema.EDGE_KNOWN, schema.RELATION) and c != LINE)
    return Dataset(
        nodes=_order(nodes, schema.NODE_KNOWN),
        edges=_order(edges, (schema.SOURCE, schema.TARGET, schema.ROLE, schema.RELATION, schema.WEIGHT, schema.START, schema.END)),
        sectors=sectors,
        warnings=tuple(sorted(problems, key=lambda p: p.sort_key)),
        sources=(nodes_raw.path, edges_raw.path),
        node_extras=node_extras,
        edge_extras=edge_extras,
    )
