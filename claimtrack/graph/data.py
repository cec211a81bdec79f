"""What every graph file is made from: nodes, edges, labels and colours. Pure, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from claimtrack.errors import InvalidInput
from claimtrack.model import ThreadNode
from claimtrack.standing import standings, thread_edges

LABEL_LENGTH = 80
COLOR_BY = ("standing", "side")

STANCE_COLORS = {
    "refutes": "#d62728",
    "disputes": "#ff7f0e",
    "qualifies": "#1f77b4",
    "supports": "#2ca02c",
}
STANDING_COLORS = {"stands": "#d9f2d9", "falls": "#f8d7da"}
# Light fills, so black label text stays readable on each; they repeat past eight sides.
SIDE_COLORS = (
    "#cfe2ff",
    "#fff3cd",
    "#e2d9f3",
    "#d1ecf1",
    "#fde2cf",
    "#f5d0e6",
    "#e6f0c8",
    "#e9ecef",
)
NO_SIDE_COLOR = "#ffffff"
NO_SIDE = "no side"
STANDING_NOTE = "stands = not defeated within this record, which does not make it true"

# Invisible format characters: bidi marks, overrides and isolates, zero-width and BOM, separators.
FORMAT_CHARACTERS = "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
# Characters never drawn raw: C0 and C1 controls, DEL, the format characters, and the two
# non-characters XML refuses.
_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f{FORMAT_CHARACTERS}\ufffe\uffff]")
_SPACES = re.compile(r"[\t\n\r\x0b\x0c]+")


@dataclass
class GraphNode:
    """A claim as a node: everything a graph file shows or carries about it."""

    id: int
    by: str
    side: str | None
    on: str | None
    text: str
    status: str
    standing: str
    verdict: str | None


@dataclass
class GraphEdge:
    """A response as an edge, from the responding claim to the claim it answers."""

    source: int
    target: int
    stance: str


@dataclass
class Graph:
    """The selected threads as nodes and edges."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]


def escape_code(char: str) -> str:
    """A visible escape for one character: `\\x1b` below U+0100, else `\\u202e`."""
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with control and invisible format characters (except those in `keep`) escaped."""
    return _INVISIBLE.sub(lambda m: m[0] if m[0] in keep else escape_code(m[0]), text)


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    """One line of at most `length` characters: line breaks become spaces, an ellipsis ends it."""
    line = _SPACES.sub(" ", text).strip()
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def label_lines(node: GraphNode) -> list[str]:
    """A node's label as lines of visible text: who and when, the text shortened, its state."""
    who = f"#{node.id} {node.by}" + (f" ({node.side})" if node.side else "")
    if node.on:
        who += f", {node.on}"
    state = f"{node.status} · {node.standing}"
    if node.verdict:
        state += f" · verdict: {node.verdict}"
    return [visible(shorten(line)) for line in (who, node.text, state)]


def check_color_by(color_by: str) -> str:
    """`color_by` if it names a colouring, else a clear error listing the accepted names."""
    if color_by not in COLOR_BY:
        raise InvalidInput(
            f"Cannot colour nodes by {color_by!r}: use one of {', '.join(COLOR_BY)}."
        )
    return color_by


def side_colors(graph: Graph) -> dict[str | None, str]:
    """A fill for each side in the graph, in name order, and white for claims without one."""
    sides = sorted({node.side for node in graph.nodes if node.side is not None})
    colors: dict[str | None, str] = {
        side: SIDE_COLORS[index % len(SIDE_COLORS)] for index, side in enumerate(sides)
    }
    colors[None] = NO_SIDE_COLOR
    return colors


def legend_entries(graph: Graph, color_by: str) -> list[tuple[str, str]]:
    """The (name, fill) pairs a legend shows for the node colouring in use."""
    if check_color_by(color_by) == "standing":
        return list(STANDING_COLORS.items())
    colors = side_colors(graph)
    named = [(str(side), fill) for side, fill in colors.items() if side is not None]
    has_no_side = any(node.side is None for node in graph.nodes)
    return named + ([(NO_SIDE, NO_SIDE_COLOR)] if has_no_side else [])


def node_fills(graph: Graph, color_by: str) -> dict[int, str]:
    """Each node's fill colour under the colouring `color_by` ("standing" or "side")."""
    if check_color_by(color_by) == "standing":
        return {node.id: STANDING_COLORS.get(node.standing, NO_SIDE_COLOR) for node in graph.nodes}
    colors = side_colors(graph)
    return {node.id: colors[node.side] for node in graph.nodes}


def from_threads(roots: Iterable[ThreadNode]) -> Graph:
    """The graph of whole threads: each claim once, each response link once.

    Standing is computed over the links the threads hold, which is right because a thread
    holds every claim answering it.
    """
    nodes: dict[int, GraphNode] = {}
    edges: set[tuple[int, int, str]] = set()
    for root in roots:
        edges.update(thread_edges(root))
        stack = [root]
        while stack:
            item = stack.pop()
            claim = item.claim
            if claim.id not in nodes:
                verdict = claim.verdict.label if claim.verdict is not None else None
                # Standing is filled in below, once every claim of the threads is known.
                nodes[claim.id] = GraphNode(
                    id=claim.id,
                    by=claim.by,
                    side=claim.side,
                    on=claim.on,
                    text=claim.text,
                    status=claim.status.value,
                    standing="",
                    verdict=verdict,
                )
            stack.extend(item.responses)
    standing = standings(edges, nodes)
    for node in nodes.values():
        node.standing = standing[node.id].value
    return Graph(
        nodes=[nodes[key] for key in sorted(nodes)],
        edges=[GraphEdge(source, target, stance) for source, target, stance in sorted(edges)],
    )
