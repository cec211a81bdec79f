"""`claimtrack graph` on the shipped data, read back by the real readers, and `--standing`."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx
import pytest

from helpers import as_json, dump, ok, recorded

ARTICLE = Path(__file__).parent.parent / "data" / "founding-article.csv"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


@pytest.fixture
def article(cli):
    ok(cli("import", str(ARTICLE)))
    return cli


def roots(cli) -> list[int]:
    return [thread["id"] for thread in as_json(cli("threads", "--json"))]


def test_the_troop_thread_falls_through_both_denials_and_still_through_one(article) -> None:
    """Issue example: #1 falls because #2 and #3 stand; answered, #3 falls, #1 still falls."""
    claim = as_json(article("show", "1", "--json"))
    assert (claim["standing"], claim["defeated_by"]) == ("falls", [2, 3])
    baku = recorded(
        article, "rebut", "3", "The mission is biased", "--by", "Azerbaijani Defense Ministry"
    )
    claim = as_json(article("show", "1", "--json"))
    assert (claim["standing"], claim["defeated_by"]) == ("falls", [2])
    nodes = {
        node["id"]: node["standing"]
        for node in json.loads(ok(article("graph", "1", "--format", "json")))["nodes"]
    }
    assert nodes == {1: "falls", 2: "stands", 3: "falls", baku: "stands"}
    assert "Standing: falls (defeated by #2)" in ok(article("show", "1"))


def test_every_thread_of_the_shipped_data_reads_back_in_networkx(article, tmp_path) -> None:
    for root in roots(article):
        ok(article("graph", str(root), "-o", str(tmp_path / f"{root}.graphml")))
        ok(article("graph", str(root), "-o", str(tmp_path / f"{root}.json")))
        thread = as_json(article("show", str(root), "--json"))
        members, links = set(), set()
        stack = [thread]
        while stack:
            node = stack.pop()
            members.add(node["id"])
            for child in node["responses"]:
                links.add((child["id"], node["id"], child["stance"]))
                stack.append(child)
        graphml = networkx.read_graphml(tmp_path / f"{root}.graphml")
        assert {int(n) for n in graphml.nodes} == members
        data = json.loads((tmp_path / f"{root}.json").read_text(encoding="utf-8"))
        linked = networkx.node_link_graph(data, edges="links")
        assert {(s, t, d["stance"]) for s, t, d in linked.edges(data=True)} == links


@needs_dot
def test_every_thread_of_the_shipped_data_is_valid_dot_and_svg(article, tmp_path) -> None:
    for root in roots(article):
        dot = ok(article("graph", str(root)))
        checked = subprocess.run(["dot", "-Tcanon"], input=dot, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        ok(article("graph", str(root), "-o", str(tmp_path / "thread.svg")))
        svg = ElementTree.parse(tmp_path / "thread.svg").getroot()
        assert svg.tag.endswith("svg")


def test_graph_of_every_thread_and_by_filters(article) -> None:
    everything = json.loads(ok(article("graph", "--format", "json")))
    assert len(everything["nodes"]) == 16
    falling = json.loads(ok(article("graph", "--standing", "falls", "--format", "json")))
    fallen_roots = {t["id"] for t in as_json(article("threads", "--standing", "falls", "--json"))}
    assert fallen_roots <= {node["id"] for node in falling["nodes"]}
    assert len(falling["nodes"]) < 16


def test_graph_mermaid_to_stdout(article) -> None:
    text = ok(article("graph", "1", "--format", "mermaid"))
    assert text.startswith("flowchart")
    assert "n2 -->|refutes| n1" in text.replace('"', "")


def test_graph_format_from_the_extension_and_errors(article, tmp_path, db_path) -> None:
    result = article("graph", "1", "-o", str(tmp_path / "thread.mmd"))
    assert ok(result) == f"Drew 3 claims and 2 responses as mermaid in {tmp_path}/thread.mmd.\n"
    assert (tmp_path / "thread.mmd").read_text(encoding="utf-8").startswith("flowchart")
    before = dump(db_path)
    unknown = article("graph", "1", "-o", str(tmp_path / "thread.txt"))
    assert unknown.exit_code == 2
    assert "Cannot tell the graph format of thread.txt" in unknown.stderr
    assert not (tmp_path / "thread.txt").exists()
    bad = article("graph", "1", "--format", "png")
    assert bad.exit_code == 2 and "Unknown graph format 'png'" in bad.stderr
    missing = article("graph", "99")
    assert missing.exit_code == 1 and "There is no claim #99" in missing.stderr
    assert dump(db_path) == before


def test_graph_color_by_side(article) -> None:
    dot = ok(article("graph", "1", "--color-by", "side"))
    assert "Armenia" in dot and "Legend" in dot
    bad = article("graph", "1", "--color-by", "mood")
    assert bad.exit_code == 2


def test_graph_as_of_draws_the_record_of_that_day(cli) -> None:
    recorded(cli, "add", "Troops are massing", "--by", "Ministry", "--on", "2024-03-29")
    recorded(cli, "rebut", "1", "Unfounded", "--by", "Military", "--on", "2024-04-02")
    result = cli("graph", "1", "--as-of", "2024-04-01", "--format", "json")
    data = json.loads(ok(result))
    assert [(n["id"], n["standing"], n["status"]) for n in data["nodes"]] == [
        (1, "stands", "unanswered")
    ]
    assert data["links"] == []
    assert result.stderr == "As of 2024-04-01: 1 claim said later or undated is left out.\n"


def test_an_empty_selection_is_an_empty_graph_said_on_stderr(cli) -> None:
    recorded(cli, "add", "Troops are massing", "--by", "Ministry", "--tag", "troops")
    result = cli("graph", "--tag", "ceasefire", "--format", "json")
    assert json.loads(ok(result))["nodes"] == []
    assert result.stderr == (
        "No tag matches --tag 'ceasefire'. Run `claimtrack tags` to see them all.\n"
        "No threads match: the graph is empty.\n"
    )


@needs_dot
def test_svg_without_graphviz_names_the_package(article, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = article("graph", "1", "--format", "svg")
    assert result.exit_code == 1
    assert "graphviz" in result.stderr
    assert "Traceback" not in result.stderr
