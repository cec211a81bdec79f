"""The core commands in-process: add, rebut, support, show, list, info, and their errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimtrack.model import NewClaim
from claimtrack.store import ClaimStore
from helpers import CLAIM_KEYS, as_json, dump, ok

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def listed(cli, *args: str) -> list[int]:
    """The ids `list --json` prints, in its order."""
    return [claim["id"] for claim in as_json(cli("list", "--json", *args))]


# -- recording ---------------------------------------------------------------------------------


def test_add_announces_the_new_actor_and_the_claim_id(cli) -> None:
    result = cli(
        "add", "Troops are massing", "--by", "Azerbaijani Defense Ministry", "--side", "Azerbaijan"
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "New actor: Azerbaijani Defense Ministry, side Azerbaijan.\nRecorded claim #1.\n"
    )


def test_add_by_a_known_actor_prints_only_the_id(cli) -> None:
    ok(cli("add", "One", "--by", "EU Monitoring Mission"))
    assert ok(cli("add", "Two", "--by", "eu monitoring mission")) == "Recorded claim #2.\n"


def test_rebut_says_what_the_new_claim_refutes(cli) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    assert ok(cli("rebut", "1", "Denial", "--by", "A")) == "Recorded claim #2 (refutes #1).\n"


@pytest.mark.parametrize("stance", ["disputes", "qualifies", "Disputes"])
def test_rebut_with_a_stance_says_it(cli, stance: str) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    output = ok(cli("rebut", "#1", "Answer", "--by", "A", "--stance", stance))
    assert output == f"Recorded claim #2 ({stance.lower()} #1).\n"


def test_support_says_what_the_new_claim_supports(cli) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    assert ok(cli("support", "#1", "Indeed", "--by", "A")) == "Recorded claim #2 (supports #1).\n"


@pytest.mark.parametrize(
    "command", [["add"], ["rebut", "1"], ["support", "1"], ["rebut", "1", "--stance", "qualifies"]]
)
def test_quiet_prints_the_bare_id_and_notices_on_stderr(cli, command: list[str]) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    result = cli(*command, "Text", "--by", "New actor", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "2\n", "New actor: New actor.\n")


def test_add_json_prints_the_claim_in_the_spec_shape(cli) -> None:
    result = cli(
        "add",
        "Armenia is massing troops",
        "--by",
        "Azerbaijani Defense Ministry",
        "--side",
        "Azerbaijan",
        "--on",
        "2024-04",
        "--quote",
        "military provocations",
        "--source",
        "HTTPS://WWW.Azatutyun.am/a/32892927.html#top",
        "--source",
        "RFE/RL report",
        "--tag",
        "troops",
        "--tag",
        "border",
        "--note",
        "See the EUMA denial",
        "--json",
    )
    claim = as_json(result)
    assert result.stderr == "New actor: Azerbaijani Defense Ministry, side Azerbaijan.\n"
    assert list(claim) == CLAIM_KEYS
    assert UUID.fullmatch(claim.pop("uid"))
    assert TIMESTAMP.fullmatch(claim.pop("created"))
    assert TIMESTAMP.fullmatch(claim.pop("updated"))
    assert claim == {
        "id": 1,
        "text": "Armenia is massing troops",
        "by": "Azerbaijani Defense Ministry",
        "side": "Azerbaijan",
        "on": "2024-04",
        "quote": "military provocations",
        "sources": [
            {
                "url": "https://www.azatutyun.am/a/32892927.html",
                "title": None,
                "outlet": None,
                "published": None,
                "archived_url": None,
            },
            {
                "url": None,
                "title": "RFE/RL report",
                "outlet": None,
                "published": None,
                "archived_url": None,
            },
        ],
        "tags": ["troops", "border"],
        "note": "See the EUMA denial",
        "status": "unanswered",
        "responds_to": [],
        "verdict": None,
        "verdicts": [],
        "standing": "stands",
    }


def test_add_json_gives_absent_values_as_null_and_empty_lists(cli) -> None:
    claim = as_json(cli("add", "Bare", "--by", "A", "--json"))
    assert {key: claim[key] for key in ["side", "on", "quote", "sources", "tags", "note"]} == {
        "side": None,
        "on": None,
        "quote": None,
        "sources": [],
        "tags": [],
        "note": None,
    }


def test_rebut_json_names_what_the_claim_responds_to(cli) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    claim = as_json(cli("rebut", "1", "No", "--by", "B", "--stance", "disputes", "--json"))
    assert (claim["id"], claim["responds_to"]) == (2, [{"id": 1, "stance": "disputes"}])
    assert as_json(cli("show", "1", "--json"))["status"] == "contested"


def test_support_json_names_what_the_claim_supports(cli) -> None:
    ok(cli("add", "Claim", "--by", "A"))
    claim = as_json(cli("support", "1", "Yes", "--by", "B", "--json"))
    assert claim["responds_to"] == [{"id": 1, "stance": "supports"}]


def test_json_keeps_non_ascii_text_readable(cli) -> None:
    result = cli("add", "Ереван — Երևան", "--by", "Müdafiə Nazirliyi", "--json")
    assert '"text": "Ереван — Երևան"' in ok(result)


# -- show --------------------------------------------------------------------------------------


def test_show_json_nests_responses_with_their_stance(troops) -> None:
    thread = as_json(troops("show", "1", "--json"))
    assert list(thread) == [*CLAIM_KEYS, "defeated_by", "responses"]
    assert thread["status"] == "contested"

    def shape(node: dict) -> list:
        return [node["id"], node.get("stance"), [shape(child) for child in node["responses"]]]

    assert shape(thread) == [
        1,
        None,
        [[2, "refutes", [[4, "disputes", []]]], [3, "refutes", []]],
    ]
    first_answer = thread["responses"][0]
    assert list(first_answer) == [*CLAIM_KEYS, "stance", "defeated_by", "responses"]
    assert (first_answer["by"], first_answer["side"]) == ("Armenian military", "Armenia")
    assert first_answer["responds_to"] == [{"id": 1, "stance": "refutes"}]


def test_show_json_of_an_answer_is_its_own_thread(troops) -> None:
    thread = as_json(troops("show", "#2", "--json"))
    assert (thread["id"], thread["responds_to"]) == (2, [{"id": 1, "stance": "refutes"}])
    assert [(r["id"], r["stance"]) for r in thread["responses"]] == [(4, "disputes")]


def test_show_prints_the_header_and_the_table(troops) -> None:
    lines = ok(troops("show", "1")).splitlines()
    assert lines[:2] == [
        "#1 Armenia is massing troops along the border",
        "by Azerbaijani Defense Ministry (Azerbaijan) · 2024-04 · contested",
    ]
    assert lines[2] == (
        "Answered by: Armenian military (Armenia) refutes #2; EU Monitoring Mission (EU) refutes #3"
    )
    assert any("│  └─ disputes" in line for line in lines)


@pytest.mark.parametrize("claim_id", ["9", "#9"])
def test_show_unknown_claim_is_an_error(troops, claim_id: str) -> None:
    result = troops("show", claim_id)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: There is no claim #9. Run `claimtrack list` to see the claims' ids.\n"
    )


# -- list --------------------------------------------------------------------------------------


@pytest.fixture
def dated(cli, store: ClaimStore):
    """Claims said at every precision around 5 April 2024, and one undated."""
    for on, by, side, tag in [
        ("2024", "Ilham Aliyev", "Azerbaijan", "talks"),
        ("2024-03", "Armenian military", "Armenia", "troops"),
        ("2024-04", "EU Monitoring Mission", "EU", "troops"),
        ("2024-04-05", "James O'Brien", "US", "talks"),
        ("2024-04-06", "Ilham Aliyev", None, "talks"),
        ("2024-05", "Armenian military", None, "troops"),
        (None, "EU Monitoring Mission", None, "troops"),
    ]:
        store.add_claim(NewClaim(f"said {on}", by, side=side, on=on, tags=[tag]))
    return cli


def test_list_is_newest_first_with_undated_last(dated) -> None:
    assert listed(dated) == [6, 5, 4, 3, 2, 1, 7]


def test_list_limit_keeps_the_newest(dated) -> None:
    assert listed(dated, "--limit", "3") == [6, 5, 4]


def test_list_ties_on_one_date_show_the_newest_recorded_first(cli) -> None:
    for text in ["first", "second", "third"]:
        ok(cli("add", text, "--by", "A", "--on", "2024-04-05"))
    assert listed(cli) == [3, 2, 1]


@pytest.mark.parametrize("name", ["Ilham Aliyev", "ILHAM ALIYEV", " ilham  aliyev "])
def test_list_by_matches_the_actor_as_names_do(dated, name: str) -> None:
    assert listed(dated, "--by", name) == [5, 1]


@pytest.mark.parametrize("side", ["Armenia", "armenia"])
def test_list_side_matches_the_actors_side(dated, side: str) -> None:
    assert listed(dated, "--side", side) == [6, 2]


def test_list_tag_keeps_claims_with_that_tag(dated) -> None:
    assert listed(dated, "--tag", "talks") == [5, 4, 1]


def test_list_status_keeps_claims_with_that_status(dated) -> None:
    ok(dated("rebut", "4", "No", "--by", "B", "-q"))
    ok(dated("support", "3", "Yes", "--by", "B", "-q"))
    assert listed(dated, "--status", "contested") == [4]
    assert listed(dated, "--status", "supported") == [3]
    assert listed(dated, "--status", "mixed") == []


def test_list_since_counts_a_vaguer_date_that_overlaps(dated) -> None:
    assert listed(dated, "--since", "2024-04-05") == [6, 5, 4, 3, 1]


def test_list_until_counts_a_vaguer_date_that_overlaps(dated) -> None:
    assert listed(dated, "--until", "2024-04-05") == [4, 3, 2, 1]


def test_list_since_and_until_one_month(dated) -> None:
    assert listed(dated, "--since", "2024-04", "--until", "2024-04") == [5, 4, 3, 1]


def test_list_since_a_year_leaves_out_earlier_years_and_undated(dated) -> None:
    assert listed(dated, "--since", "2025") == []
    assert listed(dated, "--until", "2023") == []


def test_list_filters_combine_with_and(dated) -> None:
    assert listed(dated, "--tag", "troops", "--since", "2024-04", "--side", "EU") == [3]


def test_list_json_with_no_match_is_an_empty_list(dated) -> None:
    assert ok(dated("list", "--json", "--by", "Nobody")) == "[]\n"


def test_list_json_prints_claims_in_the_spec_shape(dated) -> None:
    claims = as_json(dated("list", "--json", "--limit", "1"))
    assert [list(claim) for claim in claims] == [CLAIM_KEYS]


def test_list_prints_a_table_on_a_terminal(troops, terminal) -> None:
    output = ok(troops("list"))
    assert output.splitlines()[1].split() == [
        "┃", "#", "┃", "Claimant,", "date", "┃", "Claim", "┃", "Status", "┃", "Answers", "┃"
    ]  # fmt: skip


def test_empty_list_says_so(cli, terminal) -> None:
    assert ok(cli("list")) == "No claims match.\n"


def test_piped_list_is_one_claim_a_line_after_a_header(troops) -> None:
    lines = ok(troops("list")).splitlines()
    assert lines[0].split("\t") == [
        "id", "on", "by", "side", "status", "standing", "answers", "verdict", "tags", "text",
        "quote", "note", "sources",
    ]  # fmt: skip
    assert len(lines) == 1 + 4
    assert lines[1].split("\t") == [
        "1", "2024-04", "Azerbaijani Defense Ministry", "Azerbaijan", "contested", "falls", "",
        "", "troops", "Armenia is massing troops along the border", "", "",
        "https://www.azatutyun.am/a/32892927.html",
    ]  # fmt: skip
    assert ok(troops("list", "--status", "mixed")) == lines[0] + "\n"


# -- where the data lives, info ----------------------------------------------------------------


def test_db_option_beats_the_environment(cli, tmp_path: Path, db_path: Path) -> None:
    chosen = tmp_path / "chosen" / "thread.db"
    ok(cli("--db", str(chosen), "add", "Here", "--by", "A"))
    assert as_json(cli("--db", str(chosen), "list", "--json"))[0]["text"] == "Here"
    assert listed(cli) == []
    assert as_json(cli("info", "--json"))["path"] == str(db_path)


def test_info_prints_path_schema_version_and_counts(troops, db_path: Path) -> None:
    lines = [line.rstrip() for line in ok(troops("info")).splitlines()]
    assert lines[0].split() == ["database", str(db_path)]
    assert lines[1].split()[:2] == ["schema", "version"]
    counts = {line.split()[0]: line.split()[1] for line in lines[2:]}
    expected = {"claims": "4", "responses": "3", "actors": "3", "sources": "1", "tags": "1"}
    assert {key: counts[key] for key in expected} == expected


def test_info_json(troops, db_path: Path) -> None:
    details = as_json(troops("info", "--json"))
    assert details["path"] == str(db_path)
    assert isinstance(details["schema_version"], int) and details["schema_version"] >= 1
    assert {k: details["counts"][k] for k in ["claims", "responses", "actors", "sources"]} == {
        "claims": 4,
        "responses": 3,
        "actors": 3,
        "sources": 1,
    }


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Text"],  # no --by
        ["add", "--by", "A"],  # no TEXT
        ["add", "Text", "--by", "A", "--unknown"],
        ["rebut", "1", "--by", "A"],
        ["list", "--limit", "0"],
        ["list", "--limit", "many"],
        ["no-such-command"],
        ["show"],
    ],
)
def test_usage_error_exits_2_and_writes_nothing(cli, db_path: Path, args: list[str]) -> None:
    ok(cli("add", "Existing", "--by", "A"))
    before = dump(db_path)
    result = cli(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Usage: claimtrack" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db_path) == before


DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, for example 2024, 2024-04 or 2024-04-05"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "Text", "--by", "A", "--on", "2024-02-30"],
            f"--on '2024-02-30' does not exist in the calendar: {DATE_HINT}.",
        ),
        (
            ["add", "Text", "--by", "A", "--on", "5 April"],
            f"--on '5 April' is not a date: {DATE_HINT}.",
        ),
        (
            ["rebut", "7", "Text", "--by", "A"],
            "There is no claim #7. Run `claimtrack list` to see the claims' ids.",
        ),
        (
            ["support", "#7", "Text", "--by", "New actor"],
            "There is no claim #7. Run `claimtrack list` to see the claims' ids.",
        ),
        (
            ["rebut", "abc", "Text", "--by", "A"],
            "'abc' is not a claim id: give a number such as 12 or #12.",
        ),
        (
            ["rebut", "0", "Text", "--by", "A"],
            "'0' is not a claim id: give a number such as 12 or #12.",
        ),
        (["show", "#"], "'#' is not a claim id: give a number such as 12 or #12."),
        (
            ["show", "9" * 20],
            f"'{'9' * 20}' is not a claim id: give a number such as 12 or #12.",
        ),
        (
            ["rebut", "1", "Text", "--by", "A", "--stance", "denies"],
            "Unknown stance 'denies': use one of refutes, disputes, qualifies, supports.",
        ),
        (
            ["rebut", "1", "Text", "--by", "A", "--stance", "supports"],
            "rebut records refutes, disputes or qualifies; to corroborate, use support.",
        ),
        (
            ["add", "", "--by", "A"],
            "The claim's text is empty: give the claim as the first argument.",
        ),
        (
            ["add", "   ", "--by", "A"],
            "The claim's text is empty: give the claim as the first argument.",
        ),
        (["add", "Text", "--by", ""], "The claimant (--by) is empty: name who made the claim."),
        (["add", "Text", "--by", " "], "The claimant (--by) is empty: name who made the claim."),
        (
            ["add", "Text", "--by", "A", "--tag", "troops,border"],
            "Tag 'troops,border' is not usable: "
            "a tag is a non-empty word or phrase without commas.",
        ),
        (
            ["add", "Text", "--by", "Armenian military", "--side", "EU"],
            "Armenian military is on side Armenia, not EU. To change the side, run "
            '`claimtrack actor edit "Armenian military" --side "EU"`.',
        ),
        (
            ["list", "--status", "open"],
            "Unknown status 'open': use one of unanswered, qualified, contested, supported, mixed.",
        ),
        (
            ["list", "--since", "2024-13"],
            f"--since '2024-13' does not exist in the calendar: {DATE_HINT}.",
        ),
        (["list", "--until", "24-04"], f"--until '24-04' is not a date: {DATE_HINT}."),
        (
            ["add", "Text", "--by", "A", "--source", "http://[::1/x"],
            "Source 'http://[::1/x' is not a valid URL (Invalid IPv6 URL); correct it.",
        ),
    ],
)
def test_bad_input_exits_1_with_a_message_and_writes_nothing(
    cli, db_path: Path, args: list[str], message: str
) -> None:
    ok(cli("add", "Existing", "--by", "Armenian military", "--side", "Armenia"))
    before = dump(db_path)
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    assert dump(db_path) == before


@pytest.mark.parametrize("command", ["add", "rebut", "support", "show", "list", "info"])
def test_every_command_has_help_with_an_example(cli, command: str) -> None:
    assert "Example: claimtrack " in ok(cli(command, "--help"))


def test_help_lists_the_commands(cli) -> None:
    output = ok(cli("--help"))
    listed_commands = re.findall(r"^  (\w+) ", output.split("Commands:")[1], re.MULTILINE)
    assert {"add", "rebut", "support", "show", "list", "info"} <= set(listed_commands)
