"""Graphviz DOT, and SVG rendered from it by Graphviz's `dot` program.

Escaping: DOT strings double every backslash and escape `"`, so no text can end a string or
start one of Graphviz's `\\N`-style sequences; `&` is written `&amp;` because Graphviz reads
HTML entities in labels; control and invisible format characters are written as visible
escapes such as `\\x1b` (raw, they would make the SVG output invalid XML); line breaks in whole
texts (tooltips) are DOT's `\\n`.
"""

from __future__ import annotations

import shutil
import subprocess
from xml.sax.saxutils import escape as xml_escape

from claimtrack.errors import ClaimtrackError
from claimtrack.graph.data import (
    STANCE_COLORS,
    STANDING_NOTE,
    Graph,
    GraphNode,
    label_lines,
    legend_entries,
    node_fills,
    visible,
)

EDGE_STYLES = {
    "refutes": "style=solid, penwidth=2",
    "disputes": "style=dashed",
    "qualifies": "style=dotted",
    "supports": "style=solid",
}
INSTALL_HINT = (
    "Install Graphviz, which provides it: `apt install graphviz` on Debian or Ubuntu, "
    "`brew install graphviz` on macOS, or write another format (dot, mermaid, graphml, json)."
)


class GraphvizMissing(ClaimtrackError):
    """Graphviz's `dot` program, which renders SVG, is not installed."""


def dot_string(text: str) -> str:
    """`text` as a quoted DOT string that Graphviz shows literally."""
    escaped = (
        visible(text, keep="\n")
        .replace("&", "&amp;")
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def _html(text: str) -> str:
    """`text` for a Graphviz HTML-like label: visible, XML-escaped."""
    return xml_escape(visible(text), {'"': "&quot;"})


def _node_line(node: GraphNode, fill: str) -> str:
    """One node statement: a shortened label, the whole text as tooltip, state as attributes."""
    label = "\\n".join(dot_string(line)[1:-1] for line in label_lines(node))
    return (
        f'  {node.id} [label="{label}", tooltip={dot_string(node.text)}, '
        f'fillcolor="{fill}", status={dot_string(node.status)}, '
        f"standing={dot_string(node.standing)}];"
    )


def _legend(graph: Graph, color_by: str) -> str:
    """A legend node: an HTML-like table of node fills, edge colours and what standing means."""
    rows = [f"<tr><td><b>{'Standing' if color_by == 'standing' else 'Side'}</b></td></tr>"]
    rows += [
        f'<tr><td bgcolor="{fill}">{_html(name)}</td></tr>'
        for name, fill in legend_entries(graph, color_by)
    ]
    rows.append("<tr><td><b>Response</b></td></tr>")
    rows += [
        f'<tr><td><font color="{color}">{stance} →</font></td></tr>'
        for stance, color in STANCE_COLORS.items()
    ]
    rows.append(f"<tr><td><i>{_html(STANDING_NOTE)}</i></td></tr>")
    table = '<table border="0" cellborder="1" cellspacing="0">' + "".join(rows) + "</table>"
    return "\n".join(
        [
            "  subgraph cluster_legend {",
            '    label="Legend";',
            f'    legend [shape=plaintext, style="", label=<{table}>];',
            "  }",
        ]
    )


def to_dot(graph: Graph, color_by: str = "standing") -> str:
    """The graph as Graphviz DOT, nodes filled by standing or side, edges coloured by stance."""
    fills = node_fills(graph, color_by)
    lines = [
        "digraph claimtrack {",
        '  graph [rankdir=BT, charset="UTF-8", fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    lines += [_node_line(node, fills[node.id]) for node in graph.nodes]
    for edge in graph.edges:
        color = STANCE_COLORS.get(edge.stance, "#000000")
        style = EDGE_STYLES.get(edge.stance, "style=solid")
        stance = dot_string(edge.stance)
        lines.append(
            f"  {edge.source} -> {edge.target} [label={stance}, stance={stance}, "
            f'color="{color}", fontcolor="{color}", {style}];'
        )
    lines.append(_legend(graph, color_by))
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(graph: Graph, color_by: str = "standing") -> bytes:
    """The graph drawn as SVG by Graphviz's `dot` program; a clear error when it is missing."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing(f"Drawing SVG needs Graphviz's `dot` program. {INSTALL_HINT}")
    source = to_dot(graph, color_by).encode("utf-8")
    try:
        done = subprocess.run([program, "-Tsvg"], input=source, capture_output=True, check=False)
    except OSError as err:
        raise GraphvizMissing(
            f"Graphviz's `dot` could not be run ({err}). {INSTALL_HINT}"
        ) from None
    if done.returncode != 0:
        reason = visible(done.stderr.decode("utf-8", "replace").strip()) or "no message"
        raise ClaimtrackError(f"Graphviz's `dot` failed to draw the graph: {reason}")
    return done.stdout
