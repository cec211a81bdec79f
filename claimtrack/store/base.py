"""The store's base, which every area of the store builds on: the connection, the one write
path and its change log, actors and sources as writes meet them, and reading claims.

Every write is one BEGIN IMMEDIATE transaction that goes through `StoreBase.write`, which
records each row it changes (before and after) in the change log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from claimtrack.db import connect
from claimtrack.dialect import SQLITE, Connection, Dialect, folded
from claimtrack.errors import InvalidInput, NotFound
from claimtrack.fold import name_key
from claimtrack.migrations import RECORD_COUNTS, SEARCH_REFOLD
from claimtrack.model import (
    Claim,
    ClaimFilter,
    ResponseRef,
    SourceRef,
    Stance,
    Standing,
    Status,
    Verdict,
    VerdictRef,
)
from claimtrack.names import NameMatch, match_name
from claimtrack.ratings import rating_key
from claimtrack.standing import ATTACKS, standings
from claimtrack.validate import nfc, parse_partial_date, source_identity

# A claim's status from its direct responses (SPEC "Status"); `c` is the claims row.
STATUS_SQL = """(
    SELECT CASE
        WHEN count(*) = 0 THEN 'unanswered'
        WHEN count(CASE WHEN r.stance IN ('refutes', 'disputes') THEN 1 END) > 0
             AND count(CASE WHEN r.stance = 'supports' THEN 1 END) > 0 THEN 'mixed'
        WHEN count(CASE WHEN r.stance IN ('refutes', 'disputes') THEN 1 END) > 0
            THEN 'contested'
        WHEN count(CASE WHEN r.stance = 'supports' THEN 1 END) > 0 THEN 'supported'
        ELSE 'qualified'
    END
    FROM responses r WHERE r.target_id = c.id
)"""

# The stances that attack the claim they answer, as an SQL list.
ATTACK_STANCES = "(" + ", ".join(f"'{stance.value}'" for stance in sorted(ATTACKS)) + ")"

# The WHERE clause of `filter_sql` without filters: it keeps every claim.
EVERY_CLAIM = "1 = 1"

# The primary key columns of each table, so the change log can name any row it records.
KEYS = {
    "actors": ("id",),
    "sources": ("id",),
    "claims": ("id",),
    "claim_sources": ("claim_id", "source_id"),
    "claim_tags": ("claim_id", "tag"),
    "responses": ("response_id", "target_id"),
    "verdicts": ("claim_id",),
}
# A change-log key {RANGE: [first, last]} stands for every row of its table numbered in that
# range, all inserted by the change (an import): one log row instead of one per row.
RANGE = "rowids"
# The column that numbers each table's rows in the order they were inserted: SQLite's rowid
# (which `id` and a verdict's `claim_id` stand for), a real column of that name on PostgreSQL.
ROW_NUMBER = {
    "actors": "id",
    "sources": "id",
    "claims": "id",
    "claim_sources": "rowid",
    "claim_tags": "rowid",
    "responses": "rowid",
    "verdicts": "claim_id",
}


def now() -> str:
    """The current UTC time as stored in `created` and `updated`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_id(conn: Connection, url: str | None, title: str | None) -> int | None:
    """The id of the source with this (normalised) URL, else of the one without a URL with this
    title; None if there is none."""
    if url is not None:
        row = conn.execute("SELECT id FROM sources WHERE url = ?", (url,)).fetchone()
    else:
        row = conn.execute(
            "SELECT id FROM sources WHERE url IS NULL AND title = ?", (title,)
        ).fetchone()
    return row[0] if row else None


@dataclass
class Transaction:
    """One write in progress: every row change goes through here and is kept for the log."""

    conn: Connection
    action: str
    claim_id: int | None = None
    summary: str = ""
    rows: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    change_id: int | None = None  # set once the change-log entry is written
    # Bulk writes log their rows by SQL: (len(rows) when logged, SELECT, parameters).
    logged_by_sql: list[tuple[int, str, tuple]] = field(default_factory=list)

    def log_by_sql(self, select: str, params: tuple = ()) -> None:
        """Log the rows `select` yields as (tbl, key, before, after), in this place of the order.

        For bulk writes: SQLite builds the images, so Python does no per-row work. The SELECT
        runs at commit, so it must describe rows as the transaction leaves them.
        """
        self.logged_by_sql.append((len(self.rows), select, params))

    def _record(self, table: str, row: dict, before: dict | None, after: dict | None) -> None:
        key = json.dumps({k: row[k] for k in KEYS[table]}, ensure_ascii=False)
        self.rows.append(
            (
                table,
                key,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            )
        )

    def select(self, table: str, key: dict) -> dict | None:
        """The row of `table` with primary key `key`, or None."""
        where = " AND ".join(f"{k} = ?" for k in key)
        # Tags and links are listed in rowid order, so their rows keep their rowid in the log:
        # undo puts a row back where it was, not at the end.
        columns = "rowid, *" if ROW_NUMBER[table] == "rowid" else "*"
        cursor = self.conn.execute(
            f"SELECT {columns} FROM {table} WHERE {where}", list(key.values())
        )
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def insert(self, table: str, row: dict) -> int:
        """Insert `row` into `table`; returns its id (0 for a table keyed otherwise)."""
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        after = dict(row)
        if KEYS[table] == ("id",):
            after["id"] = self.conn.execute(sql + " RETURNING id", list(row.values())).fetchone()[0]
        else:
            self.conn.execute(sql, list(row.values()))
        self._record(table, after, None, self.select(table, {k: after[k] for k in KEYS[table]}))
        return after.get("id", 0)

    def update(self, table: str, key: dict, values: dict) -> bool:
        """Set `values` in the row of `table` with primary key `key`; False if nothing changed."""
        before = self.select(table, key)
        if before is None:
            raise NotFound(f"No {table} row {key}.")
        if all(before[k] == v for k, v in values.items()):
            return False
        sets = ", ".join(f"{k} = ?" for k in values)
        where = " AND ".join(f"{k} = ?" for k in key)
        self.conn.execute(
            f"UPDATE {table} SET {sets} WHERE {where}", [*values.values(), *key.values()]
        )
        self._record(table, before, before, self.select(table, key))
        return True

    def delete(self, table: str, key: dict) -> dict | None:
        """Delete the row of `table` with primary key `key`; returns what it held, or None."""
        before = self.select(table, key)
        if before is None:
            return None
        where = " AND ".join(f"{k} = ?" for k in key)
        self.conn.execute(f"DELETE FROM {table} WHERE {where}", list(key.values()))
        self._record(table, before, before, None)
        return before


class StoreBase:
    """The connection and what every area of the store uses: the write path, actors and sources
    as writes meet them, and claims as read."""

    def __init__(self, conn: Connection, path: Path | str | None = None, sql: Dialect = SQLITE):
        self.conn = conn
        self.path = path  # a file's Path, or a PostgreSQL database's URL
        self.sql = sql
        self.as_of_day: str | None = None  # set by `as_of`: the record is read as on this day
        # What --by, --side and --tag matched, until the next write (`name_matches`).
        self._matched: dict[tuple[str, str], NameMatch] = {}
        self.missing = False  # there is no database at `path`: an empty one is read instead

    @classmethod
    def open(cls, path: Path | str, writes: bool = True) -> Self:
        """Open the database at `path` (a file, or a PostgreSQL URL), creating and migrating
        it as needed; with `writes=False`, only read it, creating nothing
        (`claimtrack.db.connect`)."""
        opened = connect(path, writes)
        store = cls(opened.conn, path, opened.sql)
        store.missing = opened.missing
        return store

    @property
    def location(self) -> str:
        """Where the database is, as shown to people: a file's path, or a URL without its
        password."""
        if isinstance(self.path, str):
            from claimtrack.postgres import shown

            return shown(self.path)
        return str(self.path)

    def close(self) -> None:
        """Close the database file."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the write path ---------------------------------------------------------------------

    @contextmanager
    def write(self, action: str) -> Iterator[Transaction]:
        """One write: BEGIN IMMEDIATE, the changes, their change-log entry, COMMIT (or nothing)."""
        self.sql.begin_write(self.conn)
        self._matched.clear()
        tx = Transaction(self.conn, action)
        try:
            yield tx
            self._refold_search()
            if tx.rows or tx.logged_by_sql:
                change_id = tx.change_id = self.conn.execute(
                    "INSERT INTO changes (at, action, claim_id, summary) VALUES (?, ?, ?, ?)"
                    " RETURNING id",
                    (now(), tx.action, tx.claim_id, tx.summary),
                ).fetchone()[0]
                insert = "INSERT INTO change_rows (change_id, seq, tbl, key, before, after)"
                seq = done = 0
                # Rows recorded one by one and rows logged by SQL, numbered in the order of
                # their changes, so that undo (newest first) meets children before parents.
                for position, select, params in [*tx.logged_by_sql, (len(tx.rows), "", ())]:
                    batch = tx.rows[done:position]
                    self.conn.executemany(
                        insert + " VALUES (?, ?, ?, ?, ?, ?)",
                        [(change_id, seq + index, *row) for index, row in enumerate(batch)],
                    )
                    seq, done = seq + len(batch), position
                    if select:
                        seq += self.conn.execute(
                            f"{insert} SELECT ?, ? + row_number() OVER () - 1, *"
                            f" FROM ({select}) logged",
                            (change_id, seq, *params),
                        ).rowcount
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _refold_search(self) -> None:
        """Index, folded in Python, the claims written since the last fold, by claimtrack or
        by any other program: triggers note them in `search_refold` (migration 0004)."""
        if not self.conn.execute(f"SELECT 1 FROM {SEARCH_REFOLD} LIMIT 1").fetchone():
            return
        pending = self.conn.execute(
            f"""SELECT c.id, c.text, c.quote, c.note
                FROM {SEARCH_REFOLD} p JOIN claims c ON c.id = p.claim_id ORDER BY c.id"""
        )
        while batch := pending.fetchmany(10_000):
            self.sql.index(self.conn, [folded(row) for row in batch])
        self.conn.execute(f"DELETE FROM {SEARCH_REFOLD}")

    # -- actors and sources -----------------------------------------------------------------

    def actor_for(self, tx: Transaction, name: str, side: str | None) -> tuple[int, list[str]]:
        """The id of the actor called `name`, created if new; `side` is set if it had none."""
        name = nfc(name).strip()
        if not name:
            raise InvalidInput("The claimant (--by) is empty: name who made the claim.")
        if side is not None:
            side = nfc(side).strip() or None
        row = self.conn.execute(
            "SELECT id, name, side FROM actors WHERE key = ?", (name_key(name),)
        ).fetchone()
        if row is None:
            actor_id = tx.insert(
                "actors",
                {
                    "name": name,
                    "key": name_key(name),
                    "side": side,
                    "side_key": name_key(side) if side else None,
                },
            )
            where = f", side {side}" if side else ""
            return actor_id, [f"New actor: {name}{where}."]
        actor_id, known_name, known_side = row
        if side is None or (known_side and name_key(known_side) == name_key(side)):
            return actor_id, []
        if known_side:
            raise InvalidInput(
                f"{known_name} is on side {known_side}, not {side}. To change the side, run "
                f"`claimtrack actor edit {json.dumps(known_name, ensure_ascii=False)} "
                f"--side {json.dumps(side, ensure_ascii=False)}`."
            )
        tx.update("actors", {"id": actor_id}, {"side": side, "side_key": name_key(side)})
        return actor_id, [f"{known_name} is now on side {side}."]

    def source_for(self, tx: Transaction, value: str) -> int:
        """The id of the source with this URL (normalised) or title, created if new."""
        url, title = source_identity(value)
        found = source_id(self.conn, url, title)
        return found if found is not None else tx.insert("sources", {"url": url, "title": title})

    # -- reading ----------------------------------------------------------------------------

    def get(self, claim_id: int) -> Claim:
        """The claim with this id, or NotFound."""
        found = self.claims([claim_id])
        if claim_id not in found:
            self.require_claim(claim_id)
        return found[claim_id]

    def claims(self, ids: Iterable[int]) -> dict[int, Claim]:
        """The claims with these ids, with their sources, tags, links and status, by id."""
        ids_json = json.dumps(sorted(set(ids)))
        inside = f"IN ({self.sql.ints()})"
        result: dict[int, Claim] = {}
        for row in self.conn.execute(
            f"""SELECT c.id, c.uid, c.text, a.name, a.side, c.said_on, c.quote, c.note,
                       {STATUS_SQL}, c.created, c.updated
                FROM claims c JOIN actors a ON a.id = c.actor_id WHERE c.id {inside}""",
            (ids_json,),
        ):
            claim_id, uid, text, by, side, on, quote, note, status, created, updated = row
            result[claim_id] = Claim(
                id=claim_id,
                uid=uid,
                text=text,
                by=by,
                side=side,
                on=on,
                quote=quote,
                note=note,
                status=Status(status),
                created=created,
                updated=updated,
            )
        for claim_id, tag in self.conn.execute(
            f"SELECT claim_id, tag FROM claim_tags WHERE claim_id {inside} ORDER BY rowid",
            (ids_json,),
        ):
            result[claim_id].tags.append(tag)
        self._add_links(result, ids_json)
        return result

    def _add_links(self, found: dict[int, Claim], ids_json: str) -> None:
        """Fill in the claims' sources, links, verdicts and standing."""
        inside = f"IN ({self.sql.ints()})"
        for claim_id, *source in self.conn.execute(
            f"""SELECT cs.claim_id, s.url, s.title, s.outlet, s.published, s.archived_url
                FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
                WHERE cs.claim_id {inside} ORDER BY cs.claim_id, cs.position""",
            (ids_json,),
        ):
            found[claim_id].sources.append(SourceRef(*source))
        for response_id, target_id, stance in self.conn.execute(
            f"""SELECT response_id, target_id, stance FROM responses
                WHERE response_id {inside} ORDER BY rowid""",
            (ids_json,),
        ):
            found[response_id].responds_to.append(ResponseRef(target_id, Stance(stance)))
        for claim_id, label, value, best, worst in self.conn.execute(
            f"SELECT claim_id, label, value, best, worst FROM verdicts WHERE claim_id {inside}",
            (ids_json,),
        ):
            found[claim_id].verdict = Verdict(label, value, best, worst)
        for target_id, review_id, by, label, on in self.conn.execute(
            f"""SELECT r.target_id, r.response_id, a.name, v.label, c.said_on
                FROM responses r JOIN verdicts v ON v.claim_id = r.response_id
                JOIN claims c ON c.id = r.response_id JOIN actors a ON a.id = c.actor_id
                WHERE r.target_id {inside}
                ORDER BY r.target_id, c.said_on NULLS FIRST, r.response_id""",
            (ids_json,),
        ):
            found[target_id].verdicts.append(VerdictRef(review_id, by, label, on))
        for claim_id, standing in self.standings_of(ids_json).items():
            if claim_id in found:
                found[claim_id].standing = standing

    def standings_of(self, ids_json: str) -> dict[int, Standing]:
        """The standing of the claims in this JSON list of ids (and of their attackers)."""
        ids = json.loads(ids_json)
        return standings(self.attacks_below(ids_json), ids)

    def matching_ids(
        self, sql: str, params: list, filters: ClaimFilter, limit: int | None = None
    ) -> list[int]:
        """The ids `sql` selects, in its order, at most `limit` of them, kept to the claims of
        the standing `filters` asks for. Standing is computed, not stored, so that filter is
        applied here, after the SQL ones."""
        if filters.standing is None:
            if limit is not None:
                sql, params = sql + " LIMIT ?", [*params, limit]
            return [row[0] for row in self.conn.execute(sql, params)]
        ids = [row[0] for row in self.conn.execute(sql, params)]
        standing = self.standings_of(json.dumps(ids))
        kept = [claim_id for claim_id in ids if standing[claim_id] is filters.standing]
        return kept if limit is None else kept[:limit]

    def attacks_below(self, ids_json: str) -> list[tuple[int, int, str]]:
        """The attacks (refutes and disputes links) on these claims, on their attackers, and
        so on down: all that their standing depends on, as (response, target, stance)."""
        return self.conn.execute(
            f"""WITH RECURSIVE below(id) AS (
                    {self.sql.ints()}
                    UNION
                    SELECT r.response_id FROM responses r JOIN below b ON r.target_id = b.id
                    WHERE r.stance IN {ATTACK_STANCES}
                )
                SELECT r.response_id, r.target_id, r.stance
                FROM below b JOIN responses r ON r.target_id = b.id
                WHERE r.stance IN {ATTACK_STANCES}""",
            (ids_json,),
        ).fetchall()

    def name_matches(self, filters: ClaimFilter) -> dict[str, NameMatch]:
        """What `--by`, `--side` and `--tag` matched among the recorded names (README
        "Folding"): a whole name, else names holding every word typed (for `--by`), else
        nothing, with the closest names as hints. Keyed by option, for those given."""
        sources = {
            "by": "SELECT name FROM actors",
            "side": "SELECT DISTINCT side FROM actors WHERE side IS NOT NULL",
            "tag": "SELECT DISTINCT tag FROM claim_tags",
        }
        found = {}
        for option, sql in sources.items():
            typed = getattr(filters, option)
            if typed is None:
                continue
            if (option, typed) not in self._matched:
                recorded = [row[0] for row in self.conn.execute(sql)]
                self._matched[option, typed] = match_name(typed, recorded, words=option == "by")
            found[option] = self._matched[option, typed]
        return found

    def filter_sql(self, filters: ClaimFilter) -> tuple[str, list]:
        """A WHERE clause over `claims c` for the shared filters, and its parameters."""
        clauses: list[str] = [EVERY_CLAIM]
        params: list = []
        # Names, sides and tags are matched in Python (`name_matches`): there are few of them
        # beside the claims, and no function of claimtrack's is needed inside the database.
        inside = f"IN ({self.sql.texts()})"
        for option, sql in (
            ("by", f"c.actor_id IN (SELECT id FROM actors WHERE name {inside})"),
            ("side", f"c.actor_id IN (SELECT id FROM actors WHERE side {inside})"),
            ("tag", f"c.id IN (SELECT claim_id FROM claim_tags WHERE tag {inside})"),
        ):
            if getattr(filters, option) is not None:
                clauses.append(sql)
                params.append(json.dumps(self.name_matches(filters)[option].names))
        if filters.status is not None:
            clauses.append(f"{STATUS_SQL} = ?")
            params.append(filters.status.value)
        # A partial date is in range if any part of it is: 2024-04 is since 2024-04-05 and
        # until 2024-04-05. The first comparison of each pair bounds the date index.
        if filters.since is not None:
            since = parse_partial_date(filters.since, "--since")
            clauses.append("c.said_on >= ? AND c.said_on >= substr(?, 1, length(c.said_on))")
            params.extend([self._earliest_in_range(since), since])
        if filters.verdict is not None:
            clauses.append(
                "c.id IN (SELECT r.target_id FROM responses r"
                " JOIN verdicts v ON v.claim_id = r.response_id WHERE v.label_key = ?)"
            )
            params.append(rating_key(filters.verdict))
        if filters.until is not None:
            # '~' sorts after digits and '-', so every date starting with `until` is below it.
            clauses.append("c.said_on <= ?")
            params.append(parse_partial_date(filters.until, "--until") + "~")
        return " AND ".join(clauses), params

    def _earliest_in_range(self, since: str) -> str:
        """The lowest date that can be in range from `since`: since itself, unless a claim is
        dated by its year or month alone (2024, 2024-04 for 2024-04-05), which sort before it;
        then the year. Read from the date index, so that a week does not read the year."""
        wider = [since[:length] for length in (4, 7) if len(since) > length]
        if (
            wider
            and self.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM claims WHERE said_on IN ({self.sql.texts()}))",
                (json.dumps(wider),),
            ).fetchone()[0]
        ):
            return since[:4]
        return since

    def kept_counts(self) -> tuple[int, int]:
        """The whole record's claims, and those of them that answer a claim, as the triggers
        keep them (migrations.RECORD_COUNTS): read, not counted. Not under `as_of`."""
        counts = dict(self.conn.execute(f"SELECT name, n FROM {RECORD_COUNTS}").fetchall())
        return counts["claims"], counts["answering"]

    def require_claim(self, claim_id: int) -> None:
        """NotFound unless a claim with this id is recorded."""
        if self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim_id,)).fetchone():
            return
        if (
            self.as_of_day
            and self.conn.execute(
                f"SELECT 1 FROM {self.sql.main}.claims WHERE id = ?", (claim_id,)
            ).fetchone()
        ):
            raise NotFound(
                f"Claim #{claim_id} was said after {self.as_of_day} or is undated, so it is not "
                f"in the record as of then. Leave out --as-of to see it."
            )
        raise NotFound(
            f"There is no claim #{claim_id}. Run `claimtrack list` to see the claims' ids."
        )

    def find_source(
        self, value: str, claim_id: int | None = None
    ) -> tuple[int, str | None, str | None] | None:
        """The source (id, url, title) named by a URL or a title (among a claim's), or None.

        A title names a source without URL first; a title shared by several URL sources is
        ambiguous and refused.
        """
        url, title = source_identity(value)
        params: list[str | int] = [url] if url is not None else [title or ""]
        sql = "SELECT id, url, title FROM sources WHERE " + ("url" if url else "title") + " = ?"
        if claim_id is not None:
            sql += " AND id IN (SELECT source_id FROM claim_sources WHERE claim_id = ?)"
            params.append(claim_id)
        rows = self.conn.execute(sql + " ORDER BY url IS NOT NULL, id", params).fetchall()
        if len(rows) > 1 and rows[0][1] is not None:
            urls = ", ".join(row[1] for row in rows)
            raise InvalidInput(f"Several sources are titled {title!r} ({urls}): give the URL.")
        return rows[0] if rows else None
