"""Property tests: any text survives exactly (after NFC); random threads keep links and statuses.

Each example gets a fresh database in its own temporary folder (function-scoped fixtures are
shared between hypothesis examples, so they cannot give isolation)."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.model import ClaimFilter, NewClaim, Stance, Status
from claimtrack.store import ClaimStore

# Any code point but lone surrogates (not text; refused with a message): controls, NUL,
# bidi overrides, combining marks, markup brackets all included.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
HOSTILE_CHAR = st.sampled_from(
    [*"[]\x00\x1b\x9b\u202e\u2066\r\n\t\u0301\ufeff\u200b \xa0-#,\\\"'", "[/", "[bold]", "e\u0301"]
)
TEXT = st.lists(st.one_of(ANY_CHAR, HOSTILE_CHAR), max_size=40).map("".join)
SETTINGS = settings(max_examples=50, deadline=None)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def has_text(text: str) -> bool:
    return bool(nfc(text).strip())


@contextmanager
def fresh_db() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "claims.db"


@contextmanager
def fresh_store() -> Iterator[ClaimStore]:
    with fresh_db() as path, ClaimStore.open(path) as store:
        yield store


# -- text round trips --------------------------------------------------------------------------


@SETTINGS
@given(
    text=TEXT.filter(has_text),
    by=TEXT.filter(has_text),
    side=TEXT,
    quote=TEXT,
    note=TEXT,
    tag=TEXT.filter(lambda t: has_text(t) and "," not in t),
    title=TEXT.filter(lambda t: has_text(t) and "://" not in t),
)
def test_any_text_survives_the_store_exactly_after_nfc(
    text: str, by: str, side: str, quote: str, note: str, tag: str, title: str
) -> None:
    with fresh_store() as store:
        new = NewClaim(text, by, side=side, quote=quote, note=note, tags=[tag], sources=[title])
        claim_id = store.add_claim(new).claim.id
        claim = store.get(claim_id)
    assert claim.text == nfc(text)
    assert claim.by == nfc(by).strip()
    assert claim.side == (nfc(side).strip() or None)
    assert claim.quote == (nfc(quote) or None)
    assert claim.note == (nfc(note) or None)
    assert claim.tags == [nfc(tag).strip()]
    assert [(s.url, s.title) for s in claim.sources] == [(None, nfc(title).strip())]


@SETTINGS
@given(
    text=TEXT.filter(has_text),
    by=TEXT.filter(has_text),
    quote=TEXT,
    note=TEXT,
    tag=TEXT.filter(lambda t: has_text(t) and "," not in t),
)
def test_any_text_survives_add_then_show_json_exactly_after_nfc(
    text: str, by: str, quote: str, note: str, tag: str
) -> None:
    runner = CliRunner()
    with fresh_db() as path:
        # `--opt=value` and `--` so that text starting with "-" stays a value, not an option.
        added = runner.invoke(
            app,
            [
                "--db",
                str(path),
                "add",
                f"--by={by}",
                f"--quote={quote}",
                f"--note={note}",
                f"--tag={tag}",
                "--json",
                "--",
                text,
            ],
        )
        assert added.exit_code == 0, added.stderr
        shown = runner.invoke(app, ["--db", str(path), "show", "1", "--json"])
        assert shown.exit_code == 0, shown.stderr
    claim = json.loads(shown.stdout)
    assert claim == {**json.loads(added.stdout), "defeated_by": [], "responses": []}
    assert claim["text"] == nfc(text)
    assert claim["by"] == nfc(by).strip()
    assert claim["quote"] == (nfc(quote) or None)
    assert claim["note"] == (nfc(note) or None)
    assert claim["tags"] == [nfc(tag).strip()]


# -- random threads ----------------------------------------------------------------------------

# An operation: None adds a claim; (n, stance) answers the n-th claim so far (modulo).
OPERATION = st.one_of(
    st.none(),
    st.tuples(st.integers(min_value=0, max_value=10**6), st.sampled_from(list(Stance))),
)


def expected_status(stances: list[Stance]) -> Status:
    """A claim's status from its direct answers, as SPEC "Status" words it."""
    against = any(s in (Stance.REFUTES, Stance.DISPUTES) for s in stances)
    supported = Stance.SUPPORTS in stances
    if not stances:
        return Status.UNANSWERED
    if against and supported:
        return Status.MIXED
    if against:
        return Status.CONTESTED
    if supported:
        return Status.SUPPORTED
    return Status.QUALIFIED


@SETTINGS
@given(operations=st.lists(OPERATION, min_size=1, max_size=25))
def test_random_threads_keep_every_link_and_status(operations: list) -> None:
    with fresh_store() as store:
        ids: list[int] = []
        links: list[tuple[int, int, Stance]] = []  # (response, target, stance)
        for operation in operations:
            if operation is None or not ids:
                ids.append(store.add_claim(NewClaim(f"claim {len(ids)}", "Actor")).claim.id)
                continue
            index, stance = operation
            target = ids[index % len(ids)]
            new = NewClaim(f"answer {len(ids)}", "Other")
            ids.append(store.add_claim(new, [(target, stance)]).claim.id)
            links.append((ids[-1], target, stance))

        claims = store.claims(ids)
        answers: dict[int, list[Stance]] = {i: [] for i in ids}
        for _, target, stance in links:
            answers[target].append(stance)
        for claim_id in ids:
            claim = claims[claim_id]
            assert [(r.id, r.stance) for r in claim.responds_to] == [
                (target, stance) for response, target, stance in links if response == claim_id
            ]
            assert claim.status is expected_status(answers[claim_id])
        for status in Status:
            listed = {c.id for c in store.list_claims(ClaimFilter(status=status))}
            assert listed == {i for i in ids if expected_status(answers[i]) is status}

        # Every thread holds exactly the links below its root, each under its target.
        for root in ids:
            seen: set[tuple[int, int, str]] = set()
            stack = [store.thread(root).as_json()]
            while stack:
                node = stack.pop()
                for child in node["responses"]:
                    seen.add((child["id"], node["id"], child["stance"]))
                    stack.append(child)
            below = {root}
            for response, target, _ in links:  # links only point to older claims
                if target in below:
                    below.add(response)
            assert seen == {(r, t, s.value) for r, t, s in links if t in below}
