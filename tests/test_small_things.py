"""-h as --help, shell completion, the hint for an id the shell took as a comment, and undo of
a large import asking first."""

from __future__ import annotations

import pytest

from claimtrack.commands import curate
from helpers import add, as_json, ok

HINT = "(If you typed #3, the shell took it as a comment: write 3 or '#3'.)"


@pytest.mark.parametrize("args", [["-h"], ["show", "-h"], ["actor", "edit", "-h"], ["tags", "-h"]])
def test_dash_h_is_help(cli, args) -> None:
    assert ok(cli(*args)) == ok(cli(*args[:-1], "--help"))
    assert "Usage: claimtrack" in ok(cli(*args))


def test_help_offers_shell_completion(cli) -> None:
    shown = ok(cli("--help"))
    assert "--install-completion" in shown and "--show-completion" in shown


@pytest.mark.parametrize("command", ["show", "rebut", "delete", "open", "link"])
def test_a_missing_id_says_the_shell_may_have_taken_it_as_a_comment(cli, command) -> None:
    result = cli(command)
    assert result.exit_code == 2
    assert HINT in result.stderr


def test_other_missing_arguments_have_no_hint(cli) -> None:
    result = cli("search")
    assert result.exit_code == 2
    assert "Missing argument 'QUERY'." in result.stderr and HINT not in result.stderr


@pytest.fixture
def big_import(cli, tmp_path, monkeypatch):
    """An import of 3 claims, with "large" meaning more than 2 claims."""
    monkeypatch.setattr(curate, "UNDO_ASKS_ABOVE", 2)
    rows = "\n".join(f"{n},Claim {n},Someone" for n in range(1, 4))
    path = tmp_path / "three.csv"
    path.write_text(f"id,text,by\n{rows}\n", encoding="utf-8")
    ok(cli("import", str(path)))
    return cli


def test_undo_of_a_large_import_needs_yes_from_a_script(big_import, monkeypatch) -> None:
    monkeypatch.setattr(curate, "stdin_is_terminal", lambda: False)
    result = big_import("undo")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Undoing change #1 (import) touches 3 claims and needs confirmation, and stdin "
        "is not a terminal: run `claimtrack undo --yes`.\n"
    )
    assert len(as_json(big_import("list", "--json"))) == 3
    assert ok(big_import("undo", "--yes")).startswith("Undid change #1 (import)")
    assert as_json(big_import("list", "--json")) == []


def test_undo_of_a_large_import_asks_on_a_terminal(big_import, monkeypatch) -> None:
    monkeypatch.setattr(curate, "stdin_is_terminal", lambda: True)
    kept = big_import("undo", input="n\n")
    assert kept.exit_code == 0 and "Kept change #1; nothing was undone." in kept.stdout
    assert len(as_json(big_import("list", "--json"))) == 3
    assert "Undid change #1" in ok(big_import("undo", input="y\n"))


def test_undo_of_a_small_change_does_not_ask(cli, monkeypatch) -> None:
    monkeypatch.setattr(curate, "stdin_is_terminal", lambda: False)
    add(cli, "One claim")
    assert ok(cli("undo")).startswith("Undid change #1 (add)")
