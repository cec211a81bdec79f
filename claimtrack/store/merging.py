"""Merging another claimtrack database into this one (`import OTHER.db`): the other file's
threads, exported losslessly, imported by uid in one change, the later `updated` winning where
both files changed a claim differently."""

from __future__ import annotations

import io
import itertools
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimtrack.model import Claim, ImportResult
from claimtrack.store.importer import ImportArea

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

# The fields of a row that say what a claim is (not where it sits in a thread).
_CONTENT = (
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
    "verdict",
    "verdict_value",
    "verdict_best",
    "verdict_worst",
)


@dataclass
class MergeResult:
    """What a merge did: the import's counts, and the claims both files changed differently,
    as (id here, kept: "this file" or the other's name)."""

    imported: ImportResult
    conflicts: list[tuple[int, str]] = field(default_factory=list)


def content(claim: Claim) -> dict:
    """A claim's content in the lossless row form, to compare with a row of another file."""
    verdict = claim.verdict
    return {
        "text": claim.text,
        "by": claim.by,
        "side": claim.side,
        "on": claim.on,
        "quote": claim.quote,
        "sources": [source.as_json() for source in claim.sources],
        "tags": list(claim.tags),
        "note": claim.note,
        "verdict": None if verdict is None else verdict.label,
        "verdict_value": None if verdict is None else verdict.value,
        "verdict_best": None if verdict is None else verdict.best,
        "verdict_worst": None if verdict is None else verdict.worst,
    }


class MergeArea(ImportArea):
    """`import OTHER.db`: another claimtrack file merged in whole, by uid."""

    def merge_from(
        self,
        other: ClaimStore,
        name: str,
        dry_run: bool = False,
        stage: Callable[[str], None] | None = None,
    ) -> MergeResult:
        """Merge every claim, link, source description, tag and verdict of `other`; all or
        nothing, one change. A claim both files hold with different content takes the content
        of the one updated later."""
        # The readers of the flat formats, here rather than above: only a merge needs them
        # of every command that opens the store.
        from claimtrack.flatfile.readers import read_rows
        from claimtrack.flatfile.rows import ImportOptions

        conflicts: list[tuple[int, str]] = []
        with tempfile.TemporaryFile() as spool:
            self._spool(other, name, spool, conflicts)
            spool.seek(0)
            rows = read_rows(spool, name, "jsonl", ImportOptions())
            imported = self.import_rows(rows, name, dry_run=dry_run, stage=stage)
        return MergeResult(imported, conflicts)

    def _spool(
        self, other: ClaimStore, name: str, spool: io.BufferedRandom, conflicts: list
    ) -> None:
        """Write `other`'s threads to `spool` as JSON Lines, each claim both files hold with
        different content given the content of the later-updated one."""
        from claimtrack.flatfile.writer import RowWriter, thread_rows

        text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
        exported = io.StringIO()
        writer = RowWriter(exported, "jsonl")
        for batch in other.export_threads(lossless=True):
            writer.write_rows(
                batch.claims,
                itertools.chain.from_iterable(thread_rows(r, e) for r, e in batch.threads),
            )
            text.write("".join(self._settled(exported.getvalue(), other, name, conflicts)))
            exported.seek(0)
            exported.truncate()
        text.flush()
        text.detach()

    def _settled(self, lines: str, other: ClaimStore, name: str, conflicts: list) -> Iterator[str]:
        """The rows, with the content of this file's claim where it was updated later."""
        rows = [json.loads(line) for line in lines.splitlines()]
        here = dict(
            self.conn.execute(
                f"SELECT uid, id FROM claims WHERE uid IN ({self.sql.texts()})",
                (json.dumps([row["uid"] for row in rows]),),
            ).fetchall()
        )
        ours = self.claims(here.values())
        theirs = other.claims(row["id"] for row in rows if row["uid"] in here)
        seen: set[int] = set()
        for row in rows:
            claim_id = here.get(row["uid"])
            if claim_id is not None:
                mine, yours = ours[claim_id], theirs[row["id"]]
                given = {key: row[key] for key in _CONTENT}
                if content(mine) != given:
                    # The later change wins; on a tie, the same one whichever file is merged
                    # into which, so that merging both ways gives one content.
                    later_here = (mine.updated, json.dumps(content(mine))) > (
                        yours.updated,
                        json.dumps(given),
                    )
                    if later_here:
                        row.update(content(mine))
                    if claim_id not in seen:
                        conflicts.append((claim_id, "this file" if later_here else name))
                        seen.add(claim_id)
            yield json.dumps(row, ensure_ascii=False) + "\n"
