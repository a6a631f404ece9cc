"""What a publish or export run can be told, what it returns, and the checks made before it starts."""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ..defaults import DEFAULT_LANG, DEFAULT_SITE, MAX_ACTOR_PAGES, MAX_NODES, SEED
from ..errors import OptionError, OutputError
from ..io.atomic import os_reason, output_folder
from ..load import DataSource
from ..text import check_lang

#: File in the root of every folder partnernet publishes; only such folders are replaced.
MARKER: Final = ".partnernet"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class PublishOptions:
    """Everything ``partnernet publish`` can set (all optional)."""

    out: str | os.PathLike = DEFAULT_SITE
    #: The site's language, or several joined by commas (``"da,en"``): the first in the folder itself,
    #: each other one in a sub-folder of its name (``en/``), every page linked to its translations.
    lang: str = DEFAULT_LANG
    title: str | None = None
    org: str | None = None
    date: str | None = None
    max_actor_pages: int = MAX_ACTOR_PAGES
    max_nodes: int = MAX_NODES
    exact: bool = False
    samples: int | None = None
    as_of: int | None = None
    seed: int = SEED
    #: Processes writing pages, this one included: 1 (default for library calls), N, or None for one
    #: per CPU (up to 8) on large sites; never more than the CPUs or the tasks. More than one needs the caller's script to be import-safe
    #: (``if __name__ == "__main__":``), as always with multiprocessing; the CLI is.
    workers: int | None = 1
    #: A data folder of the previous edition (``--previous``; or where the data comes from, a
    #: :class:`~partnernet.load.DataSource`): the site gets a What changed page and changes sections;
    #: ``previous_as_of`` slices it (``--previous-as-of``), as ``as_of`` slices the data.
    previous: str | os.PathLike | DataSource | None = None
    previous_as_of: int | None = None
    #: Own columns of the data not shown on the pages and maps (they stay in the downloads).
    hide_columns: tuple[str, ...] = ()

    @property
    def langs(self) -> tuple[str, ...]:
        """The languages of the site, the first one at the top of the folder."""
        return tuple(part.strip() for part in self.lang.split(","))

    def check(self) -> None:
        """Raise :class:`~partnernet.errors.OptionError` for a value no run can use."""
        for lang in self.langs:
            check_lang(lang)
        if len(set(self.langs)) < len(self.langs):
            raise OptionError(f"--lang: {self.lang!r} names a language twice")
        if self.max_nodes < 1:
            raise OptionError("--max-nodes: must be at least 1")
        if self.max_actor_pages < 0:
            raise OptionError("--max-actor-pages: must be 0 or more")


@dataclass(frozen=True)
class PublishResult:
    """What a publish run wrote, and the seconds each stage took."""

    out: Path
    index: Path
    pages: int
    files: int
    bytes: int
    actors: int
    partnerships: int
    actor_pages: int
    date: str
    betweenness_samples: int | None
    #: Processes used, this one included (``workers`` capped at the CPUs and the tasks).
    workers: int = 1
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return round(sum(self.timings.values()), 3)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file or folder and the names inside it."""

    out: Path
    format: str
    files: tuple[str, ...]
    bytes: int


def build_date(date: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The build date as ``YYYY-MM-DD``: ``date``, else ``SOURCE_DATE_EPOCH`` (UTC), else today (UTC).

    The one check of a date option: the CLI passes ``--date`` through unchecked.

    >>> build_date("2024-05-01"), build_date(None, {"SOURCE_DATE_EPOCH": "0"})
    ('2024-05-01', '1970-01-01')
    """
    if date is not None:
        if not _DATE.fullmatch(date):
            raise OptionError(f"--date: {date!r} is not a date in the form YYYY-MM-DD")
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            raise OptionError(f"--date: {date!r} is not a valid date") from None
        return date
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise OptionError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a number of seconds since 1970") from None
    return _dt.datetime.now(tz=_dt.timezone.utc).date().isoformat()


def check_target(target: Path) -> None:
    """Refuse, before any work, an ``--out`` no swap can replace (:func:`~partnernet.io.atomic.output_folder`),
    and a folder partnernet did not write (it would be deleted by the swap)."""
    shown, target = target, output_folder(target)
    if target.is_dir():
        try:
            entries = list(target.iterdir())
        except OSError as exc:
            raise OutputError(shown, os_reason(exc)) from None
        if entries and not (target / MARKER).is_file():
            raise OutputError(shown, f"exists and was not written by partnernet (no {MARKER} file); "
                                      "choose another --out or empty the folder first")
