"""Generate a deterministic schema.org ClaimReview JSON-LD file: a JSON list of reviews.

Usage:
    python benchmarks/generate_claimreview.py --reviews 10000 -o benchmarks/work/reviews-10k.json

The same seed and size always give a byte-identical file. Objects are streamed to the output,
one per line. Standard library only (it borrows generate.py's actors, dates and text).

What the file holds: `--reviews` ClaimReview objects, each with `claimReviewed`, `itemReviewed`
(`@type` Claim, `author` {name}, `datePublished`, `appearance` [{url, headline}], one to two),
`author` (`@type` Organization, `name`, `url`) from 30 fact-checkers writing in English, French,
Russian, Armenian or Azerbaijani, `datePublished` (on or after the claim's), `url`, `name` and
`reviewRating` (`alternateName` from the fact-checker's own labels — False, Misleading, True,
Faux, Ложь... — with `ratingValue`, `bestRating` and `worstRating` on its own scale). About 20%
of the claims are reviewed by two or three different fact-checkers; their reviews carry the
same `claimReviewed` and `itemReviewed`, so that an importer sees one claim with several
verdicts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from generate import LANGUAGE_CUM_WEIGHTS, LANGUAGES, build_actors, build_dates, make_text

# The rating labels of each language, worst first: (label, value on a 1..len scale).
LABELS = {
    "en": ("False", "Mostly false", "Misleading", "Missing context", "Mostly true", "True"),
    "fr": ("Faux", "Trompeur", "Partiellement faux", "Vrai"),
    "ru": ("Ложь", "Манипуляция", "Полуправда", "Правда"),
    "hy": ("Կեղծ", "Մանիպուլյացիա", "Ճշմարիտ"),
    "az": ("Yalan", "Manipulyasiya", "Doğru"),
}
# The 30 fact-checkers: (name, language, web site).
CHECKER_NAMES = {
    "en": (
        "Caucasus Fact Desk",
        "Border Watch Verify",
        "Open Claims Review",
        "Regional Truth Monitor",
        "South Caucasus Check",
        "Newsroom Verification Unit",
        "Factline International",
        "Eurasia Fact Check",
        "Signal Check",
        "Claims Lab",
        "The Verify Project",
        "Public Record Check",
    ),
    "fr": ("Les Vérificateurs", "Décodeurs du Caucase", "Vrai ou Faux Europe", "FactuelPlus"),
    "ru": ("Проверено", "Фактчек Кавказ", "Антифейк", "Мифы и факты", "Правда или ложь"),
    "hy": ("Փաստերի ստուգում", "Ստուգված է", "Ճշմարտության հայելի", "Փաստ Լաբ"),
    "az": ("Faktyoxla Mərkəzi", "Doğru Xəbər", "Yalan Deyil", "Fakt Monitor", "Həqiqət Yoxla"),
}
REVIEWS_PER_CLAIM = ((1, 80), (2, 14), (3, 6))  # share of claims reviewed once, twice, three times


def checkers() -> list[tuple[str, str, str]]:
    """The 30 fact-checkers as (name, language, site URL)."""
    found = []
    for language, names in CHECKER_NAMES.items():
        for name in names:
            found.append((name, language, f"https://checker-{len(found) + 1}.example"))
    return found


def reviews(count: int, seed: int):
    """Yield `count` ClaimReview objects."""
    rng = random.Random(seed)
    actors = [name for name, _ in build_actors(rng)]
    days = build_dates()[0]
    last_day = len(days) - 1
    orgs = checkers()
    shares = [n for n, _ in REVIEWS_PER_CLAIM]
    weights = [w for _, w in REVIEWS_PER_CLAIM]
    made, claim = 0, 0
    while made < count:
        claim += 1
        language = rng.choices(LANGUAGES, cum_weights=LANGUAGE_CUM_WEIGHTS)[0]
        claimed = make_text(rng, language, 80, 300)
        day = rng.randint(0, last_day - 60)
        appearances = [
            {
                "@type": "CreativeWork",
                "url": f"https://outlet-{rng.randint(1, 200)}.example/claim/{claim}/{n}",
                "headline": make_text(rng, language, 30, 90),
            }
            for n in range(rng.randint(1, 2))
        ]
        item = {
            "@type": "Claim",
            "author": {"@type": "Person", "name": actors[int(len(actors) * rng.random() ** 2)]},
            "datePublished": days[day],
            "appearance": appearances,
        }
        times = min(rng.choices(shares, weights=weights)[0], count - made)
        for org_name, org_language, site in rng.sample(orgs, times):
            labels = LABELS[org_language]
            value = rng.randint(1, len(labels))
            made += 1
            yield {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{site}/fact-check/{made}",
                "name": make_text(rng, "en" if org_language == "fr" else org_language, 40, 120),
                "datePublished": days[min(day + rng.randint(0, 60), last_day)],
                "author": {"@type": "Organization", "name": org_name, "url": site},
                "claimReviewed": claimed,
                "itemReviewed": item,
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": labels[value - 1],
                    "ratingValue": value,
                    "bestRating": len(labels),
                    "worstRating": 1,
                },
            }


def main(argv: list[str] | None = None) -> int:
    """Write the reviews the command line asks for and report on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000, help="ClaimReviews (10000)")
    parser.add_argument("-o", "--output", required=True, help="the JSON file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args(argv)
    if args.reviews < 1:
        parser.error("--reviews must be at least 1")
    started = time.perf_counter()
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write("[\n")
        for index, review in enumerate(reviews(args.reviews, args.seed)):
            out.write(("," if index else "") + encode(review) + "\n")
        out.write("]\n")
    print(
        f"wrote {args.reviews} ClaimReviews to {target} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
