"""What the commands share: opening the store once per run, JSON output, common options."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from claimtrack.db import resolve_path
from claimtrack.store import ClaimStore

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON (one document on stdout) instead of a table.")
]


def store(ctx: typer.Context) -> ClaimStore:
    """The store for this run, opened on first use and closed when the command ends."""
    root = ctx.find_root()
    if "store" not in root.obj:
        root.obj["store"] = root.with_resource(ClaimStore.open(resolve_path(root.obj["db"])))
    return root.obj["store"]


def emit_json(data: object) -> None:
    """One JSON document on stdout, UTF-8, every code point kept."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
