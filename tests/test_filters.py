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
