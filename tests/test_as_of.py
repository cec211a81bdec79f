"""`--as-of DATE`: the record as it stood on a day, status and standing recomputed."""

from __future__ import annotations

import pytest

from helpers import as_json, dump, ok, recorded


@pytest.fixture
def dated(cli):
    """The troop claim said on 29 March, denied on 2 and 3 April; an undated aside."""
    recorded(cli, "add", "Armenia is massing troops", "--by", "Ministry", "--on", "2024-03-29")
    recorded(cli, "rebut", "1", "Unfounded", "--by", "Armenian military", "--on", "2024-04-02")
    recorded(cli, "rebut", "1", "No build-up", "--by", "EU mission", "--on", "2024-04-03")
    recorded(cli, "add", "An undated remark", "--by", "Someone")
    recorded(cli, "add", "Said in April", "--by", "Someone", "--on", "2024-04")
    return cli


def test_a_day_before_the_denials_the_claim_stands_unanswered(dated) -> None:
    result = dated("show", "1", "--as-of", "2024-04-01", "--json")
    claim = as_json(result)
    assert (claim["status"], claim["standing"], claim["responses"]) == (
        "unanswered",
        "stands",
        [],
    )
    assert result.stderr == "As of 2024-04-01: 3 claims said later or undated are left out.\n"
    shown = dated("show", "1", "--as-of", "2024-04-01")
    assert "unanswered" in ok(shown)
    assert "Standing: stands" in shown.stdout


def test_after_the_first_denial_the_claim_falls_through_it(dated) -> None:
    claim = as_json(dated("show", "1", "--as-of", "2024-04-02", "--json"))
    assert (claim["status"], claim["standing"], claim["defeated_by"]) == (
        "contested",
        "falls",
        [2],
    )
    assert [answer["id"] for answer in claim["responses"]] == [2]


def test_a_partial_date_counts_from_its_first_day_and_an_as_of_month_to_its_last(dated) -> None:
    # "2024-04" counts from 1 April: in the record of 1 April, not of 31 March.
    assert 5 in [c["id"] for c in as_json(dated("list", "--as-of", "2024-04-01", "--json"))]
    assert 5 not in [c["id"] for c in as_json(dated("list", "--as-of", "2024-03-31", "--json"))]
    result = dated("list", "--as-of", "2024-03", "--json")
    assert [c["id"] for c in as_json(result)] == [1]
    assert result.stderr.startswith("As of 2024-03-31: 4 claims")


def test_timeline_as_of_leaves_out_later_and_undated_claims(dated) -> None:
    result = dated("timeline", "--as-of", "2024-04-02", "--json")
    # A month comes before the days it spans.
    assert [c["id"] for c in as_json(result)] == [1, 5, 2]


def test_a_claim_said_after_the_date_is_not_shown_and_the_error_says_why(dated) -> None:
    result = dated("show", "3", "--as-of", "2024-04-02")
    assert result.exit_code == 1
    assert "Claim #3 was said after 2024-04-02 or is undated" in result.stderr


def test_a_bad_as_of_date_is_refused_and_nothing_is_written(dated, db_path) -> None:
    before = dump(db_path)
    result = dated("list", "--as-of", "2024-13-01")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "--as-of '2024-13-01'" in result.stderr
    assert dump(db_path) == before


def test_as_of_changes_nothing_in_the_file(dated, db_path) -> None:
    before = dump(db_path)
    ok(dated("show", "1", "--as-of", "2024-04-01"))
    ok(dated("threads", "--as-of", "2024-04-01"))
    assert dump(db_path) == before
    assert as_json(dated("show", "1", "--json"))["status"] == "contested"
