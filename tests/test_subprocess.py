"""The command as users run it: `python -m claimtrack` in a child process, output piped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import claimtrack
from claimtrack.model import NewClaim, Stance
from claimtrack.store import ClaimStore

COLOUR_VARIABLES = [
    "FORCE_COLOR",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "CLICOLOR_FORCE",
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run claimtrack with stdout and stderr piped apart; CLAIMTRACK_DB comes from conftest."""
    environment = {k: v for k, v in os.environ.items() if k not in COLOUR_VARIABLES}
    environment.update({"PYTHONIOENCODING": "utf-8", "TERM": "xterm-256color"}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
    )


@pytest.fixture
def colourful(store: ClaimStore) -> None:
    """A thread with every stance and every status, which a terminal would show in colour."""
    for text, by, answers in [
        ("Troops are massing", "Azerbaijani Defense Ministry", []),
        ("No build-up", "Armenian military", [(1, Stance.REFUTES)]),
        ("Not quite", "EU Monitoring Mission", [(1, Stance.DISPUTES)]),
        ("Confirmed", "EU Monitoring Mission", [(2, Stance.SUPPORTS)]),
        ("Units moved", "Azerbaijani Defense Ministry", [(2, Stance.REFUTES)]),
        ("Context", "Analyst", [(3, Stance.QUALIFIES)]),
        ("Seen too", "Analyst", [(4, Stance.SUPPORTS)]),
    ]:
        store.add_claim(NewClaim(text, by, side="Somewhere", tags=["troops"]), answers)


def test_version_prints_the_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"claimtrack {claimtrack.__version__}\n")


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    commands = result.stdout.split("Commands:")[1]
    for command in ["add", "rebut", "support", "show", "list", "info"]:
        assert f"\n  {command} " in commands


def test_success_exits_0_with_the_sentence_on_stdout() -> None:
    result = run("add", "Troops are massing", "--by", "Azerbaijani Defense Ministry")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "New actor: Azerbaijani Defense Ministry.\nRecorded claim #1.\n",
        "",
    )


def test_quiet_keeps_stdout_for_the_id_and_notices_on_stderr() -> None:
    result = run("add", "Troops are massing", "--by", "Azerbaijani Defense Ministry", "-q")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "1\n",
        "New actor: Azerbaijani Defense Ministry.\n",
    )


def test_json_is_utf8_on_stdout_and_notices_on_stderr() -> None:
    result = run("add", "Ереван — Երևան — Bakı", "--by", "Müdafiə Nazirliyi", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["text"] == "Ереван — Երևան — Bakı"
    assert result.stderr == "New actor: Müdafiə Nazirliyi.\n"


def test_bad_input_exits_1_with_the_message_on_stderr_only() -> None:
    result = run("rebut", "5", "No", "--by", "A")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "Error: There is no claim #5. Run `claimtrack list` to see the claims' ids.\n",
    )


def test_usage_error_exits_2_with_usage_on_stderr_only() -> None:
    result = run("add", "Text")
    assert (result.returncode, result.stdout) == (2, "")
    assert "Usage: claimtrack add" in result.stderr
    assert "Missing option '--by'" in result.stderr


@pytest.mark.usefixtures("colourful")
def test_piped_output_has_no_escape_codes() -> None:
    for args in [["show", "1"], ["list"], ["info"]]:
        result = run(*args, env={"COLORTERM": "truecolor"})
        assert result.returncode == 0
        assert "\x1b" not in result.stdout + result.stderr


@pytest.mark.usefixtures("colourful")
def test_forced_colour_colours_stances_and_statuses() -> None:
    # The control for the test above: the same output does carry codes when colour is forced.
    result = run("show", "1", env={"FORCE_COLOR": "1"})
    assert "\x1b[1;31mrefutes\x1b[0m" in result.stdout
    assert "\x1b[35mmixed" in result.stdout


@pytest.mark.usefixtures("colourful")
def test_no_color_beats_forced_colour() -> None:
    for args in [["show", "1"], ["list"]]:
        result = run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
        assert result.returncode == 0
        assert "\x1b" not in result.stdout


def test_escape_sequences_in_claims_never_reach_the_terminal() -> None:
    hostile = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnirts"
    assert run("add", hostile, "--by", hostile, "-q").returncode == 0
    for args in [["show", "1"], ["list"]]:
        result = run(*args, env={"FORCE_COLOR": "1"})
        assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egnirts" in result.stdout
        assert not {"\x07", "\x9b", "\u202e"} & set(result.stdout)
        assert "\x1b]" not in result.stdout and "\x1b[2J" not in result.stdout
    assert json.loads(run("show", "1", "--json").stdout)["text"] == hostile


def test_database_path_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path), "list")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: {tmp_path} is a folder; give the path of a database file instead.\n",
    )


def test_database_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("add", "Text", "--by", "A", env={"CLAIMTRACK_DB": str(blocker / "claims.db")})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: Cannot create the database {blocker / 'claims.db'}:")
    assert "Traceback" not in result.stderr


def test_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes\n" * 50)
    result = run("--db", str(notes), "info")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: Cannot use the database {notes}: it is not a SQLite")
    assert "Traceback" not in result.stderr
    assert notes.read_text() == "these are my notes\n" * 50


@pytest.mark.skipif(sys.platform != "linux", reason="/proc is Linux's")
def test_database_where_no_file_can_be_made_is_a_clear_error() -> None:
    result = run("--db", "/proc/claims.db", "add", "Text", "--by", "A")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "Error: Cannot open the database /proc/claims.db: unable to open database file. "
        "Check that its folder exists and that you may read and write there.\n",
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_unwritable_database_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    assert run("--db", str(locked / "claims.db"), "add", "x", "--by", "A").returncode == 0
    locked.chmod(0o500)
    (locked / "claims.db").chmod(0o400)
    try:
        result = run("--db", str(locked / "claims.db"), "add", "y", "--by", "A")
    finally:
        locked.chmod(0o700)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_default_database_is_in_the_user_data_folder(tmp_path: Path) -> None:
    env = {"CLAIMTRACK_DB": "", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run("info", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == str(tmp_path / "data" / "claimtrack" / "claims.db")


def test_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    chosen = tmp_path / "elsewhere.db"
    assert run("add", "Here", "--by", "A", env={"CLAIMTRACK_DB": str(chosen)}).returncode == 0
    assert (
        json.loads(run("info", "--json", env={"CLAIMTRACK_DB": str(chosen)}).stdout)["counts"][
            "claims"
        ]
        == 1
    )
