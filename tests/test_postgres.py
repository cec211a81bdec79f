"""The PostgreSQL engine's own behaviour: the URL, `info`, errors from the server, and the
migration that eight clients starting at once apply once. (The whole CLI suite runs on it as
well: see conftest.py.)"""

from __future__ import annotations

import pytest

import pg_server


def test_postgres_server_programs() -> None:
    """Says, in one line, when the PostgreSQL engine's tests cannot run here."""
    if missing := pg_server.missing_binaries():
        pytest.skip(f"PostgreSQL tests not run: {', '.join(missing)} not on the PATH")


def test_import_into_postgres_is_refused_clearly(cli, engine, tmp_path) -> None:
    if engine != "postgres":
        pytest.skip("the refusal is PostgreSQL's")
    rows = tmp_path / "rows.csv"
    rows.write_text("text,by\nTroops are massing,A\n", encoding="utf-8")
    result = cli("import", str(rows))
    assert result.exit_code == 1
    assert "Importing into a PostgreSQL database is not available" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("list", "--json").stdout.strip() == "[]"


def test_info_never_shows_the_password(cli, engine, db_path) -> None:
    if engine != "postgres":
        pytest.skip("a URL's password is PostgreSQL's")
    with_password = str(db_path).replace("postgres@", "postgres:secret@")
    result = cli("--db", with_password, "info", "--json")
    assert result.exit_code == 0, result.stderr
    assert "secret" not in result.stdout
    assert "postgres:***@127.0.0.1" in result.stdout


def test_an_unreachable_server_is_a_clear_error(cli) -> None:
    result = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "list")
    assert result.exit_code == 1
    assert "Cannot use the PostgreSQL database postgresql://nobody@127.0.0.1:1/none" in (
        result.stderr
    )
    assert "check that the server is running" in result.stderr
