"""Safe text for every path to a terminal, and the one place that writes to stdout and stderr:
the console, notices, errors, JSON documents and bare values. Text from the database is shown
literally: never parsed as markup, and control and bidi-override characters are shown escaped."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, TypeVar, cast

from rich.text import Text

from claimtrack.model import Claim, Stance, Standing, Status

if TYPE_CHECKING:
    from rich.console import Console, Group, RenderableType

T = TypeVar("T")

STANCE_STYLE = {
    Stance.REFUTES: "bold red",
    Stance.DISPUTES: "dark_orange",
    Stance.QUALIFIES: "cyan",
    Stance.SUPPORTS: "green",
}
STANDING_STYLE = {Standing.STANDS: "green", Standing.FALLS: "bold red"}
STATUS_STYLE = {
    Status.UNANSWERED: "dim",
    Status.QUALIFIED: "cyan",
    Status.CONTESTED: "bold red",
    Status.SUPPORTED: "green",
    Status.MIXED: "magenta",
}

# Bidi embeddings, overrides and isolates, and the other invisible format characters: zero-width
# spaces and joiners, the marks LRM, RLM and ALM, the line and paragraph separators, BOM.
_INVISIBLE = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0x200B, 0x2010)]
_INVISIBLE += [0x2028, 0x2029, 0xFEFF, 0x061C]
# C0 controls but newline and tab, DEL and C1 controls, and the invisible ones.
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *_INVISIBLE]
_ESCAPES = {cp: (f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}") for cp in _UNSAFE}
# What JSON writes as \uXXXX beyond what json.dumps escapes itself (C0, quote, backslash).
_JSON_UNSAFE = re.compile("[" + "".join(chr(cp) for cp in sorted(_UNSAFE) if cp >= 0x7F) + "]")


def safe(text: str) -> str:
    """`text` with control, bidi and invisible format characters replaced by visible escapes."""
    return text.translate(_ESCAPES)


def literal(text: str | None, style: str = "") -> Text:
    """Database text as a rich Text: shown as typed, never interpreted as markup."""
    return Text(safe(text or ""), style=style)


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr); colour only on a terminal and without NO_COLOR."""
    # Imported here: the commands that print records to a pipe never draw, and rich.console
    # is a tenth of their start-up.
    from rich.console import Console

    return Console(
        file=sys.stderr if stderr else sys.stdout,
        # rich's own NO_COLOR drops colours but still writes bold and italic: no codes at all.
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def group(*renderables: RenderableType) -> Group:
    """Renderables drawn one below the other (rich's Group, imported only when drawing)."""
    from rich.console import Group

    return Group(*renderables)


def error(message: str) -> None:
    """One error message on stderr, plain and safe."""
    sys.stderr.write(f"Error: {safe(message)}\n")


def write_error(text: str) -> None:
    """Text already worded as a whole (the option parser's usage errors) on stderr, safe."""
    sys.stderr.write(safe(text))


def notice(message: str, stderr: bool = False) -> None:
    """A plain sentence for people (on stderr when stdout is kept for data)."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(safe(message) + "\n")


def claimant(claim: Claim) -> Text:
    """The claimant in bold, then their side in brackets."""
    text = literal(claim.by, "bold")
    if claim.side:
        text.append(" (")
        text.append_text(literal(claim.side))
        text.append(")")
    return text


def status_text(status: Status) -> Text:
    """A status in its colour."""
    return Text(status.value, style=STATUS_STYLE[status])


def standing_text(standing: Standing) -> Text:
    """A standing in its colour."""
    return Text(standing.value, style=STANDING_STYLE[standing])


def status_cell(claim: Claim) -> Text:
    """A claim's status, then its standing on a line of its own."""
    return status_text(claim.status).append("\n").append_text(standing_text(claim.standing))


def stance_text(stance: Stance) -> Text:
    """A stance in its colour."""
    return Text(stance.value, style=STANCE_STYLE[stance])


def json_text(data: object) -> str:
    """`data` as a JSON document: UTF-8 text as it is, but DEL, C1 controls, bidi controls and
    the other invisible format characters written as \\uXXXX escapes (json.dumps already escapes
    C0), so that no raw control reaches a terminal; json.loads gives back every code point."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Outside strings json.dumps writes only ASCII, so every match is inside a string.
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def emit_json(data: object) -> None:
    """One JSON document on stdout (`json_text`), every code point kept."""
    sys.stdout.write(json_text(data) + "\n")


def value(item: object) -> None:
    """A bare value on a line of its own on stdout, for scripts (`add -q` prints the id)."""
    sys.stdout.write(f"{item}\n")


def data(content: bytes) -> None:
    """A file's bytes on stdout, as they are (a graph, for a pipe or a redirect)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


class _TerminalSafe(io.TextIOBase):
    """Data written to a terminal: every control and invisible character shown escaped (and
    CSV's CRLF line ends as plain ones), so that no stored byte drives the terminal. To a file
    or a pipe data goes exact, never through here."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe(text.replace("\r\n", "\n")))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def to_stdout(write: Callable[[TextIO], T]) -> T | None:
    """Hand stdout to `write`, a writer of data (export's rows, `list --csv`): what it returns,
    or None if stdout's reader stopped reading (`| head`), which ends quietly, as other tools
    do."""
    try:
        stream = cast(TextIO, _TerminalSafe(sys.stdout)) if sys.stdout.isatty() else sys.stdout
        return write(stream)
    except BrokenPipeError:
        # Python would otherwise fail again flushing stdout on its way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return None
