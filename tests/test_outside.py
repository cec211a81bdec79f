"""Leaving the terminal: `open` starts a browser on a claim's source, `datasette-metadata`
makes a real Datasette offer search, facets and labels, and rows that other programs write
(sqlite-utils) become searchable at claimtrack's next write."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import TROOP_BUILD_UP, add, as_json, ok

# Files and the SQLite tools that read them: PostgreSQL has its own tests (test_postgres).
pytestmark = pytest.mark.sqlite_only

DATA = Path(__file__).resolve().parent.parent / "data" / "founding-article.csv"
BIN = Path(sys.executable).parent
ARTICLE = "https://www.azatutyun.am/a/32892927.html"


@pytest.fixture(autouse=True)
def fresh_webbrowser(monkeypatch: pytest.MonkeyPatch) -> None:
    """webbrowser reads BROWSER once per process; each test is a new run of claimtrack."""
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BROWSER set to a script that writes the URL it is given to a file, which is returned."""
    seen = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{seen}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    return seen


def test_open_starts_the_browser_on_the_first_source(troops, recorder: Path) -> None:
    assert ok(troops("open", "#1")) == f"Opened {ARTICLE}\n"
    assert recorder.read_text() == f"{ARTICLE}\n"


def test_open_archived_opens_the_archived_copy(troops, recorder: Path) -> None:
    archived = "https://web.archive.org/web/2024/" + ARTICLE
    ok(troops("source", "edit", ARTICLE, "--archived-url", archived))
    assert ok(troops("open", "1", "--archived")) == f"Opened {archived}\n"
    assert recorder.read_text() == f"{archived}\n"


def test_without_a_browser_open_prints_the_url(troops, monkeypatch) -> None:
    monkeypatch.setenv("BROWSER", "false")  # a browser command that fails
    result = troops("open", "1")
    assert (result.exit_code, result.stdout) == (0, f"{ARTICLE}\n")
    assert "No web browser could be started" in result.stderr


def test_open_of_a_claim_without_source_or_archive_is_exit_1(troops, recorder: Path) -> None:
    result = troops("open", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Claim #2 has no source to open: add one with "
        "`claimtrack edit 2 --add-source URL`.\n"
    )
    result = troops("open", "1", "--archived")
    assert result.exit_code == 1
    assert "has no archived copy" in result.stderr
    assert troops("open", "99").exit_code == 1
    assert not recorder.exists()


def test_datasette_metadata_names_search_facets_and_labels(cli, db_path: Path) -> None:
    document = as_json(cli("datasette-metadata"))
    tables = document["databases"][db_path.stem]["tables"]
    assert tables["claims"]["fts_table"] == "claims_fts"
    assert tables["claims"]["fts_pk"] == "id"
    assert tables["claims"]["label_column"] == "text"
    assert tables["claims_overview"]["facets"] == [
        "claimant",
        "side",
        "status",
        {"array": "tags"},
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_a_real_datasette_searches_facets_and_labels_links(cli, db_path: Path, tmp_path) -> None:
    ok(cli("import", str(DATA)))
    metadata = tmp_path / "metadata.json"
    ok(cli("datasette-metadata", "-o", str(metadata)))
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "datasette"), str(db_path), "-m", str(metadata), "--port", str(port),
         "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/{db_path.stem}"
    try:
        for _ in range(100):  # up to 20 seconds for it to answer
            try:
                fetch(f"{base}.json")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode() if server.stderr else "exited")
                time.sleep(0.2)
        else:
            pytest.fail("datasette did not answer")
        found = fetch(f"{base}/claims.json?_search=troops&_shape=objects")
        searched = as_json(cli("search", "troops", "--json"))
        assert sorted(row["id"] for row in found["rows"]) == sorted(c["id"] for c in searched)
        # Folded index: a word typed without its accent finds the claim with it.
        assert fetch(f"{base}/claims.json?_search=cavusoglu&_shape=objects")["rows"]
        faceted = fetch(f"{base}/claims_overview.json?_facet=side&_shape=objects")
        sides = {
            item["value"]: item["count"] for item in faceted["facet_results"]["side"]["results"]
        }
        assert sides["Azerbaijan"] >= 1 and sides["EU"] >= 1
        configured = fetch(f"{base}/claims_overview.json?_shape=objects")["facet_results"]
        assert {"claimant", "side", "status", "tags"} <= set(configured)
        statuses = {item["value"] for item in configured["status"]["results"]}
        assert "contested" in statuses
        links = fetch(f"{base}/responses.json?_labels=on&_shape=objects")["rows"]
        texts = {row["id"]: row["text"] for row in as_json(cli("list", "--json"))}
        for link in links:
            for column in ("response_id", "target_id"):
                assert link[column]["label"] == texts[link[column]["value"]]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_claim_inserted_by_sqlite_utils_is_found_after_claimtrack_s_next_write(
    cli, db_path: Path
) -> None:
    first = add(cli, TROOP_BUILD_UP, "Azerbaijani Defense Ministry")
    row = {
        "uid": "0b5a4c2e-8d1f-4a7b-9c3e-2f6d8e1a7b40",
        "text": "Çavuşoğlu visited Baku",
        "actor_id": 1,
        "said_on": "2024-04-05",
        "created": "2024-04-05T10:00:00Z",
        "updated": "2024-04-05T10:00:00Z",
    }
    subprocess.run(
        [str(BIN / "sqlite-utils"), "insert", str(db_path), "claims", "-"],
        input=json.dumps(row).encode(),
        check=True,
        env={**os.environ},
    )
    added = as_json(cli("list", "--json"))[0]
    assert added["text"] == "Çavuşoğlu visited Baku"
    ok(cli("edit", str(first), "--add-tag", "troops"))  # any write folds what others wrote
    found = as_json(cli("search", "cavusoglu", "--json"))
    assert [claim["id"] for claim in found] == [added["id"]]
