"""The record as it stood on a day (`--as-of`): views that shadow the tables for reading."""

from __future__ import annotations

from claimtrack.store.base import StoreBase
from claimtrack.validate import last_day


class AsOfArea(StoreBase):
    """`--as-of DATE` for the commands that read."""

    def as_of(self, date: str) -> int:
        """From now on, read the record as it stood on `date` (to the last day of a partial
        date): only the claims said on or before it (a claim's partial date counts from its
        first day; undated claims are left out), and the links between them. Returns how many
        claims are left out.

        Temporary views named `claims` and `responses` shadow the tables for this connection
        (unqualified names find the temp schema first), so every read, status and standing
        included, sees that record without a query of its own. Only for reading."""
        day = self.as_of_day = last_day(date)  # YYYY-MM-DD, checked: safe inside the SQL
        first_day = """CASE length(said_on) WHEN 4 THEN said_on || '-01-01'
            WHEN 7 THEN said_on || '-01' ELSE said_on END"""
        main, temp = self.sql.main, self.sql.temp
        self.conn.execute(f"DROP VIEW IF EXISTS {temp}.responses")
        self.conn.execute(f"DROP VIEW IF EXISTS {temp}.claims")
        self.conn.execute(
            f"""CREATE TEMP VIEW claims AS SELECT * FROM {main}.claims
                WHERE said_on IS NOT NULL AND {first_day} <= '{day}'"""
        )
        self.conn.execute(
            f"""CREATE TEMP VIEW responses AS SELECT r.* FROM {main}.responses r
               WHERE r.response_id IN (SELECT id FROM {temp}.claims)
                 AND r.target_id IN (SELECT id FROM {temp}.claims)"""
        )
        total, shown = self.conn.execute(
            f"SELECT (SELECT count(*) FROM {main}.claims), (SELECT count(*) FROM {temp}.claims)"
        ).fetchone()
        return total - shown
