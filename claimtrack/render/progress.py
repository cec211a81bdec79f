"""Progress of long imports and exports: on stderr when it is a terminal, nothing otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from claimtrack.render.text import safe


class Tracker:
    """What a long command reports: its phase and how far it is (no-op off a terminal)."""

    def __init__(self, bar: Progress | None = None, task: TaskID | None = None):
        self.bar = bar
        self.task = task

    def phase(self, description: str, total: float | None = None) -> None:
        """Start a phase: what is being done, and how much there is (None: unknown)."""
        if self.bar is not None and self.task is not None:
            # A new task: rich cannot make a task's total unknown again.
            self.bar.update(self.task, visible=False)
            self.task = self.bar.add_task(safe(description), total=total)

    def update(self, completed: float) -> None:
        """How much of the phase is done."""
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=completed)


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Tracker]:
    """A progress display on stderr for the duration of the block, if stderr is a terminal."""
    if not sys.stderr.isatty():
        yield Tracker()
        return
    console = Console(file=sys.stderr, highlight=False, markup=False, emoji=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        yield Tracker(bar, bar.add_task(safe(description), total=total))
