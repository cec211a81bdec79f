"""Writing a staged import: claims (found by uid, or by text, claimant and date, else
inserted) with their sources and tags, the response links (refused where they close a cycle),
and the claims already recorded that the file changes."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from claimtrack.store.base import source_id
from claimtrack.store.claims import verdict_row
from claimtrack.store.import_staging import BATCH

if TYPE_CHECKING:
    from claimtrack.store.importer import ImportRun

# -- claims ---------------------------------------------------------------------------------


def write_claims(run: ImportRun) -> None:
    """One claim per label (or unlabelled row): found by uid or by text, claimant and
    date, else inserted; then their new sources and tags."""
    _number_claims(run)
    _insert_claims(run)
    _add_sources_and_tags(run)


def _number_claims(run: ImportRun) -> None:
    """The file's claims in `import_claims`, each with its id: a recorded claim's, else the
    next free one."""
    conn = run.conn
    base = run.before["claims"]
    conn.execute(
        """CREATE TEMP TABLE import_claims (
               seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, ckey TEXT NOT NULL UNIQUE,
               uid TEXT,
               text TEXT NOT NULL, actor_id BIGINT NOT NULL, said_on TEXT, quote TEXT,
               note TEXT, sources TEXT, tags TEXT, claim_id BIGINT
           )"""
    )
    # The first row of each label stands for the claim (the others repeat it). Each
    # claim is numbered as if new: in the order of the labels when those are numbers (so
    # an export imported into an empty database keeps its ids), else in file order.
    conn.execute(
        """INSERT INTO import_claims (seq, line, ckey, uid, text, actor_id, said_on, quote,
                                      note, sources, tags, claim_id)
           SELECT r.seq, r.line, r.ckey, r.uid, r.text, r.actor_id, r.said_on, r.quote, r.note,
                  r.sources, r.tags,
                  :base + row_number() OVER (ORDER BY r.number IS NULL, r.number, r.seq)
           FROM (SELECT min(seq) AS seq FROM import_rows WHERE bad = 0 GROUP BY ckey) AS firsts
           JOIN import_rows r ON r.seq = firsts.seq""",
        {"base": base},
    )
    run.sql.analyze(conn, "import_claims")
    if base and _find_recorded(run):
        # Some are recorded claims: number the new ones again, without gaps.
        conn.execute(
            """UPDATE import_claims SET claim_id = :base + renumbered.n
               FROM (SELECT seq, row_number() OVER (ORDER BY claim_id) AS n
                     FROM import_claims WHERE claim_id > :base) AS renumbered
               WHERE import_claims.seq = renumbered.seq""",
            {"base": base},
        )


def _find_recorded(run: ImportRun) -> bool:
    """Give the file's claims that are recorded already their ids; whether any are."""
    conn, sql = run.conn, run.sql
    base = run.before["claims"]
    conn.execute(
        """UPDATE import_claims SET claim_id = (
               SELECT id FROM claims c WHERE c.uid = import_claims.uid
           ) WHERE uid IN (SELECT uid FROM claims)"""
    )
    # Without a uid, the same text, claimant and date is the same claim. Several such
    # rows pair with several such claims in order, so a second import finds each one.
    conn.execute(
        f"""WITH wanted AS (
               SELECT seq, text, actor_id, said_on, row_number() OVER (
                   PARTITION BY text, actor_id, said_on ORDER BY seq) AS n
               FROM import_claims WHERE uid IS NULL AND actor_id <= :actors
           ), have AS (
               SELECT c.id, c.text, c.actor_id, c.said_on, row_number() OVER (
                   PARTITION BY c.text, c.actor_id, c.said_on ORDER BY c.id) AS n
               FROM (SELECT DISTINCT text, actor_id, said_on FROM wanted) AS k
               JOIN claims c ON c.actor_id = k.actor_id
                   AND {sql.same("c.said_on", "k.said_on")} AND c.text = k.text
               WHERE c.id NOT IN (
                   SELECT claim_id FROM import_claims WHERE claim_id <= :base)
           )
           UPDATE import_claims SET claim_id = have.id
           FROM wanted JOIN have ON have.text = wanted.text
               AND have.actor_id = wanted.actor_id
               AND {sql.same("have.said_on", "wanted.said_on")}
               AND have.n = wanted.n
           WHERE import_claims.seq = wanted.seq""",
        {"actors": run.before["actors"], "base": base},
    )
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM import_claims WHERE claim_id <= ?)", (base,)
    ).fetchone()[0]


def _insert_claims(run: ImportRun) -> None:
    """Insert the new claims, with their uids and their search index rows."""
    conn, sql = run.conn, run.sql
    base = run.before["claims"]
    with sql.bulk_claims(conn, base + 1):
        uid = f"coalesce(uid, {sql.uuid4()})"
        if not run.uids_given:
            # New claims take their random uids in ascending order, so that the uid index
            # grows in order rather than at a random place for each claim (at a million
            # claims, a third of the time of the insert). Then claim base + n takes the n-th.
            _number_uids(run)
            uid = "(SELECT uid FROM import_uids u WHERE u.n = claim_id - :base)"
        run.result.claims_added = conn.execute(
            f"""INSERT INTO claims (id, uid, text, actor_id, said_on, quote, note, created,
                                    updated)
                SELECT claim_id, {uid}, text, actor_id, said_on, quote, note, :now, :now
                FROM import_claims WHERE claim_id > :base ORDER BY claim_id""",
            {"base": base, "now": run.stamp},
        ).rowcount
    sql.ids_given(conn, "claims", base + run.result.claims_added)
    run.result.claims_merged = conn.execute(
        "SELECT count(*) FROM import_claims WHERE claim_id <= ?", (base,)
    ).fetchone()[0]
    run.log_new("claims")


def _number_uids(run: ImportRun) -> None:
    """A new random uid for each new claim in `import_uids`, numbered in ascending order."""
    run.conn.execute("CREATE TEMP TABLE import_uids (n INTEGER PRIMARY KEY, uid TEXT NOT NULL)")
    (fresh,) = run.conn.execute(
        "SELECT count(*) FROM import_claims WHERE claim_id > ?", (run.before["claims"],)
    ).fetchone()
    # Made in Python: about half the time SQLite takes to build them from random bytes.
    uids = sorted(str(uuid.uuid4()) for _ in range(fresh))
    for first in range(0, fresh, BATCH):
        numbered = list(enumerate(uids[first : first + BATCH], first + 1))
        run.sql.insert_rows(run.conn, "import_uids", ("n", "uid"), numbered)


def _add_sources_and_tags(run: ImportRun) -> None:
    """The claims' sources and tags that they do not have yet."""
    conn, sql = run.conn, run.sql
    # New sources of merged claims go after the ones they have.
    conn.execute(
        f"""INSERT INTO claim_sources (claim_id, source_id, position)
            SELECT i.claim_id, CAST(s.value AS BIGINT), s.key + CASE
                WHEN i.claim_id > :base THEN 0
                ELSE (SELECT coalesce(max(position) + 1, 0) FROM claim_sources cs
                      WHERE cs.claim_id = i.claim_id) END
            FROM import_claims i, {sql.json_items("i.sources", "s")}
            WHERE i.sources IS NOT NULL ORDER BY i.claim_id, s.key
            ON CONFLICT DO NOTHING""",
        {"base": run.before["claims"]},
    )
    run.log_new("claim_sources")
    conn.execute(
        f"""INSERT INTO claim_tags (claim_id, tag)
            SELECT i.claim_id, t.value FROM import_claims i, {sql.json_items("i.tags", "t")}
            WHERE i.tags IS NOT NULL ORDER BY i.claim_id, t.key
            ON CONFLICT DO NOTHING"""
    )
    run.log_new("claim_tags")


# -- links ----------------------------------------------------------------------------------


def write_links(run: ImportRun) -> None:
    """The response links the rows name, checked once every claim has its id."""
    _stage_links(run)
    _restance(run)
    run.result.links_added = run.conn.execute(
        """INSERT INTO responses (response_id, target_id, stance, created)
           SELECT response_id, coalesce(by_uid, by_label) AS target_id, min(stance), ?
           FROM import_links l WHERE NOT EXISTS (
               SELECT 1 FROM responses x WHERE x.response_id = l.response_id
                   AND x.target_id = coalesce(l.by_uid, l.by_label))
           GROUP BY response_id, target_id ORDER BY min(seq)""",
        (run.stamp,),
    ).rowcount
    if not run.result.links_added:
        return
    run.log_new("responses")
    # Every link made by add and rebut points to an older claim, and so do the links of an
    # import whose rows come after the rows they answer: then there can be no cycle.
    if run.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM responses WHERE response_id < target_id)"
    ).fetchone()[0]:
        _check_cycles(run)


def _stage_links(run: ImportRun) -> None:
    """The links in `import_links`, each with its target found by uid and by label; refused
    where those differ or name the row's own claim."""
    run.conn.execute(
        """CREATE TEMP TABLE import_links AS
           SELECT r.seq AS seq, r.line AS line, c.claim_id AS response_id,
                  (SELECT id FROM claims u WHERE u.uid = r.target_uid) AS by_uid,
                  t.claim_id AS by_label, r.stance AS stance,
                  substr(r.target_label, 2) AS label, r.target_uid AS uid
           FROM import_rows r JOIN import_claims c ON c.ckey = r.ckey
           LEFT JOIN import_claims t ON t.ckey = r.target_label
           WHERE r.bad = 0 AND (r.target_label IS NOT NULL OR r.target_uid IS NOT NULL)"""
    )
    run.sql.analyze(run.conn, "import_links")
    run.problems_from(
        "SELECT line, label, uid FROM import_links WHERE by_uid != by_label",
        lambda label, uid: (
            f"responds_to {label} and responds_to_uid {uid} name different claims: keep "
            "the one that is right."
        ),
    )
    run.problems_from(
        "SELECT line FROM import_links WHERE coalesce(by_uid, by_label) = response_id",
        lambda: (
            "this row answers itself: the claim it names is this row's claim (found by uid, "
            "or by the same text, claimant and date)."
        ),
    )
    run.raise_problems()


def _restance(run: ImportRun) -> None:
    """Recorded links that the file gives another stance take it."""
    for response_id, target_id, stance in run.conn.execute(
        """SELECT DISTINCT l.response_id, x.target_id, l.stance FROM import_links l
           JOIN responses x ON x.response_id = l.response_id
               AND x.target_id = coalesce(l.by_uid, l.by_label)
           WHERE l.response_id <= ? AND x.stance != l.stance""",
        (run.before["claims"],),
    ).fetchall():
        key = {"response_id": response_id, "target_id": target_id}
        run.tx.update("responses", key, {"stance": stance})
        run.result.links_changed += 1
        run.restanced.add(response_id)


def _check_cycles(run: ImportRun) -> None:
    """Refuse the new links that close a cycle, reported at their rows."""
    conn = run.conn
    # A cycle through a new link runs through claims that its target answers, recursively.
    conn.execute(
        """CREATE TEMP TABLE import_up AS
           WITH RECURSIVE up(id) AS (
               SELECT target_id FROM responses WHERE rowid > ?
               UNION
               SELECT r.target_id FROM up JOIN responses r ON r.response_id = up.id
           ) SELECT id FROM up""",
        (run.before["responses"],),
    )
    conn.execute("CREATE UNIQUE INDEX import_up_id ON import_up(id)")
    conn.execute(
        """CREATE TEMP TABLE import_graph AS
           SELECT r.response_id, r.target_id FROM import_up u
           JOIN responses r ON r.response_id = u.id
           WHERE r.target_id IN (SELECT id FROM import_up)"""
    )
    # Peel off links that cannot be on a cycle: from claims nothing answers, then to
    # claims that answer nothing. What is left is cycles.
    for peel in (
        "DELETE FROM import_graph WHERE response_id NOT IN (SELECT target_id FROM import_graph)",
        "DELETE FROM import_graph WHERE target_id NOT IN (SELECT response_id FROM import_graph)",
    ):
        while conn.execute(peel).rowcount:
            pass
    run.problems_from(
        """SELECT l.line, coalesce(l.label, l.uid) FROM import_links l
           JOIN import_graph g ON g.response_id = l.response_id
               AND g.target_id = coalesce(l.by_uid, l.by_label)""",
        lambda target: (
            f"answering {target} closes a cycle: that claim answers this one already, "
            "directly or through others, and a claim cannot end up answering itself."
        ),
    )
    run.raise_problems()


# -- merged claims --------------------------------------------------------------------------


def update_merged(run: ImportRun) -> None:
    """Merged claims take the file's text, claimant, and its non-empty date, quote and
    note; any that changed, or gained a source, tag or link, are marked updated."""
    conn = run.conn
    base = run.before["claims"]
    changes: dict[int, dict] = {}
    given_and_changed = " OR ".join(
        f"i.{column} IS NOT NULL AND {run.sql.differ(f'i.{column}', f'c.{column}')}"
        for column in ("said_on", "quote", "note")
    )
    for claim_id, text, actor_id, said_on, quote, note in conn.execute(
        f"""SELECT i.claim_id, i.text, i.actor_id, i.said_on, i.quote, i.note
            FROM import_claims i JOIN claims c ON c.id = i.claim_id
            WHERE i.claim_id <= ? AND (i.text != c.text OR i.actor_id != c.actor_id
                OR {given_and_changed})""",
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
            "sources": run.before["claim_sources"],
            "tags": run.before["claim_tags"],
            "links": run.before["responses"],
        },
    ).fetchall():
        changes.setdefault(claim_id, {})
    for claim_id in run.restanced:
        changes.setdefault(claim_id, {})
    for claim_id, values in sorted(changes.items()):
        run.tx.update("claims", {"id": claim_id}, {**values, "updated": run.stamp})
    run.result.claims_changed = len(changes)


# -- verdicts and source descriptions -------------------------------------------------------


def write_details(run: ImportRun) -> None:
    """The file's verdicts (on new claims inserted, on recorded ones changed) and the
    descriptions of its sources (filling the fields a source lacks)."""
    _write_verdicts(run)
    _describe_sources(run)


def _write_verdicts(run: ImportRun) -> None:
    if not run.verdicts:
        return
    conn = run.conn
    base = run.before["claims"]
    ids = dict(
        conn.execute(
            f"SELECT ckey, claim_id FROM import_claims WHERE ckey IN ({run.sql.texts()})",
            (json.dumps(list(run.verdicts)),),
        ).fetchall()
    )
    new = []
    for ckey, verdict in run.verdicts.items():
        claim_id = ids[ckey]
        row = verdict_row(claim_id, verdict)
        if claim_id > base:
            new.append(tuple(row.values()))
            continue
        recorded = run.tx.select("verdicts", {"claim_id": claim_id})
        if recorded is None:
            run.tx.insert("verdicts", row)
            run.result.verdicts_added += 1
        elif run.tx.update(
            "verdicts", {"claim_id": claim_id}, {k: v for k, v in row.items() if k != "claim_id"}
        ):
            run.result.verdicts_changed += 1
    conn.executemany(
        "INSERT INTO verdicts (claim_id, label, label_key, value, best, worst)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        new,
    )
    run.result.verdicts_added += len(new)
    # A verdict's rowid is its claim's id: those past `base` are the new claims' verdicts
    # (the recorded claims' ones are logged one by one above).
    run.log_new("verdicts", after=base)


def _describe_sources(run: ImportRun) -> None:
    """Fill in each described source's title, outlet, date and archived copy where it has
    none; a source the import made is logged with it, a recorded one as a change."""
    fields = ("title", "outlet", "published", "archived_url")
    for key, description in run.described.items():
        found = source_id(run.conn, *key)
        if found is None:
            continue
        current = run.tx.select("sources", {"id": found})
        assert current is not None
        wanted = {
            name: value
            for name, value in zip(fields, description, strict=True)
            if value is not None and current[name] is None
        }
        if not wanted:
            continue
        if found > run.before["sources"]:
            sets = ", ".join(f"{name} = ?" for name in wanted)
            run.conn.execute(f"UPDATE sources SET {sets} WHERE id = ?", (*wanted.values(), found))
        else:
            run.tx.update("sources", {"id": found}, wanted)
        run.result.sources_described += 1
