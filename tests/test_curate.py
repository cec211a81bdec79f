"""Curating the record from the command line: edit, delete, link, unlink, actors, sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.commands import curate
from helpers import as_json, connected, dump, ok, record_troops


def query(db_path: Path, sql: str, *params) -> list[tuple]:
    with connected(db_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def troops(cli) -> None:
    """The troop build-up thread with #1's text shorter; #5 apart, by Baku.

    #1 "Armenia is massing troops", #2 and #3 refute it, #4 disputes #2 (`record_troops`).
    """
    record_troops(cli, claim="Armenia is massing troops")
    ok(cli("add", "Ceasefire violated", "--by", "Baku"))


def refused(cli, db_path: Path, *args: str, message: str, code: int = 1, input=None) -> None:
    """The command fails with `code`, says `message` on stderr and writes nothing."""
    before = dump(db_path)
    result = cli(*args, input=input)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db_path) == before


# -- edit --------------------------------------------------------------------------------------


def test_edit_changes_fields_and_says_what_changed(cli, troops, db_path: Path) -> None:
    result = cli(
        "edit",
        "#1",
        "--text",
        "Armenia masses troops",
        "--on",
        "2024-04-05",
        "--quote",
        "military provocations",
        "--note",
        "see the EU denial",
    )
    assert ok(result) == (
        'Edited claim #1: text "Armenia is massing troops" → "Armenia masses troops"; '
        'on "2024-04" → "2024-04-05"; quote (none) → "military provocations"; '
        'note (none) → "see the EU denial".\n'
    )
    claim = as_json(cli("show", "1", "--json"))
    assert (claim["text"], claim["on"], claim["quote"], claim["note"]) == (
        "Armenia masses troops",
        "2024-04-05",
        "military provocations",
        "see the EU denial",
    )


def test_edit_json_prints_the_claim_keeping_uid_and_bumping_updated(
    cli, troops, db_path: Path
) -> None:
    before = as_json(cli("show", "1", "--json"))
    with connected(db_path) as conn:
        conn.execute("UPDATE claims SET updated = '2000-01-01T00:00:00Z' WHERE id = 1")
    claim = as_json(cli("edit", "1", "--add-tag", "border", "--json"))
    assert claim["id"] == 1
    assert claim["uid"] == before["uid"]
    assert claim["created"] == before["created"]
    assert claim["updated"] > "2000-01-01T00:00:00Z"
    assert claim["tags"] == ["troops", "border"]
    assert "responses" not in claim
    assert set(claim) >= {"id", "uid", "text", "by", "side", "on", "sources", "responds_to"}


def test_edit_empty_values_clear_optional_fields(cli, troops) -> None:
    ok(cli("edit", "1", "--quote", "q", "--note", "n"))
    claim = as_json(cli("edit", "1", "--on", "", "--quote", "", "--note", "", "--json"))
    assert (claim["on"], claim["quote"], claim["note"]) == (None, None, None)


def test_edit_tags_and_sources(cli, troops) -> None:
    claim = as_json(
        cli(
            "edit",
            "1",
            "--remove-tag",
            "troops",
            "--add-tag",
            "border",
            "--add-tag",
            "border",
            "--add-source",
            "Azatutyun report",
            "--remove-source",
            "HTTPS://WWW.AZATUTYUN.AM/a/32892927.html#top",
            "--json",
        )
    )
    assert claim["tags"] == ["border"]
    assert claim["sources"] == [
        {
            "url": None,
            "title": "Azatutyun report",
            "outlet": None,
            "published": None,
            "archived_url": None,
        }
    ]
    claim = as_json(cli("edit", "1", "--remove-source", "Azatutyun report", "--json"))
    assert claim["sources"] == []


def test_edit_by_moves_the_claim_to_another_actor(cli, troops) -> None:
    result = cli("edit", "5", "--by", "Azerbaijani Foreign Ministry", "--side", "Azerbaijan")
    assert ok(result) == (
        "New actor: Azerbaijani Foreign Ministry, side Azerbaijan.\n"
        "Edited claim #5: by Baku → Azerbaijani Foreign Ministry.\n"
    )
    claim = as_json(cli("show", "5", "--json"))
    assert (claim["by"], claim["side"]) == ("Azerbaijani Foreign Ministry", "Azerbaijan")


def test_edit_that_changes_nothing_says_so_and_writes_nothing(cli, troops, db_path) -> None:
    before = dump(db_path)
    result = cli(
        "edit",
        "1",
        "--on",
        "2024-04",
        "--add-tag",
        "troops",
        "--by",
        "azerbaijani defense ministry",
    )
    assert ok(result) == "Nothing changed: the values given are the ones recorded.\n"
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9", "--text", "x"], "There is no claim #9"),
        (["x1", "--text", "x"], "'x1' is not a claim id"),
        (["1", "--text", " "], "The new text (--text) is empty"),
        (["1", "--on", "2024-02-30"], "does not exist in the calendar"),
        (
            ["1", "--remove-tag", "border"],
            "Claim #1 has no tag 'border' to remove (its tags: troops)",
        ),
        (["1", "--add-tag", "a,b"], "a tag is a non-empty word or phrase without commas"),
        (["1", "--add-tag", "x", "--remove-tag", "x"], "Tag 'x' is both added and removed"),
        (["1", "--remove-source", "Nowhere"], "Claim #1 does not cite 'Nowhere'"),
        (["1", "--by", ""], "The claimant (--by) is empty"),
        (
            ["1", "--side", "Armenia"],
            "Azerbaijani Defense Ministry is on side Azerbaijan, not Armenia",
        ),
        # A valid change given with a bad one is not written either.
        (["1", "--text", "new", "--remove-tag", "nope"], "has no tag 'nope'"),
    ],
)
def test_edit_refuses_bad_input_and_writes_nothing(cli, troops, db_path, args, message) -> None:
    refused(cli, db_path, "edit", *args, message=message)


def test_edit_without_options_is_a_usage_error(cli, troops, db_path) -> None:
    refused(
        cli, db_path, "edit", "1", message="Nothing to change: give at least one option", code=2
    )


# -- delete ------------------------------------------------------------------------------------


def test_delete_with_yes_keeps_the_answers_without_the_link(cli, troops, db_path) -> None:
    result = cli("delete", "2", "--yes")
    assert ok(result) == (
        "Deleted claim #2. Kept the claims that answered it, without that link: #4. "
        "To bring it back, run `claimtrack undo` now.\n"
    )
    assert cli("show", "2").exit_code == 1
    answer = as_json(cli("show", "4", "--json"))
    assert answer["responds_to"] == []
    assert answer["text"] == "Units were moving"
    # The deleted claim's own link, tags and sources are gone; the source itself stays.
    assert query(db_path, "SELECT * FROM responses WHERE 2 IN (response_id, target_id)") == []
    assert query(db_path, "SELECT count(*) FROM sources") == [(1,)]


def test_delete_removes_tags_and_source_links(cli, troops, db_path) -> None:
    ok(cli("delete", "1", "--yes"))
    assert query(db_path, "SELECT count(*) FROM claim_tags") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM claim_sources") == [(0,)]
    assert query(db_path, "SELECT response_id, target_id FROM responses") == [(4, 2)]


def test_delete_without_yes_from_a_script_is_refused(cli, troops, db_path) -> None:
    refused(
        cli,
        db_path,
        "delete",
        "2",
        message="stdin is not a terminal: run `claimtrack delete 2 --yes`",
    )


def test_delete_on_a_terminal_asks_and_deletes_on_yes(cli, troops, monkeypatch) -> None:
    monkeypatch.setattr(curate, "stdin_is_terminal", lambda: True)
    result = cli("delete", "2", input="y\n")
    assert ok(result).startswith(
        "Delete claim #2 by Armenian military: No build-up (answered by #4, which stay)? [y/N]: "
        "y\nDeleted claim #2."
    )
    assert cli("show", "2").exit_code == 1


def test_delete_on_a_terminal_answered_no_keeps_the_claim(cli, troops, db_path, monkeypatch):
    monkeypatch.setattr(curate, "stdin_is_terminal", lambda: True)
    before = dump(db_path)
    result = cli("delete", "5", input="n\n")
    assert ok(result).endswith("Kept claim #5; nothing was deleted.\n")
    assert dump(db_path) == before


def test_delete_unknown_claim_is_refused(cli, troops, db_path) -> None:
    refused(cli, db_path, "delete", "9", "--yes", message="There is no claim #9")


# -- link and unlink ---------------------------------------------------------------------------


def test_link_connects_two_claims(cli, troops) -> None:
    assert ok(cli("link", "5", "#1", "--stance", "Qualifies")) == "Linked: #5 qualifies #1.\n"
    root = as_json(cli("show", "1", "--json"))
    assert [(r["id"], r["stance"]) for r in root["responses"]] == [
        (2, "refutes"),
        (3, "refutes"),
        (5, "qualifies"),
    ]


def test_link_json_prints_the_answering_claim(cli, troops) -> None:
    claim = as_json(cli("link", "3", "2", "--stance", "supports", "--json"))
    assert claim["id"] == 3
    assert claim["responds_to"] == [{"id": 1, "stance": "refutes"}, {"id": 2, "stance": "supports"}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2", "2"], "Claim #2 cannot answer itself"),
        (["2", "1"], "#2 already refutes #1. To change the stance, run `claimtrack unlink 2 1`"),
        (
            ["1", "2"],
            "#2 already answers #1 (directly or through other claims), so linking #1 "
            "to #2 would close a cycle",
        ),
        (["1", "4"], "would close a cycle"),  # #4 answers #2, which answers #1
        (["9", "1"], "There is no claim #9"),
        (["1", "9"], "There is no claim #9"),
    ],
)
def test_link_refuses_self_duplicate_cycle_and_unknown(cli, troops, db_path, args, message):
    refused(cli, db_path, "link", *args, "--stance", "refutes", message=message)


def test_link_refuses_an_unknown_stance(cli, troops, db_path) -> None:
    refused(
        cli,
        db_path,
        "link",
        "5",
        "1",
        "--stance",
        "denies",
        message="Unknown stance 'denies': use one of refutes, disputes, qualifies, supports.",
    )


def test_link_needs_a_stance(cli, troops, db_path) -> None:
    refused(cli, db_path, "link", "5", "1", message="Missing option '--stance'", code=2)


def test_unlink_removes_only_the_link(cli, troops) -> None:
    assert ok(cli("unlink", "2", "1")) == "Unlinked: #2 no longer refutes #1.\n"
    assert as_json(cli("show", "2", "--json"))["responds_to"] == []
    assert [r["id"] for r in as_json(cli("show", "1", "--json"))["responses"]] == [3]


def test_unlink_of_a_missing_link_is_refused(cli, troops, db_path) -> None:
    refused(
        cli,
        db_path,
        "unlink",
        "1",
        "2",
        message="#1 does not answer #2, so there is no link to remove",
    )
    refused(cli, db_path, "unlink", "1", "9", message="There is no claim #9")


# -- actors ------------------------------------------------------------------------------------


def test_actors_json_counts_claims_and_answers_by_stance(cli, troops) -> None:
    ok(cli("support", "3", "Confirmed", "--by", "EU Monitoring Mission"))
    report = as_json(cli("actors", "--json"))
    none = {"refutes": 0, "disputes": 0, "qualifies": 0, "supports": 0}
    assert report["actors"] == [
        {
            "name": "Armenian military",
            "side": "Armenia",
            "note": None,
            "claims": 1,
            "answers_given": {**none, "refutes": 1},
            "claims_answered": 1,
            "answers_received": {**none, "disputes": 1},
        },
        {
            "name": "Azerbaijani Defense Ministry",
            "side": "Azerbaijan",
            "note": None,
            "claims": 2,
            "answers_given": {**none, "disputes": 1},
            "claims_answered": 1,
            "answers_received": {**none, "refutes": 2},
        },
        {
            "name": "Baku",
            "side": None,
            "note": None,
            "claims": 1,
            "answers_given": none,
            "claims_answered": 0,
            "answers_received": none,
        },
        {
            "name": "EU Monitoring Mission",
            "side": "EU",
            "note": None,
            "claims": 2,
            "answers_given": {**none, "refutes": 1, "supports": 1},
            "claims_answered": 1,
            "answers_received": {**none, "supports": 1},
        },
    ]
    assert report["who_answers_whom"] == [
        {
            "answering_side": "Armenia",
            "answered_side": "Azerbaijan",
            "stances": {**none, "refutes": 1},
            "total": 1,
        },
        {
            "answering_side": "Azerbaijan",
            "answered_side": "Armenia",
            "stances": {**none, "disputes": 1},
            "total": 1,
        },
        {
            "answering_side": "EU",
            "answered_side": "Azerbaijan",
            "stances": {**none, "refutes": 1},
            "total": 1,
        },
        {
            "answering_side": "EU",
            "answered_side": "EU",
            "stances": {**none, "supports": 1},
            "total": 1,
        },
    ]


def test_actors_table_shows_answers_and_who_answers_whom(
    cli, troops, monkeypatch, terminal
) -> None:
    ok(cli("rebut", "5", "No violation", "--by", "Armenian military"))
    ok(cli("support", "1", "Confirmed", "--by", "Azerbaijani Defense Ministry"))
    monkeypatch.setenv("COLUMNS", "80")
    assert ok(cli("actors")) == (
        "                                     Actors                                     \n"
        "┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┓\n"
        "┃                      ┃            ┃        ┃                ┃ Answers        ┃\n"
        "┃ Actor                ┃ Side       ┃ Claims ┃ Answers given  ┃ received       ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━┩\n"
        "│ Armenian military    │ Armenia    │      2 │ 2 refutes      │ 1 of 2 claims: │\n"
        "│                      │            │        │                │ 1 disputes     │\n"
        "│ Azerbaijani Defense  │ Azerbaijan │      3 │ 1 disputes, 1  │ 1 of 3 claims: │\n"
        "│ Ministry             │            │        │ supports       │ 2 refutes, 1   │\n"
        "│                      │            │        │                │ supports       │\n"
        "│ Baku                 │ (no side)  │      1 │ —              │ 1 of 1 claim:  │\n"
        "│                      │            │        │                │ 1 refutes      │\n"
        "│ EU Monitoring        │ EU         │      1 │ 1 refutes      │ 0 of 1 claim   │\n"
        "│ Mission              │            │        │                │                │\n"
        "└──────────────────────┴────────────┴────────┴────────────────┴────────────────┘\n"
        "           Who answers whom (each row's side answering each column's)           \n"
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━┓\n"
        "┃ answering ↓  answered →                ┃ Armenia    ┃ Azerbaijan ┃ (no side) ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━┩\n"
        "│ Armenia                                │            │ 1 refutes  │ 1 refutes │\n"
        "│ Azerbaijan                             │ 1 disputes │ 1 supports │           │\n"
        "│ EU                                     │            │ 1 refutes  │           │\n"
        "└────────────────────────────────────────┴────────────┴────────────┴───────────┘\n"
    )


def test_actors_on_an_empty_database(cli, terminal) -> None:
    assert ok(cli("actors")) == "No actors yet: they are created by `claimtrack add --by NAME`.\n"
    assert as_json(cli("actors", "--json")) == {"actors": [], "who_answers_whom": []}


def test_actor_edit_renames_and_sets_side_and_note(cli, troops) -> None:
    result = cli(
        "actor",
        "edit",
        "baku",
        "--name",
        "Azerbaijani Foreign Ministry",
        "--side",
        "Azerbaijan",
        "--note",
        "statement of 27 March",
    )
    assert ok(result) == (
        'Edited actor Baku: name "Baku" → "Azerbaijani Foreign Ministry"; '
        'side (none) → "Azerbaijan"; note (none) → "statement of 27 March".\n'
    )
    claim = as_json(cli("show", "5", "--json"))
    assert (claim["by"], claim["side"]) == ("Azerbaijani Foreign Ministry", "Azerbaijan")
    ok(cli("actor", "edit", "Azerbaijani Foreign Ministry", "--side", "", "--note", ""))
    actor = as_json(cli("actors", "--json"))["actors"][2]
    assert (actor["name"], actor["side"], actor["note"]) == (
        "Azerbaijani Foreign Ministry",
        None,
        None,
    )


def test_actor_edit_may_change_the_case_of_its_own_name(cli, troops) -> None:
    assert ok(cli("actor", "edit", "Baku", "--name", "BAKU")) == (
        'Edited actor Baku: name "Baku" → "BAKU".\n'
    )


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["Nobody", "--side", "X"], "There is no actor 'Nobody'. Run `claimtrack actors`", 1),
        (
            ["Baku", "--name", "armenian MILITARY"],
            "There already is an actor 'Armenian "
            'military\'. To make the two one actor, run `claimtrack actor merge "Baku" '
            '"Armenian military"`.',
            1,
        ),
        (["Baku", "--name", " "], "The new name (--name) is empty", 1),
        (["Baku"], "Nothing to change: give --name, --side or --note.", 2),
    ],
)
def test_actor_edit_refuses_bad_input(cli, troops, db_path, args, message, code) -> None:
    refused(cli, db_path, "actor", "edit", *args, message=message, code=code)


def test_actor_edit_that_changes_nothing_says_so(cli, troops, db_path) -> None:
    before = dump(db_path)
    assert ok(cli("actor", "edit", "Baku", "--name", "Baku", "--side", "")) == (
        "Nothing changed: the values given are the ones recorded.\n"
    )
    assert dump(db_path) == before


def test_actor_merge_moves_claims_and_removes_the_name(cli, troops, db_path) -> None:
    ok(cli("add", "Provocations planned", "--by", "Armenian Defence Ministry"))
    result = cli("actor", "merge", "armenian defence ministry", "Armenian military")
    assert ok(result) == (
        "Merged actor Armenian Defence Ministry into Armenian military: 1 claim moved.\n"
    )
    assert as_json(cli("show", "6", "--json"))["by"] == "Armenian military"
    names = [a["name"] for a in as_json(cli("actors", "--json"))["actors"]]
    assert "Armenian Defence Ministry" not in names
    assert query(db_path, "SELECT action, summary FROM changes ORDER BY id DESC LIMIT 1") == [
        (
            "actor-merge",
            "merged actor Armenian Defence Ministry into Armenian military: 1 claim moved",
        )
    ]


def test_actor_merge_gives_a_side_to_an_actor_without_one(cli, troops) -> None:
    result = cli("actor", "merge", "Armenian military", "Baku")
    assert ok(result) == (
        "Merged actor Armenian military into Baku: 1 claim moved.\n"
        "Baku takes the side Armenia from Armenian military.\n"
    )
    assert as_json(cli("show", "2", "--json"))["side"] == "Armenia"


def test_actor_merge_keeps_the_surviving_side_and_says_so(cli, troops) -> None:
    ok(cli("actor", "edit", "Baku", "--note", "capital"))
    ok(cli("actor", "edit", "Armenian military", "--note", "MoD"))
    result = cli("actor", "merge", "EU Monitoring Mission", "Armenian military")
    assert ok(result) == (
        "Merged actor EU Monitoring Mission into Armenian military: 1 claim moved.\n"
        "Armenian military keeps its side Armenia; EU Monitoring Mission's side EU is dropped "
        "(the change log keeps it).\n"
    )
    ok(cli("actor", "merge", "Baku", "Armenian military"))
    actor = as_json(cli("actors", "--json"))["actors"][0]
    assert (actor["name"], actor["side"], actor["note"], actor["claims"]) == (
        "Armenian military",
        "Armenia",
        "MoD\ncapital",
        3,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Baku", "baku"], "'Baku' and 'baku' are both the actor 'Baku': nothing to merge."),
        (["Nobody", "Baku"], "There is no actor 'Nobody'"),
        (["Baku", "Nobody"], "There is no actor 'Nobody'"),
    ],
)
def test_actor_merge_refuses_bad_input(cli, troops, db_path, args, message) -> None:
    refused(cli, db_path, "actor", "merge", *args, message=message)


# -- sources -----------------------------------------------------------------------------------


def test_sources_json_counts_citing_claims(cli, troops) -> None:
    ok(
        cli(
            "edit",
            "2",
            "--add-source",
            "https://www.azatutyun.am/a/32892927.html",
            "--add-source",
            "Armenian MoD statement",
        )
    )
    assert as_json(cli("sources", "--json")) == [
        {
            "url": "https://www.azatutyun.am/a/32892927.html",
            "title": None,
            "outlet": None,
            "published": None,
            "archived_url": None,
            "claims": 2,
        },
        {
            "url": None,
            "title": "Armenian MoD statement",
            "outlet": None,
            "published": None,
            "archived_url": None,
            "claims": 1,
        },
    ]


def test_source_edit_describes_the_source_for_every_citing_claim(cli, troops, terminal) -> None:
    result = cli(
        "source",
        "edit",
        "https://WWW.azatutyun.am/a/32892927.html",
        "--title",
        "Baku Again Blasts U.S.-EU-Armenia Talks",
        "--outlet",
        "Azatutyun",
        "--published",
        "2024-04-05",
        "--archived-url",
        "https://web.archive.org/web/2024/https://x.example",
    )
    assert ok(result) == (
        'Edited source www.azatutyun.am: title (none) → "Baku Again Blasts U.S.-EU-Armenia '
        'Talks"; outlet (none) → "Azatutyun"; published (none) → "2024-04-05"; archived url '
        '(none) → "https://web.archive.org/web/2024/https://x.example".\n'
    )
    assert as_json(cli("show", "1", "--json"))["sources"] == [
        {
            "url": "https://www.azatutyun.am/a/32892927.html",
            "title": "Baku Again Blasts U.S.-EU-Armenia Talks",
            "outlet": "Azatutyun",
            "published": "2024-04-05",
            "archived_url": "https://web.archive.org/web/2024/https://x.example",
        }
    ]
    assert "│ source: Baku Again Blasts U.S.-EU-Armenia" in ok(cli("show", "1"))
    # Now it may be named by its title too, and a field cleared with "".
    ok(cli("source", "edit", "Baku Again Blasts U.S.-EU-Armenia Talks", "--outlet", ""))
    assert as_json(cli("sources", "--json"))[0]["outlet"] is None


def test_source_edit_renames_a_source_without_url(cli, troops) -> None:
    ok(cli("edit", "5", "--add-source", "MoD statement"))
    ok(cli("source", "edit", "MoD statement", "--title", "Azerbaijani MoD statement"))
    assert as_json(cli("show", "5", "--json"))["sources"][0]["title"] == (
        "Azerbaijani MoD statement"
    )


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["Nothing", "--title", "x"], "There is no source 'Nothing'. Run `claimtrack sources`", 1),
        (
            ["https://www.azatutyun.am/a/32892927.html", "--published", "April"],
            "--published 'April' is not a date",
            1,
        ),
        (
            ["https://www.azatutyun.am/a/32892927.html", "--archived-url", "web.archive.org/x"],
            "--archived-url 'web.archive.org/x' is not a URL",
            1,
        ),
        (["MoD statement", "--title", ""], "its title names it: it cannot be cleared", 1),
        (["MoD statement", "--title", "Other"], "Another source is already titled 'Other'", 1),
        (["MoD statement"], "Nothing to change: give --title, --outlet", 2),
    ],
)
def test_source_edit_refuses_bad_input(cli, troops, db_path, args, message, code) -> None:
    ok(cli("edit", "5", "--add-source", "MoD statement", "--add-source", "Other"))
    refused(cli, db_path, "source", "edit", *args, message=message, code=code)


def test_source_edit_refuses_an_ambiguous_title(cli, troops, db_path) -> None:
    ok(
        cli(
            "edit",
            "5",
            "--add-source",
            "https://a.example/1",
            "--add-source",
            "https://b.example/2",
        )
    )
    for url in ["https://a.example/1", "https://b.example/2"]:
        ok(cli("source", "edit", url, "--title", "Same"))
    refused(
        cli,
        db_path,
        "source",
        "edit",
        "Same",
        "--outlet",
        "X",
        message="Several sources "
        "are titled 'Same' (https://a.example/1, https://b.example/2): give the URL.",
    )


def test_sources_on_an_empty_database(cli, terminal) -> None:
    assert ok(cli("sources")).startswith("No sources yet")
    assert as_json(cli("sources", "--json")) == []


# -- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["edit"],
        ["delete"],
        ["link"],
        ["unlink"],
        ["actors"],
        ["actor", "edit"],
        ["actor", "merge"],
        ["sources"],
        ["source", "edit"],
        ["history"],
        ["undo"],
    ],
)
def test_every_curation_command_has_help_with_an_example(cli, command) -> None:
    assert "Example: claimtrack " in ok(cli(*command, "--help"))


def test_a_deleted_claims_id_is_never_given_to_another_claim(cli) -> None:
    assert cli("add", "First", "--by", "A", "-q").stdout == "1\n"
    assert cli("add", "Second", "--by", "A", "-q").stdout == "2\n"
    assert cli("delete", "2", "--yes").exit_code == 0
    assert cli("add", "Third", "--by", "A", "-q").stdout == "3\n"
    assert cli("undo").exit_code == 0  # takes Third back
    assert cli("add", "Fourth", "--by", "A", "-q").stdout == "4\n"
