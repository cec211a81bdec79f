"""Batch import and export: `import`, `export` (and the CSV of `list --csv`)."""

import contextlib
import itertools
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from claimtrack import transfer
from claimtrack.commands.common import (
    By,
    Side,
    Since,
    StatusOption,
    Tag,
    Until,
    claim_filter,
    store,
)
from claimtrack.errors import InvalidInput
from claimtrack.model import Claim, ExportBatch, ImportResult
from claimtrack.render import text as out
from claimtrack.render.progress import progress
from claimtrack.store import ClaimStore
from claimtrack.validate import parse_claim_id
from claimtrack.wording import plural

Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="csv|json|jsonl",
        help="The file format (default: from the file's extension; csv for stdin and stdout).",
    ),
]
Raw = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV cells exactly as stored: no ' before cells a spreadsheet would run as formulas.",
    ),
]


def _usage(err: InvalidInput, option: str) -> typer.BadParameter:
    """An option value that cannot be used is a usage error (exit 2)."""
    return typer.BadParameter(str(err), param_hint=option)


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
        chosen = transfer.format_for(file, fmt, default="csv" if file == "-" else None)
    except InvalidInput as err:
        raise _usage(err, "--format") from None
    try:
        options = transfer.import_options(maps or [], sets or [], raw)
    except InvalidInput as err:
        raise _usage(err, "--map/--set") from None
    name = "stdin" if file == "-" else file
    with contextlib.ExitStack() as stack:
        stream = sys.stdin.buffer if file == "-" else stack.enter_context(_open(file))
        with progress(f"Reading {name}", _size(stream)) as tracker:
            rows = transfer.read_rows(stream, name, chosen, options, tracker.update)
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


def export(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...", help="The claims whose threads to export (default: every thread)."
        ),
    ] = None,
    by: By = None,
    side: Side = None,
    tag: Tag = None,
    status: StatusOption = None,
    since: Since = None,
    until: Until = None,
    fmt: Format = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
    raw: Raw = False,
) -> None:
    """Export the threads under the given claims (or every thread) as CSV, JSON or JSONL. The
    filters choose threads: those whose first claim matches them all, exported whole.

    Example: claimtrack export --tag troops -o troops.csv
    """
    roots = [parse_claim_id(value) for value in ids] if ids else None
    filters = claim_filter(store(ctx), by, side, tag, status, since, until)
    try:
        chosen = transfer.format_for(
            str(output) if output else None, fmt, default=None if output else "csv"
        )
    except InvalidInput as err:
        raise _usage(err, "--format") from None
    # Closed here, not when garbage collected: the store closes when the command ends.
    with contextlib.closing(store(ctx).export_threads(roots, filters)) as batches:
        if output is None:
            try:
                count, unclear = _write_threads(sys.stdout, chosen, raw, batches)
            except BrokenPipeError:
                _reader_gone()
                return
        else:
            # Written beside the target, renamed when complete: a failed export leaves no file.
            partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
            try:
                with open(partial, "w", encoding="utf-8", newline="") as stream:
                    count, unclear = _write_threads(stream, chosen, raw, batches)
                os.replace(partial, output)
            except OSError as err:
                raise InvalidInput(f"Cannot write {output}: {err.strerror}.") from None
            finally:
                partial.unlink(missing_ok=True)
            out.notice(f"Exported {plural(count, 'row')} to {output}.")
    if unclear:
        shown = ", ".join(f"#{claim_id}" for claim_id in sorted(unclear)[:10])
        more = f" and {len(unclear) - 10} more" if len(unclear) > 10 else ""
        out.notice(
            f"Warning: the sources of claims {shown}{more} read back differently on import: "
            "in the sources column, titles next to each other (or titles and URLs with spaces) "
            "run together. Give such sources URLs to keep them apart.",
            stderr=True,
        )


def _write_threads(
    stream: TextIO, fmt: str, raw: bool, batches: Iterable[ExportBatch]
) -> tuple[int, set[int]]:
    """Write every thread's rows; the row count and the claims whose sources will not read back."""
    writer = transfer.RowWriter(stream, fmt, raw)
    unclear: set[int] = set()
    with progress("Exporting") as tracker:
        for batch in batches:
            for claim_id, sources in batch.sources.items():
                if not transfer.sources_roundtrip(sources):
                    unclear.add(claim_id)
            writer.write_rows(
                batch.claims,
                itertools.chain.from_iterable(
                    transfer.thread_rows(root, edges) for root, edges in batch.threads
                ),
            )
            tracker.update(writer.count)
        writer.close()
    return writer.count, unclear


def write_list_csv(claims_store: ClaimStore, claims: list[Claim]) -> None:
    """`list --csv`: the listed claims in the flat format, one row per claim each answers."""
    answered = claims_store.claims(ref.id for claim in claims for ref in claim.responds_to)
    cells = {claim.id: transfer.claim_cells(claim) for claim in [*answered.values(), *claims]}
    writer = transfer.RowWriter(sys.stdout, "csv")
    try:
        writer.write_rows(cells, transfer.claim_rows(claims))
        writer.close()
    except BrokenPipeError:
        _reader_gone()


def _reader_gone() -> None:
    """stdout's reader stopped reading (`| head`): end quietly, as other tools do."""
    # Python would otherwise fail again flushing stdout on its way out.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
