"""Streaming export: the threads to export, a batch at a time, their claims' cells built by
the database in one consistent snapshot."""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Sequence

from claimtrack.dialect import Dialect
from claimtrack.flatfile.columns import CLAIM_CELLS
from claimtrack.flatfile.writer import json_text
from claimtrack.model import ClaimFilter, ExportBatch, SourceRef
from claimtrack.store.base import STATUS_SQL, StoreBase

# Where the sources cell is among a claim's cells (the tags cell follows it).
SOURCES = CLAIM_CELLS.index("sources")

_ROOTS_PER_BATCH = 256

# Sources whose `flatfile.cells.sources_cell` may not read back as the same sources: those
# without a URL, or with a space in it (`cells.sources_roundtrip` needs to look only at claims
# citing one). `s` is the sources row.
_UNCLEAR_SOURCE = "(coalesce(s.url, '') = '' OR s.url LIKE '% %')"
_CITES_UNCLEAR = f"""EXISTS (SELECT 1 FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
    WHERE cs.claim_id = c.id AND {_UNCLEAR_SOURCE})"""


def _export_claims(sql: Dialect, unclear: str) -> str:
    """The cells of exported claims (their ids a JSON list parameter), in the order of
    flatfile.columns.CLAIM_CELLS (sources as cells.sources_cell writes them: each source's
    URL, or its title, in order), and last whether the claim cites an unclear source
    (`unclear`: an EXISTS, or 0 when the database has none, which saves a lookup per claim)."""
    cells = sql.joined("cell", "' '", "position")
    tags = sql.joined("tag", "','", "rowid")
    return f"""
    SELECT c.id, c.uid, c.text, a.name, a.side, c.said_on, c.quote,
        nullif((SELECT {cells} FROM (
            SELECT coalesce(nullif(s.url, ''), nullif(s.title, ''), '') AS cell, cs.position
            FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
            WHERE cs.claim_id = c.id ORDER BY cs.position) AS cited), ''),
        (SELECT {tags} FROM (
            SELECT tag, t.rowid FROM claim_tags t WHERE t.claim_id = c.id ORDER BY t.rowid
        ) AS tagged),
        c.note, v.label, v.value, v.best, v.worst,
        {STATUS_SQL},
        {unclear}
    FROM claims c JOIN actors a ON a.id = c.actor_id
    LEFT JOIN verdicts v ON v.claim_id = c.id
    WHERE c.id IN ({sql.ints()})"""


def _source_objects(sql: Dialect) -> str:
    """For the lossless formats (JSON, JSONL): each claim's sources with their descriptions,
    in order."""
    return f"""SELECT cs.claim_id, s.url, s.title, s.outlet, s.published, s.archived_url
        FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
        WHERE cs.claim_id IN ({sql.ints()}) ORDER BY cs.claim_id, cs.position"""


def _tag_lists(sql: Dialect) -> str:
    """For the lossless formats: each claim's tags, in order."""
    return f"""SELECT claim_id, tag FROM claim_tags
        WHERE claim_id IN ({sql.ints()}) ORDER BY claim_id, rowid"""


def _thread_links(sql: Dialect) -> str:
    """Every link under each of a batch of roots: (root, response, target, stance)."""
    return f"""WITH RECURSIVE thread(root, id) AS (
            SELECT value, value FROM ({sql.ints()}) AS roots
            UNION
            SELECT t.root, r.response_id
            FROM thread t JOIN responses r ON r.target_id = t.id
        )
        SELECT t.root, r.response_id, r.target_id, r.stance
        FROM thread t JOIN responses r ON r.target_id = t.id"""


Link = tuple[int, int, str]


class ExportArea(StoreBase):
    """Streaming export of whole threads."""

    def export_threads(
        self,
        roots: Sequence[int] | None = None,
        filters: ClaimFilter | None = None,
        lossless: bool = False,
    ) -> Generator[ExportBatch]:
        """The threads under `roots` (default: under every claim that answers none) whose root
        matches `filters`, a batch at a time. `lossless` (for JSON and JSONL) gives each claim's
        sources as objects with their descriptions and its tags as a list, as JSON text."""
        # Built now, not when the first batch is asked for: a bad filter or an unknown id is
        # an error before anything is written.
        filters = filters or ClaimFilter()
        where, params = self.filter_sql(filters)
        given = None
        if roots is not None:
            for root in roots:
                self.require_claim(root)
            given = list(dict.fromkeys(roots))
        if filters.standing is not None:
            # Standing is computed, not a column: choose the roots of that standing first.
            if given is None:
                given = self.matching_ids(
                    f"""SELECT c.id FROM claims c WHERE NOT EXISTS (
                            SELECT 1 FROM responses r WHERE r.response_id = c.id
                        ) AND {where} ORDER BY c.id""",
                    params,
                    filters,
                )
            else:
                standing = self.standings_of(json.dumps(given))
                given = [root for root in given if standing[root] is filters.standing]
        return self._threads(given, where, params, lossless)

    def _threads(
        self, roots: list[int] | None, where: str, params: list, lossless: bool
    ) -> Generator[ExportBatch]:
        # One read transaction: the export is one consistent snapshot while others write.
        self.sql.begin_snapshot(self.conn)
        try:
            unclear = self.conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM sources s WHERE {_UNCLEAR_SOURCE})"
            ).fetchone()[0]
            select = _export_claims(self.sql, _CITES_UNCLEAR if unclear else "0")
            links = _thread_links(self.sql)
            for batch in self._root_batches(roots, where, params):
                edges: dict[int, list[Link]] = {root: [] for root in batch}
                members = set(batch)
                for root, response_id, target_id, stance in self.conn.execute(
                    links, (json.dumps(batch),)
                ):
                    edges[root].append((response_id, target_id, stance))
                    members.add(response_id)
                threads = [(root, edges[root]) for root in batch]
                exported = self._export_batch(select, members, threads)
                if lossless:
                    self._as_json_cells(exported)
                yield exported
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def _export_batch(
        self, select: str, members: set[int], threads: list[tuple[int, list[Link]]]
    ) -> ExportBatch:
        """The batch's claims as cells, with the sources of those whose cell may not read back."""
        ids_json = json.dumps(sorted(members))
        claims: dict[int, tuple] = {}
        check: list[int] = []
        for row in self.conn.execute(select, (ids_json,)):
            claims[row[0]] = row[:-1]
            if row[-1]:
                check.append(row[0])
        sources: dict[int, list[SourceRef]] = {claim_id: [] for claim_id in check}
        if check:
            for claim_id, url, title in self.conn.execute(
                f"""SELECT cs.claim_id, s.url, s.title
                   FROM claim_sources cs JOIN sources s ON s.id = cs.source_id
                   WHERE cs.claim_id IN ({self.sql.ints()})
                   ORDER BY cs.claim_id, cs.position""",
                (json.dumps(check),),
            ):
                sources[claim_id].append(SourceRef(url, title))
        return ExportBatch(threads, claims, sources)

    def _as_json_cells(self, batch: ExportBatch) -> None:
        """Put each claim's sources (objects with every description) and tags (a list) in its
        cells as JSON text, in place of the CSV forms."""
        ids_json = json.dumps(sorted(batch.claims))
        sources: dict[int, list[dict]] = {claim_id: [] for claim_id in batch.claims}
        for claim_id, url, title, outlet, published, archived in self.conn.execute(
            _source_objects(self.sql), (ids_json,)
        ):
            sources[claim_id].append(SourceRef(url, title, outlet, published, archived).as_json())
        tags: dict[int, list[str]] = {claim_id: [] for claim_id in batch.claims}
        for claim_id, tag in self.conn.execute(_tag_lists(self.sql), (ids_json,)):
            tags[claim_id].append(tag)
        for claim_id, cells in batch.claims.items():
            batch.claims[claim_id] = (
                *cells[:SOURCES],
                json_text(sources[claim_id]),
                json_text(tags[claim_id]),
                *cells[SOURCES + 2 :],
            )
        batch.sources.clear()  # every source reads back whole: none is unclear

    def _root_batches(
        self, roots: list[int] | None, where: str, params: list
    ) -> Iterator[list[int]]:
        """The given roots, or else the claims that answer none (in id order), that match the
        filters, a batch at a time."""
        if roots is not None:
            yield from self._given_root_batches(roots, where, params)
            return
        last = 0
        while True:
            batch = [
                row[0]
                for row in self.conn.execute(
                    f"""SELECT c.id FROM claims c WHERE c.id > ? AND NOT EXISTS (
                            SELECT 1 FROM responses r WHERE r.response_id = c.id
                        ) AND {where} ORDER BY c.id LIMIT ?""",
                    (last, *params, _ROOTS_PER_BATCH),
                )
            ]
            if not batch:
                return
            yield batch
            last = batch[-1]

    def _given_root_batches(
        self, roots: list[int], where: str, params: list
    ) -> Iterator[list[int]]:
        """The given roots that match the filters, in the order given, a batch at a time."""
        for start in range(0, len(roots), _ROOTS_PER_BATCH):
            given = roots[start : start + _ROOTS_PER_BATCH]
            matching = {
                row[0]
                for row in self.conn.execute(
                    f"""SELECT c.id FROM claims c
                        WHERE c.id IN ({self.sql.ints()}) AND {where}""",
                    (json.dumps(given), *params),
                )
            }
            if batch := [root for root in given if root in matching]:
                yield batch
