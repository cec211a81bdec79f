"""Building a thread from response links: pure functions over model objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from claimtrack.model import Claim, Stance, ThreadNode


def descend(
    root_id: int, edges: Iterable[tuple[int, int, str]], *, once: bool = False
) -> Iterator[tuple[int, int, str, int]]:
    """The links of the thread under `root_id` from (response_id, target_id, stance) links,
    depth first, each claim's answers in id order: (response_id, target_id, stance, depth).

    The one walk of a thread's links, for `build` (the tree shown) and for export's rows. A
    claim answering two claims of the thread comes under each. Its own answers come under each
    too; with `once`, only under the first (the flat format lists them once, and a link that
    leads back up is then listed, not followed). Without `once`, a link that would lead back to
    an ancestor is left out (the store refuses cycles; this keeps a damaged file showable).
    """
    children: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for response_id, target_id, stance in edges:
        children[target_id].append((response_id, stance))
    if not children:
        return
    for answers in children.values():
        answers.sort()
    # Claims not to follow again: with `once` every claim followed so far, else the claims on
    # the way down from the root.
    seen = {root_id}
    # Iterative: threads may be deeper than Python's recursion limit.
    stack = [(root_id, 1, iter(children.get(root_id, ())))]
    while stack:
        target_id, depth, pending = stack[-1]
        answer = next(pending, None)
        if answer is None:
            stack.pop()
            if not once:
                seen.discard(target_id)
            continue
        response_id, stance = answer
        if response_id in seen:
            if once:
                yield response_id, target_id, stance, depth
            continue
        yield response_id, target_id, stance, depth
        seen.add(response_id)
        stack.append((response_id, depth + 1, iter(children.get(response_id, ()))))


def build(root_id: int, claims: dict[int, Claim], edges: Iterable[tuple]) -> ThreadNode:
    """The tree under `root_id` from (response_id, target_id, stance) links.

    A claim answering two claims of the thread appears under each. A link that would lead back
    to an ancestor is not followed (the store refuses cycles; this keeps a damaged file showable).
    """
    root = ThreadNode(claims[root_id], None)
    # The nodes on the way down to the link at hand: its target is path[depth - 1].
    path = [root]
    for response_id, _, stance, depth in descend(root_id, edges):
        node = ThreadNode(claims[response_id], Stance(stance))
        del path[depth:]
        path[-1].responses.append(node)
        path.append(node)
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
