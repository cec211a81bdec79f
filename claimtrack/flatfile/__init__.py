"""The import and export file formats (flat rows in CSV, JSON and JSONL, ClaimReview): columns,
cells, rows, readers and writers; no SQL here."""
