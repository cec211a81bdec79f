"""Graph files, each read back by a real reader: Graphviz, an XML parser, networkx."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimtrack.errors import ClaimtrackError, InvalidInput
from claimtrack.graph import (
    FORMATS,
    Graph,
    GraphEdge,
    GraphNode,
    format_for_path,
    from_threads,
    render,
    to_dot,
    to_graphml,
    to_mermaid,
    to_node_link_json,
    to_svg,
)
from claimtrack.model import Claim, Status, Verdict
from claimtrack.threads import build

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)

NASTY = (
    'He said "no" \\ <b>&amp;</b> ] --> | # ; %% `x` #quot; \x00\x1b\x7f\x85\x9f '
    "\u202e\u2066 Հայաստան Россия \r\n\tend"
)


def founding(text: str = "Armenia is massing troops along the border") -> Graph:
    """The founding example: a claim refuted by the Armenian military and the EU mission."""
    return Graph(
        nodes=[
            GraphNode(
                1,
                "Azerbaijani Defense Ministry",
                "Azerbaijan",
                "2024-04-05",
                text,
                "contested",
                "falls",
                None,
            ),
            GraphNode(
                2, "Armenian military", "Armenia", None, "No build-up", "unanswered", "stands", None
            ),
            GraphNode(
                3,
                "EU Monitoring Mission",
                "EU",
                "2024-04",
                "We saw no build-up",
                "unanswered",
                "stands",
                "False",
            ),
        ],
        edges=[GraphEdge(2, 1, "refutes"), GraphEdge(3, 1, "disputes")],
    )


def chain(length: int) -> Graph:
    """A chain of refutations, each claim answering the one before."""
    nodes = [
        GraphNode(n, "Actor", None, None, f"claim {n}", "contested", "stands", None)
        for n in range(1, length + 1)
    ]
    edges = [GraphEdge(n + 1, n, "refutes") for n in range(1, length)]
    return Graph(nodes, edges)


def run_dot(source: str, output: str) -> bytes:
    """Graphviz's own reading of `source`, failing the test on any complaint."""
    done = subprocess.run(
        ["dot", f"-T{output}"], input=source.encode("utf-8"), capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr.decode()
    return done.stdout


# A small Mermaid flowchart checker: each line must be one statement this writer uses, with
# quoted labels that hold no raw quote and no character Mermaid would read as syntax.
LABEL = r'\["(?P<label>[^"]*)"\]'
COLOR = r"#[0-9a-f]{3,6}"
NODE_ID = r"n\d+|legend_\w+"
MERMAID_LINES = {
    "node": re.compile(rf"(?P<id>{NODE_ID}){LABEL}"),
    "edge": re.compile(
        r"(?P<source>n\d+) (?:-->|-\.->|==>)\|(?P<stance>[a-z]+)\| (?P<target>n\d+)"
    ),
    "classDef": re.compile(rf"classDef \w+ fill:{COLOR},stroke:{COLOR},color:{COLOR}"),
    "class": re.compile(rf"class (?:{NODE_ID})(?:,n\d+)* \w+"),
    "linkStyle": re.compile(
        rf"linkStyle \d+(?:,\d+)* stroke:{COLOR},stroke-width:\dpx,color:{COLOR}"
    ),
    "subgraph": re.compile(rf"subgraph legend{LABEL}"),
    "end": re.compile(r"end"),
    "comment": re.compile(r"%%[^\n]*"),
}
# Inside a label: safe characters, Mermaid entity codes, and <br> between lines only.
LABEL_TEXT = re.compile(r"(?:[A-Za-z0-9 .,!?'()/+=*_@$~^\-\u0080-\U0010ffff]|#\d+;|#quot;|<br>)*")
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def check_mermaid(text: str) -> list[str]:
    """Every label of a Mermaid flowchart, after checking each line's syntax."""
    lines = text.splitlines()
    assert lines[0] == "flowchart BT"
    labels, declared, used, depth = [], set(), set(), 0
    for line in lines[1:]:
        kind, match = next(
            ((k, m) for k, rx in MERMAID_LINES.items() if (m := rx.fullmatch(line.strip()))),
            (None, None),
        )
        assert match is not None, f"not a Mermaid statement: {line!r}"
        assert not line.strip().startswith("%%") or kind == "comment"
        if "label" in match.groupdict():
            label = match["label"]
            assert LABEL_TEXT.fullmatch(label), f"unsafe label text: {label!r}"
            assert not INVISIBLE.search(label)
            labels.append(label)
        if kind == "node":
            declared.add(match["id"])
        if kind == "edge":
            used.update((match["source"], match["target"]))
        depth += {"subgraph": 1, "end": -1}.get(kind or "", 0)
        assert depth >= 0
    assert depth == 0 and used <= declared
    return labels


def mermaid_decoded(label: str) -> str:
    """What Mermaid shows for a label: entity codes decoded, <br> as a line break."""
    text = label.replace("<br>", "\n").replace("#quot;", '"')
    return re.sub(r"#(\d+);", lambda m: chr(int(m[1])), text)


@needs_dot
def test_dot_is_read_by_graphviz_with_every_node_and_edge() -> None:
    canon = run_dot(to_dot(founding()), "canon").decode()
    assert re.search(r"\b2 -> 1\b", canon) and re.search(r"\b3 -> 1\b", canon)
    assert "Azerbaijani Defense Ministry" in canon and "legend" in canon


@needs_dot
def test_svg_parses_as_xml_and_shows_the_labels() -> None:
    svg = to_svg(founding())
    root = ElementTree.fromstring(svg)
    shown = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for words in ("#1 Azerbaijani Defense Ministry", "Armenian military", "refutes", "falls"):
        assert words in shown


def test_svg_without_graphviz_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ClaimtrackError, match=r"apt install graphviz.*brew install graphviz"):
        to_svg(founding())


def test_graphml_is_read_by_networkx_with_every_attribute(tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    path.write_text(to_graphml(founding()), encoding="utf-8")
    read = nx.read_graphml(path)
    assert read.is_directed() and read.number_of_edges() == 2
    assert read.edges["2", "1"]["stance"] == "refutes"
    assert read.edges["3", "1"]["stance"] == "disputes"
    assert read.nodes["3"] == {
        "label": "#3 EU Monitoring Mission (EU), 2024-04 · We saw no build-up",
        "by": "EU Monitoring Mission",
        "side": "EU",
        "on": "2024-04",
        "text": "We saw no build-up",
        "status": "unanswered",
        "standing": "stands",
        "verdict": "False",
    }
    assert "on" not in read.nodes["2"] and "verdict" not in read.nodes["1"]


def test_node_link_json_is_read_by_networkx() -> None:
    read = nx.node_link_graph(json.loads(to_node_link_json(founding())), edges="links")
    assert read.is_directed() and not read.is_multigraph()
    assert sorted(read.edges(data="stance")) == [(2, 1, "refutes"), (3, 1, "disputes")]
    assert read.nodes[1]["by"] == "Azerbaijani Defense Ministry"
    assert read.nodes[2]["on"] is None and read.nodes[1]["standing"] == "falls"


def test_mermaid_is_a_flowchart_with_edges_by_stance_and_a_legend() -> None:
    text = to_mermaid(founding())
    labels = check_mermaid(text)
    assert "  n2 -->|refutes| n1" in text and "  n3 -.->|disputes| n1" in text
    assert "  class n1 falls" in text and "  class n2,n3 stands" in text
    assert "linkStyle 0 stroke:#d62728" in text and 'subgraph legend["Legend"]' in text
    assert any("does not make it true" in mermaid_decoded(label) for label in labels)


def test_nodes_can_be_coloured_by_side() -> None:
    dot = to_dot(founding(), color_by="side")
    assert dot.count("fillcolor=") == 3 and ">Azerbaijan</td>" in dot
    # Sides take colours in name order: Armenia, Azerbaijan, EU.
    mermaid = to_mermaid(founding(), color_by="side")
    assert "class n2 side0" in mermaid and "class n1 side1" in mermaid
    with pytest.raises(InvalidInput, match="standing, side"):
        to_dot(founding(), color_by="stance")


def test_labels_are_shortened_to_80_characters_and_attributes_keep_the_whole_text() -> None:
    text = "word " * 40
    graph = founding(text)
    label = check_mermaid(to_mermaid(graph))[0].split("<br>")[1]
    assert len(label) == 80 and label.endswith("…")
    assert (
        nx.node_link_graph(json.loads(to_node_link_json(graph)), edges="links").nodes[1]["text"]
        == text
    )


@needs_dot
def test_hostile_text_gives_valid_files_in_every_format(tmp_path: Path) -> None:
    check_all_formats(founding(NASTY), tmp_path)


def check_all_formats(graph: Graph, folder: Path) -> None:
    """Every format of `graph` read back by its real reader, text intact where it can be."""
    text = graph.nodes[0].text
    run_dot(to_dot(graph), "canon")
    ElementTree.fromstring(run_dot(to_dot(graph), "svg"))
    read = nx.node_link_graph(json.loads(to_node_link_json(graph)), edges="links")
    assert read.nodes[1]["text"] == text
    path = folder / "graph.graphml"
    path.write_text(to_graphml(graph), encoding="utf-8")
    in_graphml = nx.read_graphml(path).nodes["1"].get("text", "")
    # XML 1.0 cannot carry most C0 controls, U+FFFE or U+FFFF: they come back as visible
    # escapes (as the GraphML writer says), all else exact.
    expected = re.sub(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]",
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}",
        text,
    )
    assert in_graphml == expected
    label = check_mermaid(to_mermaid(graph))[0].split("<br>")[1]
    assert not INVISIBLE.search(mermaid_decoded(label))


@needs_dot
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.characters(codec=None, exclude_categories=["Cs"]), min_size=1))
@example("\ufffe")  # not XML: GraphML gives it back escaped
def test_any_text_gives_valid_files_in_every_format(tmp_path: Path, text: str) -> None:
    check_all_formats(founding(text), tmp_path)


@pytest.mark.parametrize("side", ['EU "mission" <&>', "\x1b[31m", "%% end"])
def test_any_side_gives_a_valid_legend(side: str) -> None:
    graph = founding()
    graph.nodes[2].side = side
    check_mermaid(to_mermaid(graph, color_by="side"))
    table = re.search(r"label=<(.*)>\];", to_dot(graph, color_by="side"))
    assert table is not None
    ElementTree.fromstring(table[1])


def test_a_10000_node_chain_writes_every_text_format() -> None:
    graph = chain(10_000)
    for write in (to_dot, to_mermaid, to_graphml, to_node_link_json):
        assert "9999" in write(graph)


def test_formats_are_guessed_from_the_file_extension() -> None:
    assert [format_for_path(p) for p in ("a.dot", "a.GV", "x/a.svg", "a.mmd", "a.mermaid")] == [
        "dot",
        "dot",
        "svg",
        "mermaid",
        "mermaid",
    ]
    assert format_for_path("a.graphml") == "graphml" and format_for_path("a.json") == "json"
    assert format_for_path("a.txt") is None and format_for_path("graph") is None
    assert FORMATS == ("dot", "svg", "mermaid", "graphml", "json")


def test_render_gives_the_bytes_of_each_text_format() -> None:
    assert render(founding(), "json") == to_node_link_json(founding()).encode("utf-8")
    assert render(founding(), "mermaid").startswith(b"flowchart BT\n")


def _claim(claim_id: int, side: str | None = None, verdict: str | None = None) -> Claim:
    return Claim(
        verdict=Verdict(verdict) if verdict else None,
        id=claim_id,
        uid=f"uid-{claim_id}",
        text=f"claim {claim_id}",
        by="Someone",
        side=side,
        on=None,
        quote=None,
        note=None,
        status=Status.UNANSWERED,
        created="2024-04-05T00:00:00Z",
        updated="2024-04-05T00:00:00Z",
    )


def test_from_threads_gives_each_claim_once_with_its_standing() -> None:
    edges = [(2, 1, "refutes"), (3, 1, "refutes"), (4, 3, "refutes"), (4, 2, "supports")]
    claims = {i: _claim(i, verdict="False" if i == 3 else None) for i in range(1, 5)}
    graph = from_threads([build(1, claims, edges)])
    assert [(n.id, n.standing, n.verdict) for n in graph.nodes] == [
        (1, "falls", None),
        (2, "stands", None),
        (3, "falls", "False"),
        (4, "stands", None),
    ]
    assert [(e.source, e.target, e.stance) for e in graph.edges] == [
        (2, 1, "refutes"),
        (3, 1, "refutes"),
        (4, 2, "supports"),
        (4, 3, "refutes"),
    ]
