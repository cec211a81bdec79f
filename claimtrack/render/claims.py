"""`show`, `list` and `info`: a thread as a table (or a tree on a narrow terminal), claims as a
table, the database's counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from claimtrack.model import Claim, Stance, ThreadNode, ThreadSummary
from claimtrack.render import pages
from claimtrack.render.layout import fit_columns, stacked
from claimtrack.render.text import (
    STANCE_STYLE,
    claimant,
    console,
    group,
    literal,
    stance_text,
    standing_text,
    status_cell,
    status_text,
)
from claimtrack.threads import walk

if TYPE_CHECKING:
    from rich.console import Group
    from rich.tree import Tree


def claim_cell(claim: Claim, show: Callable[[str, str], Text] = literal) -> Text:
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
    if claim.verdict is not None:
        text.append("\n")
        text.append_text(literal("verdict: " + claim.verdict.rating(), "bold"))
    if claim.verdicts:
        rated = "; ".join(f"{v.label} ({v.by}, #{v.id})" for v in claim.verdicts)
        text.append("\n")
        text.append_text(literal("rated: " + rated, "dim"))
    return text


def _overview_cell(claim: Claim) -> Text:
    """A thread's first claim in the overview: its text, then who rated it what."""
    text = literal(claim.text)
    if claim.verdicts:
        rated = "; ".join(f"{v.label} ({v.by}, #{v.id})" for v in claim.verdicts)
        text.append("\n")
        text.append_text(literal("rated: " + rated, "dim"))
    return text


def claimant_cell(claim: Claim) -> Text:
    """Claimant and side, then the date on its own line."""
    text = claimant(claim)
    text.append("\n" + (claim.on or "undated"), style="dim")
    return text


def _header(root: ThreadNode, answered: dict[int, Claim]) -> Group:
    """Who said the claim when, its status and standing, who answered it and rated it, what it
    answers, and its tags, sources and note."""
    claim = root.claim
    lines: list[Text] = []
    title = Text(f"#{claim.id} ", style="bold")
    title.append_text(literal(claim.text, "bold"))
    lines.append(title)
    facts = Text("by ")
    facts.append_text(claimant(claim))
    facts.append(f" · {claim.on or 'undated'} · ")
    facts.append_text(status_text(claim.status))
    lines.append(facts)
    if claim.quote:
        lines.append(literal(f"“{claim.quote}”", "italic"))
    if claim.verdict is not None:
        lines.append(Text("Verdict: ").append_text(literal(claim.verdict.rating(), "bold")))
    if root.responses:
        lines.append(_answered_by(root))
    if claim.verdicts:
        rated = Text("Verdicts: ")
        rated.append_text(
            Text("; ").join(
                literal(f"{v.by} rated it {v.label} (#{v.id}, {v.on or 'undated'})")
                for v in claim.verdicts
            )
        )
        lines.append(rated)
    lines.extend(_about(claim, answered))
    lines.append(_standing_line(root))
    return group(*lines)


def _standing_line(root: ThreadNode) -> Text:
    """Whether the claim stands in this record, what brings it down, and what that means."""
    line = Text("Standing: ").append_text(standing_text(root.claim.standing))
    if root.defeated_by:
        line.append(" (defeated by " + ", ".join(f"#{i}" for i in root.defeated_by) + ")")
    line.append(". " + STANDING_NOTE, style="dim")
    return line


def _answered_by(root: ThreadNode) -> Text:
    """The claims answering the claim directly: their claimants, stances and ids."""
    answers = Text("Answered by: ")
    parts = []
    for child in root.responses:
        part = claimant(child.claim)
        part.append(" ")
        if child.stance is not None:  # always, below the root
            part.append_text(stance_text(child.stance))
        part.append(f" #{child.claim.id}")
        parts.append(part)
    return answers.append_text(Text("; ").join(parts))


def _about(claim: Claim, answered: dict[int, Claim]) -> list[Text]:
    """What the claim answers, then its tags, sources and note."""
    lines: list[Text] = []
    for ref in claim.responds_to:
        target = answered.get(ref.id)
        line = Text("Answers: ")
        line.append_text(stance_text(ref.stance))
        line.append(f" #{ref.id}")
        if target is not None:
            line.append(" by ")
            line.append_text(claimant(target))
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
    return lines


# Said wherever standing is shown: what it means, and what it does not.
STANDING_NOTE = "Standing is judged within this record only; it is not a finding of truth."

# The deepest level whose tree guide is drawn in full; deeper answers show their depth number.
GUIDE_DEPTH = 6


# Below this many columns a table's five columns leave no room for the text: draw a tree.
NARROW = 64


def _thread_tree(root: ThreadNode) -> Tree:
    """The thread as a tree: each claim's stance, id, claimant, date and status, then its text."""
    # Imported here: only a narrow terminal draws a tree, and rich.tree needs rich.console.
    from rich.tree import Tree

    def label(node: ThreadNode) -> Text:
        text = Text()
        if node.stance is not None:
            text.append_text(stance_text(node.stance))
            text.append(" ")
        text.append(f"#{node.claim.id} ", style="bold")
        text.append_text(claimant(node.claim))
        text.append(f" · {node.claim.on or 'undated'} · ")
        text.append_text(status_text(node.claim.status))
        text.append(" · ")
        text.append_text(standing_text(node.claim.standing))
        text.append("\n")
        text.append_text(claim_cell(node.claim))
        return text

    tree = Tree(label(root))
    # branches[d] is the branch of the latest claim at depth d: the parent of the next deeper.
    branches = [tree]
    for depth, node, _ in walk(root):
        if depth:
            branches[depth:] = [branches[depth - 1].add(label(node))]
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
    table.add_column("Claimant, date", ratio=2)
    table.add_column("Claim", ratio=5)
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
            if node.stance is not None:  # always, below the root
                guide.append_text(stance_text(node.stance))
        table.add_row(
            guide,
            str(node.claim.id),
            claimant_cell(node.claim),
            claim_cell(node.claim),
            status_cell(node.claim),
        )
    out.print(fit_columns(table, out))


# The columns of a claim when stdout is not a terminal, one claim a line (`claim_row`).
CLAIM_TSV = (
    "id",
    "on",
    "by",
    "side",
    "status",
    "standing",
    "answers",
    "verdict",
    "tags",
    "text",
    "quote",
    "note",
    "sources",
)


def claim_row(claim: Claim) -> list[object]:
    """A claim's cells for pipes, in `CLAIM_TSV` order (tags comma-separated, sources
    space-separated as in the export format)."""
    return [
        claim.id,
        claim.on,
        claim.by,
        claim.side,
        claim.status.value,
        claim.standing.value,
        ", ".join(f"{ref.stance.value} #{ref.id}" for ref in claim.responds_to),
        claim.verdict.label if claim.verdict is not None else None,
        ",".join(claim.tags),
        claim.text,
        claim.quote,
        claim.note,
        " ".join(source.url or source.label for source in claim.sources),
    ]


def answers_text(claim: Claim) -> Text:
    """What a claim answers, one `stance #id` a line, in the stance's colour."""
    return Text("\n").join(
        Text(f"{ref.stance.value} #{ref.id}", style=STANCE_STYLE[ref.stance])
        for ref in claim.responds_to
    )


def claim_heading(claim: Claim) -> Text:
    """A claim's line in the stacked layout: id, claimant (side), date, status, standing."""
    heading = Text()
    heading.append(f"#{claim.id} ", style="bold")
    heading.append_text(claimant(claim))
    heading.append(f" · {claim.on or 'undated'} · ")
    heading.append_text(status_text(claim.status))
    heading.append(" · ")
    heading.append_text(standing_text(claim.standing))
    return heading


def claim_block(claim: Claim, cell: Callable[[Claim], Text] = claim_cell) -> tuple[Text, Text]:
    """A claim in the stacked layout: its heading, then its text and details and what it
    answers."""
    body = cell(claim)
    if claim.responds_to:
        body.append("\n")
        body.append_text(Text("answers: ", style="dim"))
        body.append_text(
            Text(", ").join(
                Text(f"{ref.stance.value} #{ref.id}", style=STANCE_STYLE[ref.stance])
                for ref in claim.responds_to
            )
        )
    return claim_heading(claim), body


def claims(
    rows: Iterable[Claim], cell: Callable[[Claim], Text] = claim_cell, *, pager: bool = True
) -> None:
    """`list`: claims as a table, stacked on a narrow terminal, TSV off a terminal (`cell`
    draws the Claim column; search highlights it)."""
    mode = pages.layout()
    if mode == "pipe":
        pages.tsv(CLAIM_TSV, (claim_row(claim) for claim in rows))
        return
    rows = list(rows)
    out = console()
    if not rows:
        out.print("No claims match.")
        return
    if mode == "stacked":
        pages.show_page(stacked(claim_block(claim, cell) for claim in rows), pager=pager)
        return
    table = Table(expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claimant, date", ratio=2)
    table.add_column("Claim", ratio=5)
    table.add_column("Status", no_wrap=True)
    table.add_column("Answers", no_wrap=True)
    for claim in rows:
        table.add_row(
            str(claim.id),
            claimant_cell(claim),
            cell(claim),
            status_text(claim.status),
            answers_text(claim),
        )
    pages.show_page(fit_columns(table, out), pager=pager)


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


THREAD_TSV = (
    "id",
    "on",
    "by",
    "side",
    "status",
    "standing",
    "verdicts",
    *(f"{stance.value}" for stance in Stance),
    "answered_by_sides",
    "latest",
    "claims",
    "text",
)


def _thread_row(summary: ThreadSummary) -> list[object]:
    """A thread's cells for pipes, in `THREAD_TSV` order."""
    claim = summary.claim
    return [
        claim.id,
        claim.on,
        claim.by,
        claim.side,
        claim.status.value,
        claim.standing.value,
        "; ".join(f"{v.label} ({v.by}, #{v.id})" for v in claim.verdicts),
        *summary.responses_by_stance.values(),
        ", ".join(summary.answered_by_sides),
        summary.latest,
        summary.size,
        claim.text,
    ]


def _thread_answers(summary: ThreadSummary) -> Text:
    """A thread's answers by stance, the sides that answered, and its latest date."""
    answers = Text("\n").join(
        Text(f"{count} {stance.value}", style=STANCE_STYLE[stance])
        for stance, count in summary.responses_by_stance.items()
        if count
    ) or Text("—", style="dim")
    if summary.answered_by_sides:
        answers.append("\n")
        answers.append_text(literal("from " + ", ".join(summary.answered_by_sides), "dim"))
    if summary.latest and summary.size > 1:
        answers.append(f"\nlatest {summary.latest}", style="dim")
    return answers


def threads(rows: Iterable[ThreadSummary], *, pager: bool = True) -> None:
    """`threads`: one row per thread, its first claim and what its answers add up to; stacked
    on a narrow terminal, TSV off a terminal."""
    mode = pages.layout()
    if mode == "pipe":
        pages.tsv(THREAD_TSV, (_thread_row(summary) for summary in rows))
        return
    rows = list(rows)
    out = console()
    if not rows:
        out.print("No threads match.")
        return
    note = Text(STANDING_NOTE, style="dim")
    if mode == "stacked":
        blocks = (
            (
                claim_heading(s.claim),
                _overview_cell(s.claim).append("\n").append_text(_thread_answers(s)),
            )
            for s in rows
        )
        pages.show_page(stacked(blocks), note, pager=pager)
        return
    table = Table(expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claimant, date", ratio=2)
    table.add_column("Claim", ratio=5)
    table.add_column("Status", no_wrap=True)
    table.add_column("Answers", ratio=2)
    for summary in rows:
        table.add_row(
            str(summary.claim.id),
            claimant_cell(summary.claim),
            _overview_cell(summary.claim),
            status_cell(summary.claim),
            _thread_answers(summary),
        )
    pages.show_page(fit_columns(table, out), note, pager=pager)
