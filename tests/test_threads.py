"""Threads from response links: pure functions over model objects."""

from __future__ import annotations

from claimtrack.model import Claim, Status, ThreadNode
from claimtrack.threads import build, walk


def claim(claim_id: int) -> Claim:
    return Claim(
        id=claim_id,
        uid=f"uid-{claim_id}",
        text=f"claim {claim_id}",
        by="Someone",
        side=None,
        on=None,
        quote=None,
        note=None,
        status=Status.UNANSWERED,
        created="2024-04-05T00:00:00Z",
        updated="2024-04-05T00:00:00Z",
    )


def claims(*ids: int) -> dict[int, Claim]:
    return {i: claim(i) for i in ids}


def shape(node: ThreadNode) -> list:
    """A thread as nested [id, stance, [children]] lists."""
    stance = node.stance.value if node.stance else None
    return [node.claim.id, stance, [shape(child) for child in node.responses]]


def test_claim_without_answers_is_a_thread_of_one() -> None:
    assert shape(build(1, claims(1), [])) == [1, None, []]


def test_answers_are_nested_under_what_they_answer_in_id_order() -> None:
    edges = [(4, 2, "disputes"), (3, 1, "refutes"), (2, 1, "refutes")]
    assert shape(build(1, claims(1, 2, 3, 4), edges)) == [
        1,
        None,
        [[2, "refutes", [[4, "disputes", []]]], [3, "refutes", []]],
    ]


def test_claim_answering_two_claims_of_one_thread_appears_under_each() -> None:
    edges = [(2, 1, "refutes"), (3, 1, "qualifies"), (3, 2, "supports")]
    assert shape(build(1, claims(1, 2, 3), edges)) == [
        1,
        None,
        [[2, "refutes", [[3, "supports", []]]], [3, "qualifies", []]],
    ]


def test_link_back_to_an_ancestor_is_not_followed() -> None:
    edges = [(2, 1, "refutes"), (1, 2, "refutes")]
    assert shape(build(1, claims(1, 2), edges)) == [1, None, [[2, "refutes", []]]]


def test_thread_deeper_than_the_recursion_limit_builds_and_walks() -> None:
    depth = 5000
    edges = [(i + 1, i, "refutes") for i in range(1, depth)]
    root = build(1, claims(*range(1, depth + 1)), edges)
    assert [(d, node.claim.id) for d, node, _ in walk(root)] == [
        (i - 1, i) for i in range(1, depth + 1)
    ]


def test_walk_gives_display_order_depth_and_last_sibling() -> None:
    edges = [(2, 1, "refutes"), (3, 2, "disputes"), (4, 1, "supports")]
    root = build(1, claims(1, 2, 3, 4), edges)
    assert [(d, node.claim.id, last) for d, node, last in walk(root)] == [
        (0, 1, True),
        (1, 2, False),
        (2, 3, True),
        (1, 4, True),
    ]


def test_thread_json_nests_responses_with_their_stance() -> None:
    root = build(1, claims(1, 2), [(2, 1, "disputes")])
    data = root.as_json()
    assert "stance" not in data
    assert [(r["id"], r["stance"], r["responses"]) for r in data["responses"]] == [
        (2, "disputes", [])
    ]
