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


# What a command imports, run as the console script runs it, to a pipe (or told it is a
# terminal): the modules of rich's console that it loaded, if any.
_RICH_CONSOLE_LOADED = """
import runpy, sys
sys.argv = ["claimtrack", *sys.argv[1:]]
try:
    runpy.run_module("claimtrack", run_name="__main__")
finally:
    sys.stderr.write("rich.console loaded: %s\\n" % ("rich.console" in sys.modules))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["search", "troops"],
        ["threads"],
        ["timeline", "--since", "2024"],
    ],
)
def test_records_written_to_a_pipe_need_no_rich_console(tmp_path, args: list[str]) -> None:
    """Start-up: a pipe gets TSV, so the commands that print records leave rich's console (a
    tenth of their start-up) unimported; on a terminal they draw tables with it."""
    db = str(tmp_path / "c.db")
    assert (
        run("add", "Troops massing", "--by", "Ministry", "--on", "2024-04-02", db=db).returncode
        == 0
    )
    for terminal, loaded in [({}, "False"), ({"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}, "True")]:
        result = subprocess.run(
            [sys.executable, "-c", _RICH_CONSOLE_LOADED, "--db", db, *args],
            capture_output=True,
            text=True,
            env={"PATH": "", "COLUMNS": "100", **terminal},
        )
        assert result.returncode == 0, result.stderr
        assert "Troops massing" in result.stdout
        assert result.stdout.startswith("id\t") is not terminal
        assert f"rich.console loaded: {loaded}\n" in result.stderr
