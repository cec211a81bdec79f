"""`claimtrack search`: matching across scripts, query syntax, ranking, filters, output."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from claimtrack.fold import name_key
from claimtrack.migrations import migration_set
from claimtrack.model import ClaimFilter
from claimtrack.query import parse_query
from claimtrack.store import ClaimStore
from claimtrack.store import search as search_module
from helpers import CLAIM_KEYS, add, connected


def found_ids(cli, query: str, *options: str) -> list[int]:
    result = cli("search", query, "--json", *options)
    assert result.exit_code == 0, result.stderr
    return [claim["id"] for claim in json.loads(result.stdout)]


# -- folding: each rule, with real words, both ways round ------------------------------------


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        # Latin, Cyrillic, Armenian and Greek: any case.
        ("The ceasefire holds", "CEASEFIRE"),
        ("CEASEFIRE VIOLATED", "ceasefire"),
        ("Перемирие нарушено", "ПЕРЕМИРИЕ"),
        ("ПЕРЕМИРИЕ НАРУШЕНО", "перемирие"),
        ("Հրադադարը խախտվել է", "ՀՐԱԴԱԴԱՐԸ"),
        ("ՀՐԱԴԱԴԱՐԸ ԽԱԽՏՎԵԼ Է", "հրադադարը"),
        ("Η εκεχειρία παραβιάστηκε", "ΕΚΕΧΕΙΡΙΑ"),
        # Greek final sigma and accents.
        ("ΔΙΑΠΡΑΓΜΑΤΕΥΣΕΙΣ ΣΤΑ ΣΥΝΟΡΑ", "διαπραγματεύσεις"),
        ("Διαπραγματεύσεις στα σύνορα", "ΣΥΝΟΡΑ"),
        # Azerbaijani / Turkish dotted and dotless i.
        ("İrəvan bəyanat verdi", "irəvan"),
        ("irəvan bəyanat verdi", "İRƏVAN"),
        ("Bakı təkzib etdi", "BAKI"),
        ("BAKI TƏKZİB ETDİ", "bakı"),
        ("Bakı təkzib etdi", "baki"),
        ("Qoşunlar sərhəddə", "QOŞUNLAR"),
        # Russian ё and е.
        ("Всё спокойно в Ерёване", "все"),
        ("Все спокойно в Ереване", "всё"),
        ("Войска вошли в Ерёван", "Ереван"),
        # Armenian և, եւ and ԵՎ: Երևան, Երեւան and ԵՐԵՎԱՆ are one word.
        ("Երևանը հերքում է", "Երեւանը"),
        ("Երևանը հերքում է", "ԵՐԵՎԱՆԸ"),
        ("Երեւանը հերքում է", "Երևանը"),
        ("ԵՐԵՎԱՆԸ ՀԵՐՔՈՒՄ Է", "երևանը"),
        # Latin diacritics optional, whichever side has them.
        ("Çavuşoğlu visited Baku", "Cavusoglu"),
        ("Cavusoglu visited Baku", "Çavuşoğlu"),
        ("Šefčovič met Pashinyan", "sefcovic"),
        ("Mevlüt Çavuşoğlu", "mevlut"),
    ],
)
def test_search_folds_stored_text_and_query_alike(cli, stored: str, query: str) -> None:
    claim_id = add(cli, stored)
    add(cli, "An unrelated claim about something else")
    assert found_ids(cli, query) == [claim_id]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        # ə is a letter of its own, not an a with an accent.
        ("Əliyev said so", "aliyev"),
        # Cyrillic letters stay distinct: й is not и.
        ("Край села обстрелян", "краи"),
        ("Это мой ответ", "мои"),
    ],
)
def test_search_keeps_distinct_letters_apart(cli, stored: str, query: str) -> None:
    add(cli, stored)
    assert found_ids(cli, query) == []


def test_search_reads_text_quote_and_note(cli) -> None:
    in_text = add(cli, "Troops are massing")
    in_quote = add(cli, "A statement", "A", "--quote", "military provocations by troops")
    in_note = add(cli, "Another statement", "B", "--note", "The troops were not seen")
    add(cli, "Nothing to see")
    assert sorted(found_ids(cli, "troops")) == [in_text, in_quote, in_note]


# -- query syntax ----------------------------------------------------------------------------


@pytest.fixture
def founding(cli) -> dict[str, int]:
    """A few claims of the founding article, with words in four scripts."""
    return {
        "buildup": add(
            cli,
            "Armenia is massing troops along the border, possibly preparing provocations",
            "Azerbaijani Defense Ministry",
            "--side",
            "Azerbaijan",
            "--on",
            "2024-04",
            "--quote",
            "military provocations",
            "--tag",
            "troops",
        ),
        "denial": add(
            cli,
            "There is no Armenian military build-up on the border",
            "EU Monitoring Mission in Armenia",
            "--side",
            "EU",
            "--on",
            "2024-04-05",
        ),
        "ceasefire": add(
            cli,
            "The Armenian army again violated the ceasefire",
            "Azerbaijani authorities",
            "--side",
            "Azerbaijan",
            "--on",
            "2024-04-05",
            "--tag",
            "ceasefire",
        ),
        "russian": add(
            cli,
            "Перемирие нарушено у границы",
            "ТАСС",
            "--side",
            "Russia",
            "--on",
            "2024-04-04",
        ),
        "armenian": add(
            cli,
            "Հրադադարը չի խախտվել, հայտարարում է Երևանը",
            "Հայաստանի ՊՆ",
            "--side",
            "Armenia",
            "--on",
            "2024-04-05",
        ),
        "obrien": add(
            cli,
            "We have done exactly as we said",
            "James O'Brien",
            "--side",
            "US",
            "--on",
            "2024-04-05",
            "--note",
            "O'Brien commenting on the U.S.-EU-Armenia meeting",
        ),
    }


def test_words_are_combined_with_and(cli, founding) -> None:
    assert found_ids(cli, "border troops") == [founding["buildup"]]


def test_phrase_matches_words_in_order(cli, founding) -> None:
    assert found_ids(cli, '"military provocations"') == [founding["buildup"]]
    assert found_ids(cli, '"provocations military"') == []


def test_or_matches_either_word_across_scripts(cli, founding) -> None:
    ids = found_ids(cli, "ceasefire OR перемирие OR ՀՐԱԴԱԴԱՐԸ")
    assert sorted(ids) == sorted([founding["ceasefire"], founding["russian"], founding["armenian"]])


def test_prefix_matches_the_start_of_words(cli, founding) -> None:
    assert found_ids(cli, "provoc*") == [founding["buildup"]]
    assert found_ids(cli, "ԵՐԵՎ*") == [founding["armenian"]]
    assert found_ids(cli, '"military prov"*') == [founding["buildup"]]


def test_not_and_parentheses(cli, founding) -> None:
    assert found_ids(cli, "border NOT troops") == [founding["denial"]]
    assert found_ids(cli, "(ceasefire OR перемирие) NOT army") == [founding["russian"]]


def test_punctuated_words_match_as_stored(cli, founding) -> None:
    assert found_ids(cli, "build-up") == [founding["denial"]]
    assert found_ids(cli, "O'Brien U.S.") == [founding["obrien"]]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"military provocations', 'a double quote (") has no closing quote'),
        ("AND", "AND cannot come at the start"),
        ("troops OR", "OR at the end has nothing after it"),
        ("(troops", 'a "(" has no ")" after it'),
    ],
)
def test_syntax_error_is_a_clear_message_and_exit_1(
    cli, founding, db_path: Path, query: str, problem: str
) -> None:
    changes = _changes(db_path)
    result = cli("search", query)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: The search query {query!r} is not valid: {problem}")
    assert "Traceback" not in result.stderr
    assert _changes(db_path) == changes


def test_query_without_words_is_refused(cli) -> None:
    result = cli("search", "...")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The search query '...' has no words to search for: give one or more words.\n"
    )


def test_nothing_found_is_an_empty_result(cli, founding, terminal) -> None:
    result = cli("search", "Nagorno")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No claims match.\n", "")
    result = cli("search", "Nagorno", "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")


def test_search_of_an_empty_database(cli) -> None:
    result = cli("search", "troops", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def _changes(db_path: Path) -> int:
    with connected(db_path) as conn:
        return conn.execute("SELECT count(*) FROM changes").fetchone()[0]


# -- ranking, limits, output -----------------------------------------------------------------


def test_best_match_first(cli) -> None:
    once = add(cli, "A long statement on many things, among them the ceasefire, roads and trade")
    twice = add(cli, "Ceasefire, ceasefire")
    middle = add(cli, "The ceasefire was violated")
    assert found_ids(cli, "ceasefire") == [twice, middle, once]


def test_equal_matches_newest_recorded_first(cli) -> None:
    first = add(cli, "Ceasefire violated")
    second = add(cli, "Ceasefire violated")
    assert found_ids(cli, "ceasefire") == [second, first]


def test_limit_and_the_note_that_more_match(cli) -> None:
    ids = [add(cli, f"Ceasefire statement number {n}") for n in range(3)]
    result = cli("search", "ceasefire", "--limit", "2", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2
    assert result.stderr == "1 more claim matches: use --limit 4 or --all.\n"
    table = cli("search", "ceasefire", "--limit", "2")
    assert table.stderr == "1 more claim matches: use --limit 4 or --all.\n"
    assert sorted(found_ids(cli, "ceasefire", "--limit", "3")) == ids
    assert cli("search", "ceasefire", "--limit", "0").exit_code == 2


def test_only_the_newest_matches_are_ranked_when_very_many_match(cli, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "RANKED", 3)
    best_but_old = add(cli, "Ceasefire ceasefire ceasefire", "Old Source")
    newer = [add(cli, f"A statement about the ceasefire and item {n}") for n in range(4)]
    result = cli("search", "ceasefire", "--json", "--limit", "2")
    assert [claim["id"] for claim in json.loads(result.stdout)] == [newer[3], newer[2]]
    assert result.stderr == (
        "More than 3 claims match: these are the best 2 of the 3 most recently recorded. "
        "Add words or filters to narrow the search.\n"
    )
    # A larger --limit ranks as many matches as it shows, and a narrower search ranks all.
    assert found_ids(cli, "ceasefire", "--limit", "5") == [best_but_old, *reversed(newer)]
    narrow = cli("search", "ceasefire", "--json", "--limit", "2", "--by", "old source")
    assert [claim["id"] for claim in json.loads(narrow.stdout)] == [best_but_old]
    assert narrow.stderr == ""


def test_json_is_a_list_of_claims_in_the_spec_shape(cli, founding) -> None:
    result = cli("search", "troops", "--json")
    claims = json.loads(result.stdout)
    assert [list(claim) for claim in claims] == [CLAIM_KEYS]
    claim = claims[0]
    assert claim["by"] == "Azerbaijani Defense Ministry"
    assert claim["quote"] == "military provocations"
    assert claim["tags"] == ["troops"]
    assert claim["status"] == "unanswered"


def test_table_shows_claims_with_matches_highlighted(cli, founding, monkeypatch, terminal) -> None:
    plain = cli("search", "provoc* OR O'Brien")
    assert plain.exit_code == 0
    assert "\x1b" not in plain.stdout
    assert "Armenia is massing troops" in plain.stdout
    assert "note: O'Brien commenting" in plain.stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("search", "provoc* OR O'Brien").stdout
    highlighted = re.findall(r"\x1b\[[0-9;]*43m([^\x1b]*)\x1b\[0m", coloured)
    assert sorted(highlighted) == sorted(["provocations", "provocations", "O", "Brien"])


def test_database_text_is_shown_literally_while_highlighted(cli, monkeypatch) -> None:
    add(cli, "[bold]troops[/bold] \x1b[2J massing \u202e")
    result = cli("search", "troops")
    assert "[bold]troops[/bold] \\x1b[2J massing \\u202e" in result.stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("search", "troops").stdout
    assert re.search(r"\[bold\]\x1b\[[0-9;]*43mtroops\x1b\[0m\[/bold\] \\x1b\[2J", coloured)


# -- filters combined with search ------------------------------------------------------------


def test_filters_combine_with_search(cli, founding) -> None:
    assert found_ids(cli, "border", "--side", "azerbaijan") == [founding["buildup"]]
    assert found_ids(cli, "border", "--side", "EU") == [founding["denial"]]
    assert found_ids(cli, "border", "--tag", "troops") == [founding["buildup"]]
    # 2024-04 is both since and until 2024-04-05: part of April is.
    since = found_ids(cli, "border", "--since", "2024-04-05")
    assert sorted(since) == [founding["buildup"], founding["denial"]]
    assert found_ids(cli, "border", "--until", "2024-04-04") == [founding["buildup"]]
    assert found_ids(cli, "border", "--since", "2024-04-06") == [founding["buildup"]]
    assert found_ids(cli, "ceasefire OR перемирие", "--by", "тасс") == [founding["russian"]]
    assert found_ids(cli, "Երևանը", "--by", "ՀԱՅԱՍՏԱՆԻ պն") == [founding["armenian"]]


def test_status_filter_combines_with_search(cli, founding) -> None:
    cli("rebut", str(founding["ceasefire"]), "That is disinformation", "--by", "Armenian MoD")
    assert found_ids(cli, "army", "--status", "contested") == [founding["ceasefire"]]
    assert found_ids(cli, "army", "--status", "unanswered") == []


def test_bad_filter_is_exit_1(cli, founding) -> None:
    result = cli("search", "border", "--since", "2024-13")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --since '2024-13' does not exist in the calendar")


# -- the index follows every write, and old files are indexed when upgraded --------------------


def test_index_follows_edits_and_deletes(store: ClaimStore, cli) -> None:
    claim_id = add(cli, "Troops are massing")
    with store.write("edit") as tx:
        tx.update("claims", {"id": claim_id}, {"text": "Перемирие соблюдается"})
    assert found_ids(cli, "troops") == []
    assert found_ids(cli, "перемирие") == [claim_id]
    with store.write("edit") as tx:
        tx.update("claims", {"id": claim_id}, {"note": "Ерёван молчит"})
    assert found_ids(cli, "ереван") == [claim_id]
    with store.write("delete") as tx:
        tx.delete("claims", {"id": claim_id})
    assert found_ids(cli, "перемирие") == []
    count = store.conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0]
    assert count == 0


def test_a_search_on_the_record_of_a_day_finds_only_its_claims(store: ClaimStore, cli) -> None:
    """Without filters a search ranks from the index alone; on the record of a day (the views
    of `as_of`), it must still keep to the claims of that day."""
    early = add(cli, "Shelling near the border", "Observer", "--on", "2024-01-05")
    add(cli, "More shelling near the border", "Observer", "--on", "2024-03-05")
    add(cli, "Shelling again, undated", "Observer")
    store.as_of("2024-02-01")
    page = store.search(parse_query("shelling"), ClaimFilter(), limit=25)
    assert [claim.id for claim in page.claims] == [early]
    every = store.search(parse_query("shelling"), ClaimFilter(), limit=None)
    assert [claim.id for claim in every.claims] == [early]


@pytest.mark.sqlite_only
def test_upgrading_an_older_file_indexes_its_claims(db_path: Path, cli) -> None:
    conn = sqlite3.connect(db_path)
    migration_set().apply(Database(conn), stop_before="0002_search")
    conn.execute(
        "INSERT INTO actors (id, name, key) VALUES (1, ?, ?)",
        ("İlham Əliyev", name_key("İlham Əliyev")),
    )
    conn.execute(
        "INSERT INTO claims (id, uid, text, actor_id, said_on, quote, note, created, updated)"
        " VALUES (1, 'u1', 'Երևանը հերքում է', 1, '2024-04-05', 'ԵՐԵՎԱՆ', NULL, 't', 't')"
    )
    conn.commit()
    conn.close()
    assert found_ids(cli, "Երեւանը") == [1]
    assert found_ids(cli, "Երևան", "--by", "ILHAM ƏLİYEV") == [1]


@pytest.mark.sqlite_only
def test_other_tools_change_claims_and_search_folds_them_at_the_next_write(
    db_path: Path, cli
) -> None:
    claim_id = add(cli, "Troops are massing")
    outside = sqlite3.connect(db_path)  # a plain connection, as the sqlite3 shell would open
    try:
        assert outside.execute(
            "SELECT rowid, text FROM claims_fts WHERE claims_fts MATCH 'troops'"
        ).fetchall() == [(claim_id, "troops are massing")]
        outside.execute("UPDATE claims SET text = 'Çavuşoğlu spoke' WHERE id = ?", (claim_id,))
        outside.commit()
    finally:
        outside.close()
    # Indexed as typed at once (case aside), folded at claimtrack's next write.
    assert found_ids(cli, "spoke") == [claim_id]
    assert found_ids(cli, "cavusoglu") == []
    add(cli, "Something else")
    assert found_ids(cli, "cavusoglu") == found_ids(cli, "ÇAVUŞOĞLU") == [claim_id]
    assert json.loads(cli("show", str(claim_id), "--json").stdout)["text"] == "Çavuşoğlu spoke"
