"""What the commands share: opening the store once per run and the common options."""

from typing import TYPE_CHECKING, Annotated

import typer

from claimtrack.model import ClaimFilter, Status

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

# The largest --limit: a bound far above any database's size that keeps every count the store
# computes from it (one more, to tell whether more match) within SQLite's 64-bit integers.
LIMIT_MAX = 1_000_000_000

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (one document on stdout) instead of a table.")
]

# The filters shared by the commands that select claims (list, search, timeline, export): each
# command takes these six options and hands them to `claim_filter`.
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


def claim_filter(
    by: str | None,
    side: str | None,
    tag: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
) -> ClaimFilter:
    """The shared filters from their command-line values."""
    return ClaimFilter(
        by=by,
        side=side,
        tag=tag,
        status=Status.parse(status) if status is not None else None,
        since=since,
        until=until,
    )


def store(ctx: typer.Context) -> "ClaimStore":
    """The store for this run, opened on first use and closed when the command ends; opened
    only for reading by the commands that only read (`root.obj["writes"]` is false)."""
    # Imported here, not at the top: `--help` and `--version` never open the database.
    from claimtrack.db import resolve_path
    from claimtrack.store import ClaimStore

    root = ctx.find_root()
    if "store" not in root.obj:
        # cli.py marks the commands that only read: they never create a database.
        writes = root.obj.get("writes", True)
        opened = ClaimStore.open(resolve_path(root.obj["db"]), writes=writes)
        # A missing database reads as empty; cli.py says so once the command has succeeded.
        root.obj["store"] = root.with_resource(opened)
    return root.obj["store"]
