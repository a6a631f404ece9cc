"""The ``partnernet`` command line: a thin click layer over the library.

Each command parses options, calls one library function and prints a short
summary. Heavy libraries (polars, networkx) are imported inside the commands so
``partnernet --help`` stays fast.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .common import PartnernetGroup

HELP = """Analyse and publish networks of cross-sector partnerships.

\b
Data format (CSV from Excel: UTF-8 or cp1252, separator , ; or tab):
  nodes.csv  id (required, text), label, kind (actor|partnership), sector,
             type, start, end (years), any further columns (kept as attributes)
  edges.csv  source, target (node ids, required), role (member|lead|
             secretariat|funder|evaluator|advisor|facilitator), weight (> 0),
             start, end, any further columns
  sectors.csv (optional, beside nodes.csv) id,label_da,label_en,group,color
An actor–partnership edge is a membership, an actor–actor edge a direct tie.

\b
Data is taken from --data DIR, or --nodes FILE --edges FILE, or ./data when it
holds nodes.csv and edges.csv, otherwise the bundled Danish dataset.

Exit codes: 0 success, 1 data or output problems, 2 usage errors.
"""


@click.group(cls=PartnernetGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="partnernet")
def cli() -> None:
    pass


def _register() -> None:
    from . import analysis, data, map, publish  # noqa: F401  (commands register themselves)


def main() -> None:
    """Console entry point: UTF-8-safe streams, then the click group."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    cli(prog_name="partnernet")


_register()
