"""Every command is documented: named in the README, with `--help` that gives an example.

The commands come from `claimtrack.cli.COMMANDS` and the sub-commands of its groups (`actor`,
`source`), so a command added there without docs fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from claimtrack.cli import COMMANDS, app
from claimtrack.model import Stance
from claimtrack.ratings import RATING_STANCES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths() -> list[str]:
    """Every command as typed after `claimtrack`: each of COMMANDS, and each group's commands."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    paths = []
    for name in COMMANDS:
        paths.append(name)
        command = root.commands[name]
        if isinstance(command, TyperGroup):
            paths.extend(f"{name} {sub}" for sub in command.commands)
    return paths


PATHS = command_paths()


def help_of(path: str) -> str:
    result = CliRunner().invoke(app, [*path.split(), "--help"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_the_commands_include_the_actor_and_source_sub_commands() -> None:
    assert {"actor edit", "actor merge", "source edit"} <= set(PATHS)
    assert set(COMMANDS) <= set(PATHS)


@pytest.mark.parametrize("path", PATHS)
def test_the_readme_names_every_command(path: str) -> None:
    # `claimtrack actor` must not be satisfied by `claimtrack actors`.
    words = r"\s+".join(map(re.escape, path.split()))
    assert re.search(rf"claimtrack\s+{words}(?![\w-])", README), (
        f"README.md does not mention `claimtrack {path}`."
    )


@pytest.mark.parametrize("path", PATHS)
def test_every_command_has_help_with_an_example(path: str) -> None:
    output = help_of(path)
    root = typer.main.get_command(app)
    command = root
    for word in path.split():
        command = command.commands[word]
    if isinstance(command, TyperGroup):
        # A group's help lists its commands; each of them gives its own example.
        assert all(sub in output for sub in command.commands), output
        return
    examples = [line.strip() for line in output.splitlines() if line.strip().startswith("Example:")]
    assert any(
        re.match(rf"Example: claimtrack {re.escape(path)}(\s|$)", line) for line in examples
    ), f"`claimtrack {path} --help` has no line `Example: claimtrack {path} ...`:\n{output}"


def test_the_readme_gives_every_rating_label_under_its_stance() -> None:
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in README.splitlines()
        if line.startswith("| `") and line.split("|")[1].strip(" `") in {s.value for s in Stance}
    }
    for stance, languages in RATING_STANCES.items():
        for labels in languages.values():
            for label in labels:
                assert label in rows[stance.value], f"{label} ({stance.value}) is not in README"
