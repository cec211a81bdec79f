"""On a narrow terminal `show` draws the thread as a tree, so no claim's words are lost."""

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "founding-article.csv"


def test_a_narrow_terminal_gets_the_thread_as_a_tree_with_every_word(cli, monkeypatch) -> None:
    assert cli("import", str(DATA)).exit_code == 0
    monkeypatch.setenv("COLUMNS", "40")
    result = cli("show", "8")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert "├── disputes #10 U.S. and EU officials \n" in result.stdout
    assert "│   └── supports #12 Ursula von der " in result.stdout
    assert "└── disputes #14 James O’Brien (US) · " in result.stdout
    flowing = " ".join(line.lstrip("│├└─ ") for line in lines)
    pending = [json.loads(cli("show", "8", "--json").stdout)]
    while pending:
        claim = pending.pop()
        pending.extend(claim["responses"])
        assert all(word in flowing for word in claim["text"].split()), claim["text"]


def test_a_wide_terminal_gets_the_table(cli, monkeypatch) -> None:
    assert cli("import", str(DATA)).exit_code == 0
    monkeypatch.setenv("COLUMNS", "100")
    result = cli("show", "8")
    assert "┃ Thread" in result.stdout
    assert "├─ disputes" in result.stdout


BOX = str.maketrans({char: " " for char in "│┃║┆┊├┤┬┴┼└┘┌┐─━┏┓┗┛┣┫┳┻╋┡┩╇┢┪╈╭╮╯╰"})


def words_shown(output: str) -> set[str]:
    """The words of rendered output, box drawing and tree guides taken away."""
    return set(output.translate(BOX).split())


@pytest.mark.parametrize("width", [80, 50])
@pytest.mark.parametrize("command", ["show", "list", "timeline"])
def test_no_word_of_any_claim_is_broken_across_lines(cli, terminal, monkeypatch, width, command):
    """Every word of every claim of the shipped data, its claimant and side is printed whole,
    at 80 columns (tables) and at 50 (stacked layouts, and show's tree)."""
    assert cli("import", str(DATA)).exit_code == 0
    monkeypatch.setenv("COLUMNS", str(width))
    claims = json.loads(cli("list", "--json").stdout)
    if command == "show":
        roots = [claim["id"] for claim in claims if not claim["responds_to"]]
        outputs = [cli("show", str(claim_id)).stdout for claim_id in roots]
    else:
        outputs = [cli(command, "--all").stdout]
    shown = set().union(*(words_shown(output) for output in outputs))
    assert all(len(line) <= width for output in outputs for line in output.splitlines())
    for claim in claims:
        words = [*claim["text"].split(), *claim["by"].split()]
        if claim["side"]:
            words += f"({claim['side']})".split()
        missing = [word for word in words if word not in shown]
        assert not missing, (claim["id"], missing)


@pytest.mark.parametrize("command", ["list", "timeline", "search"])
def test_below_80_columns_claims_are_stacked(cli, terminal, monkeypatch, command) -> None:
    assert cli("import", str(DATA)).exit_code == 0
    monkeypatch.setenv("COLUMNS", "79")
    args = [command, "ceasefire"] if command == "search" else [command]
    output = cli(*args, "--limit", "2").stdout
    assert "┃" not in output and "│" not in output
    assert re.search(r"^#\d+ .+ · (\d{4}(-\d\d){0,2}|undated) · ", output, re.MULTILINE)
