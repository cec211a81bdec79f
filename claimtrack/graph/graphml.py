"""GraphML, which Gephi, yEd, Cytoscape and networkx open, every node field an attribute.

Escaping: `&`, `<`, `>` and `"` are XML-escaped; carriage returns, DEL, C1 controls, bidi and
the other invisible format characters are written as numeric character references (`&#13;`,
`&#8238;`), which keep them exactly, where a raw carriage return would be read back as a line
feed. XML 1.0 cannot carry the other C0 controls (U+0000 to U+001F but tab, line feed and
carriage return) or U+FFFE and U+FFFF at all, not even as references: they are replaced by
visible escapes such as `\\x1b`, so a text holding one does not read back byte for byte.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from claimtrack.graph.data import FORMAT_CHARACTERS, Graph, GraphNode, escape_code, label_lines

# (name, GraphML type) of each node attribute; `label` is the shortened one Gephi shows.
NODE_KEYS = (
    ("label", "string"),
    ("by", "string"),
    ("side", "string"),
    ("on", "string"),
    ("text", "string"),
    ("status", "string"),
    ("standing", "string"),
    ("verdict", "string"),
)
EDGE_KEYS = (("stance", "string"), ("label", "string"))

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_AS_REFERENCE = re.compile(f"[\r\x7f-\x9f{FORMAT_CHARACTERS}]")


def xml_text(text: str) -> str:
    """`text` as XML 1.0 character data or attribute value (see the module docstring)."""
    text = _NOT_XML.sub(lambda m: escape_code(m[0]), text)
    text = xml_escape(text, {'"': "&quot;"})
    return _AS_REFERENCE.sub(lambda m: f"&#{ord(m[0])};", text)


def _node(node: GraphNode) -> list[str]:
    """A node element with a data element per field that has a value."""
    values = {
        "label": " · ".join(label_lines(node)[:2]),
        "by": node.by,
        "side": node.side,
        "on": node.on,
        "text": node.text,
        "status": node.status,
        "standing": node.standing,
        "verdict": node.verdict,
    }
    lines = [f'    <node id="{node.id}">']
    # A missing value is an absent data element, as GraphML means it, not an empty string.
    lines += [
        f'      <data key="n_{name}">{xml_text(value)}</data>'
        for name, value in values.items()
        if value is not None
    ]
    lines.append("    </node>")
    return lines


def to_graphml(graph: Graph) -> str:
    """The graph as GraphML, each node field a declared attribute, each edge with its stance."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    lines += [
        f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>'
        for name, kind in NODE_KEYS
    ]
    lines += [
        f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>'
        for name, kind in EDGE_KEYS
    ]
    lines.append('  <graph id="claimtrack" edgedefault="directed">')
    for node in graph.nodes:
        lines += _node(node)
    for index, edge in enumerate(graph.edges):
        stance = xml_text(edge.stance)
        lines.append(
            f'    <edge id="e{index}" source="{edge.source}" target="{edge.target}">'
            f'<data key="e_stance">{stance}</data><data key="e_label">{stance}</data></edge>'
        )
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
