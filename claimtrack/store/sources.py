"""Sources: listing them with how many claims cite each, and describing one."""

from __future__ import annotations

from claimtrack.errors import InvalidInput, NotFound
from claimtrack.model import SourceRef, SourceUsage, Written
from claimtrack.store.base import StoreBase
from claimtrack.validate import is_url, optional_text, parse_partial_date
from claimtrack.wording import changed


class SourcesArea(StoreBase):
    """Sources: every one with its citations, and `source edit`."""

    def sources(self, limit: int | None = None) -> list[SourceUsage]:
        """Every source (the first `limit`) with how many claims cite it, most cited first."""
        return [
            SourceUsage(*row)
            for row in self.conn.execute(
                """SELECT s.url, s.title, s.outlet, s.published, s.archived_url,
                          count(cs.claim_id) AS claims
                   FROM sources s LEFT JOIN claim_sources cs ON cs.source_id = s.id
                   GROUP BY s.id
                   ORDER BY claims DESC, coalesce(s.title, s.url), s.id
                   LIMIT ?""",
                (self.sql.no_limit if limit is None else limit,),
            )
        ]

    def count_sources(self) -> int:
        """How many sources are recorded."""
        return self.conn.execute("SELECT count(*) FROM sources").fetchone()[0]

    def source_edit(
        self,
        value: str,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
        archived_url: str | None = None,
    ) -> Written:
        """Describe a source (named by URL or title); "" clears a field."""
        with self.write("source-edit") as tx:
            found = self.find_source(value)
            if found is None:
                raise NotFound(
                    f"There is no source {value.strip()!r}. Run `claimtrack sources` to see them."
                )
            key = {"id": found[0]}
            before = tx.select("sources", key)
            assert before is not None  # found above, in this transaction
            wanted: dict = {}
            if title is not None:
                wanted["title"] = optional_text(title)
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
                wanted["outlet"] = optional_text(outlet)
            if published is not None:
                wanted["published"] = (
                    parse_partial_date(published, "--published") if published.strip() else None
                )
            if archived_url is not None:
                wanted["archived_url"] = optional_text(archived_url)
                if wanted["archived_url"] and not is_url(wanted["archived_url"]):
                    raise InvalidInput(
                        f"--archived-url {archived_url!r} is not a URL: give a full address "
                        "such as https://web.archive.org/web/2024/https://example.org/page."
                    )
            changes = [
                changed(column.replace("_", " "), before[column], new)
                for column, new in wanted.items()
                if before[column] != new
            ]
            if changes:
                tx.update("sources", key, wanted)
            label = SourceRef(before["url"], before["title"]).label
            tx.summary = f"edited source {label}: " + "; ".join(changes)
        return Written(None, changes, change_id=tx.change_id, subject=label)
