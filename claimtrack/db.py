"""Where the database file is, opening it with the right pragmas, and migrating it: here only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from claimtrack.errors import DatabaseProblem
from claimtrack.fold import fold
from claimtrack.migrations import SET_NAME, STEPS, migration_set

ENV_VAR = "CLAIMTRACK_DB"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """The user data folder's `claims.db`."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("claimtrack")) / "claims.db"


def resolve_path(option: str | os.PathLike | None) -> Path:
    """The database file: `--db`, else `CLAIMTRACK_DB`, else the user data folder."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return default_path()


def _fold_sql(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """`fold` for SQL: text is folded, NULL (and any other value) passes through."""
    return fold(value) if isinstance(value, str) else value


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating it and its folder if needed) and migrate the database at `path`."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder; give the path of a database file instead.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # The search index's triggers call this on every write to claims (migration 0002).
        conn.create_function("claimtrack_fold", 1, _fold_sql, deterministic=True)
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if len(applied_steps(conn)) < len(STEPS):
            _migrate(conn)
    except sqlite3.DatabaseError as err:
        raise DatabaseProblem(
            f"Cannot use the database {path}: {err}. "
            "Check that it is a claimtrack database and that you may write to it."
        ) from None
    except OSError as err:
        raise DatabaseProblem(f"Cannot create the database {path}: {err.strerror}.") from None
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending schema steps with sqlite-utils, all in one transaction."""
    from sqlite_utils import Database

    # IMMEDIATE takes the write lock first, so concurrent first uses migrate once.
    conn.execute("BEGIN IMMEDIATE")
    try:
        migration_set().apply(Database(conn, execute_plugins=False))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def applied_steps(conn: sqlite3.Connection) -> list[str]:
    """The names of the schema steps applied to this database, oldest first."""
    known = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not known:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", (SET_NAME,)
    )
    return [name for (name,) in rows]
