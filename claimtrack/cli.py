"""The typer app: the whole command surface in one place, and the one place where errors become
messages and exit codes.

Commands are registered lazily: `claimtrack show 1` imports and builds only `show`, since
building every command (and importing every module behind them) would cost more than the
command itself. `--help`, a missing or an unknown command get the whole app."""

import importlib
import io
import re
import shlex
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Annotated, Any, NoReturn

import typer
from typer import _click as click  # the click typer bundles (and raises from) since 0.26
from typer._click.exceptions import MissingParameter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from claimtrack import __version__
from claimtrack.errors import (
    ClaimtrackError,
    ExitStatus,
    InvalidInput,
    UsageError,
    engine_errors,
)
from claimtrack.render.text import error, notice, value, write_error


def _usage(err: UsageError, ctx: typer.Context) -> NoReturn:
    """A UsageError in the option parser's own form: the usage line of `ctx`'s command, then
    "Invalid value for '--x'" (exit 2)."""
    if err.option is None:
        ctx.fail(str(err))
    raise typer.BadParameter(str(err), ctx, param_hint=err.option) from None


class ClaimtrackGroup(TyperGroup):
    """Runs a command and turns the project's errors into one stderr message and exit code.

    Every message goes out through `claimtrack.render.text`, escaped: the option parser's own
    errors too (they quote what was typed, file names included), which `main` catches."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        given = list(sys.argv[1:] if args is None else args)
        try:
            # Not standalone: click's errors come here instead of being printed by click.
            status = super().main(given, prog_name, complete_var, False, **extra)
        except click.exceptions.ClickException as err:
            explained = (
                _explain_no_such_option(err, given)
                if isinstance(err, click.exceptions.NoSuchOption)
                else err
            )
            if isinstance(explained, ClaimtrackError):
                error(str(explained))
            else:
                _show(explained)
            sys.exit(explained.exit_code)
        except typer.Abort:
            error("Aborted; nothing was written.")
            sys.exit(ExitStatus.ERROR)
        # Not standalone, click returns an Exit's code, or a command's value (always None).
        sys.exit(status if isinstance(status, int) else ExitStatus.SUCCESS)

    # typer.Context is the context typer makes; the base class names its bundled click's parent.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            result = super().invoke(ctx)
            opened = (ctx.obj or {}).get("store")
            if opened is not None and opened.missing:
                notice(
                    f"There is no claimtrack database at {opened.location} yet, so there is "
                    "nothing to read. The first `claimtrack add` or `claimtrack import` "
                    "creates it.",
                    stderr=True,
                )
            return result
        except UsageError as err:  # from the commands of `actor` and `source`
            _usage(err, ctx)
        except ClaimtrackError as err:
            error(str(err))
            raise typer.Exit(err.exit_code) from None
        except engine_errors() as err:
            # Damaged, busy or read-only files, or a server gone, in one wording wherever met.
            from claimtrack.db import explain, resolve_path

            error(str(explain(err, resolve_path((ctx.obj or {}).get("db")))))
            raise typer.Exit(ExitStatus.ERROR) from None
        except (click.exceptions.ClickException, typer.Exit, typer.Abort):
            raise
        except Exception:
            # A failure no code path expects: on a damaged file, the damage is the news (main's
            # last net reports anything else as the bug it is).
            from claimtrack.db import damage_found, damaged

            opened = (ctx.obj or {}).get("store")
            if opened is None or isinstance(opened.path, str):  # none, or not a file
                raise
            finding = damage_found(opened.conn)
            if finding is None:
                raise
            error(str(damaged(opened.path, finding)))
            raise typer.Exit(ExitStatus.ERROR) from None


def _show(err: click.exceptions.ClickException) -> None:
    """An option parser's error as click words it (usage line, hint, message), escaped."""
    text = io.StringIO()
    err.show(file=text)
    write_error(text.getvalue())


# The arguments that name a claim by its id.
CLAIM_ID_METAVARS = {"ID", "[ID]", "RESPONSE", "TARGET", "[ID]..."}
# What an option looks like; anything else that starts with "-" is meant as a value.
OPTION_SHAPE = re.compile(r"--?[A-Za-z][A-Za-z0-9-]*(=.*)?", re.DOTALL)


def _explain_no_such_option(
    err: click.exceptions.NoSuchOption, args: list[str]
) -> click.exceptions.ClickException | ClaimtrackError:
    """An unknown option that looks like a value (`-1`, `-1+2`) explained: a negative claim id
    is not a claim id; other text needs `--` before it, shown on the command line given."""
    ctx, name = err.ctx, err.option_name
    if ctx is None or err.possibilities:
        return err
    start = args.index(ctx.info_name) + 1 if ctx.info_name in args else 0
    token = next((arg for arg in args[start:] if _spells(arg, name)), None)
    if token is None or OPTION_SHAPE.fullmatch(token):
        return err
    position = args.index(token, start)
    options, values = _split(ctx.command, args[start:position])
    later_options, later_values = _split(ctx.command, args[position + 1 :])
    arguments = [p for p in ctx.command.params if isinstance(p, TyperArgument)]
    meant = arguments[len(values)] if len(values) < len(arguments) else None
    metavar = (meant.metavar or meant.name or "").upper() if meant else ""
    if meant is not None and metavar in CLAIM_ID_METAVARS and re.fullmatch(r"-#?\d+", token):
        return InvalidInput(f"{token!r} is not a claim id: give a number such as 12 or #12.")
    before = [*args[:start], *options, *later_options, *values]
    fixed = shlex.join(["claimtrack", *before, "--", token, *later_values])
    message = (
        f"No such option: {token}. If {token} is meant as {metavar or 'a value'}, not as an "
        f"option, put -- before it: {fixed}"
    )
    return click.exceptions.UsageError(message, ctx)


def _spells(arg: str, name: str) -> bool:
    """Whether the command-line word `arg` is where the parser met the option `name`."""
    if name.startswith("--"):
        return arg == name or arg.startswith(name + "=")
    # A short option is met inside a word of them: "-1+2" gives "-1".
    return arg.startswith("-") and not arg.startswith("--") and name[1:] in arg[1:]


def _split(command: click.Command, words: list[str]) -> tuple[list[str], list[str]]:
    """The option words (with their values) and the other words of part of a command line."""
    takes_value: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, TyperOption):
            for opt in [*param.opts, *param.secondary_opts]:
                takes_value[opt] = not (param.is_flag or param.count)
    options: list[str] = []
    values: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            values.extend(words[index + 1 :])
            break
        option = word.split("=", 1)[0]
        if option in takes_value:
            options.append(word)
            if takes_value[option] and "=" not in word and index + 1 < len(words):
                options.append(words[index + 1])
                index += 1
        else:
            values.append(word)
        index += 1
    return options, values


# `-h` is `--help`, on the app and (inherited) on every command and group.
CONTEXT = {"help_option_names": ["-h", "--help"]}


# The arguments that name a claim, and what to say when one is missing: the shell drops an
# unquoted `#3` (and the rest of the line) as a comment before claimtrack sees it.
CLAIM_ARGUMENTS = {"ID", "RESPONSE", "TARGET"}  # their metavars
HASH_HINT = "(If you typed #3, the shell took it as a comment: write 3 or '#3'.)"


class ClaimtrackCommand(TyperCommand):
    """A command whose UsageError is reported with its own usage line, and whose missing claim
    id says why it may be missing."""

    # typer.Context is the context typer makes; the base class names its bundled click's parent.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UsageError as err:
            _usage(err, ctx)

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
        str | None,
        typer.Option(
            "--db",
            help=(
                "Database file, or a PostgreSQL URL postgresql://USER@HOST/NAME (default: "
                "$CLAIMTRACK_DB, else the user data folder)."
            ),
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
    ctx.obj = {"db": db, "writes": ctx.invoked_subcommand not in READS_ONLY}


# Every command: its name, then the module in claimtrack.commands and the function (or, for
# `actor` and `source`, the typer sub-app) that implements it. Listed in --help in this order.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("record", "add"),
    "rebut": ("record", "rebut"),
    "support": ("record", "support"),
    "review": ("record", "review"),
    "show": ("view", "show"),
    "list": ("view", "list_claims"),
    "threads": ("view", "threads"),
    "search": ("find", "search"),
    "timeline": ("find", "timeline"),
    "graph": ("graph", "graph"),
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
    "import": ("importing", "import_"),
    "export": ("exporting", "export"),
    "info": ("view", "info"),
    "open": ("outside", "open_claim"),
    "datasette-metadata": ("outside", "datasette_metadata"),
}


# The commands that only read the database: they never create one (SPEC "Where the data
# lives"), read a missing one as empty and open a read-only file read-only.
READS_ONLY = frozenset(
    {
        "show",
        "list",
        "threads",
        "search",
        "timeline",
        "graph",
        "actors",
        "sources",
        "history",
        "info",
        "export",
        "tags",
        "open",
        "datasette-metadata",
    }
)


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
