"""Hard edges: files claimtrack cannot trust are refused and left byte for byte as they were,
reading never creates a database, and no raw control character reaches a terminal."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimtrack.migrations import STEPS
from claimtrack.model import NewClaim
from claimtrack.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None, user: list[str] | None = None):
    """claimtrack in a child process (as another user with `user`), output piped apart."""
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    environment.update({"PYTHONIOENCODING": "utf-8"}, **(env or {}))
    return subprocess.run(
        [*(user or []), sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=ROOT,
        timeout=60,
    )


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of the database file and of every file beside it (-wal, -shm, -journal)."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def claimtrack_file(path: Path, *texts: str) -> Path:
    """A claimtrack database holding claims with these texts, closed (no -wal left)."""
    with ClaimStore.open(path) as store:
        for text in texts:
            store.add_claim(NewClaim(text, "A"))
    assert not Path(f"{path}-wal").exists()
    return path


# Every command, with arguments it runs with, reading first.
READING = [
    ["list"],
    ["show", "1"],
    ["search", "troops"],
    ["timeline"],
    ["history"],
    ["info"],
    ["actors"],
    ["sources"],
    ["export"],
]
WRITING = [
    ["add", "New", "--by", "B"],
    ["rebut", "1", "No", "--by", "B"],
    ["edit", "1", "--text", "Changed"],
    ["delete", "1", "--yes"],
    ["undo"],
    ["import", "-"],
]


# -- 1. a schema this version does not know ------------------------------------------------------


KNOWN = [name for name, _ in STEPS]


@pytest.mark.parametrize(
    "sql, found",
    [
        (
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('claimtrack', '9999_future', '2030-01-01')",
            f"{len(KNOWN) + 1} schema steps, 1 of them unknown here (9999_future)",
        ),
        (
            "UPDATE _sqlite_migrations SET name = '0002_fulltext' WHERE name = '0002_search'",
            f"{len(KNOWN)} schema steps, 1 of them unknown here (0002_fulltext)",
        ),
    ],
    ids=["newer", "renamed"],
)
@pytest.mark.sqlite_only
def test_a_schema_with_unknown_steps_is_refused_by_every_command_untouched(
    cli, db_path: Path, sql: str, found: str
) -> None:
    claimtrack_file(db_path, "Troops are massing")
    with sqlite3.connect(db_path) as conn:
        conn.execute(sql)
    conn.close()
    before = snapshot(db_path)
    assert list(before) == ["claims.db"]
    for args in READING + WRITING:
        result = cli(*args, input="text,by\nHello,A\n")
        assert (result.exit_code, result.stdout) == (1, ""), (args, result.output)
        assert result.stderr == (
            f"Error: {db_path} has a claimtrack schema this version does not know: {found}; "
            f"claimtrack 0.1.0 knows {len(KNOWN)} ({', '.join(KNOWN)}). A newer claimtrack made "
            "or upgraded it: upgrade claimtrack (pip install -U claimtrack) to use it. The file "
            "was left as it was.\n"
        ), args
        assert snapshot(db_path) == before, args


# -- 2. another program's file -----------------------------------------------------------------


def other_programs_file(path: Path, migrations: bool = False) -> Path:
    """A SQLite file another tool made, in rollback-journal mode: a `claims` table of its own."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE claims (id INTEGER PRIMARY KEY, title TEXT, votes INTEGER)")
    conn.execute("INSERT INTO claims (title, votes) VALUES ('Mine', 3)")
    if migrations:  # another tool that also uses sqlite-utils migrations
        conn.execute(
            "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, "
            "name TEXT, applied_at TEXT)"
        )
        conn.execute("INSERT INTO _sqlite_migrations VALUES (1, 'llm', 'm001_initial', 'x')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.sqlite_only
@pytest.mark.parametrize("migrations", [False, True], ids=["plain", "other-migrations"])
def test_another_programs_file_is_refused_before_anything_changes(
    cli, db_path: Path, migrations: bool
) -> None:
    other_programs_file(db_path, migrations)
    before = snapshot(db_path)
    tables = "claims, _sqlite_migrations" if migrations else "claims"
    for args in [["list"], ["info"], ["add", "Text", "--by", "A"]]:
        result = cli(*args)
        assert (result.exit_code, result.stdout) == (1, ""), args
        assert result.stderr == (
            f"Error: {db_path} is a SQLite database that another program made (tables: "
            f"{tables}), not a claimtrack database: it has no claimtrack schema record. It was "
            "left as it was; give the path of a claimtrack database, or a new one, with --db or "
            "CLAIMTRACK_DB.\n"
        )
        assert snapshot(db_path) == before, args
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.sqlite_only
def test_a_text_file_is_refused_untouched(cli, db_path: Path) -> None:
    db_path.write_text("my notes\n" * 20)
    for args in [["list"], ["add", "Text", "--by", "A"]]:
        result = cli(*args)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            f"Error: Cannot use the database {db_path}: it is not a SQLite file, so not a "
            "claimtrack database. It was left as it was; check the path given with --db or "
            "CLAIMTRACK_DB.\n"
        )
        assert snapshot(db_path) == {"claims.db": b"my notes\n" * 20}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("empty", ["zero-length", "no-tables"])
def test_an_empty_file_reads_as_empty_and_becomes_a_database_on_a_write(
    cli, db_path: Path, empty: str
) -> None:
    if empty == "zero-length":
        db_path.write_bytes(b"")
    else:
        sqlite3.connect(db_path).execute("VACUUM").connection.close()
    before = snapshot(db_path)
    result = cli("list")
    assert (result.exit_code, result.stdout.count("\n")) == (0, 1)  # the TSV header alone
    assert "There is no claimtrack database at" in result.stderr
    assert snapshot(db_path) == before
    assert cli("add", "Text", "--by", "A").exit_code == 0
    assert cli("list", "--json").stdout.count('"text": "Text"') == 1


# -- 3. control characters on every path to a terminal ---------------------------------------

HOSTILE_NAME = "x\x1b]52;c;ZXZpbA==\x07.xyz"


def test_usage_errors_escape_file_names(cli, db_path: Path) -> None:
    claimtrack_file(db_path, "A claim")
    result = cli("export", "-o", HOSTILE_NAME)
    assert result.exit_code == 2
    assert "x\\x1b]52;c;ZXZpbA==\\x07.xyz" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_usage_errors_escape_file_names_in_a_real_process(db_path: Path) -> None:
    claimtrack_file(db_path, "A claim")
    for args in [["export", "-o", HOSTILE_NAME], ["list", "--csv", "--json", HOSTILE_NAME]]:
        result = run(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("Usage: claimtrack ")
        assert not {"\x1b", "\x07", "\x9b"} & set(result.stderr), result.stderr


def test_unknown_options_that_look_like_data_are_escaped(cli) -> None:
    result = cli("add", "-\x9b31m\u202e", "--by", "A")
    assert result.exit_code == 2
    assert not {"\x9b", "\u202e"} & set(result.stderr)
    assert "\\x9b31m\\u202e" in result.stderr


# DEL, C1 (CSI, NEL), bidi controls and the other invisible format characters.
INVISIBLE = "\x7f\x85\x9b\u202a\u202e\u2066\u2069\u200b\u200f\u2028\u2029\ufeff\u061c"


def test_json_writes_c1_del_bidi_and_format_characters_as_escapes(cli) -> None:
    text = f"a{INVISIBLE}b\x1b"
    assert cli("add", text, "--by", f"by{INVISIBLE}").exit_code == 0
    for args in [["show", "1", "--json"], ["list", "--json"], ["search", "a", "--json"]]:
        result = cli(*args)
        assert result.exit_code == 0
        assert not set(INVISIBLE + "\x1b") & set(result.stdout), args
        assert "\\u007f\\u0085\\u009b\\u202a\\u202e\\u2066\\u2069\\u200b" in result.stdout
        data = json.loads(result.stdout)
        claim = data if isinstance(data, dict) else data[0]
        assert (claim["text"], claim["by"]) == (text, f"by{INVISIBLE}")


def test_tables_show_the_invisible_format_characters_escaped(cli) -> None:
    assert cli("add", "a\u200bb\u2028c\ufeffd\u061ce", "--by", "A").exit_code == 0
    for args in [["list"], ["show", "1"], ["timeline"]]:
        result = cli(*args)
        assert "a\\u200bb\\u2028c\\ufeffd\\u061ce" in result.stdout, args
        assert not {"\u200b", "\u2028", "\ufeff", "\u061c"} & set(result.stdout)


# -- 4. out of range -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "troops"], ["timeline"], ["history"], ["history", "1"]],
    ids=lambda args: " ".join(args),
)
def test_a_limit_out_of_range_is_a_usage_error(cli, args: list[str]) -> None:
    for limit in ["99999999999999999999", "1000000001"]:
        result = cli(*args, "--limit", limit)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.endswith(
            f"Error: Invalid value for '--limit': {limit} is not in the range 1<=x<=1000000000.\n"
        )
    assert cli(*args, "--limit", "1000000000").exit_code in (0, 1)  # 1: history of no claim


# -- 5. a damaged file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-claim database imported from the benchmark generator's corpus (made once)."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus = folder / "corpus.csv"
    generate = [sys.executable, ROOT / "benchmarks/generate.py", "--claims", "2000"]
    subprocess.run(
        [*generate, "--seed", "1", "-o", corpus],
        check=True,
        capture_output=True,
    )
    path = folder / "corpus.db"
    result = run("--db", str(path), "import", str(corpus))
    assert result.returncode == 0, result.stderr
    return path


def damage(source: Path, target: Path) -> None:
    """A copy of `source` with 64-byte runs of random bytes (fixed seed) written over the start
    of every table's and index's root page but the schema's and the migration record's, and
    over several places in the middle of the file."""
    with sqlite3.connect(source) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            root
            for name, root in conn.execute("SELECT name, rootpage FROM sqlite_master")
            if root and "_sqlite_migrations" not in name
        ]
    conn.close()
    data = bytearray(source.read_bytes())
    rng = random.Random(20240405)
    offsets = [(root - 1) * page for root in roots]
    offsets += [rng.randrange(len(data) // 4, 3 * len(data) // 4) for _ in range(16)]
    for offset in offsets:
        data[offset : offset + 64] = rng.randbytes(64)
    target.write_bytes(bytes(data))


DAMAGED_COMMANDS = [
    ["show", "1"],
    ["show", "1500"],
    ["list"],
    ["list", "--json"],
    ["search", "troops"],
    ["timeline"],
    ["history"],
    ["history", "7"],
    ["info"],
    ["actors"],
    ["sources"],
    ["export"],
    ["export", "--format", "jsonl"],
    ["add", "New", "--by", "B"],
]


def damaged_message(path: Path) -> str:
    return f"Error: The database {path} is damaged ("


def test_every_command_on_a_damaged_file_says_it_is_damaged(
    cli, corpus_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.db"
    damage(corpus_db, path)
    for args in DAMAGED_COMMANDS:
        result = cli("--db", str(path), *args)
        assert result.exit_code == 1, (args, result.output)
        # export streams: its header (and any rows read before the damage) are out already.
        assert result.stdout == "" or args[0] == "export", args
        assert result.stderr.startswith(damaged_message(path)), (args, result.stderr)
        assert result.stderr.endswith(
            f': claimtrack cannot read it, and nothing was written. Check it with: sqlite3 {path} "'
            'PRAGMA integrity_check"; then restore a copy of the file from a backup.\n'
        ), args


def test_a_damaged_file_in_a_real_process_never_fails_unexpectedly(
    corpus_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.db"
    damage(corpus_db, path)
    for args in [["list"], ["info"], ["history"]]:
        result = run("--db", str(path), *args)
        assert (result.returncode, result.stdout) == (1, ""), args
        assert result.stderr.startswith(damaged_message(path)), result.stderr
        assert "unexpectedly" not in result.stderr


def lost_row(*args: object, **kwargs: object) -> None:
    """What reading a claim an index names but the damaged table lost looks like in Python."""
    raise KeyError(5790)


def test_a_failure_on_a_damaged_file_is_reported_as_the_damage(
    cli, corpus_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "damaged.db"
    damage(corpus_db, path)
    monkeypatch.setattr(ClaimStore, "list_claims", lost_row)
    result = cli("--db", str(path), "list")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(damaged_message(path)), result.stderr


def test_a_failure_on_a_sound_file_is_still_a_bug(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claimtrack_file(db_path, "A claim")
    monkeypatch.setattr(ClaimStore, "list_ids", lost_row)
    result = cli("list")
    assert isinstance(result.exception, KeyError)  # main's last net reports it as a bug


@pytest.mark.sqlite_only
def test_a_damaged_schema_is_met_on_opening(cli, db_path: Path) -> None:
    claimtrack_file(db_path, "A claim")
    data = bytearray(db_path.read_bytes())
    data[100:164] = random.Random(5).randbytes(64)  # page 1's b-tree: the schema itself
    db_path.write_bytes(bytes(data))
    before = snapshot(db_path)
    for args in [["list"], ["add", "Text", "--by", "A"]]:
        result = cli(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith(damaged_message(db_path)), result.stderr
        assert snapshot(db_path) == before


# -- 6. ids and dashes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["show", "-1"], ["history", "-3"], ["link", "3", "-4", "--stance", "refutes"]],
    ids=lambda args: " ".join(args),
)
def test_a_negative_id_is_not_a_claim_id(cli, args: list[str]) -> None:
    result = cli(*args)
    number = next(arg for arg in args if arg.startswith("-") and arg[1:].isdigit())
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: '{number}' is not a claim id: give a number such as 12 or #12.\n",
    )


@pytest.mark.parametrize(
    "args, fixed",
    [
        (
            ["add", "-1+2", "--by", "X Y", "-q"],
            "claimtrack add --by 'X Y' -q -- -1+2",
        ),
        (
            ["add", "--tag", "t", "-5 degrees", "--by", "X"],
            "claimtrack add --tag t --by X -- '-5 degrees'",
        ),
        (
            ["rebut", "1", "-5", "--by", "X"],
            "claimtrack rebut --by X 1 -- -5",
        ),
    ],
)
def test_text_that_looks_like_an_option_is_told_to_follow_double_dash(
    cli, db_path: Path, args: list[str], fixed: str
) -> None:
    claimtrack_file(db_path, "A claim")
    result = cli(*args)
    token = next(arg for arg in args if arg.startswith("-") and arg[1:2] in "0123456789")
    assert (result.exit_code, result.stdout) == (2, "")
    metavar = "TEXT"
    assert result.stderr.endswith(
        f"Error: No such option: {token}. If {token} is meant as {metavar}, not as an option, "
        f"put -- before it: {fixed}\n"
    )
    # The command it suggests does what was meant.
    again = cli(*shlex.split(fixed)[1:])
    assert again.exit_code == 0, again.output
    assert cli("show", "2", "--json").stdout.count(json.dumps(token)) == 1


def test_unknown_options_that_look_like_options_keep_the_parsers_words(cli) -> None:
    result = cli("list", "--frob")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: No such option: --frob (Possible options: --by)\n")


@pytest.mark.parametrize(
    "url, port", [("http://x.com:99999999/", "99999999"), ("https://x.com:8o/a", "8o")]
)
def test_a_source_url_with_an_impossible_port_is_refused(cli, url: str, port: str) -> None:
    result = cli("add", "Text", "--by", "A", "--source", url)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: Source '{url}' has the port '{port}', which cannot be: a port is a number "
        "from 0 to 65535; correct the URL.\n",
    )
    assert cli("list", "--json").stdout == "[]\n"


# -- 7. read-only and missing files ----------------------------------------------------------


@pytest.mark.parametrize("args", READING, ids=lambda args: " ".join(args))
def test_reading_commands_never_create_a_database(cli, tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "fouding" / "claims.db"
    result = cli("--db", str(path), *args)
    if args[:1] in (["show"], ["history"]) and len(args) > 1:
        assert result.exit_code == 1  # claim #1 does not exist
        assert "There is no claim #1" in result.stderr
    else:
        assert result.exit_code == 0, result.output
        assert result.stderr == (
            f"There is no claimtrack database at {path} yet, so there is nothing to read. "
            "The first `claimtrack add` or `claimtrack import` creates it.\n"
        )
    assert not path.parent.exists()


def test_the_first_write_creates_the_database_and_its_folder(cli, tmp_path: Path) -> None:
    path = tmp_path / "new" / "claims.db"
    assert cli("--db", str(path), "list").stdout.startswith("id\ton\tby")  # TSV, no rows
    assert cli("--db", str(path), "add", "Text", "--by", "A").exit_code == 0
    result = cli("--db", str(path), "list", "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)[0]["text"] == "Text"


def as_nobody() -> list[str] | None:
    """A command prefix that runs claimtrack as the unprivileged user nobody, if one works
    (nobody must be able to read this checkout and its virtual environment)."""
    for prefix in (
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"],
        ["runuser", "-u", "nobody", "--"],
    ):
        if shutil.which(prefix[0]) is None:
            continue
        try:
            done = subprocess.run(
                [*prefix, sys.executable, "-c", "import claimtrack"],
                capture_output=True,
                timeout=30,
                cwd=ROOT,
            )
        except OSError:
            continue
        if done.returncode == 0:
            return prefix
    return None


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder nobody may enter but not write to (0555), removed afterwards."""
    if as_nobody() is None:
        pytest.skip("cannot run claimtrack as the unprivileged user nobody here")
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def lock_down(path: Path) -> None:
    path.chmod(0o444)
    path.parent.chmod(0o555)


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_read_only_database_can_be_read_by_every_reading_command(
    read_only_folder: Path, journal: str
) -> None:
    path = claimtrack_file(read_only_folder / "claims.db", "Troops are massing", "No troops")
    if journal == "delete":
        sqlite3.connect(path).execute("PRAGMA journal_mode = DELETE").connection.close()
    lock_down(path)
    before = snapshot(path)
    nobody = as_nobody()
    for args in READING:
        result = run("--db", str(path), *args, user=nobody)
        assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
        assert snapshot(path) == before, args
    listed = run("--db", str(path), "search", "massing", "--json", user=nobody)
    assert [claim["text"] for claim in json.loads(listed.stdout)] == ["Troops are massing"]
    result = run("--db", str(path), "add", "Text", "--by", "A", user=nobody)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: Cannot write to the database {path}: the file or its folder is read-only. "
        "Nothing was written. Commands that only read (list, show, search, ...) work on it.\n"
    )
    assert snapshot(path) == before


def test_a_read_only_database_at_an_older_schema_is_read_through_an_upgraded_copy(
    read_only_folder: Path,
) -> None:
    from sqlite_utils import Database, Migrations

    from claimtrack.migrations import SET_NAME, initial

    path = read_only_folder / "claims.db"
    migrations = Migrations(SET_NAME)
    migrations(name="0001_initial")(initial)
    db = Database(path)
    migrations.apply(db)
    db.execute("INSERT INTO actors (id, name, key) VALUES (1, 'A', 'a')")
    db.execute(
        "INSERT INTO claims (uid, text, actor_id, created, updated) "
        "VALUES ('u1', 'Troops are massing', 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"
    )
    db.conn.commit()
    db.close()
    lock_down(path)
    before = snapshot(path)
    nobody = as_nobody()
    result = run("--db", str(path), "search", "troops", "--json", user=nobody)
    assert result.returncode == 0, result.stderr
    assert [claim["text"] for claim in json.loads(result.stdout)] == ["Troops are massing"]
    info = json.loads(run("--db", str(path), "info", "--json", user=nobody).stdout)
    assert info["counts"]["claims"] == 1
    assert snapshot(path) == before


# -- 8. sibling cases ----------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_database_locked_longer_than_the_busy_timeout_is_a_clear_error(
    cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claimtrack_file(db_path, "A claim")
    monkeypatch.setattr("claimtrack.db.BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("add", "Text", "--by", "A")
        assert (result.exit_code, result.stdout, result.stderr) == (
            1,
            "",
            f"Error: The database {db_path} is busy: another program has been writing to it "
            "for more than 0.2 seconds. Nothing was written; try again when it has finished.\n",
        )
        # Readers are not held up by a writer (WAL).
        assert cli("list", "--json").exit_code == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cli("list", "--json").stdout.count('"text"') == 1


@pytest.mark.parametrize("args", [["list"], ["add", "Text", "--by", "A"]])
def test_a_path_under_a_file_is_refused_for_reading_and_writing(
    cli, tmp_path: Path, args: list[str]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("notes")
    result = cli("--db", str(blocker / "claims.db"), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: Cannot create the database {blocker / 'claims.db'}: {blocker} is a file, not a "
        "folder. Give another path with --db or CLAIMTRACK_DB.\n",
    )
    assert blocker.read_text() == "notes"


@pytest.mark.parametrize("args", [["list"], ["add", "Text", "--by", "A"]])
def test_a_device_or_a_pipe_is_not_a_database(cli, tmp_path: Path, args: list[str]) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for path in [Path(os.devnull), pipe]:
        result = cli("--db", str(path), *args)
        assert (result.exit_code, result.stdout, result.stderr) == (
            1,
            "",
            f"Error: {path} is not a regular file (it is a device, a pipe or a socket); give "
            "the path of a database file with --db or CLAIMTRACK_DB.\n",
        )


def test_a_database_that_may_not_be_read_is_a_clear_error(read_only_folder: Path) -> None:
    path = claimtrack_file(read_only_folder / "claims.db", "Private")
    path.chmod(0o600)
    before = snapshot(path)
    for args in [["list"], ["add", "Text", "--by", "A"]]:
        result = run("--db", str(path), *args, user=as_nobody())
        assert (result.returncode, result.stdout, result.stderr) == (
            1,
            "",
            f"Error: Cannot read the database {path}: Permission denied.\n",
        )
    assert snapshot(path) == before


def test_a_file_name_with_uri_characters_is_read_as_named(cli, tmp_path: Path) -> None:
    path = tmp_path / "we?ird#na%20me.db"
    assert cli("--db", str(path), "add", "Text", "--by", "A").exit_code == 0
    assert not (tmp_path / "we").exists()
    result = cli("--db", str(path), "list", "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)[0]["text"] == "Text"


def test_an_immediate_locked_answer_is_tried_again_within_the_busy_timeout() -> None:
    # SQLite says "locked" without waiting where waiting could deadlock (two processes
    # switching a new file to WAL at once); claimtrack.db tries again.
    from claimtrack.db import _patiently

    calls = []

    def switch() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")

    _patiently(switch)
    assert len(calls) == 3
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _patiently(lambda: (_ for _ in ()).throw(sqlite3.OperationalError("no such table: x")))


# -- CSV to a terminal, and what a killed export left -------------------------------------------


def test_csv_to_a_terminal_shows_control_characters_escaped(db_path: Path, tmp_path) -> None:
    """`list --csv` and `export` write stored bytes exactly to a file or pipe, but escaped
    to a terminal (a real pseudo-terminal here)."""
    import pty

    hostile = "Troops \x1b]52;c;ZXZpbA==\x07 \u009b2J \u202eevil"
    claimtrack_file(db_path, hostile)
    for args in (["list", "--csv"], ["export", "--format", "csv"]):
        main, secondary = pty.openpty()
        done = subprocess.run(
            [sys.executable, "-m", "claimtrack", "--db", str(db_path), *args],
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        os.close(secondary)
        seen = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(main, 65536):
                seen += chunk
        os.close(main)
        assert done.returncode == 0, done.stderr
        assert b"\x1b]52" not in seen and "\u009b".encode() not in seen, args
        assert b"\\x1b]52;c;ZXZpbA==\\x07" in seen, args
        piped = subprocess.run(
            [sys.executable, "-m", "claimtrack", "--db", str(db_path), *args],
            capture_output=True,
            timeout=60,
        )
        assert hostile.encode() in piped.stdout, args  # exact off a terminal


def test_a_killed_exports_partial_file_is_removed_next_time(cli, db_path: Path, tmp_path) -> None:
    claimtrack_file(db_path, "A claim")
    target = tmp_path / "out.csv"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.csv.{dead.pid}.partial"
    stale.write_text("half an export")
    assert cli("export", "-o", str(target)).exit_code == 0
    assert not stale.exists()
    assert target.read_text(encoding="utf-8").startswith("id,uid,")
