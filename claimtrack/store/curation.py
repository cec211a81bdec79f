"""Editing, deleting, linking, actors, sources and the change log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from claimtrack.errors import InvalidInput, NotFound, RefusedLink
from claimtrack.fold import name_key
from claimtrack.model import (
    Claim,
    NewClaim,
    SourceRef,
    Stance,
    is_url,
    nfc,
    normalise_url,
    parse_partial_date,
)
from claimtrack.store.core import RANGE, Transaction, _validated, now

# The change-log action of an undo; an undo is never itself undone.
UNDO = "undo"


def _stance_sums(prefix: str) -> str:
    """SQL columns counting the rows of `responses r` of each stance, named prefix_stance."""
    return ", ".join(f"sum(r.stance = '{s.value}') AS {prefix}_{s.value}" for s in Stance)


def _stance_columns(table: str, prefix: str) -> str:
    """The columns made by `_stance_sums` as selected from `table`, 0 where it has no row."""
    return ", ".join(f"coalesce({table}.{prefix}_{s.value}, 0)" for s in Stance)


def _by_stance(counts) -> dict[str, int]:
    """Counts in Stance order as a {stance: count} dict with every stance present."""
    return dict(zip((s.value for s in Stance), counts, strict=True))


@dataclass
class ClaimEdit:
    """What `edit` changes: None leaves a field as it is; "" clears an optional field."""

    text: str | None = None
    by: str | None = None
    side: str | None = None
    on: str | None = None
    quote: str | None = None
    note: str | None = None
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    add_sources: list[str] = field(default_factory=list)
    remove_sources: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What a curation write did: what changed, readable; `change_id` is None if nothing did."""

    changes: list[str]
    notices: list[str] = field(default_factory=list)
    claim: Claim | None = None
    change_id: int | None = None
    subject: str = ""  # the actor or source changed, as stored


@dataclass
class SourceUsage:
    """A source with every field and how many claims cite it."""

    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    archived_url: str | None
    claims: int

    @property
    def label(self) -> str:
        """How the source is named to people: its title, else its host."""
        return SourceRef(self.url, self.title).label

    def as_json(self) -> dict:
        """The `sources --json` shape of one source."""
        return {
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "archived_url": self.archived_url,
            "claims": self.claims,
        }


@dataclass
class Change:
    """One entry of the change log, with the row images that let it be reversed."""

    id: int
    at: str
    action: str
    claim_id: int | None
    summary: str
    rows: list[dict]
    undone_by: int | None = None
    undoes: int | None = None

    def as_json(self) -> dict:
        """The `history --json` shape of one change."""
        return {
            "id": self.id,
            "at": self.at,
            "action": self.action,
            "claim_id": self.claim_id,
            "summary": self.summary,
            "undone_by": self.undone_by,
            "undoes": self.undoes,
            "rows": self.rows,
        }


def shown(value: str | None) -> str:
    """A field's value in a change summary: quoted as JSON (newlines visible), or (none)."""
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _changed(label: str, before: str | None, after: str | None) -> str:
    return f"{label} {shown(before)} → {shown(after)}"


def _verb(verb: str, subjects: list) -> str:
    """`verb` agreeing with a list of subjects: "#4 answers", "#4, #6 answer"."""
    return verb + "s" if len(subjects) == 1 else verb


def _optional(value: str) -> str | None:
    """An optional text field as stored: NFC, trimmed; empty clears it."""
    return nfc(value).strip() or None


class CurationMixin:
    """Editing, deleting, linking, actors, sources and the change log. Mixed into ClaimStore."""

    # -- claims -----------------------------------------------------------------------------

    def edit_claim(self, claim_id: int, edit: ClaimEdit) -> Outcome:
        """Change a claim's fields, tags and sources in one write; its `uid` never changes."""
        if edit.text is not None and not nfc(edit.text).strip():
            raise InvalidInput("The new text (--text) is empty: a claim's text cannot be cleared.")
        with self.write("edit") as tx:
            current = self.get(claim_id)
            # The same validation as `add`, so an edited claim is stored as a new one would be.
            fields = _validated(
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
            if fields["text"] != current.text:
                values["text"] = fields["text"]
                changes.append(_changed("text", current.text, fields["text"]))
            for name, column in (("on", "said_on"), ("quote", "quote"), ("note", "note")):
                old = getattr(current, name)
                if getattr(edit, name) is not None and fields[name] != old:
                    values[column] = fields[name]
                    changes.append(_changed(name, old, fields[name]))
            notices: list[str] = []
            if edit.by is not None or edit.side is not None:
                actor_id, notices = self._actor_for(
                    tx, current.by if edit.by is None else edit.by, edit.side
                )
                old_actor, old_name = self.conn.execute(
                    "SELECT a.id, a.name FROM claims c JOIN actors a ON a.id = c.actor_id"
                    " WHERE c.id = ?",
                    (claim_id,),
                ).fetchone()
                if actor_id != old_actor:
                    values["actor_id"] = actor_id
                    (new_name,) = self.conn.execute(
                        "SELECT name FROM actors WHERE id = ?", (actor_id,)
                    ).fetchone()
                    changes.append(f"by {old_name} → {new_name}")
            changes += self._edit_tags(tx, current, fields["tags"], edit.remove_tags)
            changes += self._edit_sources(tx, current, edit.add_sources, edit.remove_sources)
            if changes:
                tx.update("claims", {"id": claim_id}, {**values, "updated": now()})
            tx.claim_id = claim_id
            tx.summary = f"edited #{claim_id}: " + "; ".join(changes + notices)
        if not tx.rows:
            changes = notices = []
        return Outcome(changes, notices, self.get(claim_id), tx.change_id)

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
            found = self._one_source(value, claim_id=current.id)
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
            source_id = self._source_for(tx, value)
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

    def delete_claim(self, claim_id: int) -> Outcome:
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
            tx.delete("claims", {"id": claim_id})
            tx.claim_id = claim_id
            tx.summary = f"deleted #{claim_id} by {claim.by}: {shown(claim.text)}"
            if answers:
                ids = ", ".join(f"#{i}" for i in answers)
                tx.summary += f"; {ids} no longer {_verb('answer', answers)} it"
        return Outcome([], [], claim, tx.change_id)

    # -- links ------------------------------------------------------------------------------

    def link(self, response_id: int, target_id: int, stance: Stance) -> Outcome:
        """Record that claim `response_id` answers claim `target_id` with `stance`."""
        if response_id == target_id:
            raise RefusedLink(f"Claim #{response_id} cannot answer itself: give two claim ids.")
        with self.write("link") as tx:
            self._require(response_id)
            self._require(target_id)
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
        return Outcome([], [], self.get(response_id), tx.change_id)

    def unlink(self, response_id: int, target_id: int) -> Outcome:
        """Remove the link from claim `response_id` to claim `target_id`."""
        with self.write("unlink") as tx:
            self._require(response_id)
            self._require(target_id)
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
        return Outcome([change], [], self.get(response_id), tx.change_id)

    # -- actors -----------------------------------------------------------------------------

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
    ) -> Outcome:
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
                    changes.append(_changed("name", old_name, new_name))
            if side is not None and _optional(side) != old_side:
                side = _optional(side)
                values.update(side=side, side_key=name_key(side) if side else None)
                changes.append(_changed("side", old_side, side))
            if note is not None and _optional(note) != old_note:
                values["note"] = _optional(note)
                changes.append(_changed("note", old_note, values["note"]))
            if values:
                tx.update("actors", {"id": actor_id}, values)
            tx.summary = f"edited actor {old_name}: " + "; ".join(changes)
        return Outcome(changes, [], None, tx.change_id, old_name)

    def actor_merge(self, name: str, into: str) -> Outcome:
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
            elif gone_side and name_key(gone_side) != name_key(kept_side):
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
            count = f"{len(moved)} claim" + ("" if len(moved) == 1 else "s")
            tx.summary = f"merged actor {gone_name} into {kept_name}: {count} moved" + "".join(
                f"; {notice.removesuffix('.')}" for notice in notices
            )
        return Outcome(
            [f"{gone_name} into {kept_name}: {count} moved"], notices, None, tx.change_id, kept_name
        )

    def actors(self) -> dict:
        """Every actor's claims and answers by stance, and who answers whom by side (JSON shape).

        Aggregate queries only: one for the actors, one for the sides, however many there are.
        """
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
        return {"actors": actors, "who_answers_whom": sides}

    # -- sources ----------------------------------------------------------------------------

    def sources(self) -> list[SourceUsage]:
        """Every source with how many claims cite it, most cited first."""
        return [
            SourceUsage(*row)
            for row in self.conn.execute(
                """SELECT s.url, s.title, s.outlet, s.published, s.archived_url,
                          count(cs.claim_id) AS claims
                   FROM sources s LEFT JOIN claim_sources cs ON cs.source_id = s.id
                   GROUP BY s.id
                   ORDER BY claims DESC, coalesce(s.title, s.url), s.id"""
            )
        ]

    def _one_source(
        self, value: str, claim_id: int | None = None
    ) -> tuple[int, str | None, str | None] | None:
        """The source (id, url, title) named by a URL or a title (among a claim's), or None.

        A title names a source without URL first; a title shared by several URL sources is
        ambiguous and refused.
        """
        value = nfc(value).strip()
        if not value:
            raise InvalidInput("A source is empty: give its URL or its title.")
        if is_url(value):
            sql, params = "SELECT id, url, title FROM sources WHERE url = ?", [normalise_url(value)]
        else:
            sql, params = "SELECT id, url, title FROM sources WHERE title = ?", [value]
        if claim_id is not None:
            sql += " AND id IN (SELECT source_id FROM claim_sources WHERE claim_id = ?)"
            params.append(claim_id)
        rows = self.conn.execute(sql + " ORDER BY url IS NOT NULL, id", params).fetchall()
        if len(rows) > 1 and rows[0][1] is not None:
            urls = ", ".join(row[1] for row in rows)
            raise InvalidInput(f"Several sources are titled {value!r} ({urls}): give the URL.")
        return rows[0] if rows else None

    def source_edit(
        self,
        value: str,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
        archived_url: str | None = None,
    ) -> Outcome:
        """Describe a source (named by URL or title); "" clears a field."""
        with self.write("source-edit") as tx:
            found = self._one_source(value)
            if found is None:
                raise NotFound(
                    f"There is no source {value.strip()!r}. Run `claimtrack sources` to see them."
                )
            key = {"id": found[0]}
            before = tx.select("sources", key)
            wanted: dict = {}
            if title is not None:
                wanted["title"] = _optional(title)
                if before["url"] is None and wanted["title"] is None:
                    raise InvalidInput(
                        "This source has no URL, so its title names it: it cannot be cleared."
                    )
                if (
                    before["url"] is None
                    and self.conn.execute(
                        "SELECT 1 FROM sources WHERE url IS NULL AND title = ? AND id != ?",
                        (wanted["title"], found[0]),
                    ).fetchone()
                ):
                    raise InvalidInput(
                        f"Another source is already titled {wanted['title']!r}: choose another."
                    )
            if outlet is not None:
                wanted["outlet"] = _optional(outlet)
            if published is not None:
                wanted["published"] = (
                    parse_partial_date(published, "--published") if published.strip() else None
                )
            if archived_url is not None:
                wanted["archived_url"] = _optional(archived_url)
                if wanted["archived_url"] and not is_url(wanted["archived_url"]):
                    raise InvalidInput(
                        f"--archived-url {archived_url!r} is not a URL: give a full address "
                        "such as https://web.archive.org/web/2024/https://example.org/page."
                    )
            changes = [
                _changed(column.replace("_", " "), before[column], new)
                for column, new in wanted.items()
                if before[column] != new
            ]
            if changes:
                tx.update("sources", key, wanted)
            label = SourceRef(before["url"], before["title"]).label
            tx.summary = f"edited source {label}: " + "; ".join(changes)
        return Outcome(changes, [], None, tx.change_id, label)

    # -- the change log ---------------------------------------------------------------------

    def _undo_pairs(self) -> tuple[dict[int, int], dict[int, int]]:
        """Which change each undo reversed: ({undone change: undo}, {undo: undone change}).

        Undo always reverses the newest change not yet undone, so walking the log newest first
        pairs each undo with the next change not claimed by a later undo, like brackets.
        """
        pending: list[int] = []
        undone_by: dict[int, int] = {}
        for change_id, action in self.conn.execute(
            "SELECT id, action FROM changes ORDER BY id DESC"
        ):
            if action == UNDO:
                pending.append(change_id)
            elif pending:
                undone_by[change_id] = pending.pop()
        return undone_by, {undo: undone for undone, undo in undone_by.items()}

    def history(
        self, claim_id: int | None = None, limit: int | None = None, rows: bool = True
    ) -> list[Change]:
        """The change log, newest first; with `claim_id`, only the changes touching that claim.

        `rows=False` leaves out the row images (an import's may be many), for a summary.

        A change touches a claim if it was about it (`changes.claim_id`) or changed a row of it:
        the claim itself, its tags, its sources, or a link from or to it.
        """
        if claim_id is None:
            sql = "SELECT id FROM changes ORDER BY id DESC LIMIT :limit"
        else:
            sql = f"""SELECT id FROM changes WHERE claim_id = :id
                     UNION
                     SELECT change_id FROM change_rows
                     WHERE (tbl = 'claims' AND json_extract(key, '$.id') = :id)
                        OR (tbl IN ('claim_tags', 'claim_sources')
                            AND json_extract(key, '$.claim_id') = :id)
                        OR (tbl = 'responses' AND (json_extract(key, '$.response_id') = :id
                                                   OR json_extract(key, '$.target_id') = :id))
                        -- Rows an import inserted: its new claims (their tags, sources and
                        -- links come with them) and the recorded claims its links answer.
                        OR (tbl = 'claims' AND :id BETWEEN json_extract(key, '$.{RANGE}[0]')
                                                     AND json_extract(key, '$.{RANGE}[1]'))
                        OR (tbl = 'responses' AND :id IN (
                            SELECT value FROM json_each(after, '$.targets')))
                     ORDER BY 1 DESC LIMIT :limit"""
        params = {"id": claim_id, "limit": -1 if limit is None else limit}
        ids = [row[0] for row in self.conn.execute(sql, params)]
        return self._changes(ids, rows)

    def _changes(self, ids: list[int], rows: bool = True) -> list[Change]:
        """The changes with these ids, in the order given, with their rows if `rows`."""
        inside = "IN (SELECT value FROM json_each(?))"
        ids_json = json.dumps(ids)
        found = {
            row[0]: Change(*row, rows=[])
            for row in self.conn.execute(
                f"SELECT id, at, action, claim_id, summary FROM changes WHERE id {inside}",
                (ids_json,),
            )
        }
        images = f"""SELECT change_id, tbl, key, before, after FROM change_rows
                     WHERE change_id {inside} ORDER BY change_id, seq"""
        for change_id, table, key, before, after in (
            self.conn.execute(images, (ids_json,)) if rows else ()
        ):
            found[change_id].rows.append(
                {
                    "table": table,
                    "key": json.loads(key),
                    "before": None if before is None else json.loads(before),
                    "after": None if after is None else json.loads(after),
                }
            )
        undone_by, undoes = self._undo_pairs()
        for change in found.values():
            change.undone_by = undone_by.get(change.id)
            change.undoes = undoes.get(change.id)
        return [found[i] for i in ids]

    def _undo_target(self) -> tuple[int, str, int | None, str] | None:
        """The newest change not yet undone, as (id, action, claim_id, summary), or None."""
        undone_by, _ = self._undo_pairs()
        for row in self.conn.execute(
            "SELECT id, action, claim_id, summary FROM changes WHERE action != ? ORDER BY id DESC",
            (UNDO,),
        ):
            if row[0] not in undone_by:
                return row
        return None

    def undo(self) -> tuple[Change, Change]:
        """Reverse the newest change not yet undone, as one change of its own: (undo, undone).

        Each row goes back to its image before the change, in reverse order (children before
        parents when they were inserted, parents before children when they were deleted). A
        row that no longer matches its image after the change means the file was changed
        outside claimtrack: the undo is refused and nothing is written.
        """
        with self.write(UNDO) as tx:
            target = self._undo_target()
            if target is None:
                raise NotFound(
                    "There is nothing to undo: no change is recorded that is not undone already."
                )
            change_id, action, claim_id, summary = target
            rows = self.conn.execute(
                "SELECT tbl, key, before, after FROM change_rows WHERE change_id = ?"
                " ORDER BY seq DESC",
                (change_id,),
            ).fetchall()
            for table, key_json, before_json, after_json in rows:
                key = json.loads(key_json)
                if RANGE in key:
                    self._undo_range(tx, change_id, table, key_json, after_json)
                    continue
                before = None if before_json is None else json.loads(before_json)
                after = None if after_json is None else json.loads(after_json)
                current = tx.select(table, key)
                if not _matches(current, after):
                    raise InvalidInput(
                        f"Change #{change_id} cannot be undone: the {table} row {key_json} is "
                        "not as that change left it (was the file changed outside claimtrack?)."
                    )
                if before is None:
                    tx.delete(table, key)
                elif after is None:
                    tx.insert(table, before)
                else:
                    tx.update(table, key, before)
            tx.claim_id = claim_id
            tx.summary = f"undid change #{change_id} ({action}: {summary})"
        undo, undone = self._changes([tx.change_id, change_id])
        return undo, undone

    def _undo_range(
        self, tx: Transaction, change_id: int, table: str, key_json: str, after_json: str
    ) -> None:
        """Delete the rows an import inserted into `table` (logged as one range), and log that
        the same way."""
        first, last = json.loads(key_json)[RANGE]
        rows = json.loads(after_json)["rows"]
        # Later changes to these rows are undone already, so they are all there as inserted.
        where = f"FROM {table} WHERE rowid BETWEEN ? AND ?"
        if self.conn.execute(f"SELECT count(*) {where}", (first, last)).fetchone()[0] != rows:
            raise InvalidInput(
                f"Change #{change_id} cannot be undone: the {table} rows {key_json} are not as "
                "that change left them (was the file changed outside claimtrack?)."
            )
        self.conn.execute(f"DELETE {where}", (first, last))
        tx.rows.append((table, key_json, json.dumps({"rows": rows}), None))


def _matches(current: dict | None, image: dict | None) -> bool:
    """Whether a row as it is now still holds every column of a logged image of it."""
    if current is None or image is None:
        return current is image
    return all(column in current and current[column] == v for column, v in image.items())
