"""Generate one deterministic thread of many claims in claimtrack's flat import format (CSV).

Usage:
    python benchmarks/generate_thread.py --claims 10000 -o benchmarks/work/thread-10k.csv [--seed 1]

The same seed and size always give a byte-identical file. Standard library only (it borrows
generate.py's actors, dates and multilingual text).

What the file holds: one thread, `--claims` claims with `id` labels 1..N, of which label 1 is
the root and every other claim answers an earlier one, so the whole file is one thread under
claim 1. Columns: id, responds_to, stance, text, by, on. Each answer picks what it answers:
- 35%: the claim just before it (chains), unless that chain is already MAX_DEPTH deep;
- 20%: the root (a wide fan-out at the top);
- 20%: one of up to 50 "hub" claims (1% of claims become hubs), which draw many answers;
- 25%: any earlier claim.
About 2% of answers also answer a second earlier claim (a second row with the same label, as
the format requires). Stances mix refutes, disputes, qualifies and supports; an answer is dated
on or after what it answers (full dates).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

from generate import LANGUAGE_CUM_WEIGHTS, LANGUAGES, build_actors, build_dates, make_text

COLUMNS = ("id", "responds_to", "stance", "text", "by", "on")
STANCES = ("refutes", "disputes", "qualifies", "supports")
STANCE_CUM_WEIGHTS = (35, 60, 80, 100)
MAX_DEPTH = 40
HUB_SHARE = 0.01
HUB_SLOTS = 50
SECOND_PARENT_SHARE = 0.02


def rows(claims: int, seed: int):
    """Yield the rows (id, responds_to, stance, text, by, on) of one thread of `claims` claims."""
    rng = random.Random(seed)
    actors = [name for name, _ in build_actors(rng)]
    days = build_dates()[0]
    last_day = len(days) - 1
    depth = [0, 0]  # by label; label 0 unused
    day = [0, rng.randint(0, last_day // 2)]
    hubs: list[int] = []

    def text() -> str:
        language = rng.choices(LANGUAGES, cum_weights=LANGUAGE_CUM_WEIGHTS)[0]
        return make_text(rng, language, 80, 300)

    def stance() -> str:
        return rng.choices(STANCES, cum_weights=STANCE_CUM_WEIGHTS)[0]

    by = actors[int(len(actors) * rng.random() ** 2)]
    yield ("1", "", "", text(), by, days[day[1]])
    for label in range(2, claims + 1):
        roll = rng.random()
        if roll < 0.35 and depth[label - 1] < MAX_DEPTH:
            parent = label - 1
        elif roll < 0.55:
            parent = 1
        elif roll < 0.75 and hubs:
            parent = hubs[rng.randrange(len(hubs))]
        else:
            parent = rng.randrange(1, label)
        if depth[parent] >= MAX_DEPTH:
            parent = 1
        parents = [parent]
        if rng.random() < SECOND_PARENT_SHARE:
            second = rng.randrange(1, label)
            if second != parent and depth[second] < MAX_DEPTH:
                parents.append(second)
        depth.append(max(depth[p] for p in parents) + 1)
        day.append(min(max(day[p] for p in parents) + int(rng.random() ** 3 * 30), last_day))
        if len(hubs) < HUB_SLOTS and rng.random() < HUB_SHARE:
            hubs.append(label)
        by = actors[int(len(actors) * rng.random() ** 2)]
        said, on = text(), days[day[label]]
        for p in parents:
            yield (str(label), str(p), stance(), said, by, on)


def main(argv: list[str] | None = None) -> int:
    """Write the thread the command line asks for and report on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000, help="claims in the thread (10000)")
    parser.add_argument("-o", "--output", required=True, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args(argv)
    if args.claims < 1:
        parser.error("--claims must be at least 1")
    started = time.perf_counter()
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows(args.claims, args.seed):
            writer.writerow(row)
            count += 1
    print(
        f"wrote a thread of {args.claims} claims ({count} rows) to {target} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
