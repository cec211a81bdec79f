"""Full-text search and the timeline: their SQL."""

from __future__ import annotations

import json
import sqlite3

from claimtrack.model import ClaimFilter, ClaimPage
from claimtrack.query import SearchQuery, invalid_query
from claimtrack.store.base import EVERY_CLAIM, StoreBase

# How many matches a search ranks at most: the most recently recorded ones. Scoring every match
# of a common word would make a search of a million claims a hundred times slower than one of
# ten thousand; a search matching more than this is one to narrow anyway.
RANKED = 10_000


class SearchArea(StoreBase):
    """Full-text search and the timeline."""

    def search(self, query: SearchQuery, filters: ClaimFilter, limit: int | None) -> ClaimPage:
        """The `limit` claims matching `query` and every filter, best match (bm25 on SQLite,
        ts_rank on PostgreSQL) first;
        every one with `limit` None (then every match is ranked, however many)."""
        where, params = self.filter_sql(filters)
        candidates = max(RANKED, limit or 0)
        fetch = self.sql.no_limit if limit is None else candidates + 1
        # The index walks its matches by id cheaply but must score each one it ranks, so only
        # the newest `candidates` (plus one, to know if there were more) are scored.
        # Every claim, unless filtered, or shadowed by the record of a day (`as_of`).
        every = where == EVERY_CLAIM and self.as_of_day is None
        sql = self.sql.search_sql(None if every else where)
        try:
            rows = self.conn.execute(sql, [self.sql.search_param(query), *params, fetch]).fetchall()
        except sqlite3.OperationalError as err:
            # parse_query refuses what FTS5 would; this keeps any case it missed a message.
            if not str(err).startswith("fts5:"):
                raise
            raise invalid_query(query.text, str(err).removeprefix("fts5: ")) from None
        if filters.standing is not None:
            standing = self.standings_of(json.dumps([claim_id for claim_id, _ in rows]))
            rows = [row for row in rows if standing[row[0]] is filters.standing]
        # Best rank first; equal ranks (equal texts) by the most recently recorded claim.
        if limit is None:
            ranked = sorted(rows, key=lambda row: (row[1], -row[0]))
            found = self.claims(claim_id for claim_id, _ in ranked)
            return ClaimPage([found[claim_id] for claim_id, _ in ranked], False)
        ranked = sorted(rows[:candidates], key=lambda row: (row[1], -row[0]))
        ids = [claim_id for claim_id, _ in ranked[:limit]]
        found = self.claims(ids)
        capped = len(rows) > candidates
        page = ClaimPage([found[i] for i in ids], len(rows) > limit, candidates if capped else None)
        page.matched = None if capped else len(rows)
        return page

    def timeline(self, filters: ClaimFilter, limit: int | None = None) -> ClaimPage:
        """Claims matching every filter, oldest first; a partial date comes before the days it
        spans (2024-04 before 2024-04-01), ties by id; undated claims last. The flag says
        whether more than `limit` claims match."""
        where, params = self.filter_sql(filters)
        ids: list[int] = []
        # One more than asked, to know whether there were more.
        wanted = None if limit is None else limit + 1
        # Two queries so that the dated part walks the (said_on, id) index in order: NULLs
        # sort first in SQLite, and NULLS LAST would need a sort of every row.
        for dated in ("NOT NULL", "NULL"):
            sql = f"""SELECT c.id FROM claims c WHERE {where} AND c.said_on IS {dated}
                      ORDER BY c.said_on, c.id"""
            if wanted is not None and len(ids) == wanted:
                break
            remaining = None if wanted is None else wanted - len(ids)
            ids.extend(self.matching_ids(sql, params, filters, remaining))
        more = limit is not None and len(ids) > limit
        ids = ids[:limit] if more else ids
        found = self.claims(ids)
        return ClaimPage([found[i] for i in ids], more)
