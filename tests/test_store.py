"""The store's core: recording claims, actors, sources, tags, statuses, reading and opening."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from claimtrack.db import applied_steps
from claimtrack.errors import DatabaseProblem, InvalidInput, NotFound
from claimtrack.migrations import STEPS
from claimtrack.model import ClaimFilter, Stance, Status
from claimtrack.store import ClaimStore
from claimtrack.store.base import ROW_NUMBER
from helpers import add_claim

COUNTED = ["claims", "responses", "actors", "sources", "tags", "changes"]
TABLES = ["actors", "sources", "claims", "claim_sources", "claim_tags", "responses", "changes"]


def snapshot(store: ClaimStore) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused write changed nothing."""
    return {
        t: store.conn.execute(f"SELECT * FROM {t} ORDER BY {ROW_NUMBER.get(t, 'id')}").fetchall()
        for t in TABLES
    }


# -- status ------------------------------------------------------------------------------------


def status_after(store: ClaimStore, *stances: Stance) -> Status:
    claim = add_claim(store).claim
    for stance in stances:
        add_claim(store, f"answer {stance}", "Other", answers=[(claim.id, stance)])
    return store.get(claim.id).status


def test_claim_without_answers_is_unanswered(store: ClaimStore) -> None:
    assert status_after(store) is Status.UNANSWERED


def test_claim_with_only_qualifications_is_qualified(store: ClaimStore) -> None:
    assert status_after(store, Stance.QUALIFIES, Stance.QUALIFIES) is Status.QUALIFIED


@pytest.mark.parametrize(
    "stances",
    [(Stance.REFUTES,), (Stance.DISPUTES,), (Stance.REFUTES, Stance.QUALIFIES)],
)
def test_claim_refuted_or_disputed_and_never_supported_is_contested(
    store: ClaimStore, stances: tuple[Stance, ...]
) -> None:
    assert status_after(store, *stances) is Status.CONTESTED


def test_claim_supported_and_never_refuted_is_supported(store: ClaimStore) -> None:
    assert status_after(store, Stance.SUPPORTS, Stance.QUALIFIES) is Status.SUPPORTED


@pytest.mark.parametrize("against", [Stance.REFUTES, Stance.DISPUTES])
def test_claim_both_supported_and_contested_is_mixed(store: ClaimStore, against: Stance) -> None:
    assert status_after(store, Stance.SUPPORTS, against) is Status.MIXED


def test_status_counts_only_direct_answers(store: ClaimStore) -> None:
    root = add_claim(store).claim
    denial = add_claim(store, "No", "B", answers=[(root.id, Stance.REFUTES)]).claim
    add_claim(store, "Yes", "C", answers=[(denial.id, Stance.SUPPORTS)])
    assert store.get(root.id).status is Status.CONTESTED
    assert store.get(denial.id).status is Status.SUPPORTED


# -- actors ------------------------------------------------------------------------------------


def test_new_actor_is_announced_with_its_side(store: ClaimStore) -> None:
    recorded = add_claim(store, by="EU Monitoring Mission", side="EU")
    assert recorded.notices == ["New actor: EU Monitoring Mission, side EU."]


@pytest.mark.parametrize(
    "spelling", ["eu monitoring mission", "  EU   Monitoring  Mission ", "ＥＵ Monitoring Mission"]
)
def test_actor_spellings_are_one_actor_keeping_the_first(store: ClaimStore, spelling: str) -> None:
    add_claim(store, by="EU Monitoring Mission", side="EU")
    recorded = add_claim(store, by=spelling)
    assert recorded.notices == []
    assert (recorded.claim.by, recorded.claim.side) == ("EU Monitoring Mission", "EU")
    assert store.conn.execute("SELECT name FROM actors").fetchall() == [("EU Monitoring Mission",)]


def test_actor_names_that_differ_in_letters_are_two_actors(store: ClaimStore) -> None:
    add_claim(store, by="Armenian military")
    add_claim(store, by="Armenian militia")
    assert store.conn.execute("SELECT count(*) FROM actors").fetchone() == (2,)


def test_side_given_again_in_another_case_is_accepted(store: ClaimStore) -> None:
    add_claim(store, by="Armenian military", side="Armenia")
    recorded = add_claim(store, by="armenian military", side="ARMENIA")
    assert (recorded.notices, recorded.claim.side) == ([], "Armenia")


def test_side_given_to_actor_without_one_is_set(store: ClaimStore) -> None:
    add_claim(store, by="Armenian military")
    recorded = add_claim(store, by="Armenian military", side="Armenia")
    assert recorded.notices == ["Armenian military is now on side Armenia."]
    assert store.get(1).side == "Armenia"


def test_different_side_is_refused_and_nothing_is_written(store: ClaimStore) -> None:
    add_claim(store, by="Azerbaijani Defense Ministry", side="Azerbaijan")
    before = snapshot(store)
    with pytest.raises(InvalidInput) as err:
        add_claim(store, "Another", by="azerbaijani defense ministry", side="Armenia")
    assert str(err.value) == (
        "Azerbaijani Defense Ministry is on side Azerbaijan, not Armenia. To change the side, run "
        '`claimtrack actor edit "Azerbaijani Defense Ministry" --side "Armenia"`.'
    )
    assert snapshot(store) == before


# -- sources and tags --------------------------------------------------------------------------


def test_two_spellings_of_one_url_are_one_source_shared_by_claims(store: ClaimStore) -> None:
    first = add_claim(store, "One", sources=["HTTPS://WWW.Azatutyun.am/a/1.html#top"])
    second = add_claim(store, "Two", sources=["https://www.azatutyun.am/a/1.html"])
    url = "https://www.azatutyun.am/a/1.html"
    assert [s.url for s in first.claim.sources] == [url]
    assert [s.url for s in second.claim.sources] == [url]
    assert store.conn.execute("SELECT url, title FROM sources").fetchall() == [(url, None)]


def test_source_without_url_is_a_title_shared_by_claims(store: ClaimStore) -> None:
    add_claim(store, "One", sources=["Azatutyun, 5 April 2024"])
    second = add_claim(store, "Two", sources=[" Azatutyun, 5 April 2024 "]).claim
    assert [(s.url, s.title) for s in second.sources] == [(None, "Azatutyun, 5 April 2024")]
    assert store.conn.execute("SELECT count(*) FROM sources").fetchone() == (1,)


def test_repeated_source_on_one_claim_is_kept_once_in_order(store: ClaimStore) -> None:
    claim = add_claim(
        store,
        sources=["https://b.example/x", "A title", "HTTPS://B.EXAMPLE/x#f", "https://b.example/x"],
    ).claim
    assert [(s.url, s.title) for s in claim.sources] == [
        ("https://b.example/x", None),
        (None, "A title"),
    ]


def test_empty_source_is_refused_and_nothing_is_written(store: ClaimStore) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput, match="A source is empty"):
        add_claim(store, sources=["https://ok.example", "  "])
    assert snapshot(store) == before


def test_tags_are_trimmed_and_kept_once(store: ClaimStore) -> None:
    claim = add_claim(store, tags=[" troops ", "border", "troops"]).claim
    assert claim.tags == ["troops", "border"]


@pytest.mark.parametrize("tag", ["troops,border", "", "   "])
def test_unusable_tag_is_refused_and_nothing_is_written(store: ClaimStore, tag: str) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput, match="is not usable: a tag is a non-empty word or phrase"):
        add_claim(store, tags=["ok", tag])
    assert snapshot(store) == before


# -- text --------------------------------------------------------------------------------------


def test_every_text_field_is_stored_as_nfc(store: ClaimStore) -> None:
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    add_claim(
        store,
        nfd("Ermənistan sərhəddə qoşun toplayır"),
        nfd("Müdafiə Nazirliyi"),
        side=nfd("Azərbaycan"),
        quote=nfd("hərbi təxribat"),
        note=nfd("Ölçü"),
        tags=[nfd("qoşun")],
        sources=[nfd("Azərbaycan mətbuatı")],
    )
    row = store.conn.execute(
        "SELECT c.text, c.quote, c.note, a.name, a.side, t.tag, s.title FROM claims c"
        " JOIN actors a ON a.id = c.actor_id JOIN claim_tags t ON t.claim_id = c.id"
        " JOIN claim_sources cs ON cs.claim_id = c.id JOIN sources s ON s.id = cs.source_id"
    ).fetchone()
    assert row == (
        "Ermənistan sərhəddə qoşun toplayır",
        "hərbi təxribat",
        "Ölçü",
        "Müdafiə Nazirliyi",
        "Azərbaycan",
        "qoşun",
        "Azərbaycan mətbuatı",
    )
    assert all(unicodedata.is_normalized("NFC", value) for value in row)


def test_text_with_nul_and_controls_is_kept_exactly(store: ClaimStore, engine: str) -> None:
    text = "a\x00b\x1b[31mc\u202ed\n[bold]e[/bold]"
    if engine == "postgres":  # PostgreSQL's text cannot hold NUL: refused, not changed
        before = snapshot(store)
        with pytest.raises(InvalidInput, match=r"cannot store the NUL character \(U\+0000\)"):
            add_claim(store, text, quote="q\x00", note="\x9bn")
        assert snapshot(store) == before
        text = text.replace("\x00", "")
    else:
        claim = add_claim(store, text, quote="q\x00", note="\x9bn").claim
        assert (claim.quote, claim.note) == ("q\x00", "\x9bn")
    claim = add_claim(store, text, quote="q", note="\x9bn").claim
    assert store.get(claim.id).text == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused_and_nothing_is_written(store: ClaimStore, text: str) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput, match="The claim's text is empty"):
        add_claim(store, text)
    assert snapshot(store) == before


@pytest.mark.parametrize("by", ["", "  "])
def test_empty_claimant_is_refused_and_nothing_is_written(store: ClaimStore, by: str) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput, match=r"The claimant \(--by\) is empty"):
        add_claim(store, by=by)
    assert snapshot(store) == before


def test_bad_date_is_refused_and_nothing_is_written(store: ClaimStore) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput, match="does not exist in the calendar"):
        add_claim(store, on="2024-02-30")
    assert snapshot(store) == before


# -- responses and threads ---------------------------------------------------------------------


def test_answer_to_unknown_claim_is_refused_and_nothing_is_written(store: ClaimStore) -> None:
    add_claim(store)
    before = snapshot(store)
    with pytest.raises(NotFound) as err:
        add_claim(store, "No", "New actor", answers=[(7, Stance.REFUTES)])
    assert str(err.value) == "There is no claim #7. Run `claimtrack list` to see the claims' ids."
    assert snapshot(store) == before


def test_answer_records_its_links_in_order(store: ClaimStore) -> None:
    a = add_claim(store, "A").claim
    b = add_claim(store, "B").claim
    answer = add_claim(
        store, "C", answers=[(b.id, Stance.DISPUTES), (a.id, Stance.QUALIFIES)]
    ).claim
    assert [(r.id, r.stance) for r in answer.responds_to] == [
        (b.id, Stance.DISPUTES),
        (a.id, Stance.QUALIFIES),
    ]


def test_claim_answering_two_claims_of_one_thread_appears_under_each(store: ClaimStore) -> None:
    root = add_claim(store, "Root").claim
    denial = add_claim(store, "Denial", answers=[(root.id, Stance.REFUTES)]).claim
    both = add_claim(
        store, "Both", answers=[(root.id, Stance.QUALIFIES), (denial.id, Stance.SUPPORTS)]
    ).claim
    tree = store.thread(root.id).as_json()
    assert [(r["id"], r["stance"]) for r in tree["responses"]] == [
        (denial.id, "refutes"),
        (both.id, "qualifies"),
    ]
    assert [(r["id"], r["stance"]) for r in tree["responses"][0]["responses"]] == [
        (both.id, "supports")
    ]


def test_thread_of_unknown_claim_is_not_found(store: ClaimStore) -> None:
    with pytest.raises(NotFound, match="There is no claim #3"):
        store.thread(3)


def test_each_recorded_claim_is_one_change_in_the_log(store: ClaimStore) -> None:
    add_claim(store, by="Armenian military")
    add_claim(store, "No", "EU", answers=[(1, Stance.REFUTES)])
    assert store.conn.execute("SELECT action, claim_id, summary FROM changes").fetchall() == [
        ("add", 1, "recorded #1 by Armenian military"),
        ("rebut", 2, "recorded #2 by EU (refutes #1)"),
    ]


# -- listing -----------------------------------------------------------------------------------


def listed(store: ClaimStore, **filters) -> list[str]:
    return [claim.text for claim in store.list_claims(ClaimFilter(**filters))]


def test_list_is_newest_first_precise_before_vague_undated_last(store: ClaimStore) -> None:
    for text, on in [
        ("undated", None),
        ("2024-04", "2024-04"),
        ("2024-04-05", "2024-04-05"),
        ("2023", "2023"),
        ("2024", "2024"),
        ("2024-03-31", "2024-03-31"),
        ("2024-04-05 later", "2024-04-05"),
    ]:
        add_claim(store, text, on=on)
    assert listed(store) == [
        "2024-04-05 later",
        "2024-04-05",
        "2024-04",
        "2024-03-31",
        "2024",
        "2023",
        "undated",
    ]


def test_list_filters_by_status(store: ClaimStore) -> None:
    add_claim(store, "Root")
    add_claim(store, "Denial", answers=[(1, Stance.REFUTES)])
    assert listed(store, status=Status.CONTESTED) == ["Root"]
    assert listed(store, status=Status.UNANSWERED) == ["Denial"]


def test_list_limit_keeps_the_newest(store: ClaimStore) -> None:
    for on in ["2024-01", "2024-03", "2024-02"]:
        add_claim(store, on, on=on)
    assert [c.text for c in store.list_claims(ClaimFilter(), limit=2)] == ["2024-03", "2024-02"]


# -- opening -----------------------------------------------------------------------------------


def test_new_database_is_created_with_its_folder_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "claims.db"
    with ClaimStore.open(path) as store:
        details = store.info()
        assert applied_steps(store.conn) == [name for name, _ in STEPS]
        assert details["schema_version"] == len(STEPS)
    assert details["path"] == str(path)
    assert {name: details["counts"][name] for name in COUNTED} == dict.fromkeys(COUNTED, 0)


@pytest.mark.sqlite_only
def test_database_uses_foreign_keys_wal_and_a_busy_timeout(store: ClaimStore) -> None:
    pragma = store.conn.execute
    assert pragma("PRAGMA foreign_keys").fetchone() == (1,)
    assert pragma("PRAGMA journal_mode").fetchone() == ("wal",)
    assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_reopening_keeps_the_data_and_the_schema_version(db_path: Path) -> None:
    with ClaimStore.open(db_path) as store:
        add_claim(store, "Kept")
    with ClaimStore.open(db_path) as store:
        assert store.get(1).text == "Kept"
        assert applied_steps(store.conn) == [name for name, _ in STEPS]


def test_database_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem) as err:
        ClaimStore.open(tmp_path)
    assert str(err.value) == f"{tmp_path} is a folder; give the path of a database file instead."


def test_database_under_a_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseProblem, match="Cannot create the database"):
        ClaimStore.open(blocker / "claims.db")


def test_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my notes, not a database\n" * 100)
    with pytest.raises(DatabaseProblem, match="it is not a SQLite file"):
        ClaimStore.open(path)
    assert path.read_bytes() == b"my notes, not a database\n" * 100


@pytest.mark.sqlite_only
def test_database_file_is_plain_sqlite(store: ClaimStore, db_path: Path) -> None:
    add_claim(store, "Readable")
    with sqlite3.connect(db_path) as other:
        assert other.execute("SELECT text FROM claims").fetchall() == [("Readable",)]
