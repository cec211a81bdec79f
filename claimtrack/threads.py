"""Building a thread from response links: pure functions over model objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from claimtrack.model import Claim, Stance, ThreadNode


def build(root_id: int, claims: dict[int, Claim], edges: Iterable[tuple]) -> ThreadNode:
    """The tree under `root_id` from (response_id, target_id, stance) links.

    A claim answering two claims of the thread appears under each. A link that would lead back
    to an ancestor is not followed (the store refuses cycles; this keeps a damaged file showable).
    """
    children: dict[int, list[tuple[int, Stance]]] = defaultdict(list)
    for response_id, target_id, stance in edges:
        children[target_id].append((response_id, Stance(stance)))
    root = ThreadNode(claims[root_id], None)
    # Iterative depth-first walk: threads may be deeper than Python's recursion limit.
    stack: list[tuple[ThreadNode, frozenset[int]]] = [(root, frozenset({root_id}))]
    while stack:
        node, ancestors = stack.pop()
        for response_id, stance in sorted(children[node.claim.id], key=lambda edge: edge[0]):
            if response_id in ancestors:
                continue
            child = ThreadNode(claims[response_id], stance)
            node.responses.append(child)
            stack.append((child, ancestors | {response_id}))
    return root


def walk(root: ThreadNode) -> Iterator[tuple[int, ThreadNode, bool]]:
    """Every node of a thread in display order as (depth, node, is_last_sibling)."""
    stack: list[tuple[int, ThreadNode, bool]] = [(0, root, True)]
    while stack:
        depth, node, last = stack.pop()
        yield depth, node, last
        count = len(node.responses)
        for index in range(count - 1, -1, -1):
            stack.append((depth + 1, node.responses[index], index == count - 1))
