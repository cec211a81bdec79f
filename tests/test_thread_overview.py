"""`threads`: one row per thread with its status, standing, verdicts and answers."""

from __future__ import annotations

from helpers import CLAIM_KEYS, add, as_json, ok, recorded


def founding(cli) -> dict[str, int]:
    """The troop thread with a fact-check, and the meeting thread: their claims' ids."""
    ids = {"troops": add(cli, "Armenia is massing troops", "Azerbaijani Defense Ministry")}
    ok(cli("actor", "edit", "Azerbaijani Defense Ministry", "--side", "Azerbaijan"))
    ids["denial"] = recorded(
        cli, "rebut", str(ids["troops"]), "Unfounded", "--by", "Armenian military",
        "--side", "Armenia", "--on", "2024-04-02",
    )  # fmt: skip
    ids["euma"] = recorded(
        cli, "rebut", str(ids["troops"]), "No build-up", "--by", "EU monitoring mission",
        "--side", "EU", "--on", "2024-04-03",
    )  # fmt: skip
    ids["review"] = recorded(
        cli, "review", str(ids["troops"]), "--by", "AFP Fact Check", "--rating", "False",
        "--on", "2024-04-04",
    )  # fmt: skip
    ids["meeting"] = add(cli, "The meeting is directed against Azerbaijan", "Ilham Aliyev")
    return ids


def test_threads_json_gives_one_object_per_thread_with_its_summary(cli) -> None:
    ids = founding(cli)
    threads = as_json(cli("threads", "--json"))
    assert [thread["id"] for thread in threads] == [ids["meeting"], ids["troops"]]
    troops = threads[1]
    assert list(troops) == [
        *CLAIM_KEYS,
        "responses_by_stance",
        "answered_by_sides",
        "latest",
        "claims",
    ]
    assert troops["responses_by_stance"] == {
        "refutes": 3,
        "disputes": 0,
        "qualifies": 0,
        "supports": 0,
    }
    assert troops["answered_by_sides"] == ["Armenia", "EU"]
    assert troops["latest"] == "2024-04-04"
    assert troops["claims"] == 4
    assert (troops["status"], troops["standing"]) == ("contested", "falls")
    assert troops["verdicts"] == [
        {"id": ids["review"], "by": "AFP Fact Check", "label": "False", "on": "2024-04-04"}
    ]
    meeting = threads[0]
    assert (meeting["status"], meeting["standing"], meeting["latest"]) == (
        "unanswered",
        "stands",
        None,
    )


def test_threads_table_shows_status_standing_verdicts_and_answers(cli, terminal) -> None:
    founding(cli)
    table = ok(cli("threads"))
    assert "rated: False (AFP Fact Check, #4)" in table
    assert "3 refutes" in table
    assert "from Armenia," in table
    assert "latest" in table and "2024-04-04" in table
    assert "falls" in table and "stands" in table
    assert "Standing is judged within this record only; it is not a finding of truth." in table


def test_threads_filters_select_threads_by_their_first_claim(cli) -> None:
    ids = founding(cli)
    chosen = as_json(cli("threads", "--by", "Azerbaijani Defense Ministry", "--json"))
    assert [thread["id"] for thread in chosen] == [ids["troops"]]
    # The denials are by Armenia's side but start no thread.
    assert as_json(cli("threads", "--side", "Armenia", "--json")) == []
    rated = as_json(cli("threads", "--verdict", "false", "--json"))
    assert [thread["id"] for thread in rated] == [ids["troops"]]


def test_threads_limit_and_empty_database(cli, terminal) -> None:
    assert ok(cli("threads")) == "No threads match.\n"
    founding(cli)
    assert len(as_json(cli("threads", "--limit", "1", "--json"))) == 1


def test_threads_beyond_the_page_are_counted_with_and_without_filters(cli) -> None:
    founding(cli)
    add(cli, "A third thread", "Ilham Aliyev")
    # Six claims, three of them answers (the review is one): three threads.
    assert cli("threads", "--limit", "1").stderr == (
        "2 more threads match: use --limit 2 or --all.\n"
    )
    assert cli("threads", "--by", "Ilham Aliyev", "--limit", "1").stderr == (
        "1 more thread matches: use --limit 2 or --all.\n"
    )


def test_threads_as_of_recomputes_the_summary(cli) -> None:
    ids = founding(cli)
    ok(cli("edit", str(ids["troops"]), "--on", "2024-03-29"))
    ok(cli("edit", str(ids["meeting"]), "--on", "2024-04-05"))
    result = cli("threads", "--as-of", "2024-04-02", "--json")
    threads = as_json(result)
    assert result.stderr == "As of 2024-04-02: 3 claims said later or undated are left out.\n"
    assert [thread["id"] for thread in threads] == [ids["troops"]]
    assert threads[0]["responses_by_stance"]["refutes"] == 1
    assert (threads[0]["standing"], threads[0]["verdicts"]) == ("falls", [])


def test_threads_piped_is_one_tab_separated_line_per_thread(cli) -> None:
    founding(cli)
    lines = ok(cli("threads")).splitlines()
    assert lines[0].split("\t")[:6] == ["id", "on", "by", "side", "status", "standing"]
    assert len(lines) == 1 + 2
    assert lines[2].split("\t")[0] == "1"
