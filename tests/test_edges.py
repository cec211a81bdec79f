"""Hard edges: files claimtrack cannot trust are refused and left byte for byte as they were,
reading never creates a database, and no raw control character reaches a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimtrack.model import NewClaim
from claimtrack.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None, user: list[str] | None = None):
    """claimtrack in a child process (as another user with `user`), output piped apart."""
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    environment.update({"PYTHONIOENCODING": "utf-8"}, **(env or {}))
    return subprocess.run(
        [*(user or []), sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=ROOT,
        timeout=60,
    )


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of the database file and of every file beside it (-wal, -shm, -journal)."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def claimtrack_file(path: Path, *texts: str) -> Path:
    """A claimtrack database holding claims with these texts, closed (no -wal left)."""
    with ClaimStore.open(path) as store:
        for text in texts:
            store.add_claim(NewClaim(text, "A"))
    assert not Path(f"{path}-wal").exists()
    return path


# Every command, with arguments it runs with, reading first.
READING = [
    ["list"],
    ["show", "1"],
    ["search", "troops"],
    ["timeline"],
    ["history"],
    ["info"],
    ["actors"],
    ["sources"],
    ["export"],
]
WRITING = [
    ["add", "New", "--by", "B"],
    ["rebut", "1", "No", "--by", "B"],
    ["edit", "1", "--text", "Changed"],
    ["delete", "1", "--yes"],
    ["undo"],
    ["import", "-"],
]


# DEL, C1 (CSI, NEL), bidi controls and the other invisible format characters.
INVISIBLE = "\x7f\x85\x9b\u202a\u202e\u2066\u2069\u200b\u200f\u2028\u2029\ufeff\u061c"


def test_json_writes_c1_del_bidi_and_format_characters_as_escapes(cli) -> None:
    text = f"a{INVISIBLE}b\x1b"
    assert cli("add", text, "--by", f"by{INVISIBLE}").exit_code == 0
    for args in [["show", "1", "--json"], ["list", "--json"], ["search", "a", "--json"]]:
        result = cli(*args)
        assert result.exit_code == 0
        assert not set(INVISIBLE + "\x1b") & set(result.stdout), args
        assert "\\u007f\\u0085\\u009b\\u202a\\u202e\\u2066\\u2069\\u200b" in result.stdout
        data = json.loads(result.stdout)
        claim = data if isinstance(data, dict) else data[0]
        assert (claim["text"], claim["by"]) == (text, f"by{INVISIBLE}")


def test_tables_show_the_invisible_format_characters_escaped(cli) -> None:
    assert cli("add", "a\u200bb\u2028c\ufeffd\u061ce", "--by", "A").exit_code == 0
    for args in [["list"], ["show", "1"], ["timeline"]]:
        result = cli(*args)
        assert "a\\u200bb\\u2028c\\ufeffd\\u061ce" in result.stdout, args
        assert not {"\u200b", "\u2028", "\ufeff", "\u061c"} & set(result.stdout)


@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "troops"], ["timeline"], ["history"], ["history", "1"]],
    ids=lambda args: " ".join(args),
)
def test_a_limit_out_of_range_is_a_usage_error(cli, args: list[str]) -> None:
    for limit in ["99999999999999999999", "1000000001"]:
        result = cli(*args, "--limit", limit)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.endswith(
            f"Error: Invalid value for '--limit': {limit} is not in the range 1<=x<=1000000000.\n"
        )
    assert cli(*args, "--limit", "1000000000").exit_code in (0, 1)  # 1: history of no claim


@pytest.mark.parametrize(
    "url, port", [("http://x.com:99999999/", "99999999"), ("https://x.com:8o/a", "8o")]
)
def test_a_source_url_with_an_impossible_port_is_refused(cli, url: str, port: str) -> None:
    result = cli("add", "Text", "--by", "A", "--source", url)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: Source '{url}' has the port '{port}', which cannot be: a port is a number "
        "from 0 to 65535; correct the URL.\n",
    )
    assert cli("list", "--json").stdout == "[]\n"
