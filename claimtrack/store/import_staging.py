"""Staging an import: the file's rows into the temporary table `import_rows`, each claimant
found or made an actor (its side set if it had none) and each source found or made, with the
problems of sides that disagree."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from claimtrack.fold import name_key
from claimtrack.model import Verdict
from claimtrack.store.base import source_id

if TYPE_CHECKING:
    from claimtrack.flatfile.cells import SourceKey
    from claimtrack.flatfile.rows import ImportRow
    from claimtrack.store.importer import ImportRun

# Rows inserted at once (also into the temporary tables of `import_writes`).
BATCH = 4096
_CACHE_SIZE = 200_000

_ROW_COLUMNS = (
    *("seq", "line", "ckey", "number", "uid", "target_label", "target_uid", "stance", "text"),
    *("actor_id", "said_on", "quote", "note", "sources", "tags", "bad"),
)
# The largest label number kept as a number (above it, labels sort as this one, by file order).
_LAST_NUMBER = 2**63 - 1


@lru_cache(maxsize=4096)
def _json_strings(items: tuple[str, ...]) -> str:
    """A JSON array of strings, every character kept (json.dumps, minus its overhead)."""
    return "[" + ",".join(map(encode_basestring, items)) + "]"


def _number(label: str | None) -> int | None:
    """A label that is a number, as one (so that ids keep their order); else None."""
    if label is None or not label.isascii() or not label.isdigit():
        return None
    return min(int(label), _LAST_NUMBER)


class Staging:
    """The staging of one import's rows, with its caches of actors, sources and name keys."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.conn = run.conn
        # name_key(actor name) -> [id, name, side, in the database before, line giving side]
        self.actors: dict[str, list] = {}
        self.side_conflicts: dict[tuple[str, str], list] = {}
        self.sources: dict[SourceKey, int] = {}
        # New sources, inserted a batch at a time with ids reserved a batch at a time (one
        # round trip each to a server): (id, url, title).
        self.new_sources: list[tuple[int, str | None, str | None]] = []
        self.source_ids: Iterator[int] = iter(())
        self.keys: dict[str, str] = {}
        # Into an empty database, every source is one this import made, and so in the cache.
        self.sources_all_known = run.before["sources"] == 0

    def stage(self, rows: Iterable[ImportRow]) -> None:
        """Stage every row; note the problems of rows and of their claimants' sides."""
        self.conn.execute(
            """CREATE TEMP TABLE import_rows (
                   seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, ckey TEXT NOT NULL,
                   number BIGINT, uid TEXT, target_label TEXT, target_uid TEXT, stance TEXT,
                   text TEXT, actor_id BIGINT, said_on TEXT, quote TEXT, note TEXT,
                   sources TEXT, tags TEXT, bad INTEGER NOT NULL
               )"""
        )
        # seq numbers the rows in file order (a line of JSON may hold several); number is the
        # label's when it is a number.
        batch: list[tuple] = []
        for index, row in enumerate(rows):
            staged = self._staged(index, row)
            if staged is not None:
                batch.append(staged)
            if len(batch) >= BATCH:
                self.run.sql.insert_rows(self.conn, "import_rows", _ROW_COLUMNS, batch)
                batch.clear()
        self.run.sql.insert_rows(self.conn, "import_rows", _ROW_COLUMNS, batch)
        self._insert_new_sources()
        self.conn.execute("CREATE INDEX import_rows_ckey ON import_rows(ckey)")
        self.run.sql.analyze(self.conn, "import_rows")
        self.run.uids_given = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM import_rows WHERE uid IS NOT NULL)"
        ).fetchone()[0]
        if self.run.uids_given:
            self.conn.execute("CREATE INDEX import_rows_uid ON import_rows(uid)")
        self._side_problems()

    def _staged(self, index: int, row: ImportRow) -> tuple | None:
        """The import_rows values of a row (None for a bad row without a label)."""
        if row.problems:
            self.run.problems.extend((row.line, problem) for problem in row.problems)
            self.run.fatal = self.run.fatal or row.fatal
            if row.label is None:
                return None
            # Kept for its label only, so rows naming it are not reported as well.
            return (index, row.line, "l" + row.label, *(None,) * 12, 1)
        sources = self._sources(row.sources)
        ckey = "l" + row.label if row.label is not None else f"n{index}"
        self._details(ckey, row)
        return (
            index,
            row.line,
            ckey,
            _number(row.label),
            row.uid,
            None if row.target_label is None else "l" + row.target_label,
            row.target_uid,
            row.stance,
            row.text,
            self._actor(row),
            row.on,
            row.quote,
            row.note,
            "[" + ",".join(map(str, sources)) + "]" if sources else None,
            _json_strings(row.tags) if row.tags else None,
            0,
        )

    def _details(self, ckey: str, row: ImportRow) -> None:
        """Keep what the staged columns do not hold: the row's verdict and the descriptions of
        its sources (written by `import_writes.write_details`)."""
        if row.verdict is not None and ckey not in self.run.verdicts:
            self.run.verdicts[ckey] = Verdict(
                row.verdict, row.verdict_value, row.verdict_best, row.verdict_worst
            )
            self.run.result.placed_as_qualifies += row.placed_default
        if row.described:
            for key, description in row.described.items():
                self.run.described.setdefault(key, description)

    def _key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            if len(self.keys) > _CACHE_SIZE:
                self.keys.clear()
            key = self.keys[name] = name_key(name)
        return key

    def _actor(self, row: ImportRow) -> int:
        """The actor id of a row's claimant, created if new; its side set if it had none."""
        assert row.by is not None  # a row without a claimant has a problem
        key = self._key(row.by)
        actor = self.actors.get(key)
        if actor is None:
            actor = self.actors[key] = self._find_actor(row, key)
        actor_id, name, side, known, side_line = actor
        if row.side is None or (side is not None and self._key(side) == self._key(row.side)):
            return actor_id
        if side is None:
            values = {"side": row.side, "side_key": self._key(row.side)}
            if known:
                self.run.tx.update("actors", {"id": actor_id}, values)
            else:
                self.conn.execute(
                    "UPDATE actors SET side = ?, side_key = ? WHERE id = ?",
                    (*values.values(), actor_id),
                )
            actor[2], actor[4] = row.side, row.line
            return actor_id
        conflict = self.side_conflicts.setdefault(
            (key, self._key(row.side)), [row.line, 0, name, side, row.side, side_line]
        )
        conflict[1] += 1
        return actor_id

    def _find_actor(self, row: ImportRow, key: str) -> list:
        """The cache entry of the actor a row names: the recorded one, else a new one."""
        found = self.conn.execute(
            "SELECT id, name, side FROM actors WHERE key = ?", (key,)
        ).fetchone()
        if found is not None:
            return [*found, True, None]
        side_key = self._key(row.side) if row.side else None
        (actor_id,) = self.conn.execute(
            "INSERT INTO actors (name, key, side, side_key) VALUES (?, ?, ?, ?) RETURNING id",
            (row.by, key, row.side, side_key),
        ).fetchone()
        self.run.result.actors_added += 1
        return [actor_id, row.by, row.side, False, row.line]

    def _side_problems(self) -> None:
        for line, count, name, side, given, side_line in self.side_conflicts.values():
            more = f" (and on {count - 1} more rows)" if count > 1 else ""
            if side_line is None:
                message = (
                    f"{name} is on side {side} in the database, not {given}{more}: correct the "
                    f"file, or change the side first with `claimtrack actor edit "
                    f"{json.dumps(name, ensure_ascii=False)} --side "
                    f"{json.dumps(given, ensure_ascii=False)}`."
                )
            else:
                message = (
                    f"{name} is given side {given} here{more} but side {side} on line "
                    f"{side_line}: an actor has one side."
                )
            self.run.problems.append((line, message))

    def _sources(self, refs: Iterable[SourceKey]) -> list[int]:
        """Source ids for (url, title) pairs, created if new, each once."""
        ids: list[int] = []
        for ref in refs:
            source_id = self.sources.get(ref)
            if source_id is None:
                source_id = self._find_source(ref)
                if len(self.sources) > _CACHE_SIZE:
                    self.sources.clear()
                    self.sources_all_known = False
                self.sources[ref] = source_id
            if source_id not in ids:
                ids.append(source_id)
        return ids

    def _find_source(self, ref: SourceKey) -> int:
        """The id of the source (url, title), made if new."""
        # Into an empty database every source there is sits in the cache: no need to look.
        found = None
        if not self.sources_all_known:
            self._insert_new_sources()
            found = source_id(self.conn, *ref)
        if found is not None:
            return found
        self.run.result.sources_added += 1
        made = next(self.source_ids, None)
        if made is None:
            self._insert_new_sources()
            first = self.run.sql.reserve_ids(self.conn, "sources", BATCH)
            self.source_ids = iter(range(first, first + BATCH))
            made = next(self.source_ids)
        self.new_sources.append((made, *ref))
        return made

    def _insert_new_sources(self) -> None:
        """Insert the new sources not inserted yet."""
        if self.new_sources:
            self.run.sql.insert_rows(self.conn, "sources", ("id", "url", "title"), self.new_sources)
            self.new_sources.clear()
