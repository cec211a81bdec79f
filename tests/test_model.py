"""Plain-data rules: partial dates, claim ids, source URLs, stances, statuses and NFC."""

from __future__ import annotations

import unicodedata

import pytest

from claimtrack.errors import InvalidInput
from claimtrack.model import Stance, Status
from claimtrack.validate import (
    is_url,
    nfc,
    normalise_url,
    parse_claim_id,
    parse_partial_date,
)

DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, for example 2024, 2024-04 or 2024-04-05"
ID_HINT = "give a number such as 12 or #12"


@pytest.mark.parametrize("value", ["2024", "2024-04", "2024-04-05", "2024-02-29"])
def test_partial_date_is_accepted_at_the_precision_given(value: str) -> None:
    assert parse_partial_date(value) == value


def test_partial_date_surrounding_spaces_are_dropped() -> None:
    assert parse_partial_date(" 2024-04 ") == "2024-04"


@pytest.mark.parametrize("value", ["2024-02-30", "2023-02-29", "2024-13", "2024-00", "0000"])
def test_partial_date_that_is_not_in_the_calendar_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_partial_date(value, "--on")
    assert str(err.value) == f"--on {value!r} does not exist in the calendar: {DATE_HINT}."


@pytest.mark.parametrize(
    "value", ["24-04", "2024-4-5", "2024-4", "", "   ", "2024/04/05", "April 2024", "２０２４"]
)
def test_partial_date_in_another_form_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_partial_date(value, "--on")
    assert str(err.value) == f"--on {value!r} is not a date: {DATE_HINT}."


@pytest.mark.parametrize("value", ["12", "#12", " #12 ", 12, "012"])
def test_claim_id_is_accepted_with_or_without_hash(value: str | int) -> None:
    assert parse_claim_id(value) == 12


def test_largest_sqlite_integer_is_a_claim_id() -> None:
    assert parse_claim_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize(
    "value", ["abc", "0", "#0", "-1", "#", "", "1.5", "# 12", "١٢", "12a", "9" * 20, str(2**63)]
)
def test_claim_id_that_is_not_a_positive_number_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_claim_id(value)
    assert str(err.value) == f"{value!r} is not a claim id: {ID_HINT}."


def test_url_scheme_and_host_are_lower_cased() -> None:
    assert normalise_url("HTTPS://WWW.Azatutyun.AM/a/1.html") == "https://www.azatutyun.am/a/1.html"


def test_url_fragment_is_dropped() -> None:
    assert normalise_url("https://example.com/a#section-2") == "https://example.com/a"
    assert normalise_url("https://example.com/a#") == "https://example.com/a"


def test_url_path_and_query_keep_their_case() -> None:
    url = "https://Example.com/News/Item?ID=AbC&Lang=EN#Top"
    assert normalise_url(url) == "https://example.com/News/Item?ID=AbC&Lang=EN"


def test_url_user_info_and_port_are_kept() -> None:
    url = "HTTP://User:Secret@Example.COM:8080/p"
    assert normalise_url(url) == "http://User:Secret@example.com:8080/p"


def test_url_with_ipv6_host_keeps_brackets_and_port() -> None:
    assert normalise_url("http://[2001:DB8::1]:8080/X#f") == "http://[2001:db8::1]:8080/X"


def test_url_that_cannot_be_parsed_is_refused() -> None:
    with pytest.raises(InvalidInput, match="is not a valid URL"):
        normalise_url("http://[::1/x")


@pytest.mark.parametrize("value", ["https://example.com", "ftp://host/file", "HTTP://X.org"])
def test_value_with_scheme_is_a_url(value: str) -> None:
    assert is_url(value)


@pytest.mark.parametrize("value", ["Azatutyun report", "example.com/a", "note: see page 3", ""])
def test_value_without_scheme_is_a_title(value: str) -> None:
    assert not is_url(value)


@pytest.mark.parametrize("value", ["refutes", "Disputes", " QUALIFIES ", "supports"])
def test_stance_is_read_case_insensitively(value: str) -> None:
    assert Stance.parse(value).value == value.strip().lower()


def test_unknown_stance_is_refused_with_the_accepted_names() -> None:
    with pytest.raises(InvalidInput) as err:
        Stance.parse("denies")
    assert str(err.value) == (
        "Unknown stance 'denies': use one of refutes, disputes, qualifies, supports."
    )


def test_unknown_status_is_refused_with_the_accepted_names() -> None:
    with pytest.raises(InvalidInput) as err:
        Status.parse("open")
    assert str(err.value) == (
        "Unknown status 'open': use one of unanswered, qualified, contested, supported, mixed."
    )


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Çavuşoğlu Երևան Ё")
    assert decomposed != "Çavuşoğlu Երևան Ё"
    assert nfc(decomposed) == "Çavuşoğlu Երևան Ё"


def test_nfc_refuses_lone_surrogates() -> None:
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        nfc("broken \udcff")
