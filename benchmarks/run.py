"""Run every claimtrack benchmark and write the results table to benchmarks/RESULTS.md.

Usage: python benchmarks/run.py [--sizes 10k,100k,1m] [--runs 5] [--import-runs 3]

Everything is measured as whole processes (wall time, median of several runs; peak RSS from the
kernel's accounting of each child), and compared with the tools a user would otherwise pick, in
the same run: the commands compared run in turn (A B C A B C ...), and each ratio is the median
of the per-round ratios, so that a machine whose speed drifts moves both sides alike. Corpora
come from benchmarks/generate.py (deterministic) and are kept in benchmarks/work/ between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BIN = Path(sys.executable).parent
COMMON_WORD = "ceasefire"
WEEK = ("2023-03-06", "2023-03-12")
# claimtrack's page on a terminal (claimtrack.render.pages.PAGE).
PAGE = 25
# The targets (the performance issue's).
IMPORT_VS_SHELL = 9.0
IMPORT_VS_UTILS = 2.0
IMPORT_PEAK_MIB = 300
EXPORT_VS_UTILS = 1.3
SHOW_VS_FLOOR = 1.25
PAGED_VS_FLOOR = 1.5
QUERY_GROWTH = 1.1


@dataclass
class Measure:
    """The median wall time and the largest peak RSS over several runs of one command, and
    each run's wall time in the order of the rounds."""

    seconds: float
    peak_mib: float
    rounds: list[float]


@dataclass
class Command:
    """A command to time: its argv, a hook run before each run (not timed), and where its
    stdout goes (else nowhere)."""

    argv: list[str]
    before: Callable[[], None] | None = None
    stdout_path: Path | None = None


def ratio(a: Measure, b: Measure) -> float:
    """The median of the per-round ratios of a's time to b's (run in turn)."""
    return statistics.median(x / y for x, y in zip(a.rounds, b.rounds, strict=True))


def tool(name: str) -> str | None:
    """A command next to this Python (a virtualenv's bin) or on PATH; None if not installed."""
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


def run_once(argv: list[str], stdout_path: Path | None = None) -> tuple[float, float]:
    """Run one process to completion; its wall time in seconds and peak RSS in MiB."""
    out = open(stdout_path, "wb") if stdout_path else None  # noqa: SIM115
    try:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL if out is None else out, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    finally:
        if out is not None:
            out.close()
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {argv}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def in_turn(
    commands: list[Command | None], runs: int, warm_up: bool = False
) -> list[Measure | None]:
    """Each command run `runs` times, in turn (A B A B ...), after one untimed round if
    `warm_up`; None (a tool not installed) stays None."""
    present = [command for command in commands if command is not None]
    times: dict[int, list[float]] = {id(command): [] for command in present}
    peaks: dict[int, list[float]] = {id(command): [] for command in present}
    for round_ in range(runs + warm_up):
        for command in present:
            if command.before:
                command.before()
            seconds, peak = run_once(command.argv, command.stdout_path)
            if warm_up and round_ == 0:
                continue
            times[id(command)].append(seconds)
            peaks[id(command)].append(peak)
    return [
        None
        if command is None
        else Measure(
            statistics.median(times[id(command)]), max(peaks[id(command)]), times[id(command)]
        )
        for command in commands
    ]


def fresh(*paths: Path):
    """A `before` hook deleting database files (and their WAL companions)."""

    def reset() -> None:
        for path in paths:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)

    return reset


def claimtrack(db: Path, *args: str) -> list[str]:
    """The argv of one claimtrack command on database `db`."""
    exe = tool("claimtrack")
    base = [exe] if exe else [sys.executable, "-m", "claimtrack"]
    return [*base, "--db", str(db), *args]


def corpus(work: Path, size: str) -> Path:
    """The generated corpus of this size, made once and kept."""
    path = work / f"corpus-{size}.csv"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--claims",
                str(SIZES[size]),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def deep_thread(db: Path) -> tuple[int, int, int]:
    """A thread of the greatest depth, the smallest of those (so that its size, and so the
    work of drawing it, is alike at every corpus size): its root, depth and claim count."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            """WITH RECURSIVE walk(id, root, depth) AS (
                   SELECT id, id, 0 FROM claims
                   WHERE id NOT IN (SELECT response_id FROM responses)
                   UNION ALL
                   SELECT r.response_id, w.root, w.depth + 1
                   FROM responses r JOIN walk w ON r.target_id = w.id
               )
               SELECT root, max(depth) AS deepest, count(DISTINCT id) AS size FROM walk
               GROUP BY root ORDER BY deepest DESC, size, root LIMIT 1"""
        ).fetchone()


def machine() -> list[str]:
    """A description of this machine and the versions measured."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    sqlite_shell = tool("sqlite3")
    shell_version = (
        subprocess.run([sqlite_shell, "--version"], capture_output=True, text=True).stdout.split()[
            0
        ]
        if sqlite_shell
        else "not installed"
    )
    version = subprocess.run(
        claimtrack(Path("unused.db"), "--version"), capture_output=True, text=True
    )
    return [
        f"- Machine: {platform.platform()}, {cpu}, {os.cpu_count()} cores, {memory} memory",
        f"- Python {platform.python_version()}, SQLite library {sqlite3.sqlite_version}, "
        f"sqlite3 shell {shell_version}, {version.stdout.strip()}",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]


def fmt(m: Measure | None) -> str:
    """A time and peak memory for the table."""
    return "—" if m is None else f"{m.seconds:.2f} s, {m.peak_mib:.0f} MiB"


def verdict(ok: bool) -> str:
    """How a target fared."""
    return "met" if ok else "**missed**"


def kept_sections(out: Path) -> str:
    """The sections scale.py wrote into the results file (between `<!-- scale:NAME -->` and
    `<!-- /scale:NAME -->`), to keep when this run rewrites the rest of it."""
    if not out.exists():
        return ""
    text = out.read_text(encoding="utf-8")
    found = re.finditer(r"<!-- scale:([\w-]+) -->.*?<!-- /scale:\1 -->", text, re.S)
    return "".join(f"\n{block.group(0)}\n" for block in found)


def main() -> None:
    """Run the benchmarks named on the command line and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="corpora to run: 10k,100k,1m")
    parser.add_argument("--runs", type=int, default=7, help="runs of each quick command")
    parser.add_argument("--import-runs", type=int, default=3, help="runs of each import/export")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="corpora and databases")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    sqlite_utils, sqlite_shell = tool("sqlite-utils"), tool("sqlite3")
    lines = ["# Benchmark results", "", *machine(), ""]
    skipped = [
        name for name, exe in [("sqlite-utils", sqlite_utils), ("sqlite3", sqlite_shell)] if not exe
    ]
    if skipped:
        lines += [f"Not installed, so not compared: {', '.join(skipped)}.", ""]

    # Start-up: the floor every command pays.
    floor_command = Command([sys.executable, "-c", "import typer, rich.table"])
    floor, version, help_ = in_turn(
        [
            floor_command,
            Command(claimtrack(args.work / "unused.db", "--version")),
            Command(claimtrack(args.work / "unused.db", "--help")),
        ],
        args.runs,
        warm_up=True,
    )
    assert floor and version and help_
    lines += [
        "## Start-up",
        "",
        "| command | time, peak memory | × floor |",
        "| --- | --- | --- |",
        f'| `python -c "import typer, rich.table"` (the floor) | {fmt(floor)} | 1.00 |',
        f"| `claimtrack --version` | {fmt(version)} | {ratio(version, floor):.2f} |",
        f"| `claimtrack --help` | {fmt(help_)} | {ratio(help_, floor):.2f} |",
        "",
    ]

    imports: list[tuple[str, Measure, Measure | None, Measure | None]] = []
    exports: list[tuple[str, Measure, Measure | None, Measure | None]] = []
    # Per size and query: its measure, and its time as a multiple of the floor run in turn.
    queries: dict[str, dict[str, tuple[Measure, float]]] = {}
    shown = {}
    for size in sizes:
        print(f"== {size}", flush=True)
        source = corpus(args.work, size)
        db, plain, shell_db = (
            args.work / f"{name}-{size}.db" for name in ("claimtrack", "plain", "shell")
        )
        ours, theirs, shell = in_turn(
            [
                Command(claimtrack(db, "import", str(source)), fresh(db)),
                Command(
                    [sqlite_utils, "insert", str(plain), "claims", str(source), "--csv"],
                    fresh(plain),
                )
                if sqlite_utils
                else None,
                Command(
                    [sqlite_shell, str(shell_db), ".import --csv " + str(source) + " claims"],
                    fresh(shell_db),
                )
                if sqlite_shell
                else None,
            ],
            args.import_runs,
        )
        assert ours
        imports.append((size, ours, theirs, shell))

        out = args.work / f"export-{size}.csv"
        select = "SELECT * FROM claims"
        ours_export, theirs_export, shell_export = in_turn(
            [
                Command(claimtrack(db, "export", "--format", "csv", "-o", str(out))),
                Command([sqlite_utils, "query", str(plain), select, "--csv"], stdout_path=out)
                if sqlite_utils
                else None,
                Command([sqlite_shell, "-csv", "-header", str(shell_db), select], stdout_path=out)
                if sqlite_shell
                else None,
            ],
            args.import_runs,
        )
        assert ours_export
        exports.append((size, ours_export, theirs_export, shell_export))

        root, depth, members = deep_thread(db)
        shown[size] = f"#{root}, {depth} deep, {members} claims"
        # The paged commands at their default page (a pipe gets every record unless told).
        page = ("--limit", str(PAGE))
        queries[size] = {}
        for name, argv in {
            "`show` of a deep thread": claimtrack(db, "show", str(root)),
            "`list`": claimtrack(db, "list", *page),
            f"`search {COMMON_WORD}`": claimtrack(db, "search", COMMON_WORD, *page),
            "`threads`": claimtrack(db, "threads", *page),
            "`timeline` of one week": claimtrack(
                db, "timeline", "--since", WEEK[0], "--until", WEEK[1], *page
            ),
        }.items():
            query, its_floor = in_turn([Command(argv), floor_command], args.runs, warm_up=True)
            assert query and its_floor
            queries[size][name] = (query, ratio(query, its_floor))

    lines += [
        "## Import",
        "",
        f"Targets: 1M claims in at most {IMPORT_VS_SHELL:g}× the time of the sqlite3 shell's "
        f"`.import` and at least {IMPORT_VS_UTILS:g}× faster than `sqlite-utils insert --csv`, "
        f"with peak memory at most {IMPORT_PEAK_MIB} MiB.",
        "",
        "| corpus | claimtrack import | sqlite-utils insert --csv | sqlite3 .import "
        "| × sqlite3 | sqlite-utils ÷ claimtrack |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size, ours, theirs, shell in imports:
        vs_shell = f"{ratio(ours, shell):.2f}" if shell else "—"
        vs_utils = f"{ratio(theirs, ours):.2f}" if theirs else "—"
        lines.append(
            f"| {size} | {fmt(ours)} | {fmt(theirs)} | {fmt(shell)} | {vs_shell} | {vs_utils} |"
        )
    lines += [
        "",
        "## Export of every claim to CSV",
        "",
        f"Target: at most {EXPORT_VS_UTILS:g}× the time of `sqlite-utils query --csv`.",
        "",
        "| corpus | claimtrack export | sqlite-utils query --csv | sqlite3 -csv | × sqlite-utils |",
        "| --- | --- | --- | --- | --- |",
    ]
    for size, ours, theirs, shell in exports:
        vs_utils = f"{ratio(ours, theirs):.2f}" if theirs else "—"
        lines.append(f"| {size} | {fmt(ours)} | {fmt(theirs)} | {fmt(shell)} | {vs_utils} |")
    lines += [
        "",
        "## Queries",
        "",
        f"Targets: the paged commands at their default page ({PAGE} records, written to a pipe "
        f"as TSV); at the largest corpus at most {QUERY_GROWTH:g}× the time at the smallest; "
        f"`show` at most {SHOW_VS_FLOOR:g}× the start-up floor, the others at most "
        f"{PAGED_VS_FLOOR:g}×. Each command ran in turn with the floor; × floor is the median "
        "of the per-round ratios, and largest ÷ smallest the ratio of the two sizes' × floor.",
        "",
        "| command | " + " | ".join(sizes) + " | largest ÷ smallest | × floor (largest) |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- | --- |",
    ]
    for name in queries[sizes[0]]:
        row = [queries[size][name] for size in sizes]
        growth = row[-1][1] / row[0][1]
        lines.append(
            f"| {name} | "
            + " | ".join(fmt(m) for m, _ in row)
            + f" | {growth:.2f} | {row[-1][1]:.2f} |"
        )
    lines += [
        "",
        "The thread shown: the smallest of the deepest threads, "
        + "; ".join(f"{size}: {shown[size]}" for size in sizes)
        + f". The search word: `{COMMON_WORD}`. The week: {WEEK[0]} to {WEEK[1]}.",
    ]
    largest = sizes[-1]
    lines += ["", f"## Targets at {largest}", ""]
    _, ours, utils, shell = imports[-1]
    if shell:
        times_shell = ratio(ours, shell)
        lines.append(
            f"- import ≤ {IMPORT_VS_SHELL:g}× sqlite3 .import: {times_shell:.2f}× — "
            f"{verdict(times_shell <= IMPORT_VS_SHELL)}"
        )
    if utils:
        speedup = ratio(utils, ours)
        lines.append(
            f"- import ≥ {IMPORT_VS_UTILS:g}× faster than sqlite-utils insert --csv: "
            f"{speedup:.2f}× — {verdict(speedup >= IMPORT_VS_UTILS)}"
        )
    peak = ours.peak_mib
    lines.append(
        f"- import peak memory ≤ {IMPORT_PEAK_MIB} MiB: {peak:.0f} MiB — "
        f"{verdict(peak <= IMPORT_PEAK_MIB)}"
    )
    _, ours, theirs, _ = exports[-1]
    if theirs:
        times_utils = ratio(ours, theirs)
        lines.append(
            f"- export ≤ {EXPORT_VS_UTILS:g}× sqlite-utils query --csv: {times_utils:.2f}× — "
            f"{verdict(times_utils <= EXPORT_VS_UTILS)}"
        )
    for name in queries[largest]:
        first = queries[sizes[0]][name][1]
        last = queries[largest][name][1]
        bound = SHOW_VS_FLOOR if name.startswith("`show`") else PAGED_VS_FLOOR
        ok = last / first <= QUERY_GROWTH and last <= bound
        lines.append(
            f"- {name}: {last / first:.2f}× its time at {sizes[0]}, "
            f"{last:.2f}× the floor — {verdict(ok)}"
        )
    lines += ["", "Reproduce: `python benchmarks/run.py --sizes " + ",".join(sizes) + "`", ""]
    args.out.write_text("\n".join(lines) + kept_sections(args.out), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
