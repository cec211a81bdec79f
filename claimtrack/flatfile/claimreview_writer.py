"""Write verdicts as schema.org ClaimReview objects (JSON-LD, `"@context": "https://schema.org"`).

Each verdict (a review claim and the claim it reviews, in the JSON shape of `show --json`)
becomes one ClaimReview. What is carried, and where:

- review text: `name`;
- reviewer (`by`): `author.name` (an Organization);
- review date (`on`): `datePublished` (a partial date stays partial: `2024-04`);
- review's first source: `url`; when it has more sources, or its one source has a title,
  outlet, date or archived copy: every source also in `citation`, as CreativeWork objects;
- verdict label, value, best, worst: `reviewRating.alternateName`, `ratingValue`,
  `bestRating`, `worstRating`;
- reviewed claim's text: `claimReviewed`;
- reviewed claim's claimant: `itemReviewed.author.name` (an Organization);
- reviewed claim's date: `itemReviewed.datePublished`;
- reviewed claim's sources: `itemReviewed.appearance`, CreativeWork objects with `url`,
  `headline` (title), `datePublished` (published), `archivedAt` (archived URL) and
  `publisher.name` (outlet);
- uid of the review and of the reviewed claim: `identifier`, as `urn:uuid:...`;
- tags of the review and of the reviewed claim: `keywords`, a list.

Not carried, as schema.org has no place for them: the claimants' sides, quotes, notes, the
claims the reviewed claim itself answers, and the review's stance (an import places it again
from the label or the value, see `claimtrack.ratings`). Whether a claimant is a person or an
organisation is not recorded either, so every author is written as an Organization.
Keys with no value are left out. Reading the objects back (`claimreview.read_claimreview`)
gives the same texts, claimants, dates, sources with their descriptions, tags, uids and
verdicts, so exporting again gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["claimreview_objects"]

_CONTEXT = "https://schema.org"
_UUID_URN = "urn:uuid:"
_SOURCE_DESCRIPTIONS = ("title", "outlet", "published", "archived_url")


def claimreview_objects(reviews: Iterable[tuple[dict, dict]]) -> Iterator[dict]:
    """One ClaimReview object for each (review claim, reviewed claim) pair."""
    for review, reviewed in reviews:
        yield _claimreview(review, reviewed)


def _claimreview(review: dict, reviewed: dict) -> dict:
    """The ClaimReview object of one verdict."""
    sources = review.get("sources") or []
    first_url = sources[0].get("url") if sources else None
    # The URL alone says all of a single source that has no description; otherwise every
    # source goes in `citation` too, so none of them or their descriptions is lost.
    plain = len(sources) == 1 and first_url and not any(map(sources[0].get, _SOURCE_DESCRIPTIONS))
    verdict = review.get("verdict") or {}
    return _present(
        {
            "@context": _CONTEXT,
            "@type": "ClaimReview",
            "identifier": _identifier(review.get("uid")),
            "url": first_url,
            "name": review.get("text"),
            "datePublished": review.get("on"),
            "author": _organization(review.get("by")),
            "keywords": review.get("tags") or None,
            "citation": None if plain or not sources else [_work(s) for s in sources],
            "claimReviewed": reviewed.get("text"),
            "itemReviewed": _present(
                {
                    "@type": "Claim",
                    "identifier": _identifier(reviewed.get("uid")),
                    "author": _organization(reviewed.get("by")),
                    "datePublished": reviewed.get("on"),
                    "appearance": [_work(s) for s in reviewed.get("sources") or []] or None,
                    "keywords": reviewed.get("tags") or None,
                }
            ),
            "reviewRating": _present(
                {
                    "@type": "Rating",
                    "alternateName": verdict.get("label"),
                    "ratingValue": verdict.get("value"),
                    "bestRating": verdict.get("best"),
                    "worstRating": verdict.get("worst"),
                }
            ),
        }
    )


def _work(source: dict) -> dict:
    """A source as a CreativeWork."""
    return _present(
        {
            "@type": "CreativeWork",
            "url": source.get("url"),
            "headline": source.get("title"),
            "datePublished": source.get("published"),
            "archivedAt": source.get("archived_url"),
            "publisher": _organization(source.get("outlet")),
        }
    )


def _organization(name: str | None) -> dict | None:
    """An Organization named `name`, or None without a name."""
    return None if name is None else {"@type": "Organization", "name": name}


def _identifier(uid: str | None) -> str | None:
    """A claim's uid as a URN, the form an identifier that is a UUID takes."""
    return None if uid is None else f"{_UUID_URN}{uid}"


def _present(fields: dict) -> dict:
    """`fields` without the keys that have no value."""
    return {key: value for key, value in fields.items() if value is not None}
