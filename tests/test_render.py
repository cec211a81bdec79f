"""What people read: the `show` header and thread table, the `list` table, `info`, safe text.

The render functions print to a rich Console on sys.stdout, so capsys sees exactly what a
terminal 100 columns wide (COLUMNS, set in conftest) would show when stdout is not a terminal.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from claimtrack.model import ClaimFilter, Stance
from claimtrack.render import claims as render
from claimtrack.render.text import safe
from claimtrack.store import ClaimStore
from helpers import add_claim

# Every character that must never reach the terminal raw, with its visible escape.
UNSAFE = {
    "\x00": "\\x00",
    "\x07": "\\x07",
    "\x08": "\\x08",
    "\x0d": "\\x0d",
    "\x1b": "\\x1b",
    "\x7f": "\\x7f",
    "\x85": "\\x85",
    "\x9b": "\\x9b",
    **{chr(cp): f"\\u{cp:04x}" for cp in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]},
}


def hostile(chars) -> str:
    """Text holding each of `chars` between <>, and a colour and a title escape sequence."""
    return "".join(f"<{char}>" for char in chars) + "\x1b[31mred\x1b]0;title\x07"


HOSTILE = hostile(UNSAFE)

LONG_TEXT = (
    " ".join(f"word{n:02d}" for n in range(80))
    + " https://example.org/"
    + "very-long-path-segment-" * 12
    + "end"
)


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A colour setting in the environment of the test run must not change the output."""
    for name in ["FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"]:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def troops(store: ClaimStore) -> ClaimStore:
    """The troop build-up thread of the founding article, three levels deep.

    Recorded through the store with a quote, a note, two tags and dated answers, which the
    render tests read; it stands in for conftest's `troops` (the same thread, recorded by the CLI).
    """
    add_claim(
        store,
        "Armenia is massing troops along the border",
        "Azerbaijani Defense Ministry",
        side="Azerbaijan",
        on="2024-04",
        quote="military provocations",
        tags=["troops", "border"],
        sources=["https://www.azatutyun.am/a/32892927.html"],
        note="Denied by two parties",
    )
    add_claim(
        store,
        "The claims of a troop build-up are false",
        "Armenian military",
        [(1, Stance.REFUTES)],
        side="Armenia",
        on="2024-04-05",
    )
    add_claim(
        store, "There is no build-up", "EU Monitoring Mission", [(1, Stance.REFUTES)], side="EU"
    )
    add_claim(
        store, "Units were seen moving", "Azerbaijani Defense Ministry", [(2, Stance.DISPUTES)]
    )
    return store


def show(store: ClaimStore, claim_id: int, capsys: pytest.CaptureFixture[str]) -> str:
    """What `claimtrack show ID` prints."""
    root = store.thread(claim_id)
    render.thread(root, store.claims(ref.id for ref in root.claim.responds_to))
    return capsys.readouterr().out


def listing(store: ClaimStore, capsys: pytest.CaptureFixture[str]) -> str:
    """What `claimtrack list` prints."""
    render.claims(store.list_claims(ClaimFilter()))
    return capsys.readouterr().out


def cells(output: str, header: str) -> list[str]:
    """The lines of one table column, padding stripped, found by the column's header."""
    lines = output.splitlines()
    head = next(line for line in lines if line.startswith("┃") and f" {header} " in line)
    bars = [i for i, char in enumerate(head) if char == "┃"]
    start, end = next((a, b) for a, b in pairwise(bars) if head[a + 1 : b].strip() == header)
    return [line[start + 1 : end].strip() for line in lines if line.startswith("│")]


def squeeze(text: str) -> str:
    """Text without whitespace, to compare wrapped output with what was typed."""
    return "".join(text.split())


# -- the header --------------------------------------------------------------------------------


def test_header_names_claim_claimant_side_date_and_status(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = show(troops, 1, capsys).splitlines()
    assert lines[:2] == [
        "#1 Armenia is massing troops along the border",
        "by Azerbaijani Defense Ministry (Azerbaijan) · 2024-04 · contested",
    ]


def test_header_says_who_answered_from_which_side(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        "Answered by: Armenian military (Armenia) refutes #2; EU Monitoring Mission (EU) refutes #3"
    ) in show(troops, 1, capsys).splitlines()


def test_header_gives_quote_tags_sources_and_note(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = show(troops, 1, capsys).splitlines()
    assert lines[2] == "“military provocations”"
    assert lines[4:7] == [
        "Tags: troops, border",
        "Sources: https://www.azatutyun.am/a/32892927.html",
        "Note: Denied by two parties",
    ]


def test_header_of_an_answer_names_what_it_answers(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = show(troops, 2, capsys).splitlines()
    assert lines[:3] == [
        "#2 The claims of a troop build-up are false",
        "by Armenian military (Armenia) · 2024-04-05 · contested",
        "Answered by: Azerbaijani Defense Ministry (Azerbaijan) disputes #4",
    ]
    # The line is longer than the terminal's 100 columns, so it wraps at a space.
    assert " ".join(line.strip() for line in lines[3:5]) == (
        "Answers: refutes #1 by Azerbaijani Defense Ministry (Azerbaijan): Armenia is massing "
        "troops along the border"
    )


def test_header_of_an_undated_unanswered_claim(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = show(troops, 3, capsys).splitlines()
    assert lines[1] == "by EU Monitoring Mission (EU) · undated · unanswered"
    assert not any(line.startswith("Answered by:") for line in lines)


# -- the thread table --------------------------------------------------------------------------


def test_tree_column_shows_depth_and_stance(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    output = show(troops, 1, capsys)
    assert [cell for cell in cells(output, "Thread") if cell] == [
        "claim",
        "├─ refutes",
        "│  └─ disputes",
        "└─ refutes",
    ]
    assert [cell for cell in cells(output, "#") if cell] == ["1", "2", "4", "3"]
    # Each status with the claim's standing below it: #4 stands, so #2 falls; #3 stands, so
    # #1 falls.
    assert [cell for cell in cells(output, "Status") if cell] == [
        "contested",
        "falls",
        "contested",
        "falls",
        "unanswered",
        "stands",
        "unanswered",
        "stands",
    ]


def test_table_rows_give_claimant_side_date_and_claim(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    output = show(troops, 1, capsys)
    claimants = squeeze(" ".join(cells(output, "Claimant, date")))
    claims = squeeze(" ".join(cells(output, "Claim")))
    assert claimants == squeeze(
        "Azerbaijani Defense Ministry (Azerbaijan) 2024-04 Armenian military (Armenia) 2024-04-05"
        " Azerbaijani Defense Ministry (Azerbaijan) undated EU Monitoring Mission (EU) undated"
    )
    assert claims == squeeze(
        "Armenia is massing troops along the border “military provocations” tags: troops, border"
        " source: www.azatutyun.am The claims of a troop build-up are false"
        " Units were seen moving There is no build-up"
    )


def test_claim_answering_two_claims_of_the_thread_is_shown_under_each(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    add_claim(
        troops, "Both are partly right", "Analyst", [(2, Stance.QUALIFIES), (3, Stance.SUPPORTS)]
    )
    output = show(troops, 1, capsys)
    rows = [
        (guide, number)
        for guide, number in zip(cells(output, "Thread"), cells(output, "#"), strict=True)
        if number
    ]
    assert rows == [
        ("claim", "1"),
        ("├─ refutes", "2"),
        ("│  ├─ disputes", "4"),
        ("│  └─ qualifies", "5"),
        ("└─ refutes", "3"),
        ("└─ supports", "5"),
    ]
    lines = show(troops, 5, capsys).splitlines()
    answers = [line for line in lines if line.startswith("Answers: ")]
    assert answers == [
        "Answers: qualifies #2 by Armenian military (Armenia): The claims of a troop build-up are "
        "false",
        "Answers: supports #3 by EU Monitoring Mission (EU): There is no build-up",
    ]


def test_deep_thread_names_the_depth_and_keeps_every_claim_readable(
    store: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    add_claim(store, "level 0", "A")
    for level in range(1, 31):
        add_claim(store, f"answer at level {level}", "B", [(level, Stance.REFUTES)])
    output = show(store, 1, capsys)
    guides = [cell for cell in cells(output, "Thread") if cell]
    assert guides[6:8] == ["└─ refutes", "7 └─ refutes"]  # cells are stripped
    assert guides[-1] == "30 └─ refutes"
    text = squeeze(" ".join(cells(output, "Claim")))
    for level in range(1, 31):
        assert f"answeratlevel{level}" in text
    assert "…" not in output


# -- text from the database is shown literally -------------------------------------------------


def test_rich_markup_in_every_field_is_printed_as_typed(
    store: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    add_claim(
        store,
        "[bold]x[/bold] and [/] [red]",
        "[link=https://evil.example]Ministry[/link]",
        side="[blink]A[/]",
        quote="[i]q[/i]",
        note="[/x]",
        tags=["[b]t"],
        sources=["[u]Title[/u]"],
    )
    add_claim(store, "[bold]reply[/bold]", "[dim]B", [(1, Stance.REFUTES)])
    output = show(store, 1, capsys) + show(store, 2, capsys) + listing(store, capsys)
    for typed in [
        "[bold]x[/bold] and [/] [red]",
        "[link=https://evil.example]Ministry[/link] ([blink]A[/])",
        "“[i]q[/i]”",
        "Note: [/x]",
        "Tags: [b]t",
        "Sources: [u]Title[/u]",
        "[bold]reply[/bold]",
        "Answers: refutes #1 by [link=https://evil.example]Ministry[/link] ([blink]A[/]):",
    ]:
        assert typed in output


def test_control_and_bidi_characters_in_every_field_are_shown_escaped(
    store: ClaimStore, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # PostgreSQL's text cannot hold NUL (refused there: test_store); every other one is tried.
    unsafe = {c: e for c, e in UNSAFE.items() if not (engine == "postgres" and c == "\x00")}
    tried = hostile(unsafe)
    add_claim(
        store,
        "text " + tried,
        "by " + tried,
        side="side " + tried,
        quote="quote " + tried,
        note="note " + tried,
        tags=["tag " + tried],
        sources=["title " + tried, "https://example.org/" + tried],
    )
    add_claim(store, "reply " + tried, "by " + tried, [(1, Stance.QUALIFIES)])
    output = show(store, 1, capsys) + show(store, 2, capsys) + listing(store, capsys)
    assert not set(UNSAFE) & set(output)
    escaped = "".join(f"<{e}>" for e in unsafe.values()) + "\\x1b[31mred\\x1b]0;title\\x07"
    assert squeeze(output).startswith(
        squeeze(f"#1 text {escaped} by by {escaped} (side {escaped})")
    )


def test_safe_escapes_exactly_the_unsafe_characters() -> None:
    kept = "Tab\tand\nnewline, Ünïcödé, Երևան, Ё, עברית, 中文, emoji 🙂, NBSP\xa0"
    assert safe(kept) == kept
    for char, escape in UNSAFE.items():
        assert safe(f"a{char}b") == f"a{escape}b"


# -- wrapping: nothing is lost -----------------------------------------------------------------


def test_long_claim_wraps_in_the_thread_without_losing_a_word(
    store: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    add_claim(store, LONG_TEXT, "A claimant with a rather long name " * 3, quote=LONG_TEXT)
    add_claim(store, LONG_TEXT, "B", [(1, Stance.SUPPORTS)])
    output = show(store, 1, capsys)
    assert "…" not in output
    assert max(len(line) for line in output.splitlines()) <= 100
    header = squeeze(output.split("┏")[0])
    table = squeeze(" ".join(cells(output, "Claim")))
    assert squeeze(f"#1 {LONG_TEXT}") in header
    assert squeeze(f"“{LONG_TEXT}”") in header
    assert table.count(squeeze(LONG_TEXT)) == 3  # both claims and the quote


def test_long_claim_wraps_in_the_list_without_losing_a_word(
    store: ClaimStore, capsys: pytest.CaptureFixture[str], terminal: None
) -> None:
    add_claim(store, LONG_TEXT, "A claimant with a rather long name " * 3)
    output = listing(store, capsys)
    assert "…" not in output
    assert max(len(line) for line in output.splitlines()) <= 100
    assert squeeze(LONG_TEXT) in squeeze(" ".join(cells(output, "Claim")))
    assert squeeze("A claimant with a rather long name " * 3) in squeeze(
        " ".join(cells(output, "Claimant, date"))
    )


def test_list_gives_id_claimant_status_and_what_each_claim_answers(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str], terminal: None
) -> None:
    output = listing(troops, capsys)
    assert [c for c in cells(output, "#") if c] == ["2", "1", "4", "3"]
    assert [c for c in cells(output, "Status") if c] == [
        "contested",
        "contested",
        "unanswered",
        "unanswered",
    ]
    answers = squeeze(" ".join(cells(output, "Answers")))
    assert answers == squeeze("refutes #1 disputes #2 refutes #1")


def test_empty_list_says_so(
    store: ClaimStore, capsys: pytest.CaptureFixture[str], terminal: None
) -> None:
    assert listing(store, capsys) == "No claims match.\n"


def test_info_shows_a_long_path_whole(capsys: pytest.CaptureFixture[str]) -> None:
    path = "/data/" + "a-rather-long-folder-name/" * 8 + "claims.db"
    render.info({"path": path, "schema_version": 3, "counts": {"claims": 5, "actors": 2}})
    output = capsys.readouterr().out
    assert "…" not in output
    assert path in squeeze(output.replace("database", "", 1).split("schema version")[0])
    assert output.splitlines()[-3:] == [
        "schema version  3" + " " * (len(output.splitlines()[-3]) - 17),
        "claims          5" + " " * (len(output.splitlines()[-2]) - 17),
        "actors          2" + " " * (len(output.splitlines()[-1]) - 17),
    ]


# -- colour ------------------------------------------------------------------------------------


def test_piped_output_has_no_escape_codes(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "\x1b" not in show(troops, 1, capsys) + listing(troops, capsys)


def test_stances_and_statuses_are_coloured_on_a_terminal(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    output = show(troops, 1, capsys)
    assert "\x1b[1;31mrefutes\x1b[0m" in output
    assert "\x1b[1;31mcontested\x1b[0m" in output


def test_no_color_writes_no_escape_codes_even_on_a_terminal(
    troops: ClaimStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in show(troops, 1, capsys) + listing(troops, capsys)
