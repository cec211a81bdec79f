"""`claimtrack export` and `list --csv`: the flat format out, threads, formula protection."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from claimtrack.flatfile.columns import COLUMNS


@pytest.fixture
def article(cli):
    """The troop build-up thread, plus a claim answering claims of two threads."""
    steps = [
        ("add", "Armenia is massing troops", "--by", "Azerbaijani Defense Ministry",
         "--side", "Azerbaijan", "--on", "2024-04", "--tag", "troops", "--tag", "border",
         "--source", "https://www.azatutyun.am/a/32892927.html"),
        ("rebut", "1", "The claims are unfounded", "--by", "Armenian military",
         "--side", "Armenia"),
        ("rebut", "1", "No build-up on the border", "--by", "EU monitoring mission",
         "--side", "EU", "--quote", "no build-up"),
        ("rebut", "2", "Units were seen moving", "--by", "Azerbaijani Defense Ministry",
         "--stance", "disputes"),
        ("add", "The meeting is directed against Azerbaijan", "--by", "Ilham Aliyev"),
    ]  # fmt: skip
    for step in steps:
        assert cli(*step).exit_code == 0
    assert cli("link", "4", "5", "--stance", "disputes").exit_code == 0


def out(result) -> str:
    """stdout exactly as written (click's `stdout` turns CRLF into LF)."""
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_writes_every_thread_as_csv(cli, article):
    written = out(cli("export"))
    assert written.startswith(",".join(COLUMNS) + "\r\n")
    found = [
        (r["id"], r["responds_to"], r["stance"], r["thread"], r["depth"], r["status"])
        for r in rows(written)
    ]
    assert found == [
        ("1", "", "", "1", "0", "contested"),
        ("2", "1", "refutes", "1", "1", "contested"),
        ("4", "2", "disputes", "1", "2", "unanswered"),
        ("3", "1", "refutes", "1", "1", "unanswered"),
        ("5", "", "", "5", "0", "contested"),
        ("4", "5", "disputes", "5", "1", "unanswered"),
    ]
    first = rows(written)[0]
    uids = {r["id"]: r["uid"] for r in rows(written)}
    assert first == {
        "id": "1",
        "uid": uids["1"],
        "responds_to": "",
        "responds_to_uid": "",
        "stance": "",
        "text": "Armenia is massing troops",
        "by": "Azerbaijani Defense Ministry",
        "side": "Azerbaijan",
        "on": "2024-04",
        "quote": "",
        "sources": "https://www.azatutyun.am/a/32892927.html",
        "tags": "troops,border",
        "note": "",
        "verdict": "",
        "verdict_value": "",
        "verdict_best": "",
        "verdict_worst": "",
        "thread": "1",
        "depth": "0",
        "status": "contested",
    }
    assert rows(written)[1]["responds_to_uid"] == uids["1"]


def test_export_of_given_claims_is_the_threads_under_them(cli, article):
    result = cli("export", "2", "#5", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["responds_to"], r["thread"], r["depth"]) for r in lines] == [
        (2, None, 2, 0),
        (4, 2, 2, 1),
        (5, None, 5, 0),
        (4, 5, 5, 1),
    ]
    assert list(lines[0]) == list(COLUMNS)
    # JSON is lossless: sources and tags are lists (empty when there are none).
    assert lines[0]["sources"] == [] and lines[0]["quote"] is None


def test_export_to_a_file_takes_the_format_from_its_name(cli, article, tmp_path):
    target = tmp_path / "threads.json"
    result = cli("export", "1", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported 4 rows to {target}.\n"
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [row["id"] for row in document] == [1, 2, 4, 3]
    assert document[3]["quote"] == "no build-up"


def test_an_empty_database_exports_a_header_or_an_empty_array(cli):
    assert out(cli("export")) == ",".join(COLUMNS) + "\r\n"
    assert cli("export", "--format", "json").stdout == "[]\n"
    assert cli("export", "--format", "jsonl").stdout == ""


def test_export_of_an_unknown_claim_writes_nothing(cli, article, tmp_path):
    target = tmp_path / "out.csv"
    result = cli("export", "1", "99", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: There is no claim #99. Run `claimtrack list` to see the claims' ids.\n"
    )
    assert not target.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_export_to_a_file_of_unknown_kind_needs_format(cli, tmp_path):
    result = cli("export", "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 2
    assert "give --format csv, json, jsonl, claimreview" in result.stderr


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+7 soldiers", "'+7 soldiers"),
        ("-5 degrees", "'-5 degrees"),
        ("@user said", "'@user said"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("\nnew line", "'\nnew line"),
        ("'=quoted formula", "''=quoted formula"),
        ("''two quotes", "'''two quotes"),
        ("'quoted word", "'quoted word"),
        ("plain = text", "plain = text"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_get_one_more_quote(cli, text, written, tmp_path):
    assert cli("add", "--by", "A", "--", text).exit_code == 0
    protected = rows(out(cli("export")))[0]["text"]
    assert protected == written
    assert rows(out(cli("export", "--raw")))[0]["text"] == text
    assert json.loads(cli("export", "--format", "jsonl").stdout)["text"] == text
    # The import takes the quote off again.
    target = tmp_path / "again.csv"
    target.write_text(out(cli("export")), encoding="utf-8", newline="")
    cli("delete", "1", "--yes")
    assert cli("import", str(target)).exit_code == 0
    # Ids are never reused: the imported claim is #2.
    assert json.loads(cli("show", "2", "--json").stdout)["text"] == text


def test_raw_export_imports_with_raw(cli, tmp_path):
    cli("add", "'=x", "--by", "A")
    target = tmp_path / "raw.csv"
    target.write_text(out(cli("export", "--raw")), encoding="utf-8", newline="")
    cli("delete", "1", "--yes")
    assert cli("import", str(target), "--raw").exit_code == 0
    assert json.loads(cli("show", "2", "--json").stdout)["text"] == "'=x"


def test_sources_that_would_run_together_are_warned_about(cli):
    cli("add", "Claim", "--by", "A", "--source", "Radio Azatutyun", "--source", "RFE/RL report")
    result = cli("export")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the sources of claims #1 read back differently on import: in the sources "
        "column, titles next to each other (or titles and URLs with spaces) run together. Give "
        "such sources URLs to keep them apart.\n"
    )
    assert rows(result.stdout)[0]["sources"] == "Radio Azatutyun RFE/RL report"


def test_list_csv_writes_the_listed_claims_in_the_flat_format(cli, article):
    result = cli("list", "--csv", "--by", "Azerbaijani Defense Ministry")
    assert result.exit_code == 0, result.output
    listed = rows(result.stdout)
    assert [(r["id"], r["responds_to"], r["stance"], r["thread"], r["status"]) for r in listed] == [
        ("1", "", "", "", "contested"),
        ("4", "2", "disputes", "", "unanswered"),
        ("4", "5", "disputes", "", "unanswered"),
    ]
    assert listed[1]["responds_to_uid"] == json.loads(cli("show", "2", "--json").stdout)["uid"]


def test_list_takes_json_or_csv_not_both(cli):
    result = cli("list", "--csv", "--json")
    assert result.exit_code == 2
    assert "give --json or --csv, not both." in result.stderr


def test_export_shows_no_progress_when_stderr_is_not_a_terminal(cli, article):
    assert cli("export").stderr == ""


def test_an_export_imported_into_an_empty_database_exports_the_same(cli, article, tmp_path):
    for fmt in ("csv", "json", "jsonl"):
        exported = out(cli("export", "--format", fmt))
        target = tmp_path / f"all.{fmt}"
        target.write_text(exported, encoding="utf-8", newline="")
        fresh = tmp_path / f"fresh-{fmt}.db"
        result = cli("--db", str(fresh), "import", str(target))
        assert result.exit_code == 0, result.output
        assert out(cli("--db", str(fresh), "export", "--format", fmt)) == exported
        # ... and importing it there again changes nothing.
        again = cli("--db", str(fresh), "import", str(target))
        assert again.stdout.startswith("Nothing new in")


def test_an_export_imported_into_the_same_database_changes_nothing(cli, article, tmp_path):
    target = tmp_path / "all.csv"
    target.write_text(out(cli("export")), encoding="utf-8", newline="")
    result = cli("import", str(target))
    assert result.stdout == (
        f"Nothing new in {target}: its 5 claims and their links are already recorded.\n"
    )


def test_deep_threads_export(cli, tmp_path):
    depth = 3000  # deeper than Python's default recursion limit
    lines = ["id,responds_to,stance,text,by"]
    lines.append("1,,,Claim 1,A")
    lines += [f"{n},{n - 1},refutes,Claim {n},A" for n in range(2, depth + 1)]
    target = tmp_path / "chain.csv"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", str(target)).exit_code == 0
    exported = rows(cli("export").stdout)
    assert len(exported) == depth
    assert exported[-1]["depth"] == str(depth - 1)


def test_a_file_path_is_written_atomically(cli, article, tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")
    assert cli("export", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("id,uid,")
    assert not list(tmp_path.glob(".*.partial"))


def test_a_reader_that_stops_early_is_not_an_error(cli, tmp_path, db_path):
    source = tmp_path / "many.csv"
    source.write_text(
        "text,by\n" + "".join(f"Claim {n} {'x' * 200},Actor\n" for n in range(3000)),
        encoding="utf-8",
    )
    assert cli("import", str(source)).exit_code == 0
    export = subprocess.Popen(
        [sys.executable, "-m", "claimtrack", "--db", str(db_path), "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert export.stdout.readline().startswith(b"id,uid,")
    export.stdout.close()  # as `| head -1` does
    assert export.wait(timeout=60) == 0
    assert export.stderr.read() == b""


def test_filters_choose_the_threads_by_their_first_claim(cli, article, tmp_path):
    def exported(*filters: str) -> list[tuple[str, str]]:
        return [(r["id"], r["thread"]) for r in rows(out(cli("export", *filters)))]

    troops = [("1", "1"), ("2", "1"), ("4", "1"), ("3", "1")]
    aliyev = [("5", "5"), ("4", "5")]
    assert exported("--tag", "troops") == troops
    assert exported("--by", "ilham ALIYEV") == aliyev
    assert exported("--side", "azerbaijan") == troops  # claim 4 is no thread's first claim
    assert exported("--status", "contested") == troops + aliyev
    assert exported("--since", "2024-04-05") == troops  # 2024-04 may be 2024-04-05
    assert exported("--until", "2023") == []
    assert exported("--tag", "troops", "--by", "Ilham Aliyev") == []
    # Given claims are the threads' first claims: the filters keep those that match.
    assert exported("2", "5", "--side", "Armenia") == [("2", "2"), ("4", "2")]
    target = tmp_path / "troops.jsonl"
    result = cli("export", "--tag", "troops", "-o", str(target))
    assert result.stdout == f"Exported 4 rows to {target}.\n"
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == [1, 2, 4, 3]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--status", "disputed", "Error: Unknown status 'disputed': use one of unanswered,"),
        ("--since", "2024-13", "Error: --since '2024-13' does not exist in the calendar"),
        ("--until", "April", "Error: --until 'April'"),
    ],
)
def test_a_bad_filter_writes_no_file(cli, article, tmp_path, option, value, message):
    target = tmp_path / "out.csv"
    result = cli("export", option, value, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stdout == ""
    assert not target.exists()
    assert not list(tmp_path.glob(".*.partial"))
