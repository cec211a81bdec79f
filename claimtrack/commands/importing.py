"""`import`: claims and their links from a file of the flat format, all or nothing."""

import contextlib
import os
import stat
import sys
from typing import Annotated, BinaryIO

import typer

from claimtrack.commands.common import Format, store
from claimtrack.errors import InvalidInput, UsageError
from claimtrack.flatfile.columns import format_for
from claimtrack.flatfile.readers import read_rows
from claimtrack.flatfile.rows import import_options
from claimtrack.model import ImportResult
from claimtrack.render import text as out
from claimtrack.render.progress import progress
from claimtrack.wording import plural


def _import_report(name: str, result: ImportResult) -> str:
    claims = result.claims_added + result.claims_merged
    if not claims:
        return f"{name} has no rows: nothing was imported."
    if not result.changed_anything and not result.dry_run:
        return (
            f"Nothing new in {name}: its {plural(claims, 'claim')} and their links are "
            "already recorded."
        )
    parts = [f"{plural(result.claims_added, 'claim')} added"]
    if result.claims_merged:
        parts.append(
            f"{result.claims_merged} already recorded ({result.claims_changed} of them changed)"
        )
    parts.append(f"{plural(result.links_added, 'link')} added")
    if result.links_changed:
        parts.append(f"{plural(result.links_changed, 'link')} given another stance")
    if result.actors_added:
        parts.append(plural(result.actors_added, "new actor"))
    if result.sources_added:
        parts.append(plural(result.sources_added, "new source"))
    if result.sources_described:
        parts.append(f"{plural(result.sources_described, 'source')} described")
    if result.verdicts_added:
        parts.append(plural(result.verdicts_added, "verdict"))
    if result.verdicts_changed:
        parts.append(f"{plural(result.verdicts_changed, 'verdict')} changed")
    if result.placed_as_qualifies:
        parts.append(
            f"{plural(result.placed_as_qualifies, 'review')} placed as qualifies (a rating "
            "that says no stance; give the stance column to place them)"
        )
    if result.dry_run:
        return f"Dry run, nothing was written. Importing {name} would give: {', '.join(parts)}."
    return f"Imported {name}: {', '.join(parts)}."


def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import; - reads stdin.")],
    fmt: Format = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Feed a column of the file to a field (COLUMN= ignores it). Repeatable.",
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Give a field this value in every row that leaves it empty. Repeatable.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check the file and say what importing it would do; write nothing."
        ),
    ] = False,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Keep a leading ' in CSV cells (the file was exported --raw)."),
    ] = False,
) -> None:
    """Import claims and their links from a CSV, JSON or JSONL file, all or nothing.

    Example: claimtrack import threads.csv --map title=text --map outlet=by --set tags=imported
    """
    try:
        chosen = format_for(file, fmt, default="csv" if file == "-" else None)
    except InvalidInput as err:
        raise UsageError(str(err), "--format") from None
    try:
        options = import_options(maps or [], sets or [], raw)
    except InvalidInput as err:
        raise UsageError(str(err), "--map/--set") from None
    name = "stdin" if file == "-" else file
    with contextlib.ExitStack() as stack:
        stream = sys.stdin.buffer if file == "-" else stack.enter_context(_open(file))
        with progress(f"Reading {name}", _size(stream)) as tracker:
            rows = read_rows(stream, name, chosen, options, tracker.update)
            result = store(ctx).import_rows(
                rows, name, dry_run=dry_run, stage=lambda step: tracker.phase(f"{step} {name}")
            )
    out.notice(_import_report(name, result))


def _open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")  # closed by the caller's ExitStack
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {err.strerror}.") from None


def _size(stream: BinaryIO) -> int | None:
    """The size of a regular file, for progress; None for pipes."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
