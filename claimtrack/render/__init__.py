"""Everything people read in the terminal: tables, trees and safe text. This package is the only
place that imports rich (one module per area of commands; the shared helpers are here). Text from
the database is shown literally: never parsed as markup, and control and bidi-override characters
are shown escaped."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from claimtrack.model import Claim, Stance, Status, ThreadNode
from claimtrack.threads import walk

STANCE_STYLE = {
    Stance.REFUTES: "bold red",
    Stance.DISPUTES: "dark_orange",
    Stance.QUALIFIES: "cyan",
    Stance.SUPPORTS: "green",
}
STATUS_STYLE = {
    Status.UNANSWERED: "dim",
    Status.QUALIFIED: "cyan",
    Status.CONTESTED: "bold red",
    Status.SUPPORTED: "green",
    Status.MIXED: "magenta",
}

# C0 controls but newline and tab, DEL and C1 controls, bidi embeddings, overrides and isolates.
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
_UNSAFE += [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {cp: (f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}") for cp in _UNSAFE}


def safe(text: str) -> str:
    """`text` with control and bidi-override characters replaced by visible escapes."""
    return text.translate(_ESCAPES)


def literal(text: str | None, style: str = "") -> Text:
    """Database text as a rich Text: shown as typed, never interpreted as markup."""
    return Text(safe(text or ""), style=style)


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr); colour only on a terminal and without NO_COLOR."""
    return Console(
        file=sys.stderr if stderr else sys.stdout,
        # rich's own NO_COLOR drops colours but still writes bold and italic: no codes at all.
        color_system=None if os.environ.get("NO_COLOR") else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def error(message: str) -> None:
    """One error message on stderr, plain and safe."""
    sys.stderr.write(f"Error: {safe(message)}\n")


def notice(message: str, stderr: bool = False) -> None:
    """A plain sentence for people (on stderr when stdout is kept for data)."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(safe(message) + "\n")


def _claimant(claim: Claim) -> Text:
    text = literal(claim.by, "bold")
    if claim.side:
        text.append(" (")
        text.append_text(literal(claim.side))
        text.append(")")
    return text


def _status(status: Status) -> Text:
    return Text(status.value, style=STATUS_STYLE[status])


def _stance(stance: Stance) -> Text:
    return Text(stance.value, style=STANCE_STYLE[stance])


def _claim_cell(claim: Claim, show: Callable[[str, str], Text] = literal) -> Text:
    """The claim's text, then its quote, tags and sources on their own lines; `show` turns the
    text and quote into rich Text (search passes one that highlights the matches)."""
    text = show(claim.text, "")
    if claim.quote:
        text.append("\n")
        text.append_text(show(f"“{claim.quote}”", "italic"))
    if claim.tags:
        text.append("\n")
        text.append_text(literal("tags: " + ", ".join(claim.tags), "dim"))
    if claim.sources:
        text.append("\n")
        text.append_text(literal("source: " + "; ".join(s.label for s in claim.sources), "dim"))
    return text


def _claimant_cell(claim: Claim) -> Text:
    """Claimant and side, then the date on its own line."""
    text = _claimant(claim)
    text.append("\n" + (claim.on or "undated"), style="dim")
    return text


def _header(root: ThreadNode, answered: dict[int, Claim]) -> Group:
    claim = root.claim
    lines: list[Text] = []
    title = Text(f"#{claim.id} ", style="bold")
    title.append_text(literal(claim.text, "bold"))
    lines.append(title)
    facts = Text("by ")
    facts.append_text(_claimant(claim))
    facts.append(f" · {claim.on or 'undated'} · ")
    facts.append_text(_status(claim.status))
    lines.append(facts)
    if claim.quote:
        lines.append(literal(f"“{claim.quote}”", "italic"))
    if root.responses:
        answers = Text("Answered by: ")
        parts = []
        for child in root.responses:
            part = _claimant(child.claim)
            part.append(" ")
            part.append_text(_stance(child.stance))
            part.append(f" #{child.claim.id}")
            parts.append(part)
        answers.append_text(Text("; ").join(parts))
        lines.append(answers)
    for ref in claim.responds_to:
        target = answered.get(ref.id)
        line = Text("Answers: ")
        line.append_text(_stance(ref.stance))
        line.append(f" #{ref.id}")
        if target is not None:
            line.append(" by ")
            line.append_text(_claimant(target))
            line.append(": ")
            line.append_text(literal(target.text))
        lines.append(line)
    if claim.tags:
        lines.append(Text("Tags: ").append_text(literal(", ".join(claim.tags))))
    if claim.sources:
        lines.append(
            Text("Sources: ").append_text(
                Text("; ").join(literal(s.url or s.label) for s in claim.sources)
            )
        )
    if claim.note:
        lines.append(Text("Note: ").append_text(literal(claim.note, "dim")))
    return Group(*lines)


# The deepest level whose tree guide is drawn in full; deeper answers show their depth number.
GUIDE_DEPTH = 6


# Below this many columns a table's five columns leave no room for the text: draw a tree.
NARROW = 64


def _thread_tree(root: ThreadNode) -> Tree:
    """The thread as a tree: each claim's stance, id, claimant, date and status, then its text."""

    def label(node: ThreadNode) -> Text:
        text = Text()
        if node.stance is not None:
            text.append_text(_stance(node.stance))
            text.append(" ")
        text.append(f"#{node.claim.id} ", style="bold")
        text.append_text(_claimant(node.claim))
        text.append(f" · {node.claim.on or 'undated'} · ")
        text.append_text(_status(node.claim.status))
        text.append("\n")
        text.append_text(_claim_cell(node.claim))
        return text

    tree = Tree(label(root))
    stack = [(root, tree)]
    while stack:
        node, branch = stack.pop()
        for child in node.responses:
            stack.append((child, branch.add(label(child))))
    return tree


def thread(root: ThreadNode, answered: dict[int, Claim]) -> None:
    """`show`: a header about the claim, then its thread as a table with a tree column (or, on
    a narrow terminal, as a tree)."""
    out = console()
    out.print(_header(root, answered))
    if out.width < NARROW:
        out.print(_thread_tree(root))
        return
    table = Table(expand=True)
    table.add_column("Thread", no_wrap=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claimant, date", ratio=2, overflow="fold")
    table.add_column("Claim", ratio=5, overflow="fold")
    table.add_column("Status", no_wrap=True)
    lasts: list[bool] = []
    for depth, node, last in walk(root):
        lasts[depth:] = [last]
        if depth == 0:
            guide = Text("claim", style="bold")
        else:
            if depth > GUIDE_DEPTH:
                # Drawing every level would crowd the text out of a deep thread: name the depth.
                guide = Text(f"{depth} ", style="dim")
            else:
                guide = Text("".join("   " if done else "│  " for done in lasts[1:depth]))
            guide.append("└─ " if last else "├─ ")
            guide.append_text(_stance(node.stance))
        table.add_row(
            guide,
            str(node.claim.id),
            _claimant_cell(node.claim),
            _claim_cell(node.claim),
            _status(node.claim.status),
        )
    out.print(table)


def claims(
    rows: Iterable[Claim],
    title: str | None = None,
    claim_cell: Callable[[Claim], Text] = _claim_cell,
) -> None:
    """`list`: claims as a table (`claim_cell` draws the Claim column; search highlights it)."""
    table = Table(title=title, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claimant, date", ratio=2, overflow="fold")
    table.add_column("Claim", ratio=5, overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Answers", no_wrap=True)
    count = 0
    for claim in rows:
        count += 1
        answers = Text("\n").join(
            Text(f"{ref.stance.value} #{ref.id}", style=STANCE_STYLE[ref.stance])
            for ref in claim.responds_to
        )
        table.add_row(
            str(claim.id),
            _claimant_cell(claim),
            claim_cell(claim),
            _status(claim.status),
            answers,
        )
    out = console()
    if count:
        out.print(table)
    else:
        out.print("No claims match.")


def info(details: dict) -> None:
    """`info`: the database path, schema version and counts."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")  # a long path wraps rather than losing its end
    table.add_row("database", literal(details["path"]))
    table.add_row("schema version", str(details["schema_version"]))
    for name, count in details["counts"].items():
        table.add_row(name, str(count))
    console().print(table)
