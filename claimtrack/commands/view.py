"""Reading the record: `show`, `list`, `info`."""

from typing import Annotated

import typer

from claimtrack.commands.common import (
    AllFlag,
    By,
    JsonFlag,
    LimitOption,
    NoPagerFlag,
    Side,
    Since,
    StatusOption,
    Tag,
    Until,
    VerdictOption,
    claim_filter,
    page_limit,
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
    as_json: JsonFlag = False,
) -> None:
    """Show the thread under a claim: everything that answers it, at any depth.

    Example: claimtrack show 1
    """
    claims = store(ctx)
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
    filters = claim_filter(by, side, tag, status, since, until, verdict)
    wanted = page_limit(limit, show_all, machine=as_json or as_csv)
    claims_store = store(ctx)
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
        from claimtrack.commands.transfer import write_list_csv  # only CSV needs the writer

        write_list_csv(claims_store, claims)
    else:
        claims_render.claims(claims, pager=not no_pager)
    if wanted is not None:
        more_notice(len(claims), more, "claim", wanted)


def info(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the database path in use, its schema version and counts.

    Example: claimtrack info
    """
    details = store(ctx).info()
    if as_json:
        out.emit_json(details)
    else:
        claims_render.info(details)
