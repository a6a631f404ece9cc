"""Where the data comes from: ``--data DIR``, ``--nodes/--edges`` files, ``./data`` or the bundled copy; and the
rename file of ``partnernet diff``, which names ids of one snapshot in the other."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Final

from . import schema
from .dataset import Dataset, Received
from .errors import DataError, OptionError, Problem, show_text
from .io.csvread import LINE, RawTable, read_table
from .validate import validate, validate_sectors

#: The columns of a rename file (``partnernet diff --renames FILE``).
RENAME_OLD: Final = "old"
RENAME_NEW: Final = "new"

BUNDLED_NAME = "bundled Danish case collection (Inspiration til partnerskaber, 9 partnerships)"


@dataclass(frozen=True)
class DataSource:
    """Paths of the input files and how they were chosen (for the 'Using data' line)."""

    nodes: Path
    edges: Path
    sectors: Path | None
    bundled: bool = False

    def describe(self) -> str:
        if self.bundled:
            return BUNDLED_NAME
        names = [self.nodes, self.edges] + ([self.sectors] if self.sectors else [])
        return ", ".join(show_text(_display(p), 200) for p in names)


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
) -> DataSource:
    """Resolve the options to input files.

    ``--data`` and ``--nodes/--edges`` exclude each other; ``--nodes`` needs
    ``--edges``. Without either: ``./data`` when it holds nodes.csv and
    edges.csv, otherwise the bundled dataset. A ``sectors.csv`` beside
    nodes.csv replaces the default sector vocabulary.
    """
    if data is not None and (nodes is not None or edges is not None):
        raise OptionError("use either --data DIR or --nodes FILE --edges FILE, not both")
    if (nodes is None) != (edges is None):
        raise OptionError("--nodes and --edges go together")
    if nodes is not None:
        n, e = Path(nodes), Path(edges)
        side = n.parent / schema.SECTORS_FILE
        return DataSource(n, e, Path(sectors) if sectors else (side if side.is_file() else None))
    bundled = False
    if data is None:
        here = Path(cwd or ".") / "data"
        if (here / schema.NODES_FILE).is_file() and (here / schema.EDGES_FILE).is_file():
            base = here
        else:
            base, bundled = bundled_dir(), True
    else:
        base = Path(data)
    side = base / schema.SECTORS_FILE
    chosen = Path(sectors) if sectors else (side if side.is_file() else None)
    return DataSource(base / schema.NODES_FILE, base / schema.EDGES_FILE, chosen, bundled)


def load(source: DataSource) -> Dataset:
    """Read and validate the files of ``source``; raises :class:`DataError` with every problem.

    All files are checked in one go, so the problems of nodes.csv, edges.csv
    and sectors.csv are reported together; a broken sectors.csv only stops
    the sector values from being checked.
    """
    def shown(path: Path) -> str:
        return f"bundled/{path.name}" if source.bundled else _display(path)

    vocabulary: schema.Vocabulary | None = schema.DEFAULT_SECTORS
    extra = []
    raws = []
    if source.sectors is not None:
        sectors_raw = read_table(source.sectors, display=shown(source.sectors))
        vocab, problems = validate_sectors(sectors_raw)
        extra += problems
        vocabulary = None if vocab is None or any(p.severity == "error" for p in problems) else vocab
        raws.append((schema.SECTORS_FILE, sectors_raw))
    nodes_raw = read_table(source.nodes, display=shown(source.nodes))
    edges_raw = read_table(source.edges, display=shown(source.edges))
    dataset = validate(nodes_raw, edges_raw, vocabulary, extra_problems=extra)
    raws = [(schema.NODES_FILE, nodes_raw), (schema.EDGES_FILE, edges_raw), *raws]
    return replace(dataset, received=tuple(Received(name, Path(raw.path).name, raw.size, raw.sha256)
                                           for name, raw in raws),
                   node_lines=_node_lines(nodes_raw), node_columns=dict(nodes_raw.positions))


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
