"""The schema steps: what each one builds, and upgrading a file with data from every older step.

The exact schema is written out per step, so a new step in `STEPS` needs its expectation here
(`test_every_step_has_an_expected_schema` says so). The upgrade tests run from every step without
edits; only a step that changes the shape of existing rows needs new rows in `ROWS`.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack.db import applied_steps
from claimtrack.fold import fold, name_key
from claimtrack.migrations import STEPS, migration_set
from claimtrack.store import ClaimStore
from helpers import as_json, ok

# Files and the SQLite tools that read them: PostgreSQL has its own tests (test_postgres).
pytestmark = pytest.mark.sqlite_only

NAMES = [name for name, _ in STEPS]

# -- the expected schema of each step ----------------------------------------------------------
#
# columns: table -> {column: (declared type, NOT NULL, position in the primary key or 0)}
# indexes: (table, index, columns, unique, partial); the sqlite_autoindex_* ones are the
#          UNIQUE and composite PRIMARY KEY constraints
# foreign_keys: (table, column, referenced table, referenced column)
# triggers: (trigger, "WHEN EVENT ON table")
# machinery: tables SQLite, FTS5 and sqlite-utils keep for themselves (names only)

INITIAL = {
    "columns": {
        "actors": {
            "id": ("INTEGER", False, 1),
            "name": ("TEXT", True, 0),
            "key": ("TEXT", True, 0),
            "side": ("TEXT", False, 0),
            "side_key": ("TEXT", False, 0),
            "note": ("TEXT", False, 0),
        },
        "sources": {
            "id": ("INTEGER", False, 1),
            "url": ("TEXT", False, 0),
            "title": ("TEXT", False, 0),
            "outlet": ("TEXT", False, 0),
            "published": ("TEXT", False, 0),
            "archived_url": ("TEXT", False, 0),
        },
        "claims": {
            "id": ("INTEGER", False, 1),
            "uid": ("TEXT", True, 0),
            "text": ("TEXT", True, 0),
            "actor_id": ("INTEGER", True, 0),
            "said_on": ("TEXT", False, 0),
            "quote": ("TEXT", False, 0),
            "note": ("TEXT", False, 0),
            "created": ("TEXT", True, 0),
            "updated": ("TEXT", True, 0),
        },
        "claim_sources": {
            "claim_id": ("INTEGER", True, 1),
            "source_id": ("INTEGER", True, 2),
            "position": ("INTEGER", True, 0),
        },
        "claim_tags": {
            "claim_id": ("INTEGER", True, 1),
            "tag": ("TEXT", True, 2),
        },
        "responses": {
            "response_id": ("INTEGER", True, 1),
            "target_id": ("INTEGER", True, 2),
            "stance": ("TEXT", True, 0),
            "created": ("TEXT", True, 0),
        },
        "changes": {
            "id": ("INTEGER", False, 1),
            "at": ("TEXT", True, 0),
            "action": ("TEXT", True, 0),
            "claim_id": ("INTEGER", False, 0),
            "summary": ("TEXT", True, 0),
        },
        "change_rows": {
            "change_id": ("INTEGER", True, 1),
            "seq": ("INTEGER", True, 2),
            "tbl": ("TEXT", True, 0),
            "key": ("TEXT", True, 0),
            "before": ("TEXT", False, 0),
            "after": ("TEXT", False, 0),
        },
    },
    "indexes": {
        ("actors", "actors_side_key", ("side_key",), False, False),
        ("actors", "sqlite_autoindex_actors_1", ("key",), True, False),
        ("sources", "sources_title_only", ("title",), True, True),
        ("sources", "sqlite_autoindex_sources_1", ("url",), True, False),
        ("claims", "claims_newest", ("said_on", "id"), False, False),
        ("claims", "claims_actor_newest", ("actor_id", "said_on", "id"), False, False),
        ("claims", "sqlite_autoindex_claims_1", ("uid",), True, False),
        ("claim_sources", "claim_sources_source", ("source_id",), False, False),
        (
            "claim_sources",
            "sqlite_autoindex_claim_sources_1",
            ("claim_id", "source_id"),
            True,
            False,
        ),
        ("claim_tags", "claim_tags_tag", ("tag", "claim_id"), False, False),
        ("claim_tags", "sqlite_autoindex_claim_tags_1", ("claim_id", "tag"), True, False),
        ("responses", "responses_target", ("target_id", "stance"), False, False),
        ("responses", "sqlite_autoindex_responses_1", ("response_id", "target_id"), True, False),
        ("changes", "changes_claim", ("claim_id",), False, False),
        ("change_rows", "sqlite_autoindex_change_rows_1", ("change_id", "seq"), True, False),
    },
    "foreign_keys": {
        ("claims", "actor_id", "actors", "id"),
        ("claim_sources", "claim_id", "claims", "id"),
        ("claim_sources", "source_id", "sources", "id"),
        ("claim_tags", "claim_id", "claims", "id"),
        ("responses", "response_id", "claims", "id"),
        ("responses", "target_id", "claims", "id"),
        ("change_rows", "change_id", "changes", "id"),
    },
    "triggers": set(),
    # sqlite_sequence: claims.id is AUTOINCREMENT, so an id is never given to a second claim.
    "machinery": {"_sqlite_migrations", "sqlite_sequence"},
}

SEARCH = {
    "columns": {
        **INITIAL["columns"],
        # The FTS5 table: its columns have no declared type.
        "claims_fts": {"text": ("", False, 0), "quote": ("", False, 0), "note": ("", False, 0)},
    },
    "indexes": INITIAL["indexes"],
    "foreign_keys": INITIAL["foreign_keys"],
    "triggers": {
        ("claims_fts_insert", "AFTER INSERT ON claims"),
        ("claims_fts_update", "AFTER UPDATE OF id, text, quote, note ON claims"),
        ("claims_fts_delete", "AFTER DELETE ON claims"),
    },
    "machinery": INITIAL["machinery"]
    | {f"claims_fts_{shadow}" for shadow in ["config", "content", "data", "docsize", "idx"]},
}

VERDICTS = {
    "columns": {
        **SEARCH["columns"],
        "verdicts": {
            "claim_id": ("INTEGER", False, 1),
            "label": ("TEXT", True, 0),
            "label_key": ("TEXT", True, 0),
            "value": ("REAL", False, 0),
            "best": ("REAL", False, 0),
            "worst": ("REAL", False, 0),
        },
    },
    "indexes": SEARCH["indexes"] | {("verdicts", "verdicts_label", ("label_key",), False, False)},
    "foreign_keys": SEARCH["foreign_keys"] | {("verdicts", "claim_id", "claims", "id")},
    "triggers": SEARCH["triggers"],
    "machinery": SEARCH["machinery"],
}

OUTSIDE_WRITES = {
    # The triggers keep their names and events; they no longer call claimtrack_fold, and note
    # the claims whose raw text they indexed in search_refold (a view is not a table here).
    "columns": {**VERDICTS["columns"], "search_refold": {"claim_id": ("INTEGER", False, 1)}},
    "indexes": VERDICTS["indexes"],
    "foreign_keys": VERDICTS["foreign_keys"],
    "triggers": VERDICTS["triggers"],
    "machinery": VERDICTS["machinery"],
}

RECORD_COUNTS = {
    # Counts of claims and of claims that answer one, kept by plain-SQL triggers.
    "columns": {
        **OUTSIDE_WRITES["columns"],
        "record_counts": {"name": ("TEXT", True, 1), "n": ("INTEGER", True, 0)},
    },
    "indexes": OUTSIDE_WRITES["indexes"]
    | {("record_counts", "sqlite_autoindex_record_counts_1", ("name",), True, False)},
    "foreign_keys": OUTSIDE_WRITES["foreign_keys"],
    "triggers": OUTSIDE_WRITES["triggers"]
    | {
        ("claims_count_insert", "AFTER INSERT ON claims"),
        ("claims_count_delete", "AFTER DELETE ON claims"),
        (
            "responses_count_insert",
            "AFTER INSERT ON responses WHEN NOT EXISTS (SELECT 1 FROM responses r"
            " WHERE r.response_id = new.response_id AND r.target_id != new.target_id)",
        ),
        (
            "responses_count_delete",
            "AFTER DELETE ON responses WHEN NOT EXISTS (SELECT 1 FROM responses r"
            " WHERE r.response_id = old.response_id)",
        ),
        (
            "responses_count_update",
            "AFTER UPDATE OF response_id ON responses WHEN old.response_id != new.response_id",
        ),
    },
    "machinery": OUTSIDE_WRITES["machinery"],
}

EXPECTED = {
    "0001_initial": INITIAL,
    "0002_search": SEARCH,
    "0003_verdicts": VERDICTS,
    "0004_outside_writes": OUTSIDE_WRITES,
    "0005_record_counts": RECORD_COUNTS,
}


def fold_sql(value: object) -> object:
    """`claimtrack_fold` as claimtrack registers it (the search triggers call it)."""
    return fold(value) if isinstance(value, str) else value


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection, with the one function of claimtrack's that the schema calls."""
    conn = sqlite3.connect(path)
    conn.create_function("claimtrack_fold", 1, fold_sql, deterministic=True)
    return conn


def build(path: Path, step: int) -> sqlite3.Connection:
    """A new file at `path` with the steps up to and including STEPS[step] applied."""
    conn = connect(path)
    later = NAMES[step + 1] if step + 1 < len(NAMES) else None
    migration_set().apply(Database(conn), stop_before=later)
    assert applied_steps(conn) == NAMES[: step + 1]
    return conn


def schema(conn: sqlite3.Connection, machinery: set[str]) -> dict:
    """The schema of the file in the shape of EXPECTED."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    ours = [name for name in tables if name not in machinery]
    columns, indexes, foreign_keys = {}, set(), set()
    for table in ours:
        columns[table] = {
            name: (declared, bool(notnull), pk)
            for _, name, declared, notnull, _, pk in conn.execute(f"PRAGMA table_info('{table}')")
        }
        for _, index, unique, _, partial in conn.execute(f"PRAGMA index_list('{table}')"):
            indexed = tuple(row[2] for row in conn.execute(f"PRAGMA index_info('{index}')"))
            indexes.add((table, index, indexed, bool(unique), bool(partial)))
        for row in conn.execute(f"PRAGMA foreign_key_list('{table}')"):
            foreign_keys.add((table, row[3], row[2], row[4]))
    triggers = set()
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"):
        event = re.match(r"CREATE TRIGGER \S+ (.+?) BEGIN", " ".join(sql.split()))
        triggers.add((name, event.group(1) if event else sql))
    return {
        "columns": columns,
        "indexes": indexes,
        "foreign_keys": foreign_keys,
        "triggers": triggers,
        "machinery": set(tables) - set(ours),
    }


def test_every_step_has_an_expected_schema() -> None:
    missing = [name for name in NAMES if name not in EXPECTED]
    assert not missing, f"Write the expected schema of {missing} in EXPECTED."
    assert list(EXPECTED) == NAMES


@pytest.mark.parametrize("step", range(len(STEPS)), ids=NAMES)
def test_each_step_builds_exactly_its_schema(tmp_path: Path, step: int) -> None:
    expected = EXPECTED.get(NAMES[step])
    assert expected is not None, f"Write the expected schema of {NAMES[step]} in EXPECTED."
    conn = build(tmp_path / "step.db", step)
    try:
        assert schema(conn, expected["machinery"]) == expected
    finally:
        conn.close()


def test_the_search_table_folds_with_claimtrack_s_tokenizer(tmp_path: Path) -> None:
    conn = build(tmp_path / "step.db", NAMES.index("0002_search"))
    try:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()
    finally:
        conn.close()
    assert "USING fts5(" in sql
    assert "tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\"" in sql


def test_the_overview_view_has_a_column_for_each_facet(tmp_path: Path) -> None:
    conn = build(tmp_path / "step.db", NAMES.index("0004_outside_writes"))
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info('claims_overview')")]
        triggers = " ".join(
            sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        )
    finally:
        conn.close()
    assert columns == [
        "id", "text", "claimant", "side", "said_on", "status", "tags", "responses", "quote",
        "note", "uid", "created", "updated",
    ]  # fmt: skip
    assert "claimtrack_fold" not in triggers


def test_a_new_database_is_at_the_latest_step(db_path: Path) -> None:
    with ClaimStore.open(db_path) as store:
        assert applied_steps(store.conn) == NAMES
        assert schema(store.conn, EXPECTED[NAMES[-1]]["machinery"]) == EXPECTED[NAMES[-1]]


# -- upgrading a file with data ------------------------------------------------------------------

# Rows in the shape of the step that introduced it; a file at step k gets the rows of the latest
# shape at or before k. A step that changes the shape of these tables adds its rows here.
T = "2024-04-05T10:00:00Z"
ROWS_0001 = {
    "actors": [
        {"id": 1, "name": "Azerbaijani Defense Ministry", "side": "Azerbaijan", "note": None},
        {"id": 2, "name": "Armenian military", "side": "Armenia", "note": "MoD spokesperson"},
        {"id": 3, "name": "EU Monitoring Mission", "side": "EU", "note": None},
        {"id": 4, "name": "ТАСС", "side": None, "note": None},
    ],
    "sources": [
        {
            "id": 1,
            "url": "https://www.azatutyun.am/a/32892927.html",
            "title": "Baku Again Blasts U.S.-EU-Armenia Talks",
            "outlet": "Azatutyun",
            "published": "2024-04-05",
            "archived_url": None,
        },
        {
            "id": 2,
            "url": None,
            "title": "MoD statement",
            "outlet": None,
            "published": None,
            "archived_url": None,
        },
    ],
    "claims": [
        {
            "id": 1,
            "uid": "6f1c2a34-9b1e-4c5d-8e2f-0a1b2c3d4e51",
            "text": "Armenia is massing troops along the border",
            "actor_id": 1,
            "said_on": "2024-04",
            "quote": "military provocations",
            "note": None,
            "created": T,
            "updated": T,
        },
        {
            "id": 2,
            "uid": "6f1c2a34-9b1e-4c5d-8e2f-0a1b2c3d4e52",
            "text": "The claims of a build-up are false",
            "actor_id": 2,
            "said_on": "2024-04-05",
            "quote": None,
            "note": "Denied the same day",
            "created": T,
            "updated": T,
        },
        {
            "id": 3,
            "uid": "6f1c2a34-9b1e-4c5d-8e2f-0a1b2c3d4e53",
            "text": "No unusual movements were observed",
            "actor_id": 3,
            "said_on": None,
            "quote": None,
            "note": None,
            "created": T,
            "updated": T,
        },
        {
            "id": 5,  # id 4 was deleted: AUTOINCREMENT never gives it out again
            "uid": "6f1c2a34-9b1e-4c5d-8e2f-0a1b2c3d4e55",
            "text": "Перемирие нарушено у границы",
            "actor_id": 4,
            "said_on": "2024",
            "quote": None,
            "note": None,
            "created": T,
            "updated": T,
        },
    ],
    "claim_sources": [
        {"claim_id": 1, "source_id": 1, "position": 0},
        {"claim_id": 2, "source_id": 2, "position": 0},
        {"claim_id": 2, "source_id": 1, "position": 1},
    ],
    "claim_tags": [
        {"claim_id": 1, "tag": "troops"},
        {"claim_id": 1, "tag": "border"},
        {"claim_id": 5, "tag": "ceasefire"},
    ],
    "responses": [
        {"response_id": 2, "target_id": 1, "stance": "refutes", "created": T},
        {"response_id": 3, "target_id": 1, "stance": "disputes", "created": T},
    ],
    "changes": [
        {"id": 1, "at": T, "action": "add", "claim_id": 1, "summary": "add #1"},
        {"id": 2, "at": T, "action": "rebut", "claim_id": 2, "summary": "rebut #2 refutes #1"},
    ],
    "change_rows": [
        {"change_id": 1, "seq": 0, "tbl": "claims", "key": "1", "before": None, "after": "{}"},
        {"change_id": 2, "seq": 0, "tbl": "claims", "key": "2", "before": None, "after": "{}"},
        {
            "change_id": 2,
            "seq": 1,
            "tbl": "responses",
            "key": "[2, 1]",
            "before": None,
            "after": "{}",
        },
    ],
}
ROWS = {"0001_initial": ROWS_0001}

# A word of each claim that search finds it by after the upgrade (text, quote or note).
SEARCHES = {
    "troops": [1],
    "provocations": [1],  # in the quote
    "denied": [2],  # in the note
    "movements": [3],
    "ПЕРЕМИРИЕ": [5],  # folded across case
}


def rows_at(step: int) -> dict[str, list[dict]]:
    """The rows of the latest shape at or before STEPS[step]."""
    shape = next(name for name in reversed(NAMES[: step + 1]) if name in ROWS)
    return ROWS[shape]


def with_keys(table: str, row: dict) -> dict:
    """Actors carry the folded keys claimtrack writes beside the name and side."""
    if table != "actors":
        return row
    side = row["side"]
    return {**row, "key": name_key(row["name"]), "side_key": name_key(side) if side else None}


def fill(conn: sqlite3.Connection, rows: dict[str, list[dict]]) -> None:
    """Insert `rows` with plain SQL, in the order the foreign keys need."""
    conn.execute("PRAGMA foreign_keys = ON")
    for table, table_rows in rows.items():
        for row in table_rows:
            row = with_keys(table, row)
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
    conn.commit()


def stored(conn: sqlite3.Connection, rows: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """The rows of each table, in the columns `rows` gives, in rowid order."""
    found = {}
    for table, table_rows in rows.items():
        names = ", ".join(with_keys(table, table_rows[0]))
        found[table] = conn.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
    return found


def expected_rows(rows: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    return {
        table: [tuple(with_keys(table, row).values()) for row in table_rows]
        for table, table_rows in rows.items()
    }


@pytest.mark.parametrize("step", range(len(STEPS)), ids=NAMES)
def test_upgrade_keeps_every_row_and_reaches_the_latest_schema(
    db_path: Path, cli, step: int
) -> None:
    """A file at any step (the latest too) opens at the latest step with all its rows."""
    rows = rows_at(step)
    conn = build(db_path, step)
    fill(conn, rows)
    conn.close()

    with ClaimStore.open(db_path) as store:
        assert applied_steps(store.conn) == NAMES
        latest = EXPECTED[NAMES[-1]]
        assert schema(store.conn, latest["machinery"]) == latest
        assert stored(store.conn, rows) == expected_rows(rows)
        counted = store.conn.execute(
            "SELECT count(*), (SELECT count(DISTINCT response_id) FROM responses) FROM claims"
        ).fetchone()
        assert store.kept_counts() == counted  # counted when the step ran, or kept since
        assert store.get(5).text == "Перемирие нарушено у границы"
        assert store.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'claims'"
        ).fetchone() == (5,)

    for query, ids in SEARCHES.items():
        found = as_json(cli("search", query, "--json"))
        assert [claim["id"] for claim in found] == ids, query
    assert as_json(cli("info", "--json"))["schema_version"] == len(STEPS)
    info = ok(cli("info")).splitlines()
    assert info[1].split() == ["schema", "version", str(len(STEPS))]


@pytest.mark.parametrize("step", range(len(STEPS) - 1), ids=NAMES[:-1])
def test_upgraded_file_takes_new_claims_after_the_old_ones(db_path: Path, cli, step: int) -> None:
    """A new claim gets the next id, never a deleted one, and search finds it beside the old."""
    conn = build(db_path, step)
    fill(conn, rows_at(step))
    conn.close()
    assert ok(cli("add", "Troops withdrawn", "--by", "EU Monitoring Mission", "-q")) == "6\n"
    found = as_json(cli("search", "troops", "--json"))
    assert sorted(claim["id"] for claim in found) == [1, 6]
