"""Every test gets its own database: CLAIMTRACK_DB points into a temporary folder.

The shared fixtures; the shared plain helpers (`ok`, `as_json`, `dump`, `add`...) are in
helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.store import ClaimStore
from helpers import record_troops


@pytest.fixture(autouse=True)
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's database file, also set as CLAIMTRACK_DB."""
    path = tmp_path / "claims.db"
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
