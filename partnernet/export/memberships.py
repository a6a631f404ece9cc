"""A validated dataset as one membership list: the way back of :mod:`partnernet.io.memberships`."""

from __future__ import annotations

import polars as pl

from .. import schema
from ..dataset import Dataset
from ..errors import OptionError
from ..io.memberships import (ACTOR_COLUMNS, ACTOR_COL, ACTOR_PREFIX, PARTNERSHIP_COL, PARTNERSHIP_PREFIX,
                              derive_id)
from .tables import input_frames


def join_memberships(dataset: Dataset, *, id_from: str = "slug") -> pl.DataFrame:
    """A validated dataset as one membership list (the reverse of :func:`split_memberships`).

    One row per membership in the edges' order, then a row for each node in
    none; ``actor_id``/``partnership_id`` columns only where an id differs
    from the one its name would give. Direct ties cannot be written in a
    membership list: :class:`OptionError` says to keep nodes.csv/edges.csv.
    """
    edges = dataset.edges
    ties = edges.filter(pl.col(schema.RELATION) == schema.TIE)
    if ties.height:
        raise OptionError(f"the data has {ties.height} direct tie{'s' if ties.height != 1 else ''} between actors "
                          "(an actor–actor edge), which a membership list cannot hold; keep nodes.csv and edges.csv")
    nodes = input_frames(dataset)["nodes"]  # declared as its cell text
    node_cols = [c for c in nodes.columns if c not in (schema.ID, schema.KIND)]
    actors = nodes.filter(pl.col(schema.KIND) == schema.ACTOR)
    parts = nodes.filter(pl.col(schema.KIND) == schema.PARTNERSHIP)
    keep_actor = [c for c in node_cols if c in (schema.LABEL, *ACTOR_COLUMNS) or _has_values(actors, c)]
    keep_part = [c for c in node_cols if c not in ACTOR_COLUMNS and _has_values(parts, c) or c == schema.LABEL]
    a = actors.select(pl.col(schema.ID).alias("__a"), *(pl.col(c).alias(_actor_name(c)) for c in keep_actor))
    p = parts.select(pl.col(schema.ID).alias("__p"), *(pl.col(c).alias(_partnership_name(c)) for c in keep_part))
    memberships = edges.drop(schema.RELATION).rename({schema.SOURCE: "__a", schema.TARGET: "__p"})
    rows = memberships.join(p, on="__p", how="left", maintain_order="left").join(a, on="__a", how="left",
                                                                                 maintain_order="left")
    alone_p = p.join(memberships.select("__p").unique(), on="__p", how="anti", maintain_order="left")
    alone_a = a.join(memberships.select("__a").unique(), on="__a", how="anti", maintain_order="left")
    table = pl.concat([rows, alone_p, alone_a], how="diagonal_relaxed")
    if table.height == 0:
        table = pl.concat([table, pl.DataFrame({"__a": [], "__p": []}, schema={"__a": pl.String, "__p": pl.String})],
                          how="diagonal_relaxed")
    for col, name_col, prefix in (("__p", PARTNERSHIP_COL, PARTNERSHIP_PREFIX), ("__a", ACTOR_COL, ACTOR_PREFIX)):
        derived = table.get_column(name_col).map_elements(lambda n: derive_id(n, id_from), return_dtype=pl.String) \
            if table.height else pl.Series([], dtype=pl.String)
        differs = (table[col] != derived).fill_null(False) & table[name_col].is_not_null()
        if differs.any():
            table = table.with_columns(table[col].alias(f"{prefix}id"))
    lead = [c for c in (PARTNERSHIP_COL, ACTOR_COL, schema.SECTOR, schema.TYPE, schema.ROLE, schema.WEIGHT,
                        schema.START, schema.END, f"{PARTNERSHIP_PREFIX}id", f"{ACTOR_PREFIX}id") if c in table.columns]
    rest = [c for c in table.columns if c not in lead and not c.startswith("__")]
    return table.select(*lead, *rest)


def _has_values(frame: pl.DataFrame, column: str) -> bool:
    return frame.get_column(column).drop_nulls().len() > 0


def _actor_name(column: str) -> str:
    return ACTOR_COL if column == schema.LABEL else column if column in ACTOR_COLUMNS else ACTOR_PREFIX + column


def _partnership_name(column: str) -> str:
    return PARTNERSHIP_COL if column == schema.LABEL else PARTNERSHIP_PREFIX + column


