"""Pages, pagers and pipes (SPEC "Pages, pagers and pipes"): how the commands that print
records reach stdout.

On a terminal a command prints a page of records, through a pager when it is longer than the
screen (`show_page`), and says on stderr how many more match (`more_notice`). When stdout is
not a terminal it prints every record, one a line, tab-separated after a header line (`tsv`).
`stdout_is_terminal` decides which, as rich decides whether to write colour; `layout` adds the
width: a table from `STACKED_BELOW` columns, the stacked layout below.

A command such as `threads` needs only: `commands.common.page_limit` for how many records to
ask the store for (one more, to know there are more), then `layout()`, and `tsv(header, rows)`
or a table (`layout.fit_columns`) or `layout.stacked(blocks)` handed to `show_page`, then
`more_notice`."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from claimtrack.render.layout import STACKED_BELOW
from claimtrack.render.text import console, safe

if TYPE_CHECKING:
    from rich.console import RenderableType

# How many records a page holds on a terminal unless --limit says otherwise.
PAGE = 25
# The pager when neither CLAIMTRACK_PAGER nor PAGER names one: quit when the text fits on one
# screen (-F), let colours through (-R), leave the text on the screen after quitting (-X).
DEFAULT_PAGER = "less -FRX"
PAGER_VARIABLE = "CLAIMTRACK_PAGER"

Layout = Literal["pipe", "stacked", "table"]


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal, as rich decides for colour: TTY_COMPATIBLE=1 (or 0) says
    so first, then FORCE_COLOR, else whether stdout is a tty."""
    if not os.environ.keys() & {"TTY_COMPATIBLE", "FORCE_COLOR"} and not _isatty(sys.stdout):
        return False  # rich would say so too: a pipe's records need no rich.console
    from rich.console import Console

    return Console(file=sys.stdout).is_terminal


def _isatty(stream: object) -> bool:
    """Whether a stream is a tty (false for one without isatty, or closed)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def layout() -> Layout:
    """How records are printed: `pipe` (TSV) off a terminal, `stacked` on a narrow terminal,
    `table` otherwise."""
    if not stdout_is_terminal():
        return "pipe"
    return "stacked" if console().width < STACKED_BELOW else "table"


def tsv_cell(value: object) -> str:
    """One TSV cell: None is empty, and a tab, newline, carriage return or backslash inside a
    value is written `\\t`, `\\n`, `\\r`, `\\\\` (so a record stays one line and can be read
    back); control characters are escaped as everywhere else."""
    if value is None:
        return ""
    text = str(value)
    text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return safe(text.replace("\r", "\\r"))


def tsv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Records for pipes: a header line, then one record a line, cells tab-separated."""
    try:
        sys.stdout.write("\t".join(header) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(tsv_cell(cell) for cell in row) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()


def _reader_gone() -> None:
    """The program reading stdout (`head`, a pager) has quit: write nothing more, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a file descriptor (tests)
        pass


def pager_command() -> str | None:
    """The pager to run: $CLAIMTRACK_PAGER if set (empty: none), else $PAGER (empty or `cat`:
    none), else `less -FRX` when less is installed."""
    if PAGER_VARIABLE in os.environ:
        chosen = os.environ[PAGER_VARIABLE].strip()
    elif "PAGER" in os.environ:
        chosen = os.environ["PAGER"].strip()
    else:
        return DEFAULT_PAGER if shutil.which("less") else None
    return None if chosen in ("", "cat") else chosen


def _run_pager(command: str, text: str) -> None:
    """Feed `text` to the pager; quitting it early (q) is not an error."""
    env = dict(os.environ)
    # As git does: less and lv keep colours and do not clear the screen unless told otherwise.
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        sys.stdout.flush()
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    assert pager.stdin is not None  # stdin=PIPE
    try:
        pager.stdin.write(text.encode(encoding, errors="replace"))
        pager.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # the reader quit before reading everything
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:
            pass  # Ctrl-C belongs to the pager, which stays in charge of the terminal


def show_page(*renderables: RenderableType, pager: bool = True) -> None:
    """Print to stdout; on a terminal, through the pager when longer than the screen."""
    out = console()
    command = pager_command() if pager and _isatty(sys.stdout) else None
    try:
        if command is None:
            out.print(*renderables)
            return
        with out.capture() as captured:
            out.print(*renderables)
        text = captured.get()
        if text.count("\n") < out.height:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            _run_pager(command, text)
    except BrokenPipeError:
        _reader_gone()


def more_notice(shown: int, more: int, noun: str, limit: int) -> None:
    """On stderr: how many more records match than were shown, and how to see them."""
    if more <= 0:
        return
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stdout.flush()  # the page first, then the notice after it
    nouns = noun if more == 1 else noun + "s"
    verb = "matches" if more == 1 else "match"
    bigger = max(limit, shown) * 2
    sys.stderr.write(f"{more:,} more {nouns} {verb}: use --limit {bigger} or --all.\n")
