"""The change log: `history`, `undo`, and replaying it backwards to the starting database."""

from __future__ import annotations

import re
import tempfile
from contextlib import suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.errors import ClaimtrackError
from claimtrack.model import ClaimEdit, NewClaim, Stance
from claimtrack.store import ClaimStore
from claimtrack.store.base import KEYS, ROW_NUMBER
from helpers import as_json, connected, dump, ok


def tables(db_path: Path | str) -> dict[str, list[tuple]]:
    """Every data table (not the change log) with its row numbers, which order tags and links."""
    with ClaimStore.open(db_path) as store:
        return {
            table: [
                tuple(row)
                for row in store.conn.execute(
                    f"SELECT {ROW_NUMBER[table]}, * FROM {table} ORDER BY 1"
                ).fetchall()
            ]
            for table in KEYS
        }


@pytest.fixture
def thread(cli) -> None:
    """#1 by A (side X), tagged and sourced; #2 refutes it; #3 disputes #2."""
    ok(
        cli(
            "add",
            "Claim",
            "--by",
            "A",
            "--side",
            "X",
            "--tag",
            "t1",
            "--tag",
            "t2",
            "--source",
            "https://example.org/a",
            "--source",
            "Report",
        )
    )
    ok(cli("rebut", "1", "Denial", "--by", "B", "--side", "Y"))
    ok(cli("rebut", "2", "Doubt", "--by", "A", "--stance", "disputes"))


# -- history -----------------------------------------------------------------------------------


def test_history_json_lists_changes_newest_first_with_row_images(cli, thread) -> None:
    ok(cli("edit", "1", "--on", "2024-04"))
    changes = as_json(cli("history", "--json"))
    assert [(c["id"], c["action"], c["claim_id"]) for c in changes] == [
        (4, "edit", 1),
        (3, "rebut", 3),
        (2, "rebut", 2),
        (1, "add", 1),
    ]
    edit = changes[0]
    assert set(edit) == {"id", "at", "action", "claim_id", "summary", "undone_by", "undoes", "rows"}
    assert edit["summary"] == 'edited #1: on (none) → "2024-04"'
    assert (edit["undone_by"], edit["undoes"]) == (None, None)
    [row] = edit["rows"]
    assert (row["table"], row["key"]) == ("claims", {"id": 1})
    assert (row["before"]["said_on"], row["after"]["said_on"]) == (None, "2024-04")
    assert row["before"]["uid"] == row["after"]["uid"]


def test_history_table_shows_when_action_claim_and_what_changed(cli, thread, monkeypatch, terminal):
    ok(cli("edit", "2", "--text", "Flat denial"))
    ok(cli("undo"))
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("history", "--limit", "2")
    out = ok(result)
    assert result.stderr == "3 more changes match: use --limit 4 or --all.\n"
    assert re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "YYYY-MM-DD hh:mm:ss", out) == (
        "                             Changes, newest first                              \n"
        "┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ Change ┃ When (UTC)          ┃ Action ┃ Claim ┃ What changed                 ┃\n"
        "┡━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│     #5 │ YYYY-MM-DD hh:mm:ss │ undo   │    #2 │ undid change #4 (edit:       │\n"
        '│        │                     │        │       │ edited #2: text "Denial" →   │\n'
        '│        │                     │        │       │ "Flat denial")               │\n'
        '│     #4 │ YYYY-MM-DD hh:mm:ss │ edit   │    #2 │ edited #2: text "Denial" →   │\n'
        '│        │                     │        │       │ "Flat denial"                │\n'
        "│        │                     │        │       │ (undone by change #5)        │\n"
        "└────────┴─────────────────────┴────────┴───────┴──────────────────────────────┘\n"
    )


def test_piped_history_is_every_change_one_a_line(cli, thread) -> None:
    ok(cli("edit", "2", "--text", "Flat\tdenial\nin two lines"))
    result = cli("history")
    lines = ok(result).splitlines()
    assert lines[0] == "change\tat\taction\tclaim\tsummary\tundone_by"
    assert [line.split("\t")[0] for line in lines[1:]] == ["4", "3", "2", "1"]
    # The summary quotes the text as JSON does ("Flat\tdenial"), and TSV writes a backslash
    # as two, so that a cell can always be read back.
    assert lines[1].split("\t")[4] == r'edited #2: text "Denial" → "Flat\\tdenial\\nin two lines"'
    assert result.stderr == ""


def test_history_of_a_claim_includes_changes_to_its_links(cli, thread) -> None:
    ok(cli("edit", "3", "--text", "Other doubt"))  # not about #1
    ok(cli("delete", "2", "--yes"))  # removes #2's link to #1
    changes = as_json(cli("history", "1", "--json"))
    assert [(c["action"], c["claim_id"]) for c in changes] == [
        ("delete", 2),
        ("rebut", 2),
        ("add", 1),
    ]
    assert [c["action"] for c in as_json(cli("history", "#3", "--json"))] == [
        "delete",
        "edit",
        "rebut",
    ]


def test_history_limit_and_all(cli, thread) -> None:
    assert len(as_json(cli("history", "--limit", "1", "--json"))) == 1
    assert len(as_json(cli("history", "--all", "--limit", "1", "--json"))) == 3
    assert cli("history", "--limit", "3").stderr == ""
    more = "1 more change matches: use --limit 4 or --all.\n"
    assert cli("history", "--limit", "2").stderr == more


def test_history_without_changes(cli, store, terminal) -> None:
    assert ok(cli("history")) == "No change is recorded yet.\n"
    assert as_json(cli("history", "--json")) == []


def test_history_of_a_claim_that_never_was_is_an_error_as_in_show(cli, thread) -> None:
    result = cli("history", "99999")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: There is no claim #99999. Run `claimtrack list` to see the claims' ids.\n",
    )


def test_history_of_a_deleted_claim_is_still_shown(cli, thread) -> None:
    ok(cli("delete", "1", "--yes"))
    changes = as_json(cli("history", "1", "--json"))
    assert [change["action"] for change in changes] == ["delete", "rebut", "add"]


def test_history_refuses_a_bad_id_and_limit(cli) -> None:
    result = cli("history", "four")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: 'four' is not a claim id: give a number such as 12 or #12.\n",
    )
    assert cli("history", "--limit", "0").exit_code == 2


@pytest.mark.parametrize(
    ("args", "action", "summary"),
    [
        (["edit", "1", "--add-tag", "t3"], "edit", "edited #1: tag +t3"),
        (["delete", "3", "--yes"], "delete", 'deleted #3 by A: "Doubt"'),
        (["link", "3", "1", "--stance", "supports"], "link", "linked #3 supports #1"),
        (["unlink", "3", "2"], "unlink", "unlinked: #3 no longer disputes #2"),
        (["actor", "edit", "B", "--side", ""], "actor-edit", 'edited actor B: side "Y" → (none)'),
        (
            ["actor", "merge", "B", "A"],
            "actor-merge",
            "merged actor B into A: 1 claim moved; "
            "A keeps its side X; B's side Y is dropped (the change log keeps it)",
        ),
        (
            ["source", "edit", "Report", "--outlet", "RFE/RL"],
            "source-edit",
            'edited source Report: outlet (none) → "RFE/RL"',
        ),
        (["undo"], "undo", "undid change #3 (rebut: recorded #3 by A (disputes #2))"),
    ],
)
def test_every_curation_write_is_one_named_change(cli, thread, db_path, args, action, summary):
    ok(cli(*args))
    with connected(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM changes").fetchone() == (4,)
        last = conn.execute("SELECT action, summary FROM changes WHERE id = 4").fetchone()
    assert last == (action, summary)


def test_a_deleted_claim_stays_readable_in_the_log(cli, thread) -> None:
    uid = as_json(cli("show", "1", "--json"))["uid"]
    ok(cli("delete", "1", "--yes"))
    [delete] = as_json(cli("history", "1", "--limit", "1", "--json"))
    # The claims row deleted; the claim that answered it is also updated when a second has
    # passed since it was recorded (its `updated` stamp changes).
    [claim] = [
        row["before"] for row in delete["rows"] if row["table"] == "claims" and row["after"] is None
    ]
    assert (claim["uid"], claim["text"]) == (uid, "Claim")
    assert sorted(r["before"]["tag"] for r in delete["rows"] if r["table"] == "claim_tags") == [
        "t1",
        "t2",
    ]


# -- undo --------------------------------------------------------------------------------------


def test_undo_of_a_delete_brings_the_claim_back_exactly(cli, thread, db_path) -> None:
    before = tables(db_path)
    shown = as_json(cli("show", "1", "--json"))
    ok(cli("delete", "1", "--yes"))
    assert ok(cli("undo")) == (
        'Undid change #4 (delete): deleted #1 by A: "Claim"; #2 no longer answers it.\n'
    )
    assert tables(db_path) == before
    assert as_json(cli("show", "1", "--json")) == shown


def test_undo_of_a_tag_removal_keeps_the_tag_order(cli, thread) -> None:
    ok(cli("edit", "1", "--remove-tag", "t1"))
    ok(cli("undo"))
    assert as_json(cli("show", "1", "--json"))["tags"] == ["t1", "t2"]


def test_undo_of_a_merge_restores_both_actors(cli, thread, db_path) -> None:
    before = tables(db_path)
    ok(cli("actor", "merge", "A", "B"))
    ok(cli("undo"))
    assert tables(db_path) == before


def test_repeated_undo_walks_back_and_history_shows_what_was_undone(cli, thread, db_path, terminal):
    ok(cli("edit", "1", "--text", "Changed"))
    ok(cli("link", "3", "1", "--stance", "refutes"))
    undo = as_json(cli("undo", "--json"))
    assert (undo["action"], undo["undoes"], undo["claim_id"]) == ("undo", 5, 3)
    ok(cli("undo"))
    assert as_json(cli("show", "1", "--json"))["text"] == "Claim"
    changes = {c["id"]: c for c in as_json(cli("history", "--json"))}
    assert (changes[5]["undone_by"], changes[4]["undone_by"]) == (6, 7)
    assert (changes[6]["undoes"], changes[7]["undoes"]) == (5, 4)
    assert "(undone by change #7)" in ok(cli("history"))
    # A new change after undoes is undone first; then the walk resumes before the undone ones.
    ok(cli("edit", "2", "--note", "n"))
    ok(cli("undo"))
    assert ok(cli("undo")).startswith("Undid change #3 (rebut)")


def test_undo_of_everything_leaves_an_empty_database_then_refuses(cli, thread, db_path) -> None:
    for _ in range(3):
        ok(cli("undo"))
    assert all(rows == [] for rows in tables(db_path).values())
    before = dump(db_path)
    result = cli("undo")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: There is nothing to undo: no change is recorded that is not undone already.\n",
    )
    assert dump(db_path) == before


def test_undo_refuses_when_the_file_was_changed_outside_claimtrack(cli, thread, db_path) -> None:
    with connected(db_path) as conn:
        conn.execute("UPDATE responses SET stance = 'refutes' WHERE response_id = 3")
    before = dump(db_path)
    result = cli("undo")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: Change #3 cannot be undone: the responses row "
        '{"response_id": 3, "target_id": 2} is not as that change left it'
    )
    assert dump(db_path) == before


# -- replaying the log backwards ---------------------------------------------------------------

# Actors with a fixed side each (or none), so that most random claims are accepted.
SIDE_OF = {"A": "X", "b": "Y", "Côte": None, "EU mission": "Y"}
TEXTS = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(str.strip)
OPTIONAL = st.one_of(st.none(), st.just(""), TEXTS)
TAGS = st.lists(st.sampled_from(["t1", "t2", "t3"]), max_size=2)
SOURCES = st.lists(st.sampled_from(["https://e.org/1", "HTTPS://E.org/2#x", "Report"]), max_size=2)


def new_claim(draw) -> NewClaim:
    """A random claim by one of the known actors, sometimes giving its side."""
    by = draw(st.sampled_from(sorted(SIDE_OF)))
    side = SIDE_OF[by] if draw(st.booleans()) else None
    return NewClaim(draw(TEXTS), by, side, tags=draw(TAGS), sources=draw(SOURCES))


def operation(draw, ids: list[int], actors: list[str]) -> tuple:
    """A random curation step on mostly existing claims and actors (unknown ones are refused)."""
    claim = st.one_of(st.sampled_from(ids), st.integers(1, max(ids) + 1))
    actor = st.sampled_from([*actors, "Nobody"])
    kind = draw(st.sampled_from(["edit", "link", "unlink", "merge", "delete", "actor", "source"]))
    if kind == "edit":
        edit = ClaimEdit(
            text=draw(st.one_of(st.none(), TEXTS)),
            by=draw(st.one_of(st.none(), st.sampled_from(sorted(SIDE_OF)))),
            on=draw(st.one_of(st.none(), st.sampled_from(["", "2024", "2024-04-05"]))),
            quote=draw(OPTIONAL),
            note=draw(OPTIONAL),
            add_tags=draw(TAGS),
            remove_tags=draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=1)),
            add_sources=draw(SOURCES),
            remove_sources=draw(st.lists(st.sampled_from(["https://e.org/1"]), max_size=1)),
        )
        return ("edit", draw(claim), edit)
    if kind in ("link", "unlink"):
        stance = (draw(st.sampled_from(list(Stance))),) if kind == "link" else ()
        return (kind, draw(claim), draw(claim), *stance)
    if kind == "merge":
        return ("merge", draw(actor), draw(actor))
    if kind == "delete":
        return ("delete", draw(claim))
    if kind == "actor":
        return ("actor", draw(actor), draw(st.sampled_from(["", "X", "Z"])), draw(OPTIONAL))
    return ("source", draw(st.sampled_from(["Report", "https://e.org/1"])), draw(OPTIONAL))


def apply(store: ClaimStore, step: tuple) -> int | None:
    """Apply one step; the id of the change it wrote, or None if it was refused or a no-op."""
    name, *args = step
    actions = {
        "edit": store.edit_claim,
        "link": store.link,
        "unlink": store.unlink,
        "merge": store.actor_merge,
        "delete": store.delete_claim,
        "actor": lambda name, side, note: store.actor_edit(name, side=side, note=note),
        "source": lambda source, outlet: store.source_edit(source, outlet=outlet),
    }
    try:
        return actions[name](*args).change_id
    except ClaimtrackError:
        return None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_undoing_every_change_in_reverse_reaches_the_starting_database(data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.db"
        with ClaimStore.open(path) as store:
            ids = [store.add_claim(new_claim(data.draw)).claim.id]
            for _ in range(data.draw(st.integers(0, 7), label="answers")):
                target = data.draw(st.sampled_from(ids))
                stance = data.draw(st.sampled_from(list(Stance)))
                with suppress(ClaimtrackError):  # a side conflict: refused, nothing written
                    ids.append(store.add_claim(new_claim(data.draw), [(target, stance)]).claim.id)
            start = tables(path)
            written = []
            for _ in range(data.draw(st.integers(1, 12), label="steps")):
                ids = [
                    row[0] for row in store.conn.execute("SELECT id FROM claims ORDER BY id")
                ] or [1]
                actors = [
                    row[0] for row in store.conn.execute("SELECT name FROM actors ORDER BY id")
                ]
                change = apply(store, operation(data.draw, ids, actors))
                if change is not None:
                    written.append(change)
            assert [c.id for c in store.history(limit=len(written))] == written[::-1]
            for change_id in reversed(written):
                undone = store.undo().undone
                assert undone is not None and undone.id == change_id
            assert tables(path) == start
