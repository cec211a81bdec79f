"""Text folding for search and name matching across Latin, Cyrillic, Armenian and Greek.

`fold` is applied identically to stored text and to search queries, so a query matches
whenever both sides fold to the same string. The folded form is:

* compatibility-normalised (NFKC/NFKD: ligatures, full-width forms, NBSP and the Armenian
  ligature U+0587 "և" -> "եւ") and case-folded (``str.casefold``; Greek final sigma -> sigma,
  German sharp s -> "ss");
* Azerbaijani/Turkish i: "İ", "I", "ı" and "i" all become plain "i" (U+0069);
* Latin diacritics are dropped ("Çavuşoğlu" -> "cavusoglu", "Šefčovič" -> "sefcovic"), as are
  the strokes of ł, ø, đ, ħ, ŧ; "ə" (Azerbaijani schwa) is a letter and stays "ə";
* Greek accents and diaeresis are dropped ("Ελλάδα" -> "ελλαδα");
* Cyrillic letters stay distinct letters (й != и, ї != і, ў != у); only "ё" -> "е" and the
  stress accents U+0300/U+0301 on Cyrillic vowels are removed;
* Armenian: "և", "եւ" and "եվ" all become "եւ" (see below);
* soft hyphens, zero-width spaces, word joiners and BOMs are removed; all other whitespace
  and punctuation is kept, so the FTS tokenizer still splits words where it did before.

The result is NFC, and ``fold(fold(s)) == fold(s)`` for every string.

Armenian trade-off: the ligature "և" is written "ԵՎ" in capitals (ե + vo, U+0535 U+054E),
while classical spelling writes "եւ" (ե + yiwn, U+0582). To make "Երևան", "Երեւան" and
"ԵՐԵՎԱՆ" fold to the same string, every adjacent "եվ" is rewritten to "եւ". Words that
genuinely contain ե + վ (e.g. "Եվրոպա") therefore fold to "եւրոպա"; that is harmless
because stored text and queries are folded the same way ("Եվրոպա", "ԵՎՐՈՊԱ" and "Եւրոպա"
all match each other). The only cost is that a word with "եվ" and an otherwise identical
word with "եւ" can no longer be told apart by search.

`name_key` is the (diacritic- and i-sensitive) identity key for actor names; it deliberately
is not `fold`.
"""

import re
import unicodedata

__all__ = ["fold", "name_key"]

_normalize = unicodedata.normalize

# Combining marks that are stripped after a Latin or Greek base letter: Combining Diacritical
# Marks and their Extended / Supplement / for-Symbols / Half-mark blocks.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"

# Latin and Greek letter blocks (after NFD, precomposed letters are base + marks).
_LATIN = (
    "A-Za-z\u00c0-\u024f\u0250-\u02af\u1d00-\u1dbf\u1e00-\u1eff"
    "\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f"
)
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"

# Written mark-first (the lookbehind checks the base) so the regex engine can skip ahead to
# the next combining mark instead of trying a match at every position.
_STRIP_LATIN_GREEK_MARKS = re.compile(f"[{_MARKS}](?<=[{_LATIN}{_GREEK}][{_MARKS}])[{_MARKS}]*")

# Cyrillic vowels (lower case, after casefold) that may carry a stress accent in running text.
_CYRILLIC_VOWELS = "аеиоуыэюяіє"
# A Cyrillic vowel whose marks include a grave/acute accent or a diaeresis (candidate for ё).
_CYRILLIC_ACCENTED = re.compile(
    f"[{_CYRILLIC_VOWELS}][\u0300-\u036f]*[\u0300\u0301\u0308][\u0300-\u036f]*"
)
_DROP_STRESS = str.maketrans("", "", "\u0300\u0301")
_DROP_STRESS_AND_DIAERESIS = str.maketrans("", "", "\u0300\u0301\u0308")

# Applied to the decomposed, case-folded text: letters without a canonical decomposition that
# should still fold onto their plain Latin letter, and invisible characters that split words.
# (A chain of `in` checks and str.replace is ~15x faster here than str.translate with a dict.)
_REPLACEMENTS = (
    ("ı", "i"),  # dotless i (Azerbaijani, Turkish)
    ("ł", "l"),
    ("ø", "o"),
    ("đ", "d"),
    ("ħ", "h"),
    ("ŧ", "t"),
    ("\u00ad", ""),  # soft hyphen
    ("\u200b", ""),  # zero width space
    ("\u2060", ""),  # word joiner
    ("\ufeff", ""),  # zero width no-break space / BOM
)

_ARMENIAN_E_VO = "\u0565\u057e"  # եվ
_ARMENIAN_E_YIWN = "\u0565\u0582"  # եւ


def _unstress_cyrillic(match: re.Match[str]) -> str:
    """Remove stress accents (and the diaeresis of ё) from one Cyrillic vowel and its marks."""
    text = match.group()
    base = text[0]
    table = _DROP_STRESS_AND_DIAERESIS if base == "е" else _DROP_STRESS
    return base + text[1:].translate(table)


# Folded words, by word: text repeats its words, and most of folding's time goes to the
# Unicode normalisations of each string. Cleared when full, so its memory stays bounded.
_WORDS: dict[str, str] = {}
_WORDS_MAX = 1 << 16


def fold(text: str) -> str:
    """Fold text for case-, diacritic- and spelling-insensitive search matching."""
    if text.isascii():
        return text.lower()
    # Folding is the same word by word: every step works on a character and the combining
    # marks after it, or on two adjacent letters, and an ASCII space is a starter that no
    # normalisation composes with, no step removes and no pattern here spans.
    words = text.split(" ")
    try:
        return " ".join(map(_WORDS.__getitem__, words))
    except KeyError:  # a word not folded yet
        pass
    if len(_WORDS) > _WORDS_MAX:
        _WORDS.clear()
    folded = []
    for word in words:
        done = _WORDS.get(word)
        if done is None:
            done = _WORDS[word] = _fold(word)
        folded.append(done)
    return " ".join(folded)


def _fold(text: str) -> str:
    """`fold` of one string, without the word cache."""
    if text.isascii():
        return text.lower()
    folded = _normalize("NFKD", text).casefold()
    for old, new in _REPLACEMENTS:
        if old in folded:
            folded = folded.replace(old, new)
    folded = _normalize("NFD", folded)
    folded = _STRIP_LATIN_GREEK_MARKS.sub("", folded)
    if "\u0300" in folded or "\u0301" in folded or "\u0308" in folded:
        folded = _CYRILLIC_ACCENTED.sub(_unstress_cyrillic, folded)
    folded = _normalize("NFC", folded)
    if _ARMENIAN_E_VO in folded:
        folded = folded.replace(_ARMENIAN_E_VO, _ARMENIAN_E_YIWN)
    return folded


def name_key(name: str) -> str:
    """Return the identity key of an actor name: NFKC, casefold, whitespace collapsed."""
    return " ".join(_normalize("NFKC", name).casefold().split())
