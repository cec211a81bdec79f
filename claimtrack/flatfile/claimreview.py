"""Read schema.org ClaimReview JSON-LD and Fact Check Tools API responses as flat rows.

Accepted documents: one ClaimReview object; a JSON list of them; a document with `@graph`
(items of other types are ignored); a Google Fact Check Tools API `claims:search` response
(`{"claims": [{"text", "claimant", "claimDate", "claimReview": [...]}]}`); a DataFeed whose
`dataFeedElement` items carry ClaimReviews in `item`. `@type` may be a string or a list, and
`@context` anything. The top-level list, `@graph`, `claims` and `dataFeedElement` are read one
item at a time, so memory does not grow with their length.

Each review gives two rows in the flat format: the reviewed claim (`claimReviewed` or the
API's `text`; claimant `itemReviewed.author.name` or `claimant`; date
`itemReviewed.datePublished` or `claimDate`; sources every `itemReviewed.firstAppearance` and
`appearance`, as URLs or CreativeWork, ImageObject, VideoObject, NewsArticle... objects with
`url` or `contentUrl`, `headline` or `name`, `datePublished`, `archivedAt` and, as the outlet,
`publisher` or `creator`), then the review answering it (by `author.name`, else
`publisher.name` or the API's `publisher.name` or `site`; dated `datePublished` or
`reviewDate`; text `name` or `headline` or the API's `title`, else the rating label; sources
the review's `url` and its `citation` works; verdict `reviewRating.alternateName` or `name`,
or the API's `textualRating`, with `ratingValue`, `bestRating`, `worstRating`). Its stance is
the one its rating means (`claimtrack.ratings`), or None when the rating cannot place it.

A claim reviewed several times in one file (same text, claimant and date) is one claim row,
with one review row per review. Dates keep their calendar day ("2022-02-23T16:15:00+02:00" is
2022-02-23); partial dates (`2024`, `2024-04`) stay partial. An `identifier` of the form
`urn:uuid:...` becomes the row's `uid`, and `keywords` its tags, as the writer in
`claimreview_writer` carries them.

A review without a rating label, without the reviewed claim's text, or with a date or number
that is not one, is a bad row: `read_claimreview` yields the rows of the good reviews and then
raises `InvalidInput` naming every problem as `FILE: JSON path: what is wrong`, or
`FILE:LINE: what is wrong` where the file is not JSON.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from claimtrack.errors import InvalidInput
from claimtrack.flatfile.json_items import JsonProblem, top_level_items
from claimtrack.fold import name_key
from claimtrack.ratings import stance_for_rating
from claimtrack.validate import nfc, parse_partial_date

__all__ = ["FlatRow", "looks_like_claimreview", "read_claimreview"]

_SNIFF_SIZE = 1 << 16
# A ClaimReview type, or a key only ClaimReview documents use, outside any JSON string escape.
_CLAIMREVIEW_MARK = re.compile(
    rb'(?<!\\)"(?:https?://schema\.org/|schema:)?ClaimReview"'
    rb'|(?<!\\)"(?:claimReview|claimReviewed|dataFeedElement)"\s*:'
)
# A date, or a date and time, in ISO 8601 (a space instead of "T" is common in the wild).
_DATE = re.compile(
    r"([0-9]{4}(?:-[0-9]{2})?)"
    r"|([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_UUID_URN = "urn:uuid:"
# Top-level keys of an empty API response: "nothing found" rather than "not ClaimReview".
_EMPTY_RESPONSE_KEYS = frozenset({"@context", "nextPageToken"})


@dataclass
class FlatRow:
    """One row in the flat import format, and where in the file it comes from."""

    where: str
    values: dict[str, object]


def looks_like_claimreview(first_bytes: bytes) -> bool:
    """Whether the start of a JSON file (its first 64 KiB) is ClaimReview content."""
    return _CLAIMREVIEW_MARK.search(first_bytes[:_SNIFF_SIZE]) is not None


def read_claimreview(stream: BinaryIO, name: str) -> Iterator[FlatRow]:
    """The flat rows of every ClaimReview in `stream`; InvalidInput lists every bad one."""
    problems: list[str] = []
    rows = _RowMaker()
    reviews = 0
    substantial = False  # whether the file holds anything but an empty result
    try:
        for path, item in top_level_items(stream):
            substantial = substantial or path != "$" or _holds_something(item)
            for review_path, review, api_claim in _reviews(item, path):
                reviews += 1
                found = _Found(f"{name}: {review_path}")
                if api_claim is None:
                    _read_schema_review(review, found)
                else:
                    _read_api_review(api_claim, review, found)
                problems += found.problems
                if not found.problems:
                    yield from rows.rows(found)
    except JsonProblem as problem:
        line = "" if problem.line is None else f":{problem.line}"
        problems.append(f"{name}{line}: {problem}")
    if not reviews and not problems and substantial:
        problems.append(
            f"{name}: no ClaimReview in it: expected a ClaimReview, a list of them, a document "
            "with @graph, a DataFeed or a Fact Check Tools claims:search response."
        )
    if problems:
        raise InvalidInput("\n".join(problems))


def _holds_something(rest: object) -> bool:
    """Whether the top-level object's keys besides its item lists are more than an empty
    API response or an empty DataFeed."""
    if not isinstance(rest, dict) or _has_type(rest, "DataFeed"):
        return False
    return bool(set(rest) - _EMPTY_RESPONSE_KEYS)


def _reviews(node: object, path: str) -> Iterator[tuple[str, dict, dict | None]]:
    """(JSON path, review, API claim or None) of every review in `node`."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _reviews(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        if _has_type(node, "ClaimReview"):
            yield path, node, None
        elif "claimReview" in node:
            for index, review in enumerate(_as_list(node["claimReview"])):
                if isinstance(review, dict):
                    yield f"{path}.claimReview[{index}]", review, node
        else:
            for key in ("@graph", "item", "dataFeedElement", "claims"):
                if key in node:
                    yield from _reviews(node[key], f"{path}.{key}")


def _has_type(node: dict, wanted: str) -> bool:
    """Whether `@type` (a string or list; a bare, prefixed or full IRI name) is `wanted`."""
    for name in _as_list(node.get("@type")):
        if isinstance(name, str) and re.split(r"[/:#]", name)[-1] == wanted:
            return True
    return False


def _as_list(value: object) -> list:
    """`value` as a list: JSON-LD allows one value or a list wherever a property repeats."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Found:
    """What one review says, read field by field, and what is wrong with it."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.claim: dict[str, Any] = {}
        self.review: dict[str, Any] = {}
        self.problems: list[str] = []

    def problem(self, field: str, what: str) -> None:
        """Record that `field` (a path below the review) is wrong."""
        self.problems.append(f"{self.where}{field}: {what}")

    def date(self, value: object, field: str) -> str | None:
        """A date at day precision, or partial as given; None when absent."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            try:
                return parse_partial_date(match.group(1) or match.group(2))
            except InvalidInput:
                pass
        self.problem(field, f"{value!r} is not a date: use ISO 8601, such as 2024-04-05.")
        return None

    def number(self, value: object, field: str) -> int | float | None:
        """A rating number, from a JSON number or a numeric string; None when absent."""
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if _INTEGER.fullmatch(text):
                return int(text)
            if _is_number(text):
                value = float(text)
        if value is None:
            return None
        if isinstance(value, Decimal):  # ijson's pure-Python parser gives decimals
            value = (
                int(value)
                if value == value.to_integral_value() and "." not in str(value)
                else float(value)
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return value
        self.problem(field, f"{value!r} is not a number.")
        return None


def _read_schema_review(review: dict, found: _Found) -> None:
    """Read a schema.org ClaimReview into `found`."""
    item = next((x for x in _as_list(review.get("itemReviewed")) if isinstance(x, dict)), {})
    text = _text(review.get("claimReviewed"))
    if text is None:
        found.problem(".claimReviewed", "the reviewed claim's text is missing.")
    appearances = _as_list(item.get("firstAppearance")) + _as_list(item.get("appearance"))
    found.claim = {
        "uid": _uid(item.get("identifier")),
        "text": text,
        "by": _name(item.get("author")),
        "on": found.date(item.get("datePublished"), ".itemReviewed.datePublished"),
        "sources": _works(appearances, found, ".itemReviewed.appearance"),
        "tags": _keywords(item.get("keywords")),
    }
    rating = next((x for x in _as_list(review.get("reviewRating")) if isinstance(x, dict)), {})
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    value = rating.get("ratingValue")
    if label is None and isinstance(value, str) and not _is_number(value):
        # Some publishers put the textual rating in ratingValue.
        label, value = _text(value), None
    if label is None:
        found.problem(".reviewRating", "no rating label (alternateName or name).")
    verdict = {
        "verdict": label,
        "verdict_value": found.number(value, ".reviewRating.ratingValue"),
        "verdict_best": found.number(rating.get("bestRating"), ".reviewRating.bestRating"),
        "verdict_worst": found.number(rating.get("worstRating"), ".reviewRating.worstRating"),
    }
    page = _works(_as_list(review.get("url")), found, ".url")
    found.review = {
        "uid": _uid(review.get("identifier")),
        "text": _text(review.get("name")) or _text(review.get("headline")) or label,
        "by": _name(review.get("author")) or _name(review.get("publisher")),
        "on": found.date(review.get("datePublished"), ".datePublished"),
        "sources": _merge(page, _works(_as_list(review.get("citation")), found, ".citation")),
        "tags": _keywords(review.get("keywords")),
        **verdict,
    }


def _read_api_review(claim: dict, review: dict, found: _Found) -> None:
    """Read one `claimReview` item of a Fact Check Tools API claim into `found`."""
    text = _text(claim.get("text"))
    if text is None:
        found.problem("", "the claim's text is missing.")
    found.claim = {
        "uid": None,
        "text": text,
        "by": _text(claim.get("claimant")),
        "on": found.date(claim.get("claimDate"), ".claimDate"),
        "sources": [],
        "tags": [],
    }
    label = _text(review.get("textualRating"))
    if label is None:
        found.problem(".textualRating", "no rating label.")
    publisher = review.get("publisher")
    if not isinstance(publisher, dict):
        publisher = {}
    found.review = {
        "uid": None,
        "text": _text(review.get("title")) or label,
        "by": _text(publisher.get("name")) or _text(publisher.get("site")),
        "on": found.date(review.get("reviewDate"), ".reviewDate"),
        "sources": _works(_as_list(review.get("url")), found, ".url"),
        "tags": [],
        "verdict": label,
        "verdict_value": None,
        "verdict_best": None,
        "verdict_worst": None,
    }


def _works(items: list, found: _Found, field: str) -> list[dict[str, object]]:
    """Sources from URLs and CreativeWork objects; ones with neither URL nor title are none."""
    sources: list[dict[str, object]] = []
    for item in items:
        work = item if isinstance(item, dict) else {"url": item}
        url = _url(work.get("url")) or _url(work.get("contentUrl"))
        title = _text(work.get("headline")) or _text(work.get("name"))
        if url is None and title is None:
            continue
        sources.append(
            {
                "url": url,
                "title": title,
                "outlet": _name(work.get("publisher")) or _name(work.get("creator")),
                "published": found.date(work.get("datePublished"), f"{field}.datePublished"),
                "archived_url": _url(work.get("archivedAt")),
            }
        )
    return _merge(sources, [])


def _merge(first: list[dict[str, object]], more: list[dict[str, object]]) -> list[dict]:
    """Sources of both lists, once each (by URL, else title); a later one fills in blanks."""
    merged: dict[object, dict[str, object]] = {}
    for source in first + more:
        key = ("url", source["url"]) if source["url"] else ("title", source["title"])
        if key in merged:
            known = merged[key]
            for field, value in source.items():
                if known[field] is None:
                    known[field] = value
        else:
            merged[key] = dict(source)
    return list(merged.values())


def _text(value: object) -> str | None:
    """A text value as given (a JSON-LD value object's `@value`, a list's first), or None."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dict):
        return _text(value.get("@value"))
    if isinstance(value, list):
        return next((text for text in map(_text, value) if text is not None), None)
    return None


def _name(value: object) -> str | None:
    """The name of a Person or Organization given as a name, an object or a list of them."""
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return next((name for name in map(_name, value) if name is not None), None)
    return _text(value)


def _url(value: object) -> str | None:
    """A URL given as a string, or an object's `url` or `@id` (e.g. an archived WebPage)."""
    if isinstance(value, dict):
        return _url(value.get("url")) or _url(value.get("@id"))
    if isinstance(value, list):
        return next((url for url in map(_url, value) if url is not None), None)
    return value.strip() or None if isinstance(value, str) else None


def _uid(value: object) -> str | None:
    """The uid carried as an `urn:uuid:` identifier; other identifiers are not uids."""
    for item in _as_list(value):
        text = _text(item)
        if text and text.strip().lower().startswith(_UUID_URN):
            try:
                return str(uuid.UUID(text.strip()[len(_UUID_URN) :]))
            except ValueError:
                continue
    return None


def _keywords(value: object) -> list[str]:
    """Tags from `keywords`: a list of terms, or one comma-separated string."""
    items = value.split(",") if isinstance(value, str) else _as_list(value)
    tags = [_name(item) or "" for item in items]
    return list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))


def _is_number(text: str) -> bool:
    """Whether `text` reads as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return True


class _RowMaker:
    """Flat rows for reviews, with one claim row per distinct reviewed claim."""

    def __init__(self) -> None:
        # (text, claimant key, date) -> (label, the sources given so far).
        self.claims: dict[tuple, tuple[str, list[dict]]] = {}
        self.reviews = 0

    def rows(self, found: _Found) -> Iterator[FlatRow]:
        """The claim row (unless already given, with no new source) and the review row."""
        claim = found.claim
        by = claim["by"]
        # Compared as the importer compares claims: text in NFC, claimants by their name key.
        key = (nfc(claim["text"]), name_key(by) if isinstance(by, str) else None, claim["on"])
        known = self.claims.get(key)
        if known is None:
            label = f"c{len(self.claims) + 1}"
            self.claims[key] = (label, list(claim["sources"]))
            yield FlatRow(found.where, _row(label, None, None, claim))
        else:
            label, sources = known
            merged = _merge(sources, claim["sources"])
            if merged != sources:
                # A later review adds appearances: the same label again, with every source.
                self.claims[key] = (label, merged)
                yield FlatRow(found.where, _row(label, None, None, {**claim, "sources": merged}))
        self.reviews += 1
        review = found.review
        stance = stance_for_rating(
            review["verdict"],
            review["verdict_value"],
            review["verdict_best"],
            review["verdict_worst"],
        )
        yield FlatRow(found.where, _row(f"r{self.reviews}", label, stance, review))


def _row(label: str, answers: str | None, stance: str | None, fields: dict) -> dict:
    """A flat row's values: every field of the flat format, None where the file has none."""
    return {
        "id": label,
        "uid": fields["uid"],
        "responds_to": answers,
        "responds_to_uid": None,
        "stance": None if stance is None else str(stance),
        "text": fields["text"],
        "by": fields["by"],
        "side": None,
        "on": fields["on"],
        "quote": None,
        "sources": fields["sources"],
        "tags": fields["tags"],
        "note": None,
        "verdict": fields.get("verdict"),
        "verdict_value": fields.get("verdict_value"),
        "verdict_best": fields.get("verdict_best"),
        "verdict_worst": fields.get("verdict_worst"),
    }
