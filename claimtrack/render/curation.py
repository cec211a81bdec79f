"""Tables for curating the record: actors, who answers whom, sources and the change log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from claimtrack.model import Stance
from claimtrack.render.text import STANCE_STYLE, console, literal

if TYPE_CHECKING:
    from claimtrack.model import Change, SourceUsage

NO_SIDE = "(no side)"


def stance_counts(stances: dict[str, int]) -> Text:
    """Counts by stance as "2 refutes, 1 supports", each coloured; a dash when all are 0."""
    parts = [
        Text(f"{count} {stance}", style=STANCE_STYLE[Stance(stance)])
        for stance, count in stances.items()
        if count
    ]
    return Text(", ").join(parts) if parts else Text("—", style="dim")


def _side(side: str | None) -> Text:
    return literal(side) if side else Text(NO_SIDE, style="dim")


def actors(report: dict) -> None:
    """`actors`: each actor's claims and answers, then who answers whom by side."""
    out = console()
    if not report["actors"]:
        out.print("No actors yet: they are created by `claimtrack add --by NAME`.")
        return
    table = Table(title="Actors", expand=True)
    table.add_column("Actor", ratio=4, overflow="fold")
    table.add_column("Side", max_width=24, overflow="fold")
    table.add_column("Claims", justify="right", no_wrap=True)
    table.add_column("Answers given", ratio=3, overflow="fold")
    table.add_column("Answers received", ratio=3, overflow="fold")
    for actor in report["actors"]:
        name = literal(actor["name"], "bold")
        if actor["note"]:
            name.append("\n")
            name.append_text(literal(actor["note"], "dim"))
        noun = "claim" if actor["claims"] == 1 else "claims"
        received = Text(f"{actor['claims_answered']} of {actor['claims']} {noun}")
        if actor["claims_answered"]:
            received.append(":\n")
            received.append_text(stance_counts(actor["answers_received"]))
        table.add_row(
            name,
            _side(actor["side"]),
            str(actor["claims"]),
            stance_counts(actor["answers_given"]),
            received,
        )
    out.print(table)
    pairs = report["who_answers_whom"]
    if not pairs:
        out.print("Who answers whom: no claim answers another yet.")
        return
    # Sides in a stable order, the actors without a side last.
    order = {None: (1, "")}
    for pair in pairs:
        for side in (pair["answering_side"], pair["answered_side"]):
            if side is not None:
                order[side] = (0, side.casefold())
    answered = sorted({pair["answered_side"] for pair in pairs}, key=order.__getitem__)
    answering = sorted({pair["answering_side"] for pair in pairs}, key=order.__getitem__)
    cells = {(p["answering_side"], p["answered_side"]): p["stances"] for p in pairs}
    matrix = Table(title="Who answers whom (each row's side answering each column's)", expand=True)
    matrix.add_column("answering ↓  answered →", overflow="fold")
    for side in answered:
        matrix.add_column(_side(side), ratio=1, overflow="fold")
    for row_side in answering:
        row = [
            stance_counts(cells[(row_side, side)]) if (row_side, side) in cells else Text("")
            for side in answered
        ]
        matrix.add_row(_side(row_side), *row)
    out.print(matrix)


def sources(rows: Sequence[SourceUsage]) -> None:
    """`sources`: every source with its details and how many claims cite it."""
    out = console()
    if not rows:
        out.print("No sources yet: they are added by `claimtrack add --source URL_OR_TITLE`.")
        return
    table = Table(title="Sources", expand=True)
    table.add_column("Source", ratio=2, overflow="fold")
    table.add_column("URL", ratio=3, overflow="fold")
    table.add_column("Outlet", ratio=1, overflow="fold")
    table.add_column("Published", no_wrap=True)
    table.add_column("Claims", justify="right", no_wrap=True)
    for source in rows:
        url = literal(source.url)
        if source.archived_url:
            url.append("\n")
            url.append_text(literal(f"archived: {source.archived_url}", "dim"))
        table.add_row(
            literal(source.label, "bold"),
            url,
            literal(source.outlet),
            literal(source.published),
            str(source.claims),
        )
    out.print(table)


def history(changes: Sequence[Change], claim_id: int | None, more: bool) -> None:
    """`history`: the change log, newest first; `more` says older changes were left out."""
    out = console()
    if not changes:
        out.print(
            f"No change touches claim #{claim_id}." if claim_id else "No change is recorded yet."
        )
        return
    title = f"Changes touching claim #{claim_id}" if claim_id else "Changes"
    table = Table(title=f"{title}, newest first", expand=True)
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column("When (UTC)", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    table.add_column("Claim", justify="right", no_wrap=True)
    table.add_column("What changed", ratio=1, overflow="fold")
    for change in changes:
        what = literal(change.summary)
        if change.undone_by is not None:
            what.append(f"\n(undone by change #{change.undone_by})", style="dim")
        table.add_row(
            f"#{change.id}",
            change.at.replace("T", " ").removesuffix("Z"),
            Text(change.action, style="bold"),
            f"#{change.claim_id}" if change.claim_id is not None else "",
            what,
        )
    out.print(table)
    if more:
        out.print("Older changes are left out: give --limit N or --all to see more.")
