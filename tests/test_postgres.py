"""The PostgreSQL engine's own behaviour: the URL, `info`, errors from the server, schemas it
refuses, moving a SQLite file in, and its SQL placeholders. (The whole CLI suite runs on it as
well, concurrency included: see conftest.py and test_concurrency.py.)"""

from __future__ import annotations

import json

import pytest

import pg_server
from claimtrack.postgres import translate
from helpers import connected, dump, ok, record_troops


def test_postgres_server_programs() -> None:
    """Says, in one line, when the PostgreSQL engine's tests cannot run here."""
    if missing := pg_server.missing_binaries():
        pytest.skip(f"PostgreSQL tests not run: {', '.join(missing)} not on the PATH")


def test_an_analysts_file_moves_into_the_team_database_whole(cli, engine, tmp_path) -> None:
    if engine != "postgres":
        pytest.skip("moving a file into PostgreSQL")
    analyst = tmp_path / "analyst.db"
    record_troops(lambda *args: cli("--db", str(analyst), *args))
    ok(cli("--db", str(analyst), "review", "1", "--rating", "False", "--by", "Fact Desk"))
    report = ok(cli("import", str(analyst)))
    assert "5 claims added" in report, report
    exported = [ok(cli(*db, "export", "--format", "json")) for db in ([], ["--db", str(analyst)])]
    assert json.loads(exported[0]) == json.loads(exported[1])
    # Moved in again, it changes nothing: the claims are found by uid.
    assert "its 5 claims and their links are already recorded" in ok(cli("import", str(analyst)))
    assert ok(cli("export", "--format", "json")) == exported[0]


def test_a_schema_of_a_newer_claimtrack_is_refused_untouched(cli, engine, db_path) -> None:
    if engine != "postgres":
        pytest.skip("the SQLite file's refusal is in test_edges")
    ok(cli("add", "A claim", "--by", "Someone"))
    with connected(db_path) as conn:
        conn.execute(
            "INSERT INTO claimtrack_migrations (seq, name, applied_at)"
            " VALUES (99, '9999_future', '2030-01-01')"
        )
    before = dump(db_path)
    for command in (["list"], ["add", "Another", "--by", "Someone"]):
        result = cli(*command)
        assert result.exit_code == 1
        assert "A newer claimtrack made it: upgrade claimtrack" in result.stderr
        assert "Traceback" not in result.stderr
    assert dump(db_path) == before


def test_another_programs_tables_are_refused_untouched(cli, engine, db_path) -> None:
    if engine != "postgres":
        pytest.skip("the SQLite file's refusal is in test_edges")
    with connected(db_path) as conn:
        conn.execute("CREATE TABLE claims (id integer, body text)")
    before = dump(db_path)
    result = cli("add", "A claim", "--by", "Someone")
    assert result.exit_code == 1
    assert "has a claims table but no claimtrack schema record" in result.stderr
    assert dump(db_path) == before


def test_percent_signs_and_colons_in_sql_literals_reach_the_server_as_written() -> None:
    assert translate("SELECT '50% :x ?' || ? WHERE a LIKE '% %' AND b = :b AND c::text = '%'") == (
        "SELECT '50%% :x ?' || %s WHERE a LIKE '%% %%' AND b = %(b)s AND c::text = '%%'"
    )


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


def test_a_database_url_given_to_import_is_refused_with_the_way_out(cli, db_path) -> None:
    ok(cli("add", "A claim", "--by", "Someone"))
    before = dump(db_path)
    result = cli("import", "postgresql://analyst:secret@127.0.0.1:1/desk")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: postgresql://analyst:***@127.0.0.1:1/desk is a PostgreSQL database: import reads "
        "files. Export its claims with `claimtrack --db postgresql://analyst:***@127.0.0.1:1/desk "
        "export --format json -o claims.json` and import claims.json, which merges them by uid "
        "as a claimtrack file would.\n"
    )
    assert dump(db_path) == before


def test_refusing_a_database_url_to_import_creates_no_file(cli, tmp_path) -> None:
    missing = tmp_path / "new.db"
    result = cli("--db", str(missing), "import", "postgresql://analyst@127.0.0.1:1/desk")
    assert result.exit_code == 1
    assert "is a PostgreSQL database: import reads files" in result.stderr
    assert not missing.exists()
