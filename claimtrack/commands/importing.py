"""`import`: claims and their links from a file of the flat format, all or nothing."""

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from claimtrack.commands.common import Format, store
from claimtrack.errors import InvalidInput, UsageError
from claimtrack.flatfile.claimreview import looks_like_claimreview
from claimtrack.flatfile.columns import IMPORT_FORMATS, format_for
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


Maps = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="COLUMN=FIELD",
        help="Feed a column of the file to a field (COLUMN= ignores it). Repeatable.",
    ),
]
Sets = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="FIELD=VALUE",
        help="Give a field this value in every row that leaves it empty. Repeatable.",
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="Check the file and say what importing it would do; write nothing."
    ),
]
KeepQuote = Annotated[
    bool, typer.Option("--raw", help="Keep a leading ' in CSV cells (the file was exported --raw).")
]


def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import; - reads stdin.")],
    fmt: Format = None,
    maps: Maps = None,
    sets: Sets = None,
    dry_run: DryRun = False,
    raw: KeepQuote = False,
) -> None:
    """Import claims and their links, all or nothing: from a CSV, JSON or JSONL file in the
    export format, from schema.org ClaimReview JSON-LD or a Fact Check Tools API response, or
    from another claimtrack database (merged by uid).

    Example: claimtrack import threads.csv --map title=text --map outlet=by --set tags=imported
    """
    from claimtrack.postgres import is_url

    if is_url(file):
        raise _database_url_refused(ctx, file)
    try:
        chosen = format_for(
            file, fmt, default="csv" if file == "-" else None, formats=IMPORT_FORMATS
        )
    except InvalidInput as err:
        raise UsageError(str(err), "--format") from None
    if chosen == "claimtrack":
        _merge(ctx, file, dry_run)
        return
    try:
        options = import_options(maps or [], sets or [], raw)
    except InvalidInput as err:
        raise UsageError(str(err), "--map/--set") from None
    name = "stdin" if file == "-" else file
    with contextlib.ExitStack() as stack:
        stream = sys.stdin.buffer if file == "-" else stack.enter_context(_open(file))
        if chosen == "json" and fmt is None and looks_like_claimreview(_first_bytes(stream)):
            chosen = "claimreview"  # a .json file of ClaimReview JSON-LD, by its content
        places: dict[int, str] = {}
        with progress(f"Reading {name}", _size(stream)) as tracker:
            rows = read_rows(stream, name, chosen, options, tracker.update, places)
            result = store(ctx).import_rows(
                rows,
                name,
                dry_run=dry_run,
                stage=lambda step: tracker.phase(f"{step} {name}"),
                places=places,
            )
    out.notice(_import_report(name, result))


def _database_url_refused(ctx: typer.Context, url: str) -> InvalidInput:
    """The error for a PostgreSQL URL given as the file to import, saying how to move its
    claims instead."""
    from claimtrack.db import resolve_path
    from claimtrack.postgres import shown

    # Compared with the database named, not opened: a refusal writes nothing, not even a file.
    if url == resolve_path(ctx.find_root().obj["db"]):
        return InvalidInput(f"{shown(url)} is the database in use: merge another into it.")
    return InvalidInput(
        f"{shown(url)} is a PostgreSQL database: import reads files. Export its claims with "
        f"`claimtrack --db {shown(url)} export --format json -o claims.json` and import "
        "claims.json, which merges them by uid as a claimtrack file would."
    )


def _merge(ctx: typer.Context, file: str, dry_run: bool) -> None:
    """`import OTHER.db`: merge another claimtrack file in whole, and report its conflicts."""
    from claimtrack.store import ClaimStore

    path = Path(file)
    if not path.is_file():
        raise InvalidInput(f"Cannot read {file}: there is no such file.")
    claims = store(ctx)
    if claims.path is not None and path.resolve() == Path(claims.path).resolve():
        raise InvalidInput(f"{file} is the database in use: merge another file into it.")
    with ClaimStore.open(path, writes=False) as other, progress(f"Merging {file}") as tracker:
        merged = claims.merge_from(
            other, file, dry_run=dry_run, stage=lambda step: tracker.phase(f"{step} {file}")
        )
    out.notice(_import_report(file, merged.imported))
    if merged.conflicts:
        kept = "; ".join(f"#{claim_id} ({side})" for claim_id, side in merged.conflicts[:20])
        more = f" and {len(merged.conflicts) - 20} more" if len(merged.conflicts) > 20 else ""
        verb = "would keep" if dry_run else "kept"
        out.notice(
            f"{plural(len(merged.conflicts), 'claim')} differ between the two files; the "
            f"later-updated version {verb}: {kept}{more}."
        )


def _first_bytes(stream: BinaryIO) -> bytes:
    """The start of the file, read without consuming it (for telling its format)."""
    peek = getattr(stream, "peek", None)
    return peek(1 << 16)[: 1 << 16] if peek is not None else b""


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
