"""Finding claims: `search` and `timeline`."""

from typing import Annotated

import typer

from claimtrack.commands.common import (
    LIMIT_MAX,
    AsOf,
    By,
    JsonFlag,
    Side,
    Since,
    StandingOption,
    StatusOption,
    Tag,
    Until,
    VerdictOption,
    claim_filter,
    read_as_of,
    store,
)
from claimtrack.query import parse_query
from claimtrack.render import find as found_render
from claimtrack.render import text as out

# The default number of search results: what a person reads at once.
SEARCH_LIMIT = 50
# The default length of a timeline, a page like search: a busy week of a large database holds
# thousands of claims, and drawing each costs about a millisecond.
TIMELINE_LIMIT = 50


def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words (all must match), "a phrase", OR, NOT, prefix*, ( ) to group.',
        ),
    ],
    by: By = None,
    side: Side = None,
    tag: Tag = None,
    status: StatusOption = None,
    since: Since = None,
    until: Until = None,
    verdict: VerdictOption = None,
    standing: StandingOption = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, max=LIMIT_MAX, help="Show at most this many claims."),
    ] = SEARCH_LIMIT,
    as_json: JsonFlag = False,
) -> None:
    """Search claims' text, quotes and notes in any script; best match first, matches
    highlighted. Case, accents and spelling variants do not matter (see the README).

    Example: claimtrack search 'troops OR "military buildup"' --side Azerbaijan
    """
    parsed = parse_query(query)
    found = store(ctx).search(
        parsed,
        claim_filter(store(ctx), by, side, tag, status, since, until, verdict, standing),
        limit,
    )
    if as_json:
        out.emit_json([claim.as_json() for claim in found.claims])
    else:
        found_render.results(found.claims, parsed.spans)
    if found.ranked is not None:
        more = (
            f"More than {found.ranked:,} claims match: these are the best {limit} of the "
            f"{found.ranked:,} most recently recorded. Add words or filters to narrow the search."
        )
    elif found.more:
        more = f"More claims match: these are the best {limit}. Use --limit to see more."
    else:
        return
    out.notice(more, stderr=as_json)


def timeline(
    ctx: typer.Context,
    by: By = None,
    side: Side = None,
    tag: Tag = None,
    status: StatusOption = None,
    since: Since = None,
    until: Until = None,
    verdict: VerdictOption = None,
    standing: StandingOption = None,
    as_of: AsOf = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=1, max=LIMIT_MAX, help="Show at most this many claims, the oldest first."
        ),
    ] = TIMELINE_LIMIT,
    as_json: JsonFlag = False,
) -> None:
    """Claims and answers in date order, grouped by day, each with its claimant, side and
    what it answers: what was said around an event. Undated claims come last.

    Example: claimtrack timeline --since 2024-04-01 --until 2024-04-07
    """
    claims = store(ctx)
    read_as_of(claims, as_of)
    page = claims.timeline(
        claim_filter(store(ctx), by, side, tag, status, since, until, verdict, standing), limit
    )
    if as_json:
        out.emit_json([claim.as_json() for claim in page.claims])
    else:
        answered = claims.claims(ref.id for claim in page.claims for ref in claim.responds_to)
        found_render.timeline(page.claims, answered)
    if page.more:
        out.notice(
            f"More claims match: these are the oldest {limit}. Narrow the dates or use --limit.",
            stderr=as_json,
        )
