"""Curating claims: editing, deleting, and linking or unlinking two recorded claims."""

from __future__ import annotations

from claimtrack.errors import InvalidInput, NotFound, RefusedLink
from claimtrack.model import Claim, ClaimEdit, NewClaim, Stance, Written
from claimtrack.store.base import StoreBase, Transaction, now
from claimtrack.store.claims import verdict_row
from claimtrack.validate import claim_fields, nfc, rating_number, verdict
from claimtrack.wording import agree, changed, shown


class CurationArea(StoreBase):
    """Editing and deleting claims; response links between recorded claims."""

    def edit_claim(self, claim_id: int, edit: ClaimEdit) -> Written:
        """Change a claim's fields, tags and sources in one write; its `uid` never changes."""
        if edit.text is not None and not nfc(edit.text).strip():
            raise InvalidInput("The new text (--text) is empty: a claim's text cannot be cleared.")
        with self.write("edit") as tx:
            current = self.get(claim_id)
            # The same validation as `add`, so an edited claim is stored as a new one would be.
            fields = claim_fields(
                NewClaim(
                    text=current.text if edit.text is None else edit.text,
                    by=current.by,
                    on=edit.on or None,
                    quote=edit.quote,
                    note=edit.note,
                    tags=edit.add_tags,
                )
            )
            values: dict = {}
            changes: list[str] = []
            if fields.text != current.text:
                values["text"] = fields.text
                changes.append(changed("text", current.text, fields.text))
            for name, column in (("on", "said_on"), ("quote", "quote"), ("note", "note")):
                old = getattr(current, name)
                if getattr(edit, name) is not None and getattr(fields, name) != old:
                    values[column] = getattr(fields, name)
                    changes.append(changed(name, old, getattr(fields, name)))
            notices = self._edit_claimant(tx, current, edit, values, changes)
            changes += self._edit_tags(tx, current, fields.tags, edit.remove_tags)
            changes += self._edit_sources(tx, current, edit.add_sources, edit.remove_sources)
            changes += self._edit_verdict(tx, current, edit)
            if changes:
                tx.update("claims", {"id": claim_id}, {**values, "updated": now()})
            tx.claim_id = claim_id
            tx.summary = f"edited #{claim_id}: " + "; ".join(changes + notices)
        if not tx.rows:
            changes = notices = []
        return Written(self.get(claim_id), changes, notices, tx.change_id)

    def _edit_claimant(
        self, tx: Transaction, current: Claim, edit: ClaimEdit, values: dict, changes: list[str]
    ) -> list[str]:
        """Put the claimant (and side) to be set in `values`, its change in `changes`; returns
        the notices about actors (a new one, a side set)."""
        if edit.by is None and edit.side is None:
            return []
        actor_id, notices = self.actor_for(
            tx, current.by if edit.by is None else edit.by, edit.side
        )
        old_actor, old_name = self.conn.execute(
            "SELECT a.id, a.name FROM claims c JOIN actors a ON a.id = c.actor_id WHERE c.id = ?",
            (current.id,),
        ).fetchone()
        if actor_id != old_actor:
            values["actor_id"] = actor_id
            (new_name,) = self.conn.execute(
                "SELECT name FROM actors WHERE id = ?", (actor_id,)
            ).fetchone()
            changes.append(f"by {old_name} → {new_name}")
        return notices

    def _edit_verdict(self, tx: Transaction, current: Claim, edit: ClaimEdit) -> list[str]:
        """Change a review's rating: its label or numbers ("" clears a number)."""
        given = {"value": edit.value, "best": edit.best, "worst": edit.worst}
        if edit.rating is None and all(v is None for v in given.values()):
            return []
        old = current.verdict
        if old is None:
            raise InvalidInput(
                f"Claim #{current.id} is not a review, so it has no rating to edit. To rate it, "
                f"run `claimtrack review {current.id} --by REVIEWER --rating LABEL`."
            )
        numbers = {
            name: getattr(old, name) if typed is None else rating_number(typed, f"--{name}")
            for name, typed in given.items()
        }
        new = verdict(old.label if edit.rating is None else edit.rating, **numbers)
        if new == old:
            return []
        row = verdict_row(current.id, new)
        del row["claim_id"]
        tx.update("verdicts", {"claim_id": current.id}, row)
        return [f"rating {old.rating()} → {new.rating()}"]

    def _edit_tags(
        self, tx: Transaction, current: Claim, added: list[str], removed: list[str]
    ) -> list[str]:
        """Remove then add tags; removing a tag the claim lacks is an error."""
        changes = []
        for tag in dict.fromkeys(nfc(value).strip() for value in removed):
            if tag in added:
                raise InvalidInput(f"Tag {tag!r} is both added and removed: give it once.")
            if tag not in current.tags:
                has = ", ".join(current.tags) if current.tags else "none"
                raise InvalidInput(
                    f"Claim #{current.id} has no tag {tag!r} to remove (its tags: {has})."
                )
            tx.delete("claim_tags", {"claim_id": current.id, "tag": tag})
            changes.append(f"tag −{tag}")
        for tag in added:
            if tag not in current.tags:
                tx.insert("claim_tags", {"claim_id": current.id, "tag": tag})
                changes.append(f"tag +{tag}")
        return changes

    def _edit_sources(
        self, tx: Transaction, current: Claim, added: list[str], removed: list[str]
    ) -> list[str]:
        """Remove then add sources; removing a source the claim does not cite is an error."""
        changes = []
        removed_ids = set()
        for value in dict.fromkeys(removed):
            found = self.find_source(value, claim_id=current.id)
            if found is None:
                cited = "; ".join(s.url or s.label for s in current.sources) or "none"
                raise InvalidInput(
                    f"Claim #{current.id} does not cite {value.strip()!r}, so it cannot be "
                    f"removed (its sources: {cited})."
                )
            source_id, url, title = found
            tx.delete("claim_sources", {"claim_id": current.id, "source_id": source_id})
            removed_ids.add(source_id)
            changes.append(f"source −{url or title}")
        for value in dict.fromkeys(added):
            source_id = self.source_for(tx, value)
            if source_id in removed_ids:
                raise InvalidInput(f"Source {value.strip()!r} is both added and removed.")
            if self.conn.execute(
                "SELECT 1 FROM claim_sources WHERE claim_id = ? AND source_id = ?",
                (current.id, source_id),
            ).fetchone():
                continue  # already cited: adding it again changes nothing
            (position,) = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM claim_sources WHERE claim_id = ?",
                (current.id,),
            ).fetchone()
            tx.insert(
                "claim_sources",
                {"claim_id": current.id, "source_id": source_id, "position": position},
            )
            url, title = self.conn.execute(
                "SELECT url, title FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
            changes.append(f"source +{url or title}")
        return changes

    def responders(self, claim_id: int) -> list[int]:
        """The ids of the claims that answer this claim directly."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT response_id FROM responses WHERE target_id = ? ORDER BY response_id",
                (claim_id,),
            )
        ]

    def delete_claim(self, claim_id: int) -> Written:
        """Delete a claim with its tags, source links and links; its answers lose only the link."""
        with self.write("delete") as tx:
            claim = self.get(claim_id)
            answers = self.responders(claim_id)
            stamp = now()
            for response_id in answers:
                tx.delete("responses", {"response_id": response_id, "target_id": claim_id})
                tx.update("claims", {"id": response_id}, {"updated": stamp})
            for (target_id,) in self.conn.execute(
                "SELECT target_id FROM responses WHERE response_id = ? ORDER BY rowid",
                (claim_id,),
            ).fetchall():
                tx.delete("responses", {"response_id": claim_id, "target_id": target_id})
            for tag in claim.tags:
                tx.delete("claim_tags", {"claim_id": claim_id, "tag": tag})
            for (source_id,) in self.conn.execute(
                "SELECT source_id FROM claim_sources WHERE claim_id = ? ORDER BY position",
                (claim_id,),
            ).fetchall():
                tx.delete("claim_sources", {"claim_id": claim_id, "source_id": source_id})
            tx.delete("verdicts", {"claim_id": claim_id})
            tx.delete("claims", {"id": claim_id})
            tx.claim_id = claim_id
            tx.summary = f"deleted #{claim_id} by {claim.by}: {shown(claim.text)}"
            if answers:
                ids = ", ".join(f"#{i}" for i in answers)
                tx.summary += f"; {ids} no longer {agree('answer', answers)} it"
        return Written(claim, change_id=tx.change_id)

    # -- links ------------------------------------------------------------------------------

    def link(self, response_id: int, target_id: int, stance: Stance) -> Written:
        """Record that claim `response_id` answers claim `target_id` with `stance`."""
        if response_id == target_id:
            raise RefusedLink(f"Claim #{response_id} cannot answer itself: give two claim ids.")
        with self.write("link") as tx:
            self.require_claim(response_id)
            self.require_claim(target_id)
            existing = self.conn.execute(
                "SELECT stance FROM responses WHERE response_id = ? AND target_id = ?",
                (response_id, target_id),
            ).fetchone()
            if existing:
                raise RefusedLink(
                    f"#{response_id} already {existing[0]} #{target_id}. To change the stance, "
                    f"run `claimtrack unlink {response_id} {target_id}` and link them again."
                )
            # Everything that answers the response, at any depth: if the target is among them,
            # the new link would close a cycle.
            cycle = self.conn.execute(
                """WITH RECURSIVE answering(id) AS (
                       SELECT ?
                       UNION
                       SELECT r.response_id FROM responses r JOIN answering a ON r.target_id = a.id
                   )
                   SELECT 1 FROM answering WHERE id = ?""",
                (response_id, target_id),
            ).fetchone()
            if cycle:
                raise RefusedLink(
                    f"#{target_id} already answers #{response_id} (directly or through other "
                    f"claims), so linking #{response_id} to #{target_id} would close a cycle."
                )
            stamp = now()
            tx.insert(
                "responses",
                {
                    "response_id": response_id,
                    "target_id": target_id,
                    "stance": stance.value,
                    "created": stamp,
                },
            )
            tx.update("claims", {"id": response_id}, {"updated": stamp})
            tx.claim_id = response_id
            tx.summary = f"linked #{response_id} {stance.value} #{target_id}"
        return Written(self.get(response_id), change_id=tx.change_id)

    def unlink(self, response_id: int, target_id: int) -> Written:
        """Remove the link from claim `response_id` to claim `target_id`."""
        with self.write("unlink") as tx:
            self.require_claim(response_id)
            self.require_claim(target_id)
            removed = tx.delete("responses", {"response_id": response_id, "target_id": target_id})
            if removed is None:
                raise NotFound(
                    f"#{response_id} does not answer #{target_id}, so there is no link to remove. "
                    f"Run `claimtrack show {response_id}` to see what it answers."
                )
            tx.update("claims", {"id": response_id}, {"updated": now()})
            tx.claim_id = response_id
            change = f"#{response_id} no longer {removed['stance']} #{target_id}"
            tx.summary = f"unlinked: {change}"
        return Written(self.get(response_id), [change], change_id=tx.change_id)
