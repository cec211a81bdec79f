"""The import and export file formats: readers and writers of flat rows, with no SQL."""
