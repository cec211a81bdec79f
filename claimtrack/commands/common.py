"""What the commands share: opening the store once per run and the common options."""

import contextlib
import glob
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from claimtrack.errors import InvalidInput
from claimtrack.model import ClaimFilter, Standing, Status
from claimtrack.render import text as out
from claimtrack.wording import agree, plural

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

# The file format of `import` and `export`.
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="csv, json, jsonl or claimreview; import also claimtrack (another database). "
        "Default: from the file's extension (and a .json file's content); csv for stdin, "
        "stdout.",
    ),
]
# The largest --limit: a bound far above any database's size that keeps every count the store
# computes from it (one more, to tell whether more match) within SQLite's 64-bit integers.
LIMIT_MAX = 1_000_000_000

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (one document on stdout) instead of a table.")
]

# The filters shared by the commands that select claims (list, search, timeline, export): each
# command takes these eight options and hands them to `claim_filter`.
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
StandingOption = Annotated[
    str | None,
    typer.Option("--standing", help="Only claims that stand, or that fall, in this record."),
]
VerdictOption = Annotated[
    str | None,
    typer.Option("--verdict", help="Only claims a review rated so (e.g. False; any case)."),
]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The record as it stood on this date: only claims said by then (undated left out).",
    ),
]


def read_as_of(claims: "ClaimStore", as_of: str | None) -> None:
    """Read the record as it stood on `as_of`, if given, and say how many claims that leaves
    out (on stderr, so that stdout stays the record)."""
    if as_of is None:
        return
    left_out = claims.as_of(as_of)
    out.notice(
        f"As of {claims.as_of_day}: {plural(left_out, 'claim')} said later or undated "
        f"{agree('is', range(left_out))} left out.",
        stderr=True,
    )


def claim_filter(
    claims: "ClaimStore",
    by: str | None,
    side: str | None,
    tag: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    verdict: str | None = None,
    standing: str | None = None,
) -> ClaimFilter:
    """The shared filters from their command-line values; says on stderr what names they
    matched (`report_matches`)."""
    filters = ClaimFilter(
        by=by,
        side=side,
        tag=tag,
        status=Status.parse(status) if status is not None else None,
        since=since,
        until=until,
        verdict=verdict,
        standing=Standing.parse(standing) if standing is not None else None,
    )
    report_matches(claims, filters)
    return filters


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


def _remove_stale_partials(path: Path) -> None:
    """Remove what a killed earlier write to `path` left: `.NAME.PID.partial` files whose
    process is gone."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.partial"):
        pid = stale.name.removeprefix(f".{path.name}.").removesuffix(".partial")
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            stale.unlink(missing_ok=True)
        except OSError:
            continue  # another user's live process


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through: written beside it and renamed over it when complete,
    so a failed or interrupted command leaves no half-written file."""
    _remove_stale_partials(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as stream:
            yield stream
        os.replace(partial, path)
    except OSError as err:
        raise InvalidInput(f"Cannot write {path}: {err.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)


# How each name filter names what it matches, and the command that lists them all.
_NAMED = {
    "by": ("actor", "actors"),
    "side": ("side", "actors"),
    "tag": ("tag", "tags"),
}


def report_matches(claims: "ClaimStore", filters: ClaimFilter) -> None:
    """Say on stderr which actors words of `--by` matched, and, for a `--by`, `--side` or
    `--tag` that matches nothing recorded, the closest names: an empty result is never a
    silent typo."""
    for option, found in claims.name_matches(filters).items():
        typed = getattr(filters, option)
        noun, listing = _NAMED[option]
        if found.by_words:
            out.notice(f"--{option} {typed}: claims by {', '.join(found.by_words)}.", stderr=True)
        elif not found.whole:
            hint = ""
            if found.closest:
                closest = ", ".join(found.closest)
                hint = f": the closest recorded {agree('is', found.closest)} {closest}"
            out.notice(
                f"No {noun} matches --{option} {typed!r}{hint}. "
                f"Run `claimtrack {listing}` to see them all.",
                stderr=True,
            )


# The paging options of the commands that print records (SPEC "Pages, pagers and pipes").
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        max=LIMIT_MAX,
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
