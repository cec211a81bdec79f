"""Standing: grounded semantics over response links, pure."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.errors import InvalidInput
from claimtrack.model import Claim, Status
from claimtrack.standing import Standing, defeated_by, standings, thread_standings
from claimtrack.threads import build

STANDS, FALLS = Standing.STANDS, Standing.FALLS

# The founding example: 1 the troop build-up, 2 the Armenian military, 3 the EU monitoring mission.
FOUNDING = [(2, 1, "refutes"), (3, 1, "refutes")]


def test_a_claim_refuted_by_two_standing_claims_falls_defeated_by_both() -> None:
    result = standings(FOUNDING, [1])
    assert result == {1: FALLS, 2: STANDS, 3: STANDS}
    assert defeated_by(FOUNDING, result) == {1: [2, 3]}


def test_a_claim_still_falls_while_one_attacker_stands() -> None:
    edges = [*FOUNDING, (4, 3, "refutes")]
    result = standings(edges, [1])
    assert result == {1: FALLS, 2: STANDS, 3: FALLS, 4: STANDS}
    assert defeated_by(edges, result) == {1: [2], 3: [4]}


def test_a_claim_stands_again_once_every_attacker_falls() -> None:
    edges = [*FOUNDING, (4, 3, "refutes"), (5, 2, "refutes")]
    result = standings(edges, [1])
    assert result == {1: STANDS, 2: FALLS, 3: FALLS, 4: STANDS, 5: STANDS}
    assert defeated_by(edges, result) == {2: [5], 3: [4]}


def test_an_unanswered_claim_stands() -> None:
    assert standings([], [7]) == {7: STANDS}


def test_disputes_attack_like_refutes() -> None:
    assert standings([(2, 1, "disputes")], [1])[1] is FALLS


@pytest.mark.parametrize("stance", ["supports", "qualifies"])
def test_supports_and_qualifies_never_attack(stance: str) -> None:
    edges = [(2, 1, stance), (3, 1, stance)]
    assert standings(edges, [1]) == {1: STANDS, 2: STANDS, 3: STANDS}
    assert defeated_by(edges, standings(edges, [1])) == {}


def test_a_20000_deep_chain_of_refutations_computes_without_recursion() -> None:
    depth = 20_000
    edges = [(n + 1, n, "refutes") for n in range(1, depth)]
    result = standings(edges, [1])
    # The last claim is unanswered and stands; standing alternates from there up.
    assert result[depth] is STANDS
    assert result[1] is (STANDS if depth % 2 == 1 else FALLS)


def test_a_cycle_is_reported_not_looped_on() -> None:
    with pytest.raises(InvalidInput, match="cycle"):
        standings([(1, 2, "refutes"), (2, 1, "refutes")], [1])


def test_standing_parses_its_names_and_lists_them_otherwise() -> None:
    assert Standing.parse(" Falls ") is FALLS
    with pytest.raises(InvalidInput, match="stands, falls"):
        Standing.parse("true")


def _claim(claim_id: int) -> Claim:
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


def test_thread_standings_reads_a_thread_tree() -> None:
    edges = [*FOUNDING, (4, 3, "refutes"), (5, 4, "supports")]
    root = build(1, {i: _claim(i) for i in range(1, 6)}, edges)
    assert thread_standings(root) == {1: FALLS, 2: STANDS, 3: FALLS, 4: STANDS, 5: STANDS}


STANCES = ["refutes", "disputes", "qualifies", "supports"]
ATTACKING = ("refutes", "disputes")


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Random response graphs: a claim only answers claims with smaller ids, so no cycles."""
    count = draw(st.integers(1, 25))
    ids = list(range(1, count + 1))
    pair = st.tuples(st.integers(1, count), st.integers(1, count)).filter(lambda p: p[0] > p[1])
    pairs = draw(st.sets(pair))
    edges = [(source, target, draw(st.sampled_from(STANCES))) for source, target in sorted(pairs)]
    return ids, edges


@given(dags())
def test_a_claim_stands_iff_none_of_its_attackers_stands(
    graph: tuple[list[int], list[tuple[int, int, str]]],
) -> None:
    ids, edges = graph
    result = standings(edges, ids)
    assert set(result) == set(ids)
    for claim in ids:
        attackers = [s for s, t, stance in edges if t == claim and stance in ATTACKING]
        beaten = any(result[a] is STANDS for a in attackers)
        assert result[claim] is (FALLS if beaten else STANDS)
    for claim, winners in defeated_by(edges, result).items():
        assert result[claim] is FALLS and winners == sorted(winners) and winners


@given(dags(), st.randoms(use_true_random=False))
def test_standing_does_not_depend_on_edge_order(
    graph: tuple[list[int], list[tuple[int, int, str]]], rng: random.Random
) -> None:
    ids, edges = graph
    shuffled = list(edges)
    rng.shuffle(shuffled)
    assert standings(shuffled, reversed(ids)) == standings(edges, ids)
