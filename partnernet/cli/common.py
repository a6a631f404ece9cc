"""What every command shares: data options, error → exit-code mapping, output, progress.

Options defined here store their values in ``ctx.meta`` (not as function
arguments), so a command adds them with one decorator and reads them through
:class:`Run`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import DataError, OptionError, OutputError, PartnernetError

META = "partnernet"
MAX_WARNINGS_SHOWN = 20


def _say(message: str = "", err: bool = True) -> None:
    click.echo(message, err=err)


def _count_line(errors: int, warnings: int) -> str:
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def report_problems(exc: DataError, verbose: bool) -> None:
    """Print every error, then warnings (capped unless --verbose), then the count line."""
    for p in exc.errors:
        _say(f"error: {p}")
    warnings = exc.warnings
    shown = warnings if verbose else warnings[:MAX_WARNINGS_SHOWN]
    for p in shown:
        _say(f"warning: {p}")
    if len(shown) < len(warnings):
        _say(f"… {len(warnings) - len(shown)} more warnings (show all with --verbose)")
    _say(_count_line(len(exc.errors), len(warnings)))


class PartnernetGroup(click.Group):
    """Maps library errors to messages and exit codes: data/output 1, usage 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            verbose = bool(ctx.meta.get(META, {}).get("verbose"))
            report_problems(exc, verbose)
            ctx.exit(1)
        except OutputError as exc:
            _say(f"error: cannot write {exc.path}: {exc.reason}")
            _say("nothing was changed")
            _say(_count_line(1, ctx.meta.get(META, {}).get("_warnings", 0)))
            ctx.exit(1)
        except OptionError as exc:
            _say(f"Error: {exc}")
            ctx.exit(2)
        except PartnernetError as exc:
            _say(f"error: {exc}")
            _say(_count_line(1, ctx.meta.get(META, {}).get("_warnings", 0)))
            ctx.exit(1)


def _store(ctx: click.Context, param: click.Parameter, value):
    ctx.meta.setdefault(META, {})[param.name] = value
    return value


def _option(*names: str, **kw) -> Callable:
    return click.option(*names, callback=_store, expose_value=False, **kw)


def data_options(f: Callable) -> Callable:
    """--data, --nodes, --edges, --sectors, --quiet, --verbose."""
    for opt in reversed(
        [
            _option("--data", type=click.Path(file_okay=False, exists=True), help="Folder with nodes.csv and edges.csv (and optionally sectors.csv)."),
            _option("--nodes", type=click.Path(dir_okay=False, exists=True), help="Nodes file (with --edges)."),
            _option("--edges", type=click.Path(dir_okay=False, exists=True), help="Edges file (with --nodes)."),
            _option("--sectors", type=click.Path(dir_okay=False, exists=True), help="Sector vocabulary file (default: sectors.csv beside nodes.csv, else the built-in one)."),
            _option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
            _option("-v", "--verbose", is_flag=True, help="Show all warnings and how long the command took."),
        ]
    ):
        f = opt(f)
    return f


def as_of_option(f: Callable) -> Callable:
    """--as-of YEAR: keep only what was active that year."""
    return _option("--as-of", type=int, metavar="YEAR", help="Only partnerships and memberships active in YEAR (missing start/end are open).")(f)


def table_options(f: Callable) -> Callable:
    """--format table|csv|json and --out FILE."""
    f = _option("--out", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")(f)
    f = _option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
                help="table: aligned text; csv: UTF-8 comma-separated; json: list of records.")(f)
    return f


class Run:
    """One command run: options, timing, stderr messages and the data."""

    def __init__(self) -> None:
        self.ctx = click.get_current_context()
        self.opts = self.ctx.meta.setdefault(META, {})
        self.started = time.perf_counter()
        self.warnings = 0

    def get(self, name: str, default=None):
        return self.opts.get(name, default)

    @property
    def quiet(self) -> bool:
        return bool(self.opts.get("quiet"))

    @property
    def verbose(self) -> bool:
        return bool(self.opts.get("verbose"))

    def info(self, message: str) -> None:
        if not self.quiet:
            _say(message)

    def dataset(self):
        """Locate, read and validate the input; prints which data was used and its warnings."""
        from ..load import load, locate

        source = locate(self.get("data"), self.get("nodes"), self.get("edges"), self.get("sectors"))
        self.info(f"Using data: {source.describe()}")
        dataset = load(source)
        warnings = [p for p in dataset.warnings if p.severity == "warning"]
        self.warnings = len(warnings)
        self.opts["_warnings"] = self.warnings  # for the count line when a later step fails
        if not self.quiet:
            shown = warnings if self.verbose else warnings[:MAX_WARNINGS_SHOWN]
            for p in shown:
                _say(f"warning: {p}")
            if len(shown) < len(warnings):
                _say(f"… {len(warnings) - len(shown)} more warnings (show all with --verbose)")
        return dataset

    def graph(self):
        """The frozen two-mode graph, sliced to --as-of when given."""
        from ..graph import as_of, build_graph

        g = build_graph(self.dataset())
        year = self.get("as_of")
        return as_of(g, year) if year is not None else g

    def progress(self) -> Callable[[str, int, int], None] | None:
        """A progress callback drawing a bar on stderr when it is a terminal (None otherwise)."""
        if self.quiet or not sys.stderr.isatty():
            return None
        return _tty_progress

    def done(self, summary: str | None = None) -> None:
        """Print the summary, the error/warning count and, with --verbose, the time taken."""
        if summary:
            self.info(summary)
        line = _count_line(0, self.warnings)
        if self.verbose:
            line += f" – {time.perf_counter() - self.started:.2f} s"
        self.info(line)


def _tty_progress(stage: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r{stage:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
    sys.stderr.flush()


def emit_table(run: Run, frame, *, title: str | None = None, note: str | None = None) -> None:
    """Write a metric table in the chosen --format to --out or standard output."""
    from ..io.atomic import write_bytes
    from ..export.tables import csv_bytes, json_bytes
    from .tables import format_table

    fmt, out = run.get("fmt", "table"), run.get("out")
    if fmt == "csv":
        data = csv_bytes(frame)
    elif fmt == "json":
        data = json_bytes(frame)
    else:
        text = format_table(frame, width=None if out else _terminal_width())
        if title:
            text = f"{title}\n{text}"
        if note:
            text = f"{text}\n{note}"
        data = (text + "\n").encode("utf-8")
    if out:
        write_bytes(Path(out), data)
        run.info(f"Wrote {out} ({frame.height} rows)")
    else:
        click.echo(data.decode("utf-8"), nl=False)
    if note and fmt != "table":
        run.info(note)


def _terminal_width() -> int | None:
    import shutil

    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns
