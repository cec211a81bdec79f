"""Eight processes writing to one database at once lose nothing and never see "database is locked",
on a SQLite file and on PostgreSQL.

Each worker is a separate Python process that runs the claimtrack command (the whole CLI path:
open the database, migrate if needed, one write transaction, close) several times in a row. The
workers wait for a start signal so that they really write at the same moment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import connected, recorded

WORKERS = 8
WRITES = 10

# Each write runs COMMAND, its {worker} and {n} filled in.
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
    args = [part.format(worker=worker, n=n) for part in command]
    codes.append(app(args, prog_name="claimtrack", standalone_mode=False) or 0)
print("exit codes:", *codes)
"""
# What each worker records: a claim of its own, numbered, printing only its id.
RECORD = ("worker {worker} write {n}", "--by", "Worker {worker}", "-q")


def race(
    tmp_path: Path, db: Path | str, *command: str, workers: int = WORKERS, writes: int = WRITES
) -> list[subprocess.CompletedProcess[str]]:
    """Start `workers` processes, release them together, and wait for them all."""
    start = tmp_path / "start"
    env = {**os.environ, "CLAIMTRACK_DB": str(db)}
    started = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), str(n), str(writes), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(workers)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < workers and time.monotonic() < deadline:
        time.sleep(0.01)  # every worker has imported claimtrack and waits at the start line
    start.touch()
    results = []
    for worker in started:
        stdout, stderr = worker.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(worker.args, worker.returncode, stdout, stderr))
    return results


def assert_all_succeeded(
    results: list[subprocess.CompletedProcess[str]], writes: int = WRITES
) -> list[str]:
    """Every worker's writes succeeded: what they printed before their exit codes."""
    printed = []
    for result in results:
        assert "database is locked" not in result.stderr
        assert "Error" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr
        *lines, codes = result.stdout.splitlines()
        assert codes.split() == ["exit", "codes:"] + ["0"] * writes, result.stdout
        printed += lines
    return printed


def written(db: Path | str) -> list[tuple[str, str | None]]:
    """Every claim's text and, for an answer, what it answers, sorted."""
    with connected(db) as conn:
        return sorted(
            conn.execute(
                "SELECT c.text, r.stance || ' #' || r.target_id FROM claims c"
                " LEFT JOIN responses r ON r.response_id = c.id"
            ).fetchall(),
            key=lambda row: (row[0], row[1] or ""),
        )


def test_eight_processes_rebutting_one_claim_lose_nothing(
    tmp_path: Path, db_path: Path | str, engine: str
) -> None:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    assert CliRunner().invoke(app, ["add", "Troops are massing", "--by", "Ministry"]).exit_code == 0
    ids = assert_all_succeeded(race(tmp_path, db_path, "rebut", "1", *RECORD))
    assert len(ids) == WORKERS * WRITES and all(i.isdigit() for i in ids)
    expected = [("Troops are massing", None)] + [
        (f"worker {w} write {n}", "refutes #1") for w in range(WORKERS) for n in range(WRITES)
    ]
    assert written(db_path) == sorted(expected, key=lambda row: (row[0], row[1] or ""))
    with connected(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM changes").fetchone() == (1 + WORKERS * WRITES,)
        if engine == "sqlite":
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_eight_processes_creating_the_database_at_once_lose_nothing(
    tmp_path: Path, db_path: Path | str, engine: str
) -> None:
    db = tmp_path / "not" / "yet" / "claims.db" if engine == "sqlite" else db_path
    assert_all_succeeded(race(tmp_path, db, "add", *RECORD))
    assert written(db) == sorted(
        (f"worker {w} write {n}", None) for w in range(WORKERS) for n in range(WRITES)
    )
    migrations = "_sqlite_migrations" if engine == "sqlite" else "claimtrack_migrations"
    with connected(db) as conn:
        applied = conn.execute(f"SELECT name, count(*) FROM {migrations} GROUP BY name")
        assert all(count == 1 for _, count in applied.fetchall())
        if engine == "sqlite":
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_two_undo_at_once_undo_two_different_changes(cli, tmp_path: Path, db_path) -> None:
    first = recorded(cli, "add", "Troops are massing", "--by", "Ministry")
    second = recorded(cli, "rebut", str(first), "No troops are there", "--by", "Other side")
    reports = assert_all_succeeded(race(tmp_path, db_path, "undo", workers=2, writes=1), 1)
    assert sorted(reports) == [
        f"Undid change #1 (add): recorded #{first} by Ministry.",
        f"Undid change #2 (rebut): recorded #{second} by Other side (refutes #{first}).",
    ]
    assert written(db_path) == []
