"""Drawing threads: `graph`."""

from pathlib import Path
from typing import Annotated

import typer

from claimtrack import graph as graphs
from claimtrack.commands.common import (
    AsOf,
    By,
    Side,
    Since,
    StandingOption,
    StatusOption,
    Tag,
    Until,
    VerdictOption,
    atomic_output,
    claim_filter,
    read_as_of,
    store,
)
from claimtrack.errors import UsageError
from claimtrack.render import text as out
from claimtrack.validate import parse_claim_id
from claimtrack.wording import plural


def _format(given: str | None, output: Path | None) -> str:
    """The graph format: --format, else the output file's extension, else DOT."""
    if given is not None:
        chosen = given.strip().lower()
        if chosen not in graphs.FORMATS:
            raise UsageError(
                f"Unknown graph format {given!r}: use one of {', '.join(graphs.FORMATS)}.",
                "--format",
            )
        return chosen
    if output is None:
        return "dot"
    guessed = graphs.format_for_path(output.name)
    if guessed is None:
        raise UsageError(
            f"Cannot tell the graph format of {output.name} from its extension (.dot, .gv, "
            ".svg, .mmd, .mermaid, .graphml, .json): give --format.",
            "--format",
        )
    return guessed


GraphFormat = Annotated[
    str | None, typer.Option("--format", help="dot (default), svg, mermaid, graphml or json.")
]
ColorBy = Annotated[
    str, typer.Option("--color-by", help="Fill nodes by standing (default) or side.")
]
GraphOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (its extension names the format).",
        dir_okay=False,
    ),
]


def graph(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...", help="The claims whose threads to draw (default: every thread)."
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
    as_of: AsOf = None,
    fmt: GraphFormat = None,
    color_by: ColorBy = "standing",
    output: GraphOutput = None,
) -> None:
    """Draw threads as a graph: a node per claim, an edge per response, by stance. The filters
    choose threads by their first claim, as in `threads`.

    Example: claimtrack graph 1 -o troops.svg
    """
    chosen = _format(fmt, output)
    if color_by not in graphs.COLOR_BY:
        raise UsageError(
            f"Unknown --color-by {color_by!r}: use {' or '.join(graphs.COLOR_BY)}.", "--color-by"
        )
    claims = store(ctx)
    read_as_of(claims, as_of)
    if ids:
        roots = [parse_claim_id(value) for value in ids]
    else:
        roots = claims.thread_roots(
            claim_filter(store(ctx), by, side, tag, status, since, until, verdict, standing)
        )
    drawn = graphs.from_threads(claims.thread(root) for root in roots)
    if not drawn.nodes:
        out.notice("No threads match: the graph is empty.", stderr=True)
    data = graphs.render(drawn, chosen, color_by)
    if output is None:
        out.data(data)
        return
    with atomic_output(output) as stream:
        stream.write(data)
    out.notice(
        f"Drew {plural(len(drawn.nodes), 'claim')} and {plural(len(drawn.edges), 'response')} "
        f"as {chosen} in {output}."
    )
