"""On a narrow terminal `show` draws the thread as a tree, so no claim's words are lost."""

import json
from pathlib import Path

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
