"""The validated, typed input: what `validate` returns and `graph` consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from .errors import Problem
from .schema import DEFAULT_SECTORS, Vocabulary


@dataclass(frozen=True)
class Received:
    """What one input file was when it was read: its standard name, the name it had, size and SHA-256.

    The site and the CSV export offer the validated tables, not the files
    themselves (those could carry live spreadsheet formulas), and name the
    files they came from with these, so a reader can check which files were used.
    """

    name: str
    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Dataset:
    """Validated node and edge tables plus the sector vocabulary.

    ``nodes`` columns: id, label, kind, sector, type (String), start, end (Int32),
    declared (List of Struct ``{sector, count}``, sorted by sector id; null
    where nothing is declared), then any extra columns (String). ``edges`` columns: source, target, role,
    relation (String), weight (Float64), start, end (Int32), extras. For a
    membership ``source`` is always the actor and ``target`` the partnership.
    Both tables keep the row order of the files.
    """

    nodes: pl.DataFrame
    edges: pl.DataFrame
    sectors: Vocabulary = DEFAULT_SECTORS
    warnings: tuple[Problem, ...] = ()
    sources: tuple[str, ...] = field(default=())
    node_extras: tuple[str, ...] = ()
    edge_extras: tuple[str, ...] = ()
    received: tuple[Received, ...] = ()
    #: Where each node is in its file: id → physical line, and column name → field number (for located
    #: messages about nodes after validation, e.g. an ambiguous match in ``partnernet diff``).
    node_lines: Mapping[str, int] = field(default_factory=dict)
    node_columns: Mapping[str, int] = field(default_factory=dict)
    #: Pairs whose repeated lines ``--merge-duplicates`` folded into one.
    merged: int = 0
