"""Where the database file is, opening it with the right pragmas, and migrating it: here only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from claimtrack.errors import DatabaseProblem

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


def open_database(path: Path):
    """Open (creating it and its folder if needed) and migrate the database at `path`."""
    from sqlite_utils import Database

    from claimtrack.migrations import migrations

    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder; give the path of a database file instead.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if migrations.pending(db):
            # IMMEDIATE takes the write lock first, so concurrent first uses migrate once.
            conn.execute("BEGIN IMMEDIATE")
            try:
                migrations.apply(db)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
    except sqlite3.DatabaseError as err:
        raise DatabaseProblem(
            f"Cannot use the database {path}: {err}. "
            "Check that it is a claimtrack database and that you may write to it."
        ) from None
    except OSError as err:
        raise DatabaseProblem(f"Cannot create the database {path}: {err.strerror}.") from None
    return db


def schema_version(db) -> int:
    """How many schema versions have been applied to this database."""
    from claimtrack.migrations import migrations

    return len(migrations.applied(db))
