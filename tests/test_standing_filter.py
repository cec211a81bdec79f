"""`--standing stands|falls` on the commands that select claims."""

from __future__ import annotations

import pytest

from helpers import as_json, recorded


@pytest.fixture
def chain(cli):
    """#1 refuted by #2, which #3 disputes: #3 stands, #2 falls, so #1 stands; #4 supports #1."""
    recorded(cli, "add", "Troops are massing", "--by", "Ministry", "--on", "2024-03-29")
    recorded(cli, "rebut", "1", "Unfounded", "--by", "Military", "--on", "2024-04-02")
    recorded(cli, "rebut", "2", "The denial is wrong", "--by", "Ministry", "--stance", "disputes")
    recorded(cli, "support", "1", "Troops seen", "--by", "Witness", "--on", "2024-04-04")
    return cli


def ids(result) -> list[int]:
    return [claim["id"] for claim in as_json(result)]


@pytest.mark.parametrize(
    ("command", "stands", "falls"),
    [
        (["timeline"], [1, 4, 3], [2]),
        (["threads"], [1], []),
        (["search", "troops OR denial OR unfounded"], [1, 3, 4], [2]),
    ],
)
def test_standing_keeps_the_claims_that_stand_or_fall(chain, command, stands, falls) -> None:
    found = ids(chain(*command, "--standing", "stands", "--json"))
    assert (found if command[0] != "search" else sorted(found)) == stands
    assert ids(chain(*command, "--standing", "falls", "--json")) == falls


def test_list_standing_falls_is_the_refuted_denial(chain) -> None:
    assert ids(chain("list", "--standing", "falls", "--json")) == [2]
    assert sorted(ids(chain("list", "--standing", "stands", "--json"))) == [1, 3, 4]


def test_standing_combines_with_the_other_filters_and_the_limit(chain) -> None:
    assert ids(chain("list", "--standing", "stands", "--by", "ministry", "--json")) == [1, 3]
    assert len(ids(chain("list", "--standing", "stands", "--limit", "2", "--json"))) == 2


def test_an_unknown_standing_is_refused(chain) -> None:
    result = chain("list", "--standing", "maybe")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: Unknown standing 'maybe': use one of stands, falls.\n"
