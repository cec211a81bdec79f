"""The typer app: the whole command surface in one place, and the one place where errors become
messages and exit codes."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from claimtrack import __version__, render
from claimtrack.commands import curate, find, record, transfer, view
from claimtrack.errors import ClaimtrackError


class ClaimtrackGroup(TyperGroup):
    """Runs a command and turns the project's errors into one stderr message and exit code."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except ClaimtrackError as err:
            render.error(str(err))
            raise typer.Exit(err.exit_code) from None
        except sqlite3.Error as err:
            render.error(f"The database could not be used: {err}. Nothing was written.")
            raise typer.Exit(1) from None


app = typer.Typer(
    name="claimtrack",
    cls=ClaimtrackGroup,
    help="Track contested claims: who said what, when, where, and who answered it how.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Database file (default: $CLAIMTRACK_DB, else the user data folder).",
            dir_okay=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Track contested claims: who said what, when, where, and who answered it how.

    Example: claimtrack add "Armenia is massing troops" --by "Azerbaijani Defense Ministry"
    """
    ctx.obj = {"db": db}


app.command("add")(record.add)
app.command("rebut")(record.rebut)
app.command("support")(record.support)
app.command("show")(view.show)
app.command("list")(view.list_claims)
app.command("info")(view.info)
app.command("edit")(curate.edit)
app.command("delete")(curate.delete)
app.command("link")(curate.link)
app.command("unlink")(curate.unlink)
app.command("actors")(curate.actors)
app.add_typer(curate.actor_app, name="actor")
app.command("sources")(curate.sources)
app.add_typer(curate.source_app, name="source")
app.command("history")(curate.history)
app.command("undo")(curate.undo)
app.command("search")(find.search)
app.command("timeline")(find.timeline)
app.command("import")(transfer.import_)
app.command("export")(transfer.export)


def main() -> None:
    """The `claimtrack` console script."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    try:
        app(prog_name="claimtrack")
    except KeyboardInterrupt:
        render.error("Interrupted; nothing was written.")
        sys.exit(130)
    except Exception as err:  # the last safety net: a bug must not print a traceback
        render.error(
            f"claimtrack failed unexpectedly ({type(err).__name__}: {err}). "
            "Nothing was written. Please report this with the command you ran."
        )
        sys.exit(1)
