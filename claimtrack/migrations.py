"""Schema versions, one function each, in `STEPS`. Applied only by `claimtrack.db`.

sqlite-utils is imported only when a database needs migrating: the names in `STEPS` let an
up-to-date database be recognised without it, which keeps every command's start-up short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

SET_NAME = "claimtrack"


def initial(db: Database) -> None:
    """Claims, actors, sources, tags, response links and the change log."""
    db.executescript(
        """
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            side TEXT,
            side_key TEXT,
            note TEXT
        );
        CREATE INDEX actors_side_key ON actors(side_key);

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            url TEXT UNIQUE,
            title TEXT,
            outlet TEXT,
            published TEXT,
            archived_url TEXT,
            CHECK (url IS NOT NULL OR title IS NOT NULL)
        );
        CREATE UNIQUE INDEX sources_title_only ON sources(title) WHERE url IS NULL;

        CREATE TABLE claims (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- an id is never given to a second claim
            uid TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            actor_id INTEGER NOT NULL REFERENCES actors(id),
            said_on TEXT,
            quote TEXT,
            note TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX claims_newest ON claims(said_on, id);
        CREATE INDEX claims_actor_newest ON claims(actor_id, said_on, id);

        CREATE TABLE claim_sources (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            source_id INTEGER NOT NULL REFERENCES sources(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (claim_id, source_id)
        );
        CREATE INDEX claim_sources_source ON claim_sources(source_id);

        CREATE TABLE claim_tags (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            tag TEXT NOT NULL,
            PRIMARY KEY (claim_id, tag)
        );
        CREATE INDEX claim_tags_tag ON claim_tags(tag, claim_id);

        CREATE TABLE responses (
            response_id INTEGER NOT NULL REFERENCES claims(id),
            target_id INTEGER NOT NULL REFERENCES claims(id),
            stance TEXT NOT NULL
                CHECK (stance IN ('refutes', 'disputes', 'qualifies', 'supports')),
            created TEXT NOT NULL,
            PRIMARY KEY (response_id, target_id),
            CHECK (response_id != target_id)
        );
        CREATE INDEX responses_target ON responses(target_id, stance);

        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            claim_id INTEGER,
            summary TEXT NOT NULL
        );
        CREATE INDEX changes_claim ON changes(claim_id);

        CREATE TABLE change_rows (
            change_id INTEGER NOT NULL REFERENCES changes(id),
            seq INTEGER NOT NULL,
            tbl TEXT NOT NULL,
            key TEXT NOT NULL,
            before TEXT,
            after TEXT,
            PRIMARY KEY (change_id, seq)
        );
        """
    )


# Indexes every claim (a bulk import adds a WHERE clause).
SEARCH_FILL = """INSERT INTO claims_fts (rowid, text, quote, note)
    SELECT id, claimtrack_fold(text), claimtrack_fold(quote), claimtrack_fold(note)
    FROM claims"""
# A bulk import drops this trigger inside its transaction and indexes its claims at once.
SEARCH_INSERT_TRIGGER = "claims_fts_insert"

# The search index holds each claim's text, quote and note folded by `claimtrack.fold.fold`,
# which `claimtrack.db` registers on every connection as `claimtrack_fold`. Triggers keep it in
# step with every write to `claims`, whichever code path makes it (the store, bulk import, undo).
# It stores its folded copies rather than being contentless: deleting from a contentless table
# needs the exact values once indexed, so a later change to the folding rules would corrupt it;
# here such a change needs only a migration that re-folds the rows.
SEARCH_SCHEMA = (
    """CREATE VIRTUAL TABLE claims_fts USING fts5(
        text, quote, note,
        tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    )""",
    SEARCH_FILL,
    f"""CREATE TRIGGER {SEARCH_INSERT_TRIGGER} AFTER INSERT ON claims BEGIN
        INSERT INTO claims_fts (rowid, text, quote, note) VALUES (
            new.id, claimtrack_fold(new.text), claimtrack_fold(new.quote),
            claimtrack_fold(new.note)
        );
    END""",
    """CREATE TRIGGER claims_fts_update AFTER UPDATE OF id, text, quote, note ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.id;
        INSERT INTO claims_fts (rowid, text, quote, note) VALUES (
            new.id, claimtrack_fold(new.text), claimtrack_fold(new.quote),
            claimtrack_fold(new.note)
        );
    END""",
    """CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.id;
    END""",
)


def search(db: Database) -> None:
    """Full-text search over claims' text, quote and note, folded across scripts."""
    # One statement at a time: executescript would commit the migration's transaction.
    for statement in SEARCH_SCHEMA:
        db.conn.execute(statement)


def verdicts(db: Database) -> None:
    """Verdicts: the rating a review (itself a claim answering the claim it rates) gives.

    `label_key` is the label folded in Python (`claimtrack.ratings.rating_key`), so that
    `--verdict false` finds "False" and "FALSE" without a function of claimtrack's inside the
    database."""
    db.conn.execute(
        """CREATE TABLE verdicts (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id),
            label TEXT NOT NULL CHECK (label != ''),
            label_key TEXT NOT NULL,
            value REAL,
            best REAL,
            worst REAL
        )"""
    )
    db.conn.execute("CREATE INDEX verdicts_label ON verdicts(label_key)")


# The claims whose search index entry holds their raw text, not yet folded: written by the
# triggers of 0004 (plain SQL, so any program may write claims) and folded by claimtrack at its
# next write (`StoreBase.write`).
SEARCH_REFOLD = "search_refold"

# Claims with their claimant, side, status and tags as columns: what Datasette facets on.
# The status is computed as claimtrack computes it (SPEC "Status"), frozen here as of 0004.
OVERVIEW_VIEW = "claims_overview"


def outside_writes(db: Database) -> None:
    """Files writable without claimtrack's functions, and a view for Datasette's facets.

    The search triggers of 0002 folded text with `claimtrack_fold`, which only claimtrack gives
    SQLite, so `sqlite3`, `sqlite-utils` and Datasette could not add or change a claim. Now they
    index the raw text (searchable at once where folding changes nothing) and note the claim in
    `search_refold`; claimtrack folds the noted claims' entries at its next write."""
    statements = [
        f"CREATE TABLE {SEARCH_REFOLD} (claim_id INTEGER PRIMARY KEY)",
        "DROP TRIGGER claims_fts_insert",
        "DROP TRIGGER claims_fts_update",
        f"""CREATE TRIGGER {SEARCH_INSERT_TRIGGER} AFTER INSERT ON claims BEGIN
            INSERT INTO claims_fts (rowid, text, quote, note)
                VALUES (new.id, new.text, new.quote, new.note);
            INSERT OR IGNORE INTO {SEARCH_REFOLD} (claim_id) VALUES (new.id);
        END""",
        f"""CREATE TRIGGER claims_fts_update AFTER UPDATE OF id, text, quote, note ON claims
        BEGIN
            DELETE FROM claims_fts WHERE rowid = old.id;
            INSERT INTO claims_fts (rowid, text, quote, note)
                VALUES (new.id, new.text, new.quote, new.note);
            INSERT OR IGNORE INTO {SEARCH_REFOLD} (claim_id) VALUES (new.id);
        END""",
        f"""CREATE VIEW {OVERVIEW_VIEW} AS
        SELECT c.id, c.text, a.name AS claimant, a.side, c.said_on AS said_on,
            (SELECT CASE
                WHEN count(*) = 0 THEN 'unanswered'
                WHEN sum(r.stance IN ('refutes', 'disputes')) > 0
                     AND sum(r.stance = 'supports') > 0 THEN 'mixed'
                WHEN sum(r.stance IN ('refutes', 'disputes')) > 0 THEN 'contested'
                WHEN sum(r.stance = 'supports') > 0 THEN 'supported'
                ELSE 'qualified'
             END
             FROM responses r WHERE r.target_id = c.id) AS status,
            (SELECT json_group_array(tag) FROM (
                SELECT t.tag FROM claim_tags t WHERE t.claim_id = c.id ORDER BY t.rowid
             )) AS tags,
            (SELECT count(*) FROM responses r WHERE r.target_id = c.id) AS responses,
            c.quote, c.note, c.uid, c.created, c.updated
        FROM claims c JOIN actors a ON a.id = c.actor_id""",
    ]
    for statement in statements:
        db.conn.execute(statement)


# How many claims the record holds, and how many of them answer a claim (the rest are threads),
# kept by triggers: the "N more" lines of `list` and `threads` read them instead of counting a
# million rows. The triggers are plain SQL, so the writes of every program are counted.
RECORD_COUNTS = "record_counts"

_COUNT = f"UPDATE {RECORD_COUNTS} SET n = n {{sign}} 1 WHERE name = '{{name}}'"
# Whether `row` is the only link of the claim that answers in it (`row.response_id`).
_ONLY_LINK = """NOT EXISTS (SELECT 1 FROM responses r
    WHERE r.response_id = {row}.response_id AND r.target_id != {row}.target_id)"""
_NO_LINK = "NOT EXISTS (SELECT 1 FROM responses r WHERE r.response_id = {row}.response_id)"


def record_counts(db: Database) -> None:
    """Kept counts of claims (`claims`) and of claims that answer at least one (`answering`)."""
    added, removed = (
        _COUNT.format(sign="+", name="answering"),
        _COUNT.format(sign="-", name="answering"),
    )
    statements = [
        f"CREATE TABLE {RECORD_COUNTS} (name TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL)",
        f"""INSERT INTO {RECORD_COUNTS} (name, n) VALUES
            ('claims', (SELECT count(*) FROM claims)),
            ('answering', (SELECT count(DISTINCT response_id) FROM responses))""",
        f"""CREATE TRIGGER claims_count_insert AFTER INSERT ON claims BEGIN
            {_COUNT.format(sign="+", name="claims")};
        END""",
        f"""CREATE TRIGGER claims_count_delete AFTER DELETE ON claims BEGIN
            {_COUNT.format(sign="-", name="claims")};
        END""",
        f"""CREATE TRIGGER responses_count_insert AFTER INSERT ON responses
            WHEN {_ONLY_LINK.format(row="new")} BEGIN {added}; END""",
        f"""CREATE TRIGGER responses_count_delete AFTER DELETE ON responses
            WHEN {_NO_LINK.format(row="old")} BEGIN {removed}; END""",
        f"""CREATE TRIGGER responses_count_update AFTER UPDATE OF response_id ON responses
            WHEN old.response_id != new.response_id BEGIN
            {removed} AND {_NO_LINK.format(row="old")};
            {added} AND {_ONLY_LINK.format(row="new")};
        END""",
    ]
    for statement in statements:
        db.conn.execute(statement)


STEPS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", initial),
    ("0002_search", search),
    ("0003_verdicts", verdicts),
    ("0004_outside_writes", outside_writes),
    ("0005_record_counts", record_counts),
]


def migration_set() -> Migrations:
    """The steps as a `sqlite_utils.Migrations` set, which applies and records them."""
    from sqlite_utils import Migrations

    migrations = Migrations(SET_NAME)
    for name, step in STEPS:
        migrations(name=name)(step)
    return migrations
