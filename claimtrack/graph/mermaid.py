"""Mermaid flowcharts, which GitHub and GitLab draw from a ```mermaid block in Markdown.

Escaping: every label is a quoted `id["..."]` label in which any ASCII character other than
letters, digits, space and `.,!?'()/+=*_@$~^-` is written as a Mermaid entity code (`#quot;`,
`#35;` for `#`, `#60;` for `<`, and so on), so no text can close the label, start a comment
(`%%`), a directive, a markdown string (backtick) or an HTML tag, or be read as an entity code
itself; control and invisible format characters are written as visible escapes such as `\\x1b`;
other letters (Armenian, Cyrillic, ...) are written as they are.
"""

from __future__ import annotations

import re
from collections import defaultdict

from claimtrack.graph.data import (
    NO_SIDE,
    STANCE_COLORS,
    STANDING_NOTE,
    Graph,
    GraphNode,
    check_color_by,
    label_lines,
    legend_entries,
    visible,
)

ARROWS = {"refutes": "-->", "disputes": "-.->", "qualifies": "-.->", "supports": "==>"}
_UNSAFE = re.compile(r"[^A-Za-z0-9 .,!?'()/+=*_@$~^\-\u0080-\U0010ffff]")


def mermaid_text(text: str) -> str:
    """`text` for the inside of a quoted Mermaid label, shown literally."""

    def code(match: re.Match[str]) -> str:
        char = match[0]
        return "#quot;" if char == '"' else f"#{ord(char)};"

    return _UNSAFE.sub(code, visible(text))


def _label(lines: list[str]) -> str:
    """Lines as one quoted Mermaid label, joined by line breaks."""
    return '["' + "<br>".join(mermaid_text(line) for line in lines) + '"]'


def _class_names(graph: Graph, color_by: str) -> list[tuple[str, str, str]]:
    """(class name, legend name, fill) for each colour in the legend."""
    entries = legend_entries(graph, color_by)
    if color_by == "standing":
        return [(name, name, fill) for name, fill in entries]
    return [(f"side{index}", name, fill) for index, (name, fill) in enumerate(entries)]


def _node_class(node: GraphNode, color_by: str) -> str:
    """The legend name a node is coloured by."""
    if color_by == "standing":
        return node.standing
    return node.side if node.side is not None else NO_SIDE


def _styles(graph: Graph, color_by: str) -> list[str]:
    """classDef, class and linkStyle lines: node fills and edge colours."""
    classes = _class_names(graph, color_by)
    by_legend_name = {name: css_class for css_class, name, _ in classes}
    lines = [f"  classDef {css} fill:{fill},stroke:#333,color:#000" for css, _, fill in classes]
    members: dict[str, list[str]] = defaultdict(list)
    for node in graph.nodes:
        css_class = by_legend_name.get(_node_class(node, color_by))
        if css_class is not None:
            members[css_class].append(f"n{node.id}")
    lines += [f"  class {','.join(ids)} {css}" for css, ids in members.items()]
    links: dict[str, list[str]] = defaultdict(list)
    for index, edge in enumerate(graph.edges):
        links[edge.stance].append(str(index))
    for stance, indices in links.items():
        color = STANCE_COLORS.get(stance, "#000000")
        width = "3px" if stance == "refutes" else "2px"
        lines.append(
            f"  linkStyle {','.join(indices)} stroke:{color},stroke-width:{width},color:{color}"
        )
    return lines


def _legend(graph: Graph, color_by: str) -> list[str]:
    """A legend subgraph: one box per node colour, one per stance, and what standing means."""
    lines = ['  subgraph legend["Legend"]']
    classes = _class_names(graph, color_by)
    for index, (css, name, _) in enumerate(classes):
        lines.append(f"    legend_fill{index}{_label([name])}")
        lines.append(f"    class legend_fill{index} {css}")
    for stance, color in STANCE_COLORS.items():
        lines.append(f"    legend_{stance}{_label([f'{stance} {ARROWS[stance]}'])}")
        lines.append(f"    classDef stance_{stance} fill:#ffffff,stroke:{color},color:{color}")
        lines.append(f"    class legend_{stance} stance_{stance}")
    lines.append(f"    legend_note{_label([STANDING_NOTE])}")
    lines.append("  end")
    return lines


def to_mermaid(graph: Graph, color_by: str = "standing") -> str:
    """The graph as a Mermaid flowchart, nodes filled by standing or side, edges by stance."""
    check_color_by(color_by)
    lines = ["flowchart BT"]
    lines += [f"  n{node.id}{_label(label_lines(node))}" for node in graph.nodes]
    for edge in graph.edges:
        arrow = ARROWS.get(edge.stance, "-->")
        lines.append(f"  n{edge.source} {arrow}|{mermaid_text(edge.stance)}| n{edge.target}")
    lines += _legend(graph, color_by)
    lines += _styles(graph, color_by)
    return "\n".join(lines) + "\n"
