"""The PostgreSQL team engine beside SQLite: eight writers at once, and import, export, search.

Usage: python benchmarks/team.py [--only concurrency,scale] [--rounds 5] [--claims 100000]
                                 [--heavy-runs 3] [--runs 5]

Starts a throw-away PostgreSQL server (tests/pg_server.py) on 127.0.0.1 with a free port, with
fsync and synchronous_commit on, so that its commits are as durable as SQLite's (WAL mode,
synchronous=FULL: the WAL is synced at every commit). The server is stopped at the end, on an
error too. Each part writes its own section of benchmarks/RESULTS.md (between
`<!-- scale:team-NAME -->` markers, which run.py keeps):

- concurrency: on a fresh SQLite file and on a fresh PostgreSQL database, a few claims are
  recorded, then eight processes released at the same moment each make 25 mixed writes (add,
  rebut, support, edit, link) through the real CLI in-process. Afterwards the database is read
  back against what every worker says it wrote (lost writes), the exit codes and stderr are
  checked (errors), and `claimtrack history` must show the 200 changes. Rounds alternate the
  engines (SQLite, PostgreSQL, SQLite...) after one untimed round.
- scale: `claimtrack import` of run.py's corpus (--claims, 100k by default), `export --format
  csv -o FILE` and `search ceasefire` on SQLite and on PostgreSQL, in turn, as whole processes
  (scale.py's way: median of the runs, ratios the median of per-round ratios).

`--one-race sqlite|URL` runs a single race (a fresh database, the seed claims, eight workers,
the checks) as one command, for an outside timer; URL names a PostgreSQL server's maintenance
database, on which a fresh database is made. It exits 1 if anything was lost or failed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import importlib.util
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from run import COMMON_WORD, SIZES, corpus, fresh, machine, tool
from scale import Job, Result, generated, in_turn, load, ratio, rel, shown, write_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKERS = 8
WRITES = 25  # per worker: five rounds of add, rebut, support, edit, link
SHARED = 1  # the seed claim every worker answers, tags and links to
# What a successful command may print on stderr: its confirmation (a worker's actors exist).
CONFIRMATION = re.compile(r"^Edited claim #\d+: ")
DEADLINE_S = 300  # for one race: its workers' start and their writes


def pg_server() -> ModuleType:
    """tests/pg_server.py, imported by its path."""
    spec = importlib.util.spec_from_file_location("pg_server", ROOT / "tests" / "pg_server.py")
    if spec is None or spec.loader is None:
        raise SystemExit("tests/pg_server.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def claimtrack(db: Path | str, *args: str) -> list[str]:
    """The argv of one claimtrack command on a database file or a PostgreSQL URL."""
    exe = tool("claimtrack")
    base = [exe] if exe else [sys.executable, "-m", "claimtrack"]
    return [*base, "--db", str(db), *args]


def portless(text: str) -> str:
    """The server's port, which changes from run to run, as PORT."""
    return re.sub(r"(postgresql://[^@/]+@127\.0\.0\.1):\d+", r"\1:PORT", text)


def pg_shown(argv: list[str]) -> str:
    """A command as shown in the results."""
    return portless(shown(argv))


HELPERS: dict[str, Callable[..., Any]] = {}


def in_child(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` run in a child Python process (its arguments and result as JSON), so that
    this process never loads claimtrack or psycopg: a command it starts inherits its peak
    memory as the floor of its own (the kernel's accounting of a child carries the parent's
    high-water mark over the fork)."""
    HELPERS[function.__name__] = function

    @functools.wraps(function)
    def in_a_child(*args: Any) -> Any:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--helper", function.__name__],
            input=json.dumps(args),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if done.returncode:
            raise SystemExit(f"{function.__name__} failed: {done.stderr.strip()}")
        return json.loads(done.stdout)

    return in_a_child


@in_child
def pg_execute(url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE and DROP DATABASE need that)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def new_database(server_url: str, name: str) -> str:
    """An empty database `name` on the server (dropped first if there), and its URL."""
    pg_execute(
        server_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE template0',
    )
    return server_url.rsplit("/", 1)[0] + "/" + name


# ---------------------------------------------------------------------------------------------
# concurrency

WORKER = r"""
import contextlib, io, json, os, sys, time
from pathlib import Path

import claimtrack.store  # what the first command would import, imported before the start
from claimtrack.cli import app

if "://" in os.environ["CLAIMTRACK_DB"]:
    import psycopg  # noqa: F401

start, worker, writes = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
shared, neighbour = int(sys.argv[4]), int(sys.argv[5])
(start.parent / f"ready-{worker}").touch()
deadline = time.monotonic() + float(sys.argv[6])
while not start.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
began = time.monotonic()
done, added = [], None
for n in range(writes):
    text, by = f"worker {worker} write {n}", f"Worker {worker}"
    step, cycle = n % 5, n // 5
    if step == 0:
        kind, args = "add", ["add", text, "--by", by, "-q"]
    elif step == 1:
        target = shared if cycle % 2 == 0 or added is None else added
        kind, args = "rebut", ["rebut", str(target), text, "--by", by, "-q"]
    elif step == 2:
        kind, args = "support", ["support", str(neighbour), text, "--by", by, "-q"]
    elif step == 3:
        kind, args = "edit", ["edit", str(shared), "--add-tag", f"w{worker}n{n}"]
    else:
        kind, args = "link", ["link", str(added), str(shared), "--stance", "qualifies"]
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = int(app(args, prog_name="claimtrack", standalone_mode=False) or 0)
    except BaseException as error:  # a crash is an error to count, not the end of the race
        code, failure = 1, repr(error)
    printed = out.getvalue().strip()
    if kind == "add" and code == 0 and printed.isdigit():
        added = int(printed)
    done.append(
        {"kind": kind, "args": args, "text": text, "code": code, "stdout": printed,
         "stderr": err.getvalue(), "failure": failure}
    )
finished = time.monotonic()
print(json.dumps({"worker": worker, "began": began, "finished": finished, "writes": done}))
"""


@dataclass
class Race:
    """One race on one engine: its wall time, and what the checks found."""

    engine: str
    seconds: float = 0.0
    writes: int = 0  # the writes the workers say succeeded
    lost: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: int = 0  # in `claimtrack history`, after the seed's
    claims: int = 0
    expected_claims: int = 0

    @property
    def per_second(self) -> float:
        return WORKERS * WRITES / self.seconds if self.seconds else 0.0


def call(db: str, *args: str) -> tuple[int, str, str]:
    """One claimtrack command in this process: exit code, stdout, stderr."""
    import io

    from claimtrack.cli import app

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = int(app(["--db", db, *args], prog_name="claimtrack", standalone_mode=False) or 0)
    return code, out.getvalue(), err.getvalue()


@in_child
def seed(db: str) -> int:
    """The claims the race starts from: #1 (shared), then one by each worker (so that every
    worker's actor exists). How many changes that made."""
    steps = [("add", "Troops are massing at the border", "--by", "Ministry", "-q")]
    steps += [("add", f"Worker {w} opens a thread", "--by", f"Worker {w}", "-q") for w in range(8)]
    for step in steps:
        code, _, err = call(db, *step)
        if code:
            raise SystemExit(f"seeding {db} failed: {err.strip()}")
    return len(steps)


def neighbour_claim(worker: int) -> int:
    """The seed claim of the next worker, which this one supports."""
    return 2 + (worker + 1) % WORKERS


def released(db: str, folder: Path) -> tuple[float, list[dict[str, Any]], list[str]]:
    """Start the workers, release them at once, wait: the race's seconds (release to the last
    write's end), each worker's report, and the failures of the processes themselves."""
    start = folder / "start"
    env = {**os.environ, "CLAIMTRACK_DB": db, "CLAIMTRACK_PAGER": ""}
    workers = [
        subprocess.Popen(
            [
                *[sys.executable, "-c", WORKER, str(start), str(w), str(WRITES)],
                *[str(SHARED), str(neighbour_claim(w)), str(DEADLINE_S)],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in range(WORKERS)
    ]
    deadline = time.monotonic() + DEADLINE_S
    while len(list(folder.glob("ready-*"))) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.01)  # every worker has imported claimtrack and waits at the start line
    release = time.monotonic()
    start.touch()
    reports, failures = [], []
    for number, worker in enumerate(workers):
        try:
            stdout, stderr = worker.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
            stdout, stderr = worker.communicate()
            failures.append(f"worker {number} still running after {DEADLINE_S} s")
        if worker.returncode != 0 or stderr.strip():
            failures.append(f"worker {number} exit {worker.returncode}: {stderr.strip()}")
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        if lines:
            reports.append(json.loads(lines[-1]))
    finish = max((report["finished"] for report in reports), default=time.monotonic())
    return finish - release, reports, failures


@in_child
def rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query, on either engine (no parameters)."""
    if "://" in db:
        import psycopg

        with psycopg.connect(db) as conn:
            return [tuple(row) for row in conn.execute(sql)]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def checked(race: Race, db: str, reports: list[dict[str, Any]], seeds: int) -> None:
    """Read the database back against the workers' reports; fill the race's counts."""
    claims = dict(rows(db, "SELECT id, text FROM claims"))
    links = set(map(tuple, rows(db, "SELECT response_id, target_id, stance FROM responses")))
    tags = set(map(tuple, rows(db, "SELECT claim_id, tag FROM claim_tags")))
    race.claims, race.expected_claims = len(claims), seeds
    for report in reports:
        added = None
        for write in report["writes"]:
            what = f"worker {report['worker']} {' '.join(write['args'][:2])}"
            noise = [
                line
                for line in write["stderr"].splitlines()
                if line.strip() and not CONFIRMATION.match(line)
            ]
            if write["code"] or write["failure"] or noise:
                why = write["failure"] or " / ".join(noise) or f"exit {write['code']}"
                race.errors.append(f"{what}: {why}")
                continue
            race.writes += 1
            kind, out = write["kind"], write["stdout"]
            if kind in ("add", "rebut", "support"):
                race.expected_claims += 1
                new = int(out) if out.isdigit() else None
                if new is None or claims.get(new) != write["text"]:
                    race.lost.append(f"{what}: claim {out!r} ({write['text']!r}) not there")
                    continue
                if kind == "add":
                    added = new
                else:
                    stance = "refutes" if kind == "rebut" else "supports"
                    if (new, int(write["args"][1]), stance) not in links:
                        race.lost.append(f"{what}: #{new} {stance} #{write['args'][1]} not there")
            elif kind == "edit" and (SHARED, write["args"][3]) not in tags:
                race.lost.append(f"{what}: tag {write['args'][3]} not on #{SHARED}")
            elif kind == "link" and (added, SHARED, "qualifies") not in links:
                race.lost.append(f"{what}: #{added} qualifies #{SHARED} not there")
    if race.claims != race.expected_claims:
        race.lost.append(f"{race.claims} claims in the database, {race.expected_claims} expected")
    history = subprocess.run(
        claimtrack(db, "history", "--json"), capture_output=True, text=True, timeout=120
    )
    if history.returncode:
        race.errors.append(f"history: {history.stderr.strip()}")
    else:
        race.changes = len(json.loads(history.stdout)) - seeds


def one_race(engine: str, make_db: Callable[[Path], str]) -> Race:
    """A fresh database, the seed claims, the eight workers released at once, the checks."""
    race = Race(engine)
    with tempfile.TemporaryDirectory(prefix="claimtrack-race-") as name:
        folder = Path(name)
        db = make_db(folder)
        seeds = seed(db)
        race.seconds, reports, failures = released(db, folder)
        race.errors += failures
        if len(reports) < WORKERS:
            race.errors.append(f"{WORKERS - len(reports)} worker(s) reported nothing")
        checked(race, db, reports, seeds)
    return race


def sqlite_db(folder: Path) -> str:
    return str(folder / "team.db")


def concurrency_section(args: argparse.Namespace, server: Any) -> list[str]:
    """Races on SQLite and PostgreSQL in turn after an untimed round: the section's lines."""
    names = iter(range(1, 1000))

    def pg_db(_: Path) -> str:
        return new_database(server.url(), f"race_{next(names)}")

    engines = {"SQLite": sqlite_db, "PostgreSQL": pg_db}
    races: dict[str, list[Race]] = {engine: [] for engine in engines}
    warm: list[Race] = []
    for round_ in range(args.rounds + 1):
        for engine, make in engines.items():
            race = one_race(engine, make)
            print(
                f"round {round_} {engine}: {race.seconds:.2f} s, {race.per_second:.0f} writes/s, "
                f"{len(race.lost)} lost, {len(race.errors)} errors, {race.changes} changes",
                flush=True,
            )
            (races[engine] if round_ else warm).append(race)
    everything = [*warm, *races["SQLite"], *races["PostgreSQL"]]
    per_round = [
        b.per_second / a.per_second
        for a, b in zip(races["SQLite"], races["PostgreSQL"], strict=True)
        if a.seconds and b.seconds
    ]
    lines = [
        f"## {WORKERS} concurrent writers on PostgreSQL and SQLite",
        "",
        f"{WORKERS} processes, released at the same moment (a start file), each make {WRITES} "
        "writes through the CLI in-process (`app(args, standalone_mode=False)`), in five "
        f"rounds of `add`, `rebut` (of #{SHARED}, or of the worker's own last claim), `support` "
        f"(of the next worker's claim), `edit {SHARED} --add-tag` (all {WORKERS} on one claim) "
        f"and `link NEW {SHARED} --stance qualifies`: {WORKERS * WRITES} writes, each its own "
        "connection and transaction, as from a shell. Before each race, a fresh database gets "
        f"9 claims (#{SHARED}, and one by each worker, so that their actors exist); after it the "
        "database is read back against what each worker says it wrote (a claim's id and text, "
        "each link, each tag: **lost** if missing), every exit code and stderr is checked "
        "(**errors**: a non-zero exit, an exception, or stderr other than edit's "
        "confirmation), and `claimtrack history --json` is counted. PostgreSQL: a local server "
        "on 127.0.0.1 with fsync and synchronous_commit on; SQLite: a WAL file, "
        f"synchronous={sync_level()} (both sync every commit), on the same disk. "
        f"{args.rounds} rounds, SQLite and PostgreSQL in turn, after one untimed round. Time: "
        "from the release to the end of the last write.",
        "",
        "| engine | race, median (min–max) | writes per second, median | lost | errors "
        "| changes in history |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for engine, done in races.items():
        seconds = [race.seconds for race in done]
        changes = sorted({race.changes for race in done})
        lines.append(
            f"| {engine} | {statistics.median(seconds):.2f} s ({min(seconds):.2f}–"
            f"{max(seconds):.2f}) | {statistics.median(r.per_second for r in done):.0f} "
            f"| {sum(len(r.lost) for r in done)} | {sum(len(r.errors) for r in done)} "
            f"| {' / '.join(str(c) for c in changes)} per race (expected {WORKERS * WRITES}) |"
        )
    lines += [
        "",
        "PostgreSQL ÷ SQLite, writes per second (median of per-round ratios): "
        + (f"{statistics.median(per_round):.2f}" if per_round else "—"),
        "",
        f"Over all {len(everything)} races, the untimed round's included: "
        f"{sum(len(r.lost) for r in everything)} writes lost, "
        f"{sum(len(r.errors) for r in everything)} errors, "
        f"{sum(r.writes for r in everything)} of {len(everything) * WORKERS * WRITES} writes "
        "reported done.",
        "",
    ]
    problems = [f"- {r.engine}: {p}" for r in everything for p in [*r.lost, *r.errors]]
    if problems:
        lines += ["What went wrong (the first 20):", "", *problems[:20], ""]
    return lines


def sync_level() -> str:
    """SQLite's synchronous setting as a connection opened with Python's sqlite3 gets it."""
    with tempfile.TemporaryDirectory() as folder, sqlite3.connect(Path(folder) / "x.db") as c:
        c.execute("PRAGMA journal_mode = WAL")
        level = c.execute("PRAGMA synchronous").fetchone()[0]
    return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))


# ---------------------------------------------------------------------------------------------
# scale


def label_of(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def scale_corpus(args: argparse.Namespace) -> Path:
    """run.py's corpus of args.claims claims, made once in benchmarks/work/ and kept."""
    label = label_of(args.claims)
    if label in SIZES and SIZES[label] == args.claims:
        return corpus(args.work, label)
    return generated(
        args.work / f"corpus-{label}.csv",
        [str(HERE / "generate.py"), "--claims", str(args.claims)],
    )


def count_on(db: str, sql: str) -> int:
    return int(rows(db, sql)[0][0])


def scale_section(args: argparse.Namespace, server: Any) -> list[str]:
    """Import, export and search of args.claims claims on SQLite and on PostgreSQL."""
    label = label_of(args.claims)
    source = scale_corpus(args)
    file_db = args.work / f"team-{label}.db"
    pg_name = f"team_{label}"
    pg_db = server.url(pg_name)

    def fresh_pg() -> None:
        new_database(server.url(), pg_name)

    print(f"== import, export, search of {label} claims", flush=True)
    imports = in_turn(
        [
            Job(claimtrack(file_db, "import", str(source)), fresh(file_db)),
            Job(claimtrack(pg_db, "import", str(source)), fresh_pg),
        ],
        args.heavy_runs,
    )
    outs = {name: args.work / f"team-export-{name}-{label}.csv" for name in ("sqlite", "pg")}
    pg_has_data = not imports[1].error
    exports = in_turn(
        [
            Job(claimtrack(file_db, "export", "--format", "csv", "-o", str(outs["sqlite"]))),
            *(
                [Job(claimtrack(pg_db, "export", "--format", "csv", "-o", str(outs["pg"])))]
                if pg_has_data
                else []
            ),
        ],
        args.heavy_runs,
    )
    searches = in_turn(
        [
            Job(claimtrack(file_db, "search", COMMON_WORD)),
            *([Job(claimtrack(pg_db, "search", COMMON_WORD))] if pg_has_data else []),
        ],
        args.runs,
    )
    if not pg_has_data:
        why = "no claims to read: the import into PostgreSQL did not run"
        pg_out = str(outs["pg"])
        exports.append(
            Result(claimtrack(pg_db, "export", "--format", "csv", "-o", pg_out), error=why)
        )
        searches.append(Result(claimtrack(pg_db, "search", COMMON_WORD), error=why))
    lines = [
        f"## Import, export and search of {args.claims:,} claims on PostgreSQL and SQLite",
        "",
        f"The corpus: `python benchmarks/generate.py --claims {args.claims} -o {rel(source)}` "
        f"({source.stat().st_size / 2**20:.0f} MiB; the word searched, `{COMMON_WORD}`, is in "
        "about one claim in six). Each import into a fresh SQLite file or a fresh PostgreSQL "
        "database (made before the run, not timed), on a throw-away local server "
        "(fsync and synchronous_commit on, 127.0.0.1); export and search on the last import. "
        f"Median of {args.heavy_runs} runs (import, export) or {args.runs} runs (search), "
        "SQLite and PostgreSQL in turn after one untimed round; the ratio is the median of the "
        "per-round ratios. Peak memory is the claimtrack process's own (the server's is not in "
        "it).",
        "",
        "| command | SQLite: time, peak memory | PostgreSQL: time, peak memory "
        "| PostgreSQL ÷ SQLite |",
        "| --- | --- | --- | --- |",
    ]
    for name, (lite, pg) in (
        ("import", imports),
        ("export --format csv -o FILE", exports),
        (f"search {COMMON_WORD}", searches),
    ):
        lines.append(f"| `{name}` | {lite.cell()} | {pg.cell()} | {ratio(pg, lite)} |")
    lines += ["", "Commands:", ""]
    for result in (*imports, *exports, *searches):
        lines.append(f"- `{pg_shown(result.argv)}`")
    lines.append("")
    lines += scale_checks(file_db, pg_db, imports, outs, pg_has_data)
    return lines


def without_uids(reader: Iterator[list[str]]) -> list[list[str]]:
    """A CSV export's records without its uid columns."""
    header = next(reader)
    keep = [i for i, name in enumerate(header) if name not in ("uid", "responds_to_uid")]
    return [[header[i] for i in keep], *([row[i] for i in keep] for row in reader)]


def scale_checks(
    file_db: Path,
    pg_db: str,
    imports: list[Result],
    outs: dict[str, Path],
    pg_has_data: bool,
) -> list[str]:
    """What each database holds after it all, and whether the engines agree."""
    lines = []
    sql = "SELECT count(*) FROM claims"
    held = {"SQLite": count_on(str(file_db), sql)}
    if pg_has_data:
        held["PostgreSQL"] = count_on(pg_db, sql)
    hits = {}
    for engine, db in (("SQLite", str(file_db)), ("PostgreSQL", pg_db)):
        if engine in held:
            found = subprocess.run(
                claimtrack(db, "search", COMMON_WORD, "--json"), capture_output=True, text=True
            )
            hits[engine] = len(json.loads(found.stdout)) if found.returncode == 0 else None
    exported: dict[str, int] = {}
    records: dict[str, list[list[str]]] = {}
    for engine, path in (("SQLite", outs["sqlite"]), ("PostgreSQL", outs["pg"])):
        if engine in held and path.exists():
            with open(path, encoding="utf-8", newline="") as handle:
                records[engine] = without_uids(csv.reader(handle))
                exported[engine] = len(records[engine]) - 1
    lines.append(
        "- claims held: "
        + ", ".join(f"{engine} {n:,}" for engine, n in held.items())
        + "; CSV records exported, header aside: "
        + ", ".join(f"{engine} {n:,}" for engine, n in exported.items())
        + f"; `search {COMMON_WORD} --json` matches: "
        + ", ".join(
            f"{engine} {n:,}" if n is not None else f"{engine} —" for engine, n in hits.items()
        )
    )
    if len(records) == 2:
        differ = sum(
            a != b for a, b in zip(records["SQLite"], records["PostgreSQL"], strict=False)
        ) + abs(exported["SQLite"] - exported["PostgreSQL"])
        lines.append(
            "- the two CSV exports, uid columns aside (uids are made anew by each import): "
            + ("the same" if not differ else f"**{differ:,} records differ**")
        )
    if imports[1].error:
        lines.append(
            f"- `import` into PostgreSQL did not run on this claimtrack ({imports[1].error}); "
            "rerun `python benchmarks/team.py --only scale` once it lands."
        )
    lines.append("")
    return lines


# ---------------------------------------------------------------------------------------------


SECTIONS = {"concurrency": concurrency_section, "scale": scale_section}


@contextlib.contextmanager
def server_running() -> Iterator[Any]:
    """A durable throw-away server, stopped on the way out (SIGTERM and Ctrl-C included)."""
    pg = pg_server()
    if missing := pg.missing_binaries():
        raise SystemExit(f"PostgreSQL server programs not on the PATH: {', '.join(missing)}")
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with pg.running(pg.DURABLE) as server:
            yield server
    finally:
        signal.signal(signal.SIGTERM, previous)


def server_version() -> str:
    found = subprocess.run(["postgres", "--version"], capture_output=True, text=True)
    return found.stdout.strip() or "PostgreSQL (version unknown)"


def race_alone(target: str) -> None:
    """--one-race: one race on a fresh SQLite file or a fresh database on the server `target`."""

    def pg_db(_: Path) -> str:
        return new_database(target, f"race_{os.getpid()}")

    race = one_race(target, sqlite_db if target == "sqlite" else pg_db)
    print(
        f"{race.seconds:.3f} s, {race.per_second:.1f} writes/s, {len(race.lost)} lost, "
        f"{len(race.errors)} errors, {race.changes} changes"
    )
    for problem in [*race.lost, *race.errors][:20]:
        print(problem, file=sys.stderr)
    if target != "sqlite":
        pg_execute(target, f'DROP DATABASE IF EXISTS "race_{os.getpid()}" WITH (FORCE)')
    sys.exit(1 if race.lost or race.errors or race.changes != WORKERS * WRITES else 0)


def main() -> None:
    """Start the server, run the parts named on the command line, write their sections."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="concurrency,scale")
    parser.add_argument("--rounds", type=int, default=5, help="timed races on each engine")
    parser.add_argument("--claims", type=int, default=SIZES["100k"], help="the scale corpus")
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of each import/export")
    parser.add_argument("--runs", type=int, default=5, help="runs of each search")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="inputs and databases")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--one-race", metavar="sqlite|URL", help="one race alone (see above)")
    parser.add_argument("--helper", help=argparse.SUPPRESS)  # in_child's, arguments on stdin
    args = parser.parse_args()
    if args.helper:
        print(json.dumps(HELPERS[args.helper](*json.loads(sys.stdin.read()))))
        return
    if args.one_race:
        race_alone(args.one_race)
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}: use {', '.join(SECTIONS)}")
    args.work.mkdir(parents=True, exist_ok=True)
    about = [*machine(), f"- {server_version()}"]
    with server_running() as server:
        for name in names:
            started, load_before = time.perf_counter(), load()
            lines = SECTIONS[name](args, server)
            options = (
                f"--rounds {args.rounds}"
                if name == "concurrency"
                else f"--claims {args.claims} --heavy-runs {args.heavy_runs} --runs {args.runs}"
            )
            lines += [
                "Run on: " + "; ".join(line.removeprefix("- ") for line in about) + "; load "
                f"average (1/5/15 min) {load_before} before, {load()} after.",
                "",
                f"Reproduce: `python benchmarks/team.py --only {name} {options}`",
            ]
            lines = [portless(line) for line in lines]
            write_section(args.out, f"team-{name}", lines)
            print("\n".join(lines), flush=True)
            print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
