"""Curating the record: `edit`, `delete`, `link`, `unlink`, `actors`, `actor edit|merge`,
`sources`, `source edit`, `history`, `undo`."""

import sys
from typing import Annotated

import typer

from claimtrack.commands.common import (
    AllFlag,
    JsonFlag,
    LimitOption,
    NoPagerFlag,
    page_limit,
    store,
)
from claimtrack.errors import InvalidInput
from claimtrack.model import ClaimEdit, Stance, Written
from claimtrack.render import curation as tables
from claimtrack.render import text as out
from claimtrack.render.pages import more_notice
from claimtrack.validate import parse_claim_id

ClaimId = Annotated[str, typer.Argument(metavar="ID", help="The claim, as 12 or #12.")]
ResponseId = Annotated[
    str, typer.Argument(metavar="RESPONSE", help="The answering claim, as 12 or #12.")
]
TargetId = Annotated[str, typer.Argument(metavar="TARGET", help="The claim answered.")]


def _sentence(prefix: str, changes: list[str]) -> str:
    return f"{prefix}: " + "; ".join(changes) + "."


def _report(outcome: Written, done: str, quiet_stdout: bool = False) -> None:
    """Tell what a write did (notices first, as `add` does), or that it changed nothing."""
    for message in outcome.notices:
        out.notice(message, stderr=quiet_stdout)
    if outcome.change_id is None:
        out.notice("Nothing changed: the values given are the ones recorded.", quiet_stdout)
    elif outcome.changes:
        out.notice(_sentence(done, outcome.changes), quiet_stdout)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question on stdin (tests replace this)."""
    return sys.stdin.isatty()


# The options of `edit` beside the fields of `add`.
AddTag = Annotated[list[str] | None, typer.Option("--add-tag", help="A tag to add (repeatable).")]
RemoveTag = Annotated[
    list[str] | None, typer.Option("--remove-tag", help="A tag to remove (repeatable).")
]
AddSource = Annotated[
    list[str] | None,
    typer.Option("--add-source", help="A source to add, URL or title (repeatable)."),
]
RemoveSource = Annotated[
    list[str] | None,
    typer.Option("--remove-source", help="A source to remove, URL or title (repeatable)."),
]
Rating = Annotated[str | None, typer.Option("--rating", help="A review's new rating label.")]
RatingValue = Annotated[
    str | None, typer.Option("--value", help='A review\'s rating value; "" clears it.')
]
RatingBest = Annotated[
    str | None, typer.Option("--best", help='Its scale\'s best value; "" clears it.')
]
RatingWorst = Annotated[
    str | None, typer.Option("--worst", help='Its scale\'s worst value; "" clears it.')
]


def edit(
    ctx: typer.Context,
    claim_id: ClaimId,
    text: Annotated[str | None, typer.Option("--text", help="The new text.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="The claimant (an unknown name creates the actor).")
    ] = None,
    side: Annotated[
        str | None, typer.Option("--side", help="The claimant's side, if it has none yet.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help='The date, YYYY[-MM[-DD]]; "" clears it.')
    ] = None,
    quote: Annotated[str | None, typer.Option("--quote", help='The quote; "" clears it.')] = None,
    note: Annotated[str | None, typer.Option("--note", help='Your note; "" clears it.')] = None,
    add_tag: AddTag = None,
    remove_tag: RemoveTag = None,
    add_source: AddSource = None,
    remove_source: RemoveSource = None,
    rating: Rating = None,
    value: RatingValue = None,
    best: RatingBest = None,
    worst: RatingWorst = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a claim; it keeps its id and uid, and the change is kept in the history.

    An empty value clears an optional field: --on "", --quote "", --note "". A review's rating
    changes with --rating, --value, --best and --worst (its stance stays as linked).

    Example: claimtrack edit 3 --on 2024-04-05 --add-tag ceasefire --quote ""
    """
    changes = ClaimEdit(
        text=text,
        by=by,
        side=side,
        on=on,
        quote=quote,
        note=note,
        add_tags=add_tag or [],
        remove_tags=remove_tag or [],
        add_sources=add_source or [],
        remove_sources=remove_source or [],
        rating=rating,
        value=value,
        best=best,
        worst=worst,
    )
    if changes == ClaimEdit():
        ctx.fail("Nothing to change: give at least one option, such as --text or --add-tag.")
    parsed = parse_claim_id(claim_id)
    outcome = store(ctx).edit_claim(parsed, changes)
    _report(outcome, f"Edited claim #{parsed}", quiet_stdout=as_json)
    if as_json:
        out.emit_json(outcome.recorded.as_json())


def delete(
    ctx: typer.Context,
    claim_id: ClaimId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete a claim; the claims answering it stay and lose only that link.

    Asks first on a terminal; from a script (stdin not a terminal) give --yes.

    Example: claimtrack delete 7 --yes
    """
    parsed = parse_claim_id(claim_id)
    claims = store(ctx)
    claim = claims.get(parsed)
    answers = claims.responders(parsed)
    kept = ", ".join(f"#{i}" for i in answers)
    if not yes:
        if not stdin_is_terminal():
            raise InvalidInput(
                f"Deleting claim #{parsed} needs confirmation, and stdin is not a terminal: "
                f"run `claimtrack delete {parsed} --yes` to delete it."
            )
        question = f"Delete claim #{parsed} by {claim.by}: {claim.text}"
        if answers:
            question += f" (answered by {kept}, which stay)"
        if not typer.confirm(out.safe(question + "?")):
            out.notice(f"Kept claim #{parsed}; nothing was deleted.")
            return
    claims.delete_claim(parsed)
    message = f"Deleted claim #{parsed}."
    if answers:
        message += f" Kept the claims that answered it, without that link: {kept}."
    out.notice(message + " To bring it back, run `claimtrack undo` now.")


def link(
    ctx: typer.Context,
    response_id: ResponseId,
    target_id: TargetId,
    stance: Annotated[
        str, typer.Option("--stance", help="refutes, disputes, qualifies or supports.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Record that claim RESPONSE answers claim TARGET, both already recorded.

    Example: claimtrack link 4 2 --stance disputes
    """
    chosen = Stance.parse(stance)
    response, target = parse_claim_id(response_id), parse_claim_id(target_id)
    outcome = store(ctx).link(response, target, chosen)
    if as_json:
        out.emit_json(outcome.recorded.as_json())
    else:
        out.notice(f"Linked: #{response} {chosen.value} #{target}.")


def unlink(
    ctx: typer.Context, response_id: ResponseId, target_id: TargetId, as_json: JsonFlag = False
) -> None:
    """Remove the link by which claim RESPONSE answers claim TARGET; both claims stay.

    Example: claimtrack unlink 4 2
    """
    response, target = parse_claim_id(response_id), parse_claim_id(target_id)
    outcome = store(ctx).unlink(response, target)
    if as_json:
        out.emit_json(outcome.recorded.as_json())
    else:
        out.notice(_sentence("Unlinked", outcome.changes))


def actors(
    ctx: typer.Context,
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """List actors with their claims and answers by stance, and who answers whom by side.

    Example: claimtrack actors
    """
    wanted = page_limit(limit, show_all, machine=as_json)
    report = store(ctx).actors()
    everyone = len(report["actors"])
    report["actors"] = report["actors"][:wanted]
    if as_json:
        out.emit_json(report)
    else:
        tables.actors(report, pager=not no_pager)
    if wanted is not None:
        more_notice(len(report["actors"]), everyone - len(report["actors"]), "actor", wanted)


actor_app = typer.Typer(
    help="Fix an actor, or merge two names for one actor.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@actor_app.command("edit")
def actor_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The actor, as in `actors`.")],
    new_name: Annotated[str | None, typer.Option("--name", help="The new name.")] = None,
    side: Annotated[str | None, typer.Option("--side", help='The side; "" clears it.')] = None,
    note: Annotated[str | None, typer.Option("--note", help='Your note; "" clears it.')] = None,
) -> None:
    """Rename an actor or change its side or note.

    Example: claimtrack actor edit "Armenian military" --side Armenia
    """
    if new_name is None and side is None and note is None:
        ctx.fail("Nothing to change: give --name, --side or --note.")
    outcome = store(ctx).actor_edit(name, new_name, side, note)
    _report(outcome, f"Edited actor {outcome.subject}")


@actor_app.command("merge")
def actor_merge(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name to merge away.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The actor that stays.")],
) -> None:
    """Merge two names for one actor: NAME's claims move to INTO, and NAME is removed.

    Example: claimtrack actor merge "Armenian military" "Armenian Defense Ministry"
    """
    outcome = store(ctx).actor_merge(name, into)
    out.notice(f"Merged actor {outcome.changes[0]}.")
    for message in outcome.notices:
        out.notice(message)


def sources(
    ctx: typer.Context,
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """List sources with how many claims cite each, most cited first.

    Example: claimtrack sources --json
    """
    wanted = page_limit(limit, show_all, machine=as_json)
    recorded = store(ctx)
    rows = recorded.sources(None if wanted is None else wanted + 1)
    more = 0
    if wanted is not None and len(rows) > wanted:
        rows = rows[:wanted]
        more = recorded.count_sources() - wanted
    if as_json:
        out.emit_json([row.as_json() for row in rows])
    else:
        tables.sources(rows, pager=not no_pager)
    if wanted is not None:
        more_notice(len(rows), more, "source", wanted)


def tags(
    ctx: typer.Context,
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """List tags with how many claims carry each, most carried first.

    Example: claimtrack tags --limit 10
    """
    wanted = page_limit(limit, show_all, machine=as_json)
    recorded = store(ctx)
    rows = recorded.tags(None if wanted is None else wanted + 1)
    more = 0
    if wanted is not None and len(rows) > wanted:
        rows = rows[:wanted]
        more = recorded.count_tags() - wanted
    if as_json:
        out.emit_json([{"tag": tag, "claims": count} for tag, count in rows])
    else:
        tables.tags(rows, pager=not no_pager)
    if wanted is not None:
        more_notice(len(rows), more, "tag", wanted)


source_app = typer.Typer(
    help="Describe a source once for every claim that cites it.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@source_app.command("edit")
def source_edit(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="URL_OR_TITLE", help="The source, by its URL or its title.")
    ],
    title: Annotated[str | None, typer.Option("--title", help="Its title.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published it.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="When: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    archived_url: Annotated[
        str | None, typer.Option("--archived-url", help="An archived copy's URL.")
    ] = None,
) -> None:
    """Describe a source; every claim citing it shows the change. "" clears a field.

    Example: claimtrack source edit https://www.azatutyun.am/a/32892927.html
    --title "Baku Again Blasts U.S.-EU-Armenia Talks" --outlet Azatutyun --published 2024-04-05
    """
    if title is None and outlet is None and published is None and archived_url is None:
        ctx.fail("Nothing to change: give --title, --outlet, --published or --archived-url.")
    outcome = store(ctx).source_edit(source, title, outlet, published, archived_url)
    _report(outcome, f"Edited source {outcome.subject}")


def history(
    ctx: typer.Context,
    claim_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="Only the changes touching this claim."),
    ] = None,
    limit: LimitOption = None,
    show_all: AllFlag = False,
    no_pager: NoPagerFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Show what changed and when, newest first: every add, edit, link, delete, import, undo.

    Example: claimtrack history 3 --limit 10
    """
    parsed = parse_claim_id(claim_id) if claim_id is not None else None
    wanted = page_limit(limit, show_all, machine=as_json)
    recorded = store(ctx)
    # One more than asked says whether older changes were left out.
    changes = recorded.history(parsed, None if wanted is None else wanted + 1, rows=as_json)
    if parsed is not None and not changes:
        # A deleted claim still has its history; a claim that never was is an error, as in show.
        recorded.require_claim(parsed)
    more = 0
    if wanted is not None and len(changes) > wanted:
        changes = changes[:wanted]
        more = recorded.count_history(parsed) - wanted
    if as_json:
        out.emit_json([change.as_json() for change in changes])
    else:
        tables.history(changes, parsed, pager=not no_pager)
    if wanted is not None:
        more_notice(len(changes), more, "change", wanted)


# Undoing an import or merge that wrote more claims than this asks first, as `delete` does.
UNDO_ASKS_ABOVE = 1_000
BIG_CHANGES = {"import", "actor-merge"}


def undo(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Undo a large import or merge without asking.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Reverse the most recent change not yet undone (an import counts as one change).

    Run it again to reverse the change before that; an undo itself is never undone. Undoing
    an import or merge of more than 1,000 claims asks first on a terminal, and needs --yes
    from a script.

    Example: claimtrack undo
    """
    claims = store(ctx)
    upcoming = claims.next_undo()
    if upcoming is not None and not yes:
        change_id, action, summary, count = upcoming
        if action in BIG_CHANGES and count > UNDO_ASKS_ABOVE:
            if not stdin_is_terminal():
                raise InvalidInput(
                    f"Undoing change #{change_id} ({action}) touches {count:,} claims and needs "
                    "confirmation, and stdin is not a terminal: run `claimtrack undo --yes`."
                )
            question = f"Undo change #{change_id} ({action}: {summary}), {count:,} claims?"
            if not typer.confirm(out.safe(question)):
                out.notice(f"Kept change #{change_id}; nothing was undone.")
                return
    written = claims.undo()
    assert written.change is not None and written.undone is not None  # what undo always gives
    if as_json:
        out.emit_json(written.change.as_json())
    else:
        undone = written.undone
        out.notice(f"Undid change #{undone.id} ({undone.action}): {undone.summary}.")
