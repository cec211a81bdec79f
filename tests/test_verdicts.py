"""Verdicts: `review`, the stance a rating means, verdicts in show, list and JSON, the
`--verdict` filter, and edits, deletes and undo of reviews through the change log."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import as_json, dump, ok

ARTICLE = "data/founding-article.csv"
AFP = "https://factcheck.afp.com/doc.afp.com.troops"


@pytest.fixture
def article(cli):
    """The shipped data: #1 is the troop build-up claim, refuted by #2 and #3."""
    ok(cli("import", str(Path(__file__).parent.parent / ARTICLE)))
    return cli


def test_review_on_the_shipped_data_says_who_rated_it_what(article) -> None:
    result = article("review", "1", "--by", "AFP Fact Check", "--rating", "False", "--url", AFP)
    assert (
        ok(result) == "New actor: AFP Fact Check.\nRecorded claim #17 (rates #1 False: refutes).\n"
    )
    shown = ok(article("show", "1"))
    assert "Verdicts: AFP Fact Check rated it False (#17, undated)" in shown
    assert "AFP Fact Check refutes #17" in shown
    claim = as_json(article("show", "1", "--json"))
    assert claim["verdicts"] == [{"id": 17, "by": "AFP Fact Check", "label": "False", "on": None}]
    review = next(node for node in claim["responses"] if node["id"] == 17)
    assert review["verdict"] == {"label": "False", "value": None, "best": None, "worst": None}
    assert review["stance"] == "refutes"
    assert review["text"] == "False"
    assert [source["url"] for source in review["sources"]] == [AFP]


def test_review_headline_and_date_become_the_review_claim(article) -> None:
    claim = as_json(
        article(
            "review",
            "#1",
            "--by",
            "Fact Crescendo",
            "--rating",
            "Misleading",
            "--title",
            "No troop build-up seen by monitors",
            "--on",
            "2024-04-06",
            "--json",
        )
    )
    assert (claim["text"], claim["on"], claim["by"]) == (
        "No troop build-up seen by monitors",
        "2024-04-06",
        "Fact Crescendo",
    )
    assert claim["responds_to"] == [{"id": 1, "stance": "disputes"}]


@pytest.mark.parametrize(
    ("rating", "stance"),
    [
        ("Faux", "refutes"),
        ("Ложь", "refutes"),
        ("Սուտ", "refutes"),
        ("Yalan", "refutes"),
        ("Engañoso", "disputes"),
        ("Falsch", "refutes"),
        ("Missing context", "qualifies"),
        ("Mostly TRUE", "supports"),
    ],
)
def test_review_stance_comes_from_the_label_in_any_language(article, rating, stance) -> None:
    claim = as_json(article("review", "1", "--by", "Checker", "--rating", rating, "--json"))
    assert claim["responds_to"] == [{"id": 1, "stance": stance}]
    assert claim["verdict"]["label"] == rating


def test_review_stance_given_wins_over_the_label(article) -> None:
    claim = as_json(
        article("review", "1", "--by", "C", "--rating", "False", "--stance", "qualifies", "--json")
    )
    assert claim["responds_to"] == [{"id": 1, "stance": "qualifies"}]


@pytest.mark.parametrize(
    ("value", "stance"), [("1", "refutes"), ("3", "disputes"), ("5", "supports")]
)
def test_review_stance_of_an_unknown_label_comes_from_its_value(article, value, stance) -> None:
    claim = as_json(
        article(
            "review", "1", "--by", "C", "--rating", "Score", "--value", value, "--best", "5",
            "--worst", "1", "--json",
        )
    )  # fmt: skip
    assert claim["responds_to"] == [{"id": 1, "stance": stance}]
    assert claim["verdict"] == {"label": "Score", "value": float(value), "best": 5.0, "worst": 1.0}


def test_an_unknown_label_without_stance_is_refused_and_nothing_written(article, db_path) -> None:
    before = dump(db_path)
    result = article("review", "1", "--by", "New Checker", "--rating", "Pinocchio x3")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: claimtrack cannot tell what the rating 'Pinocchio x3' means for the claim it "
        "rates: give --stance refutes, disputes, qualifies or supports.\n"
    )
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--rating", " "], "The rating (--rating) is empty"),
        (["--rating", "X", "--value", "7", "--best", "5", "--worst", "1"], "outside its scale"),
        (["--rating", "X", "--value", "1", "--best", "1", "--worst", "1"], "best and a worst"),
        (["--rating", "X", "--value", "nan", "--stance", "refutes"], "is not a number"),
    ],
)
def test_a_bad_rating_is_refused_and_nothing_written(article, db_path, options, message) -> None:
    before = dump(db_path)
    result = article("review", "1", "--by", "C", *options)
    assert (result.exit_code, result.stdout) == (1, "")
    assert message in result.stderr
    assert dump(db_path) == before


def test_review_of_a_missing_claim_is_refused(article, db_path) -> None:
    before = dump(db_path)
    result = article("review", "99", "--by", "C", "--rating", "False")
    assert result.exit_code == 1
    assert "There is no claim #99" in result.stderr
    assert dump(db_path) == before


def test_verdict_filter_finds_the_claims_rated_so_in_any_case(article) -> None:
    ok(article("review", "1", "--by", "AFP Fact Check", "--rating", "False"))
    ok(article("review", "2", "--by", "Other", "--rating", "True"))
    assert [c["id"] for c in as_json(article("list", "--verdict", "FALSE", "--json"))] == [1]
    assert [c["id"] for c in as_json(article("list", "--verdict", "true", "--json"))] == [2]
    assert as_json(article("list", "--verdict", "Satire", "--json")) == []


def test_list_shows_a_review_s_verdict_and_the_rated_claim_s_verdicts(article, terminal) -> None:
    ok(article("review", "1", "--by", "AFP", "--rating", "False"))
    listed = ok(article("list", "--verdict", "false"))
    assert "rated: False (AFP, #17)" in listed


def test_rating_edit_is_kept_in_the_history_and_undone(article) -> None:
    ok(article("review", "1", "--by", "AFP", "--rating", "False"))
    result = article("edit", "17", "--rating", "Misleading", "--value", "2", "--best", "5")
    assert ok(result) == "Edited claim #17: rating False → Misleading (2 of 5).\n"
    assert as_json(article("show", "17", "--json"))["verdict"] == {
        "label": "Misleading",
        "value": 2.0,
        "best": 5.0,
        "worst": None,
    }
    ok(article("undo"))
    assert as_json(article("show", "17", "--json"))["verdict"]["label"] == "False"


def test_rating_edit_of_a_claim_that_is_not_a_review_is_refused(article, db_path) -> None:
    before = dump(db_path)
    result = article("edit", "2", "--rating", "False")
    assert result.exit_code == 1
    assert "Claim #2 is not a review" in result.stderr
    assert dump(db_path) == before


def test_deleting_a_review_removes_its_verdict_and_undo_brings_it_back(article) -> None:
    ok(article("review", "1", "--by", "AFP", "--rating", "False"))
    ok(article("delete", "17", "--yes"))
    assert as_json(article("show", "1", "--json"))["verdicts"] == []
    ok(article("undo"))
    assert as_json(article("show", "1", "--json"))["verdicts"][0]["label"] == "False"


def test_undo_of_a_review_removes_it_whole(article, db_path) -> None:
    before = dump(db_path)
    ok(article("review", "1", "--by", "AFP Fact Check", "--rating", "False", "--url", AFP))
    ok(article("undo"))
    assert _record(dump(db_path)) == _record(before)


def _record(lines: list[str]) -> list[str]:
    """The rows of the record's own tables in a dump (not the change log, the id counter or
    the search index's internals, which undo leaves moved on)."""
    tables = ("claims", "actors", "sources", "claim_sources", "claim_tags", "responses")
    return [line for line in lines if line.startswith(tuple(f'INSERT INTO "{t}"' for t in tables))]
