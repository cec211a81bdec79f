"""Writing the flat format: which rows a thread or a list of claims gives, and the writer of
CSV (formula-protected unless raw), one JSON array, or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import TextIO

from claimtrack import threads
from claimtrack.flatfile.cells import PROTECTED_START, protect, sources_cell, tags_cell
from claimtrack.flatfile.columns import CLAIM_CELLS, COLUMNS
from claimtrack.model import Claim

# A row to write: (claim id, id of the claim it answers or None, stance or None, thread, depth).
RowPlan = tuple[int, int | None, str | None, int | None, int | None]
# A claim's cells, in the order of CLAIM_CELLS.
Cells = tuple


def claim_cells(claim: Claim) -> Cells:
    """A claim's cells, in the order of CLAIM_CELLS."""
    return (
        claim.id,
        claim.uid,
        claim.text,
        claim.by,
        claim.side,
        claim.on,
        claim.quote,
        sources_cell(claim.sources) or None,
        tags_cell(claim.tags) or None,
        claim.note,
        *(
            (None, None, None, None)
            if claim.verdict is None
            else (claim.verdict.label, claim.verdict.value, claim.verdict.best, claim.verdict.worst)
        ),
        claim.status.value,
    )


def thread_rows(root_id: int, edges: Sequence[tuple[int, int, str]]) -> Iterator[RowPlan]:
    """The rows of the thread under `root_id`, depth first: the root, then one row per link.

    A claim answering two claims of the thread has a row under each; its own answers are
    listed once, under the first.
    """
    yield root_id, None, None, root_id, 0
    if not edges:
        return  # most threads are one claim: no walk to start
    for response_id, target_id, stance, depth in threads.descend(root_id, edges, once=True):
        yield response_id, target_id, stance, root_id, depth


def claim_rows(claims: Iterable[Claim]) -> Iterator[RowPlan]:
    """Rows for a list of claims (no thread): one per claim it answers, or one if none."""
    for claim in claims:
        if not claim.responds_to:
            yield claim.id, None, None, None, None
        for ref in claim.responds_to:
            yield claim.id, ref.id, ref.stance.value, None, None


# The claim cells that may start like a formula (ids, uids, dates and numbers never do).
_PROTECTED_CELLS = frozenset(
    CLAIM_CELLS.index(c)
    for c in ("text", "by", "side", "quote", "sources", "tags", "note", "verdict")
)
# Where each claim's cells from text on end, where its status is, and which cells hold JSON
# text in the lossless formats.
_STATUS = CLAIM_CELLS.index("status")
_JSON_TEXT = frozenset(CLAIM_CELLS.index(c) for c in ("sources", "tags"))


def json_text(value: object) -> str:
    """A value as JSON text, as json.dumps(..., ensure_ascii=False) writes it."""
    return json.dumps(value, ensure_ascii=False)


def _csv_cell(value: str | float | None) -> str:
    """A value as csv.writer (the excel dialect) writes it: quoted if it holds a comma, a quote
    or a line end."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return repr(value)
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _json_value(value: str | float | None) -> str:
    """A value as json.dumps(..., ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    return encode_basestring(value)


class RowWriter:
    """Writes flat rows as CSV (formula-protected unless `raw`), one JSON array, or JSONL.

    Each claim is formatted once, however many rows it has; a row is then its claim's text,
    the text of the claim it answers and a few numbers joined together. The output is exactly
    what csv.writer and json.dumps write for the row.
    """

    def __init__(self, stream: TextIO, fmt: str, raw: bool = False):
        self.stream = stream
        self.fmt = fmt
        self.protect = fmt == "csv" and not raw
        self.count = 0
        if fmt == "csv":
            stream.write(",".join(COLUMNS) + "\r\n")

    def write_rows(self, claims: dict[int, Cells], rows: Iterable[RowPlan]) -> None:
        """Write these rows; `claims` holds the cells of their claims (CLAIM_CELLS) by id."""
        if self.fmt == "csv":
            self._write_csv(claims, rows)
        else:
            self._write_json(claims, rows)

    def _csv_claims(self, claims: dict[int, Cells]) -> dict[int, tuple[str, str, str]]:
        """Per claim: "id,uid" (also its part of the rows that answer it), the cells from text
        to note, and the status."""
        formatted = {}
        protecting = self.protect
        for claim_id, cells in claims.items():
            body = []
            for index in range(2, _STATUS):
                cell = cells[index]
                if cell is None or cell == "":
                    body.append("")
                    continue
                if not isinstance(cell, str):
                    body.append(repr(cell))  # a verdict's number
                    continue
                # A look at the first character; `protect` decides for the few that start
                # like a formula (or with ').
                if protecting and cell[0] in PROTECTED_START and index in _PROTECTED_CELLS:
                    cell = protect(cell)
                # _csv_cell, inlined: this runs for every claim of the database.
                if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
                    cell = '"' + cell.replace('"', '""') + '"'
                body.append(cell)
            formatted[claim_id] = (
                f"{claim_id},{_csv_cell(cells[1])}",
                ",".join(body),
                _csv_cell(cells[_STATUS]),
            )
        return formatted

    def _write_csv(self, claims: dict[int, Cells], rows: Iterable[RowPlan]) -> None:
        formatted = self._csv_claims(claims)
        lines = []
        for claim_id, parent_id, stance, thread, depth in rows:
            head, body, status = formatted[claim_id]
            answered = ",," if parent_id is None else f"{formatted[parent_id][0]},{stance}"
            lines.append(
                f"{head},{answered},{body},{'' if thread is None else thread},"
                f"{'' if depth is None else depth},{status}\r\n"
            )
        self.stream.write("".join(lines))
        self.count += len(lines)

    @staticmethod
    def _json_claims(claims: dict[int, Cells]) -> dict[int, tuple[str, str, str, str]]:
        """Per claim: its id and uid as a row's first members and as the claim a row answers,
        the members from text to note, and the status."""
        formatted = {}
        for claim_id, cells in claims.items():
            uid = _json_value(cells[1])
            body = ", ".join(
                f'"{name}": ' + (cells[index] if index in _JSON_TEXT else _json_value(cells[index]))
                for index, name in enumerate(CLAIM_CELLS[2:_STATUS], 2)
            )
            formatted[claim_id] = (
                f'"id": {claim_id}, "uid": {uid}',
                f'"responds_to": {claim_id}, "responds_to_uid": {uid}',
                body,
                _json_value(cells[_STATUS]),
            )
        return formatted

    def _write_json(self, claims: dict[int, Cells], rows: Iterable[RowPlan]) -> None:
        formatted = self._json_claims(claims)
        lines = []
        unanswered = '"responds_to": null, "responds_to_uid": null, "stance": null'
        for claim_id, parent_id, stance, thread, depth in rows:
            head, _, body, status = formatted[claim_id]
            answered = (
                unanswered
                if parent_id is None
                else f'{formatted[parent_id][1]}, "stance": {_json_value(stance)}'
            )
            lines.append(
                f"{{{head}, {answered}, {body}, "
                f'"thread": {_json_value(thread)}, "depth": {_json_value(depth)}, '
                f'"status": {status}}}'
            )
        if not lines:
            return
        if self.fmt == "jsonl":
            self.stream.write("\n".join(lines) + "\n")
        else:
            self.stream.write(("[\n" if self.count == 0 else ",\n") + ",\n".join(lines))
        self.count += len(lines)

    def close(self) -> None:
        """Finish the document (the JSON array's closing bracket)."""
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()
