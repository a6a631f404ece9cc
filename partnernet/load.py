"""Where the data comes from (``--data DIR``, ``--nodes/--edges``, ``--memberships``, ``./data`` or the bundled
copy) and reading it: CSV files or workbook sheets, nodes and edges or one membership list; and the rename
file of ``partnernet diff``, which names ids of one snapshot in the other."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Final

from . import schema
from .dataset import Dataset, Received
from .errors import DataError, OptionError, Problem, show_list, show_text
from .io.csvread import LINE, RawTable, read_table
from .io.memberships import MEMBERSHIPS_FILE, merge_duplicates, split_memberships
from .io.workbook import SHEET_NAMES, WORKBOOK_SUFFIXES, Sheets, is_workbook, open_workbook, read_sheet
from .validate import validate, validate_sectors

#: The columns of a rename file (``partnernet diff --renames FILE``).
RENAME_OLD: Final = "old"
RENAME_NEW: Final = "new"

BUNDLED_NAME = "bundled Danish case collection (Inspiration til partnerskaber, 9 partnerships)"


@dataclass(frozen=True)
class DataSource:
    """Paths of the input files and how they were chosen (for the 'Using data' line).

    ``nodes`` and ``edges`` may name the same workbook (its sheets, see
    :mod:`partnernet.io.workbook`); ``memberships`` names one membership list
    (a CSV file or a workbook) instead of both. ``sheets`` are the
    ``--sheet`` choices as (input, sheet name) pairs, ``id_from`` how a
    membership list's ids are made, ``merge_duplicates`` whether repeated
    memberships are folded into one (:func:`partnernet.io.memberships.merge_duplicates`).
    """

    nodes: Path
    edges: Path
    sectors: Path | None
    bundled: bool = False
    memberships: Path | None = None
    sheets: tuple[tuple[str, str], ...] = ()
    id_from: str = "slug"
    merge_duplicates: bool = False

    def describe(self) -> str:
        if self.bundled:
            return BUNDLED_NAME
        names = [self.memberships] if self.memberships else [self.nodes, self.edges]
        names += [self.sectors] if self.sectors else []
        unique = list(dict.fromkeys(names))
        return ", ".join(show_text(_display(p), 200) for p in unique)

    def sheet(self, kind: str) -> str | None:
        """The sheet ``--sheet`` names for ``kind`` (a bare name is the membership list's)."""
        return dict(self.sheets).get(kind)


def _display(path: Path) -> str:
    """A path as messages show it: as the user gave it, or relative when it lies under the working folder.

    ``--data .`` gives ``nodes.csv``, ``--data data`` gives ``data/nodes.csv``,
    an absolute path outside the working folder stays absolute.
    """
    path = Path(path)
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def bundled_dir() -> Path:
    """The dataset shipped with the package (or the checkout's ``data/`` when run from source)."""
    packaged = resources.files("partnernet") / "bundled"
    if packaged.is_dir() and (packaged / schema.NODES_FILE).is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


def locate(
    data: str | os.PathLike | None = None,
    nodes: str | os.PathLike | None = None,
    edges: str | os.PathLike | None = None,
    sectors: str | os.PathLike | None = None,
    cwd: str | os.PathLike | None = None,
    *,
    memberships: str | os.PathLike | None = None,
    sheets: Sequence[str] = (),
    id_from: str = "slug",
    merge_duplicates: bool = False,
) -> DataSource:
    """Resolve the options to input files.

    ``--data``, ``--nodes/--edges`` and ``--memberships`` exclude each other;
    ``--nodes`` needs ``--edges`` unless it is a workbook (the edges are then
    its edges sheet). In a folder, ``nodes.csv`` and ``edges.csv`` come first,
    then ``memberships.csv``, then ``partnernet.xlsx`` (or ``.xlsm``,
    ``.ods``), then the one workbook the folder holds. Without any option:
    ``./data`` when it holds one of those, otherwise the bundled dataset. A
    ``sectors.csv`` beside the data replaces the default sector vocabulary
    (in a workbook, a ``sectors`` or ``sektorer`` sheet does).
    """
    extra = {"sheets": _sheet_choices(sheets), "id_from": id_from, "merge_duplicates": merge_duplicates}
    given = [name for name, v in (("--data DIR", data), ("--nodes FILE --edges FILE", nodes or edges),
                                  ("--memberships FILE", memberships)) if v is not None]
    if len(given) > 1:
        raise OptionError(f"use either {' or '.join(given)}, not both" if len(given) == 2 else
                          f"use only one of {', '.join(given)}")
    if memberships is not None:
        m = Path(memberships)
        return DataSource(m, m, _beside(m, sectors), memberships=m, **extra)
    if nodes is not None and edges is None and is_workbook(nodes):
        edges = nodes
    if (nodes is None) != (edges is None):
        raise OptionError("--nodes and --edges go together")
    if nodes is not None:
        n, e = Path(nodes), Path(edges)
        return DataSource(n, e, _beside(n, sectors), **extra)
    bundled = False
    if data is None:
        here = Path(cwd or ".") / "data"
        if here.is_dir() and _folder_input(here, strict=False) is not None:
            base = here
        else:
            base, bundled = bundled_dir(), True
    else:
        base = Path(data)
    found = _folder_input(base, strict=True)
    if found is not None and found.name == MEMBERSHIPS_FILE:
        return DataSource(found, found, _beside(found, sectors), memberships=found, **extra)
    if found is not None and is_workbook(found):
        return DataSource(found, found, _beside(found, sectors), **extra)
    return DataSource(base / schema.NODES_FILE, base / schema.EDGES_FILE, _beside(base / schema.NODES_FILE, sectors),
                      bundled, **extra)


def locate_snapshot(path: str | os.PathLike) -> DataSource:
    """One snapshot named by a single path (``diff OLD NEW``, ``publish --previous``).

    A folder is read as ``--data``, a workbook as ``--nodes`` (its sheets), any
    other file as ``--memberships`` (one membership list).

    >>> locate_snapshot("book.xlsx").nodes.name, locate_snapshot("list.csv").memberships.name
    ('book.xlsx', 'list.csv')
    """
    p = Path(path)
    if p.is_dir():
        return locate(data=p)
    if is_workbook(p):
        return locate(nodes=p)
    return locate(memberships=p)


def _beside(path: Path, sectors: str | os.PathLike | None) -> Path | None:
    """``--sectors``, else a sectors.csv beside ``path``."""
    if sectors:
        return Path(sectors)
    side = path.parent / schema.SECTORS_FILE
    return side if side.is_file() else None


def _folder_input(base: Path, *, strict: bool) -> Path | None:
    """What a data folder holds: nodes.csv (with edges.csv), memberships.csv or a workbook; None: nothing.

    Several workbooks and no ``partnernet.xlsx`` is a usage error when ``strict``.
    """
    if (base / schema.NODES_FILE).is_file() and (base / schema.EDGES_FILE).is_file():
        return base / schema.NODES_FILE
    if (base / MEMBERSHIPS_FILE).is_file():
        return base / MEMBERSHIPS_FILE
    for suffix in WORKBOOK_SUFFIXES:
        if (base / f"partnernet{suffix}").is_file():
            return base / f"partnernet{suffix}"
    try:
        books = sorted(p for p in base.iterdir() if is_workbook(p) and not p.name.startswith("~$") and p.is_file())
    except OSError:
        return None
    if len(books) == 1:
        return books[0]
    if len(books) > 1 and strict:
        raise OptionError(f"{show_text(_display(base), 200)} holds {len(books)} workbooks "
                          f"({', '.join(show_text(p.name) for p in books[:5])}); name the one to use "
                          "partnernet.xlsx, or give it with --nodes FILE or --memberships FILE")
    return None


def _sheet_choices(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``--sheet NAME`` (the membership list) or ``--sheet KIND=NAME`` (nodes, edges, memberships, sectors)."""
    out = []
    for value in values:
        kind, sep, name = value.partition("=")
        if not sep:
            kind, name = "memberships", value
        kind = kind.strip().lower()
        if kind not in SHEET_NAMES:
            raise OptionError(f"--sheet {value!r}: {kind!r} is not one of {', '.join(SHEET_NAMES)} "
                              "(write --sheet NAME or --sheet nodes=NAME)")
        out.append((kind, name.strip()))
    return tuple(out)


def load(source: DataSource) -> Dataset:
    """Read and validate the files of ``source``; raises :class:`DataError` with every problem.

    All files are checked in one go, so the problems of nodes.csv, edges.csv
    and sectors.csv are reported together; a broken sectors.csv only stops
    the sector values from being checked. A membership list is split into
    nodes and edges first (:func:`~partnernet.io.memberships.split_memberships`),
    and with ``merge_duplicates`` repeated pairs are folded before validation.
    """
    reader = _Reader(source)
    vocabulary: schema.Vocabulary | None = schema.DEFAULT_SECTORS
    extra: list[Problem] = []
    raws = []
    sectors_raw = reader.sectors()
    if sectors_raw is not None:
        vocab, problems = validate_sectors(sectors_raw)
        extra += problems
        vocabulary = None if vocab is None or any(p.severity == "error" for p in problems) else vocab
        raws.append((schema.SECTORS_FILE, sectors_raw))
    if reader.is_memberships():
        listed = reader.table("memberships", source.memberships or source.nodes)
        nodes_raw, edges_raw = split_memberships(listed, id_from=source.id_from)
        raws.insert(0, (MEMBERSHIPS_FILE, listed))
    else:
        nodes_raw = reader.table("nodes", source.nodes)
        edges_raw = reader.table("edges", source.edges)
        raws = [(schema.NODES_FILE, nodes_raw), (schema.EDGES_FILE, edges_raw), *raws]
    merged = 0
    if source.merge_duplicates:
        edges_raw, notes = merge_duplicates(edges_raw)
        extra += notes
        merged = len(notes)
    dataset = validate(nodes_raw, edges_raw, vocabulary, extra_problems=extra)
    return replace(dataset, merged=merged,
                   received=tuple(Received(name, _received_name(raw.path), raw.size, raw.sha256) for name, raw in raws),
                   node_lines=_node_lines(nodes_raw), node_columns=dict(nodes_raw.positions))


def _received_name(display: str) -> str:
    """The file name a table came from: ``nodes.csv``, or ``book.xlsx[nodes]`` for a sheet."""
    book, bracket, sheet = display.partition("[")
    return Path(book).name + bracket + sheet


class _Reader:
    """Reads the tables of a :class:`DataSource`: CSV files, or sheets of workbooks (each opened once)."""

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self.books: dict[Path, Sheets] = {}

    def shown(self, path: Path) -> str:
        return f"bundled/{path.name}" if self.source.bundled else _display(path)

    def book(self, path: Path) -> Sheets:
        if path not in self.books:
            self.books[path] = open_workbook(path, self.shown(path))
        return self.books[path]

    def is_memberships(self) -> bool:
        """A membership list: ``--memberships``, or a workbook without a nodes sheet but with a list."""
        source = self.source
        if source.memberships is not None:
            return True
        if not is_workbook(source.nodes) or source.nodes != source.edges:
            return False
        book = self.book(source.nodes)
        if book.problem is not None or book.find("nodes", source.sheet("nodes")) is not None:
            return False
        return source.sheet("memberships") is not None or book.find("memberships") is not None \
            or source.sheet("nodes") is None

    def table(self, kind: str, path: Path) -> RawTable:
        """The ``kind`` table (nodes, edges, memberships) from ``path``: its CSV, or its sheet."""
        if not is_workbook(path):
            return read_table(path, display=self.shown(path))
        book = self.book(path)
        if book.problem is not None:
            return RawTable(path=book.display, problems=[book.problem] if kind != "edges" or
                            path != self.source.nodes else [])
        wanted = self.source.sheet(kind)
        sheet = book.find(kind, wanted)
        separate = kind == "memberships" or self.source.nodes != self.source.edges
        if sheet is None and wanted is None and separate and len(book.names) == 1:
            sheet = book.names[0]  # a list, or separate workbooks: their one sheet (Excel's "Ark1")
        if sheet is None:
            if kind == "memberships" and wanted is None:
                return RawTable(path=book.display, problems=[_no_list(book)])
            return RawTable(path=book.display, problems=[book.missing(kind, wanted)])
        return read_sheet(book, sheet)

    def sectors(self) -> RawTable | None:
        """sectors.csv (``--sectors`` or beside the data), else a workbook's sectors sheet, else None."""
        source = self.source
        if source.sectors is not None:
            if is_workbook(source.sectors):
                return self.table("sectors", source.sectors)
            return read_table(source.sectors, display=self.shown(source.sectors))
        path = source.memberships or source.nodes
        if not is_workbook(path):
            return None
        book = self.book(path)
        sheet = book.find("sectors", source.sheet("sectors")) if book.problem is None else None
        return read_sheet(book, sheet) if sheet is not None else None


def _no_list(book: Sheets) -> Problem:
    found = show_list(book.names) or "none"
    return Problem(book.display, 1, 1, "sheet", "",
                   f"no sheet named \"nodes\" or \"aktører\" (with \"edges\" or \"medlemskaber\"), and no "
                   f"membership list named \"memberships\" or \"medlemskaber\" (found {found}); rename the "
                   "sheets or choose one with --sheet NAME")


def _node_lines(raw: RawTable) -> dict[str, int]:
    """Node id (trimmed, NFC, as validated) → the physical line of its record."""
    if raw.frame is None or schema.ID not in raw.frame.columns:
        return {}
    ids = [unicodedata.normalize("NFC", v.strip()) if v else "" for v in raw.frame[schema.ID].to_list()]
    lines: dict[str, int] = {}
    for node, line in zip(ids, raw.frame[LINE].to_list()):
        lines.setdefault(node, int(line))
    return lines


@dataclass(frozen=True)
class Rename:
    """One row of a rename file: ``old`` in the older snapshot is ``new`` in the newer one."""

    old: str
    new: str
    line: int


def read_renames(path: str | os.PathLike) -> tuple[str, tuple[Rename, ...]]:
    """Read a rename file (CSV with the columns ``old`` and ``new``, one renamed id a row).

    Returns the file name as messages show it and the renames in file order.
    Raises :class:`DataError` with every problem at once: a missing column,
    an empty id, an old or new id given twice.
    """
    shown = _display(Path(path))
    raw = read_table(path, display=shown)
    problems = list(raw.problems)
    renames: list[Rename] = []
    if raw.frame is not None:
        missing = [c for c in (RENAME_OLD, RENAME_NEW) if c not in raw.frame.columns]
        for name in missing:
            problems.append(Problem(shown, raw.header_line, 1, name, ", ".join(raw.columns),
                                    f"missing column {name!r}; a rename file has the columns old,new"))
        if not missing:
            seen: dict[tuple[str, str], int] = {}
            for old, new, line in raw.frame.select(RENAME_OLD, RENAME_NEW, LINE).iter_rows():
                row_ok = True
                for name, value in ((RENAME_OLD, old), (RENAME_NEW, new)):
                    value = unicodedata.normalize("NFC", (value or "").strip())
                    col = raw.positions.get(name, 1)
                    if not value:
                        problems.append(Problem(shown, line, col, name, "", "empty id"))
                        row_ok = False
                    elif (name, value) in seen:
                        problems.append(Problem(shown, line, col, name, value,
                                                f"{name} id given twice (first on line {seen[name, value]})"))
                        row_ok = False
                    else:
                        seen[name, value] = line
                if row_ok:
                    renames.append(Rename(unicodedata.normalize("NFC", old.strip()),
                                          unicodedata.normalize("NFC", new.strip()), int(line)))
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return shown, tuple(renames)
