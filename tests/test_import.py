"""`claimtrack import`: the flat format in, all or nothing, merges, --map/--set, --dry-run."""

from __future__ import annotations

import io
import json
import sys
import uuid
from pathlib import Path

import pytest

from claimtrack.flatfile.readers import read_rows
from claimtrack.flatfile.rows import import_options
from claimtrack.render.progress import progress
from helpers import connected, holds_tables

HEADER = "id,uid,responds_to,responds_to_uid,stance,text,by,side,on,quote,sources,tags,note\n"
TROOPS = (
    HEADER + "1,,,,,Armenia is massing troops along the border,Azerbaijani Defense Ministry,"
    "Azerbaijan,2024-04,military provocations,https://www.azatutyun.am/a/32892927.html,"
    '"troops,border",\n'
    "2,,1,,refutes,The Armenian military dismissed the claims,Armenian military,Armenia,"
    "2024-04,,https://www.azatutyun.am/a/32892927.html,troops,\n"
    "3,,1,,refutes,There is no Armenian military build-up on the border,"
    "EU Monitoring Mission in Armenia,EU,2024-04,,,,\n"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the test's folder, so file names in messages are short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, content: str | bytes) -> str:
    """Write a file in the current folder; returns its name."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    Path(name).write_bytes(data)
    return name


def counts(db_path: Path) -> dict[str, int]:
    """How many rows each table holds (what 'nothing written' is checked against)."""
    if not holds_tables(db_path):
        return {}
    with connected(db_path) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "claims",
                "actors",
                "sources",
                "claim_sources",
                "claim_tags",
                "responses",
                "changes",
                "change_rows",
            )
        }


def show(cli, claim_id: int) -> dict:
    result = cli("show", str(claim_id), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fails(cli, *args: str, input: str | None = None) -> str:
    """Run a command that must fail with exit 1 and nothing on stdout; its stderr."""
    result = cli(*args, input=input)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr


# -- importing ---------------------------------------------------------------------------------


def test_import_records_claims_links_actors_and_sources(cli):
    result = cli("import", write("troops.csv", TROOPS))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Imported troops.csv: 3 claims added, 2 links added, 3 new actors, 1 new source.\n"
    )
    thread = show(cli, 1)
    assert thread["text"] == "Armenia is massing troops along the border"
    assert (thread["by"], thread["side"], thread["on"]) == (
        "Azerbaijani Defense Ministry",
        "Azerbaijan",
        "2024-04",
    )
    assert thread["quote"] == "military provocations"
    assert thread["tags"] == ["troops", "border"]
    assert thread["sources"][0]["url"] == "https://www.azatutyun.am/a/32892927.html"
    assert thread["status"] == "contested"
    assert [(r["id"], r["stance"], r["by"]) for r in thread["responses"]] == [
        (2, "refutes", "Armenian military"),
        (3, "refutes", "EU Monitoring Mission in Armenia"),
    ]


def test_import_is_one_change_in_the_history(cli, db_path):
    cli("import", write("troops.csv", TROOPS))
    with connected(db_path) as conn:
        changes = conn.execute("SELECT action, summary FROM changes").fetchall()
    assert changes == [
        ("import", "import troops.csv: 3 claims added, 0 merged (0 changed), 2 links added")
    ]


def test_importing_the_same_file_again_adds_nothing(cli, db_path):
    cli("import", write("troops.csv", TROOPS))
    before = counts(db_path)
    result = cli("import", "troops.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Nothing new in troops.csv: its 3 claims and their links are already recorded.\n"
    )
    assert counts(db_path) == before  # no claim, link, nor change-log entry


def test_a_row_without_uid_matching_a_recorded_claim_is_that_claim(cli, db_path):
    cli(
        "add",
        "Armenia is massing troops along the border",
        "--by",
        "azerbaijani defense ministry",
        "--on",
        "2024-04",
    )
    result = cli("import", write("troops.csv", TROOPS))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Imported troops.csv: 2 claims added, 1 already recorded (1 of them changed), "
        "2 links added, 2 new actors, 1 new source.\n"
    )
    thread = show(cli, 1)
    assert thread["by"] == "azerbaijani defense ministry"  # the first spelling is kept
    assert thread["side"] == "Azerbaijan"  # an actor without a side gets one
    assert thread["quote"] == "military provocations"
    assert thread["tags"] == ["troops", "border"]
    assert [r["id"] for r in thread["responses"]] == [2, 3]


def test_new_claims_get_distinct_random_uids_in_the_order_of_their_ids(cli):
    """Without uids in the file, each new claim gets a version 4 UUID of its own; the new
    claims of one import take theirs in ascending order (so the uid index grows at its end),
    after a claim already recorded as well as into an empty database."""
    ok_import = cli("import", write("troops.csv", TROOPS))
    assert ok_import.exit_code == 0, ok_import.output
    more = HEADER + "".join(f"{n},,,,,Claim {n},Observer,,,,,,\n" for n in range(1, 41))
    result = cli("import", write("more.csv", more))
    assert result.exit_code == 0, result.output
    claims = json.loads(cli("list", "--json", "--all").stdout)
    uids = {claim["id"]: claim["uid"] for claim in claims}
    assert sorted(uids) == list(range(1, 44))
    assert len(set(uids.values())) == 43
    for uid in uids.values():
        assert str(uuid.UUID(uid)) == uid and uuid.UUID(uid).version == 4
    for first, last in ((1, 3), (4, 43)):  # the two imports
        theirs = [uids[claim_id] for claim_id in range(first, last + 1)]
        assert theirs == sorted(theirs)


def test_a_row_with_a_known_uid_updates_and_merges_that_claim(cli):
    cli(
        "add",
        "Armenia masses troops",
        "--by",
        "Azerbaijani Defense Ministry",
        "--quote",
        "provocations",
        "--tag",
        "troops",
        "--source",
        "https://example.org/a",
    )
    claim = show(cli, 1)
    csv_text = (
        HEADER + f"1,{claim['uid']},,,,Armenia is massing troops along the border,"
        "Azerbaijani Defense Ministry,,2024-04,,https://example.org/b,border,checked\n"
    )
    result = cli("import", write("edit.csv", csv_text))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Imported edit.csv: 0 claims added, 1 already recorded (1 of them changed), "
        "0 links added, 1 new source.\n"
    )
    merged = show(cli, 1)
    assert merged["uid"] == claim["uid"]
    assert merged["text"] == "Armenia is massing troops along the border"  # replaced
    assert merged["on"] == "2024-04"
    assert merged["quote"] == "provocations"  # an empty cell keeps what is recorded
    assert merged["note"] == "checked"
    assert merged["tags"] == ["troops", "border"]  # union, recorded ones first
    assert [s["url"] for s in merged["sources"]] == [
        "https://example.org/a",
        "https://example.org/b",
    ]
    assert merged["updated"] >= claim["updated"]


def test_responds_to_uid_answers_a_claim_already_in_the_database(cli):
    cli("add", "Armenia is massing troops", "--by", "Azerbaijani Defense Ministry")
    uid = show(cli, 1)["uid"]
    csv_text = HEADER + f",,,{uid},disputes,No build-up was seen,EU monitors,EU,,,,,\n"
    result = cli("import", write("answer.csv", csv_text))
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["stance"]) for r in show(cli, 1)["responses"]] == [(2, "disputes")]


def test_a_claim_answering_two_claims_has_one_row_per_claim_it_answers(cli):
    csv_text = (
        HEADER + "1,,,,,The meeting is directed against Azerbaijan,Ilham Aliyev,Azerbaijan,,,,,\n"
        "2,,,,,The West is pro-Armenian,Azerbaijani Foreign Ministry,Azerbaijan,,,,,\n"
        "3,,1,,disputes,The meeting is about reforms in Armenia,U.S. and EU officials,,,,,,\n"
        "3,,2,,disputes,The meeting is about reforms in Armenia,U.S. and EU officials,,,,,,\n"
    )
    result = cli("import", write("two.csv", csv_text))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported two.csv: 3 claims added, 2 links added")
    assert show(cli, 3)["responds_to"] == [
        {"id": 1, "stance": "disputes"},
        {"id": 2, "stance": "disputes"},
    ]


def test_labels_may_be_any_text_and_name_later_rows(cli):
    csv_text = HEADER + "b,,a,,supports,Corroborated,Second,,,,,,\na,,,,,Original,First,,,,,,\n"
    result = cli("import", write("labels.csv", csv_text))
    assert result.exit_code == 0, result.output
    claims = {c["text"]: c for c in json.loads(cli("list", "--json").stdout)}
    assert claims["Corroborated"]["responds_to"] == [
        {"id": claims["Original"]["id"], "stance": "supports"}
    ]


# -- all or nothing ----------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_physical_line_and_nothing_is_written(cli, db_path):
    cli("add", "Recorded before", "--by", "Someone")
    before = counts(db_path)
    csv_text = (
        HEADER + '1,,,,,"A claim whose text\nruns over\nthree lines",Baku,,2024-04,,,,\n'
        "2,,1,,refute,An answer with a bad stance,Yerevan,,,,,,\n"
        "3,,,,,A bad date,Baku,,2024-02-30,,,,\n"
        "4,,,,,,Nobody,,,,,,\n"
        "5,,9,,refutes,An answer to no row,Yerevan,,,,,,\n"
        "6,,1,,,An answer without stance,Yerevan,,,,,,\n"
        "7,not-a-uid,,,supports,A stance without target,Tbilisi,,,,,,\n"
    )
    stderr = fails(cli, "import", write("bad.csv", csv_text))
    assert stderr == (
        "Error: Nothing was imported: 7 problems in bad.csv.\n"
        "bad.csv:5: Unknown stance 'refute': use one of refutes, disputes, qualifies, supports.\n"
        "bad.csv:6: on '2024-02-30' does not exist in the calendar: use YYYY, YYYY-MM or "
        "YYYY-MM-DD, for example 2024, 2024-04 or 2024-04-05.\n"
        "bad.csv:7: text is empty: every row needs the claim's text.\n"
        "bad.csv:8: responds_to 9 names no row of this file: give the id of another row, or "
        "responds_to_uid for a claim already in the database.\n"
        "bad.csv:9: stance is empty: say how this row answers the claim it names: refutes, "
        "disputes, qualifies or supports (or give --set stance=refutes).\n"
        "bad.csv:10: uid 'not-a-uid' is not a UUID (such as "
        "0b5e3a8c-2f4d-4e1a-9c6b-7d8e9f0a1b2c); leave it empty for a new claim.\n"
        "bad.csv:10: stance 'supports' is given but responds_to and responds_to_uid are "
        "empty: name the claim this row answers, or leave stance empty.\n"
        "Correct the file and import it again.\n"
    )
    assert counts(db_path) == before


def test_a_missing_claimant_says_how_to_give_one(cli, db_path):
    stderr = fails(cli, "import", write("nobody.csv", HEADER + "1,,,,,Said by nobody,,,,,,,\n"))
    assert "nobody.csv:2: by is empty: name who made the claim (or give --set by=NAME" in stderr
    assert counts(db_path).get("claims", 0) == 0


def test_a_label_repeated_with_other_values_is_refused(cli):
    csv_text = (
        HEADER + "1,,,,,Root,A,,,,,,\n2,,,,,Other root,A,,,,,,\n"
        "3,,1,,refutes,Answer,B,,2024,,,,\n3,,2,,refutes,Answer changed,B,,2025,,,,\n"
    )
    stderr = fails(cli, "import", write("repeat.csv", csv_text))
    assert "repeat.csv:5: id 3 is given again with another text, on than on line 4" in stderr


def test_two_claims_may_not_share_a_uid(cli):
    uid = "0b5e3a8c-2f4d-4e1a-9c6b-7d8e9f0a1b2c"
    csv_text = HEADER + f"1,{uid},,,,One,A,,,,,,\n2,{uid},,,,Two,A,,,,,,\n"
    stderr = fails(cli, "import", write("uids.csv", csv_text))
    assert f"uids.csv:3: uid {uid} is also the uid of the claim on line 2" in stderr


def test_a_row_answering_itself_is_refused(cli):
    stderr = fails(cli, "import", write("self.csv", HEADER + "1,,1,,refutes,Me,A,,,,,,\n"))
    assert "self.csv:2: this row answers itself (id and responds_to are both 1)." in stderr


def test_links_that_close_a_cycle_are_refused(cli, db_path):
    csv_text = (
        HEADER + "1,,3,,refutes,First,A,,,,,,\n2,,1,,refutes,Second,B,,,,,,\n"
        "3,,2,,refutes,Third,C,,,,,,\n4,,1,,supports,Fourth,D,,,,,,\n"
    )
    stderr = fails(cli, "import", write("cycle.csv", csv_text))
    assert stderr == (
        "Error: Nothing was imported: 3 problems in cycle.csv.\n"
        "cycle.csv:2: answering 3 closes a cycle: that claim answers this one already, "
        "directly or through others, and a claim cannot end up answering itself.\n"
        "cycle.csv:3: answering 1 closes a cycle: that claim answers this one already, "
        "directly or through others, and a claim cannot end up answering itself.\n"
        "cycle.csv:4: answering 2 closes a cycle: that claim answers this one already, "
        "directly or through others, and a claim cannot end up answering itself.\n"
        "Correct the file and import it again.\n"
    )
    assert counts(db_path)["claims"] == 0


def test_a_cycle_through_recorded_links_is_refused(cli, db_path):
    cli("add", "Claim", "--by", "A")
    cli("rebut", "1", "Rebuttal", "--by", "B")
    claim, rebuttal = show(cli, 1), show(cli, 2)
    before = counts(db_path)
    csv_text = HEADER + f"1,{claim['uid']},,{rebuttal['uid']},supports,Claim,A,,,,,,\n"
    stderr = fails(cli, "import", write("loop.csv", csv_text))
    assert f"loop.csv:2: answering {rebuttal['uid']} closes a cycle" in stderr
    assert counts(db_path) == before


def test_an_actor_keeps_one_side(cli):
    cli("add", "Claim", "--by", "Armenian military", "--side", "Armenia")
    csv_text = (
        HEADER + "1,,,,,One,Armenian military,EU,,,,,\n2,,,,,Two,Armenian military,EU,,,,,\n"
        "3,,,,,Three,New actor,US,,,,,\n4,,,,,Four,new actor,UK,,,,,\n"
    )
    stderr = fails(cli, "import", write("sides.csv", csv_text))
    assert (
        "sides.csv:2: Armenian military is on side Armenia in the database, not EU (and on 1 "
        "more rows): correct the file, or change the side first with `claimtrack actor edit "
        '"Armenian military" --side "EU"`.'
    ) in stderr
    assert (
        "sides.csv:5: New actor is given side UK here but side US on line 4: an actor has one side."
    ) in stderr


# -- reading files -----------------------------------------------------------------------------


def test_utf8_with_bom_and_crlf_line_ends(cli):
    text = TROOPS.replace("\n", "\r\n")
    result = cli("import", write("excel.csv", "\ufeff" + text))
    assert result.exit_code == 0, result.output
    assert show(cli, 1)["text"] == "Armenia is massing troops along the border"


def test_a_quoted_multi_line_field_keeps_its_line_breaks(cli):
    note = 'First line\r\nsecond line\nthird, with "quotes"'
    cell = '"' + note.replace('"', '""') + '"'
    result = cli("import", write("note.csv", HEADER + f"1,,,,,Claim,A,,,,,,{cell}\n"))
    assert result.exit_code == 0, result.output
    assert show(cli, 1)["note"] == note


def test_fields_of_any_size(cli):
    text = "Армения " * 200_000  # 1.6 MB, beyond csv's default field size limit
    result = cli("import", write("huge.csv", HEADER + f'1,,,,,"{text}",A,,,,,,\n'))
    assert result.exit_code == 0, result.output
    assert show(cli, 1)["text"] == text


def test_invalid_utf8_is_reported_with_its_line(cli, db_path):
    data = (HEADER + "1,,,,,Fine,A,,,,,,\n").encode() + b"2,,,,,Caf\xe9,A,,,,,,\n"
    stderr = fails(cli, "import", write("latin1.csv", data))
    assert stderr == (
        "Error: Nothing was imported: 1 problem in latin1.csv.\n"
        "latin1.csv:3: line 3 is not valid UTF-8 (byte 10 of the line): save the file as "
        "UTF-8 and import it again.\n"
        "Correct the file and import it again.\n"
    )
    assert counts(db_path).get("claims", 0) == 0


def test_an_unclosed_quote_is_reported_where_its_row_starts(cli):
    csv_text = HEADER + "1,,,,,Fine,A,,,,,,\n" + '2,,,,,"Never closed,A,,,,,,\n3,,,,,x,A,,,,,,\n'
    stderr = fails(cli, "import", write("quote.csv", csv_text))
    assert (
        "quote.csv:3: malformed CSV: a quoted cell that starts on this row is never closed: "
        'add the missing "; the rest of the file was not read.'
    ) in stderr


def test_a_row_with_the_wrong_number_of_cells(cli):
    stderr = fails(cli, "import", write("cells.csv", HEADER + "1,,,,,Text,A\n"))
    assert "cells.csv:2: the row has 7 cells but the header has 13 columns" in stderr


def test_an_empty_file_is_an_error(cli):
    stderr = fails(cli, "import", write("empty.csv", ""))
    assert stderr.startswith(
        "Error: empty.csv:1: the file is empty: a CSV import needs a header row"
    )


def test_a_header_only_file_imports_nothing(cli, db_path):
    result = cli("import", write("header.csv", HEADER))
    assert result.exit_code == 0, result.output
    assert result.stdout == "header.csv has no rows: nothing was imported.\n"
    assert counts(db_path)["changes"] == 0


def test_blank_lines_and_rows_of_empty_cells_are_skipped(cli):
    csv_text = HEADER + "\n,,,,,,,,,,,,\n1,,,,,Text,A,,,,,,\n\n"
    result = cli("import", write("blank.csv", csv_text))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported blank.csv: 1 claim added")


def test_stdin(cli):
    result = cli("import", "-", input=TROOPS)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported stdin: 3 claims added, 2 links added")


def test_json_from_stdin_needs_format(cli):
    result = cli("import", "-", "--format", "json", input='[{"text": "T", "by": "A"}]')
    assert result.exit_code == 0, result.output
    stderr = fails(cli, "import", "-", input='[{"text": "T", "by": "A"}]')
    assert "The file looks like JSON: give --format json or --format jsonl." in stderr


def test_a_missing_file(cli):
    assert fails(cli, "import", "missing.csv") == (
        "Error: Cannot read missing.csv: No such file or directory.\n"
    )


def test_a_file_name_without_known_extension_needs_format(cli):
    result = cli("import", write("claims.txt", TROOPS))
    assert result.exit_code == 2
    assert "give --format csv, json, jsonl, claimreview" in result.stderr
    assert cli("import", "claims.txt", "--format", "csv").exit_code == 0


# -- columns: unknown, --map, --set ------------------------------------------------------------


def test_an_unknown_column_is_refused_with_the_accepted_names(cli, db_path):
    stderr = fails(cli, "import", write("other.csv", "headline,by\nTroops,Baku\n"))
    assert stderr == (
        "Error: other.csv:1: unknown column 'headline': the accepted names are id, uid, "
        "responds_to, responds_to_uid, stance, text, by, side, on, quote, sources, tags, note, "
        "verdict, verdict_value, verdict_best, verdict_worst (and thread, depth, status, which "
        "exports write and imports ignore). Feed another "
        "column to a field with --map COLUMN=FIELD, or ignore it with --map COLUMN=.\n"
    )
    assert counts(db_path).get("claims", 0) == 0


def test_map_and_set_read_another_tools_csv(cli):
    other = (
        "title,outlet,date,url,score\n"
        "Armenia is massing troops,Azerbaijani Defense Ministry,2024-04,"
        "https://www.azatutyun.am/a/32892927.html,0.7\n"
        "No build-up on the border,,2024-04-05,,0.9\n"
    )
    result = cli(
        "import",
        write("scraped.csv", other),
        "--map",
        "title=text",
        "--map",
        "outlet=by",
        "--map",
        "date=on",
        "--map",
        "url=sources",
        "--map",
        "score=",
        "--set",
        "by=unknown outlet",
        "--set",
        "tags=imported",
    )
    assert result.exit_code == 0, result.output
    claims = {c["text"]: c for c in json.loads(cli("list", "--json").stdout)}
    troops = claims["Armenia is massing troops"]
    assert (troops["by"], troops["on"], troops["tags"]) == (
        "Azerbaijani Defense Ministry",
        "2024-04",
        ["imported"],
    )
    assert troops["sources"][0]["url"] == "https://www.azatutyun.am/a/32892927.html"
    assert claims["No build-up on the border"]["by"] == "unknown outlet"


def test_set_stance_fills_only_rows_that_answer_a_claim(cli):
    csv_text = "id,responds_to,text,by\n1,,Claim,A\n2,1,Answer,B\n"
    result = cli("import", write("s.csv", csv_text), "--set", "stance=disputes")
    assert result.exit_code == 0, result.output
    assert show(cli, 1)["responses"][0]["stance"] == "disputes"


def test_a_map_naming_no_column_of_the_file(cli):
    stderr = fails(cli, "import", write("t.csv", "text,by\nT,A\n"), "--map", "titel=text")
    assert "t.csv:1: --map names 'titel', which the header does not have" in stderr


def test_two_columns_may_not_feed_one_field(cli):
    stderr = fails(cli, "import", write("t.csv", "title,text,by\nT,U,A\n"), "--map", "title=text")
    assert "the columns 'title' and 'text' both feed the field text" in stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--map", "title", "--map 'title' is not COLUMN=FIELD"),
        ("--map", "title=headline", "--map 'title=headline' names no field"),
        ("--set", "uid=x", "--set 'uid=x' is not FIELD=VALUE for a field that rows may share"),
        ("--set", "on=April", "--set 'on=April': on 'April' is not a date"),
    ],
)
def test_bad_map_and_set_values_are_usage_errors(cli, option, value, message):
    result = cli("import", write("t.csv", "text,by\nT,A\n"), option, value)
    assert result.exit_code == 2
    assert message in result.stderr


# -- dry run -----------------------------------------------------------------------------------


def test_dry_run_says_what_would_happen_and_writes_nothing(cli, db_path):
    cli("add", "Armenia is massing troops along the border", "--by", "X")
    before = counts(db_path)
    result = cli("import", write("troops.csv", TROOPS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Dry run, nothing was written. Importing troops.csv would give: 3 claims added, "
        "2 links added, 3 new actors, 1 new source.\n"
    )
    assert counts(db_path) == before


def test_dry_run_reports_problems_like_an_import(cli):
    stderr = fails(cli, "import", write("b.csv", HEADER + "1,,,,,,A,,,,,,\n"), "--dry-run")
    assert "b.csv:2: text is empty" in stderr


# -- JSON and JSON Lines -----------------------------------------------------------------------


def test_json_array_of_objects(cli):
    document = json.dumps(
        [
            {"id": 1, "text": "Claim", "by": "A", "tags": ["x", "y"], "sources": None},
            {"id": 2, "responds_to": 1, "stance": "refutes", "text": "Answer", "by": "B"},
        ],
        indent=2,
    )
    result = cli("import", write("claims.json", document))
    assert result.exit_code == 0, result.output
    claim = show(cli, 1)
    assert claim["tags"] == ["x", "y"]
    assert claim["responses"][0]["text"] == "Answer"


def test_a_json_array_on_one_line(cli):
    document = json.dumps(
        [
            {"text": "Unlabelled one", "by": "A"},
            {"text": "Unlabelled two", "by": "A"},
            {"id": "x", "text": "Labelled", "by": "B"},
            {"id": "y", "responds_to": "x", "stance": "qualifies", "text": "Answer", "by": "C"},
        ]
    )
    result = cli("import", write("minified.json", document))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported minified.json: 4 claims added, 1 link added")
    assert show(cli, 3)["responses"][0]["text"] == "Answer"


def test_json_problems_are_reported_at_the_line_where_the_element_starts(cli):
    document = '[\n  {"text": "Fine", "by": "A"},\n  {\n    "text": "",\n    "by": "B"\n  },\n'
    document += '  {"text": 5, "by": "C"},\n  ["not", "an object"]\n]\n'
    stderr = fails(cli, "import", write("bad.json", document))
    assert stderr == (
        "Error: Nothing was imported: 3 problems in bad.json.\n"
        "bad.json:3: text is empty: every row needs the claim's text.\n"
        "bad.json:7: text must be a string, not 5.\n"
        'bad.json:8: expected a JSON object ({"text": ..., "by": ...}), not list.\n'
        "Correct the file and import it again.\n"
    )


def test_truncated_json_is_reported_with_its_line(cli, db_path):
    document = '[\n{"text": "One", "by": "A"},\n{"text": "Two",\n "by": "B'
    stderr = fails(cli, "import", write("cut.json", document))
    assert stderr == (
        "Error: Nothing was imported: 1 problem in cut.json.\n"
        "cut.json:4: the file ends inside the element that starts on line 3 (unterminated "
        "string): is it truncated?\n"
        "Correct the file and import it again.\n"
    )
    assert counts(db_path).get("claims", 0) == 0


def test_malformed_json_is_reported_with_its_line(cli):
    document = '[\n{"text": "One", "by": "A"}\n{"text": "Two", "by": "B"}\n]'
    stderr = fails(cli, "import", write("comma.json", document))
    assert "comma.json:3: expected , or ] after the element that starts on line 2." in stderr


def test_a_json_file_that_is_not_an_array(cli):
    stderr = fails(cli, "import", write("one.json", '{"text": "T", "by": "A"}'))
    assert stderr == (
        "Error: one.json:1: expected a JSON array of objects, [{...}, ...]; for one object "
        "per line, give --format jsonl.\n"
    )


def test_jsonl_reports_each_bad_line(cli, db_path):
    lines = '{"text": "One", "by": "A"}\n\n{"text": "Two", "by": \n{"txt": "Three", "by": "C"}\n'
    stderr = fails(cli, "import", write("rows.jsonl", lines))
    assert "rows.jsonl:3: not valid JSON: Expecting value (column 23)." in stderr
    assert "rows.jsonl:4: unknown key 'txt'" in stderr
    assert "rows.jsonl:4: text is empty" in stderr
    assert counts(db_path).get("claims", 0) == 0


def test_ndjson_extension_and_bom(cli):
    result = cli("import", write("rows.ndjson", '\ufeff{"text": "One", "by": "A"}\r\n'))
    assert result.exit_code == 0, result.output
    assert show(cli, 1)["text"] == "One"


# -- the change log makes an import reversible ---------------------------------------------------


def test_undo_reverses_an_import_exactly(cli, db_path):
    cli("add", "Armenia is massing troops along the border", "--by", "X", "--tag", "old")
    before = show(cli, 1)
    assert cli("import", write("troops.csv", TROOPS)).exit_code == 0
    result = cli("undo")
    assert result.exit_code == 0, result.output
    assert show(cli, 1) == before
    with connected(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM actors").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_the_import_logs_its_new_rows_as_ranges_and_history_finds_them(cli, db_path):
    cli("add", "Armenia is massing troops", "--by", "X")
    answer = "4,,,{uid},refutes,No build-up,Armenian military,Armenia,,,,,\n"
    uid = show(cli, 1)["uid"]
    assert cli("import", write("troops.csv", TROOPS + answer.format(uid=uid))).exit_code == 0
    [change] = json.loads(cli("history", "--limit", "1", "--json").stdout)
    assert change["action"] == "import"
    rows = {row["table"]: row for row in change["rows"]}
    assert rows["claims"] == {
        "table": "claims",
        "key": {"rowids": [2, 5]},
        "before": None,
        "after": {"rows": 4},
    }
    assert rows["responses"]["after"] == {"rows": 3, "targets": [1]}
    assert rows["actors"]["after"] == {"rows": 3}
    # The new claims, and the recorded claim a new link answers, have the import in history.
    for claim_id in (1, 3):
        changes = json.loads(cli("history", str(claim_id), "--json").stdout)
        assert changes[0]["action"] == "import"
    # Claim 6 was never recorded: no change touches it, so it is an unknown claim.
    assert cli("history", "6", "--json").exit_code == 1


def test_undo_of_a_large_import_empties_the_database_and_logs_ranges(cli, db_path):
    rows = "".join(
        f"{n},,,,,Claim number {n},Actor {n % 7},,2024,,,t{n % 3},\n" for n in range(1, 2001)
    )
    assert cli("import", write("many.csv", HEADER + rows)).exit_code == 0
    # More than 1,000 claims: from a script (stdin not a terminal) undo needs --yes.
    assert cli("undo", "--json").exit_code == 1
    result = cli("undo", "--yes", "--json")
    assert result.exit_code == 0, result.output
    undo = json.loads(result.stdout)
    assert {row["table"]: row["before"] for row in undo["rows"]} == {
        "claim_tags": {"rows": 2000},
        "claims": {"rows": 2000},
        "actors": {"rows": 7},
    }
    assert all(row["after"] is None for row in undo["rows"])
    assert {k: v for k, v in counts(db_path).items() if k not in ("changes", "change_rows")} == {
        "claims": 0,
        "actors": 0,
        "sources": 0,
        "claim_sources": 0,
        "claim_tags": 0,
        "responses": 0,
    }
    assert cli("search", "number").exit_code == 0
    with connected(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0] == 0


def test_undo_of_an_import_refuses_when_its_rows_were_deleted_outside(cli, db_path):
    assert cli("import", write("troops.csv", TROOPS)).exit_code == 0
    with connected(db_path) as conn:
        conn.execute("DELETE FROM claim_tags WHERE tag = 'border'")
    before = counts(db_path)
    stderr = fails(cli, "undo")
    assert stderr == (
        'Error: Change #1 cannot be undone: the claim_tags rows {"rowids": [1, 3]} are not as '
        "that change left them (was the file changed outside claimtrack?).\n"
    )
    assert counts(db_path) == before


# -- the shipped data and progress ---------------------------------------------------------------

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "founding-article.csv"


def test_the_shipped_article_imports_and_shows_the_troop_build_up_thread(cli, db_path):
    result = cli("import", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    thread = show(cli, 1)
    assert thread["by"] == "Azerbaijani Defense Ministry"
    assert "massing troops" in thread["text"]
    assert thread["status"] == "contested"
    assert [(r["stance"], r["side"]) for r in thread["responses"]] == [
        ("refutes", "Armenia"),
        ("refutes", "EU"),
    ]
    assert thread["sources"][0]["url"] == "https://www.azatutyun.am/a/32892927.html"
    before = counts(db_path)
    assert cli("import", str(SHIPPED)).stdout.startswith("Nothing new in")
    assert counts(db_path) == before


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_only_on_a_terminal(cli, monkeypatch):
    write("troops.csv", TROOPS)
    assert cli("import", "troops.csv").stderr == ""  # not a terminal: nothing
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("Reading troops.csv", 100) as tracker:
        tracker.update(50)
        tracker.phase("Writing troops.csv")
    shown = terminal.getvalue()
    assert "Reading troops.csv" in shown
    assert "Writing troops.csv" in shown


SHIPPED_JSON = SHIPPED.with_suffix(".json")


def test_the_shipped_json_keeps_the_article_as_source_and_the_same_threads(cli, tmp_path):
    ok_result = cli("import", str(SHIPPED_JSON))
    assert ok_result.exit_code == 0, ok_result.output
    assert json.loads(cli("sources", "--json").stdout) == [
        {
            "url": "https://www.azatutyun.am/a/32892927.html",
            "title": "Baku Again Blasts U.S.-EU-Armenia Talks",
            "outlet": "Azatutyun",
            "published": "2024-04-05",
            "archived_url": None,
            "claims": 16,
        }
    ]
    from_json = json.loads(cli("list", "--json").stdout)
    other = tmp_path / "csv.db"
    assert cli("--db", str(other), "import", str(SHIPPED)).exit_code == 0
    from_csv = json.loads(cli("--db", str(other), "list", "--json").stdout)
    keep = ("text", "by", "side", "on", "quote", "tags", "note", "status")
    assert [{k: c[k] for k in keep} for c in from_json] == [
        {k: c[k] for k in keep} for c in from_csv
    ]
    assert cli("import", str(SHIPPED_JSON)).stdout.startswith("Nothing new in")


def test_every_phase_of_an_import_names_its_count(store, tmp_path):
    """Progress shows counts in every phase: reading counts bytes, the others their rows."""
    path = tmp_path / "troops.csv"
    path.write_text(TROOPS, encoding="utf-8")
    phases: list[str] = []
    with path.open("rb") as stream:
        rows = read_rows(stream, "troops.csv", "csv", import_options([], []))
        store.import_rows(rows, "troops.csv", stage=phases.append)
    assert phases == ["Checking 3 rows of", "Writing 3 rows of"]
