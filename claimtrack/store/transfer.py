"""Bulk import and streaming export: their SQL.

An import stages the file's rows in temporary tables, checks them there, and then writes them
with a few INSERT ... SELECT statements, all in the one transaction of `CoreStore.write`. The
change log gets the rows it inserted as one rowid range per table (`Transaction.log_by_sql`), so
that its size does not grow with the file and undo deletes them with one statement per table;
the recorded rows it changes (merged claims, an actor's side, a link's stance) are logged one by
one with their images before and after, like any write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from claimtrack.errors import InvalidInput
from claimtrack.fold import name_key
from claimtrack.migrations import SEARCH_FILL, SEARCH_INSERT_TRIGGER
from claimtrack.model import ClaimFilter, ExportBatch, ImportResult, SourceRef
from claimtrack.store.base import KEYS, RANGE, STATUS_SQL, StoreBase, Transaction, now
from claimtrack.wording import plural

if TYPE_CHECKING:
    from claimtrack.flatfile.rows import ImportRow

_BATCH = 4096
_CACHE_SIZE = 200_000
_ROOTS_PER_BATCH = 256
_IMPORT_CACHE_KIB = -65536  # negative: in KiB, so 64 MiB

# A random (version 4) UUID, made by SQLite for each new claim the file gives no uid.
_UUID4 = """(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
    || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
    || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"""

_TEMP_TABLES = (
    "import_rows",
    "import_claims",
    "import_uids",
    "import_links",
    "import_up",
    "import_graph",
)


# Sources whose `transfer.sources_cell` may not read back as the same sources: those without
# a URL, or with a space in it (`transfer.sources_roundtrip` needs to look only at claims
# citing one). `s` is the sources row.
_UNCLEAR_SOURCE = "(coalesce(s.url, '') = '' OR instr(s.url, ' '))"
# The cells of exported claims, in the order of transfer.CLAIM_CELLS (sources as
# transfer.sources_cell writes them: each source's URL, or its title, in order), and last
# whether the claim cites an unclear source ({unclear}: an EXISTS, or 0 when the database has
# none, which saves a lookup per claim).
_EXPORT_CLAIMS = f"""
    SELECT c.id, c.uid, c.text, a.name, a.side, c.said_on, c.quote,
        nullif((SELECT group_concat(cell, ' ') FROM (
            SELECT coalesce(nullif(s.url, ''), nullif(s.title, ''), '') AS cell
            FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
            WHERE cs.claim_id = c.id ORDER BY cs.position)), ''),
        (SELECT group_concat(tag, ',') FROM (
            SELECT tag FROM claim_tags t WHERE t.claim_id = c.id ORDER BY t.rowid)),
        c.note,
        {STATUS_SQL},
        {{unclear}}
    FROM claims c JOIN actors a ON a.id = c.actor_id
    WHERE c.id IN (SELECT value FROM json_each(?))"""
_CITES_UNCLEAR = f"""EXISTS (SELECT 1 FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
    WHERE cs.claim_id = c.id AND {_UNCLEAR_SOURCE})"""


class _DryRun(Exception):
    """Raised inside the write to roll it back, carrying what it would have done."""

    def __init__(self, result: ImportResult):
        super().__init__("dry run")
        self.result = result


class TransferMixin(StoreBase):
    """Bulk import and streaming export. Mixed into ClaimStore."""

    def import_rows(
        self,
        rows: Iterable[ImportRow],
        name: str,
        *,
        dry_run: bool = False,
        stage: Callable[[str], None] | None = None,
    ) -> ImportResult:
        """Import validated rows all or nothing; InvalidInput lists every problem as NAME:LINE.

        A dry run does the whole import and rolls it back, so its counts are exact.
        """
        # A bigger page cache while importing (bounded, and only filled as needed): with the
        # default 2 MB, a million claims take a third longer to import, re-reading index
        # pages (uid, search) just written out.
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}")
        try:
            with self.write("import") as tx:
                result = _Import(tx, name, stage or (lambda _: None)).run(rows)
                if dry_run:
                    result.dry_run = True
                    raise _DryRun(result)
        except _DryRun as done:
            return done.result
        finally:
            self.conn.execute(f"PRAGMA cache_size = {cache}")
        return result

    def export_threads(
        self, roots: Sequence[int] | None = None, filters: ClaimFilter | None = None
    ) -> Iterator[ExportBatch]:
        """The threads under `roots` (default: under every claim that answers none) whose root
        matches `filters`, a batch at a time."""
        # Built now, not when the first batch is asked for: a bad filter or an unknown id is
        # an error before anything is written.
        where, params = self.filter_sql(filters or ClaimFilter())
        if roots is not None:
            for root in roots:
                self.require_claim(root)
            roots = list(dict.fromkeys(roots))
        return self._threads(roots, where, params)

    def _threads(self, roots: list[int] | None, where: str, params: list) -> Iterator[ExportBatch]:
        # One read transaction: the export is one consistent snapshot while others write.
        self.conn.execute("BEGIN")
        try:
            unclear = self.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM sources s WHERE {_UNCLEAR_SOURCE})"
            ).fetchone()[0]
            select = _EXPORT_CLAIMS.format(unclear=_CITES_UNCLEAR if unclear else "0")
            for batch in self._root_batches(roots, where, params):
                edges: dict[int, list[tuple[int, int, str]]] = {root: [] for root in batch}
                members = set(batch)
                for root, response_id, target_id, stance in self.conn.execute(
                    """WITH RECURSIVE thread(root, id) AS (
                           SELECT value, value FROM json_each(?)
                           UNION
                           SELECT t.root, r.response_id
                           FROM thread t JOIN responses r ON r.target_id = t.id
                       )
                       SELECT t.root, r.response_id, r.target_id, r.stance
                       FROM thread t JOIN responses r ON r.target_id = t.id""",
                    (json.dumps(batch),),
                ):
                    edges[root].append((response_id, target_id, stance))
                    members.add(response_id)
                yield self._export_batch(select, members, [(root, edges[root]) for root in batch])
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def _export_batch(
        self, select: str, members: set[int], threads: list[tuple[int, list[tuple[int, int, str]]]]
    ) -> ExportBatch:
        """The batch's claims as cells, with the sources of those whose cell may not read back."""
        ids_json = json.dumps(sorted(members))
        claims: dict[int, tuple] = {}
        check: list[int] = []
        for row in self.conn.execute(select, (ids_json,)):
            claims[row[0]] = row[:-1]
            if row[-1]:
                check.append(row[0])
        sources: dict[int, list[SourceRef]] = {claim_id: [] for claim_id in check}
        if check:
            for claim_id, url, title in self.conn.execute(
                """SELECT cs.claim_id, s.url, s.title
                   FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
                   WHERE cs.claim_id IN (SELECT value FROM json_each(?))
                   ORDER BY cs.claim_id, cs.position""",
                (json.dumps(check),),
            ):
                sources[claim_id].append(SourceRef(url, title))
        return ExportBatch(threads, claims, sources)

    def _root_batches(
        self, roots: list[int] | None, where: str, params: list
    ) -> Iterator[list[int]]:
        """The given roots, or else the claims that answer none (in id order), that match the
        filters, a batch at a time."""
        if roots is not None:
            for start in range(0, len(roots), _ROOTS_PER_BATCH):
                given = roots[start : start + _ROOTS_PER_BATCH]
                matching = {
                    row[0]
                    for row in self.conn.execute(
                        f"""SELECT c.id FROM claims c
                            WHERE c.id IN (SELECT value FROM json_each(?)) AND {where}""",
                        (json.dumps(given), *params),
                    )
                }
                if batch := [root for root in given if root in matching]:
                    yield batch
            return
        last = 0
        while True:
            batch = [
                row[0]
                for row in self.conn.execute(
                    f"""SELECT c.id FROM claims c WHERE c.id > ? AND NOT EXISTS (
                            SELECT 1 FROM responses r WHERE r.response_id = c.id
                        ) AND {where} ORDER BY c.id LIMIT ?""",
                    (last, *params, _ROOTS_PER_BATCH),
                )
            ]
            if not batch:
                return
            yield batch
            last = batch[-1]


@lru_cache(maxsize=4096)
def _json_strings(items: tuple[str, ...]) -> str:
    """A JSON array of strings, every character kept (json.dumps, minus its overhead)."""
    return "[" + ",".join(map(encode_basestring, items)) + "]"


def _range_select(table: str) -> str:
    """SQL naming the rows of `table` past a rowid as one change-log row: their rowid range and
    count. For links, the recorded claims they answer too, which `history ID` looks for."""
    after = "'rows', count(*)"
    if table == "responses":
        after += """, 'targets', (SELECT json_group_array(target_id) FROM (
            SELECT DISTINCT target_id FROM responses
            WHERE rowid > ? AND target_id <= ? ORDER BY target_id))"""
    # The key as json.dumps writes it, like the keys of the rows recorded one by one.
    return f"""SELECT '{table}', '{{"{RANGE}": [' || min(rowid) || ', ' || max(rowid) || ']}}',
                   NULL, json_object({after})
               FROM {table} WHERE rowid > ?"""


class _Import:
    """One import in progress, inside its write transaction."""

    def __init__(self, tx: Transaction, name: str, stage: Callable[[str], None]):
        self.tx = tx
        self.conn = tx.conn
        self.name = name
        self.stage = stage
        self.stamp = now()
        self.result = ImportResult()
        self.problems: list[tuple[int, str]] = []
        self.fatal = False
        # name_key(actor name) -> [id, name, side, in the database before, line giving side]
        self.actors: dict[str, list] = {}
        self.side_conflicts: dict[tuple[str, str], list] = {}
        self.sources: dict[tuple[str | None, str | None], int] = {}
        self.keys: dict[str, str] = {}
        self.restanced: set[int] = set()
        self.before = {
            table: self.conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            for table in KEYS
        }
        # Claim ids are AUTOINCREMENT: ids of deleted claims above the highest are not reused.
        used = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'claims'").fetchone()
        self.before["claims"] = max(self.before["claims"], used[0] if used else 0)
        # Into an empty database, every source is one this import made, and so in the cache.
        self.sources_all_known = self.before["sources"] == 0

    def run(self, rows: Iterable[ImportRow]) -> ImportResult:
        """Stage, check, write; raise InvalidInput listing every problem found."""
        for table in _TEMP_TABLES:
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self._stage_rows(rows)
        self._side_problems()
        if not self.fatal:
            self.stage("Checking")
            self._check_rows()
        self._raise_problems()
        self.stage("Writing")
        self._log_new("actors")
        self._log_new("sources")
        if self.conn.execute("SELECT EXISTS (SELECT 1 FROM import_rows)").fetchone()[0]:
            self._write_claims()
            self._write_links()
            self._update_merged()
        done = self.result
        self.tx.summary = (
            f"import {self.name}: {plural(done.claims_added, 'claim')} added, "
            f"{done.claims_merged} merged ({done.claims_changed} changed), "
            f"{plural(done.links_added, 'link')} added"
        )
        for table in _TEMP_TABLES:
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        return self.result

    # -- problems

    def _raise_problems(self) -> None:
        if not self.problems:
            return
        self.problems.sort(key=lambda problem: problem[0])
        count = len(self.problems)
        lines = "\n".join(f"{self.name}:{line}: {message}" for line, message in self.problems)
        raise InvalidInput(
            f"Nothing was imported: {count} problem{'s' if count > 1 else ''} in "
            f"{self.name}.\n{lines}\nCorrect the file and import it again."
        )

    def _problems(self, sql: str, params: tuple, message: Callable[..., str]) -> None:
        for line, *values in self.conn.execute(sql, params):
            self.problems.append((line, message(*values)))

    # -- staging

    def _key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            if len(self.keys) > _CACHE_SIZE:
                self.keys.clear()
            key = self.keys[name] = name_key(name)
        return key

    def _stage_rows(self, rows: Iterable[ImportRow]) -> None:
        self.conn.execute(
            """CREATE TEMP TABLE import_rows (
                   seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, ckey TEXT NOT NULL,
                   uid TEXT, target_label TEXT, target_uid TEXT, stance TEXT, text TEXT,
                   actor_id INTEGER, said_on TEXT, quote TEXT, note TEXT, sources TEXT,
                   tags TEXT, bad INTEGER NOT NULL
               )"""
        )
        # seq numbers the rows in file order (a line of JSON may hold several).
        insert = (
            "INSERT INTO import_rows (line, ckey, uid, target_label, target_uid, stance, text,"
            " actor_id, said_on, quote, note, sources, tags, bad)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        batch: list[tuple] = []
        for index, row in enumerate(rows):
            if row.problems:
                self.problems.extend((row.line, problem) for problem in row.problems)
                self.fatal = self.fatal or row.fatal
                if row.label is not None:
                    # Kept for its label only, so rows naming it are not reported as well.
                    batch.append((row.line, "l" + row.label, *(None,) * 11, 1))
            else:
                sources = self._sources(row.sources)
                batch.append(
                    (
                        row.line,
                        "l" + row.label if row.label is not None else f"n{index}",
                        row.uid,
                        None if row.target_label is None else "l" + row.target_label,
                        row.target_uid,
                        row.stance,
                        row.text,
                        self._actor(row),
                        row.on,
                        row.quote,
                        row.note,
                        "[" + ",".join(map(str, sources)) + "]" if sources else None,
                        _json_strings(row.tags) if row.tags else None,
                        0,
                    )
                )
            if len(batch) >= _BATCH:
                self.conn.executemany(insert, batch)
                batch.clear()
        self.conn.executemany(insert, batch)
        self.conn.execute("CREATE INDEX temp.import_rows_ckey ON import_rows(ckey)")
        self.uids_given = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM import_rows WHERE uid IS NOT NULL)"
        ).fetchone()[0]
        if self.uids_given:
            self.conn.execute("CREATE INDEX temp.import_rows_uid ON import_rows(uid)")

    def _actor(self, row: ImportRow) -> int:
        """The actor id of a row's claimant, created if new; its side set if it had none."""
        key = self._key(row.by)
        actor = self.actors.get(key)
        if actor is None:
            found = self.conn.execute(
                "SELECT id, name, side FROM actors WHERE key = ?", (key,)
            ).fetchone()
            if found is None:
                side_key = self._key(row.side) if row.side else None
                actor_id = self.conn.execute(
                    "INSERT INTO actors (name, key, side, side_key) VALUES (?, ?, ?, ?)",
                    (row.by, key, row.side, side_key),
                ).lastrowid
                self.result.actors_added += 1
                actor = [actor_id, row.by, row.side, False, row.line]
            else:
                actor = [*found, True, None]
            self.actors[key] = actor
        actor_id, name, side, known, side_line = actor
        if row.side is None or (side is not None and self._key(side) == self._key(row.side)):
            return actor_id
        if side is None:
            values = {"side": row.side, "side_key": self._key(row.side)}
            if known:
                self.tx.update("actors", {"id": actor_id}, values)
            else:
                self.conn.execute(
                    "UPDATE actors SET side = ?, side_key = ? WHERE id = ?",
                    (*values.values(), actor_id),
                )
            actor[2], actor[4] = row.side, row.line
            return actor_id
        conflict = self.side_conflicts.setdefault(
            (key, self._key(row.side)), [row.line, 0, name, side, row.side, side_line]
        )
        conflict[1] += 1
        return actor_id

    def _side_problems(self) -> None:
        for line, count, name, side, given, side_line in self.side_conflicts.values():
            more = f" (and on {count - 1} more rows)" if count > 1 else ""
            if side_line is None:
                message = (
                    f"{name} is on side {side} in the database, not {given}{more}: correct the "
                    f"file, or change the side first with `claimtrack actor edit "
                    f"{json.dumps(name, ensure_ascii=False)} --side "
                    f"{json.dumps(given, ensure_ascii=False)}`."
                )
            else:
                message = (
                    f"{name} is given side {given} here{more} but side {side} on line "
                    f"{side_line}: an actor has one side."
                )
            self.problems.append((line, message))

    def _sources(self, refs: list[tuple[str | None, str | None]]) -> list[int]:
        """Source ids for (url, title) pairs, created if new, each once."""
        ids: list[int] = []
        for ref in refs:
            source_id = self.sources.get(ref)
            if source_id is None:
                url, title = ref
                if self.sources_all_known:
                    found = None  # every source there is sits in the cache
                elif url is not None:
                    found = self.conn.execute(
                        "SELECT id FROM sources WHERE url = ?", (url,)
                    ).fetchone()
                else:
                    found = self.conn.execute(
                        "SELECT id FROM sources WHERE url IS NULL AND title = ?", (title,)
                    ).fetchone()
                if found is None:
                    source_id = self.conn.execute(
                        "INSERT INTO sources (url, title) VALUES (?, ?)", ref
                    ).lastrowid
                    self.result.sources_added += 1
                else:
                    source_id = found[0]
                if len(self.sources) > _CACHE_SIZE:
                    self.sources.clear()
                    self.sources_all_known = False
                self.sources[ref] = source_id
            if source_id not in ids:
                ids.append(source_id)
        return ids

    # -- checks across rows

    def _check_rows(self) -> None:
        """Problems that only the rows together show: repeated labels, uids, links."""
        self._problems(
            """SELECT line, label, first, differ FROM (
                   SELECT r.line, substr(r.ckey, 2) AS label, f.line AS first, rtrim(
                       iif(r.uid IS NOT f.uid, 'uid, ', '')
                       || iif(r.text IS NOT f.text, 'text, ', '')
                       || iif(r.actor_id IS NOT f.actor_id, 'by, ', '')
                       || iif(r.said_on IS NOT f.said_on, 'on, ', '')
                       || iif(r.quote IS NOT f.quote, 'quote, ', '')
                       || iif(r.sources IS NOT f.sources, 'sources, ', '')
                       || iif(r.tags IS NOT f.tags, 'tags, ', '')
                       || iif(r.note IS NOT f.note, 'note, ', ''), ', ') AS differ
                   FROM (SELECT ckey, min(seq) AS seq FROM import_rows WHERE NOT bad
                         GROUP BY ckey HAVING count(*) > 1) AS firsts
                   JOIN import_rows f ON f.seq = firsts.seq
                   JOIN import_rows r ON r.ckey = firsts.ckey AND r.seq > f.seq AND NOT r.bad
               ) WHERE differ != ''""",
            (),
            lambda label, first, differ: (
                f"id {label} is given again with another {differ} than on line {first}: the "
                "rows of a claim that answers several claims repeat the same values."
            ),
        )
        self._problems(
            """SELECT r.line, r.uid, f.line FROM (
                   SELECT uid, min(seq) AS seq FROM import_rows
                   WHERE uid IS NOT NULL AND NOT bad GROUP BY uid HAVING count(DISTINCT ckey) > 1
               ) AS firsts
               JOIN import_rows f ON f.seq = firsts.seq
               JOIN import_rows r ON r.uid = firsts.uid AND r.ckey != f.ckey AND NOT r.bad""",
            (),
            lambda uid, first: (
                f"uid {uid} is also the uid of the claim on line {first}, which has another id: "
                "give the rows of one claim the same id, and other claims their own uid."
            ),
        )
        self._problems(
            """SELECT line, substr(target_label, 2) FROM import_rows r
               WHERE target_label IS NOT NULL AND target_uid IS NULL AND NOT bad
                 AND NOT EXISTS (SELECT 1 FROM import_rows t WHERE t.ckey = r.target_label)""",
            (),
            lambda label: (
                f"responds_to {label} names no row of this file: give the id of another row, or "
                "responds_to_uid for a claim already in the database."
            ),
        )
        self._problems(
            """SELECT line, target_uid FROM import_rows r
               WHERE target_uid IS NOT NULL AND NOT bad
                 AND NOT EXISTS (SELECT 1 FROM import_rows t WHERE t.uid = r.target_uid)
                 AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.uid = r.target_uid)""",
            (),
            lambda uid: (
                f"responds_to_uid {uid} names no claim of this file or of the database: give "
                "the uid of a claim that is in one of them."
            ),
        )
        self._problems(
            """SELECT r.line, r.stance, f.stance, f.line FROM (
                   SELECT min(seq) AS seq FROM import_rows
                   WHERE NOT bad AND (target_label IS NOT NULL OR target_uid IS NOT NULL)
                   GROUP BY ckey, target_label, target_uid HAVING count(DISTINCT stance) > 1
               ) AS firsts
               JOIN import_rows f ON f.seq = firsts.seq
               JOIN import_rows r ON r.ckey = f.ckey AND r.target_label IS f.target_label
                   AND r.target_uid IS f.target_uid AND r.stance != f.stance AND NOT r.bad""",
            (),
            lambda stance, first_stance, first: (
                f"this row gives the stance {stance} to the link that line {first} gives the "
                f"stance {first_stance}: a claim answers another in one way."
            ),
        )

    # -- writing

    def _log_new(self, table: str) -> None:
        """Log the rows inserted into `table` since the import began, if there are any."""
        after = self.before[table]
        if self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE rowid > ?)", (after,)
        ).fetchone()[0]:
            params = (after, self.before["claims"]) if table == "responses" else ()
            self.tx.log_by_sql(_range_select(table), (*params, after))

    def _write_claims(self) -> None:
        """One claim per label (or unlabelled row): found by uid or by text, claimant and
        date, else inserted; then their new sources and tags."""
        conn = self.conn
        base = self.before["claims"]
        conn.execute("CREATE TEMP TABLE import_uids (n INTEGER PRIMARY KEY, uid TEXT NOT NULL)")
        conn.execute(
            """CREATE TEMP TABLE import_claims (
                   seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, ckey TEXT NOT NULL UNIQUE,
                   uid TEXT,
                   text TEXT NOT NULL, actor_id INTEGER NOT NULL, said_on TEXT, quote TEXT,
                   note TEXT, sources TEXT, tags TEXT, claim_id INTEGER
               )"""
        )
        # The first row of each label stands for the claim (the others repeat it). Each
        # claim is numbered as if new: in the order of the labels when those are numbers (so
        # an export imported into an empty database keeps its ids), else in file order.
        conn.execute(
            """INSERT INTO import_claims (seq, line, ckey, uid, text, actor_id, said_on, quote,
                                          note, sources, tags, claim_id)
               SELECT seq, line, ckey, uid, text, actor_id, said_on, quote, note, sources, tags,
                      :base + row_number() OVER (ORDER BY number IS NULL, number, seq)
               FROM (SELECT min(seq) AS seq, line, ckey, uid, text, actor_id, said_on, quote,
                            note, sources, tags,
                            iif(ckey GLOB 'l[0-9]*' AND NOT ckey GLOB 'l*[^0-9]*',
                                CAST(substr(ckey, 2) AS INTEGER), NULL) AS number
                     FROM import_rows WHERE NOT bad GROUP BY ckey)""",
            {"base": base},
        )
        if base and self._find_recorded():
            # Some are recorded claims: number the new ones again, without gaps.
            conn.execute(
                """UPDATE import_claims SET claim_id = :base + new.n
                   FROM (SELECT seq, row_number() OVER (ORDER BY claim_id) AS n
                         FROM import_claims WHERE claim_id > :base) AS new
                   WHERE import_claims.seq = new.seq""",
                {"base": base},
            )
        result = self.result
        # The search index takes the new claims in one statement rather than from the insert
        # trigger row by row: the trigger is dropped for the insert and made again, all inside
        # this transaction, so no other connection ever sees the schema without it.
        (trigger,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (SEARCH_INSERT_TRIGGER,),
        ).fetchone()
        conn.execute(f"DROP TRIGGER {SEARCH_INSERT_TRIGGER}")
        uid = f"coalesce(uid, {_UUID4})"
        if not self.uids_given:
            # New claims take their random uids in ascending order, so that the uid index
            # grows in order rather than at a random place for each claim (at a million
            # claims, a third of the time of the insert). Then claim base + n takes the n-th.
            conn.execute(
                f"""INSERT INTO import_uids (uid) SELECT uid FROM (
                        SELECT {_UUID4} AS uid FROM import_claims WHERE claim_id > ?
                    ) ORDER BY uid""",
                (base,),
            )
            uid = "(SELECT uid FROM import_uids u WHERE u.n = claim_id - :base)"
        result.claims_added = conn.execute(
            f"""INSERT INTO claims (id, uid, text, actor_id, said_on, quote, note, created, updated)
                SELECT claim_id, {uid}, text, actor_id, said_on, quote, note, :now, :now
                FROM import_claims WHERE claim_id > :base ORDER BY claim_id""",
            {"base": base, "now": self.stamp},
        ).rowcount
        conn.execute(trigger)
        conn.execute(f"{SEARCH_FILL} WHERE id > ?", (base,))
        result.claims_merged = conn.execute(
            "SELECT count(*) FROM import_claims WHERE claim_id <= ?", (base,)
        ).fetchone()[0]
        self._log_new("claims")
        # New sources of merged claims go after the ones they have.
        conn.execute(
            """INSERT OR IGNORE INTO claim_sources (claim_id, source_id, position)
               SELECT i.claim_id, s.value, s.key + iif(i.claim_id > :base, 0, (
                   SELECT coalesce(max(position) + 1, 0) FROM claim_sources cs
                   WHERE cs.claim_id = i.claim_id))
               FROM import_claims i, json_each(i.sources) s
               WHERE i.sources IS NOT NULL ORDER BY i.claim_id, s.key""",
            {"base": base},
        )
        self._log_new("claim_sources")
        conn.execute(
            """INSERT OR IGNORE INTO claim_tags (claim_id, tag)
               SELECT i.claim_id, t.value FROM import_claims i, json_each(i.tags) t
               WHERE i.tags IS NOT NULL ORDER BY i.claim_id, t.key"""
        )
        self._log_new("claim_tags")

    def _find_recorded(self) -> bool:
        """Give the file's claims that are recorded already their ids; whether any are."""
        conn = self.conn
        base = self.before["claims"]
        conn.execute(
            """UPDATE import_claims SET claim_id = (
                   SELECT id FROM claims c WHERE c.uid = import_claims.uid
               ) WHERE uid IN (SELECT uid FROM claims)"""
        )
        # Without a uid, the same text, claimant and date is the same claim. Several such
        # rows pair with several such claims in order, so a second import finds each one.
        conn.execute(
            """WITH wanted AS (
                   SELECT seq, text, actor_id, said_on, row_number() OVER (
                       PARTITION BY text, actor_id, said_on ORDER BY seq) AS n
                   FROM import_claims WHERE uid IS NULL AND actor_id <= :actors
               ), have AS (
                   SELECT c.id, c.text, c.actor_id, c.said_on, row_number() OVER (
                       PARTITION BY c.text, c.actor_id, c.said_on ORDER BY c.id) AS n
                   FROM (SELECT DISTINCT text, actor_id, said_on FROM wanted) AS k
                   JOIN claims c ON c.actor_id = k.actor_id AND c.said_on IS k.said_on
                       AND c.text = k.text
                   WHERE c.id NOT IN (
                       SELECT claim_id FROM import_claims WHERE claim_id <= :base)
               )
               UPDATE import_claims SET claim_id = have.id
               FROM wanted JOIN have ON have.text = wanted.text
                   AND have.actor_id = wanted.actor_id AND have.said_on IS wanted.said_on
                   AND have.n = wanted.n
               WHERE import_claims.seq = wanted.seq""",
            {"actors": self.before["actors"], "base": base},
        )
        return conn.execute(
            "SELECT EXISTS (SELECT 1 FROM import_claims WHERE claim_id <= ?)", (base,)
        ).fetchone()[0]

    def _write_links(self) -> None:
        """The response links the rows name, checked once every claim has its id."""
        conn = self.conn
        conn.execute(
            """CREATE TEMP TABLE import_links AS
               SELECT r.seq AS seq, r.line AS line, c.claim_id AS response_id,
                      (SELECT id FROM claims u WHERE u.uid = r.target_uid) AS by_uid,
                      t.claim_id AS by_label, r.stance AS stance,
                      substr(r.target_label, 2) AS label, r.target_uid AS uid
               FROM import_rows r JOIN import_claims c ON c.ckey = r.ckey
               LEFT JOIN import_claims t ON t.ckey = r.target_label
               WHERE NOT r.bad AND (r.target_label IS NOT NULL OR r.target_uid IS NOT NULL)"""
        )
        self._problems(
            "SELECT line, label, uid FROM import_links WHERE by_uid != by_label",
            (),
            lambda label, uid: (
                f"responds_to {label} and responds_to_uid {uid} name different claims: keep "
                "the one that is right."
            ),
        )
        self._problems(
            "SELECT line FROM import_links WHERE coalesce(by_uid, by_label) = response_id",
            (),
            lambda: (
                "this row answers itself: the claim it names is this row's claim (found by uid, "
                "or by the same text, claimant and date)."
            ),
        )
        self._raise_problems()
        base = self.before["claims"]
        for response_id, target_id, stance in conn.execute(
            """SELECT DISTINCT l.response_id, x.target_id, l.stance FROM import_links l
               JOIN responses x ON x.response_id = l.response_id
                   AND x.target_id = coalesce(l.by_uid, l.by_label)
               WHERE l.response_id <= ? AND x.stance != l.stance""",
            (base,),
        ).fetchall():
            key = {"response_id": response_id, "target_id": target_id}
            self.tx.update("responses", key, {"stance": stance})
            self.result.links_changed += 1
            self.restanced.add(response_id)
        self.result.links_added = conn.execute(
            """INSERT INTO responses (response_id, target_id, stance, created)
               SELECT response_id, coalesce(by_uid, by_label) AS target_id, stance, ?
               FROM import_links l WHERE NOT EXISTS (
                   SELECT 1 FROM responses x WHERE x.response_id = l.response_id
                       AND x.target_id = coalesce(l.by_uid, l.by_label))
               GROUP BY response_id, target_id ORDER BY min(seq)""",
            (self.stamp,),
        ).rowcount
        if not self.result.links_added:
            return
        self._log_new("responses")
        # Every link made by add and rebut points to an older claim, and so do the links of an
        # import whose rows come after the rows they answer: then there can be no cycle.
        if conn.execute(
            "SELECT EXISTS (SELECT 1 FROM responses WHERE response_id < target_id)"
        ).fetchone()[0]:
            self._check_cycles()

    def _check_cycles(self) -> None:
        """Refuse the new links that close a cycle, reported at their rows."""
        conn = self.conn
        # A cycle through a new link runs through claims that its target answers, recursively.
        conn.execute(
            """CREATE TEMP TABLE import_up AS
               WITH RECURSIVE up(id) AS (
                   SELECT target_id FROM responses WHERE rowid > ?
                   UNION
                   SELECT r.target_id FROM up JOIN responses r ON r.response_id = up.id
               ) SELECT id FROM up""",
            (self.before["responses"],),
        )
        conn.execute("CREATE UNIQUE INDEX temp.import_up_id ON import_up(id)")
        conn.execute(
            """CREATE TEMP TABLE import_graph AS
               SELECT r.response_id, r.target_id FROM import_up u
               JOIN responses r ON r.response_id = u.id
               WHERE r.target_id IN (SELECT id FROM import_up)"""
        )
        # Peel off links that cannot be on a cycle: from claims nothing answers, then to
        # claims that answer nothing. What is left is cycles.
        for peel in (
            "DELETE FROM import_graph"
            " WHERE response_id NOT IN (SELECT target_id FROM import_graph)",
            "DELETE FROM import_graph"
            " WHERE target_id NOT IN (SELECT response_id FROM import_graph)",
        ):
            while conn.execute(peel).rowcount:
                pass
        self._problems(
            """SELECT l.line, coalesce(l.label, l.uid) FROM import_links l
               JOIN import_graph g ON g.response_id = l.response_id
                   AND g.target_id = coalesce(l.by_uid, l.by_label)""",
            (),
            lambda target: (
                f"answering {target} closes a cycle: that claim answers this one already, "
                "directly or through others, and a claim cannot end up answering itself."
            ),
        )
        self._raise_problems()

    def _update_merged(self) -> None:
        """Merged claims take the file's text, claimant, and its non-empty date, quote and
        note; any that changed, or gained a source, tag or link, are marked updated."""
        conn = self.conn
        base = self.before["claims"]
        changes: dict[int, dict] = {}
        for claim_id, text, actor_id, said_on, quote, note in conn.execute(
            """SELECT i.claim_id, i.text, i.actor_id, i.said_on, i.quote, i.note
               FROM import_claims i JOIN claims c ON c.id = i.claim_id
               WHERE i.claim_id <= ? AND (i.text != c.text OR i.actor_id != c.actor_id
                   OR i.said_on IS NOT NULL AND i.said_on IS NOT c.said_on
                   OR i.quote IS NOT NULL AND i.quote IS NOT c.quote
                   OR i.note IS NOT NULL AND i.note IS NOT c.note)""",
            (base,),
        ).fetchall():
            values = {"text": text, "actor_id": actor_id}
            for column, value in (("said_on", said_on), ("quote", quote), ("note", note)):
                if value is not None:
                    values[column] = value
            changes[claim_id] = values
        for (claim_id,) in conn.execute(
            """SELECT claim_id FROM claim_sources WHERE rowid > :sources AND claim_id <= :base
               UNION SELECT claim_id FROM claim_tags WHERE rowid > :tags AND claim_id <= :base
               UNION SELECT response_id FROM responses
                   WHERE rowid > :links AND response_id <= :base""",
            {
                "base": base,
                "sources": self.before["claim_sources"],
                "tags": self.before["claim_tags"],
                "links": self.before["responses"],
            },
        ).fetchall():
            changes.setdefault(claim_id, {})
        for claim_id in self.restanced:
            changes.setdefault(claim_id, {})
        for claim_id, values in sorted(changes.items()):
            self.tx.update("claims", {"id": claim_id}, {**values, "updated": self.stamp})
        self.result.claims_changed = len(changes)
