"""Eight processes writing to one database at once lose nothing and never see "database is locked".

Each worker is a separate Python process that runs the claimtrack command (the whole CLI path:
open the file, migrate if needed, one BEGIN IMMEDIATE write, close) several times in a row. The
workers wait for a start signal so that they really write at the same moment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WORKERS = 8
WRITES = 10

WORKER = """
import sys, time
from pathlib import Path
from claimtrack.cli import app

start, worker, writes, command = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:]
(start.parent / f"ready-{worker}").touch()
while not start.exists():
    time.sleep(0.005)
codes = []
for n in range(writes):
    args = [*command, f"worker {worker} write {n}", "--by", f"Worker {worker}", "-q"]
    codes.append(app(args, prog_name="claimtrack", standalone_mode=False) or 0)
print("exit codes:", *codes)
"""


def race(tmp_path: Path, db: Path, *command: str) -> list[subprocess.CompletedProcess[str]]:
    """Start WORKERS processes, release them together, and wait for them all."""
    start = tmp_path / "start"
    env = {**os.environ, "CLAIMTRACK_DB": str(db)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), str(n), str(WRITES), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.01)  # every worker has imported claimtrack and waits at the start line
    start.touch()
    results = []
    for worker in workers:
        stdout, stderr = worker.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(worker.args, worker.returncode, stdout, stderr))
    return results


def assert_all_succeeded(results: list[subprocess.CompletedProcess[str]]) -> None:
    for result in results:
        assert "database is locked" not in result.stderr
        assert "Error" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
        *printed_ids, codes = result.stdout.splitlines()
        assert codes.split() == ["exit", "codes:"] + ["0"] * WRITES, result.stdout
        assert len(printed_ids) == WRITES and all(i.isdigit() for i in printed_ids)


def written(db: Path) -> list[tuple[str, str | None]]:
    """Every claim's text and, for an answer, what it answers, sorted."""
    with sqlite3.connect(db) as conn:
        return sorted(
            conn.execute(
                "SELECT c.text, r.stance || ' #' || r.target_id FROM claims c"
                " LEFT JOIN responses r ON r.response_id = c.id"
            ).fetchall(),
            key=lambda row: (row[0], row[1] or ""),
        )


def test_eight_processes_rebutting_one_claim_lose_nothing(tmp_path: Path, db_path: Path) -> None:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    assert CliRunner().invoke(app, ["add", "Troops are massing", "--by", "Ministry"]).exit_code == 0
    assert_all_succeeded(race(tmp_path, db_path, "rebut", "1"))
    expected = [("Troops are massing", None)] + [
        (f"worker {w} write {n}", "refutes #1") for w in range(WORKERS) for n in range(WRITES)
    ]
    assert written(db_path) == sorted(expected, key=lambda row: (row[0], row[1] or ""))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM changes").fetchone() == (1 + WORKERS * WRITES,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_eight_processes_creating_the_database_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "not" / "yet" / "claims.db"
    assert_all_succeeded(race(tmp_path, db, "add"))
    assert written(db) == sorted(
        (f"worker {w} write {n}", None) for w in range(WORKERS) for n in range(WRITES)
    )
    with sqlite3.connect(db) as conn:
        migrations = conn.execute("SELECT name, count(*) FROM _sqlite_migrations GROUP BY name")
        assert all(count == 1 for _, count in migrations.fetchall())
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
