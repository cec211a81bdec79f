"""The typer app: the whole command surface in one place, and the one place where errors become
messages and exit codes.

Commands are registered lazily: `claimtrack show 1` imports and builds only `show`, since
building every command (and importing every module behind them) would cost more than the
command itself. `--help`, a missing or an unknown command get the whole app."""

import importlib
import sqlite3
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import MissingParameter
from typer.core import TyperCommand, TyperGroup

from claimtrack import __version__
from claimtrack.errors import ClaimtrackError, ExitStatus, UsageError
from claimtrack.render.text import error, value


class ClaimtrackGroup(TyperGroup):
    """Runs a command and turns the project's errors into one stderr message and exit code."""

    # typer.Context is the context typer makes; the base class names its bundled click's parent.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UsageError as err:
            # The option parser's own form: the usage line, then "Invalid value for '--x'".
            if err.option is None:
                ctx.fail(str(err))
            raise typer.BadParameter(str(err), ctx, param_hint=err.option) from None
        except ClaimtrackError as err:
            error(str(err))
            raise typer.Exit(err.exit_code) from None
        except sqlite3.Error as err:
            error(f"The database could not be used: {err}. Nothing was written.")
            raise typer.Exit(ExitStatus.ERROR) from None


# `-h` is `--help`, on the app and (inherited) on every command and group.
CONTEXT = {"help_option_names": ["-h", "--help"]}


# The arguments that name a claim, and what to say when one is missing: the shell drops an
# unquoted `#3` (and the rest of the line) as a comment before claimtrack sees it.
CLAIM_ARGUMENTS = {"ID", "RESPONSE", "TARGET"}  # their metavars
HASH_HINT = "(If you typed #3, the shell took it as a comment: write 3 or '#3'.)"


class ClaimtrackCommand(TyperCommand):
    """A command whose missing claim id says why it may be missing."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except MissingParameter as err:
            if getattr(err.param, "metavar", None) in CLAIM_ARGUMENTS:
                err.message = HASH_HINT
            raise


def _version(wanted: bool) -> None:
    if wanted:
        value(f"claimtrack {__version__}")
        raise typer.Exit(ExitStatus.SUCCESS)


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


# Every command: its name, then the module in claimtrack.commands and the function (or, for
# `actor` and `source`, the typer sub-app) that implements it. Listed in --help in this order.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("record", "add"),
    "rebut": ("record", "rebut"),
    "support": ("record", "support"),
    "review": ("record", "review"),
    "show": ("view", "show"),
    "list": ("view", "list_claims"),
    "search": ("find", "search"),
    "timeline": ("find", "timeline"),
    "edit": ("curate", "edit"),
    "delete": ("curate", "delete"),
    "link": ("curate", "link"),
    "unlink": ("curate", "unlink"),
    "actors": ("curate", "actors"),
    "actor": ("curate", "actor_app"),
    "sources": ("curate", "sources"),
    "source": ("curate", "source_app"),
    "tags": ("curate", "tags"),
    "history": ("curate", "history"),
    "undo": ("curate", "undo"),
    "import": ("transfer", "import_"),
    "export": ("transfer", "export"),
    "info": ("view", "info"),
    "open": ("outside", "open_claim"),
    "datasette-metadata": ("outside", "datasette_metadata"),
}


def build_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The claimtrack app with the named commands registered."""
    app = typer.Typer(
        name="claimtrack",
        cls=ClaimtrackGroup,
        help="Track contested claims: who said what, when, where, and who answered it how.",
        no_args_is_help=True,
        # --install-completion and --show-completion (typer's, via shellingham).
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings=CONTEXT,
    )
    app.callback()(main_options)
    for name in names:
        module, attribute = COMMANDS[name]
        target = getattr(importlib.import_module(f"claimtrack.commands.{module}"), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name, cls=ClaimtrackCommand)(target)
    return app


def commands_needed(args: list[str]) -> list[str]:
    """The commands to build for a command line: the one it names, none for `--version`, or
    all of them (for --help, no command or a mistake, which the whole app explains)."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--db":
            index += 2
        elif arg.startswith("--db="):
            index += 1
        elif arg == "--version":
            return []
        elif arg in COMMANDS:
            return [arg]
        else:
            break
    return list(COMMANDS)


@cache
def full_app() -> typer.Typer:
    """The app with every command: for --help, for mistakes, and for tests."""
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    # `from claimtrack.cli import app` (tests, embedding) gets the whole app, built on demand.
    if name == "app":
        return full_app()
    raise AttributeError(name)


def main() -> None:
    """The `claimtrack` console script."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    try:
        build_app(commands_needed(sys.argv[1:]))(prog_name="claimtrack")
    except KeyboardInterrupt:
        error("Interrupted; nothing was written.")
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as err:  # the last safety net: a bug must not print a traceback
        error(
            f"claimtrack failed unexpectedly ({type(err).__name__}: {err}). "
            "Nothing was written. Please report this with the command you ran."
        )
        sys.exit(ExitStatus.ERROR)
