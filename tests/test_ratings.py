"""The verdict stance table: what each rating label means, and the scale fallback."""

from __future__ import annotations

import pytest

from claimtrack.model import Stance
from claimtrack.ratings import RATING_STANCES, rating_key, stance_for_rating

R, D, Q, S = Stance.REFUTES, Stance.DISPUTES, Stance.QUALIFIES, Stance.SUPPORTS

SPEC_LABELS = {
    R: ["False", "Fake", "Incorrect", "Pants on Fire", "Faux", "Falso", "Falsch"],
    D: [
        "Misleading",
        "Partly false",
        "Half true",
        "Mixture",
        "Unproven",
        "Exaggerated",
        "Trompeur",
        "Engañoso",
    ],
    Q: ["Missing context", "Needs context", "Out of context", "Satire"],
    S: ["True", "Correct", "Accurate", "Mostly true", "Vrai", "Verdadero"],
}

LANGUAGE_LABELS = {
    "ru": {
        "Ложь": R,
        "Неправда": R,
        "Фейк": R,
        "Манипуляция": D,
        "Полуправда": D,
        "Правда": S,
    },
    "hy": {
        "Սուտ": R,
        "Կեղծ": R,
        "Ապատեղեկատվություն": R,
        "Մանիպուլյացիա": D,
        "Կիսաճշմարտություն": D,
        "Ճիշտ է": S,
    },
    "az": {
        "Yalan": R,
        "Saxta": R,
        "Yanlış": R,
        "Yanıldıcı": D,
        "Manipulyasiya": D,
        "Qismən doğru": D,
        "Doğru": S,
    },
    "de": {
        "Falsch": R,
        "Irreführend": D,
        "Teilweise falsch": D,
        "Fehlender Kontext": Q,
        "Richtig": S,
        "Wahr": S,
    },
    "fr": {"Faux": R, "Trompeur": D, "Partiellement faux": D, "Manque de contexte": Q, "Vrai": S},
    "es": {
        "Falso": R,
        "Engañoso": D,
        "Parcialmente falso": D,
        "Sin contexto": Q,
        "Verdadero": S,
        "Cierto": S,
    },
}


@pytest.mark.parametrize(
    ("label", "stance"),
    [(label, stance) for stance, labels in SPEC_LABELS.items() for label in labels],
)
def test_every_label_named_in_the_spec_has_its_stance(label: str, stance: Stance) -> None:
    assert stance_for_rating(label) is stance


@pytest.mark.parametrize(
    ("language", "label", "stance"),
    [
        (lang, label, stance)
        for lang, labels in LANGUAGE_LABELS.items()
        for label, stance in labels.items()
    ],
)
def test_labels_in_each_language_have_their_stance(
    language: str, label: str, stance: Stance
) -> None:
    assert stance_for_rating(label) is stance
    assert label in RATING_STANCES[stance][language]


def test_no_label_means_two_stances() -> None:
    stance_of: dict[str, Stance] = {}
    for stance, languages in RATING_STANCES.items():
        for labels in languages.values():
            for label in labels:
                assert stance_of.setdefault(rating_key(label), stance) is stance, label


def test_every_stance_has_labels_in_the_seven_languages() -> None:
    for languages in RATING_STANCES.values():
        assert set(languages) == {"en", "fr", "es", "de", "ru", "hy", "az"}


@pytest.mark.parametrize(
    ("label", "stance"),
    [
        ("FALSE", R),
        ("  false. ", R),
        ("Pants-on-Fire!", R),
        ("pants  on   fire", R),
        ("«Faux»", R),
        ("ENGANOSO", D),
        ("enganoso", D),
        ("Irrefuhrend", D),
        ("IRREFÜHREND", D),
        ("Half–true", D),
        ("Half—true", D),
        ("half_true", D),
        ("Exagere", D),
        ("ЛОЖЬ", R),
        ("правда!", S),
        ("ՍՈՒՏ", R),
        ("Ճիշտ է։", S),
        ("YANLIŞ", R),
        ("Yanlis", R),
        ("YANILDICI", D),
        ("Qismen dogru", None),
        ("QİSMƏN DOĞRU", D),
        ("größtenteils RICHTIG", S),
        ("GROSSTENTEILS falsch", R),
        ("Sátira", Q),
        ("'True'", S),
        ("\u2018True\u2019", S),
    ],
)
def test_matching_ignores_case_diacritics_and_surrounding_punctuation(
    label: str, stance: Stance | None
) -> None:
    assert stance_for_rating(label) is stance


def test_a_listed_label_wins_over_the_value() -> None:
    assert stance_for_rating("True", 1, 5, 1) is S
    assert stance_for_rating("False", 5, 5, 1) is R


@pytest.mark.parametrize(
    ("value", "stance"), [(1, R), (2, R), (2.5, D), (3, D), (3.5, D), (4, S), (5, S)]
)
def test_an_unlisted_label_is_placed_on_a_one_to_five_scale(value: float, stance: Stance) -> None:
    assert stance_for_rating("Rating 7b", value, 5, 1) is stance


def test_worst_defaults_to_one_when_only_value_and_best_are_given() -> None:
    assert stance_for_rating("?", 2, 5) is R
    assert stance_for_rating("?", 3, 5) is D
    assert stance_for_rating("?", 4, 5) is S


@pytest.mark.parametrize(
    ("value", "stance"),
    [(0, R), (0.25, R), (0.2500001, D), (0.5, D), (0.7499999, D), (0.75, S), (1, S)],
)
def test_an_unlisted_label_is_placed_on_a_zero_to_one_scale(value: float, stance: Stance) -> None:
    assert stance_for_rating("", value, 1, 0) is stance


def test_a_reversed_scale_counts_from_its_worst() -> None:
    assert stance_for_rating("grade", 1, 1, 5) is S
    assert stance_for_rating("grade", 5, 1, 5) is R


@pytest.mark.parametrize(
    ("label", "value", "best", "worst"),
    [
        ("Four out of ten", None, None, None),
        ("", None, None, None),
        ("Unlisted", 3, None, None),
        ("Unlisted", 3, None, 1),
        ("Unlisted", 6, 5, 1),
        ("Unlisted", 0, 5, 1),
        ("Unlisted", 1, 1, 1),
        ("Unlisted", float("nan"), 5, 1),
        ("Unlisted", 1, float("inf"), 1),
    ],
)
def test_what_cannot_be_placed_is_none(
    label: str, value: float | None, best: float | None, worst: float | None
) -> None:
    assert stance_for_rating(label, value, best, worst) is None
