"""Reading search queries: what FTS5 is asked, what is highlighted, and what is refused."""

from __future__ import annotations

import pytest

from claimtrack.errors import InvalidInput
from claimtrack.query import HELP, parse_query, tokens, word_spans


@pytest.mark.parametrize(
    ("query", "fts"),
    [
        ("ceasefire", '"ceasefire"'),
        ("troops border", '"troops" AND "border"'),
        ('"military provocations"', '"military provocations"'),
        ('troops OR "military buildup"', '"troops" OR "military buildup"'),
        ("provoc*", '"provoc"*'),
        ('"military prov"*', '"military prov"*'),
        ("troops NOT drills", '"troops" NOT "drills"'),
        ("(ceasefire OR truce) border", '( "ceasefire" OR "truce" ) AND "border"'),
        ("border (ceasefire OR truce)", '"border" AND ( "ceasefire" OR "truce" )'),
        # Words FTS5 could not take bare: punctuation splits them as it splits the stored text.
        ("O'Brien", '"o brien"'),
        ("build-up U.S.", '"build up" AND "u s"'),
        ("NEAR and or", '"near" AND "and" AND "or"'),
        # Punctuation alone holds no word and is passed over.
        ("troops - border", '"troops" AND "border"'),
        # Folded like the stored text.
        ("ЁЛКА ԵՐԵՎԱՆ İLHAM Çavuşoğlu", '"елка" AND "երեւան" AND "ilham" AND "cavusoglu"'),
    ],
)
def test_query_becomes_fts5_phrases_and_operators(query: str, fts: str) -> None:
    assert parse_query(query).fts == fts


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"military provocations', 'a double quote (") has no closing quote'),
        ("AND", "AND cannot come at the start"),
        ("NOT troops", "NOT cannot come at the start"),
        ("troops OR", "OR at the end has nothing after it"),
        ("troops OR OR border", "OR cannot come after OR"),
        ("(troops", 'a "(" has no ")" after it'),
        ("troops)", 'a ")" has no "(" before it'),
        ("troops ()", "( ) is empty"),
        ("(troops OR)", "OR has nothing after it"),
        ("(OR troops)", "OR cannot come after ("),
    ],
)
def test_syntax_errors_say_what_is_wrong_and_how_to_write_queries(query: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_query(query)
    message = str(raised.value)
    assert message.startswith(f"The search query {query!r} is not valid: {problem}")
    assert message.endswith(HELP)


@pytest.mark.parametrize("query", ["", "   ", "...", "*", '""'])
def test_a_query_without_words_is_refused(query: str) -> None:
    with pytest.raises(InvalidInput, match="has no words to search for"):
        parse_query(query)


def test_word_spans_split_where_the_index_splits() -> None:
    text = "O'Brien: build-up, Երևան; हिन्दी ok"
    assert [text[start:end] for start, end in word_spans(text)] == [
        "O",
        "Brien",
        "build",
        "up",
        "Երևան",
        "हिन्दी",  # combining vowel signs stay in the word
        "ok",
    ]


def test_tokens_are_folded() -> None:
    assert tokens("Ерёван, ԵՐԵՎԱՆ, Bakı") == ["ереван", "երեւան", "baki"]


def highlighted_words(query: str, text: str) -> list[str]:
    return [text[start:end] for start, end in parse_query(query).spans(text)]


def test_spans_are_the_matching_words_of_the_original_text() -> None:
    text = "Troops at the BORDER near Ерёван; border-guards and troopers"
    assert highlighted_words('troop* "border" ЕРЕВАН', text) == [
        "Troops",
        "BORDER",
        "Ерёван",
        "border",
        "troopers",
    ]


def test_spans_leave_out_negated_words() -> None:
    text = "Troops fired on the border during drills"
    assert highlighted_words("troops NOT (drills OR exercises)", text) == ["Troops"]


def test_spans_mark_each_word_of_a_phrase() -> None:
    text = "“military provocations” were alleged; the military denied"
    assert highlighted_words('"military provocations"', text) == [
        "military",
        "provocations",
        "military",
    ]


def test_spans_keep_offsets_of_text_with_control_characters() -> None:
    text = "\x1b[31m troops"
    assert parse_query("troops").spans(text) == [(len(text) - 6, len(text))]
