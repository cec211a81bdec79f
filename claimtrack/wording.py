"""How claimtrack words counts and changes in sentences (pure; the store's change summaries and
the commands' reports share it)."""

from __future__ import annotations

import json
from collections.abc import Sized


def plural(count: int, word: str) -> str:
    """A count with its noun: "1 claim", "3 claims"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def agree(verb: str, subjects: Sized) -> str:
    """`verb` agreeing with its subjects: "#4 answers", "#4, #6 answer"; "is", "are"."""
    if verb == "is":
        return "is" if len(subjects) == 1 else "are"
    return verb + "s" if len(subjects) == 1 else verb


def shown(value: str | None) -> str:
    """A field's value in a change summary: quoted as JSON (newlines visible), or (none)."""
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def changed(label: str, before: str | None, after: str | None) -> str:
    """One field's change: `on "2024" → "2024-04"`."""
    return f"{label} {shown(before)} → {shown(after)}"
