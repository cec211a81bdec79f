"""The change log read back (`history`) and reversed (`undo`)."""

from __future__ import annotations

import json

from claimtrack.dialect import Dialect
from claimtrack.errors import InvalidInput, NotFound
from claimtrack.model import Change, Written
from claimtrack.store.base import RANGE, ROW_NUMBER, StoreBase, Transaction

# The change-log action of an undo; an undo is never itself undone.
UNDO = "undo"


class HistoryArea(StoreBase):
    """The change log: each change with its row images, and undo of the newest one."""

    def _undo_pairs(self) -> tuple[dict[int, int], dict[int, int]]:
        """Which change each undo reversed: ({undone change: undo}, {undo: undone change}).

        Undo always reverses the newest change not yet undone, so walking the log newest first
        pairs each undo with the next change not claimed by a later undo, like brackets.
        """
        pending: list[int] = []
        undone_by: dict[int, int] = {}
        for change_id, action in self.conn.execute(
            "SELECT id, action FROM changes ORDER BY id DESC"
        ):
            if action == UNDO:
                pending.append(change_id)
            elif pending:
                undone_by[change_id] = pending.pop()
        return undone_by, {undo: undone for undone, undo in undone_by.items()}

    def history(
        self, claim_id: int | None = None, limit: int | None = None, rows: bool = True
    ) -> list[Change]:
        """The change log, newest first; with `claim_id`, only the changes touching that claim.

        `rows=False` leaves out the row images (an import's may be many), for a summary.

        A change touches a claim if it was about it (`changes.claim_id`) or changed a row of it:
        the claim itself, its tags, its sources, or a link from or to it.
        """
        sql = _touching(self.sql, claim_id) + " ORDER BY 1 DESC LIMIT :limit"
        params = {"id": claim_id, "limit": self.sql.no_limit if limit is None else limit}
        ids = [row[0] for row in self.conn.execute(sql, params)]
        return self._changes(ids, rows)

    def count_history(self, claim_id: int | None = None) -> int:
        """How many changes `history` lists (touching `claim_id`, when given)."""
        sql = f"SELECT count(*) FROM ({_touching(self.sql, claim_id)}) touching"
        return self.conn.execute(sql, {"id": claim_id}).fetchone()[0]

    def _changes(self, ids: list[int], rows: bool = True) -> list[Change]:
        """The changes with these ids, in the order given, with their rows if `rows`."""
        inside = f"IN ({self.sql.ints()})"
        ids_json = json.dumps(ids)
        found = {
            row[0]: Change(*row, rows=[])  # type: ignore[misc]  # five columns, then rows
            for row in self.conn.execute(
                f"SELECT id, at, action, claim_id, summary FROM changes WHERE id {inside}",
                (ids_json,),
            )
        }
        images = f"""SELECT change_id, tbl, key, before, after FROM change_rows
                     WHERE change_id {inside} ORDER BY change_id, seq"""
        for change_id, table, key, before, after in (
            self.conn.execute(images, (ids_json,)) if rows else ()
        ):
            found[change_id].rows.append(
                {
                    "table": table,
                    "key": json.loads(key),
                    "before": None if before is None else json.loads(before),
                    "after": None if after is None else json.loads(after),
                }
            )
        undone_by, undoes = self._undo_pairs()
        for change in found.values():
            change.undone_by = undone_by.get(change.id)
            change.undoes = undoes.get(change.id)
        return [found[i] for i in ids]

    def next_undo(self) -> tuple[int, str, str, int] | None:
        """What `undo` would reverse: (change id, action, summary, claims it wrote), or None.
        An import's new claims are counted from its range row, the others one by one."""
        target = self._undo_target()
        if target is None:
            return None
        change_id, action, _, summary = target
        (claims,) = self.conn.execute(
            f"""SELECT CAST(coalesce(sum(
                    CASE WHEN {self.sql.json_int("key", RANGE, 0)} IS NOT NULL
                         THEN {self.sql.json_int("after", "rows")} ELSE 1 END), 0) AS bigint)
                FROM change_rows WHERE change_id = ? AND tbl = 'claims'""",
            (change_id,),
        ).fetchone()
        return change_id, action, summary, claims

    def _undo_target(self) -> tuple[int, str, int | None, str] | None:
        """The newest change not yet undone, as (id, action, claim_id, summary), or None."""
        undone_by, _ = self._undo_pairs()
        for row in self.conn.execute(
            "SELECT id, action, claim_id, summary FROM changes WHERE action != ? ORDER BY id DESC",
            (UNDO,),
        ):
            if row[0] not in undone_by:
                return row
        return None

    def undo(self) -> Written:
        """Reverse the newest change not yet undone, as one change of its own (`change`), and
        say which (`undone`).

        Each row goes back to its image before the change, in reverse order (children before
        parents when they were inserted, parents before children when they were deleted). A
        row that no longer matches its image after the change means the file was changed
        outside claimtrack: the undo is refused and nothing is written.
        """
        with self.write(UNDO) as tx:
            target = self._undo_target()
            if target is None:
                raise NotFound(
                    "There is nothing to undo: no change is recorded that is not undone already."
                )
            change_id, action, claim_id, summary = target
            rows = self.conn.execute(
                "SELECT tbl, key, before, after FROM change_rows WHERE change_id = ?"
                " ORDER BY seq DESC",
                (change_id,),
            ).fetchall()
            for table, key_json, before_json, after_json in rows:
                key = json.loads(key_json)
                if RANGE in key:
                    self._undo_range(tx, change_id, table, key_json, after_json)
                    continue
                before = None if before_json is None else json.loads(before_json)
                after = None if after_json is None else json.loads(after_json)
                current = tx.select(table, key)
                if not _matches(current, after):
                    raise InvalidInput(
                        f"Change #{change_id} cannot be undone: the {table} row {key_json} is "
                        "not as that change left it (was the file changed outside claimtrack?)."
                    )
                if before is None:
                    tx.delete(table, key)
                elif after is None:
                    tx.insert(table, before)
                else:
                    tx.update(table, key, before)
            tx.claim_id = claim_id
            tx.summary = f"undid change #{change_id} ({action}: {summary})"
        assert tx.change_id is not None  # an undo always writes
        undo, undone = self._changes([tx.change_id, change_id])
        return Written(change_id=undo.id, change=undo, undone=undone)

    def _undo_range(
        self, tx: Transaction, change_id: int, table: str, key_json: str, after_json: str
    ) -> None:
        """Delete the rows an import inserted into `table` (logged as one range), and log that
        the same way."""
        first, last = json.loads(key_json)[RANGE]
        rows = json.loads(after_json)["rows"]
        # Later changes to these rows are undone already, so they are all there as inserted.
        where = f"FROM {table} WHERE {ROW_NUMBER[table]} BETWEEN ? AND ?"
        if self.conn.execute(f"SELECT count(*) {where}", (first, last)).fetchone()[0] != rows:
            raise InvalidInput(
                f"Change #{change_id} cannot be undone: the {table} rows {key_json} are not as "
                "that change left them (was the file changed outside claimtrack?)."
            )
        self.conn.execute(f"DELETE {where}", (first, last))
        tx.rows.append((table, key_json, json.dumps({"rows": rows}), None))


def _touching(sql: Dialect, claim_id: int | None) -> str:
    """The SELECT of the ids of the changes touching claim :id (of every change when None)."""
    if claim_id is None:
        return "SELECT id FROM changes"
    # A range row's key holds no id, and a row's key no range: json_int is NULL there.
    return f"""SELECT id FROM changes WHERE claim_id = :id
             UNION
             SELECT change_id FROM change_rows
             WHERE (tbl = 'claims' AND {sql.json_int("key", "id")} = :id)
                OR (tbl IN ('claim_tags', 'claim_sources')
                    AND {sql.json_int("key", "claim_id")} = :id)
                OR (tbl = 'responses' AND ({sql.json_int("key", "response_id")} = :id
                                           OR {sql.json_int("key", "target_id")} = :id))
                -- Rows an import inserted: its new claims (their tags, sources and
                -- links come with them) and the recorded claims its links answer.
                OR (tbl = 'claims' AND :id BETWEEN {sql.json_int("key", RANGE, 0)}
                                             AND {sql.json_int("key", RANGE, 1)})
                OR (tbl = 'responses' AND :id IN ({sql.json_list("after", "targets")}))"""


def _matches(current: dict | None, image: dict | None) -> bool:
    """Whether a row as it is now still holds every column of a logged image of it."""
    if current is None or image is None:
        return current is image
    return all(column in current and current[column] == v for column, v in image.items())
