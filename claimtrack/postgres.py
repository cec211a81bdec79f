"""A team's database on PostgreSQL: connecting, migrating, and a connection the store can use
as it uses SQLite's.

The store writes its SQL once, with `?` placeholders, and asks `claimtrack.dialect` for the
little that differs. `PgConnection` gives it a psycopg connection with sqlite3's shape:
`execute` and `executemany` taking `?` (or `:name`) placeholders, cursors with `fetchone`,
`fetchall`, `fetchmany`, `description` and `rowcount`, and `in_transaction`. psycopg (the
`postgres` extra) is imported only when a URL is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from claimtrack.errors import DatabaseProblem, InvalidInput
from claimtrack.migrations import STEPS
from claimtrack.postgres_schema import PG_STEPS

if TYPE_CHECKING:
    import psycopg

URL_SCHEMES = ("postgresql", "postgres")
# The table that records the schema steps applied, as sqlite-utils' `_sqlite_migrations` does
# in a SQLite file.
STEPS_TABLE = "claimtrack_migrations"
# Taken (for the transaction) by whoever migrates, so that clients starting at once migrate once.
MIGRATION_LOCK = 0x6D696772  # "migr"
CONNECT_TIMEOUT_S = 10


def is_url(location: str) -> bool:
    """Whether `--db` or CLAIMTRACK_DB names a PostgreSQL database rather than a file."""
    return location.split("://", 1)[0].lower() in URL_SCHEMES and "://" in location


def shown(url: str) -> str:
    """The URL without its password, as `info` and every message show it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{user}:***@{host}{port}" if user else f"***@{host}{port}"
    return parts._replace(netloc=netloc).geturl()


# A `?` or `:name` placeholder outside quotes and comments, a literal `%`, or a quoted part.
_SQL_PART = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|::|\?|:[A-Za-z_]\w*|%")


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """SQLite's placeholders as psycopg's: `?` as `%s`, `:name` as `%(name)s`, `%` as `%%`."""

    def replace(match: re.Match[str]) -> str:
        part = match.group()
        if part.startswith("'"):
            # A string literal: no placeholders in it, but psycopg reads its % too.
            return part.replace("%", "%%")
        if part == "?":
            return "%s"
        if part == "%":
            return "%%"
        if part.startswith(":") and part != "::":
            return f"%({part[1:]})s"
        return part

    return _SQL_PART.sub(replace, sql)


class PgCursor:
    """A psycopg cursor with sqlite3's shape."""

    def __init__(self, cursor: psycopg.Cursor):
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> list[tuple[str, ...]] | None:
        columns = self._cursor.description
        return None if columns is None else [(column.name,) for column in columns]

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int) -> list[tuple]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cursor) if self._cursor.description else iter(())


class PgConnection:
    """A psycopg connection (in autocommit mode: the store begins and ends its transactions)
    with sqlite3's shape."""

    def __init__(self, raw: psycopg.Connection, url: str):
        self.raw = raw
        self.url = url

    def execute(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> PgCursor:
        cursor = self.raw.cursor()
        values = params if isinstance(params, Mapping) else tuple(params)
        _refuse_nul(values.values() if isinstance(values, Mapping) else values)
        cursor.execute(translate(sql), values or None)
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Iterable[Any]) -> PgCursor:
        cursor = self.raw.cursor()
        listed = [tuple(row) for row in rows]
        for row in listed:
            _refuse_nul(row)
        cursor.executemany(translate(sql), listed)
        return PgCursor(cursor)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def _refuse_nul(values: Iterable[Any]) -> None:
    """InvalidInput for text holding NUL, which PostgreSQL's text cannot hold (SQLite's can):
    refused rather than changed."""
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(
                "PostgreSQL cannot store the NUL character (U+0000), which this text holds: "
                f"{value[:60]!r}. Remove it; a SQLite file (the default) can keep it."
            )


def connect(url: str) -> PgConnection:
    """Connect to the PostgreSQL database at `url`; DatabaseProblem naming what to check when
    the driver is missing, the server cannot be reached or it refuses the login."""
    try:
        import psycopg
    except ImportError:
        raise DatabaseProblem(
            f"{shown(url)} is a PostgreSQL database, and the PostgreSQL driver is not "
            "installed: pip install 'claimtrack[postgres]'."
        ) from None
    from psycopg.types.numeric import Int8Dumper

    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as err:
        raise refused(url, err) from None
    # Every Python int as a bigint, as the columns are: psycopg would send 1 as a smallint,
    # which PostgreSQL then keeps as the type of a recursive query's column.
    raw.adapters.register_dumper(int, Int8Dumper)
    return PgConnection(raw, url)


def refused(url: str, err: Exception) -> DatabaseProblem:
    """Why the server at `url` could not be used, and what to check."""
    detail = " ".join(str(err).split())
    lowered = detail.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        advice = "check the user name and password in the URL (or in ~/.pgpass)"
    elif "does not exist" in lowered and "database" in lowered:
        advice = "create the database first (createdb NAME), or check its name in the URL"
    elif "role" in lowered and "does not exist" in lowered:
        advice = "check the user name in the URL, or create the role (createuser NAME)"
    elif "permission denied" in lowered or "pg_hba.conf" in lowered:
        advice = "ask the database's administrator for access (pg_hba.conf, GRANT)"
    else:
        advice = "check that the server is running and that the host and port in the URL are right"
    return DatabaseProblem(
        f"Cannot use the PostgreSQL database {shown(url)}: {detail}. Nothing was written; {advice}."
    )


def explain(err: Exception, url: str) -> DatabaseProblem:
    """The message for a PostgreSQL error met while using the database at `url`."""
    import psycopg

    if isinstance(err, psycopg.OperationalError):
        return refused(url, err)
    detail = " ".join(str(err).split())
    return DatabaseProblem(
        f"The PostgreSQL database {shown(url)} could not be used: {detail}. Nothing was written."
    )


def applied_steps(conn: PgConnection) -> list[str]:
    """The names of the schema steps applied to this database, oldest first."""
    # Asked of the catalog by a query, which sees what other clients committed up to now
    # (to_regclass may answer from this session's cache, stale after another's migration).
    (found,) = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables"
        " WHERE schemaname = current_schema() AND tablename = ?)",
        (STEPS_TABLE,),
    ).fetchall()[0]
    if not found:
        return []
    return [name for (name,) in conn.execute(f"SELECT name FROM {STEPS_TABLE} ORDER BY seq")]


def has_other_tables(conn: PgConnection) -> list[str]:
    """The tables of the current schema, for a database with no claimtrack record."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name"
        )
    ]


def migrate(conn: PgConnection, url: str) -> None:
    """Apply the pending schema steps in one transaction, under a lock, so that any number of
    clients starting at once migrate once; refuse a schema this version does not know."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        steps = applied_steps(conn)
        check_known(conn, url, steps)
        if len(steps) < len(PG_STEPS):
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {STEPS_TABLE} ("
                "seq integer PRIMARY KEY, name text NOT NULL UNIQUE, applied_at text NOT NULL)"
            )
            for seq, (name, statements) in enumerate(PG_STEPS):
                if seq < len(steps):
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    f"INSERT INTO {STEPS_TABLE} (seq, name, applied_at) VALUES (?, ?, ?)",
                    (seq, name, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
                )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def check_known(conn: PgConnection, url: str, steps: list[str]) -> None:
    """DatabaseProblem for a database another program filled, or one a newer claimtrack made."""
    from claimtrack import __version__

    known = [name for name, _ in STEPS]
    if not steps:
        tables = has_other_tables(conn)
        if "claims" in tables:
            raise DatabaseProblem(
                f"The PostgreSQL database {shown(url)} has a claims table but no claimtrack "
                f"schema record ({STEPS_TABLE}): another program made it. It was left as it "
                "was; give another database, or another schema with ?options=-csearch_path=NAME."
            )
        return
    if steps != known[: len(steps)]:
        raise DatabaseProblem(
            f"The PostgreSQL database {shown(url)} has a claimtrack schema this version does "
            f"not know ({', '.join(steps)}); claimtrack {__version__} knows {len(known)} steps "
            f"({', '.join(known)}). A newer claimtrack made it: upgrade claimtrack "
            "(pip install -U claimtrack) to use it. It was left as it was."
        )
