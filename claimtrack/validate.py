"""Pure checks shared by commands and imports: partial dates, claim ids, NFC text, URLs, and a
new claim's fields as stored. No I/O here."""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from claimtrack.errors import InvalidInput
from claimtrack.model import NewClaim, Verdict

# ASCII digits only: `\d` also takes other scripts' digits (２０２４), which sort wrongly.
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def parse_partial_date(value: str, what: str = "date") -> str:
    """Validate a partial ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) and return it as given."""
    text = value.strip()
    match = _PARTIAL_DATE.fullmatch(text)
    hint = "use YYYY, YYYY-MM or YYYY-MM-DD, for example 2024, 2024-04 or 2024-04-05"
    if not match:
        raise InvalidInput(f"{what} {value!r} is not a date: {hint}.")
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InvalidInput(f"{what} {value!r} does not exist in the calendar: {hint}.") from None
    return text


def parse_claim_id(value: str | int) -> int:
    """A claim id typed as `12` or `#12`."""
    text = str(value).strip()
    digits = text[1:] if text.startswith("#") else text
    # SQLite integers stop at 2**63 - 1; a longer number cannot name a claim.
    if not digits.isascii() or not digits.isdigit() or not 0 < int(digits) < 2**63:
        raise InvalidInput(f"{value!r} is not a claim id: give a number such as 12 or #12.")
    return int(digits)


def nfc(text: str) -> str:
    """Text as stored: Unicode NFC. Refuses lone surrogates, which are not text."""
    if text.isascii():  # fast path for bulk imports: ASCII is NFC and valid UTF-8
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "The text holds bytes that are not valid UTF-8; re-encode it as UTF-8."
        ) from None
    return unicodedata.normalize("NFC", text)


def normalise_url(value: str) -> str:
    """A source URL as stored: lower-case scheme and host, no fragment, the rest as given."""
    try:
        parts = urlsplit(value.strip())
    except ValueError as err:  # e.g. an unclosed IPv6 bracket
        raise InvalidInput(f"Source {value!r} is not a valid URL ({err}); correct it.") from None
    try:
        parts.port  # noqa: B018 - reading it checks it: a number from 0 to 65535, or none
    except ValueError:
        port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
        raise InvalidInput(
            f"Source {value!r} has the port {port!r}, which cannot be: a port is a number from "
            "0 to 65535; correct the URL."
        ) from None
    # Keep user info as typed; lower-case host and port (digits, IPv6 brackets unaffected).
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = userinfo + at + hostport.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def is_url(value: str) -> bool:
    """Whether a `--source` value is a URL (it has a scheme and `://`) rather than a title."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://\S", value.strip()) is not None


def source_identity(value: str) -> tuple[str | None, str | None]:
    """What names a source, as `--source` reads it: (normalised URL, None) or (None, title)."""
    value = nfc(value).strip()
    if not value:
        raise InvalidInput("A source is empty: give a URL or a title.")
    if is_url(value):
        return normalise_url(value), None
    return None, value


def optional_text(value: str) -> str | None:
    """An optional text field as stored: NFC, trimmed; empty clears it."""
    return nfc(value).strip() or None


@dataclass
class ClaimFields:
    """A new or edited claim's fields in their stored form."""

    text: str
    on: str | None
    quote: str | None
    note: str | None
    tags: list[str]


def claim_fields(new: NewClaim) -> ClaimFields:
    """The stored form of a new claim's fields, or InvalidInput naming what is wrong."""
    text = nfc(new.text)
    if not text.strip():
        raise InvalidInput("The claim's text is empty: give the claim as the first argument.")
    tags = []
    for tag in new.tags:
        tag = nfc(tag).strip()
        if not tag or "," in tag:
            raise InvalidInput(
                f"Tag {tag!r} is not usable: a tag is a non-empty word or phrase without commas."
            )
        tags.append(tag)
    return ClaimFields(
        text=text,
        on=parse_partial_date(new.on, "--on") if new.on is not None else None,
        quote=nfc(new.quote) if new.quote else None,
        note=nfc(new.note) if new.note else None,
        tags=list(dict.fromkeys(tags)),
    )


def verdict(
    label: str,
    value: float | None = None,
    best: float | None = None,
    worst: float | None = None,
) -> Verdict:
    """A review's verdict as stored, or InvalidInput saying what is wrong with it."""
    text = nfc(label).strip()
    if not text:
        raise InvalidInput(
            "The rating (--rating) is empty: give the reviewer's rating, e.g. False."
        )
    for name, number in (("value", value), ("best", best), ("worst", worst)):
        if number is not None and not math.isfinite(number):
            raise InvalidInput(f"The rating's {name} {number} is not a number: give e.g. 1 or 2.5.")
    if best is not None and worst is not None and best == worst:
        raise InvalidInput(
            f"The rating scale runs from {worst} to {best}: give a best and a worst that differ."
        )
    if value is not None and best is not None and worst is not None:
        low, high = sorted((worst, best))
        if not low <= value <= high:
            raise InvalidInput(
                f"The rating value {value} is outside its scale from {worst} to {best}."
            )
    return Verdict(text, value, best, worst)


def rating_number(typed: str, what: str) -> float | None:
    """A rating's value, best or worst as typed: a number, or "" for none."""
    if not typed.strip():
        return None
    try:
        number = float(typed)
    except ValueError:
        raise InvalidInput(f"{what} {typed!r} is not a number: give e.g. 1 or 2.5.") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{what} {typed!r} is not a number: give e.g. 1 or 2.5.")
    return number


def last_day(value: str, what: str = "--as-of") -> str:
    """The last day a partial date covers, as YYYY-MM-DD: 2024-04 → 2024-04-30."""
    date = parse_partial_date(value, what)
    if len(date) == 10:
        return date
    if len(date) == 4:
        return f"{date}-12-31"
    year, month = int(date[:4]), int(date[5:7])
    following = _dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - _dt.timedelta(days=1)).isoformat()
