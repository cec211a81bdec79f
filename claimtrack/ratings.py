"""What a fact-checker's rating label means as a stance towards the claim it rates.

A verdict's stance is, in this order: the one given with `--stance`; else the one its label
means in the table below (`RATING_STANCES`); else the one its value means on its scale.

Labels are matched after folding both sides: case, Latin diacritics ("Engañoso" = "enganoso",
"Irreführend" = "irrefuhrend"), Azerbaijani dotless i ("Yanlış" = "yanlis"), typographic
apostrophes and dashes, and the whitespace and punctuation around the label ("Pants on Fire!"
= "pants on fire") do not matter; hyphens, underscores and runs of spaces inside a label count
as one space ("Half-true" = "half true"). Cyrillic and Armenian letters are compared as letters
(case aside), so "ЛОЖЬ" = "Ложь" and "ՍՈՒՏ" = "Սուտ".

A label that is not in the table is placed by its number, when the rating gives `ratingValue`
and `bestRating` (`worstRating` defaults to 1, as schema.org says): the lowest quarter of the
scale, bounds included, `refutes`; the highest quarter, bounds included, `supports`; anything
between, `disputes`. On a 1-5 scale 1 and 2 refute, 3 disputes, 4 and 5 support; on a 0-1
scale 0 to 0.25 refute and 0.75 to 1 support. A value outside its scale, a scale whose best
equals its worst, or a label alone that is not in the table cannot be placed (None).

"Mostly false" refutes, as "Mostly true" supports: they are the second step of the usual
five-step scale (1 False, 2 Mostly false, 3 Half true, 4 Mostly true, 5 True).
"""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction
from functools import cache

from claimtrack.fold import fold
from claimtrack.model import Stance

__all__ = ["RATING_STANCES", "rating_key", "stance_for_rating"]

# Each stance's labels, by language (ISO 639-1 code). A label may appear under several
# languages ("Fake", "Satire"), but never under two stances (the tests check it).
RATING_STANCES: dict[Stance, dict[str, tuple[str, ...]]] = {
    Stance.REFUTES: {
        "en": (
            "False",
            "Fake",
            "Incorrect",
            "Pants on Fire",
            "Mostly false",
            "Not true",
            "Wrong",
            "Fabricated",
            "Hoax",
            "Disinformation",
            "Baseless",
        ),
        "fr": ("Faux", "Fake", "Infox", "Intox", "Inexact", "Plutôt faux"),
        "es": ("Falso", "Bulo", "Incorrecto", "Mentira", "Fake", "Mayormente falso"),
        "de": ("Falsch", "Fake", "Unwahr", "Frei erfunden", "Größtenteils falsch"),
        "ru": ("Ложь", "Неправда", "Фейк", "Ложно", "Неверно", "Дезинформация"),
        "hy": ("Սուտ", "Կեղծ", "Ապատեղեկատվություն", "Կեղծիք"),
        "az": ("Yalan", "Saxta", "Yanlış", "Dezinformasiya", "Feyk"),
    },
    Stance.DISPUTES: {
        "en": (
            "Misleading",
            "Partly false",
            "Partly true",
            "Half true",
            "Mixture",
            "Mixed",
            "Unproven",
            "Unverified",
            "Unsupported",
            "Exaggerated",
            "Distorted",
            "Disputed",
            "Manipulation",
            "Manipulated",
        ),
        "fr": (
            "Trompeur",
            "Partiellement faux",
            "Partiellement vrai",
            "Exagéré",
            "Douteux",
            "Non prouvé",
            "Manipulation",
        ),
        "es": (
            "Engañoso",
            "Parcialmente falso",
            "Parcialmente verdadero",
            "Verdad a medias",
            "Exagerado",
            "Impreciso",
            "Dudoso",
            "Sin pruebas",
            "Manipulado",
        ),
        "de": (
            "Irreführend",
            "Teilweise falsch",
            "Teilweise richtig",
            "Halbwahr",
            "Übertrieben",
            "Unbelegt",
            "Manipuliert",
        ),
        "ru": (
            "Манипуляция",
            "Полуправда",
            "Вводит в заблуждение",
            "Частично ложь",
            "Частично правда",
            "Преувеличение",
            "Не доказано",
        ),
        "hy": ("Մանիպուլյացիա", "Կիսաճշմարտություն", "Մոլորեցնող", "Մասամբ սուտ", "Չապացուցված"),
        "az": ("Yanıldıcı", "Manipulyasiya", "Qismən doğru", "Qismən yalan", "Şişirdilmiş"),
    },
    Stance.QUALIFIES: {
        "en": ("Missing context", "Needs context", "Out of context", "Lacks context", "Satire"),
        "fr": ("Manque de contexte", "Hors contexte", "Sorti de son contexte", "Satire"),
        "es": ("Sin contexto", "Fuera de contexto", "Falta contexto", "Sátira"),
        "de": ("Fehlender Kontext", "Ohne Kontext", "Aus dem Kontext gerissen", "Satire"),
        "ru": ("Нет контекста", "Без контекста", "Вырвано из контекста", "Сатира"),
        "hy": ("Համատեքստից կտրված", "Առանց համատեքստի", "Երգիծանք"),
        "az": ("Kontekstdən kənar", "Kontekst çatışmır", "Satira"),
    },
    Stance.SUPPORTS: {
        "en": ("True", "Correct", "Accurate", "Mostly true", "Mostly correct", "Verified"),
        "fr": ("Vrai", "Exact", "Plutôt vrai", "Correct"),
        "es": ("Verdadero", "Cierto", "Correcto", "Verdad", "Mayormente verdadero"),
        "de": ("Richtig", "Wahr", "Stimmt", "Größtenteils richtig"),
        "ru": ("Правда", "Верно", "Достоверно", "В основном правда"),
        "hy": ("Ճիշտ է", "Ճիշտ", "Ճշմարտություն", "Հիմնականում ճիշտ"),
        "az": ("Doğru", "Həqiqət", "Əsasən doğru"),
    },
}

# Typographic apostrophes and dashes, folded to their plain forms before matching.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201b\u02bc\u02b9\u2032\uff07", "'"),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
# Inside a label, hyphens, underscores and whitespace runs are one separator.
_SEPARATORS = re.compile(r"[\s_-]+")


def _is_edge(char: str) -> bool:
    """Whether `char` is punctuation, a symbol or whitespace, trimmed from a label's ends."""
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def rating_key(label: str) -> str:
    """The form a rating label is matched in: folded, trimmed, separators made one space."""
    folded = fold(label.translate(_TYPOGRAPHIC))
    start, end = 0, len(folded)
    while start < end and _is_edge(folded[start]):
        start += 1
    while end > start and _is_edge(folded[end - 1]):
        end -= 1
    return _SEPARATORS.sub(" ", folded[start:end])


@cache
def _stance_by_key() -> dict[str, Stance]:
    """The table's labels by their matching form (made when first asked: start-up)."""
    return {
        rating_key(label): stance
        for stance, languages in RATING_STANCES.items()
        for labels in languages.values()
        for label in labels
    }


def stance_for_rating(
    label: str | None,
    value: float | None = None,
    best: float | None = None,
    worst: float | None = None,
) -> Stance | None:
    """The stance a rating means: by its label in the table, else by its value on its scale."""
    if label:
        stance = _stance_by_key().get(rating_key(label))
        if stance is not None:
            return stance
    if value is None or best is None:
        return None
    return _stance_on_scale(value, best, 1 if worst is None else worst)


def _stance_on_scale(value: float, best: float, worst: float) -> Stance | None:
    """The stance of `value` by the quarter of the worst..best scale it falls in."""
    if not all(math.isfinite(number) for number in (value, best, worst)) or best == worst:
        return None
    # Exact arithmetic, so that a value on a quarter's bound is placed by the bound's rule.
    position = (Fraction(value) - Fraction(worst)) / (Fraction(best) - Fraction(worst))
    if not 0 <= position <= 1:
        return None
    if position <= Fraction(1, 4):
        return Stance.REFUTES
    if position >= Fraction(3, 4):
        return Stance.SUPPORTS
    return Stance.DISPUTES
