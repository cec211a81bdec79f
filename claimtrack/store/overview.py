"""The overview of threads: one row per thread (a claim that answers nothing), with what its
answers add up to."""

from __future__ import annotations

import json

from claimtrack.model import ClaimFilter, Stance, ThreadSummary
from claimtrack.store.base import StoreBase

# For each root in the JSON list (the subquery `roots`): the claims of its thread (root
# included), by recursion down the response links.
_MEMBERS = """WITH RECURSIVE member(root, id) AS (
        SELECT value, value FROM ({roots}) listed
        UNION
        SELECT m.root, r.response_id FROM responses r JOIN member m ON r.target_id = m.id
    )"""


class OverviewArea(StoreBase):
    """`threads`: the threads matching the filters, each summed up."""

    def thread_roots(self, filters: ClaimFilter, limit: int | None = None) -> list[int]:
        """The ids of the claims that answer nothing and match every filter, newest first."""
        where, params = self.filter_sql(filters)
        sql = f"""SELECT c.id FROM claims c
                  WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.response_id = c.id)
                    AND {where}
                  ORDER BY c.said_on DESC NULLS LAST, c.id DESC"""
        return self.matching_ids(sql, params, filters, limit)

    def count_threads(self, filters: ClaimFilter) -> int:
        """How many threads' first claims match every filter (for "N more threads match")."""
        if filters.standing is not None:
            return len(self.thread_roots(filters))
        if filters == ClaimFilter() and self.as_of_day is None:
            claims, answering = self.kept_counts()
            return claims - answering
        if filters == ClaimFilter():
            # Every claim but those that answer one: two counts over indexes, rather than a
            # lookup for each claim (at a million claims, 0.1 s instead of 1.6 s).
            return self.conn.execute(
                "SELECT (SELECT count(*) FROM claims)"
                " - (SELECT count(DISTINCT response_id) FROM responses)"
            ).fetchone()[0]
        where, params = self.filter_sql(filters)
        return self.conn.execute(
            f"""SELECT count(*) FROM claims c
                WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.response_id = c.id)
                  AND {where}""",
            params,
        ).fetchone()[0]

    def thread_summaries(
        self, filters: ClaimFilter, limit: int | None = None
    ) -> list[ThreadSummary]:
        """The threads whose root claim matches every filter, newest root first."""
        roots = self.thread_roots(filters, limit)
        found = self.claims(roots)
        summaries = {root: ThreadSummary(found[root]) for root in roots}
        roots_json = json.dumps(roots)
        members = _MEMBERS.format(roots=self.sql.ints())
        for root, stance, count in self.conn.execute(
            f"""{members}
                SELECT m.root, r.stance, count(*) FROM member m
                JOIN responses r ON r.target_id = m.id GROUP BY m.root, r.stance""",
            (roots_json,),
        ):
            summaries[root].responses_by_stance[Stance(stance)] = count
        for root, side in self.conn.execute(
            f"""{members}
                SELECT m.root, min(a.side) FROM member m
                JOIN claims c ON c.id = m.id JOIN actors a ON a.id = c.actor_id
                WHERE m.id != m.root AND a.side IS NOT NULL
                GROUP BY m.root, a.side_key ORDER BY m.root, a.side_key""",
            (roots_json,),
        ):
            summaries[root].answered_by_sides.append(side)
        for root, latest, size in self.conn.execute(
            f"""{members}
                SELECT m.root, max(c.said_on), count(DISTINCT m.id) FROM member m
                JOIN claims c ON c.id = m.id GROUP BY m.root""",
            (roots_json,),
        ):
            summaries[root].latest, summaries[root].size = latest, size
        return [summaries[root] for root in roots]
