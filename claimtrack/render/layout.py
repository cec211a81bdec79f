"""Layouts that never break a word inside: tables whose columns are at least as wide as their
longest word where the terminal allows it, and the stacked layout of narrow terminals.

rich gives a column with a `ratio` its share of the width whatever the words in it, and folds
the words that do not fit (`(Azerbaijan` / `)`); `fit_columns` sets every column's width
instead, each wrapping column first getting its longest word, then the rest shared by ratio.
`stacked` is what `list`, `search`, `timeline` (and `threads`) print below `STACKED_BELOW`
columns: one block per record, a heading line, then the text, then its details."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from claimtrack.render.text import group

if TYPE_CHECKING:
    from rich.console import Console, Group, RenderableType

# Below this many columns the record tables switch to the stacked layout (SPEC "Pages").
STACKED_BELOW = 80


def _share(available: int, needs: Sequence[int], ratios: Sequence[int]) -> list[int]:
    """Widths for columns that need `needs` (their longest word): each gets its need while the
    ones needing less than their ratio's share leave room to those needing more; a column
    whose need is more than its share of what is left gets that share (its longest word alone
    is wider than it can be, and only such a word is folded)."""
    widths = [0] * len(needs)
    left = available
    pending = sorted(range(len(needs)), key=lambda i: needs[i] / max(ratios[i], 1))
    while pending:
        weight = sum(max(ratios[i], 1) for i in pending)
        index = pending[0]
        share = left * max(ratios[index], 1) // weight
        if needs[index] <= share:
            widths[index] = needs[index]
            left -= needs[index]
            pending.pop(0)
            continue
        for index in pending:  # every other need is larger still, by ratio
            widths[index] = max(1, left * max(ratios[index], 1) // weight)
        return widths
    return widths


def _widths(
    available: int, needs: Sequence[int], widest: Sequence[int], ratios: Sequence[int], fill: bool
) -> list[int]:
    """Widths by ratio, as rich gives them, except that a column whose share is less than its
    longest word (`needs`) gets that word's width, and one whose share is more than its widest
    cell gets that, the rest going to the others; with `fill` False nothing grows past it."""
    if sum(needs) > available:
        # Some word is wider than the terminal allows: each column's need counts only up to
        # its ratio's share, so one long URL does not squeeze every other column to a word.
        weight = sum(max(ratio, 1) for ratio in ratios)
        needs = [
            min(need, available * max(r, 1) // weight)
            for need, r in zip(needs, ratios, strict=True)
        ]
        if sum(needs) > available:
            return _share(available, needs, ratios)
    count = len(needs)
    widths: list[int | None] = [None] * count
    while True:
        free = [i for i in range(count) if widths[i] is None]
        if not free:
            break
        left = available - sum(w for w in widths if w is not None)
        weight = sum(max(ratios[i], 1) for i in free)
        share = {i: left * max(ratios[i], 1) / weight for i in free}
        low = [i for i in free if share[i] < needs[i]]
        if low:
            for i in low:
                widths[i] = needs[i]
            continue
        high = [i for i in free if share[i] > widest[i]]
        if high and (len(high) < len(free) or not fill):
            for i in high:
                widths[i] = widest[i]
            continue
        given = {i: int(share[i]) for i in free}
        for i in free[: left - sum(given.values())]:  # what rounding left, one column each
            given[i] += 1
        for i in free:
            widths[i] = given[i]
        break
    return [w or 1 for w in widths]


def fit_columns(table: Table, console: Console, fill: bool = True) -> Table:
    """Set the width of every column of `table` so that it fills the console and no word is
    broken unless it alone is wider than its column could be: columns that do not wrap get
    their widest cell, the others their longest word, then the rest of the width by `ratio`
    (1 when none is set); with `fill` False no column grows past its widest cell. Call it once
    every row is added."""
    options = console.options
    columns = table.columns
    if not columns:
        return table
    padding = table.padding[1] + table.padding[3]
    edges = 0 if table.box is None else len(columns) - 1 + (2 if table.show_edge else 0)
    available = console.width - edges - padding * len(columns)
    ranges: list[Measurement] = []
    for column in columns:
        cells: list[RenderableType] = [column.header, *column.cells]
        lowest = highest = 1
        for cell in cells:
            measured = Measurement.get(console, options, cell)
            lowest, highest = max(lowest, measured.minimum), max(highest, measured.maximum)
        ranges.append(Measurement(lowest, highest))
    fixed = [i for i, column in enumerate(columns) if column.no_wrap]
    wrapping = [i for i, column in enumerate(columns) if not column.no_wrap]
    widths = [0] * len(columns)
    for i in fixed:
        widths[i] = ranges[i].maximum
    left = available - sum(widths[i] for i in fixed)
    ratios = [columns[i].ratio or 1 for i in wrapping]
    needs = [ranges[i].minimum for i in wrapping]
    widest = [ranges[i].maximum for i in wrapping]
    shared = _widths(max(left, len(wrapping)), needs, widest, ratios, fill)
    for i, width in zip(wrapping, shared, strict=True):
        widths[i] = width
    for column, width in zip(columns, widths, strict=True):
        column.width = max(width, 1)
        column.min_width = None
        column.max_width = None
        column.ratio = None
        if not column.no_wrap:
            column.overflow = "fold"  # only a word wider than its column: never dropped
    return table


def stacked(blocks: Iterable[tuple[Text, Text]]) -> Group:
    """Records one below the other: each its heading line in bold, then its body, a blank line
    between records (the narrow terminal's layout, as `show` draws a tree)."""
    parts: list[RenderableType] = []
    for heading, body in blocks:
        if parts:
            parts.append(Text(""))
        parts.append(heading)
        if body.plain:
            parts.append(body)
    return group(*parts)
