"""Benchmarks at scale: a 10,000-claim thread's graph, a ClaimReview import, a merge of two files.

Usage: python benchmarks/scale.py [--only graph,claimreview,merge] [--runs 5] [--heavy-runs 3]

Each benchmark writes its own section of benchmarks/RESULTS.md (between `<!-- scale:NAME -->`
markers, which run.py keeps when it rewrites the file), with the exact commands run. As in
run.py, every figure is a whole process (wall time, the median of several runs; peak RSS from
the kernel's accounting of each child), and the commands compared are run in turn (A B A B...)
so that a ratio is the median of per-round ratios, taken while the machine is in one state.
Inputs are made by the deterministic generators beside this script and kept in
benchmarks/work/. A command that this claimtrack does not have yet (`import --format
claimreview`, `import OTHER.db`) is recorded as not available, with its error, and the rest runs.
Standard library only, with claimtrack (and its dependency sqlite-utils) installed.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from run import SIZES, claimtrack, corpus, fresh, machine, tool

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEXT_FORMATS = ("dot", "json", "mermaid", "graphml")
# The plain tables' key (a claim answering two claims is on two rows), and the plain merge.
PLAIN_KEY = ("--pk", "uid", "--pk", "responds_to")
RAW_COPY = "INSERT OR IGNORE INTO claims SELECT * FROM b.claims"
GRAPH_TARGET = 2.0  # seconds, each text format


@dataclass
class Result:
    """The runs of one command: wall seconds, peak RSS in MiB; or why it could not run."""

    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peaks)

    def cell(self) -> str:
        if self.error and self.error.startswith("over"):
            return f"{self.error} (no figure)"
        if self.error:
            return f"did not run: {self.error}"
        return f"{self.median:.2f} s, {self.peak:.0f} MiB"


@dataclass
class Job:
    """A command to time, and what to do before each run of it (untimed)."""

    argv: list[str]
    before: Callable[[], None] | None = None
    timeout: float | None = None


def run_once(job: Job) -> tuple[float, float, str | None]:
    """One run: wall seconds, peak RSS in MiB, and an error message when it failed."""
    if job.before:
        job.before()
    start = time.perf_counter()
    try:
        process = subprocess.Popen(
            job.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as error:
        return 0.0, 0.0, str(error)
    deadline = start + job.timeout if job.timeout else None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)  # and what it started (Graphviz's dot)
            os.wait4(process.pid, 0)
            return job.timeout or 0.0, 0.0, f"over {job.timeout:.0f} s, stopped"
        time.sleep(0.002)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if code != 0:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        return elapsed, 0.0, f"exit {code}: {lines[-1] if lines else 'no message'}"
    return elapsed, usage.ru_maxrss / 1024, None


def in_turn(jobs: list[Job], runs: int) -> list[Result]:
    """Run the jobs in turn, `runs` rounds (after one untimed warm-up round); a job that fails
    once is not run again and keeps its error."""
    results = [Result(job.argv) for job in jobs]
    for round_ in range(runs + 1):
        for job, result in zip(jobs, results, strict=True):
            if result.error:
                continue
            seconds, peak, error = run_once(job)
            if error:
                result.error = error
            elif round_ > 0:
                result.seconds.append(seconds)
                result.peaks.append(peak)
    return results


def ratio(a: Result, b: Result) -> str:
    """The median of per-round ratios a/b, or a dash when either did not run."""
    if a.error or b.error or not a.seconds or not b.seconds:
        return "—"
    return f"{statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True)):.2f}"


def rel(path: Path | str) -> str:
    """A path from the repository root when it is inside it."""
    text = str(path)
    return os.path.relpath(text, ROOT) if text.startswith(str(ROOT) + os.sep) else text


def quoted(word: str) -> str:
    """A word quoted for a POSIX shell, in double quotes when it holds single quotes only."""
    if "'" in word and not any(c in word for c in '"$`\\!'):
        return f'"{word}"'
    return shlex.quote(word)


def shown(argv: list[str]) -> str:
    """A command as a reader would type it: tools by name, paths from the repository root."""
    words = [Path(argv[0]).name, *(rel(word) for word in argv[1:])]
    words = [word.replace(str(ROOT) + os.sep, "") for word in words]
    if words[1:3] == ["-m", "claimtrack"]:
        words[:3] = ["claimtrack"]
    return " ".join(quoted(word) for word in words)


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), which other work on it raises."""
    path = Path("/proc/loadavg")
    return " / ".join(path.read_text().split()[:3]) if path.exists() else "unknown"


def generated(path: Path, argv: list[str]) -> Path:
    """Make `path` with a generator once and keep it."""
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        subprocess.run([sys.executable, *argv, "-o", str(path)], check=True)
    return path


def imported(db: Path, source: Path, *extra: str) -> Path:
    """A claimtrack database made from `source` once and kept."""
    if not db.exists():
        print(f"importing {source.name} into {db.name} ...", flush=True)
        fresh(db)()
        subprocess.run(claimtrack(db, "import", str(source), *extra), check=True)
    return db


def count(db: Path, sql: str) -> int:
    """One number from a database."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def graph_section(args: argparse.Namespace) -> list[str]:
    """Time `claimtrack graph` of one thread of args.graph_claims claims in every format."""
    n = args.graph_claims
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    source = generated(
        args.work / f"thread-{label}.csv",
        [str(HERE / "generate_thread.py"), "--claims", str(n)],
    )
    db = imported(args.work / f"thread-{label}.db", source)
    claims = count(db, "SELECT count(*) FROM claims")
    links = count(db, "SELECT count(*) FROM responses")
    print(f"== graph of a {label}-claim thread", flush=True)
    jobs = [
        Job(
            claimtrack(
                db, "graph", "1", "--format", fmt, "-o", str(args.work / f"graph-{label}.{fmt}")
            )
        )
        for fmt in TEXT_FORMATS
    ]
    results = in_turn(jobs, args.runs)
    lines = [
        f"## Graph of a {n:,}-claim thread",
        "",
        f"Target: under {GRAPH_TARGET:.0f} s for each text format. The thread: one root "
        f"(claim 1) and {claims - 1:,} answers under it, {links:,} responses (chains up to 40 "
        "deep, a wide fan-out at the root and at 50 hub claims, some claims answering two), "
        f"made by `python benchmarks/generate_thread.py --claims {n} -o "
        f"{rel(source)}` and `{shown(claimtrack(db, 'import', str(source)))}`. "
        f"Median of {args.runs} runs, in turn.",
        "",
        "| format | command | time, peak memory | target |",
        "| --- | --- | --- | --- |",
    ]
    for fmt, result in zip(TEXT_FORMATS, results, strict=True):
        ok = not result.error and result.median < GRAPH_TARGET
        lines.append(
            f"| {fmt} | `{shown(result.argv)}` | {result.cell()} | "
            f"{'met' if ok else '**missed**'} |"
        )
    lines.append("")
    dot = tool("dot")
    if not dot:
        lines += ["SVG: not measured — Graphviz's `dot` is not installed.", ""]
        return lines
    dot_file = args.work / f"graph-{label}.dot"
    svg_jobs = [
        Job(
            claimtrack(
                db, "graph", "1", "--format", "svg", "-o", str(args.work / f"graph-{label}.svg")
            ),
            timeout=args.svg_timeout,
        ),
        Job(
            [dot, "-Tsvg", str(dot_file), "-o", str(args.work / f"graph-{label}-dot.svg")],
            timeout=args.svg_timeout,
        ),
    ]
    version = subprocess.run([dot, "-V"], capture_output=True, text=True).stderr.strip()
    ours, theirs = in_turn_no_warmup(svg_jobs, args.svg_runs)
    lines += [
        "SVG is Graphviz's own layout of the graph, so it is compared with `dot -Tsvg` of the "
        f"DOT file above run directly ({version}); median of {args.svg_runs} run(s), in turn, "
        "no warm-up.",
        "",
        "| command | time, peak memory |",
        "| --- | --- |",
        f"| `{shown(ours.argv)}` | {ours.cell()} |",
        f"| `{shown(theirs.argv)}` | {theirs.cell()} |",
        "",
        f"claimtrack svg ÷ dot -Tsvg: {ratio(ours, theirs)}",
        "",
    ]
    return lines


def in_turn_no_warmup(jobs: list[Job], runs: int) -> list[Result]:
    """As `in_turn`, without the warm-up round (for commands of minutes)."""
    results = [Result(job.argv) for job in jobs]
    for _ in range(runs):
        for job, result in zip(jobs, results, strict=True):
            if result.error:
                continue
            seconds, peak, error = run_once(job)
            if error:
                result.error = error
            else:
                result.seconds.append(seconds)
                result.peaks.append(peak)
    return results


def claimreview_section(args: argparse.Namespace) -> list[str]:
    """Time `claimtrack import --format claimreview` beside a CSV import and sqlite-utils."""
    n = args.reviews
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    reviews = generated(
        args.work / f"reviews-{label}.json",
        [str(HERE / "generate_claimreview.py"), "--reviews", str(n)],
    )
    flat = corpus(args.work, "10k")
    ours_db, flat_db, plain_db = (
        args.work / f"{name}-{label}.db" for name in ("claimreview", "flat", "reviews-plain")
    )
    print(f"== ClaimReview import of {label} reviews", flush=True)
    jobs = [
        Job(claimtrack(ours_db, "import", str(reviews), "--format", "claimreview"), fresh(ours_db)),
        Job(claimtrack(flat_db, "import", str(flat)), fresh(flat_db)),
    ]
    sqlite_utils = tool("sqlite-utils")
    if sqlite_utils:
        jobs.append(
            Job([sqlite_utils, "insert", str(plain_db), "reviews", str(reviews)], fresh(plain_db))
        )
    results = in_turn(jobs, args.heavy_runs)
    ours, flat_import = results[0], results[1]
    plain = results[2] if sqlite_utils else None
    with open(reviews, encoding="utf-8") as handle:
        texts = {}
        for line in handle:
            line = line.lstrip(",").strip()
            if line.startswith("{"):
                found = re.search(r'"claimReviewed":"((?:[^"\\]|\\.)*)"', line)
                if found:
                    texts[found.group(1)] = texts.get(found.group(1), 0) + 1
    several = sum(1 for times in texts.values() if times > 1)
    lines = [
        f"## ClaimReview import of {n:,} reviews",
        "",
        f"The file: `python benchmarks/generate_claimreview.py --reviews {n} -o "
        f"{rel(reviews)}` — a JSON list of {n:,} schema.org ClaimReview objects "
        f"({reviews.stat().st_size / 2**20:.1f} MiB) by 30 fact-checkers, of {len(texts):,} "
        f"claims, {several:,} ({several / len(texts):.0%}) of them reviewed by two or three. "
        "Beside it: claimtrack's CSV import of the 10k flat corpus of run.py (10,000 claims, "
        f"{flat.stat().st_size / 2**20:.1f} MiB), and `sqlite-utils insert` of the same JSON "
        "list (one row per review, the nested objects as JSON text). Each into a fresh "
        f"database; median of {args.heavy_runs} runs, in turn.",
        "",
        "| command | time, peak memory |",
        "| --- | --- |",
    ]
    for result in results:
        lines.append(f"| `{shown(result.argv)}` | {result.cell()} |")
    lines += [""]
    if ours.error:
        lines += [
            f"`import --format claimreview` did not run on this claimtrack ({ours.error}), so "
            "there is no ratio for it yet; rerun `python benchmarks/scale.py --only claimreview` "
            "once it lands.",
            "",
        ]
    else:
        held = count(ours_db, "SELECT count(*) FROM claims")
        verdicts = count(ours_db, "SELECT count(*) FROM verdicts")
        lines += [
            f"- claimreview import ÷ CSV import of 10k claims: {ratio(ours, flat_import)}",
            f"- claimreview import ÷ sqlite-utils insert: {ratio(ours, plain) if plain else '—'}",
            f"- the database after it: {held:,} claims (expected {len(texts) + n:,}: the "
            f"reviewed claims and one claim per review), {verdicts:,} verdicts "
            f"(expected {n:,})",
            "",
        ]
    if plain:
        lines += [f"CSV import ÷ sqlite-utils insert of the JSON: {ratio(flat_import, plain)}", ""]
    return lines


def merge_inputs(args: argparse.Namespace) -> tuple[Path, Path, int, int]:
    """Corpus A (n claims, seed 1, with uids) and B (A's first 60%, then 40% new claims of
    seed 2 with their labels moved past A's), as CSV files; and the shared and new counts."""
    n = args.merge_claims
    shared = n * 6 // 10
    new = n - shared
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    a = generated(
        args.work / f"merge-a-{label}.csv",
        [str(HERE / "generate.py"), "--claims", str(n), "--uids", "--seed", "1"],
    )
    extra = generated(
        args.work / f"merge-new-{new}.csv",
        [str(HERE / "generate.py"), "--claims", str(new), "--uids", "--seed", "2"],
    )
    b = args.work / f"merge-b-{label}.csv"
    if not b.exists():
        print(f"writing {b.name} ...", flush=True)
        with (
            open(a, encoding="utf-8", newline="") as first,
            open(extra, encoding="utf-8", newline="") as second,
            open(b, "w", encoding="utf-8", newline="") as out,
        ):
            writer = csv.writer(out, lineterminator="\n")
            reader = csv.reader(first)
            writer.writerow(next(reader))
            for row in reader:
                if int(row[0]) <= shared:
                    writer.writerow(row)
            reader = csv.reader(second)
            next(reader)
            for row in reader:
                row[0] = str(int(row[0]) + shared)
                if row[2]:
                    row[2] = str(int(row[2]) + shared)
                writer.writerow(row)
    return a, b, shared, new


def merge_section(args: argparse.Namespace) -> list[str]:
    """Time `claimtrack import B.db` into a copy of A beside plain-tool merges."""
    n = args.merge_claims
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    a_csv, b_csv, shared, new = merge_inputs(args)
    a_db = imported(args.work / f"merge-a-{label}.db", a_csv)
    b_db = imported(args.work / f"merge-b-{label}.db", b_csv)
    sqlite_utils, shell = tool("sqlite-utils"), tool("sqlite3")
    a_plain, b_plain = (args.work / f"merge-{x}-{label}-plain.db" for x in "ab")
    for plain, source in ((a_plain, a_csv), (b_plain, b_csv)):
        if sqlite_utils and not plain.exists():
            print(f"inserting {source.name} into {plain.name} ...", flush=True)
            subprocess.run(
                [sqlite_utils, "insert", str(plain), "claims", str(source), "--csv", *PLAIN_KEY],
                check=True,
            )
    target = args.work / f"merge-target-{label}.db"
    plain_target = args.work / f"merge-target-{label}-plain.db"

    def copy_of(master: Path, copy: Path) -> Callable[[], None]:
        def reset() -> None:
            fresh(copy)()
            shutil.copyfile(master, copy)

        return reset

    print(f"== merge of two {label}-claim files", flush=True)
    raw_sql = f"ATTACH '{b_plain}' AS b; {RAW_COPY}"
    jobs = [
        Job(claimtrack(target, "import", str(b_db)), copy_of(a_db, target)),
        Job(claimtrack(target, "import", str(b_csv)), copy_of(a_db, target)),
    ]
    if shell and sqlite_utils:
        jobs.append(Job([shell, str(plain_target), raw_sql], copy_of(a_plain, plain_target)))
    elif sqlite_utils:
        jobs.append(
            Job(
                [sqlite_utils, "query", str(plain_target), "--attach", "b", str(b_plain), RAW_COPY],
                copy_of(a_plain, plain_target),
            )
        )
    results = in_turn(jobs, args.heavy_runs)
    ours, via_csv = results[0], results[1]
    raw = results[2] if len(results) > 2 else None
    a_claims = count(a_db, "SELECT count(*) FROM claims")
    b_claims = count(b_db, "SELECT count(*) FROM claims")
    a_size, b_size = a_db.stat().st_size / 2**20, b_db.stat().st_size / 2**20
    after_csv = None
    if not via_csv.error:
        copy_of(a_db, target)()
        subprocess.run(claimtrack(target, "import", str(b_csv)), check=True, capture_output=True)
        after_csv = count(target, "SELECT count(*) FROM claims")
    lines = [
        f"## Merging two {n:,}-claim files",
        "",
        f"A: `python benchmarks/generate.py --claims {n} --uids --seed 1 -o "
        f"{rel(a_csv)}` imported into `{rel(a_db)}` ({a_claims:,} claims, "
        f"{a_size:.0f} MiB). B: A's first {shared:,} claims (same uids) and {new:,} new ones "
        f"(`generate.py --claims {new} --uids --seed 2`, labels moved past A's), written to "
        f"`{rel(b_csv)}` and imported into `{rel(b_db)}` ({b_claims:,} "
        f"claims, {b_size:.0f} MiB). Every run merges B into a fresh copy of A (the copy is "
        f"not timed); median of {args.heavy_runs} runs, in turn. The plain baseline is a "
        "row copy between two plain tables (`sqlite-utils insert --csv --pk uid --pk "
        "responds_to` of the same CSV files), skipping rows whose uid is already there: no "
        "actors, sources, tags, links, search index or change log.",
        "",
        "| command | time, peak memory |",
        "| --- | --- |",
    ]
    for result in results:
        lines.append(f"| `{shown(result.argv)}` | {result.cell()} |")
    lines.append("")
    if ours.error:
        lines.append(
            f"- `import B.db` did not run on this claimtrack ({ours.error}); rerun `python "
            "benchmarks/scale.py --only merge` once it lands."
        )
    else:
        merged = count(target, "SELECT count(*) FROM claims")
        lines += [
            f"- import B.db ÷ plain row copy: {ratio(ours, raw) if raw else '—'}",
            f"- import B.db ÷ import of B's CSV: {ratio(ours, via_csv)}",
            f"- claims after the merge: {merged:,} (expected {a_claims + new:,})",
        ]
    if after_csv is not None:
        lines.append(
            f"- claims after importing B's CSV: {after_csv:,} (expected {a_claims + new:,})"
        )
    if raw:
        lines.append(f"- import of B's CSV ÷ plain row copy: {ratio(via_csv, raw)}")
    lines.append("")
    return lines


SECTIONS = {"graph": graph_section, "claimreview": claimreview_section, "merge": merge_section}
MARK = "<!-- scale:{} -->"
END = "<!-- /scale:{} -->"


def write_section(out: Path, name: str, lines: list[str]) -> None:
    """Put this benchmark's section into the results file, replacing its previous one."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmark results\n"
    block = "\n".join([MARK.format(name), *lines, END.format(name)])
    pattern = re.compile(re.escape(MARK.format(name)) + r".*?" + re.escape(END.format(name)), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text, encoding="utf-8")


def main() -> None:
    """Run the benchmarks named on the command line and write their sections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="graph,claimreview,merge")
    parser.add_argument("--runs", type=int, default=5, help="runs of each graph command")
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of each import/merge")
    parser.add_argument("--svg-runs", type=int, default=1, help="runs of each SVG layout")
    parser.add_argument("--svg-timeout", type=float, default=900, help="seconds per SVG run")
    parser.add_argument("--graph-claims", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--merge-claims", type=int, default=SIZES["100k"])
    parser.add_argument("--work", type=Path, default=HERE / "work", help="inputs and databases")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}: use {', '.join(SECTIONS)}")
    args.work.mkdir(parents=True, exist_ok=True)
    about = machine()
    for name in names:
        started, load_before = time.perf_counter(), load()
        lines = SECTIONS[name](args)
        lines += [
            "Run on: " + "; ".join(line.removeprefix("- ") for line in about) + "; load "
            f"average (1/5/15 min) {load_before} before, {load()} after.",
            "",
            f"Reproduce: `python benchmarks/scale.py --only {name}"
            + (
                f" --runs {args.runs} --svg-runs {args.svg_runs} --svg-timeout {args.svg_timeout:g}"
                if name == "graph"
                else f" --heavy-runs {args.heavy_runs}"
            )
            + "`",
        ]
        write_section(args.out, name, lines)
        print("\n".join(lines), flush=True)
        print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
