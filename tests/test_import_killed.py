"""An import killed midway (SIGKILL, no chance to clean up) leaves the database as it was."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

ROWS = 60_000


def big_file(path: Path) -> None:
    """A file that takes a few seconds to import: threads of claims with tags and sources."""
    with path.open("w", encoding="utf-8") as out:
        out.write("id,responds_to,stance,text,by,side,on,sources,tags\n")
        for n in range(1, ROWS + 1):
            answer = n > 1 and n % 2 == 0
            out.write(
                f"{n},{n - 1 if answer else ''},{'refutes' if answer else ''},"
                f"Claim number {n} about the border,Actor {n % 97},Side {n % 97},2024-04-05,"
                f'https://example.org/{n % 501},"troops,tag{n % 13}"\n'
            )


def snapshot(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("claims", "actors", "sources", "claim_tags", "responses", "changes")
        )


def writer_busy(db: Path) -> bool:
    """Whether another connection holds the write lock (the import's transaction is open)."""
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def claimtrack(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "claimtrack", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The big file, and how long a whole import of it takes here (into an empty database)."""
    folder = tmp_path_factory.mktemp("big")
    path = folder / "big.csv"
    big_file(path)
    start = time.monotonic()
    assert claimtrack("--db", str(folder / "timed.db"), "import", str(path)).wait(60) == 0
    return path, time.monotonic() - start


# Killed this far into the import's run (as timed above): while staging, or writing the claims.
@pytest.mark.parametrize("fraction", [0.05, 0.6])
def test_a_killed_import_leaves_the_database_as_it_was(tmp_path, source, fraction):
    db = tmp_path / "claims.db"
    source, duration = source
    first = claimtrack("--db", str(db), "add", "Recorded before", "--by", "Someone")
    assert first.wait(timeout=60) == 0
    before = snapshot(db)

    importing = claimtrack("--db", str(db), "import", str(source))
    deadline = time.monotonic() + 60
    while not writer_busy(db):
        assert importing.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(fraction * duration)
    assert importing.poll() is None, "the import ended before it could be killed"
    importing.send_signal(signal.SIGKILL)
    assert importing.wait(timeout=60) == -signal.SIGKILL

    assert snapshot(db) == before
    listing = claimtrack("--db", str(db), "list", "--json")
    out, _ = listing.communicate(timeout=60)
    assert listing.returncode == 0
    assert b"Recorded before" in out
    # Nothing is left locked: the next write goes through.
    after = claimtrack("--db", str(db), "add", "Recorded after", "--by", "Someone")
    assert after.wait(timeout=60) == 0
    assert snapshot(db)[0] == before[0] + 1
