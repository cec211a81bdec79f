"""Standing: a claim falls when at least one claim attacking it (refuting or disputing it) stands,
and stands otherwise, computed bottom-up over the acyclic response graph (grounded semantics).

Standing is computed from this record alone: a claim that stands has not been defeated within
this record, which does NOT make it true, and a claim that falls has not been shown false.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from claimtrack.errors import InvalidInput
from claimtrack.model import Stance, Standing, ThreadNode

# Only these stances attack the claim they answer; supports and qualifies never do.
ATTACKS = frozenset({Stance.REFUTES, Stance.DISPUTES})


def _attackers(edges: Iterable[tuple[int, int, str]]) -> tuple[dict[int, set[int]], set[int]]:
    """Each claim's attackers, and every claim named by an edge."""
    attackers: dict[int, set[int]] = defaultdict(set)
    seen: set[int] = set()
    for response_id, target_id, stance in edges:
        seen.add(response_id)
        seen.add(target_id)
        if Stance(stance) in ATTACKS:
            attackers[target_id].add(response_id)
    return attackers, seen


def standings(edges: Iterable[tuple[int, int, str]], ids: Iterable[int]) -> dict[int, Standing]:
    """The standing of every claim in `ids` and in `edges` (response_id, target_id, stance).

    The edges must be closed under "answers": every claim answering a claim named here is in
    them, else a claim may be judged to stand on attacks this subset left out.
    """
    attackers, claims = _attackers(edges)
    claims.update(ids)
    # Kahn's algorithm over attack links: a claim is decided once all its attackers are.
    # Iterative, because chains of responses can be far deeper than the recursion limit.
    waiting = {claim: len(attackers.get(claim, ())) for claim in claims}
    attacked: dict[int, list[int]] = defaultdict(list)
    for target, sources in attackers.items():
        for source in sources:
            attacked[source].append(target)
    ready = [claim for claim, count in waiting.items() if count == 0]
    result: dict[int, Standing] = {}
    while ready:
        claim = ready.pop()
        beaten = any(result[a] is Standing.STANDS for a in attackers.get(claim, ()))
        result[claim] = Standing.FALLS if beaten else Standing.STANDS
        for target in attacked.get(claim, ()):
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    if len(result) != len(claims):
        # The store refuses cycles; a damaged file could still hold one.
        loop = ", ".join(f"#{claim}" for claim in sorted(claims - result.keys())[:5])
        raise InvalidInput(f"Response links form a cycle through {loop}: unlink one of them.")
    return result


def defeated_by(
    edges: Iterable[tuple[int, int, str]], standing: dict[int, Standing]
) -> dict[int, list[int]]:
    """For each claim that falls, the sorted ids of the standing claims that attack it."""
    attackers, _ = _attackers(edges)
    return {
        claim: sorted(a for a in attackers.get(claim, ()) if standing.get(a) is Standing.STANDS)
        for claim, value in standing.items()
        if value is Standing.FALLS
    }


def thread_edges(root: ThreadNode) -> list[tuple[int, int, str]]:
    """The (response_id, target_id, stance) links of a thread tree, each once."""
    edges: set[tuple[int, int, str]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.responses:
            if child.stance is not None:
                edges.add((child.claim.id, node.claim.id, child.stance.value))
            stack.append(child)
    return sorted(edges)


def thread_standings(root: ThreadNode) -> dict[int, Standing]:
    """The standing of every claim in a thread tree, from the responses the tree holds."""
    return standings(thread_edges(root), [root.claim.id])
