"""Rendering for `search` (results with the matching words highlighted) and `timeline` (claims
grouped by the day, month or year they were said)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

from rich.table import Table
from rich.text import Text

from claimtrack.model import Claim
from claimtrack.render import pages
from claimtrack.render.claims import CLAIM_TSV, claim_block, claim_cell, claim_row, claims
from claimtrack.render.layout import fit_columns
from claimtrack.render.text import STANCE_STYLE, claimant, console, group, literal

MATCH_STYLE = "bold black on yellow"

# How much of an answered claim's text the timeline repeats beside its answer.
TARGET_WIDTH = 60

Spans = Callable[[str], list[tuple[int, int]]]

# Named here rather than by strftime, whose names follow the C library's locale.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def highlighted(text: str, spans: Sequence[tuple[int, int]], style: str = "") -> Text:
    """Database text shown literally, its `spans` (offsets into `text`) in the match style."""
    # Piece by piece, because showing text safely escapes control characters and so moves
    # every offset after them.
    shown = Text(style=style)
    position = 0
    for start, end in spans:
        shown.append_text(literal(text[position:start]))
        shown.append_text(literal(text[start:end], MATCH_STYLE))
        position = end
    shown.append_text(literal(text[position:]))
    return shown


def results(found: Sequence[Claim], spans: Spans, *, pager: bool = True) -> None:
    """`search`: the matching claims as `list` shows them, best first, the matches highlighted
    in the text, quote and note (`spans` gives the offsets of the matches in a text)."""

    def mark(text: str, style: str) -> Text:
        return highlighted(text, spans(text), style)

    def cell(claim: Claim) -> Text:
        shown = claim_cell(claim, mark)
        if claim.note:
            shown.append("\nnote: ", style="dim")
            shown.append_text(mark(claim.note, "dim"))
        return shown

    claims(found, cell, pager=pager)


def _day(on: str | None) -> Text:
    """A timeline group's date: the day with its weekday, a month or a year as such."""
    if on is None:
        return Text("undated", style="dim")
    if len(on) == len("2024-04-05"):
        weekday = WEEKDAYS[dt.date.fromisoformat(on).weekday()]
        return Text(on, style="bold").append(f"\n{weekday}", style="dim")
    period = "month" if len(on) == len("2024-04") else "year"
    return Text(on, style="bold").append(f"\n(the {period})", style="dim")


def _answers(claim: Claim, answered: dict[int, Claim]) -> Text:
    """What a claim answers: stance, #id and the start of the answered claim's text."""
    lines = []
    for ref in claim.responds_to:
        line = Text(f"{ref.stance.value} #{ref.id}", style=STANCE_STYLE[ref.stance])
        target = answered.get(ref.id)
        if target is not None:
            short = target.text
            if len(short) > TARGET_WIDTH:
                short = short[: TARGET_WIDTH - 1].rstrip() + "…"
            line.append(": ")
            line.append_text(literal(short, "dim"))
        lines.append(line)
    return Text("\n").join(lines)


def _day_line(on: str | None) -> Text:
    """A timeline group's heading in the stacked layout: the date and its weekday or period."""
    return Text(" ").join(part for part in _day(on).split("\n"))


def timeline(rows: Sequence[Claim], answered: dict[int, Claim], *, pager: bool = True) -> None:
    """`timeline`: claims in date order, one section a day (or month, or year, as dated),
    each with its claimant and side and what it answers (`answered`: those claims by id);
    stacked under a line per day on a narrow terminal, TSV off a terminal."""
    mode = pages.layout()
    if mode == "pipe":
        pages.tsv(CLAIM_TSV, (claim_row(claim) for claim in rows))
        return
    out = console()
    if not rows:
        out.print("No claims match.")
        return
    if mode == "stacked":
        parts: list[Text] = []
        for on, dated in itertools.groupby(rows, key=lambda claim: claim.on):
            if parts:
                parts.append(Text(""))
            day = _day_line(on)
            day.stylize("bold underline", 0, len(on or "undated"))
            parts.append(day)
            for index, claim in enumerate(dated):
                if index:
                    parts.append(Text(""))
                heading, _ = claim_block(claim)
                body = literal(claim.text)
                if claim.responds_to:
                    body.append("\n")
                    body.append_text(_answers(claim, answered))
                parts.extend([heading, body])
        pages.show_page(group(*parts), pager=pager)
        return
    table = Table(expand=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claimant", ratio=2)
    table.add_column("Claim", ratio=5)
    table.add_column("Answers", ratio=3)
    for on, dated in itertools.groupby(rows, key=lambda claim: claim.on):
        for index, claim in enumerate(dated):
            table.add_row(
                _day(on) if index == 0 else "",
                str(claim.id),
                claimant(claim),
                literal(claim.text),
                _answers(claim, answered),
            )
        table.add_section()
    pages.show_page(fit_columns(table, out), pager=pager)
