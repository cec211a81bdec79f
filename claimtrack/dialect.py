"""The SQL that differs between the two engines, SQLite and PostgreSQL: here only.

Everything else the store says is written once, in SQL both engines read. A store reaches its
engine's differences through `StoreBase.sql`, a `Dialect`: how a write and a snapshot begin,
how a JSON list parameter becomes a set of values, how a field of a JSON cell is read, which
schema holds the tables, how the search index is filled and queried, and how ids are reserved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.fold import fold
from claimtrack.query import words

if TYPE_CHECKING:
    from claimtrack.query import SearchQuery


class Connection(Protocol):
    """What the store asks of a connection: sqlite3's, or `claimtrack.postgres.PgConnection`."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Any], /) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...

    def close(self) -> None: ...


# A claim as the search index holds it: its id and its text, quote and note, folded.
Indexed = tuple[int, str | None, str | None, str | None]


def folded(row: tuple[int, str | None, str | None, str | None]) -> Indexed:
    """A claim's (id, text, quote, note) folded for the search index (`claimtrack.fold`)."""
    claim_id, *texts = row
    text, quote, note = (None if value is None else fold(value) for value in texts)
    return claim_id, text, quote, note


# A random (version 4) UUID, made by SQLite.
_UUID4 = """(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
    || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
    || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"""
# SQLite's page cache during a bulk write (negative: in KiB, so 64 MiB).
_IMPORT_CACHE_KIB = -65536


class Dialect:
    """SQLite's SQL, where it differs from PostgreSQL's (`PostgresDialect`)."""

    name = "SQLite"
    # Where the tables live, and where a connection's own temporary views shadow them.
    main = "main"
    temp = "temp"
    # The LIMIT that means no limit.
    no_limit: int | None = -1

    def begin_write(self, conn: Connection) -> None:
        """Begin a write: it holds the database's one write lock until it ends, so writers
        take turns and each sees what the one before it committed."""
        conn.execute("BEGIN IMMEDIATE")

    def begin_snapshot(self, conn: Connection) -> None:
        """Begin a read that sees one committed state throughout (an export)."""
        conn.execute("BEGIN")

    def applied_steps(self, conn: Connection) -> list[str]:
        """The names of the schema steps applied to the database, oldest first."""
        from claimtrack.db import applied_steps

        return applied_steps(conn)  # type: ignore[arg-type]

    def ints(self) -> str:
        """A subquery of the integers of a JSON list given as one parameter."""
        return "SELECT value FROM json_each(?)"

    def texts(self) -> str:
        """A subquery of the strings of a JSON list given as one parameter."""
        return "SELECT value FROM json_each(?)"

    def json_int(self, column: str, key: str, index: int | None = None) -> str:
        """The integer at `key` (and `index` in the list there) of a JSON object column."""
        path = f"$.{key}" + ("" if index is None else f"[{index}]")
        return f"json_extract({column}, '{path}')"

    def json_list(self, column: str, key: str) -> str:
        """A subquery of the values in the list at `key` of a JSON object column."""
        return f"SELECT value FROM json_each({column}, '$.{key}')"

    def reserve_ids(self, conn: Connection, table: str, count: int) -> int:
        """The first of `count` new ids for `table`, which no row has had (the caller inserts
        them explicitly, inside a write)."""
        return self.last_id(conn, table) + 1

    def same(self, left: str, right: str) -> str:
        """Whether two values are equal, NULL equal to NULL."""
        return f"{left} IS {right}"

    def differ(self, left: str, right: str) -> str:
        """Whether two values differ, NULL differing from any value but NULL."""
        return f"{left} IS NOT {right}"

    def joined(self, value: str, separator: str, order: str) -> str:
        """The aggregate of `value` as text joined by `separator` (an SQL string), in the order
        of `order`, which is also the order of the rows aggregated (SQLite keeps a subquery's)."""
        return f"group_concat({value}, {separator})"

    def json_array_agg(self, value: str, order: str) -> str:
        """The aggregate of `value` as a JSON array (`[]` for no rows), in the order of `order`,
        which is also the order of the rows aggregated."""
        return f"json_group_array({value})"

    def json_object(self, *pairs: str) -> str:
        """A JSON object of SQL (key, value) expressions, as text."""
        return f"json_object({', '.join(pairs)})"

    def json_items(self, column: str, alias: str) -> str:
        """A FROM item of the items of a JSON list column: `alias.value` as text, and
        `alias.key`, its place counted from 0."""
        return f"json_each({column}) AS {alias}"

    def uuid4(self) -> str:
        """An expression of a new random (version 4) UUID, as text."""
        return _UUID4

    def last_id(self, conn: Connection, table: str) -> int:
        """The highest id `table` has given a row, deleted or not (0 if none)."""
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        highest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        return max(highest, row[0] if row else 0)

    def ids_given(self, conn: Connection, table: str, highest: int) -> None:
        """Note that rows up to id `highest` were inserted with their ids given explicitly, so
        that later rows take higher ones (SQLite's AUTOINCREMENT notes it itself)."""

    @contextmanager
    def bulk_claims(self, conn: Connection, first: int) -> Iterator[None]:
        """Around a bulk insert of claims numbered from `first`: their search index entries
        are written in one statement after the insert rather than by the insert trigger row
        by row (the trigger is dropped and made again inside the write, so no other
        connection ever sees the schema without it)."""
        from claimtrack.migrations import SEARCH_FILL, SEARCH_INSERT_TRIGGER

        (trigger,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (SEARCH_INSERT_TRIGGER,),
        ).fetchone()
        conn.execute(f"DROP TRIGGER {SEARCH_INSERT_TRIGGER}")
        yield
        conn.execute(trigger)
        conn.execute(f"{SEARCH_FILL} WHERE id >= ?", (first,))

    @contextmanager
    def bulk_write(self, conn: Connection) -> Iterator[None]:
        """Around a bulk write (an import): a bigger page cache (bounded, and only filled as
        needed). With the default 2 MB, a million claims take a third longer to import,
        re-reading index pages (uid, search) just written out."""
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cache_size = {cache}")

    def analyze(self, conn: Connection, *tables: str) -> None:
        """Have the planner count the rows of tables just filled (SQLite plans without)."""

    def insert_rows(
        self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]
    ) -> None:
        """Insert many rows into `table` at once (a bulk write's batch)."""
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    # -- the search index -------------------------------------------------------------------

    def index(self, conn: Connection, rows: list[Indexed]) -> None:
        """Put these folded claims in the search index, in place of what it held for them."""
        conn.executemany("DELETE FROM claims_fts WHERE rowid = ?", [(row[0],) for row in rows])
        conn.executemany(
            "INSERT INTO claims_fts (rowid, text, quote, note) VALUES (?, ?, ?, ?)", rows
        )

    def search_sql(self, where: str | None) -> str:
        """The matches of the query (the first parameter) among the claims `where` keeps (None:
        every claim), as (id, rank: lower is better), newest first, with a LIMIT to fill in."""
        # Every row of the index is a claim's: without a filter, the claims are not read (a
        # third of the time of ranking ten thousand matches).
        if where is None:
            return """SELECT rowid, rank FROM claims_fts WHERE claims_fts MATCH ?
                      ORDER BY rowid DESC LIMIT ?"""
        return f"""SELECT c.id, claims_fts.rank
                   FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                   WHERE claims_fts MATCH ? AND {where}
                   ORDER BY claims_fts.rowid DESC LIMIT ?"""

    def search_param(self, query: SearchQuery) -> str:
        """The query as `search_sql`'s first parameter."""
        return query.fts


class PostgresDialect(Dialect):
    """PostgreSQL's SQL, where it differs from SQLite's."""

    name = "PostgreSQL"
    main = "public"
    temp = "pg_temp"
    no_limit = None
    # Every write takes this advisory lock first: the one write lock of SQLite, on PostgreSQL.
    WRITE_LOCK = 0x636C61696D  # "claim"

    def begin_write(self, conn: Connection) -> None:
        conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        conn.execute("SELECT pg_advisory_xact_lock(?)", (self.WRITE_LOCK,))

    def begin_snapshot(self, conn: Connection) -> None:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # An export reads a batch of threads at a time, each statement a few hundred claims
        # found through the indexes. The planner cannot see how few ids a JSON list holds and
        # would hash the whole links table for every batch: at 100k claims, most of the time.
        conn.execute("SET LOCAL enable_hashjoin = off")
        conn.execute("SET LOCAL enable_mergejoin = off")

    def applied_steps(self, conn: Connection) -> list[str]:
        from claimtrack.postgres import applied_steps

        return applied_steps(conn)  # type: ignore[arg-type]

    def ints(self) -> str:
        return "SELECT value::bigint FROM json_array_elements_text(CAST(? AS json))"

    def texts(self) -> str:
        return "SELECT value FROM json_array_elements_text(CAST(? AS json))"

    def json_int(self, column: str, key: str, index: int | None = None) -> str:
        path = key if index is None else f"{key},{index}"
        return f"CAST(CAST({column} AS json) #>> '{{{path}}}' AS bigint)"

    def json_list(self, column: str, key: str) -> str:
        return (
            f"SELECT value::bigint FROM json_array_elements_text(CAST({column} AS json) -> '{key}')"
        )

    def reserve_ids(self, conn: Connection, table: str, count: int) -> int:
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        first = conn.execute(f"SELECT nextval({sequence})").fetchone()[0]
        if count > 1:
            conn.execute(f"SELECT setval({sequence}, ?)", (first + count - 1,))
        return first

    def same(self, left: str, right: str) -> str:
        return f"{left} IS NOT DISTINCT FROM {right}"

    def differ(self, left: str, right: str) -> str:
        return f"{left} IS DISTINCT FROM {right}"

    def joined(self, value: str, separator: str, order: str) -> str:
        return f"string_agg({value}, {separator} ORDER BY {order})"

    def json_array_agg(self, value: str, order: str) -> str:
        return f"coalesce(json_agg({value} ORDER BY {order}), CAST('[]' AS json))"

    def json_object(self, *pairs: str) -> str:
        return f"CAST(json_build_object({', '.join(pairs)}) AS text)"

    def json_items(self, column: str, alias: str) -> str:
        return (
            f"LATERAL (SELECT item.value, item.place - 1 AS key FROM json_array_elements_text("
            f"CAST({column} AS json)) WITH ORDINALITY AS item(value, place)) AS {alias}"
        )

    def uuid4(self) -> str:
        return "CAST(gen_random_uuid() AS text)"

    def last_id(self, conn: Connection, table: str) -> int:
        sequence = f"CAST(pg_get_serial_sequence('{table}', 'id') AS regclass)"
        return conn.execute(f"SELECT coalesce(pg_sequence_last_value({sequence}), 0)").fetchone()[0]

    def ids_given(self, conn: Connection, table: str, highest: int) -> None:
        if highest > self.last_id(conn, table):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ?)", (highest,))

    @contextmanager
    def bulk_claims(self, conn: Connection, first: int) -> Iterator[None]:
        # The insert trigger notes each claim in `search_refold`, and the write folds them.
        yield

    @contextmanager
    def bulk_write(self, conn: Connection) -> Iterator[None]:
        yield
        # Fresh statistics for the planner, which would otherwise take the tables for as small
        # as they were until autovacuum comes by (a later export reads them five times slower).
        self.analyze(conn, "actors", "sources", "claims", "claim_sources", "claim_tags")
        self.analyze(conn, "responses", "verdicts", "claims_fts", "changes", "change_rows")

    def analyze(self, conn: Connection, *tables: str) -> None:
        conn.execute(f"ANALYZE {', '.join(tables)}")

    def insert_rows(
        self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]
    ) -> None:
        conn.copy_rows(table, columns, rows)  # type: ignore[attr-defined]

    def index(self, conn: Connection, rows: list[Indexed]) -> None:
        conn.execute(
            f"DELETE FROM claims_fts WHERE claim_id IN ({self.ints()})",
            (json.dumps([row[0] for row in rows]),),
        )
        self.insert_rows(
            conn, "claims_fts", ("claim_id", "document"), [(r[0], document(r[1:])) for r in rows]
        )

    def search_sql(self, where: str | None) -> str:
        claims = "" if where is None else f"JOIN claims c ON c.id = f.claim_id WHERE {where}"
        return f"""SELECT f.claim_id, -ts_rank(f.document, query.q) AS rank
                   FROM (SELECT CAST(? AS tsquery) AS q) query
                   JOIN claims_fts f ON f.document @@ query.q
                   {claims}
                   ORDER BY f.claim_id DESC LIMIT ?"""

    def search_param(self, query: SearchQuery) -> str:
        return query.tsquery


SQLITE = Dialect()
POSTGRES = PostgresDialect()

# PostgreSQL keeps a word's positions up to this one; later words share it.
_LAST_POSITION = 16383


def document(texts: Iterable[str | None]) -> str:
    """Folded texts as a PostgreSQL `tsvector`, split into words as the SQLite index splits
    them (`claimtrack.query.words`), each word with its positions, so that phrases match.
    A gap between the texts keeps a phrase from running from one into the next."""
    positions: dict[str, str] = {}
    position = 0
    for text in texts:
        if text is None:
            continue
        for word in words(text):
            position = min(position + 1, _LAST_POSITION)
            # PostgreSQL keeps at most 256 positions of a word (and counts them here).
            places = positions.get(word)
            if places is None:
                positions[word] = str(position)
            elif places.count(",") < 255:
                positions[word] = f"{places},{position}"
        position += 1
    # A word holds no quote or backslash (they split words), so it needs no escaping.
    return " ".join(f"'{word}':{places}" for word, places in positions.items())
