"""What the commands share: opening the store once per run and the common options."""

from typing import TYPE_CHECKING, Annotated

import typer

from claimtrack.model import ClaimFilter, Status

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (one document on stdout) instead of a table.")
]

# The filters shared by the commands that select claims (list, search, timeline, export): each
# command takes these seven options and hands them to `claim_filter`.
By = Annotated[
    str | None,
    typer.Option("--by", help="Only claims made by this actor (any case, accents optional)."),
]
Side = Annotated[
    str | None,
    typer.Option("--side", help="Only claims by actors of this side (any case, accents optional)."),
]
Tag = Annotated[str | None, typer.Option("--tag", help="Only claims with this tag.")]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Only claims with this status: unanswered, qualified, contested, supported or mixed.",
    ),
]
Since = Annotated[
    str | None, typer.Option("--since", help="Only claims said on or after this date.")
]
Until = Annotated[
    str | None, typer.Option("--until", help="Only claims said on or before this date.")
]
VerdictOption = Annotated[
    str | None,
    typer.Option("--verdict", help="Only claims a review rated so (e.g. False; any case)."),
]


def claim_filter(
    by: str | None,
    side: str | None,
    tag: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    verdict: str | None = None,
) -> ClaimFilter:
    """The shared filters from their command-line values."""
    return ClaimFilter(
        by=by,
        side=side,
        tag=tag,
        status=Status.parse(status) if status is not None else None,
        since=since,
        until=until,
        verdict=verdict,
    )


def store(ctx: typer.Context) -> "ClaimStore":
    """The store for this run, opened on first use and closed when the command ends."""
    # Imported here, not at the top: `--help` and `--version` never open the database.
    from claimtrack.db import resolve_path
    from claimtrack.store import ClaimStore

    root = ctx.find_root()
    if "store" not in root.obj:
        root.obj["store"] = root.with_resource(ClaimStore.open(resolve_path(root.obj["db"])))
    return root.obj["store"]


# The paging options of the commands that print records (SPEC "Pages, pagers and pipes").
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        help="Show at most this many (default on a terminal: a page of 25; else every one).",
    ),
]
AllFlag = Annotated[bool, typer.Option("--all", help="Show every one, on a terminal too.")]
NoPagerFlag = Annotated[
    bool,
    typer.Option("--no-pager", help="Do not page long output (also: CLAIMTRACK_PAGER=)."),
]


def page_limit(limit: int | None, show_all: bool, machine: bool = False) -> int | None:
    """How many records to print: every one with --all (whatever --limit says); else --limit;
    else every one for --json or --csv (`machine`) and off a terminal; else a page (25)."""
    from claimtrack.render.pages import PAGE, stdout_is_terminal

    if show_all:
        return None
    if limit is not None:
        return limit
    if machine or not stdout_is_terminal():
        return None
    return PAGE
