"""A throw-away PostgreSQL server for the tests and the benchmarks: `initdb` in a temporary
folder, `pg_ctl start` on 127.0.0.1 with a free port, stopped and removed afterwards.

PostgreSQL will not run as root, so under root (as in CI) the server runs as the `postgres`
user of the machine image (`runuser`); otherwise as whoever runs the tests.

The tests' server syncs nothing to disk (`SETTINGS`); a benchmark that compares commits with
SQLite's, which are synced, asks for `running(DURABLE)`: fsync and synchronous_commit on.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres")
# Settings for a server whose data is thrown away: nothing is synced to disk.
SETTINGS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    " -c max_connections=200 -c listen_addresses=127.0.0.1"
)
# PostgreSQL's own defaults for durability: every commit waits for its WAL to be on disk.
DURABLE = (
    "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    " -c max_connections=200 -c listen_addresses=127.0.0.1"
)


def missing_binaries() -> list[str]:
    """The server programs not on the PATH."""
    return [name for name in BINARIES if shutil.which(name) is None]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """`command` run as the `postgres` user when we are root, else as we are."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Server:
    """A running server: `url(name)` of a database on it, `create()` a new empty database."""

    def __init__(self, port: int):
        self.port = port
        self._names = count(1)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create(self, prefix: str = "claims") -> str:
        """A new, empty database's URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)


@contextmanager
def running(settings: str = SETTINGS) -> Iterator[Server]:
    """A server started for the duration of the block, with these `postgres -c` settings."""
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-pg-"))
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_server_user(
                [
                    *["initdb", "-D", str(data), "-A", "trust", "-U", "postgres"],
                    *["-E", "UTF8", "--locale=C", "--no-sync"],
                ]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_server_user(
                [
                    *["pg_ctl", "-D", str(data), "-l", str(log), "-w", "start"],
                    *["-o", f"-p {port} -k {folder} {settings}"],
                ]
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield Server(port)
        finally:
            subprocess.run(
                _as_server_user(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
