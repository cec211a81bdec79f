"""The flat import/export format: columns, cells, rows, readers and the writer; no SQL here."""
