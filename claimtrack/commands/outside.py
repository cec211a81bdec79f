"""Leaving the terminal: `open` (a claim's source in the browser) and `datasette-metadata`
(a metadata file for browsing the database with Datasette)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from claimtrack.commands.common import store
from claimtrack.errors import InvalidInput, NotFound
from claimtrack.render import text as out
from claimtrack.validate import parse_claim_id


def browser_opens(url: str) -> bool:
    """Whether a web browser could be started on `url` ($BROWSER, else the system's)."""
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    try:
        return bool(browser.open(url))
    except OSError:
        return False


def open_claim(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="The claim, as 12 or #12.")],
    archived: Annotated[
        bool, typer.Option("--archived", help="Open the source's archived copy instead.")
    ] = False,
) -> None:
    """Open a claim's first source in the browser (its archived copy with --archived); with
    no browser to start, print its URL.

    Example: claimtrack open 1 --archived
    """
    parsed = parse_claim_id(claim_id)
    claim = store(ctx).get(parsed)
    if not claim.sources:
        raise NotFound(
            f"Claim #{parsed} has no source to open: add one with "
            f"`claimtrack edit {parsed} --add-source URL`."
        )
    source = claim.sources[0]
    if source.url is None:
        raise InvalidInput(f"Claim #{parsed}'s first source, {source.label!r}, has no URL to open.")
    url = source.url
    if archived:
        if not source.archived_url:
            raise NotFound(
                f"Claim #{parsed}'s first source, {source.url}, has no archived copy: add it "
                f"with `claimtrack source edit {source.url} --archived-url URL`."
            )
        url = source.archived_url
    if browser_opens(url):
        out.notice(f"Opened {url}")
    else:
        out.notice("No web browser could be started (set BROWSER to choose one):", stderr=True)
        out.value(out.safe(url))


def datasette_metadata(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Write a Datasette metadata file for this database: full-text search on claims, facets
    by claimant, side, status and tag (on the view claims_overview), claim text as the label
    of every link. Then: datasette FILE -m metadata.json

    Example: claimtrack datasette-metadata -o metadata.json
    """
    from claimtrack.datasette import metadata
    from claimtrack.db import resolve_path

    database = resolve_path(ctx.find_root().obj["db"])
    if isinstance(database, str):
        raise InvalidInput(
            "Datasette reads SQLite files: give a claimtrack file with --db, not a PostgreSQL URL."
        )
    document = metadata(database)
    if output is None:
        out.emit_json(document)
        return
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, output)
    except OSError as err:
        raise InvalidInput(f"Cannot write {output}: {err.strerror}.") from None
    out.notice(
        f"Wrote {output}. Browse the database with: datasette {database} -m {output}",
        stderr=True,
    )
