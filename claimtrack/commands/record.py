"""Recording claims: `add`, `rebut`, `support`, and `review` (a claim with a verdict)."""

from typing import Annotated

import typer

from claimtrack.commands.common import JsonFlag, store
from claimtrack.errors import InvalidInput
from claimtrack.model import NewClaim, Stance, Verdict
from claimtrack.ratings import stance_for_rating
from claimtrack.render import text as out
from claimtrack.validate import parse_claim_id, verdict

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
    rated: Verdict | None = None,
) -> None:
    """Record a claim answering `targets` (rating the target if `rated`) and report it."""
    parsed = [(parse_claim_id(target), stance) for target, stance in targets]
    written = store(ctx).add_claim(new, parsed, rated)
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
        if rated is not None:
            answers = f"rates #{parsed[0][0]} {rated.rating()}: {parsed[0][1].value}"
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


def review(
    ctx: typer.Context,
    target: Target,
    by: Annotated[str, typer.Option("--by", help="The reviewer, e.g. a fact-checker.")],
    rating: Annotated[
        str, typer.Option("--rating", help="The textual rating: False, Misleading, Faux...")
    ],
    value: Annotated[
        float | None, typer.Option("--value", help="The rating's value on its scale.")
    ] = None,
    best: Annotated[float | None, typer.Option("--best", help="The scale's best value.")] = None,
    worst: Annotated[float | None, typer.Option("--worst", help="The scale's worst value.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The review's URL.")] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The review's headline (else the rating).")
    ] = None,
    on: On = None,
    stance: Annotated[
        str | None,
        typer.Option(
            "--stance", help="refutes, disputes, qualifies or supports (else the rating's)."
        ),
    ] = None,
    side: Side = None,
    note: Note = None,
    tag: Tags = None,
    quiet: Quiet = False,
    as_json: JsonFlag = False,
) -> None:
    """Record a reviewer's verdict on claim ID: a review that answers it with a rating.

    Its stance is --stance, else the one the rating means (see the README's table).

    Example: claimtrack review 1 --by "AFP Fact Check" --rating False
    --url https://factcheck.afp.com/example
    """
    rated = verdict(rating, value, best, worst)
    chosen = (
        Stance.parse(stance)
        if stance is not None
        else stance_for_rating(rated.label, rated.value, rated.best, rated.worst)
    )
    if chosen is None:
        raise InvalidInput(
            f"claimtrack cannot tell what the rating {rated.label!r} means for the claim it "
            "rates: give --stance refutes, disputes, qualifies or supports."
        )
    new = NewClaim(title or rated.label, by, side, on, None, note, [url] if url else [], tag or [])
    _record(ctx, new, [(target, chosen)], quiet, as_json, rated)
