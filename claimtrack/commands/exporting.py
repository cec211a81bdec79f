"""`export`: threads in the flat format (and the CSV of `list --csv`)."""

import contextlib
import io
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from claimtrack.commands.common import (
    By,
    Format,
    Side,
    Since,
    StandingOption,
    StatusOption,
    Tag,
    Until,
    VerdictOption,
    atomic_output,
    claim_filter,
    store,
)
from claimtrack.errors import InvalidInput, UsageError
from claimtrack.flatfile.cells import sources_roundtrip
from claimtrack.flatfile.claimreview_writer import claimreview_objects
from claimtrack.flatfile.columns import format_for
from claimtrack.flatfile.writer import RowWriter, claim_cells, claim_rows, thread_rows
from claimtrack.model import Claim, ClaimFilter, ExportBatch
from claimtrack.render import text as out
from claimtrack.render.progress import progress
from claimtrack.store import ClaimStore
from claimtrack.threads import walk
from claimtrack.validate import parse_claim_id
from claimtrack.wording import plural

Raw = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV cells exactly as stored: no ' before cells a spreadsheet would run as formulas.",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=False),
]


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
    verdict: VerdictOption = None,
    standing: StandingOption = None,
    fmt: Format = None,
    output: Output = None,
    raw: Raw = False,
) -> None:
    """Export the threads under the given claims (or every thread) as CSV, JSON or JSONL. The
    filters choose threads: those whose first claim matches them all, exported whole.

    Example: claimtrack export --tag troops -o troops.csv
    """
    roots = [parse_claim_id(value) for value in ids] if ids else None
    filters = claim_filter(store(ctx), by, side, tag, status, since, until, verdict, standing)
    try:
        chosen = format_for(str(output) if output else None, fmt, default=None if output else "csv")
    except InvalidInput as err:
        raise UsageError(str(err), "--format") from None
    if chosen == "claimreview":
        _export_claimreview(store(ctx), roots, filters, output)
        return
    lossless = chosen != "csv"
    # Closed here, not when garbage collected: the store closes when the command ends.
    with contextlib.closing(store(ctx).export_threads(roots, filters, lossless)) as batches:
        if output is None:
            written = out.to_stdout(lambda stream: _write_threads(stream, chosen, raw, batches))
            if written is None:
                return  # stdout's reader is gone
            count, unclear = written
        else:
            count, unclear = _write_file(output, chosen, raw, batches)
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


def _export_claimreview(
    claims: ClaimStore, roots: list[int] | None, filters: ClaimFilter, output: Path | None
) -> None:
    """`export --format claimreview`: one schema.org ClaimReview per verdict in the threads."""
    reviews: dict[int, tuple[dict, dict]] = {}
    for root in roots if roots is not None else claims.thread_roots(filters):
        parents: list[Claim] = []
        for depth, node, _ in walk(claims.thread(root)):
            parents[depth:] = [node.claim]
            if depth and node.claim.verdict is not None:
                reviews[node.claim.id] = (node.claim.as_json(), parents[depth - 1].as_json())
    objects = list(claimreview_objects(reviews[i] for i in sorted(reviews)))
    document = out.json_text(objects) + "\n"
    if output is None:
        out.to_stdout(lambda stream: stream.write(document))
        return
    with atomic_output(output) as stream:
        stream.write(document.encode("utf-8"))
    out.notice(f"Exported {plural(len(reviews), 'ClaimReview')} to {output}.")


def _write_file(
    output: Path, fmt: str, raw: bool, batches: Iterable[ExportBatch]
) -> tuple[int, set[int]]:
    """Write every thread's rows to `output`, beside it and renamed when complete: a failed
    export leaves no file."""
    with atomic_output(output) as binary:
        stream = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        written = _write_threads(stream, fmt, raw, batches)
        stream.flush()
        stream.detach()  # the file is closed (and renamed) by atomic_output
    return written


def _write_threads(
    stream: TextIO, fmt: str, raw: bool, batches: Iterable[ExportBatch]
) -> tuple[int, set[int]]:
    """Write every thread's rows; the row count and the claims whose sources will not read back."""
    writer = RowWriter(stream, fmt, raw)
    unclear: set[int] = set()
    with progress("Exporting") as tracker:
        for batch in batches:
            for claim_id, sources in batch.sources.items():
                if not sources_roundtrip(sources):
                    unclear.add(claim_id)
            writer.write_rows(
                batch.claims,
                itertools.chain.from_iterable(
                    thread_rows(root, edges) for root, edges in batch.threads
                ),
            )
            tracker.update(writer.count)
        writer.close()
    return writer.count, unclear


def write_list_csv(claims_store: ClaimStore, claims: list[Claim]) -> None:
    """`list --csv`: the listed claims in the flat format, one row per claim each answers."""
    answered = claims_store.claims(ref.id for claim in claims for ref in claim.responds_to)
    cells = {claim.id: claim_cells(claim) for claim in [*answered.values(), *claims]}
    out.to_stdout(lambda stream: _write_list(stream, cells, claims))


def _write_list(stream: TextIO, cells: dict[int, tuple], claims: list[Claim]) -> None:
    writer = RowWriter(stream, "csv")
    writer.write_rows(cells, claim_rows(claims))
    writer.close()
