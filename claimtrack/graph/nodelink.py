"""Node-link JSON, as networkx's `node_link_graph(data, edges="links")` reads it.

Escaping: JSON's own; every code point is kept, and C0, DEL, C1, bidi and the other invisible
format characters are written as `\\uXXXX` escapes so the file shows them.
"""

from __future__ import annotations

import dataclasses
import json
import re

from claimtrack.graph.data import FORMAT_CHARACTERS, Graph

# json.dumps escapes C0 itself; these it would leave raw.
_INVISIBLE = re.compile(f"[\x7f-\x9f{FORMAT_CHARACTERS}]")


def to_node_link_json(graph: Graph) -> str:
    """The graph as node-link JSON: directed, nodes with every field, links with their stance."""
    data = {
        "directed": True,
        "multigraph": False,
        "graph": {},
        "nodes": [dataclasses.asdict(node) for node in graph.nodes],
        "links": [dataclasses.asdict(edge) for edge in graph.edges],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # These characters can only occur inside JSON strings, where an escape means the same.
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"
