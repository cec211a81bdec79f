"""The flat format's columns, the cells an exported claim fills, and the file formats."""

from __future__ import annotations

from claimtrack.errors import InvalidInput

# The shared flat format (SPEC "Batch import and export"): these columns, in this order.
FIELDS = (
    "id",
    "uid",
    "responds_to",
    "responds_to_uid",
    "stance",
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
    "verdict",
    "verdict_value",
    "verdict_best",
    "verdict_worst",
)
# Written by export only; an import accepts and ignores them, so exports import again.
EXPORT_ONLY = ("thread", "depth", "status")
COLUMNS = FIELDS + EXPORT_ONLY
FORMATS = ("csv", "json", "jsonl", "claimreview")
# What `import` also reads: another claimtrack database, merged in whole.
IMPORT_FORMATS = (*FORMATS, "claimtrack")
_EXTENSIONS = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".db": "claimtrack",
    ".sqlite": "claimtrack",
    ".sqlite3": "claimtrack",
}

# An exported claim's cells: these values, in this order (None for no value). The store builds
# them in SQL for export (`ExportArea.export_threads`); `writer.claim_cells` builds them from a
# Claim. A row (COLUMNS) is its claim's id and uid, the id and uid of the claim it answers and
# the stance, its claim's cells from text to note, the thread and depth, and its claim's status.
CLAIM_CELLS = ("id", "uid", *FIELDS[FIELDS.index("text") :], "status")


def format_for(
    path: str | None,
    given: str | None,
    default: str | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> str:
    """The format named by `--format`, else by the file's extension, else `default`; one of
    `formats`."""
    if given is not None:
        chosen = given.strip().lower()
        if chosen not in formats:
            raise InvalidInput(f"Unknown format {given!r}: use one of {', '.join(formats)}.")
        return chosen
    if path is not None and path != "-":
        suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if _EXTENSIONS.get(suffix) in formats:
            return _EXTENSIONS[suffix]
        if default is None:
            raise InvalidInput(
                f"Cannot tell the format of {path} from its name (.csv, .json, .jsonl or "
                f".ndjson): give --format {', '.join(formats)}."
            )
    if default is None:
        raise InvalidInput(f"Give --format {', '.join(formats)}.")
    return default
