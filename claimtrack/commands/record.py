"""Recording claims: `add`, `rebut`, `support`."""

from typing import Annotated

import typer

from claimtrack.commands.common import JsonFlag, store
from claimtrack.errors import InvalidInput
from claimtrack.model import NewClaim, Stance
from claimtrack.render import text as out
from claimtrack.validate import parse_claim_id

Text = Annotated[
    str, typer.Argument(metavar="TEXT", help="What was claimed, in the claimant's words or yours.")
]
By = Annotated[str, typer.Option("--by", help="Who made the claim (created if new).")]
Side = Annotated[str | None, typer.Option("--side", help="The claimant's side, e.g. Armenia.")]
On = Annotated[
    str | None, typer.Option("--on", help="When it was said: YYYY, YYYY-MM or YYYY-MM-DD.")
]
Sources = Annotated[
    list[str] | None,
    typer.Option("--source", help="Where it appeared: a URL or a title (repeatable)."),
]
Quote = Annotated[str | None, typer.Option("--quote", help="The verbatim words.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")]
Note = Annotated[str | None, typer.Option("--note", help="Your own remark.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print the bare new id alone.")]
Target = Annotated[str, typer.Argument(metavar="ID", help="The claim answered, as 12 or #12.")]


def _record(
    ctx: typer.Context,
    new: NewClaim,
    targets: list[tuple[str, Stance]],
    quiet: bool,
    as_json: bool,
) -> None:
    """Record a claim answering `targets` and report it as asked."""
    parsed = [(parse_claim_id(target), stance) for target, stance in targets]
    written = store(ctx).add_claim(new, parsed)
    claim = written.recorded
    quiet_stdout = quiet or as_json
    for message in written.notices:
        out.notice(message, stderr=quiet_stdout)
    if as_json:
        out.emit_json(claim.as_json())
    elif quiet:
        out.value(claim.id)
    else:
        answers = ", ".join(f"{stance.value} #{target}" for target, stance in parsed)
        out.notice(f"Recorded claim #{claim.id}" + (f" ({answers})." if answers else "."))


def add(
    ctx: typer.Context,
    text: Text,
    by: By,
    side: Side = None,
    on: On = None,
    source: Sources = None,
    quote: Quote = None,
    tag: Tags = None,
    note: Note = None,
    quiet: Quiet = False,
    as_json: JsonFlag = False,
) -> None:
    """Record a claim and print its id.

    Example: claimtrack add "Armenia is massing troops along the border"
    --by "Azerbaijani Defense Ministry" --side Azerbaijan --on 2024-04 --tag troops
    """
    new = NewClaim(text, by, side, on, quote, note, source or [], tag or [])
    _record(ctx, new, [], quiet, as_json)


def rebut(
    ctx: typer.Context,
    target: Target,
    text: Text,
    by: By,
    stance: Annotated[
        str, typer.Option("--stance", help="refutes (default), disputes or qualifies.")
    ] = "refutes",
    side: Side = None,
    on: On = None,
    source: Sources = None,
    quote: Quote = None,
    tag: Tags = None,
    note: Note = None,
    quiet: Quiet = False,
    as_json: JsonFlag = False,
) -> None:
    """Record a claim that answers claim ID (refutes, disputes or qualifies it).

    Example: claimtrack rebut 1 "There is no Armenian military build-up"
    --by "EU Monitoring Mission in Armenia" --side EU
    """
    chosen = Stance.parse(stance)
    if chosen is Stance.SUPPORTS:
        raise InvalidInput(
            "rebut records refutes, disputes or qualifies; to corroborate, use support."
        )
    new = NewClaim(text, by, side, on, quote, note, source or [], tag or [])
    _record(ctx, new, [(target, chosen)], quiet, as_json)


def support(
    ctx: typer.Context,
    target: Target,
    text: Text,
    by: By,
    side: Side = None,
    on: On = None,
    source: Sources = None,
    quote: Quote = None,
    tag: Tags = None,
    note: Note = None,
    quiet: Quiet = False,
    as_json: JsonFlag = False,
) -> None:
    """Record a claim that corroborates claim ID.

    Example: claimtrack support 3 "Blinken reiterated the assurances" --by "Antony Blinken"
    """
    new = NewClaim(text, by, side, on, quote, note, source or [], tag or [])
    _record(ctx, new, [(target, Stance.SUPPORTS)], quiet, as_json)
