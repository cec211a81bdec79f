"""The console script builds only the command it is asked for; the whole app otherwise."""

import subprocess
import sys

import pytest

from claimtrack.cli import COMMANDS, commands_needed


@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (["show", "1"], ["show"]),
        (["--db", "x.db", "list", "--limit", "3"], ["list"]),
        (["--db=x.db", "import", "-"], ["import"]),
        (["actor", "merge", "A", "B"], ["actor"]),
        (["--version"], []),
        (["--db", "show", "show", "1"], ["show"]),  # a database file called "show"
    ],
)
def test_a_named_command_is_built_alone(args: list[str], needed: list[str]) -> None:
    assert commands_needed(args) == needed


@pytest.mark.parametrize("args", [[], ["--help"], ["shw"], ["-x", "show"]])
def test_help_mistakes_and_no_command_get_every_command(args: list[str]) -> None:
    assert commands_needed(args) == list(COMMANDS)


def run(*args: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", db, *args],
        capture_output=True,
        text=True,
        env={"PATH": "", "COLUMNS": "100"},
    )


def test_help_lists_every_command(tmp_path) -> None:
    result = run("--help", db=str(tmp_path / "c.db"))
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert sorted(name for name in listed if name in COMMANDS) == sorted(COMMANDS)


def test_a_misspelt_command_is_a_usage_error_with_a_suggestion(tmp_path) -> None:
    result = run("shw", "1", db=str(tmp_path / "c.db"))
    assert result.returncode == 2
    assert "No such command 'shw'. Did you mean 'show'?" in result.stderr
    assert not (tmp_path / "c.db").exists()


def test_a_command_built_alone_runs(tmp_path) -> None:
    db = str(tmp_path / "c.db")
    assert run("add", "Troops massing", "--by", "Ministry", "-q", db=db).stdout == "1\n"
    shown = run("show", "#1", db=db)
    assert shown.returncode == 0 and "Troops massing" in shown.stdout
