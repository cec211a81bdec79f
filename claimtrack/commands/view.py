"""Reading the record: `show`, `list`, `threads`, `info`."""

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
from claimtrack.errors import UsageError
from claimtrack.render import claims as claims_render
from claimtrack.render import text as out
from claimtrack.render.pages import more_notice
from claimtrack.validate import parse_claim_id


def show(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="The claim, as 12 or #12.")],
    as_of: AsOf = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the thread under a claim: everything that answers it, at any depth.

    Example: claimtrack show 1
    """
    claims = store(ctx)
    read_as_of(claims, as_of)
    root = claims.thread(parse_claim_id(claim_id))
    if as_json:
        out.emit_json(root.as_json())
        return
    answered = claims.claims(ref.id for ref in root.claim.responds_to)
    claims_render.thread(root, answered)


def list_claims(
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
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV in the import/export format instead.")
    ] = False,
) -> None:
    """List claims, newest first; filters combine with AND. On a terminal a page of 25
    (--limit N, --all); piped, every claim, one a line, tab-separated.

    Example: claimtrack list --side Armenia --since 2024-04 --limit 20
    """
    if as_json and as_csv:
        raise UsageError("give --json or --csv, not both.", "--csv")
    claims_store = store(ctx)
    read_as_of(claims_store, as_of)
    filters = claim_filter(claims_store, by, side, tag, status, since, until, verdict, standing)
    wanted = page_limit(limit, show_all, machine=as_json or as_csv)
    # One more than shown says whether more match; only then are they counted.
    ids = claims_store.list_ids(filters, None if wanted is None else wanted + 1)
    more = 0
    if wanted is not None and len(ids) > wanted:
        ids = ids[:wanted]
        more = claims_store.count_claims(filters) - wanted
    if wanted is None and not (as_json or as_csv):
        claims_render.claims(claims_store.stream(ids), pager=not no_pager)  # streams to pipes
        return
    claims = list(claims_store.stream(ids))
    if as_json:
        out.emit_json([claim.as_json() for claim in claims])
    elif as_csv:
        from claimtrack.commands.exporting import write_list_csv  # only CSV needs the writer

        write_list_csv(claims_store, claims)
    else:
        claims_render.claims(claims, pager=not no_pager)
    if wanted is not None:
        more_notice(len(claims), more, "claim", wanted)


def threads(
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
    """One row per thread (a claim that answers nothing): its claim, status and standing, its
    verdicts, its answers by stance, the sides that answered and its latest date. The filters
    select threads by their first claim.

    Example: claimtrack threads --side Azerbaijan
    """
    claims = store(ctx)
    read_as_of(claims, as_of)
    filters = claim_filter(claims, by, side, tag, status, since, until, verdict, standing)
    wanted = page_limit(limit, show_all, machine=as_json)
    # One more than shown says whether more match; only then are they counted.
    summaries = claims.thread_summaries(filters, None if wanted is None else wanted + 1)
    more = 0
    if wanted is not None and len(summaries) > wanted:
        summaries = summaries[:wanted]
        more = claims.count_threads(filters) - wanted
    if as_json:
        out.emit_json([summary.as_json() for summary in summaries])
    else:
        claims_render.threads(summaries, pager=not no_pager)
    if wanted is not None:
        more_notice(len(summaries), more, "thread", wanted)


def info(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the database path in use, its schema version and counts.

    Example: claimtrack info
    """
    details = store(ctx).info()
    if as_json:
        out.emit_json(details)
    else:
        claims_render.info(details)
