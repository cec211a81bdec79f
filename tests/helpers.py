"""Helpers shared by the test files: `from helpers import ok, as_json, ...`.

Plain functions rather than fixtures, so that a test reads as a call; pyproject.toml puts
`tests/` on the import path (`pythonpath`). The fixtures (`cli`, `store`, `troops`) are in
conftest.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from claimtrack.model import NewClaim
from claimtrack.store import ClaimStore

# The keys of a claim object in JSON output, in the SPEC's order.
CLAIM_KEYS = [
    "id",
    "uid",
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
    "status",
    "responds_to",
    "created",
    "updated",
    "verdict",
    "verdicts",
    "standing",
]

# The founding article's first claim, as the troop build-up thread records it.
TROOP_BUILD_UP = "Armenia is massing troops along the border"


def ok(result) -> str:
    """The stdout of a command that must succeed."""
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def as_json(result):
    """The JSON document a command that must succeed printed."""
    return json.loads(ok(result))


def dump(db_path: Path | str) -> list[str]:
    """The whole database as text, change log included: to show nothing was written. A file
    as SQL; a PostgreSQL database as every row of every table (none if it has no tables)."""
    if isinstance(db_path, str):
        import psycopg

        with psycopg.connect(db_path) as conn:
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() ORDER BY table_name"
            ).fetchall()
            return [
                f"{table}: {row!r}"
                for (table,) in tables
                for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1")
            ]
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


@contextmanager
def connected(db_path: Path | str) -> Iterator[Any]:
    """A plain connection to the test's database, as another program would open it, with `?`
    placeholders on either engine; what it writes is committed at the end of the block."""
    if isinstance(db_path, str):
        import psycopg

        from claimtrack.postgres import PgConnection

        with psycopg.connect(db_path, autocommit=True) as raw:
            yield PgConnection(raw, db_path)
        return
    with sqlite3.connect(db_path) as conn:
        yield conn


def holds_tables(db_path: Path | str) -> bool:
    """Whether the test's database exists and holds tables (a command has opened it)."""
    if isinstance(db_path, Path):
        return db_path.exists()
    with connected(db_path) as conn:
        return conn.execute("SELECT to_regclass('claims') IS NOT NULL").fetchone()[0]


def recorded(cli, *args: str) -> int:
    """Run a recording command (`add`, `rebut`, `support`...) with `-q`: the new claim's id."""
    return int(ok(cli(*args, "-q")))


def add(cli, text: str, by: str = "Someone", *options: str) -> int:
    """`claimtrack add TEXT --by BY [OPTIONS]` run quietly: the new claim's id."""
    return recorded(cli, "add", text, "--by", by, *options)


def add_claim(store: ClaimStore, text: str = "A claim", by: str = "Someone", answers=(), **fields):
    """Record a claim with the store API; `answers` is a list of (id, Stance). The `Written`."""
    return store.add_claim(NewClaim(text, by, **fields), answers)


def record_troops(cli, claim: str = TROOP_BUILD_UP) -> None:
    """The founding article's troop build-up thread, recorded with the CLI.

    #1 the claim (by the Azerbaijani Defense Ministry, side Azerbaijan, 2024-04, tagged
    `troops`, sourced to the article); #2 (Armenian military) and #3 (EU Monitoring Mission)
    refute it; #4 disputes #2, by the ministry's name typed in lower case. Three actors, one
    source, one tag.
    """
    ok(
        cli(
            "add",
            claim,
            "--by",
            "Azerbaijani Defense Ministry",
            "--side",
            "Azerbaijan",
            "--on",
            "2024-04",
            "--tag",
            "troops",
            "--source",
            "https://www.azatutyun.am/a/32892927.html",
        )
    )
    ok(cli("rebut", "1", "No build-up", "--by", "Armenian military", "--side", "Armenia"))
    ok(cli("rebut", "#1", "No build-up seen", "--by", "EU Monitoring Mission", "--side", "EU"))
    ok(
        cli(
            "rebut",
            "2",
            "Units were moving",
            "--by",
            "azerbaijani defense ministry",
            "--stance",
            "disputes",
        )
    )
