"""Matching what a user typed for `--by`, `--side` or `--tag` against the recorded names (pure):
a whole name first, then every word of it, else the closest names as a hint.

Names compare folded (`claimtrack.fold`: case, accents, script variants) and with typographic
apostrophes, quotes and dashes read as their plain forms, so `O'Brien` finds `O’Brien`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimtrack.fold import fold, name_key

_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹣－", "-"),
    }
)
_WORD = re.compile(r"\w+")


def match_key(name: str) -> str:
    """A name as matching compares it: folded, with plain apostrophes, quotes and dashes."""
    return fold(name_key(name)).translate(_TYPOGRAPHY)


@dataclass
class NameMatch:
    """The recorded names a typed name matched: `whole` if it is one of them, else `by_words`
    (every typed word is a word of theirs); `closest` are hints when neither matched."""

    whole: list[str] = field(default_factory=list)
    by_words: list[str] = field(default_factory=list)
    closest: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The names to select claims by."""
        return self.whole or self.by_words


def match_name(typed: str, recorded: Iterable[str], words: bool = True) -> NameMatch:
    """Which of the `recorded` names `typed` means (by its words too, if `words`)."""
    keys: dict[str, list[str]] = {}
    for name in recorded:
        keys.setdefault(match_key(name), []).append(name)
    wanted = match_key(typed)
    if wanted in keys:
        return NameMatch(whole=keys[wanted])
    typed_words = set(_WORD.findall(wanted))
    if words and typed_words:
        found = [
            name
            for key, names in keys.items()
            if typed_words <= set(_WORD.findall(key))
            for name in names
        ]
        if found:
            return NameMatch(by_words=sorted(found, key=match_key))
    close = difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.6)
    return NameMatch(closest=[keys[key][0] for key in close])
