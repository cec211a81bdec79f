"""Recording claims and reading them back: add, a thread, a list, the database's counts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from claimtrack import threads
from claimtrack.model import Claim, ClaimFilter, NewClaim, Stance, ThreadNode, Verdict, Written
from claimtrack.ratings import rating_key
from claimtrack.standing import defeated_by
from claimtrack.store.base import StoreBase, Transaction, now
from claimtrack.validate import claim_fields


class ClaimsArea(StoreBase):
    """Recording claims with their sources, tags and links; threads, lists and counts."""

    def add_claim(
        self,
        new: NewClaim,
        responds_to: Iterable[tuple[int, Stance]] = (),
        verdict: Verdict | None = None,
    ) -> Written:
        """Record a claim, answering the claims in `responds_to` with the given stances; with
        a `verdict`, the claim is a review that rates the claim it answers."""
        fields = claim_fields(new)
        targets = list(responds_to)
        with self.write(_action(targets, verdict)) as tx:
            for target_id, _ in targets:
                self.require_claim(target_id)
            actor_id, notices = self.actor_for(tx, new.by, new.side)
            stamp = now()
            claim_id = tx.insert(
                "claims",
                {
                    "uid": str(uuid.uuid4()),
                    "text": fields.text,
                    "actor_id": actor_id,
                    "said_on": fields.on,
                    "quote": fields.quote,
                    "note": fields.note,
                    "created": stamp,
                    "updated": stamp,
                },
            )
            self._cite(tx, claim_id, new.sources)
            for tag in fields.tags:
                tx.insert("claim_tags", {"claim_id": claim_id, "tag": tag})
            for target_id, stance in targets:
                tx.insert(
                    "responses",
                    {
                        "response_id": claim_id,
                        "target_id": target_id,
                        "stance": stance.value,
                        "created": stamp,
                    },
                )
            if verdict is not None:
                tx.insert("verdicts", verdict_row(claim_id, verdict))
            tx.claim_id = claim_id
            answers = "; ".join(f"{stance.value} #{target}" for target, stance in targets)
            rated = f", rated {verdict.label}" if verdict is not None else ""
            tx.summary = f"recorded #{claim_id} by {new.by.strip()}" + (
                f" ({answers}{rated})" if answers else ""
            )
        return Written(claim=self.get(claim_id), notices=notices, change_id=tx.change_id)

    def _cite(self, tx: Transaction, claim_id: int, sources: Iterable[str]) -> None:
        """Link a new claim to its sources, in order, each once."""
        for position, value in enumerate(dict.fromkeys(sources)):
            source_id = self.source_for(tx, value)
            if self.conn.execute(
                "SELECT 1 FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                (claim_id, source_id),
            ).fetchone():
                continue  # two spellings of one URL
            tx.insert(
                "claim_sources",
                {"claim_id": claim_id, "source_id": source_id, "position": position},
            )

    def thread(self, claim_id: int) -> ThreadNode:
        """The thread under a claim: the claim and every claim answering it, recursively."""
        self.require_claim(claim_id)
        edges = self.conn.execute(
            """WITH RECURSIVE thread(id) AS (
                   SELECT ?
                   UNION
                   SELECT r.response_id FROM responses r JOIN thread t ON r.target_id = t.id
               )
               SELECT r.response_id, r.target_id, r.stance
               FROM thread t JOIN responses r ON r.target_id = t.id
               ORDER BY r.response_id""",
            (claim_id,),
        ).fetchall()
        members = {claim_id, *(response for response, _, _ in edges)}
        found = self.claims(members)
        root = threads.build(claim_id, found, edges)
        # Every claim answering a member is a member: the thread holds all its attacks.
        beaten = defeated_by(edges, {i: claim.standing for i, claim in found.items()})
        for _, node, _ in threads.walk(root):
            node.defeated_by = beaten.get(node.claim.id, [])
        return root

    def list_claims(self, filters: ClaimFilter, limit: int | None = None) -> list[Claim]:
        """Claims matching every filter, newest first (by date said, then by id)."""
        ids = self.list_ids(filters, limit)
        found = self.claims(ids)
        return [found[i] for i in ids]

    def list_ids(self, filters: ClaimFilter, limit: int | None = None) -> list[int]:
        """The ids of `list_claims`, in its order."""
        where, params = self.filter_sql(filters)
        sql = f"""SELECT c.id FROM claims c WHERE {where}
                  ORDER BY c.said_on DESC NULLS LAST, c.id DESC"""
        return self.matching_ids(sql, params, filters, limit)

    def stream(self, ids: list[int], chunk: int = 500) -> Iterator[Claim]:
        """The claims with these ids, in this order, read a chunk at a time: a pipe gets its
        first lines at once, and a reader that quits early (`head`) saves the rest."""
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            found = self.claims(part)
            yield from (found[i] for i in part)

    def count_claims(self, filters: ClaimFilter) -> int:
        """How many claims match every filter (for "N more claims match")."""
        where, params = self.filter_sql(filters)
        if filters.standing is not None:
            return len(
                self.matching_ids(f"SELECT c.id FROM claims c WHERE {where}", params, filters)
            )
        if filters == ClaimFilter() and self.as_of_day is None:
            return self.kept_counts()[0]
        sql = f"SELECT count(*) FROM claims c WHERE {where}"
        return self.conn.execute(sql, params).fetchone()[0]

    def tags(self, limit: int | None = None) -> list[tuple[str, int]]:
        """Every tag with how many claims carry it, most carried first, then by name."""
        sql = """SELECT tag, count(*) AS claims FROM claim_tags
                 GROUP BY tag ORDER BY claims DESC, tag LIMIT ?"""
        return [
            (tag, count)
            for tag, count in self.conn.execute(
                sql, (self.sql.no_limit if limit is None else limit,)
            )
        ]

    def count_tags(self) -> int:
        """How many different tags are recorded."""
        return self.conn.execute("SELECT count(DISTINCT tag) FROM claim_tags").fetchone()[0]

    def info(self) -> dict:
        """The database path, schema version and counts."""
        counts = {
            name: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for name, table in [
                ("claims", "claims"),
                ("responses", "responses"),
                ("actors", "actors"),
                ("sources", "sources"),
                ("tags", "(SELECT DISTINCT tag FROM claim_tags) tags"),
                ("changes", "changes"),
            ]
        }
        return {
            "path": self.location if self.path else None,
            "schema_version": len(self.sql.applied_steps(self.conn)),
            "counts": counts,
        }


def _action(targets: list[tuple[int, Stance]], verdict: Verdict | None) -> str:
    """The change-log action of recording a claim: add, rebut, support or review."""
    if verdict is not None:
        return "review"
    if not targets:
        return "add"
    return "support" if targets[0][1] is Stance.SUPPORTS else "rebut"


def verdict_row(claim_id: int, verdict: Verdict) -> dict:
    """The verdicts row of a review."""
    return {
        "claim_id": claim_id,
        "label": verdict.label,
        "label_key": rating_key(verdict.label),
        "value": verdict.value,
        "best": verdict.best,
        "worst": verdict.worst,
    }
