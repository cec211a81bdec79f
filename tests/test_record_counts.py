"""The "N more" lines of `list` and `threads` without filters read counts that triggers keep
(`record_counts`): they must say what counting every claim would say, after every kind of
write, and under `--as-of` the claims of that day."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import as_json, connected, ok, record_troops


def more(cli, command: str, *options: str) -> int:
    """How many more records `command --limit 1` says match (0 when it says nothing)."""
    result = cli(command, "--limit", "1", *options)
    assert result.exit_code == 0, result.output
    said = re.search(r"^([\d,]+) more ", result.stderr, re.MULTILINE)
    return int(said.group(1).replace(",", "")) if said else 0


def counted(cli, *options: str) -> tuple[int, int]:
    """Every claim, and the threads among them, counted from the whole list."""
    claims = as_json(cli("list", "--json", "--all", *options))
    return len(claims), sum(1 for claim in claims if not claim["responds_to"])


def assert_counts_kept(cli) -> None:
    claims, threads = counted(cli)
    assert more(cli, "list") == max(claims - 1, 0)
    assert more(cli, "threads") == max(threads - 1, 0)


def test_the_counts_follow_every_kind_of_write(cli, tmp_path: Path) -> None:
    record_troops(cli)  # #1, answered by #2 and #3; #4 answers #2
    assert counted(cli) == (4, 1)
    assert_counts_kept(cli)
    ok(cli("add", "Talks resume", "--by", "EU Monitoring Mission"))  # a second thread
    ok(cli("link", "4", "3", "--stance", "disputes"))  # #4 answers two claims now
    assert_counts_kept(cli)
    ok(cli("unlink", "4", "2"))  # ...and one again
    assert_counts_kept(cli)
    ok(cli("unlink", "4", "3"))  # #4 answers none: a thread of its own
    assert counted(cli) == (5, 3)
    assert_counts_kept(cli)
    ok(cli("delete", "2", "--yes"))
    assert counted(cli) == (4, 3)
    assert_counts_kept(cli)
    ok(cli("undo"))  # #2 and its link back
    assert counted(cli) == (5, 3)
    assert_counts_kept(cli)

    thread = tmp_path / "thread.csv"
    thread.write_text(
        "id,responds_to,stance,text,by\n"
        "a,,,Shelling near the border,Observer\n"
        "b,a,refutes,No shelling,Ministry\n"
        "c,a,supports,Shelling confirmed,Monitor\n"
        "c,b,refutes,Shelling confirmed,Monitor\n",  # c answers two claims of the file
        encoding="utf-8",
    )
    ok(cli("import", str(thread)))
    assert counted(cli) == (8, 4)
    assert_counts_kept(cli)
    ok(cli("undo"))  # the whole import
    assert counted(cli) == (5, 3)
    assert_counts_kept(cli)


def test_an_outside_program_s_writes_are_counted(cli, db_path) -> None:
    """The triggers are plain SQL: claims and links written by another program count too."""
    record_troops(cli)
    with connected(db_path) as conn:
        conn.execute(
            "INSERT INTO claims (uid, text, actor_id, created, updated)"
            " VALUES ('9d3f0c1e-0000-4000-8000-000000000001', 'From outside', 1, 'x', 'x')"
        )
        conn.execute("DELETE FROM responses WHERE response_id = 4")
    assert counted(cli) == (5, 3)
    assert_counts_kept(cli)


def test_as_of_counts_the_claims_of_that_day(cli) -> None:
    for text, on in [("Early", "2024-01-02"), ("Middle", "2024-02-03"), ("Late", "2024-03-04")]:
        ok(cli("add", text, "--by", "Someone", "--on", on))
    ok(cli("rebut", "1", "Not so", "--by", "Other", "--on", "2024-01-05"))
    ok(cli("add", "Undated", "--by", "Someone"))
    claims, threads = counted(cli, "--as-of", "2024-02-28")
    assert (claims, threads) == (3, 2)
    assert more(cli, "list", "--as-of", "2024-02-28") == claims - 1
    assert more(cli, "threads", "--as-of", "2024-02-28") == threads - 1
    assert_counts_kept(cli)  # and the whole record
