"""The ``partnernet`` command line: a thin click layer over the library.

Each command parses options, calls one library function and prints a short
summary. The group and what the commands share are in :mod:`.common`; each
command module adds its commands to the group. Heavy libraries (polars,
networkx) are imported inside the commands so ``partnernet --help`` stays fast.
"""

from __future__ import annotations

import sys

from . import analysis, data, map, publish, suggestions  # noqa: F401  (the commands register themselves with the group)
from .common import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console entry point: UTF-8-safe streams, then the click group."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    cli(prog_name="partnernet")
