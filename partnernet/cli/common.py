"""What every command shares: the group, data options, error → exit-code mapping, output, progress.

Option values reach a command as parameters: :func:`data_options` adds
``--data``, ``--nodes``, ``--edges``, ``--sectors``, ``--quiet`` and
``--verbose`` and hands the command one :class:`Run` built from them (its
first parameter, ``run``); ``--as-of``, ``--format`` and ``--out`` arrive as
``as_of``, ``fmt`` and ``out``. The run registers itself with the click
context only so that :class:`PartnernetGroup` can honour ``--verbose`` and
count the warnings already shown when it reports an error.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from .. import __version__
from ..defaults import DEFAULT_LANG, MAX_COUNT, MAX_SEED, YEARS
from ..errors import DataError, OptionError, OutputError, PartnernetError, Problem, show_text, show_value
from ..io.atomic import os_reason

#: Key of the current :class:`Run` in ``click.Context.meta`` (read by the error handler only).
RUN = "partnernet.run"
#: Warnings of one kind (file and reason but for its values) printed one by one; more are summed up in a line.
WARNINGS_PER_KIND = 3
#: Errors printed per rule (same file, column and reason but for its values) unless --verbose.
MAX_ERRORS_PER_RULE = 20


#: How messages name standard output when writing to it fails.
STDOUT = "standard output"


def _say(message: str = "", err: bool = True) -> None:
    click.echo(message, err=err)


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``1 partnership``, ``2 partnerships`` (``plural`` when adding an s is wrong)."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def echo(text: str, nl: bool = True) -> None:
    """Write a command's result to standard output.

    A closed standard output (``>&-``), a full disk or a closed pipe raise
    :class:`OutputError` (exit 1) rather than passing silently or with a
    traceback; standard output is then pointed at the null device so that
    nothing fails again when Python exits.
    """
    stream = sys.stdout
    if stream is None:
        raise OutputError(STDOUT, "it is closed")
    try:
        click.echo(text, nl=nl, file=stream)
        stream.flush()
    except OSError as exc:
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
        raise OutputError(STDOUT, os_reason(exc)) from None


def _write_stdout(data: bytes) -> None:
    """Bytes (a workbook) to standard output, with :func:`echo`'s handling of a closed or full output."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise OutputError(STDOUT, "it is closed")
    try:
        stream.write(data)
        stream.flush()
    except OSError as exc:
        raise OutputError(STDOUT, os_reason(exc)) from None


def _count_line(errors: int, warnings: int) -> str:
    return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"


def print_warnings(warnings: Sequence[Problem], verbose: bool) -> None:
    """Print warnings grouped by kind, unless ``verbose`` (then every one of them).

    A kind with at most :data:`WARNINGS_PER_KIND` warnings is printed in full;
    a larger one as one line with its count, an example reason and the first
    locations, so that a repeated run stays quiet; ``validate`` lists them all.
    """
    if verbose:
        for p in warnings:
            _say(f"warning: {p}")
        return
    kinds: dict[tuple[str, str], list[Problem]] = {}
    for p in warnings:
        kinds.setdefault(_rule(p)[::2], []).append(p)
    for group in kinds.values():
        if len(group) <= WARNINGS_PER_KIND:
            for p in group:
                _say(f"warning: {p}")
            continue
        first, *rest = group
        where = ", ".join([f"{show_text(first.file, 200)}:{first.line}", *(f":{p.line}" for p in rest[:2])])
        more = ", …" if len(rest) > 2 else ""
        _say(f"warning: {len(group):,} warnings like {show_value(first.reason)}, e.g. {where}{more} "
             "– see `partnernet validate` (or --verbose)")


def _rule(p: Problem) -> tuple[str, str, str]:
    """What makes problems "alike": the file, the column and the reason without its values or suggestion."""
    return p.file, p.name, _VARYING.sub("…", p.reason.split("; did you mean", 1)[0])


_VARYING = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w/.-])\d+(?![\w/.-])')


def report_problems(exc: DataError, verbose: bool, all_warnings: bool = False) -> None:
    """Print the errors, the first :data:`MAX_ERRORS_PER_RULE` of each rule unless ``verbose`` (and how
    many more like it), then warnings (grouped by kind unless ``verbose`` or ``all_warnings``), then the
    count line."""
    shown: dict[tuple[str, str, str], int] = {}
    for p in exc.errors:
        rule = _rule(p)
        shown[rule] = shown.get(rule, 0) + 1
        if verbose or shown[rule] <= MAX_ERRORS_PER_RULE:
            _say(f"error: {p}")
    for (file, name, reason), n in shown.items():
        if not verbose and n > MAX_ERRORS_PER_RULE:
            _say(f"… {n - MAX_ERRORS_PER_RULE:,} more like this: {file} ({name}): {reason} "
                 "(all of them with --errors FILE or --verbose)")
    print_warnings(exc.warnings, verbose or all_warnings)
    _say(_count_line(len(exc.errors), len(exc.warnings)))


def write_problems(path: str, problems: Sequence[Problem]) -> None:
    """Write every problem, one a line, to ``path`` (``--errors FILE``; atomic, UTF-8)."""
    from ..io.atomic import write_text

    write_text(path, "".join(f"{p.severity}: {p}\n" for p in problems))


class PartnernetGroup(click.Group):
    """Maps library errors to messages and exit codes: data/output 1, usage 2."""

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            finally:  # a progress display ends before any message
                run = ctx.meta.get(RUN)
                if run is not None:
                    run.stop_progress()
        except DataError as exc:
            run = ctx.meta.get(RUN)
            report_problems(exc, bool(run and run.verbose), bool(run and run.all_warnings))
            ctx.exit(1)
        except OutputError as exc:
            _say(f"error: cannot write {exc.path}: {exc.reason}")
            if exc.path != STDOUT:
                _say("nothing was changed")
            _say(_count_line(1, _warnings_shown(ctx)))
            ctx.exit(1)
        except OptionError as exc:
            _say(f"Error: {exc}")
            ctx.exit(2)
        except PartnernetError as exc:
            _say(f"error: {exc}")
            _say(_count_line(1, _warnings_shown(ctx)))
            ctx.exit(1)


HELP = """Analyse and publish networks of cross-sector partnerships.

\b
Data format (CSV from Excel: UTF-8 or cp1252, separator , ; or tab):
  nodes.csv  id (required, text), label, kind (actor|partnership), sector,
             type, start, end (years), any further columns (kept as attributes)
  edges.csv  source, target (node ids, required), role (member|lead|
             secretariat|funder|evaluator|advisor|facilitator), weight (> 0),
             start, end, any further columns
  sectors.csv (optional, beside nodes.csv) id,label_da,label_en,group,color
  memberships.csv (instead of nodes and edges) one row per membership:
             partnership, actor (names, required), sector, type, role,
             start, end, any further columns
An actor–partnership edge is a membership, an actor–actor edge a direct tie.
Workbooks (.xlsx, .xlsm, .ods) are read as they are: sheets nodes and edges
(aktører, medlemskaber) or one membership sheet; `partnernet init` writes one.

\b
Data is taken from --data DIR, --nodes FILE --edges FILE or --memberships FILE,
or ./data when it holds the files, otherwise the bundled Danish dataset.

Exit codes: 0 success, 1 data or output problems, 2 usage errors.
"""


@click.group(cls=PartnernetGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="partnernet")
def cli() -> None:
    pass


def _warnings_shown(ctx: click.Context) -> int:
    run = ctx.meta.get(RUN)
    return run.warnings if run is not None else 0


class Run:
    """One command run: the data options, timing, stderr messages and the data."""

    def __init__(self, data: str | None = None, nodes: str | None = None, edges: str | None = None,
                 sectors: str | None = None, *, quiet: bool = False, verbose: bool = False,
                 errors: str | None = None, memberships: str | None = None, sheets: Sequence[str] = (),
                 id_from: str = "slug", merge_duplicates: bool = False) -> None:
        self.data, self.nodes, self.edges, self.sectors = data, nodes, edges, sectors
        self.memberships, self.sheets, self.id_from = memberships, tuple(sheets), id_from
        self.merge_duplicates = merge_duplicates
        self.errors = errors
        self.quiet = quiet
        self.verbose = verbose
        self.started = time.perf_counter()
        self.warnings = 0
        #: ``validate`` lists every warning; other commands group them by kind.
        self.all_warnings = False
        self._source = None
        self._progress = None
        #: The sector vocabulary of the data read (text tables show sector labels from it).
        self.vocabulary = None
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.meta[RUN] = self

    def info(self, message: str) -> None:
        if not self.quiet:
            _say(message)

    def source(self):
        """Where the data comes from (:func:`partnernet.load.locate` of the data options)."""
        from ..load import locate

        if self._source is None:
            self._source = locate(self.data, self.nodes, self.edges, self.sectors, memberships=self.memberships,
                                  sheets=self.sheets, id_from=self.id_from, merge_duplicates=self.merge_duplicates)
        return self._source

    def dataset(self):
        """Locate, read and validate the input; prints which data was used and its warnings."""
        from ..load import load

        source = self.source()
        self.info(f"Using data: {source.describe()}")
        try:
            dataset = load(source)
        except DataError as exc:
            if self.errors:
                write_problems(self.errors, exc.problems)
            raise
        if self.errors:
            write_problems(self.errors, dataset.warnings)
        warnings = [p for p in dataset.warnings if p.severity == "warning"]
        self.warnings = len(warnings)  # for the count line when a later step fails
        if dataset.merged:
            self.info(f"Merged the repeated lines of {counted(dataset.merged, 'pair')} (--merge-duplicates; "
                      "each is a warning below)")
        if not self.quiet:
            print_warnings(warnings, self.verbose or self.all_warnings)
        return dataset

    def graph(self, as_of: int | None = None):
        """The frozen two-mode graph, sliced to ``as_of`` when given (and said so)."""
        from ..graph import load_graph

        dataset = self.dataset()
        self.vocabulary = dataset.sectors
        self.as_of(as_of)
        return load_graph(self.source(), dataset=dataset, as_of=as_of)

    def as_of(self, year: int | None) -> None:
        """Say which year the command uses, when ``--as-of`` gave one."""
        if year is not None:
            self.info(f"As of {year}: only partnerships and memberships active in {year}")

    # -- names given in options, resolved by partnernet.names ------------------------------------

    def sector(self, g, name: str | None, flag: str = "--sector") -> str | None:
        """The sector id ``name`` (id or label) stands for; a usage error when unknown or ambiguous."""
        from ..graph import sectors_of
        from ..names import sector_names

        return None if name is None else sector_names(sectors_of(g)).resolve(name, flag=flag)

    def node(self, g, name: str | None, kind: str, flag: str) -> str | None:
        """The id of the ``kind`` node ``name`` (id or label) stands for; a usage error when unknown or ambiguous."""
        from ..names import resolve_node

        return None if name is None else resolve_node(g, name, kind, flag=flag)

    def require(self, g, level: str, names: str, flag: str = "--require") -> list[str]:
        """The sector (or group) ids of a comma-separated list of ids or labels."""
        from ..graph import sectors_of
        from ..names import group_names, sector_names

        vocab = sectors_of(g)
        table = sector_names(vocab) if level == "sector" else group_names(vocab.groups())
        given = [n.strip() for n in names.split(",") if n.strip()]
        if not given:
            raise click.BadParameter(f"name at least one {level}", param_hint=flag)
        return table.resolve_all(given, flag=flag)

    # -- progress --------------------------------------------------------------------------------

    def progress(self) -> Callable[[str, int, int], None] | None:
        """A progress callback for stderr when it is a terminal (None otherwise): rich bars with rate and time left."""
        if self.quiet or not sys.stderr.isatty():
            return None
        from .progress import StageProgress

        self._progress = StageProgress()
        return self._progress

    def stop_progress(self) -> None:
        """End the progress display, if any (before the summary or an error message)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def done(self, summary: str | None = None) -> None:
        """Print the summary, the error/warning count and, with --verbose, the time taken."""
        self.stop_progress()
        if summary:
            self.info(summary)
        line = _count_line(0, self.warnings)
        if self.verbose:
            line += f" – {time.perf_counter() - self.started:.2f} s"
        self.info(line)


def data_options(f: Callable) -> Callable:
    """Add the data options (--data, --nodes, --edges, --sectors, --memberships, --sheet, --id-from,
    --merge-duplicates) and --quiet, --verbose, --errors; ``f`` gets them as its first parameter, a Run."""

    @functools.wraps(f)
    def command(*args, data, nodes, edges, sectors, quiet, verbose, errors, memberships, sheets, id_from,
                merge_duplicates, **kwargs):
        run = Run(data, nodes, edges, sectors, quiet=quiet, verbose=verbose, errors=errors, memberships=memberships,
                  sheets=sheets, id_from=id_from, merge_duplicates=merge_duplicates)
        return f(run, *args, **kwargs)

    for opt in reversed(
        [
            click.option("--data", type=click.Path(file_okay=False, exists=True), help="Folder with nodes.csv and edges.csv (and optionally sectors.csv), memberships.csv or a workbook."),
            click.option("--nodes", type=click.Path(dir_okay=False, exists=True), help="Nodes file (with --edges), or a workbook with nodes and edges sheets."),
            click.option("--edges", type=click.Path(dir_okay=False, exists=True), help="Edges file (with --nodes)."),
            click.option("--sectors", type=click.Path(dir_okay=False, exists=True), help="Sector vocabulary file (default: sectors.csv beside nodes.csv, else the built-in one)."),
            click.option("--memberships", type=click.Path(dir_okay=False, exists=True), metavar="FILE",
                         help="One membership list (CSV or workbook): partnership, actor, sector, role, start, end, ..."),
            click.option("--sheet", "sheets", multiple=True, metavar="[KIND=]NAME",
                         help="Workbook sheet to read: NAME for the membership list, or nodes=, edges=, sectors=NAME."),
            click.option("--id-from", "id_from", type=click.Choice(["slug", "label"]), default="slug",
                         help="Membership list ids: from the name as a slug (default) or the name itself."),
            click.option("--merge-duplicates", is_flag=True,
                         help="Fold repeated lines of one pair into one (role by precedence, years widened, weights summed)."),
            click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
            click.option("-v", "--verbose", is_flag=True, help="Show all warnings and how long the command took."),
            click.option("--errors", type=click.Path(dir_okay=False), metavar="FILE",
                         help="Write every problem in the data to FILE, one a line (the screen shows the first "
                              f"{MAX_ERRORS_PER_RULE} of each kind)."),
        ]
    ):
        command = opt(command)
    return command


def count(min: int = 0) -> click.IntRange:
    """The type of every count option: ``min`` up to :data:`~partnernet.defaults.MAX_COUNT`."""
    return click.IntRange(min=min, max=MAX_COUNT)


#: The type of every --seed option.
SEED_TYPE = click.IntRange(min=0, max=MAX_SEED)


class _Finite(click.FloatRange):
    """A float range that also refuses ``nan`` (which every comparison lets through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


#: The type of Louvain's --resolution: above 0, at most 1,000 (beyond, every actor is its own community).
RESOLUTION_TYPE = _Finite(min=0, min_open=True, max=1000)


def names(empty: str) -> Callable[[click.Context, click.Parameter, str | None], list[str] | None]:
    """The callback of a ``COL[,COL]`` option: its names, in order, without blanks or repeats (None when
    not given); ``empty`` is the message when no name is left."""
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
        if value is None:
            return None
        found = list(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
        if not found:
            raise click.BadParameter(empty)
        return found

    return callback


def hide_column_option(f: Callable) -> Callable:
    """--hide-column COL[,COL] (parameter ``hide_column``): own columns of the data not shown."""
    return click.option("--hide-column", "hide_column", metavar="COL[,COL]",
                        callback=names("give at least one column, e.g. --hide-column kontaktperson"),
                        help="Columns of the data not to show in tooltips, panels and pages (they stay in the "
                             "downloads); a column whose name starts with _ is never shown.")(f)


def as_of_option(f: Callable) -> Callable:
    """--as-of YEAR (parameter ``as_of``): keep only what was active that year."""
    return click.option("--as-of", "as_of", type=click.IntRange(*YEARS), metavar="YEAR", help="Only partnerships and memberships active in YEAR (missing start/end are open).")(f)


#: Key in ``click.Context.meta`` of ``--excel`` (read by :func:`emit_table`, so the commands need no parameter).
EXCEL = "partnernet.excel"


def _remember_excel(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta[EXCEL] = value
    return value


def table_options(f: Callable) -> Callable:
    """--format table|csv|json|xlsx, --out FILE (parameters ``fmt`` and ``out``) and --excel."""
    f = click.option("--excel", is_flag=True, expose_value=False, callback=_remember_excel,
                     help="CSV in the Danish Excel dialect: UTF-8 with BOM, semicolons, decimal comma.")(f)
    f = click.option("--out", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")(f)
    f = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table",
                     show_default=True,
                     help="table: aligned text; csv: UTF-8 comma-separated (--excel: as Danish Excel opens it); "
                          "json: list of records; xlsx: an Excel workbook (with --out).")(f)
    return f


def emit_table(run: Run, frame, *, fmt: str = "table", out: str | None = None, title: str | None = None,
               note: str | None = None, sections: Sequence[tuple[str, object]] | None = None,
               lang: str = DEFAULT_LANG) -> None:
    """Write a metric table in the ``fmt`` of --format to ``out`` (--out) or standard output.

    ``sections``, (heading, frame) pairs, replace ``frame`` in the text table
    only: blocks a reader should not mix up, while CSV and JSON keep the one
    table with its flag columns. Empty sections are left out. The text table
    shows sectors by their label in ``lang`` and fits a terminal's width
    (:mod:`.tables`).
    """
    from ..io.atomic import write_bytes
    from ..export.tables import csv_bytes, json_bytes
    from .tables import format_sections, format_table, with_sector_labels

    if fmt == "csv":
        data = csv_bytes(frame, excel=bool(click.get_current_context().meta.get(EXCEL)))
    elif fmt == "xlsx":
        from ..export.workbook import table_xlsx

        if not out and sys.stdout is not None and sys.stdout.isatty():
            raise OptionError("--format xlsx writes a workbook: give --out FILE.xlsx (or redirect standard output)")
        data = table_xlsx(frame, sheet=click.get_current_context().info_name or "table")  # the sheet: the command
    elif fmt == "json":
        data = json_bytes(frame)
    else:
        width = None if out else _terminal_width()
        labelled = [(h, with_sector_labels(f, run.vocabulary, lang)) for h, f in sections or [("", frame)]]
        text = format_table(labelled[0][1], width=width) if sections is None else format_sections(labelled, width=width)
        if title:
            text = f"{title}\n{text}"
        if note:
            text = f"{text}\n{note}"
        data = (text + "\n").encode("utf-8")
    if out:
        write_bytes(Path(out), data)
        run.info(f"Wrote {out} ({frame.height} rows)")
    elif fmt == "xlsx":
        _write_stdout(data)
    else:
        echo(data.decode("utf-8"), nl=False)
    if note and fmt != "table":
        run.info(note)


def _terminal_width() -> int | None:
    import shutil

    if sys.stdout is None or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns
