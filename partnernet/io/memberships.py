"""One membership list ⇄ nodes and edges: the table people keep, and the graph person's two files.

A membership list has one row per membership: ``partnership`` and ``actor``
(their names), the actor's ``sector`` and ``type``, the membership's
``role``, ``weight``, ``start`` and ``end``, and any further columns. A column
named ``actor_X`` or ``partnership_X`` is attribute ``X`` of the actor or the
partnership (``partnership_start``, ``partnership_declared``,
``actor_country``); any other extra column belongs to the membership. A row
with only a partnership (or only an actor) names a node without members (or
without partnerships).

:func:`split_memberships` turns the list into the raw node and edge tables
that :mod:`partnernet.validate` checks, keeping the list's own lines and
columns, so every problem is reported where the user typed it. Ids are
derived from the names, stably (the same name always gives the same id,
whatever else the list holds): ``--id-from slug`` (default) gives
:func:`~partnernet.slug.slugify` of the name (``Miljøstyrelsen`` →
``miljoestyrelsen``; names giving the same slug are the same node),
``--id-from label`` the name itself; an ``actor_id`` or ``partnership_id``
column gives ids explicitly (empty cells derive). A node's attributes must
agree on every line that names it; a conflict is a located error naming the
first line. :func:`partnernet.export.memberships.join_memberships` is the
way back, from a validated dataset.
"""

from __future__ import annotations

import polars as pl

from .. import schema
from ..errors import OptionError, Problem, cut_value, show_list, show_value
from ..slug import id_hash, slugify
from .csvread import LINE, RawTable

MEMBERSHIPS_FILE = "memberships.csv"
PARTNERSHIP_COL = "partnership"
ACTOR_COL = "actor"
ACTOR_PREFIX = "actor_"
PARTNERSHIP_PREFIX = "partnership_"
#: How ids are made from names (``--id-from``).
ID_FROM = ("slug", "label")

#: Membership columns that describe the actor (the rest of the known ones describe the membership).
ACTOR_COLUMNS = (schema.SECTOR, schema.TYPE)
_EDGE_COLUMNS = (schema.ROLE, schema.WEIGHT, schema.START, schema.END)
#: Attributes compared ignoring case, as validation matches them.
_VOCABULARY = (schema.SECTOR, schema.TYPE)


def derive_id(name: str, how: str = "slug") -> str:
    """The id a name gets (``slug``: :func:`~partnernet.slug.slugify`, or a hash for a name without letters)."""
    if how == "label":
        return name
    return slugify(name) or f"x-{id_hash(name)}"


def split_memberships(raw: RawTable, *, id_from: str = "slug") -> tuple[RawTable, RawTable]:
    """The nodes and edges of a membership list as raw tables, lines and columns those of the list.

    The list's reader problems and its conflicts go with the nodes table.
    """
    if id_from not in ID_FROM:
        raise OptionError(f"--id-from: {id_from!r} is not one of {', '.join(ID_FROM)}")
    nodes = RawTable(path=raw.path, header_line=raw.header_line, encoding=raw.encoding, size=raw.size,
                     sha256=raw.sha256, problems=list(raw.problems))
    edges = RawTable(path=raw.path, header_line=raw.header_line, encoding=raw.encoding)
    if raw.frame is None:
        return nodes, edges
    pos = dict(raw.positions) or {c: i + 1 for i, c in enumerate(raw.columns)}
    missing = [c for c in (PARTNERSHIP_COL, ACTOR_COL) if c not in raw.columns]
    if missing:
        for name in missing:
            nodes.problems.append(Problem(raw.path, raw.header_line, 1, name, "",
                                          f'missing required column "{name}" (a membership list has '
                                          f'"partnership" and "actor"; found {show_list(raw.columns) or "none"})'))
        return nodes, edges
    frame = raw.frame.with_columns(pl.col(c).str.strip_chars().str.normalize("NFC")
                                   for c in (PARTNERSHIP_COL, ACTOR_COL))
    kinds = {schema.ACTOR: (ACTOR_COL, ACTOR_PREFIX), schema.PARTNERSHIP: (PARTNERSHIP_COL, PARTNERSHIP_PREFIX)}
    extras = [c for c in raw.columns if c not in (PARTNERSHIP_COL, ACTOR_COL, *ACTOR_COLUMNS, *_EDGE_COLUMNS)
              and not c.startswith((ACTOR_PREFIX, PARTNERSHIP_PREFIX))]
    ids = _ids(frame, kinds, id_from)
    frame = frame.with_columns(
        pl.col(ACTOR_COL).replace_strict(ids[schema.ACTOR], default=None).alias("__actor"),
        pl.col(PARTNERSHIP_COL).replace_strict(ids[schema.PARTNERSHIP], default=None).alias("__partnership"),
    )
    for kind, (name_col, prefix) in kinds.items():
        given = f"{prefix}id"
        if given in frame.columns:
            explicit = pl.col(given).str.strip_chars()
            frame = frame.with_columns(pl.when(pl.col(name_col) != "").then(
                pl.when(explicit != "").then(explicit).otherwise(pl.col(f"__{kind}"))).alias(f"__{kind}"))
    # One column per name: the node problems that matter most in a list are partnerships with one member.
    parts, node_pos = [], {schema.ID: pos[PARTNERSHIP_COL], schema.LABEL: pos[ACTOR_COL],
                           schema.KIND: pos[PARTNERSHIP_COL]}
    for kind, (name_col, prefix) in kinds.items():
        fields = {schema.LABEL: name_col}
        if kind == schema.ACTOR:
            fields |= {c: c for c in ACTOR_COLUMNS if c in raw.columns}
        fields |= {c[len(prefix):]: c for c in raw.columns
                   if c.startswith(prefix) and c != f"{prefix}id" and c[len(prefix):] not in (schema.ID, schema.KIND)}
        for target, source in fields.items():
            node_pos.setdefault(target, pos[source])
        rows = frame.filter(pl.col(f"__{kind}").is_not_null() & (pl.col(name_col) != ""))
        parts.append(_nodes_of(rows, kind, fields, pos, nodes.problems, raw.path))
    node_frame = pl.concat(parts, how="diagonal_relaxed").sort(LINE, "__order").drop("__order")
    node_frame = node_frame.with_columns(pl.col(c).fill_null("") for c in node_frame.columns if c != LINE)
    clash = node_frame.filter(pl.col(schema.ID).is_duplicated())
    for line, node_id, label in clash.select(LINE, schema.ID, schema.LABEL).iter_rows():
        nodes.problems.append(Problem(raw.path, line, pos[ACTOR_COL], schema.ID, node_id,
                                      f"an actor and a partnership both get the id {show_value(node_id)} "
                                      f"(from {show_value(label)}); give one of them an explicit id in an "
                                      "actor_id or partnership_id column"))
    nodes.frame = node_frame.unique(schema.ID, keep="first", maintain_order=True)
    nodes.columns = [c for c in nodes.frame.columns if c != LINE]
    nodes.positions = {c: node_pos.get(c, 1) for c in nodes.columns}

    members = frame.filter(pl.col("__actor").is_not_null() & pl.col("__partnership").is_not_null()
                           & (pl.col(ACTOR_COL) != "") & (pl.col(PARTNERSHIP_COL) != ""))
    edge_cols = [c for c in (*_EDGE_COLUMNS, *extras) if c in raw.columns]
    edges.frame = members.select(pl.col("__actor").alias(schema.SOURCE), pl.col("__partnership").alias(schema.TARGET),
                                 *edge_cols, LINE)
    edges.columns = [schema.SOURCE, schema.TARGET, *edge_cols]
    edges.positions = {schema.SOURCE: pos[ACTOR_COL], schema.TARGET: pos[PARTNERSHIP_COL],
                       **{c: pos[c] for c in edge_cols}}
    return nodes, edges


def _ids(frame: pl.DataFrame, kinds: dict, id_from: str) -> dict[str, dict[str, str]]:
    """Name → id for actors and partnerships; a partnership whose derived id an actor has gets ``p-``."""
    out = {}
    for kind, (name_col, _) in kinds.items():
        names = frame.get_column(name_col).unique(maintain_order=True).to_list()
        out[kind] = {n: derive_id(n, id_from) for n in names if n}
    actor_ids = set(out[schema.ACTOR].values())
    out[schema.PARTNERSHIP] = {n: (f"p-{i}" if i in actor_ids else i) for n, i in out[schema.PARTNERSHIP].items()}
    return out


def _nodes_of(rows: pl.DataFrame, kind: str, fields: dict[str, str], pos: dict[str, int],
              problems: list[Problem], path: str) -> pl.DataFrame:
    """One node per id, its first line and, per attribute, the first non-empty value; conflicts reported."""
    id_col = f"__{kind}"
    order = 0 if kind == schema.PARTNERSHIP else 1
    trimmed = rows.select(id_col, LINE, *(pl.col(src).str.strip_chars().alias(dst) for dst, src in fields.items()))
    aggs = [pl.col(LINE).min()]
    for dst in fields:
        value = pl.col(dst).filter(pl.col(dst) != "")
        key = value.str.to_lowercase() if dst in _VOCABULARY else value
        aggs += [value.first().alias(dst), key.n_unique().alias(f"__n_{dst}")]
    grouped = trimmed.group_by(id_col, maintain_order=True).agg(aggs)
    what = "an actor" if kind == schema.ACTOR else "a partnership"
    for dst, src in fields.items():
        bad = grouped.filter(pl.col(f"__n_{dst}") > 1)[id_col]
        if not bad.len():
            continue
        firsts = dict(grouped.filter(pl.col(id_col).is_in(bad.implode())).select(id_col, dst).iter_rows())
        lines = trimmed.filter(pl.col(id_col).is_in(bad.implode()) & (pl.col(dst) != ""))
        first_line: dict[str, int] = {}
        for node_id, line, value in lines.select(id_col, LINE, dst).sort(LINE).iter_rows():
            same = value.lower() == firsts[node_id].lower() if dst in _VOCABULARY else value == firsts[node_id]
            if same:
                first_line.setdefault(node_id, line)
                continue
            if dst == schema.LABEL:
                reason = (f"the same id as {show_value(firsts[node_id])} on line {first_line.get(node_id, '?')}; "
                          "names that give one id are one node: write the name the same way, or give an "
                          f"explicit id in {'an actor_id' if kind == schema.ACTOR else 'a partnership_id'} column")
                severity = "warning"
            else:
                reason = (f"{show_value(_label(grouped, id_col, node_id))} has {dst} {show_value(firsts[node_id])} "
                          f"on line {first_line.get(node_id, '?')}; {what} has one {dst}, so write the same on "
                          "every line (or leave the later cells empty)")
                severity = "error"
            problems.append(Problem(path, line, pos[src], src, cut_value(value), reason, severity))
    return grouped.select(
        pl.col(id_col).alias(schema.ID), *fields, pl.lit(kind).alias(schema.KIND), LINE,
        pl.lit(order).alias("__order"))


def _label(grouped: pl.DataFrame, id_col: str, node_id: str) -> str:
    return grouped.filter(pl.col(id_col) == node_id)[schema.LABEL][0]


#: Which role a merged membership keeps: the first of these among its lines.
ROLE_PRECEDENCE = ("lead", "secretariat", "funder", "evaluator", "advisor", "facilitator", "member")


def merge_duplicates(edges: RawTable) -> tuple[RawTable, list[Problem]]:
    """Fold lines naming the same pair (either order) into the first: ``--merge-duplicates``.

    The role is the first of :data:`ROLE_PRECEDENCE` among the lines, the
    years widened (the earliest start, the latest end; an empty one is open
    and wins), weights summed (empty is 1), other columns the first non-empty
    value. A warning at the first line says which lines were merged. Pairs
    whose lines hold a value that is not a known role, a number or a year
    are left alone, so validation reports them as before.
    """
    if edges.frame is None or not {schema.SOURCE, schema.TARGET} <= set(edges.columns):
        return edges, []
    f = edges.frame
    positions = dict(edges.positions)
    columns = list(edges.columns)
    if schema.WEIGHT not in f.columns:  # weights are summed: the merged lines need the column
        f = f.with_columns(pl.lit("").alias(schema.WEIGHT))
        positions[schema.WEIGHT] = positions.get(schema.SOURCE, 1)
        columns.append(schema.WEIGHT)
    ends = [pl.col(c).str.strip_chars().str.normalize("NFC") for c in (schema.SOURCE, schema.TARGET)]
    f = f.with_columns(pl.concat_list(ends).list.sort().list.join("\x00").alias("__pair"))
    dup = f.filter(pl.col("__pair").is_duplicated() & (pl.col(schema.SOURCE).str.strip_chars() != "")
                   & (pl.col(schema.TARGET).str.strip_chars() != ""))
    if dup.height == 0:
        return edges, []
    merged: dict[int, dict[str, str]] = {}
    drop: set[int] = set()
    problems = []
    for _, group in dup.group_by("__pair", maintain_order=True):
        rows = group.sort(LINE).to_dicts()
        values = _merged(rows)
        if values is None:
            continue
        first = rows[0][LINE]
        merged[first] = values
        drop.update(r[LINE] for r in rows[1:])
        lines = ", ".join(str(r[LINE]) for r in rows)
        shown = f"{rows[0][schema.SOURCE].strip()}, {rows[0][schema.TARGET].strip()}"
        problems.append(Problem(edges.path, first, edges.positions.get(schema.SOURCE, 1), "source, target", shown,
                                f"{len(rows)} lines for one pair merged (lines {lines}; --merge-duplicates): "
                                f"role {show_value(values.get(schema.ROLE) or schema.MEMBER)}, "
                                f"weight {values.get(schema.WEIGHT) or '1'}", "warning"))
    if not merged:
        return edges, []
    updates = {c: {line: v[c] for line, v in merged.items() if c in v} for c in columns}
    f = f.filter(~pl.col(LINE).is_in(sorted(drop))).with_columns(
        pl.col(LINE).replace_strict(updates[c], default=None, return_dtype=pl.String).fill_null(pl.col(c)).alias(c)
        for c in columns if updates[c]).drop("__pair")
    out = RawTable(path=edges.path, columns=columns, frame=f, header_line=edges.header_line,
                   encoding=edges.encoding, problems=edges.problems, positions=positions,
                   salvaged=edges.salvaged, size=edges.size, sha256=edges.sha256)
    return out, problems


def _merged(rows: list[dict]) -> dict[str, str] | None:
    """The merged cells of one pair's lines, or None when a value cannot be merged safely."""
    out: dict[str, str] = {}
    if schema.ROLE in rows[0]:
        roles = [(r[schema.ROLE] or "").strip().lower() or schema.MEMBER for r in rows]
        if any(role not in ROLE_PRECEDENCE for role in roles):
            return None
        out[schema.ROLE] = min(roles, key=ROLE_PRECEDENCE.index)
    total = 0.0
    for r in rows:
        text = (r[schema.WEIGHT] or "").strip().replace(",", ".") or "1"
        try:
            total += float(text)
        except ValueError:
            return None
    out[schema.WEIGHT] = f"{total:g}" if total.is_integer() else repr(total)
    for name, pick in ((schema.START, min), (schema.END, max)):
        if name in rows[0]:
            years = [(r[name] or "").strip() for r in rows]
            if any(y and not (y[:4].isdigit() and len(y.split(".")[0].split(",")[0]) == 4) for y in years):
                return None
            out[name] = "" if "" in years else pick(years, key=lambda y: int(y[:4]))
    for name in rows[0]:
        if name in out or name in (LINE, "__pair", schema.SOURCE, schema.TARGET):
            continue
        out[name] = next((r[name] for r in rows if (r[name] or "").strip()), rows[0][name])
    return out
