"""The filters shared by `list`, `search` and `timeline`: one definition, one meaning."""

from __future__ import annotations

import json

import pytest
import typer

from claimtrack.cli import app
from helpers import add

FILTERS = ["--by", "--side", "--tag", "--status", "--since", "--until"]
COMMANDS = ["list", "search", "timeline"]


def options(command: str) -> dict[str, str]:
    """The help text of each option of `command`, by option name."""
    click_command = typer.main.get_command(app).commands[command]
    return {param.opts[0]: param.help for param in click_command.params if param.opts}


def test_every_finding_command_takes_the_same_filters() -> None:
    list_options = options("list")
    for command in COMMANDS:
        found = options(command)
        assert {name: found.get(name) for name in FILTERS} == {
            name: list_options[name] for name in FILTERS
        }


def add_sided(cli, text: str, by: str, side: str) -> int:
    """A claim by an actor of `side`, said on 2024-04-05: its id."""
    return add(cli, text, by, "--side", side, "--on", "2024-04-05")


def ids(cli, command: str, *filters: str) -> list[int]:
    args = [command, "ceasefire"] if command == "search" else [command]
    result = cli(*args, *filters, "--json")
    assert result.exit_code == 0, result.stderr
    return sorted(claim["id"] for claim in json.loads(result.stdout))


@pytest.fixture
def actors(cli) -> dict[str, int]:
    return {
        "aliyev": add_sided(cli, "The ceasefire was violated", "İlham Əliyev", "Azərbaycan"),
        "cavusoglu": add_sided(cli, "Ceasefire talk in Baku", "Mevlüt Çavuşoğlu", "Türkiye"),
        "lavrov": add_sided(cli, "Перемирие, ceasefire", "Сергей Лавров", "Россия"),
        "yerevan": add_sided(cli, "Ceasefire statement", "Երևանի քաղաքապետարան", "Հայաստան"),
        "greek": add_sided(cli, "Ceasefire remark", "Νίκος Δένδιας", "Ελλάδα"),
        "potemkin": add_sided(cli, "Ceasefire note", "Пётр Толстой", "Россия"),
    }


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("option", "value", "who"),
    [
        # Case, Azerbaijani i (İ, I, ı, i) and the letter ə, written in capitals or not.
        ("--by", "ILHAM ƏLİYEV", "aliyev"),
        ("--by", "ilham əliyev", "aliyev"),
        ("--by", "İLHAM ƏLIYEV", "aliyev"),
        # Latin diacritics optional.
        ("--by", "mevlut cavusoglu", "cavusoglu"),
        ("--side", "turkiye", "cavusoglu"),
        ("--side", "AZƏRBAYCAN", "aliyev"),
        # Cyrillic case, and ё as е.
        ("--by", "СЕРГЕЙ ЛАВРОВ", "lavrov"),
        ("--by", "петр толстой", "potemkin"),
        # Armenian case, and և as եւ or ԵՎ.
        ("--by", "ԵՐԵՎԱՆԻ ՔԱՂԱՔԱՊԵՏԱՐԱՆ", "yerevan"),
        ("--by", "երեւանի քաղաքապետարան", "yerevan"),
        ("--side", "ՀԱՅԱՍՏԱՆ", "yerevan"),
        # Greek case and accents.
        ("--by", "ΝΙΚΟΣ ΔΕΝΔΙΑΣ", "greek"),
        ("--side", "ελλαδα", "greek"),
        # Spaces around and between words do not matter.
        ("--by", "  Mevlüt   Çavuşoğlu ", "cavusoglu"),
    ],
)
def test_actor_filters_match_folded(cli, actors, command: str, option: str, value: str, who: str):
    assert ids(cli, command, option, value) == [actors[who]]


@pytest.mark.parametrize("command", COMMANDS)
def test_schwa_is_not_a(cli, actors, command: str) -> None:
    assert ids(cli, command, "--by", "ilham aliyev") == []


@pytest.mark.parametrize("command", COMMANDS)
def test_two_actors_of_one_folded_name_both_match(cli, actors, command: str) -> None:
    # Actors are told apart by case-folded name, so these two are distinct actors...
    other = add_sided(cli, "A ceasefire claim", "Mevlut Cavusoglu", "Türkiye")
    # ...but a filter, like a search, ignores the accents that set them apart.
    assert ids(cli, command, "--by", "Mevlut Cavusoglu") == sorted([actors["cavusoglu"], other])


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_status_is_exit_1_with_the_accepted_names(cli, command: str) -> None:
    args = [command, "ceasefire"] if command == "search" else [command]
    result = cli(*args, "--status", "refuted")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Unknown status 'refuted': use one of unanswered, qualified, contested, "
        "supported, mixed.\n"
    )


# -- forgiving names ---------------------------------------------------------------------------


def test_by_takes_words_of_a_name_and_says_whom_it_matched(cli) -> None:
    add(cli, "The meeting is against Azerbaijan", "Ilham Aliyev")
    add(cli, "We have done exactly as we said", "James O’Brien")
    result = cli("list", "--by", "aliyev", "--json")
    assert [claim["by"] for claim in json.loads(result.stdout)] == ["Ilham Aliyev"]
    assert result.stderr == "--by aliyev: claims by Ilham Aliyev.\n"


def test_by_with_a_keyboard_apostrophe_finds_the_typographic_one(cli) -> None:
    add(cli, "We have done exactly as we said", "James O’Brien")
    result = cli("list", "--by", "James O'Brien", "--json")
    assert [claim["by"] for claim in json.loads(result.stdout)] == ["James O’Brien"]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("option", "typed", "message"),
    [
        (
            "--by",
            "Aliyevv",
            "No actor matches --by 'Aliyevv': the closest recorded is Ilham Aliyev. "
            "Run `claimtrack actors` to see them all.\n",
        ),
        (
            "--side",
            "Azerbiajan",
            "No side matches --side 'Azerbiajan': the closest recorded is Azerbaijan. "
            "Run `claimtrack actors` to see them all.\n",
        ),
        (
            "--tag",
            "troop",
            "No tag matches --tag 'troop': the closest recorded is troops. "
            "Run `claimtrack tags` to see them all.\n",
        ),
        ("--tag", "qqqq", "No tag matches --tag 'qqqq'. Run `claimtrack tags` to see them all.\n"),
    ],
)
def test_a_name_that_matches_nothing_says_so_with_the_closest(cli, option, typed, message) -> None:
    add(cli, "The meeting is against Azerbaijan", "Ilham Aliyev", "--side", "Azerbaijan")
    add(cli, "Troops are massing", "Someone", "--tag", "troops")
    for command in (["list"], ["timeline"], ["threads"], ["search", "meeting OR troops"]):
        result = cli(*command, option, typed, "--json")
        assert (result.exit_code, json.loads(result.stdout)) == (0, [])
        assert result.stderr == message, command
