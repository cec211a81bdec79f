"""Plain data: claims, sources, stances, statuses and partial dates. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self
from urllib.parse import urlsplit

from claimtrack.errors import InvalidInput


class _Named(StrEnum):
    """An enum whose values users type: `parse` reads one, or says which there are."""

    @classmethod
    def parse(cls, value: str) -> Self:
        """The member named by `value` (any case), or a clear error listing the accepted names."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(member.value for member in cls)
            kind = cls.__name__.lower()
            raise InvalidInput(f"Unknown {kind} {value!r}: use one of {names}.") from None


class Stance(_Named):
    """How a response relates to the claim it answers."""

    REFUTES = "refutes"
    DISPUTES = "disputes"
    QUALIFIES = "qualifies"
    SUPPORTS = "supports"


class Status(_Named):
    """A claim's status, derived from its direct responses."""

    UNANSWERED = "unanswered"
    QUALIFIED = "qualified"
    CONTESTED = "contested"
    SUPPORTED = "supported"
    MIXED = "mixed"


class Standing(_Named):
    """Whether a claim survives the attacks on it within this record."""

    STANDS = "stands"
    FALLS = "falls"


@dataclass(frozen=True)
class SourceRef:
    """Where a claim appeared."""

    url: str | None
    title: str | None
    outlet: str | None = None
    published: str | None = None
    archived_url: str | None = None

    def as_json(self) -> dict:
        """The SPEC JSON shape of a source."""
        return {
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "archived_url": self.archived_url,
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
class Verdict:
    """A reviewer's rating of the claim a review answers, as in schema.org's Rating: the
    textual rating, and optionally its value on a scale from `worst` to `best`."""

    label: str
    value: float | None = None
    best: float | None = None
    worst: float | None = None

    def as_json(self) -> dict:
        """The SPEC JSON shape of a verdict."""
        return {"label": self.label, "value": self.value, "best": self.best, "worst": self.worst}

    def rating(self) -> str:
        """The verdict in words: "False", or "False (1 of 1–5)" with its value on the scale."""
        if self.value is None:
            return self.label
        if self.best is None:
            return f"{self.label} ({_number(self.value)})"
        if self.worst is None:
            return f"{self.label} ({_number(self.value)} of {_number(self.best)})"
        scale = f"{_number(self.worst)}–{_number(self.best)}"
        return f"{self.label} ({_number(self.value)} on {scale})"


def _number(value: float) -> str:
    """A rating number as people write it: 1 rather than 1.0."""
    return str(int(value)) if value == int(value) else str(value)


@dataclass(frozen=True)
class VerdictRef:
    """A review answering a claim, named by its id, reviewer, rating and date."""

    id: int
    by: str
    label: str
    on: str | None

    def as_json(self) -> dict:
        """The SPEC JSON shape of an item of `verdicts`."""
        return {"id": self.id, "by": self.by, "label": self.label, "on": self.on}


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
    verdict: Verdict | None = None  # this claim's own rating, when it is a review
    verdicts: list[VerdictRef] = field(default_factory=list)  # the reviews answering it
    standing: Standing = Standing.STANDS

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
            "verdict": None if self.verdict is None else self.verdict.as_json(),
            "verdicts": [v.as_json() for v in self.verdicts],
            "standing": self.standing.value,
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
    defeated_by: list[int] = field(default_factory=list)  # standing claims attacking it

    def as_json(self) -> dict:
        """The SPEC JSON shape of `show --json`: the claim plus nested `responses`."""
        data = self.claim.as_json()
        if self.stance is not None:
            data["stance"] = self.stance.value
        data["defeated_by"] = list(self.defeated_by)
        data["responses"] = [child.as_json() for child in self.responses]
        return data


@dataclass
class ThreadSummary:
    """A thread summed up: its root claim, its answers counted by stance (at any depth), the
    sides that answered in it, its latest date and how many claims it holds."""

    claim: Claim
    responses_by_stance: dict[Stance, int] = field(default_factory=lambda: dict.fromkeys(Stance, 0))
    answered_by_sides: list[str] = field(default_factory=list)
    latest: str | None = None
    size: int = 1

    def as_json(self) -> dict:
        """The SPEC JSON shape of a thread: the root claim's keys and the summary's."""
        return {
            **self.claim.as_json(),
            "responses_by_stance": {s.value: n for s, n in self.responses_by_stance.items()},
            "answered_by_sides": list(self.answered_by_sides),
            "latest": self.latest,
            "claims": self.size,
        }


@dataclass
class ClaimFilter:
    """Filters shared by the commands that select claims; all combine with AND."""

    by: str | None = None
    side: str | None = None
    tag: str | None = None
    status: Status | None = None
    since: str | None = None
    until: str | None = None
    verdict: str | None = None
    standing: Standing | None = None


@dataclass
class ClaimEdit:
    """What `edit` changes: None leaves a field as it is; "" clears an optional field."""

    text: str | None = None
    by: str | None = None
    side: str | None = None
    on: str | None = None
    quote: str | None = None
    note: str | None = None
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_sources: list[str] = field(default_factory=list)
    remove_sources: list[str] = field(default_factory=list)
    # A review's verdict: its label, and its numbers as typed ("" clears a number).
    rating: str | None = None
    value: str | None = None
    best: str | None = None
    worst: str | None = None


@dataclass
class SourceUsage:
    """A source with every field and how many claims cite it."""

    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    archived_url: str | None
    claims: int

    @property
    def label(self) -> str:
        """How the source is named to people: its title, else its host."""
        return SourceRef(self.url, self.title).label

    def as_json(self) -> dict:
        """The `sources --json` shape of one source."""
        return {
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "archived_url": self.archived_url,
            "claims": self.claims,
        }


@dataclass
class Change:
    """One entry of the change log, with the row images that let it be reversed."""

    id: int
    at: str
    action: str
    claim_id: int | None
    summary: str
    rows: list[dict]
    undone_by: int | None = None
    undoes: int | None = None

    def as_json(self) -> dict:
        """The `history --json` shape of one change."""
        return {
            "id": self.id,
            "at": self.at,
            "action": self.action,
            "claim_id": self.claim_id,
            "summary": self.summary,
            "undone_by": self.undone_by,
            "undoes": self.undoes,
            "rows": self.rows,
        }


@dataclass
class Written:
    """What a write did: the claim it leaves (when it is about one), what changed in words,
    notices for the user, and its change-log entry (`change_id` None when nothing changed).
    An undo also carries the change it reversed."""

    claim: Claim | None = None
    changes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    change_id: int | None = None
    subject: str = ""  # the actor or source changed, as stored
    change: Change | None = None  # the undo's own entry
    undone: Change | None = None

    @property
    def recorded(self) -> Claim:
        """The claim a write about one claim leaves (add, edit, link, unlink, delete)."""
        if self.claim is None:
            raise TypeError("this write is not about one claim")
        return self.claim


@dataclass
class ClaimPage:
    """A page of claims (a search's best matches, a stretch of the timeline): whether more
    claims match than were returned and, for a search that matched so many that only the most
    recently recorded were ranked, how many were."""

    claims: list[Claim]
    more: bool
    ranked: int | None = None
    matched: int | None = None  # how many claims match in all, when known


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    claims_added: int = 0
    claims_merged: int = 0
    claims_changed: int = 0
    links_added: int = 0
    links_changed: int = 0
    actors_added: int = 0
    sources_added: int = 0
    verdicts_added: int = 0
    verdicts_changed: int = 0
    sources_described: int = 0
    placed_as_qualifies: int = 0  # reviews whose rating could not place their stance
    dry_run: bool = False

    @property
    def changed_anything(self) -> bool:
        """Whether the database is (or would be) any different afterwards."""
        return bool(
            self.claims_added
            or self.claims_changed
            or self.links_added
            or self.links_changed
            or self.actors_added
            or self.sources_added
            or self.verdicts_added
            or self.verdicts_changed
            or self.sources_described
        )


@dataclass
class ExportBatch:
    """Threads to export, with their claims' cells built by SQLite (no Claim objects)."""

    # Each thread: its root's id and its links as (response, target, stance).
    threads: list[tuple[int, list[tuple[int, int, str]]]]
    # The cells of every claim in the threads, by id, in the order of flatfile.columns.CLAIM_CELLS.
    claims: dict[int, tuple]
    # The sources of the claims whose sources cell may not read back as the same sources.
    sources: dict[int, list[SourceRef]]
