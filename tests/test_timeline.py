"""`claimtrack timeline`: claims and answers in date order, grouped by day."""

from __future__ import annotations

import json

import pytest

from claimtrack.model import ClaimFilter
from claimtrack.store import ClaimStore
from helpers import CLAIM_KEYS, recorded


def timeline_ids(cli, *options: str) -> list[int]:
    result = cli("timeline", "--json", *options)
    assert result.exit_code == 0, result.stderr
    return [claim["id"] for claim in json.loads(result.stdout)]


def seed(cli) -> dict[str, int]:
    """Claims around the Brussels meeting, recorded out of date order, at every precision."""
    ids = {}
    ids["aliyev"] = recorded(
        cli,
        "add",
        "The meeting in Brussels is directed against Azerbaijan",
        "--by",
        "Ilham Aliyev",
        "--side",
        "Azerbaijan",
        "--on",
        "2024-04-05",
    )
    ids["undated"] = recorded(cli, "add", "Tensions are rising", "--by", "Analyst")
    ids["year"] = recorded(
        cli,
        "add",
        "Ankara criticised the meeting",
        "--by",
        "Turkey",
        "--side",
        "Turkey",
        "--on",
        "2024",
    )
    ids["obrien"] = recorded(
        cli,
        "rebut",
        str(ids["aliyev"]),
        "We have done exactly as we said",
        "--by",
        "James O'Brien",
        "--side",
        "US",
        "--on",
        "2024-04-05",
    )
    ids["month"] = recorded(
        cli,
        "add",
        "The meeting will focus on reforms in Armenia",
        "--by",
        "Ursula von der Leyen",
        "--side",
        "EU",
        "--on",
        "2024-04",
    )
    ids["ministry"] = recorded(
        cli,
        "add",
        "The West encourages destabilizing actions",
        "--by",
        "Azerbaijani Foreign Ministry",
        "--side",
        "Azerbaijan",
        "--on",
        "2024-03-27",
    )
    ids["blinken"] = recorded(
        cli,
        "support",
        str(ids["month"]),
        "Blinken reiterated the assurances in a call with Aliyev",
        "--by",
        "Antony Blinken",
        "--side",
        "US",
        "--on",
        "2024-04-03",
    )
    return ids


def test_oldest_first_partial_dates_before_their_days_undated_last(cli) -> None:
    ids = seed(cli)
    assert timeline_ids(cli) == [
        ids["year"],  # 2024
        ids["ministry"],  # 2024-03-27
        ids["month"],  # 2024-04, before the days of April
        ids["blinken"],  # 2024-04-03
        ids["aliyev"],  # 2024-04-05, then the same day's answer, by id
        ids["obrien"],
        ids["undated"],
    ]


def test_json_is_a_list_of_claims_with_what_they_answer(cli) -> None:
    ids = seed(cli)
    claims = json.loads(cli("timeline", "--json").stdout)
    obrien = next(claim for claim in claims if claim["id"] == ids["obrien"])
    assert list(obrien) == CLAIM_KEYS
    assert obrien["responds_to"] == [{"id": ids["aliyev"], "stance": "refutes"}]
    assert (obrien["by"], obrien["side"], obrien["on"]) == ("James O'Brien", "US", "2024-04-05")


def test_table_groups_by_day_with_claimant_side_and_what_each_answers(
    cli, monkeypatch, terminal
) -> None:
    monkeypatch.setenv("COLUMNS", "86")
    seed(cli)
    result = cli("timeline")
    assert result.exit_code == 0
    # One section a date (a partial date at its precision), the date once, claims of a day by id;
    # the claimant column is as wide as its longest word, "(Azerbaijan)".
    assert result.stdout == (
        "┏━━━━━━━━━━━━━┳━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ Date        ┃ # ┃ Claimant     ┃ Claim                         ┃ Answers           ┃\n"
        "┡━━━━━━━━━━━━━╇━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩\n"
        "│ 2024        │ 3 │ Turkey       │ Ankara criticised the meeting │                   │\n"
        "│ (the year)  │   │ (Turkey)     │                               │                   │\n"
        "├─────────────┼───┼──────────────┼───────────────────────────────┼───────────────────┤\n"
        "│ 2024-03-27  │ 6 │ Azerbaijani  │ The West encourages           │                   │\n"
        "│ Wednesday   │   │ Foreign      │ destabilizing actions         │                   │\n"
        "│             │   │ Ministry     │                               │                   │\n"
        "│             │   │ (Azerbaijan) │                               │                   │\n"
        "├─────────────┼───┼──────────────┼───────────────────────────────┼───────────────────┤\n"
        "│ 2024-04     │ 5 │ Ursula von   │ The meeting will focus on     │                   │\n"
        "│ (the month) │   │ der Leyen    │ reforms in Armenia            │                   │\n"
        "│             │   │ (EU)         │                               │                   │\n"
        "├─────────────┼───┼──────────────┼───────────────────────────────┼───────────────────┤\n"
        "│ 2024-04-03  │ 7 │ Antony       │ Blinken reiterated the        │ supports #5: The  │\n"
        "│ Wednesday   │   │ Blinken (US) │ assurances in a call with     │ meeting will      │\n"
        "│             │   │              │ Aliyev                        │ focus on reforms  │\n"
        "│             │   │              │                               │ in Armenia        │\n"
        "├─────────────┼───┼──────────────┼───────────────────────────────┼───────────────────┤\n"
        "│ 2024-04-05  │ 1 │ Ilham Aliyev │ The meeting in Brussels is    │                   │\n"
        "│ Friday      │   │ (Azerbaijan) │ directed against Azerbaijan   │                   │\n"
        "│             │ 4 │ James        │ We have done exactly as we    │ refutes #1: The   │\n"
        "│             │   │ O'Brien (US) │ said                          │ meeting in        │\n"
        "│             │   │              │                               │ Brussels is       │\n"
        "│             │   │              │                               │ directed against  │\n"
        "│             │   │              │                               │ Azerbaijan        │\n"
        "├─────────────┼───┼──────────────┼───────────────────────────────┼───────────────────┤\n"
        "│ undated     │ 2 │ Analyst      │ Tensions are rising           │                   │\n"
        "└─────────────┴───┴──────────────┴───────────────────────────────┴───────────────────┘\n"
    )


def test_long_answered_text_is_shortened_with_an_ellipsis(cli, terminal) -> None:
    long_text = "Armenia is massing troops along its border with Azerbaijan in possible preparation"
    target = recorded(cli, "add", long_text, "--by", "MoD", "--on", "2024-04-01")
    recorded(cli, "rebut", str(target), "Unfounded", "--by", "Armenia", "--on", "2024-04-02")
    result = cli("timeline")
    answers = " ".join(
        line.split("│")[5].strip() for line in result.stdout.splitlines() if line.startswith("│")
    )
    assert answers.strip() == (
        f"refutes #{target}: Armenia is massing troops along its border with Azerbaijan…"
    )


def test_filters_narrow_the_timeline_and_drop_undated_claims_with_dates(cli) -> None:
    ids = seed(cli)
    week = timeline_ids(cli, "--since", "2024-04-01", "--until", "2024-04-07")
    # 2024 and 2024-04 overlap the week, so they stay; 2024-03-27 and undated do not.
    assert week == [ids["year"], ids["month"], ids["blinken"], ids["aliyev"], ids["obrien"]]
    assert timeline_ids(cli, "--side", "us") == [ids["blinken"], ids["obrien"]]
    assert timeline_ids(cli, "--by", "ILHAM ALIYEV") == [ids["aliyev"]]
    assert timeline_ids(cli, "--status", "contested") == [ids["aliyev"]]
    assert timeline_ids(cli, "--limit", "2") == [ids["year"], ids["ministry"]]
    assert timeline_ids(cli, "--limit", "7") == timeline_ids(cli)


def test_a_long_timeline_stops_at_the_limit_and_says_so(cli) -> None:
    ids = seed(cli)
    result = cli("timeline", "--limit", "2", "--json")
    assert [claim["id"] for claim in json.loads(result.stdout)] == [ids["year"], ids["ministry"]]
    assert result.stderr == "5 more claims match: use --limit 4 or --all.\n"
    result = cli("timeline", "--limit", "2")
    assert len(result.stdout.splitlines()) == 1 + 2
    assert result.stderr == "5 more claims match: use --limit 4 or --all.\n"
    assert cli("timeline", "--limit", "200").stderr == ""


def test_empty_timeline(cli, store, terminal) -> None:
    result = cli("timeline")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No claims match.\n", "")
    result = cli("timeline", "--json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_bad_filter_is_exit_1(cli) -> None:
    result = cli("timeline", "--until", "2024-02-30")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --until '2024-02-30' does not exist in the calendar")
    assert cli("timeline", "--limit", "0").exit_code == 2


@pytest.mark.sqlite_only
def test_a_week_reads_the_date_index_not_every_claim(store: ClaimStore) -> None:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.timeline(ClaimFilter(since="2023-03-06", until="2023-03-12"))
    store.conn.set_trace_callback(None)
    dated = next(sql for sql in statements if "said_on IS NOT NULL" in sql)
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {dated}")]
    assert plan == ["SEARCH c USING COVERING INDEX claims_newest (said_on>? AND said_on<?)"]
