"""Where the database file is, opening it with the right pragmas, and migrating it: here only."""

from __future__ import annotations

import os
import random
import re
import shlex
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from claimtrack import __version__
from claimtrack.dialect import POSTGRES, SQLITE, Connection, Dialect
from claimtrack.errors import ClaimtrackError, DatabaseProblem, engine_errors
from claimtrack.fold import fold
from claimtrack.migrations import SET_NAME, STEPS, migration_set
from claimtrack.postgres import is_url

ENV_VAR = "CLAIMTRACK_DB"
BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """The user data folder's `claims.db`."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("claimtrack")) / "claims.db"


def resolve_path(option: str | os.PathLike | None) -> Path | str:
    """The database: `--db`, else `CLAIMTRACK_DB`, else the user data folder's file. A file is
    a Path; a PostgreSQL database is its URL, a str."""
    given = option or os.environ.get(ENV_VAR)
    if not given:
        return default_path()
    if is_url(str(given)):
        return str(given)
    return Path(given).expanduser()


def _fold_sql(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """`fold` for SQL: text is folded, NULL (and any other value) passes through."""
    return fold(value) if isinstance(value, str) else value


class Opened(NamedTuple):
    """A connection, whether there was no database at the path (it then reads as empty), and
    the engine's SQL where it differs."""

    conn: Connection
    missing: bool = False
    sql: Dialect = SQLITE


def open_database(path: Path, writes: bool = True) -> sqlite3.Connection:
    """The database at `path`, opened for writing (created with its folder and migrated as
    needed) or, with `writes=False`, for reading only (see `connect`)."""
    return _sqlite(connect(path, writes).conn)


def _sqlite(conn: Connection) -> sqlite3.Connection:
    assert isinstance(conn, sqlite3.Connection)
    return conn


def connect(path: Path | str, writes: bool = True) -> Opened:
    """Open the database at `path`: a SQLite file (`connect_file`) or, for a URL, a PostgreSQL
    database (`connect_postgres`)."""
    if isinstance(path, str):
        return connect_postgres(path, writes)
    return connect_file(path, writes)


def connect_postgres(url: str, writes: bool) -> Opened:
    """The PostgreSQL database at `url`, migrated in place. A database without claimtrack's
    schema reads as empty for a command that only reads, which then creates nothing."""
    from claimtrack import postgres

    conn = postgres.connect(url)
    try:
        steps = postgres.applied_steps(conn)
        if not steps and not writes:
            postgres.check_known(conn, url, steps)
            conn.close()
            return Opened(_empty(), missing=True)
        if len(steps) != len(STEPS):
            postgres.migrate(conn, url)
        return Opened(conn, sql=POSTGRES)
    except BaseException as err:
        conn.close()
        if isinstance(err, engine_errors()):
            raise postgres.refused(url, err) from None
        raise


def connect_file(path: Path, writes: bool = True) -> Opened:
    """Open the database at `path`, having first decided what the file is without changing it.

    A file that is not SQLite, a SQLite file another program made, and a claimtrack file with
    a schema step this version does not know are refused (DatabaseProblem), byte for byte as
    they were. For writing, a missing or empty file becomes a new claimtrack database. For
    reading (`writes=False`) nothing is ever created: a missing or empty file reads as an
    empty database in memory (`missing` is then true); a read-only file is opened read-only,
    and if its schema is older, read through an upgraded copy in memory.
    """
    try:
        head = _header(path)
        if head is None:
            return Opened(_empty(), missing=True) if not writes else Opened(_open(path, True))
        if not head.startswith(SQLITE_HEADER):
            raise DatabaseProblem(
                f"Cannot use the database {path}: it is not a SQLite file, so not a claimtrack "
                "database. It was left as it was; check the path given with --db or "
                "CLAIMTRACK_DB."
            )
        inspector, steps = _inspect(path, head)
        if not steps and not writes:  # a SQLite file without tables: no database yet
            inspector.close()
            return Opened(_empty(), missing=True)
        if writes or _writable(path):
            inspector.close()
            return Opened(_open(path, writes))
        try:
            _configure(inspector)
            if len(steps) == len(STEPS):
                return Opened(inspector)
            # An older schema in a file that cannot be written: read an upgraded copy.
            copy = sqlite3.connect(":memory:")
            inspector.backup(copy)
            inspector.close()
            _configure(copy)
            _migrate(copy)
            return Opened(copy)
        except BaseException:
            inspector.close()
            raise
    except sqlite3.Error as err:
        raise explain(err, path) from None


SQLITE_HEADER = b"SQLite format 3\x00"


def _header(path: Path) -> bytes | None:
    """The file's first 100 bytes (its SQLite header, if it is one), or None if there is no
    file at `path` or it is empty. Refuses paths that cannot hold a database file."""
    try:
        # Only a regular file: reading a pipe would wait for ever, a device is not a database.
        if path.exists() and not path.is_file() and not path.is_dir():
            raise DatabaseProblem(
                f"{path} is not a regular file (it is a device, a pipe or a socket); give the "
                "path of a database file with --db or CLAIMTRACK_DB."
            )
        with open(path, "rb") as file:
            return file.read(100) or None
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DatabaseProblem(
            f"{path} is a folder; give the path of a database file instead."
        ) from None
    except NotADirectoryError:
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
        raise DatabaseProblem(
            f"Cannot create the database {path}: {blocking} is a file, not a folder. "
            "Give another path with --db or CLAIMTRACK_DB."
        ) from None
    except OSError as err:
        raise DatabaseProblem(f"Cannot read the database {path}: {err.strerror}.") from None


def _inspect(path: Path, head: bytes) -> tuple[sqlite3.Connection, list[str]]:
    """A read-only connection to the SQLite file at `path`, and the claimtrack schema steps
    recorded in it (`_claimtrack_steps`), found without changing any file."""
    for attempt in (1, 2):
        uri = _read_only_uri(path, head)
        conn = sqlite3.connect(uri, uri=True, timeout=_timeout())
        try:
            return conn, _claimtrack_steps(conn, path)
        except sqlite3.DatabaseError:
            conn.close()
            # Read as immutable (no locks), the file can be checkpointed under us by a writer
            # that started after we looked for its -wal: look once more before saying damaged.
            if attempt == 2 or "immutable=1" not in uri:
                raise
            time.sleep(0.05)
            head = _header(path) or head
        except BaseException:
            conn.close()
            raise
    raise AssertionError("unreachable")


def _read_only_uri(path: Path, head: bytes) -> str:
    """A URI that reads `path` without creating or changing any file.

    In WAL mode (header bytes 18 and 19 are 2) a read-only connection creates the -wal and
    -shm files if they are missing; when there is no -wal, every committed page is in the file
    itself, so it is read as immutable instead, which creates nothing.
    """
    uri = "file:" + quote(os.path.abspath(path), safe="/") + "?mode=ro"
    if head[18:20] == b"\x02\x02" and not os.path.exists(f"{path}-wal"):
        uri += "&immutable=1"
    return uri


def _claimtrack_steps(conn: sqlite3.Connection, path: Path) -> list[str]:
    """The schema steps recorded in a claimtrack file ([] for a SQLite file with no tables);
    DatabaseProblem for a file another program made or a schema this version does not know."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage"
        )
    ]
    if not tables:
        return []
    steps = applied_steps(conn)
    if not steps:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise DatabaseProblem(
            f"{path} is a SQLite database that another program made (tables: {shown}), not a "
            "claimtrack database: it has no claimtrack schema record. It was left as it was; "
            "give the path of a claimtrack database, or a new one, with --db or CLAIMTRACK_DB."
        )
    known = [name for name, _ in STEPS]
    if steps != known[: len(steps)]:
        unknown = [step for step in steps if step not in known]
        found = (
            f"{len(steps)} schema steps, {len(unknown)} of them unknown here ({', '.join(unknown)})"
            if unknown
            else f"{len(steps)} schema steps in an order unknown here ({', '.join(steps)})"
        )
        raise DatabaseProblem(
            f"{path} has a claimtrack schema this version does not know: {found}; claimtrack "
            f"{__version__} knows {len(known)} ({', '.join(known)}). A newer claimtrack made or "
            "upgraded it: upgrade claimtrack (pip install -U claimtrack) to use it. "
            "The file was left as it was."
        )
    return steps


def _writable(path: Path) -> bool:
    """Whether the file and its folder (for the -wal and -shm files) may be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _timeout() -> float:
    return BUSY_TIMEOUT_MS / 1000


def _configure(conn: sqlite3.Connection) -> None:
    """What every connection needs: the busy timeout, foreign keys, the folding function."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # The search index's triggers call this on every write to claims (migration 0002).
    conn.create_function("claimtrack_fold", 1, _fold_sql, deterministic=True)


def _open(path: Path, writes: bool) -> sqlite3.Connection:
    """The claimtrack file (or a new one) at `path`, read-write, migrated; WAL when writing."""
    if writes:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise DatabaseProblem(f"Cannot create the database {path}: {err.strerror}.") from None
    conn = sqlite3.connect(path, timeout=_timeout())
    try:
        _configure(conn)
        if writes:
            _patiently(lambda: _use_wal(conn))
        if len(applied_steps(conn)) < len(STEPS):
            _patiently(lambda: _migrate(conn))
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL journal mode, so that readers and one writer do not wait for each other."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")


def _patiently(action: Callable[[], None]) -> None:
    """`action`, tried again for up to the busy timeout while SQLite says the database is locked.

    SQLite answers "locked" at once, without waiting, when waiting could deadlock: two
    connections that each read the file and then both want to write it, as two processes do
    when they switch a new file to WAL at the same moment. Trying again after the other has
    finished succeeds."""
    deadline = time.monotonic() + _timeout()
    while True:
        try:
            return action()
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)


def _empty() -> sqlite3.Connection:
    """An empty claimtrack database in memory: what a missing database reads as."""
    conn = sqlite3.connect(":memory:")
    _configure(conn)
    _migrate(conn)
    return conn


# SQLite's words for a file whose pages are not what SQLite wrote, and Python's for text that
# is not UTF-8 (which claimtrack never writes).
_DAMAGED = ("malformed", "not a database", "could not decode to utf-8", "vtable constructor failed")


def damaged(path: Path | str, detail: str) -> DatabaseProblem:
    """The error for a damaged database file: what was found, how to check, what to do."""
    return DatabaseProblem(
        f"The database {path} is damaged ({detail}): claimtrack cannot read it, and nothing "
        f'was written. Check it with: sqlite3 {shlex.quote(str(path))} "PRAGMA '
        'integrity_check"; then restore a copy of the file from a backup.'
    )


def damage_found(conn: sqlite3.Connection) -> str | None:
    """SQLite's first finding if the file's pages are not sound (`PRAGMA quick_check`), else
    None. For after a failure: damage can make sound-looking pages disagree (an index naming a
    row that is gone), which the code reading them meets as a missing key, not a SQLite error."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    lines = [line for row in rows for line in str(row[0]).splitlines()]
    # Past the "*** in database main ***" heading, the first problem found.
    finding = next((line for line in lines if not line.startswith("***")), "ok")
    if finding == "ok":
        return None
    return finding if len(finding) <= 100 else finding[:99] + "…"


def explain(err: Exception, path: Path | str) -> ClaimtrackError:
    """The message for an engine's error met while using the database at `path`."""
    if not isinstance(err, sqlite3.Error):
        from claimtrack.postgres import explain as explain_postgres

        return explain_postgres(err, str(path))
    detail = str(err)
    lowered = detail.lower()
    if any(words in lowered for words in _DAMAGED):
        if "could not decode" in lowered:
            column = re.search(r"column '([^']*)'", detail)
            where = f" in column {column.group(1)}" if column else ""
            detail = f"text that is not UTF-8{where}"
        return damaged(path, detail)
    if "locked" in lowered or "busy" in lowered:
        return DatabaseProblem(
            f"The database {path} is busy: another program has been writing to it for more "
            f"than {BUSY_TIMEOUT_MS / 1000:g} seconds. Nothing was written; try again when it "
            "has finished."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseProblem(
            f"Cannot write to the database {path}: the file or its folder is read-only. Nothing "
            "was written. Commands that only read (list, show, search, ...) work on it."
        )
    if "unable to open" in lowered:
        return DatabaseProblem(
            f"Cannot open the database {path}: {detail}. Check that its folder exists and that "
            "you may read and write there."
        )
    return DatabaseProblem(f"The database {path} could not be used: {detail}. Nothing was written.")


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending schema steps with sqlite-utils, all in one transaction."""
    if len(applied_steps(conn)) == len(STEPS):
        # Up to date, as nearly always: steps are never taken back, so no lock is needed to
        # know it, nor sqlite-utils (a third of the start-up time of a command).
        return
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
