"""Progress on a terminal: one rich bar per stage, with the count, the rate and the time left.

Only :meth:`partnernet.cli.common.Run.progress` makes one, and only when
stderr is a terminal, so rich is imported here and nowhere on the path of
``--help`` or of output to a file or pipe.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text


class _Rate(ProgressColumn):
    """Items per second of the stage (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f}/s", style="progress.data.speed")


class StageProgress:
    """The ``progress(stage, done, total)`` callback of the library, drawn with rich on stderr."""

    def __init__(self, console: Console | None = None) -> None:
        self._bars = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                              TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                              console=console or Console(stderr=True), transient=False)
        self._tasks: dict[str, int] = {}
        self._started = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._started:
            self._bars.start()
            self._started = True
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._bars.add_task(stage, total=max(total, 1))
        self._bars.update(task, completed=done if total else 1, total=max(total, 1))

    def stop(self) -> None:
        if self._started:
            self._bars.stop()
            self._started = False
