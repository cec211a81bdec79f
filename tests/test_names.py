"""Matching typed names against recorded ones: whole, by words, closest as a hint."""

from __future__ import annotations

from claimtrack.names import NameMatch, match_key, match_name

ACTORS = ["Ilham Aliyev", "James O’Brien", "Azerbaijani Defense Ministry", "Armenian military"]


def test_a_whole_name_matches_in_any_case_and_typography() -> None:
    assert match_name("james o'brien", ACTORS) == NameMatch(whole=["James O’Brien"])
    assert match_key("U.S.–EU") == match_key("u.s.-eu")


def test_words_of_a_name_match_every_name_holding_them() -> None:
    assert match_name("aliyev", ACTORS).by_words == ["Ilham Aliyev"]
    assert match_name("O'Brien", ACTORS).by_words == ["James O’Brien"]
    assert match_name("defense", [*ACTORS, "Armenian Defense Ministry"]).by_words == [
        "Armenian Defense Ministry",
        "Azerbaijani Defense Ministry",
    ]


def test_a_word_must_be_whole() -> None:
    assert match_name("ali", ACTORS).names == []


def test_nothing_matching_gives_the_closest_names() -> None:
    assert match_name("Aliyevv", ACTORS).closest == ["Ilham Aliyev"]
    assert match_name("Azerbiajan", ["Azerbaijan", "Armenia"], words=False).closest == [
        "Azerbaijan"
    ]
    assert match_name("zzz", ACTORS) == NameMatch()
