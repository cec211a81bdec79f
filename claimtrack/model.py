"""Plain data: claims, sources, stances, statuses and partial dates. No I/O here."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from claimtrack.errors import InvalidInput


class Stance(StrEnum):
    """How a response relates to the claim it answers."""

    REFUTES = "refutes"
    DISPUTES = "disputes"
    QUALIFIES = "qualifies"
    SUPPORTS = "supports"

    @classmethod
    def parse(cls, value: str) -> Stance:
        """The stance named by `value`, or a clear error listing the accepted names."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise InvalidInput(f"Unknown stance {value!r}: use one of {names}.") from None


class Status(StrEnum):
    """A claim's standing, derived from its direct responses."""

    UNANSWERED = "unanswered"
    QUALIFIED = "qualified"
    CONTESTED = "contested"
    SUPPORTED = "supported"
    MIXED = "mixed"

    @classmethod
    def parse(cls, value: str) -> Status:
        """The status named by `value`, or a clear error listing the accepted names."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise InvalidInput(f"Unknown status {value!r}: use one of {names}.") from None


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
    # Keep user info as typed; lower-case host and port (digits, IPv6 brackets unaffected).
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = userinfo + at + hostport.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def is_url(value: str) -> bool:
    """Whether a `--source` value is a URL (it has a scheme and `://`) rather than a title."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://\S", value.strip()) is not None


@dataclass(frozen=True)
class SourceRef:
    """Where a claim appeared."""

    url: str | None
    title: str | None
    outlet: str | None = None
    published: str | None = None

    def as_json(self) -> dict:
        """The SPEC JSON shape of a source."""
        return {
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
        }

    @property
    def label(self) -> str:
        """How a source is named to people: its title, else its host, else its URL."""
        if self.title:
            return self.title
        if self.url:
            return urlsplit(self.url).hostname or self.url
        return ""


@dataclass(frozen=True)
class ResponseRef:
    """A link from a claim to a claim it answers."""

    id: int
    stance: Stance


@dataclass
class Claim:
    """A claim as read from the store, with everything the SPEC's JSON shape names."""

    id: int
    uid: str
    text: str
    by: str
    side: str | None
    on: str | None
    quote: str | None
    note: str | None
    status: Status
    created: str
    updated: str
    sources: list[SourceRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    responds_to: list[ResponseRef] = field(default_factory=list)

    def as_json(self) -> dict:
        """The SPEC JSON shape of a claim."""
        return {
            "id": self.id,
            "uid": self.uid,
            "text": self.text,
            "by": self.by,
            "side": self.side,
            "on": self.on,
            "quote": self.quote,
            "sources": [s.as_json() for s in self.sources],
            "tags": list(self.tags),
            "note": self.note,
            "status": self.status.value,
            "responds_to": [{"id": r.id, "stance": r.stance.value} for r in self.responds_to],
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class NewClaim:
    """What the user gives to record a claim, before validation."""

    text: str
    by: str
    side: str | None = None
    on: str | None = None
    quote: str | None = None
    note: str | None = None
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class ThreadNode:
    """A claim in a thread, with its stance towards its parent and the claims answering it."""

    claim: Claim
    stance: Stance | None
    responses: list[ThreadNode] = field(default_factory=list)

    def as_json(self) -> dict:
        """The SPEC JSON shape of `show --json`: the claim plus nested `responses`."""
        data = self.claim.as_json()
        if self.stance is not None:
            data["stance"] = self.stance.value
        data["responses"] = [child.as_json() for child in self.responses]
        return data


@dataclass
class ClaimFilter:
    """Filters shared by the commands that select claims; all combine with AND."""

    by: str | None = None
    side: str | None = None
    tag: str | None = None
    status: Status | None = None
    since: str | None = None
    until: str | None = None
