"""Schema versions, one function each. Applied only by `claimtrack.db.open_database`."""

from sqlite_utils import Database, Migrations

migrations = Migrations("claimtrack")


@migrations(name="0001_initial")
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
            id INTEGER PRIMARY KEY,
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
