"""The ``partnernet`` command line: a thin click layer over the library.

Each command parses options, calls one library function and prints a short
summary. The group and what the commands share are in :mod:`.common`; each
command module adds its commands to the group. Heavy libraries (polars,
networkx) are imported inside the commands so ``partnernet --help`` stays fast.
"""

from __future__ import annotations

import signal
import sys

from . import analysis, data, diff, map, publish, suggestions, workbook  # noqa: F401  (the commands register themselves with the group)
from .common import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console entry point: UTF-8-safe streams, SIGTERM handled like Ctrl-C, then the click group.

    SIGTERM (``timeout``, a CI cancel, systemd) raises KeyboardInterrupt, so an interrupted publish
    removes its staging folder and stops its workers as it does for Ctrl-C.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    cli(prog_name="partnernet")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
