"""Finding claims: `search` and `timeline`."""

from typing import Annotated

import typer

from claimtrack.commands.common import (
    AllFlag,
    AsOf,
    By,
    JsonFlag,
    LimitOption,
    NoPagerFlag,
    Side,
    Since,
    StandingOption,
    StatusOption,
    Tag,
    Until,
    VerdictOption,
    claim_filter,
    page_limit,
    read_as_of,
    store,
)
from claimtrack.query import parse_query
from claimtrack.render import find as found_render
from claimtrack.render import text as out
from claimtrack.render.pages import more_notice


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
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Search claims' text, quotes and notes in any script; best match first, matches
    highlighted. Case, accents and spelling variants do not matter (see the README).

    Example: claimtrack search 'troops OR "military buildup"' --side Azerbaijan
    """
    parsed = parse_query(query)
    wanted = page_limit(limit, show_all, machine=as_json)
    found = store(ctx).search(
        parsed,
        claim_filter(store(ctx), by, side, tag, status, since, until, verdict, standing),
        wanted,
    )
    if as_json:
        out.emit_json([claim.as_json() for claim in found.claims])
    else:
        found_render.results(found.claims, parsed.spans, pager=not no_pager)
    if wanted is None:
        return
    if found.ranked is not None:
        out.notice(
            f"More than {found.ranked:,} claims match: these are the best {wanted} of the "
            f"{found.ranked:,} most recently recorded. Add words or filters to narrow the search.",
            stderr=True,
        )
    elif found.more and found.matched is not None:
        more_notice(len(found.claims), found.matched - len(found.claims), "claim", wanted)


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
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Claims and answers in date order, grouped by day, each with its claimant, side and
    what it answers: what was said around an event. Undated claims come last.

    Example: claimtrack timeline --since 2024-04-01 --until 2024-04-07
    """
    claims = store(ctx)
    read_as_of(claims, as_of)
    filters = claim_filter(claims, by, side, tag, status, since, until, verdict, standing)
    wanted = page_limit(limit, show_all, machine=as_json)
    page = claims.timeline(filters, wanted)
    if as_json:
        out.emit_json([claim.as_json() for claim in page.claims])
    else:
        answered = claims.claims(ref.id for claim in page.claims for ref in claim.responds_to)
        found_render.timeline(page.claims, answered, pager=not no_pager)
    if wanted is not None and page.more:
        more_notice(
            len(page.claims), claims.count_claims(filters) - len(page.claims), "claim", wanted
        )
