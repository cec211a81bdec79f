"""Folding for search and actor-name matching: `fold`, `name_key`."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.fold import fold, name_key


def all_fold_alike(*spellings: str) -> bool:
    """True when every spelling folds to the same string."""
    return len({fold(spelling) for spelling in spellings}) == 1


# --- fold: case ---------------------------------------------------------------------------


def test_english_is_case_insensitive():
    assert all_fold_alike("Ceasefire", "CEASEFIRE", "ceasefire")


def test_russian_is_case_insensitive():
    assert all_fold_alike("Перемирие", "ПЕРЕМИРИЕ", "перемирие")


def test_armenian_is_case_insensitive():
    assert all_fold_alike("Հայաստան", "ՀԱՅԱՍՏԱՆ", "հայաստան")


def test_greek_is_case_and_accent_insensitive():
    assert all_fold_alike("Ελλάδα", "ΕΛΛΑΔΑ", "ελλαδα")


def test_greek_final_sigma_matches_sigma():
    assert all_fold_alike("ΔΥΝΑΜΕΙΣ", "δυνάμεις")


# --- fold: Azerbaijani / Turkish i ----------------------------------------------------------


def test_azerbaijani_name_matches_in_any_case():
    assert all_fold_alike("İlham Əliyev", "ilham əliyev", "ILHAM ƏLİYEV")


def test_azerbaijani_schwa_is_case_insensitive():
    assert all_fold_alike("Azərbaycan", "AZƏRBAYCAN")
    assert all_fold_alike("sərhəd", "SƏRHƏD")


def test_azerbaijani_schwa_stays_a_letter_of_its_own():
    assert fold("sərhəd") == "sərhəd"


def test_dotless_i_matches_capital_i_and_plain_i():
    assert all_fold_alike("qırmızı", "QIRMIZI", "qirmizi")


def test_capital_dotted_i_folds_to_one_plain_i():
    # "İ".casefold() is "i" + U+0307 COMBINING DOT ABOVE; fold must not keep the dot.
    assert fold("İ") == "i"
    assert fold("İlham") == "ilham"


def test_every_turkish_i_folds_to_the_same_letter():
    assert {fold(letter) for letter in ("İ", "I", "ı", "i")} == {"i"}


# --- fold: Cyrillic ---------------------------------------------------------------------------


def test_russian_yo_matches_ye():
    assert all_fold_alike("Ёлка", "ёлка", "елка", "ЕЛКА")


def test_russian_short_i_stays_distinct_from_i():
    assert fold("й") != fold("и")
    assert fold("войска") == "войска"
    assert fold("войска") != fold("воиска")


def test_russian_short_i_is_case_insensitive():
    assert all_fold_alike("войска", "ВОЙСКА", "Войска")


def test_russian_stress_accent_is_ignored():
    assert all_fold_alike("переми́рие", "перемирие")


def test_ukrainian_yi_stays_distinct_from_i():
    assert fold("Україна") != fold("Украіна")


# --- fold: Armenian ---------------------------------------------------------------------------


def test_armenian_yev_ligature_and_its_spellings_match():
    # և (ligature), եւ (classical spelling), ԵՎ (capitals of the ligature).
    assert all_fold_alike("Երևան", "Երեւան", "ԵՐԵՎԱՆ", "երևան")


def test_armenian_yev_folds_to_e_yiwn():
    assert fold("Երևան") == "երեւան"


def test_armenian_word_with_e_vo_matches_in_any_case():
    assert all_fold_alike("Եվրոպա", "ԵՎՐՈՊԱ", "եվրոպա")


def test_armenian_standalone_yev_matches_its_capital_spelling():
    assert all_fold_alike("և", "եւ", "ԵՎ", "Եվ")


# --- fold: Latin diacritics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        ("Çavuşoğlu", "Cavusoglu"),
        ("Šefčovič", "Sefcovic"),
        ("Mevlüt", "Mevlut"),
        ("Łódź", "Lodz"),
    ],
)
def test_latin_diacritics_are_optional(accented, plain):
    assert fold(accented) == fold(plain)


def test_latin_diacritics_are_stripped_to_plain_letters():
    assert fold("Çavuşoğlu") == "cavusoglu"


# --- fold: text shape -------------------------------------------------------------------------


def test_spaces_and_punctuation_are_kept():
    assert fold("Ceasefire, broken: 12 km!") == "ceasefire, broken: 12 km!"
    assert fold("Перемирие — нарушено.") == "перемирие — нарушено."


def test_soft_hyphen_does_not_split_a_word():
    assert fold("Cease\u00adfire") == fold("Ceasefire")


def test_compatibility_forms_fold_to_plain_letters():
    assert fold("ＣＥＡＳＥＦＩＲＥ") == "ceasefire"
    assert fold("ﬁre") == "fire"


def test_fold_returns_nfc():
    folded = fold("Войска ԵՐԵՎԱՆ Ελλάδα İlham")
    assert unicodedata.is_normalized("NFC", folded)


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_ignores_unicode_normal_form(text):
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert fold(nfc) == fold(nfd)


@given(st.text(st.sampled_from("ԵՎեվւևԱՆИЙйиЁёЕеİIıi\u0301\u0306\u0307\u0308 ab")))
def test_fold_is_idempotent_on_the_specially_handled_letters(text):
    assert fold(fold(text)) == fold(text)


# --- name_key ---------------------------------------------------------------------------------


def test_name_key_is_case_insensitive():
    assert name_key("Mevlüt Çavuşoğlu") == name_key("MEVLÜT ÇAVUŞOĞLU")
    assert name_key("Azərbaycan") == name_key("AZƏRBAYCAN")
    assert name_key("Перемирие") == name_key("ПЕРЕМИРИЕ")


def test_name_key_collapses_and_strips_whitespace():
    assert name_key("  Mevlüt \t Çavuşoğlu\n") == name_key("Mevlüt Çavuşoğlu")
    assert name_key("  Mevlüt \t Çavuşoğlu\n") == "mevlüt çavuşoğlu"


def test_name_key_keeps_diacritics():
    assert name_key("Çavuşoğlu") != name_key("Cavusoglu")


def test_name_key_keeps_dotless_i_distinct():
    assert name_key("Ali") != name_key("Alı")


def test_name_key_is_unicode_normal_form_insensitive():
    name = "Šefčovič"
    assert name_key(unicodedata.normalize("NFD", name)) == name_key(name)
