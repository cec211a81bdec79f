"""Interchange: ClaimReview in and out, merging claimtrack files, lossless JSON round trips."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import as_json, dump, ok, recorded

FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"


def test_twenty_reviews_of_every_shape_import_in_one_go(cli) -> None:
    # One review has no itemReviewed, so no claimant: --set gives it one (SPEC).
    unknown = "--set=by=unknown claimant"
    report = ok(cli("import", str(FIXTURES / "twenty.json"), unknown))
    assert "20 verdicts" in report
    threads = as_json(cli("threads", "--json"))
    assert sum(len(thread["verdicts"]) for thread in threads) == 20
    # Importing it again adds nothing.
    assert ok(cli("import", str(FIXTURES / "twenty.json"), unknown)).startswith("Nothing new in")


def test_a_review_without_a_claimant_is_a_bad_row_named_by_its_place(cli, db_path) -> None:
    ok(cli("add", "Before", "--by", "Someone"))
    before = dump(db_path)
    result = cli("import", str(FIXTURES / "twenty.json"))
    assert result.exit_code == 1
    assert f"{FIXTURES / 'twenty.json'}: $" in result.stderr
    assert "by is empty" in result.stderr
    assert dump(db_path) == before


def test_one_claim_reviewed_by_several_fact_checkers_is_one_claim(cli) -> None:
    ok(cli("import", str(FIXTURES / "same_claim.json"), "--format", "claimreview"))
    threads = as_json(cli("threads", "--json"))
    assert len(threads) == 1
    assert len({verdict["by"] for verdict in threads[0]["verdicts"]}) >= 2


@pytest.mark.parametrize(
    "name", ["single.json", "list.json", "graph.json", "api_response.json", "datafeed.json"]
)
def test_claimreview_export_imports_into_an_empty_database_as_the_same_record(
    cli, db_path, tmp_path, monkeypatch, name
) -> None:
    ok(cli("import", str(FIXTURES / name), "--set=by=unknown claimant"))
    first = tmp_path / "first.json"
    ok(cli("export", "--format", "claimreview", "-o", str(first)))
    monkeypatch.setenv("CLAIMTRACK_DB", str(tmp_path / "second.db"))
    ok(cli("import", str(first)))
    second = tmp_path / "second.json"
    ok(cli("export", "--format", "claimreview", "-o", str(second)))
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert json.loads(first.read_text(encoding="utf-8"))[0]["@context"] == "https://schema.org"


def test_a_bad_claimreview_file_names_every_bad_review_and_writes_nothing(cli, db_path) -> None:
    ok(cli("add", "Before", "--by", "Someone"))
    before = dump(db_path)
    result = cli("import", str(FIXTURES / "bad_reviews.json"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert "bad_reviews.json: $" in result.stderr
    assert dump(db_path) == before


def test_comments_are_not_json(cli, db_path) -> None:
    result = cli("import", str(FIXTURES / "bad_comments.json"), "--format", "claimreview")
    assert result.exit_code == 1
    assert "comments are not allowed" in result.stderr.lower() or "comment" in result.stderr


def test_json_export_import_export_is_byte_identical_with_descriptions(
    cli, tmp_path, monkeypatch
) -> None:
    recorded(cli, "add", "Troops are massing", "--by", "Ministry", "--source", "https://x.am/a")
    recorded(cli, "review", "1", "--by", "AFP", "--rating", "False", "--value", "1", "--best", "5")
    ok(cli("source", "edit", "https://x.am/a", "--title", "T", "--outlet", "Azatutyun",
           "--published", "2024-04-05", "--archived-url", "https://web.archive.org/x"))  # fmt: skip
    first = tmp_path / "one.json"
    ok(cli("export", "-o", str(first)))
    monkeypatch.setenv("CLAIMTRACK_DB", str(tmp_path / "two.db"))
    ok(cli("import", str(first)))
    second = tmp_path / "two.json"
    ok(cli("export", "-o", str(second)))
    assert second.read_bytes() == first.read_bytes()
    source = as_json(cli("sources", "--json"))[0]
    assert (source["outlet"], source["published"], source["archived_url"]) == (
        "Azatutyun",
        "2024-04-05",
        "https://web.archive.org/x",
    )


def _two_files(cli, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A and B share claims #1 and #2 (same uids); each then changes and adds its own."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    monkeypatch.setenv("CLAIMTRACK_DB", str(a))
    recorded(cli, "add", "Troops are massing", "--by", "Ministry", "--on", "2024-03-29")
    recorded(cli, "rebut", "1", "Unfounded", "--by", "Military")
    ok(cli("export", "-o", str(tmp_path / "shared.json")))
    monkeypatch.setenv("CLAIMTRACK_DB", str(b))
    ok(cli("import", str(tmp_path / "shared.json")))
    recorded(cli, "review", "1", "--by", "AFP", "--rating", "False")
    ok(cli("edit", "2", "--note", "B's note, written later"))
    monkeypatch.setenv("CLAIMTRACK_DB", str(a))
    recorded(cli, "add", "A's own claim", "--by", "Someone")
    ok(cli("edit", "2", "--note", "A's note, written first"))
    # A's changes are older than B's (the clock has seconds; make it plain).
    with sqlite3.connect(a) as conn:
        conn.execute("UPDATE claims SET updated = '2020-01-01T00:00:00Z'")
    conn.close()
    return a, b


def _content(cli, db: Path) -> list:
    rows = json.loads(ok(cli("--db", str(db), "export", "--format", "json")))
    return sorted(
        json.dumps({k: v for k, v in row.items() if k not in ("id", "responds_to", "thread")})
        for row in rows
    )


def test_two_files_merge_both_ways_to_the_same_content(cli, tmp_path, monkeypatch) -> None:
    a, b = _two_files(cli, tmp_path, monkeypatch)
    report = ok(cli("--db", str(a), "import", str(b)))
    assert "1 claim differ between the two files" in report
    assert f"#2 ({b})" in report
    ok(cli("--db", str(b), "import", str(a)))
    assert _content(cli, a) == _content(cli, b)
    assert as_json(cli("--db", str(a), "show", "2", "--json"))["note"] == "B's note, written later"
    # Merging again adds nothing.
    assert ok(cli("--db", str(a), "import", str(b))).startswith("Nothing new in")


def test_a_merge_is_undone_as_one_change(cli, tmp_path, monkeypatch) -> None:
    a, b = _two_files(cli, tmp_path, monkeypatch)
    before = _content(cli, a)
    ok(cli("--db", str(a), "import", str(b)))
    ok(cli("--db", str(a), "undo"))
    assert _content(cli, a) == before


def test_a_merge_dry_run_names_the_conflicts_and_writes_nothing(cli, tmp_path, monkeypatch) -> None:
    a, b = _two_files(cli, tmp_path, monkeypatch)
    before = dump(a)
    report = ok(cli("--db", str(a), "import", str(b), "--dry-run"))
    assert report.startswith("Dry run, nothing was written.")
    assert "would keep" in report
    assert dump(a) == before


def test_merging_the_database_into_itself_or_a_missing_file_is_refused(cli, db_path) -> None:
    ok(cli("add", "A claim", "--by", "Someone"))
    before = dump(db_path)
    itself = cli("import", str(db_path), "--format", "claimtrack")
    assert itself.exit_code == 1 and "is the database in use" in itself.stderr
    missing = cli("import", "nowhere.db")
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert dump(db_path) == before
