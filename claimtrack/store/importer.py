"""Bulk import: its SQL.

An import stages the file's rows in temporary tables (`import_staging`), checks them there,
and then writes them with a few INSERT ... SELECT statements (`import_writes`), all in the one
transaction of `StoreBase.write`. The change log gets the rows it inserted as one rowid range
per table (`Transaction.log_by_sql`), so that its size does not grow with the file and undo
deletes them with one statement per table; the recorded rows it changes (merged claims, an
actor's side, a link's stance) are logged one by one with their images before and after, like
any write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from claimtrack.errors import InvalidInput
from claimtrack.model import ImportResult, Verdict
from claimtrack.store import import_writes
from claimtrack.store.base import KEYS, RANGE, ROW_NUMBER, StoreBase, Transaction, now
from claimtrack.store.import_staging import Staging
from claimtrack.wording import plural

if TYPE_CHECKING:
    from claimtrack.dialect import Dialect
    from claimtrack.flatfile.cells import SourceDescription, SourceKey
    from claimtrack.flatfile.rows import ImportRow

TEMP_TABLES = (
    "import_rows",
    "import_claims",
    "import_uids",
    "import_links",
    "import_up",
    "import_graph",
)


class _DryRun(Exception):
    """Raised inside the write to roll it back, carrying what it would have done."""

    def __init__(self, result: ImportResult):
        super().__init__("dry run")
        self.result = result


class ImportArea(StoreBase):
    """Bulk import of checked rows of the flat format."""

    def import_rows(
        self,
        rows: Iterable[ImportRow],
        name: str,
        *,
        dry_run: bool = False,
        stage: Callable[[str], None] | None = None,
        places: dict[int, str] | None = None,
    ) -> ImportResult:
        """Import validated rows all or nothing; InvalidInput lists every problem as NAME:LINE
        (or as `places` names a row's place).

        A dry run does the whole import and rolls it back, so its counts are exact.
        """
        try:
            with self.sql.bulk_write(self.conn), self.write("import") as tx:
                run = ImportRun(tx, self.sql, name, stage or (lambda _: None))
                run.places = places if places is not None else {}
                result = run_import(run, rows)
                if dry_run:
                    result.dry_run = True
                    raise _DryRun(result)
        except _DryRun as done:
            return done.result
        return result


def _range_select(sql: Dialect, table: str) -> str:
    """SQL naming the rows of `table` past a row number as one change-log row: their range and
    count. For links, the recorded claims they answer too, which `history ID` looks for."""
    number = ROW_NUMBER[table]
    after = ["'rows'", "count(*)"]
    if table == "responses":
        targets = sql.json_array_agg("target_id", "target_id")
        after += [
            "'targets'",
            f"""(SELECT {targets} FROM (
                SELECT DISTINCT target_id FROM responses
                WHERE rowid > ? AND target_id <= ? ORDER BY target_id) AS answered)""",
        ]
    # The key as json.dumps writes it, like the keys of the rows recorded one by one.
    return f"""SELECT '{table}', '{{"{RANGE}": [' || min({number}) || ', ' || max({number})
                   || ']}}', NULL, {sql.json_object(*after)}
               FROM {table} WHERE {number} > ?"""


class ImportRun:
    """One import in progress, inside its write transaction: what its phases share."""

    def __init__(self, tx: Transaction, sql: Dialect, name: str, stage: Callable[[str], None]):
        self.tx = tx
        self.conn = tx.conn
        self.sql = sql
        self.name = name
        self.stage = stage
        self.stamp = now()
        self.result = ImportResult()
        self.problems: list[tuple[int, str]] = []
        self.fatal = False  # a row past which the file could not be read
        self.places: dict[int, str] = {}  # where rows not numbered by line come from
        self.uids_given = False  # whether any row gives a uid
        self.restanced: set[int] = set()  # recorded claims whose link got another stance
        self.verdicts: dict[str, Verdict] = {}  # by claim key (import_claims.ckey)
        self.described: dict[SourceKey, SourceDescription] = {}
        # The highest row number of each table before the import: above it, rows it inserted.
        self.before = {
            table: self.conn.execute(
                f"SELECT coalesce(max({ROW_NUMBER[table]}), 0) FROM {table}"
            ).fetchone()[0]
            for table in KEYS
        }
        # Ids of deleted claims above the highest are not reused.
        self.before["claims"] = sql.last_id(self.conn, "claims")

    def problems_from(self, sql: str, message: Callable[..., str]) -> None:
        """A problem for each (line, *values) row that `sql` selects, worded by `message`."""
        for line, *values in self.conn.execute(sql):
            self.problems.append((line, message(*values)))

    def raise_problems(self) -> None:
        """InvalidInput listing every problem found so far, by line, if there are any."""
        if not self.problems:
            return
        self.problems.sort(key=lambda problem: problem[0])
        count = len(self.problems)
        lines = "\n".join(
            f"{self.places.get(line) or f'{self.name}:{line}'}: {message}"
            for line, message in self.problems
        )
        raise InvalidInput(
            f"Nothing was imported: {count} problem{'s' if count > 1 else ''} in "
            f"{self.name}.\n{lines}\nCorrect the file and import it again."
        )

    def log_new(self, table: str, after: int | None = None) -> None:
        """Log the rows inserted into `table` since the import began (or past rowid `after`),
        if there are any."""
        after = self.before[table] if after is None else after
        if self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {ROW_NUMBER[table]} > ?)", (after,)
        ).fetchone()[0]:
            params = (after, self.before["claims"]) if table == "responses" else ()
            self.tx.log_by_sql(_range_select(self.sql, table), (*params, after))


def run_import(run: ImportRun, rows: Iterable[ImportRow]) -> ImportResult:
    """Stage, check, write; raise InvalidInput listing every problem found."""
    conn = run.conn
    for table in TEMP_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {run.sql.temp}.{table}")
    Staging(run).stage(rows)
    # Each phase names how much it works on, so that a long one shows its counts too.
    (staged,) = conn.execute("SELECT count(*) FROM import_rows").fetchone()
    if not run.fatal:
        run.stage(f"Checking {plural(staged, 'row')} of")
        check_rows(run)
    run.raise_problems()
    run.stage(f"Writing {plural(staged, 'row')} of")
    run.log_new("actors")
    run.log_new("sources")
    if conn.execute("SELECT EXISTS (SELECT 1 FROM import_rows)").fetchone()[0]:
        import_writes.write_claims(run)
        import_writes.write_links(run)
        import_writes.update_merged(run)
        import_writes.write_details(run)
    done = run.result
    run.tx.summary = (
        f"import {run.name}: {plural(done.claims_added, 'claim')} added, "
        f"{done.claims_merged} merged ({done.claims_changed} changed), "
        f"{plural(done.links_added, 'link')} added"
    )
    for table in TEMP_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {run.sql.temp}.{table}")
    return done


def _checks(sql: Dialect) -> tuple[tuple[str, Callable[..., str]], ...]:
    """Problems that only the staged rows together show, each as the SQL that finds them,
    selecting (line, *values), and the wording of one: repeated labels, uids, links."""
    differs = "".join(
        f"\n                   || CASE WHEN {sql.differ(f'r.{column}', f'f.{column}')}"
        f" THEN '{name}, ' ELSE '' END"
        for column, name in (
            ("uid", "uid"),
            ("text", "text"),
            ("actor_id", "by"),
            ("said_on", "on"),
            ("quote", "quote"),
            ("sources", "sources"),
            ("tags", "tags"),
            ("note", "note"),
        )
    )
    return (
        (
            f"""SELECT line, label, first_line, differ FROM (
                   SELECT r.line, substr(r.ckey, 2) AS label, f.line AS first_line,
                       rtrim(''{differs}, ', ') AS differ
                   FROM (SELECT ckey, min(seq) AS seq FROM import_rows WHERE bad = 0
                         GROUP BY ckey HAVING count(*) > 1) AS firsts
                   JOIN import_rows f ON f.seq = firsts.seq
                   JOIN import_rows r ON r.ckey = firsts.ckey AND r.seq > f.seq AND r.bad = 0
               ) AS repeated WHERE differ != ''""",
            lambda label, first, differ: (
                f"id {label} is given again with another {differ} than on line {first}: the "
                "rows of a claim that answers several claims repeat the same values."
            ),
        ),
        (
            """SELECT r.line, r.uid, f.line FROM (
                   SELECT uid, min(seq) AS seq FROM import_rows
                   WHERE uid IS NOT NULL AND bad = 0 GROUP BY uid
                   HAVING count(DISTINCT ckey) > 1
               ) AS firsts
               JOIN import_rows f ON f.seq = firsts.seq
               JOIN import_rows r ON r.uid = firsts.uid AND r.ckey != f.ckey AND r.bad = 0""",
            lambda uid, first: (
                f"uid {uid} is also the uid of the claim on line {first}, which has another "
                "id: give the rows of one claim the same id, and other claims their own uid."
            ),
        ),
        (
            """SELECT line, substr(target_label, 2) FROM import_rows r
               WHERE target_label IS NOT NULL AND target_uid IS NULL AND bad = 0
                 AND NOT EXISTS (SELECT 1 FROM import_rows t WHERE t.ckey = r.target_label)""",
            lambda label: (
                f"responds_to {label} names no row of this file: give the id of another row, "
                "or responds_to_uid for a claim already in the database."
            ),
        ),
        (
            """SELECT line, target_uid FROM import_rows r
               WHERE target_uid IS NOT NULL AND bad = 0
                 AND NOT EXISTS (SELECT 1 FROM import_rows t WHERE t.uid = r.target_uid)
                 AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.uid = r.target_uid)""",
            lambda uid: (
                f"responds_to_uid {uid} names no claim of this file or of the database: give "
                "the uid of a claim that is in one of them."
            ),
        ),
        (
            f"""SELECT r.line, r.stance, f.stance, f.line FROM (
                   SELECT min(seq) AS seq FROM import_rows
                   WHERE bad = 0 AND (target_label IS NOT NULL OR target_uid IS NOT NULL)
                   GROUP BY ckey, target_label, target_uid HAVING count(DISTINCT stance) > 1
               ) AS firsts
               JOIN import_rows f ON f.seq = firsts.seq
               JOIN import_rows r ON r.ckey = f.ckey
                   AND {sql.same("r.target_label", "f.target_label")}
                   AND {sql.same("r.target_uid", "f.target_uid")}
                   AND r.stance != f.stance AND r.bad = 0""",
            lambda stance, first_stance, first: (
                f"this row gives the stance {stance} to the link that line {first} gives the "
                f"stance {first_stance}: a claim answers another in one way."
            ),
        ),
    )


def check_rows(run: ImportRun) -> None:
    """Problems that only the rows together show: repeated labels, uids, links."""
    for check, message in _checks(run.sql):
        run.problems_from(check, message)
