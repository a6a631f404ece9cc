"""The work of a publish run as plain, frozen data: what crosses between processes, and what comes back.

A task says what to do, never how; :mod:`partnernet.publish.writer` and
:mod:`partnernet.publish.workers` do it. Every task returns what the same
work returns in the publishing process, so the run collects results the same
way whichever process did the work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

import polars as pl

from ..metrics.suite import Settings

if TYPE_CHECKING:
    from ..views.site.model import SiteOptions


@dataclass(frozen=True)
class Staging:
    """Where and for which date a run writes: the staging folder (as a string, for pickling) and the build date."""

    folder: str
    date: str | None


@dataclass(frozen=True)
class MapSettings:
    """How the site's maps are made."""

    lang: str
    max_nodes: int
    seed: int
    #: Own columns of the data the maps do not show (``--hide-column``).
    hide_columns: tuple[str, ...] = ()
    #: the build date, printed on a map's exported image
    date: str | None = None


@dataclass(frozen=True)
class PagesTask:
    """Write these pages, ``(kind, key)`` as in :meth:`partnernet.views.site.build.Site.page_keys`."""

    keys: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DownloadTask:
    """Write the files of one download (see :func:`partnernet.publish.writer.download_tasks`)."""

    name: str


WriteTask = Union[PagesTask, DownloadTask]


@dataclass(frozen=True)
class WriteResult:
    """What a write task did: pages and bytes written, and for a download its name and its files' sizes."""

    pages: int
    bytes: int
    download: str | None = None
    files: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TablesTask:
    """Compute these metric tables and write their downloads at once (a worker, while the run computes the rest)."""

    names: tuple[str, ...]
    settings: Settings
    staging: Staging


@dataclass(frozen=True)
class TablesResult:
    """The tables of a :class:`TablesTask`, the modularity (when the communities are among them) and their downloads."""

    tables: dict[str, pl.DataFrame]
    modularity: float | None
    written: tuple[WriteResult, ...]


@dataclass(frozen=True)
class GraphDownloadTask:
    """Write a download made from the graph alone (it need not wait for the tables)."""

    name: str
    staging: Staging


@dataclass(frozen=True)
class RunState:
    """What a worker needs to write pages: the run's tables, site options and map settings.

    Shared once per run through a file (:meth:`partnernet.publish.workers.Workers.share`), not with each task.
    """

    tables: dict[str, pl.DataFrame]
    site_options: SiteOptions
    maps: MapSettings
    staging: Staging


@dataclass(frozen=True)
class SharedWriteTask:
    """A write task for a worker; ``run`` is the file holding the run's :class:`RunState`."""

    run: str
    task: WriteTask


WorkerTask = Union[TablesTask, GraphDownloadTask, SharedWriteTask]
