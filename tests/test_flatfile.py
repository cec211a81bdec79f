"""The format layer on its own: formula protection, cells, readers and their line numbers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.errors import InvalidInput
from claimtrack.flatfile import readers
from claimtrack.flatfile.cells import parse_sources, protect, sources_roundtrip, unprotect
from claimtrack.flatfile.columns import COLUMNS, format_for
from claimtrack.flatfile.readers import read_rows
from claimtrack.flatfile.rows import import_options
from claimtrack.flatfile.writer import RowWriter
from claimtrack.model import SourceRef

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n", "'", "''", "'=", "'a"]

# The flat formats (ClaimReview has its own tests).
FLAT_FORMATS = ("csv", "json", "jsonl")


@given(st.text(), st.sampled_from(["", *TRIGGERS]))
def test_unprotect_is_the_exact_inverse_of_protect(text, start):
    cell = start + text
    assert unprotect(protect(cell)) == cell


@given(st.text(), st.sampled_from(["", *TRIGGERS]))
def test_a_protected_cell_never_starts_a_formula(text, start):
    protected = protect(start + text)
    assert protected[:1] not in ("=", "+", "-", "@", "\t", "\r", "\n")


def test_sources_cell_urls_and_titles():
    cell = "https://A.example/x#top Radio Azatutyun report https://b.example/y"
    assert parse_sources(cell) == (
        ("https://a.example/x", None),
        (None, "Radio Azatutyun report"),
        ("https://b.example/y", None),
    )
    assert parse_sources("https://a.example/x https://A.example/x") == (
        ("https://a.example/x", None),
    )
    assert parse_sources(["Two  words", "https://c.example"]) == (
        (None, "Two  words"),
        ("https://c.example", None),
    )


@pytest.mark.parametrize(
    ("path", "given", "default", "expected"),
    [
        ("a.csv", None, None, "csv"),
        ("a.JSON", None, None, "json"),
        ("a.jsonl", None, None, "jsonl"),
        ("a.ndjson", None, None, "jsonl"),
        ("a.txt", "JSON", None, "json"),
        ("-", None, "csv", "csv"),
        (None, None, "csv", "csv"),
    ],
)
def test_format_for(path, given, default, expected):
    assert format_for(path, given, default) == expected


def test_format_for_refuses_unknown_names():
    with pytest.raises(InvalidInput, match="Unknown format 'xml'"):
        format_for("a.csv", "xml")
    with pytest.raises(InvalidInput, match=r"Cannot tell the format of a\.txt"):
        format_for("a.txt", None)


def read(data: bytes, fmt: str) -> list:
    return list(read_rows(io.BytesIO(data), "f", fmt, import_options([], [])))


def test_csv_rows_know_the_physical_line_they_start_on():
    data = b'text,by,note\n"one\r\ntwo",A,x\n\nthree,B,"a\nb\nc"\nfour,C,\n'
    assert [(row.line, row.text) for row in read(data, "csv")] == [
        (2, "one\r\ntwo"),
        (5, "three"),
        (8, "four"),
    ]


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_json_elements_know_their_line_whatever_the_read_size(monkeypatch, chunk):
    monkeypatch.setattr(readers, "_READ_SIZE", chunk)
    data = (
        '\ufeff[\n  {"text": "one", "by": "A"},\n\n  {\n    "text": "two\\nlines",\n'
        '    "by": "Б"},{"text": "three", "by": "C", "id": 12345678901234567890}\n]\n'
    ).encode()
    rows = read(data, "json")
    assert [(row.line, row.text, row.by, row.label) for row in rows] == [
        (2, "one", "A", None),
        (4, "two\nlines", "Б", None),
        (6, "three", "C", "12345678901234567890"),
    ]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_json_syntax_errors_stop_at_their_line(monkeypatch, chunk):
    monkeypatch.setattr(readers, "_READ_SIZE", chunk)
    data = b'[{"text": "a", "by": "A"},\n{"text": "b", "by": "B"},\n{"text": x}]'
    rows = read(data, "json")
    assert [row.line for row in rows] == [1, 2, 3]
    assert rows[-1].fatal
    assert rows[-1].problems == [
        "not valid JSON: Expecting value; the rest of the file was not read."
    ]


def test_an_empty_json_array_has_no_rows():
    assert read(b"  [ ]  \n", "json") == []


def test_json_trailing_comma_and_trailing_text():
    assert read(b'[{"text": "a", "by": "A"},]', "json")[-1].problems == [
        "a comma before the closing ]: remove it.; the rest of the file was not read."
    ]
    assert read(b'[{"text": "a", "by": "A"}] x', "json")[-1].problems == [
        "unexpected text after the array's closing ].; the rest of the file was not read."
    ]


def test_lone_surrogates_in_json_are_refused():
    (row,) = read(b'[{"text": "bad \\ud800", "by": "A"}]', "json")
    assert row.problems[0].startswith("The text holds bytes that are not valid UTF-8")


def test_text_is_stored_as_nfc_and_kept_otherwise():
    (row,) = read('text,by,quote\n"  Cafe\u0301 ",  Ann  ,\n'.encode(), "csv")
    assert (row.text, row.by, row.quote) == ("  Caf\u00e9 ", "Ann", None)


def test_sources_read_back_by_url_or_title():
    described = SourceRef("https://a.example/x", "A title", "Outlet", "2024")
    assert sources_roundtrip([described, SourceRef(None, "One title")])
    assert sources_roundtrip([SourceRef(None, "Two  spaces")])
    assert not sources_roundtrip([SourceRef(None, "One"), SourceRef(None, "Two")])
    assert not sources_roundtrip([SourceRef("https://a.example/a b", None)])


def test_json_values_of_the_wrong_type():
    data = b'[{"id": 1.5, "text": ["a"], "by": true, "tags": {"x": 1}, "depth": 2}]'
    assert read(data, "json")[0].problems == [
        "id must be a string or a whole number, not 1.5.",
        'text must be a string, not ["a"].',
        "by must be a string, not true.",
        'tags must be a string or a list of strings, not {"x": 1}.',
    ]


cell_texts = st.one_of(
    st.none(),
    st.builds(
        lambda start, rest: start + rest, st.sampled_from(["", *TRIGGERS, '"', ","]), st.text()
    ),
)


@given(
    st.lists(
        st.tuples(cell_texts, cell_texts, cell_texts, st.booleans(), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(FLAT_FORMATS),
    st.booleans(),
)
def test_rows_are_written_exactly_as_csv_writer_and_json_dumps_write_them(drafts, fmt, raw):
    """The writer formats each claim once and joins rows itself: check it against csv.writer
    (with `protect` on the text cells) and json.dumps, row for row."""
    claims = {
        n: (
            n,
            f"uid-{n}",
            text or "t",
            by or "b",
            side,
            "2024",
            quote,
            sources
            if fmt == "csv"
            else json.dumps([] if sources is None else [sources], ensure_ascii=False),
            None if fmt == "csv" else "[]",
            note,
            None,
            None,
            None,
            None,
            "mixed",
        )
        for n, (text, by, side, quote, sources, note) in enumerate(
            (d[0], d[1], d[2], d[0], d[1], d[2]) for d in drafts
        )
    }
    plans = [
        (n, n - 1 if answers and n else None, "refutes" if answers and n else None,
         0 if threaded else None, n if threaded else None)
        for n, (*_, answers, threaded) in enumerate(drafts)
    ]  # fmt: skip
    stream = io.StringIO(newline="")
    writer = RowWriter(stream, fmt, raw)
    writer.write_rows(claims, plans)
    writer.close()

    expected = io.StringIO(newline="")
    rows = []
    for claim_id, parent, stance, thread, depth in plans:
        cells = claims[claim_id]
        answered = (None, None) if parent is None else claims[parent][:2]
        rows.append((*cells[:2], *answered, stance, *cells[2:14], thread, depth, cells[14]))
    if fmt == "csv":
        csv_writer = csv.writer(expected)
        csv_writer.writerow(COLUMNS)
        free = [COLUMNS.index(c) for c in ("text", "by", "side", "quote", "sources", "note")]
        for row in rows:
            cells = list(row)
            for index in free:
                if cells[index] and not raw:
                    cells[index] = protect(cells[index])
            csv_writer.writerow(cells)
    else:
        # The lossless formats: sources and tags as JSON lists.
        lines = [
            json.dumps(
                {
                    column: json.loads(value) if column in ("sources", "tags") else value
                    for column, value in zip(COLUMNS, row, strict=True)
                },
                ensure_ascii=False,
            )
            for row in rows
        ]
        expected.write(
            "".join(line + "\n" for line in lines)
            if fmt == "jsonl"
            else "[\n" + ",\n".join(lines) + "\n]\n"
        )
    assert stream.getvalue() == expected.getvalue()
