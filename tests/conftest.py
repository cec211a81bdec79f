"""Every test gets its own database: CLAIMTRACK_DB points into a temporary folder, or at a new
database on a throw-away PostgreSQL server.

Every test that uses the database (through `cli`, `store` or `troops`) runs on both engines,
`[sqlite]` and `[postgres]`, unless marked `sqlite_only` (a test of what only a file has: its
bytes, its permissions, Datasette). Where the PostgreSQL server programs are missing, the
tests run on SQLite alone and one skipped test says why.

The shared fixtures; the shared plain helpers (`ok`, `as_json`, `dump`, `add`...) are in
helpers.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pg_server
from claimtrack.cli import app
from claimtrack.store import ClaimStore
from helpers import record_troops

# The fixtures through which a test uses the database (or asks which engine it is on).
USES_DATABASE = {"cli", "store", "troops"}
SQLITE_ONLY_FILES: set[str] = set()
ENGINES = ["sqlite"] if pg_server.missing_binaries() else ["sqlite", "postgres"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a test of what only a SQLite file has, run on SQLite alone"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    asks = "engine" in inspect.signature(metafunc.function).parameters
    uses_database = asks or USES_DATABASE & set(metafunc.fixturenames)
    pending = metafunc.definition.path.name in SQLITE_ONLY_FILES
    marked = metafunc.definition.get_closest_marker("sqlite_only") is not None
    if uses_database and not (pending or marked):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.Server]:
    """A PostgreSQL server for the whole run, started on first use."""
    with pg_server.running() as server:
        yield server


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine the test's database is on: "sqlite" or "postgres"."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(autouse=True)
def db_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, request: pytest.FixtureRequest
) -> Path | str:
    """The test's database, also set as CLAIMTRACK_DB: a file's Path, or on PostgreSQL the URL
    of a new, empty database."""
    path: Path | str = tmp_path / "claims.db"
    if engine == "postgres":
        path = request.getfixturevalue("postgres").create()
    monkeypatch.setenv("CLAIMTRACK_DB", str(path))
    for variable in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stdout counts as a terminal (tables and pages, as a person sees them), without colour;
    without this fixture the commands that print records write TSV, as to any pipe."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def cli():
    """Run claimtrack in-process: cli("add", "text", "--by", "X") returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def store(db_path: Path):
    """The test's database opened as a ClaimStore."""
    with ClaimStore.open(db_path) as opened:
        yield opened


@pytest.fixture
def troops(cli):
    """The troop build-up thread (`helpers.record_troops`) recorded; returns `cli`."""
    record_troops(cli)
    return cli
