"""Actors: fixing one, merging two names for one, and the report of who answers whom."""

from __future__ import annotations

from collections.abc import Iterable

from claimtrack.errors import InvalidInput, NotFound
from claimtrack.fold import name_key
from claimtrack.model import Stance, Written
from claimtrack.store.base import StoreBase, now
from claimtrack.validate import nfc, optional_text
from claimtrack.wording import changed, plural, shown


def _stance_sums(prefix: str) -> str:
    """SQL columns counting the rows of `responses r` of each stance, named prefix_stance."""
    return ", ".join(
        f"count(CASE WHEN r.stance = '{s.value}' THEN 1 END) AS {prefix}_{s.value}" for s in Stance
    )


def _stance_columns(table: str, prefix: str) -> str:
    """The columns made by `_stance_sums` as selected from `table`, 0 where it has no row."""
    return ", ".join(f"coalesce({table}.{prefix}_{s.value}, 0)" for s in Stance)


def _by_stance(counts: Iterable[int]) -> dict[str, int]:
    """Counts in Stance order as a {stance: count} dict with every stance present."""
    return dict(zip((s.value for s in Stance), counts, strict=True))


class ActorsArea(StoreBase):
    """Actors: edit, merge, and their claims and answers counted by stance and side."""

    def _actor_named(self, name: str) -> tuple[int, str, str | None, str | None]:
        """The actor (id, name, side, note) called `name`, matched as `--by` matches."""
        row = self.conn.execute(
            "SELECT id, name, side, note FROM actors WHERE key = ?", (name_key(nfc(name)),)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no actor {name!r}. Run `claimtrack actors` to see them.")
        return row

    def actor_edit(
        self,
        name: str,
        new_name: str | None = None,
        side: str | None = None,
        note: str | None = None,
    ) -> Written:
        """Rename an actor or change its side or note; "" clears the side or the note."""
        with self.write("actor-edit") as tx:
            actor_id, old_name, old_side, old_note = self._actor_named(name)
            values: dict = {}
            changes: list[str] = []
            if new_name is not None:
                new_name = nfc(new_name).strip()
                if not new_name:
                    raise InvalidInput("The new name (--name) is empty: give the actor's name.")
                other = self.conn.execute(
                    "SELECT name FROM actors WHERE key = ? AND id != ?",
                    (name_key(new_name), actor_id),
                ).fetchone()
                if other:
                    raise InvalidInput(
                        f"There already is an actor {other[0]!r}. To make the two one actor, run "
                        f"`claimtrack actor merge {shown(old_name)} {shown(other[0])}`."
                    )
                if new_name != old_name:
                    values.update(name=new_name, key=name_key(new_name))
                    changes.append(changed("name", old_name, new_name))
            if side is not None and optional_text(side) != old_side:
                side = optional_text(side)
                values.update(side=side, side_key=name_key(side) if side else None)
                changes.append(changed("side", old_side, side))
            if note is not None and optional_text(note) != old_note:
                values["note"] = optional_text(note)
                changes.append(changed("note", old_note, values["note"]))
            if values:
                tx.update("actors", {"id": actor_id}, values)
            tx.summary = f"edited actor {old_name}: " + "; ".join(changes)
        return Written(None, changes, change_id=tx.change_id, subject=old_name)

    def actor_merge(self, name: str, into: str) -> Written:
        """Move every claim of actor `name` to actor `into` and delete `name`: one change."""
        with self.write("actor-merge") as tx:
            gone_id, gone_name, gone_side, gone_note = self._actor_named(name)
            kept_id, kept_name, kept_side, kept_note = self._actor_named(into)
            if gone_id == kept_id:
                raise InvalidInput(
                    f"{name!r} and {into!r} are both the actor {kept_name!r}: nothing to merge."
                )
            stamp = now()
            moved = [
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM claims WHERE actor_id = ? ORDER BY id", (gone_id,)
                ).fetchall()
            ]
            for claim_id in moved:
                tx.update("claims", {"id": claim_id}, {"actor_id": kept_id, "updated": stamp})
            values: dict = {}
            notices: list[str] = []
            if gone_side and not kept_side:
                values.update(side=gone_side, side_key=name_key(gone_side))
                notices.append(f"{kept_name} takes the side {gone_side} from {gone_name}.")
            elif gone_side and kept_side and name_key(gone_side) != name_key(kept_side):
                notices.append(
                    f"{kept_name} keeps its side {kept_side}; {gone_name}'s side {gone_side} "
                    "is dropped (the change log keeps it)."
                )
            if gone_note and gone_note != kept_note:
                # Both notes are the analyst's words: keep both rather than choose.
                values["note"] = f"{kept_note}\n{gone_note}" if kept_note else gone_note
                notices.append(f"{kept_name}'s note now includes {gone_name}'s note.")
            if values:
                tx.update("actors", {"id": kept_id}, values)
            tx.delete("actors", {"id": gone_id})
            count = plural(len(moved), "claim")
            tx.summary = f"merged actor {gone_name} into {kept_name}: {count} moved" + "".join(
                f"; {notice.removesuffix('.')}" for notice in notices
            )
        return Written(
            None, [f"{gone_name} into {kept_name}: {count} moved"], notices, tx.change_id, kept_name
        )

    def actors(self) -> dict:
        """Every actor's claims and answers by stance, and who answers whom by side (JSON shape).

        Aggregate queries only: one for the actors, one for the sides, however many there are.
        """
        return {"actors": self._actor_counts(), "who_answers_whom": self._side_pairs()}

    def _actor_counts(self) -> list[dict]:
        """Each actor's claims, answers given and answers received, by stance."""
        n = len(Stance)
        rows = self.conn.execute(
            f"""WITH made AS (
                    SELECT actor_id, count(*) AS claims FROM claims GROUP BY actor_id
                ), given AS (
                    SELECT c.actor_id, {_stance_sums("g")}
                    FROM responses r JOIN claims c ON c.id = r.response_id GROUP BY c.actor_id
                ), received AS (
                    SELECT c.actor_id, count(DISTINCT r.target_id) AS answered,
                           {_stance_sums("r")}
                    FROM responses r JOIN claims c ON c.id = r.target_id GROUP BY c.actor_id
                )
                SELECT a.name, a.side, a.note, coalesce(made.claims, 0),
                       {_stance_columns("given", "g")}, coalesce(received.answered, 0),
                       {_stance_columns("received", "r")}
                FROM actors a
                LEFT JOIN made ON made.actor_id = a.id
                LEFT JOIN given ON given.actor_id = a.id
                LEFT JOIN received ON received.actor_id = a.id
                ORDER BY a.key"""
        ).fetchall()
        actors = [
            {
                "name": row[0],
                "side": row[1],
                "note": row[2],
                "claims": row[3],
                "answers_given": _by_stance(row[4 : 4 + n]),
                "claims_answered": row[4 + n],
                "answers_received": _by_stance(row[5 + n :]),
            }
            for row in rows
        ]
        return actors

    def _side_pairs(self) -> list[dict]:
        """How often each side answers each side, by stance."""
        # Sides are grouped by key (case-insensitively) and shown by their first spelling.
        side_rows = self.conn.execute(
            f"""WITH names AS (
                    SELECT side_key, min(side) AS side FROM actors
                    WHERE side_key IS NOT NULL GROUP BY side_key
                ), pairs AS (
                    SELECT ra.side_key AS answering, ta.side_key AS answered, count(*) AS total,
                           {_stance_sums("s")}
                    FROM responses r
                    JOIN claims rc ON rc.id = r.response_id JOIN actors ra ON ra.id = rc.actor_id
                    JOIN claims tc ON tc.id = r.target_id JOIN actors ta ON ta.id = tc.actor_id
                    GROUP BY ra.side_key, ta.side_key
                )
                SELECT an.side, bn.side, pairs.total, {_stance_columns("pairs", "s")}
                FROM pairs
                LEFT JOIN names an ON an.side_key = pairs.answering
                LEFT JOIN names bn ON bn.side_key = pairs.answered
                ORDER BY pairs.answering IS NULL, pairs.answering,
                         pairs.answered IS NULL, pairs.answered"""
        ).fetchall()
        sides = [
            {
                "answering_side": row[0],
                "answered_side": row[1],
                "stances": _by_stance(row[3:]),
                "total": row[2],
            }
            for row in side_rows
        ]
        return sides
