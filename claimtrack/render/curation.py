"""Tables for curating the record: actors, who answers whom, sources and the change log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from claimtrack.model import Stance
from claimtrack.render import pages
from claimtrack.render.layout import fit_columns
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


STANCES = [stance.value for stance in Stance]
# `actors` off a terminal: one actor a line (who answers whom is in `actors --json`).
ACTORS_TSV = (
    "name",
    "side",
    "claims",
    *(f"{stance}_given" for stance in STANCES),
    "claims_answered",
    *(f"{stance}_received" for stance in STANCES),
    "note",
)


def actors(report: dict, *, pager: bool = True) -> None:
    """`actors`: each actor's claims and answers, then who answers whom by side (off a
    terminal: the actors as TSV)."""
    if pages.layout() == "pipe":
        pages.tsv(
            ACTORS_TSV,
            (
                [
                    actor["name"],
                    actor["side"],
                    actor["claims"],
                    *(actor["answers_given"][stance] for stance in STANCES),
                    actor["claims_answered"],
                    *(actor["answers_received"][stance] for stance in STANCES),
                    actor["note"],
                ]
                for actor in report["actors"]
            ),
        )
        return
    out = console()
    if not report["actors"]:
        out.print("No actors yet: they are created by `claimtrack add --by NAME`.")
        return
    table = fit_columns(_actors_table(report["actors"]), out)
    pairs = report["who_answers_whom"]
    if not pairs:
        pages.show_page(table, Text("Who answers whom: no claim answers another yet."), pager=pager)
        return
    pages.show_page(table, fit_columns(_sides_table(pairs), out), pager=pager)


def _actors_table(actors: list[dict]) -> Table:
    """Each actor's claims and answers given and received, by stance."""
    table = Table(title="Actors", expand=True)
    table.add_column("Actor", ratio=4)
    table.add_column("Side", ratio=2)
    table.add_column("Claims", justify="right", no_wrap=True)
    table.add_column("Answers given", ratio=3)
    table.add_column("Answers received", ratio=3)
    for actor in actors:
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
    return table


def _sides_table(pairs: list[dict]) -> Table:
    """Who answers whom: each row's side answering each column's, by stance."""
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
    matrix.add_column("answering ↓  answered →")
    for side in answered:
        matrix.add_column(_side(side), ratio=1)
    for row_side in answering:
        row = [
            stance_counts(cells[(row_side, side)]) if (row_side, side) in cells else Text("")
            for side in answered
        ]
        matrix.add_row(_side(row_side), *row)
    return matrix


SOURCES_TSV = ("url", "title", "outlet", "published", "archived_url", "claims")


def sources(rows: Sequence[SourceUsage], *, pager: bool = True) -> None:
    """`sources`: every source with its details and how many claims cite it."""
    if pages.layout() == "pipe":
        pages.tsv(
            SOURCES_TSV,
            ([s.url, s.title, s.outlet, s.published, s.archived_url, s.claims] for s in rows),
        )
        return
    out = console()
    if not rows:
        out.print("No sources yet: they are added by `claimtrack add --source URL_OR_TITLE`.")
        return
    table = Table(title="Sources", expand=True)
    table.add_column("Source", ratio=2)
    table.add_column("URL", ratio=3)
    table.add_column("Outlet", ratio=1)
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
    pages.show_page(fit_columns(table, out), pager=pager)


def tags(rows: Sequence[tuple[str, int]], *, pager: bool = True) -> None:
    """`tags`: every tag with how many claims carry it, most carried first."""
    if pages.layout() == "pipe":
        pages.tsv(("tag", "claims"), rows)
        return
    out = console()
    if not rows:
        out.print("No tags yet: they are added by `claimtrack add --tag T`.")
        return
    table = Table(title="Tags", expand=False)
    table.add_column("Tag", style="bold")
    table.add_column("Claims", justify="right", no_wrap=True)
    for tag, count in rows:
        table.add_row(literal(tag), str(count))
    pages.show_page(fit_columns(table, out, fill=False), pager=pager)


HISTORY_TSV = ("change", "at", "action", "claim", "summary", "undone_by")


def history(changes: Sequence[Change], claim_id: int | None, *, pager: bool = True) -> None:
    """`history`: the change log, newest first."""
    if pages.layout() == "pipe":
        pages.tsv(
            HISTORY_TSV,
            ([c.id, c.at, c.action, c.claim_id, c.summary, c.undone_by] for c in changes),
        )
        return
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
    table.add_column("What changed", ratio=1)
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
    pages.show_page(fit_columns(table, out), pager=pager)
