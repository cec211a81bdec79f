"""The SQL that differs between the two engines, SQLite and PostgreSQL: here only.

Everything else the store says is written once, in SQL both engines read. A store reaches its
engine's differences through `StoreBase.sql`, a `Dialect`: how a write and a snapshot begin,
how a JSON list parameter becomes a set of values, how a field of a JSON cell is read, which
schema holds the tables, how the search index is filled and queried, and how ids are reserved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.fold import fold
from claimtrack.query import lexeme, word_spans

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
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        highest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        return max(highest, row[0] if row else 0) + 1

    # -- the search index -------------------------------------------------------------------

    def index(self, conn: Connection, rows: list[Indexed]) -> None:
        """Put these folded claims in the search index, in place of what it held for them."""
        conn.executemany("DELETE FROM claims_fts WHERE rowid = ?", [(row[0],) for row in rows])
        conn.executemany(
            "INSERT INTO claims_fts (rowid, text, quote, note) VALUES (?, ?, ?, ?)", rows
        )

    def search_sql(self, where: str) -> str:
        """The matches of the query (the first parameter) among the claims `where` keeps, as
        (id, rank: lower is better), newest first, with a LIMIT to fill in."""
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

    def index(self, conn: Connection, rows: list[Indexed]) -> None:
        conn.executemany(
            """INSERT INTO claims_fts (claim_id, document) VALUES (?, CAST(? AS tsvector))
               ON CONFLICT (claim_id) DO UPDATE SET document = excluded.document""",
            [(row[0], document(row[1:])) for row in rows],
        )

    def search_sql(self, where: str) -> str:
        return f"""SELECT c.id, -ts_rank(f.document, query.q) AS rank
                   FROM (SELECT CAST(? AS tsquery) AS q) query
                   JOIN claims_fts f ON f.document @@ query.q
                   JOIN claims c ON c.id = f.claim_id
                   WHERE {where}
                   ORDER BY f.claim_id DESC LIMIT ?"""

    def search_param(self, query: SearchQuery) -> str:
        return query.tsquery


SQLITE = Dialect()
POSTGRES = PostgresDialect()

# PostgreSQL keeps a word's positions up to this one; later words share it.
_LAST_POSITION = 16383


def document(texts: Iterable[str | None]) -> str:
    """Folded texts as a PostgreSQL `tsvector`, split into words as the SQLite index splits
    them (`claimtrack.query.word_spans`), each word with its positions, so that phrases match.
    A gap between the texts keeps a phrase from running from one into the next."""
    positions: dict[str, list[int]] = {}
    position = 0
    for text in texts:
        if text is None:
            continue
        for start, end in word_spans(text):
            position = min(position + 1, _LAST_POSITION)
            positions.setdefault(text[start:end], []).append(position)
        position += 1
    # PostgreSQL keeps at most 256 positions of a word.
    return " ".join(
        f"{lexeme(word)}:{','.join(map(str, places[:256]))}" for word, places in positions.items()
    )
