"""Threads as graph files: DOT, SVG, Mermaid, GraphML and node-link JSON. Pure but for SVG.

Each format escapes text in its own way (see each writer's module), so any claim text gives a
valid file. Nodes are filled by standing by default, or by side; edges are coloured by stance.
"""

from __future__ import annotations

from pathlib import PurePath

from claimtrack.graph.data import (
    COLOR_BY,
    Graph,
    GraphEdge,
    GraphNode,
    check_color_by,
    from_threads,
)
from claimtrack.graph.dot import GraphvizMissing, to_dot, to_svg
from claimtrack.graph.graphml import to_graphml
from claimtrack.graph.mermaid import to_mermaid
from claimtrack.graph.nodelink import to_node_link_json

__all__ = [
    "COLOR_BY",
    "FORMATS",
    "Graph",
    "GraphEdge",
    "GraphNode",
    "GraphvizMissing",
    "format_for_path",
    "from_threads",
    "render",
    "to_dot",
    "to_graphml",
    "to_mermaid",
    "to_node_link_json",
    "to_svg",
]

FORMATS = ("dot", "svg", "mermaid", "graphml", "json")

_EXTENSIONS = {
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".graphml": "graphml",
    ".json": "json",
}


def format_for_path(path: str) -> str | None:
    """The graph format a file name's extension names, or None when it names none."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower())


def render(graph: Graph, format: str, color_by: str = "standing") -> bytes:
    """The file of `graph` in `format` (one of FORMATS), as UTF-8 bytes."""
    check_color_by(color_by)
    if format == "svg":
        return to_svg(graph, color_by)
    if format == "dot":
        return to_dot(graph, color_by).encode("utf-8")
    if format == "mermaid":
        return to_mermaid(graph, color_by).encode("utf-8")
    if format == "graphml":
        return to_graphml(graph).encode("utf-8")
    if format == "json":
        return to_node_link_json(graph).encode("utf-8")
    raise ValueError(f"unknown graph format {format!r}")
