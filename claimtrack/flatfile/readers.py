"""Streaming readers of import files, CSV, JSON Lines and one JSON array, that know the
physical line each row starts on; they map columns to fields and hand each row's values to
`rows` to be checked."""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from claimtrack.errors import InvalidInput
from claimtrack.flatfile.cells import unprotect
from claimtrack.flatfile.claimreview import read_claimreview
from claimtrack.flatfile.columns import EXPORT_ONLY, FIELDS
from claimtrack.flatfile.json_array import JsonArray, JsonSyntaxError
from claimtrack.flatfile.rows import (
    EMPTY_SLOTS,
    READERS,
    SLOT,
    ImportOptions,
    ImportRow,
    checked_row,
    row_of,
    unknown_names,
)

# What a JSON value may be, beside a string (and null, for no value).
_JSON_VALUES: dict[str, tuple[type | tuple[type, ...], str]] = {
    **dict.fromkeys(("id", "responds_to"), ((str, int), "a string or a whole number")),
    "sources": ((str, list), "a string or a list of strings or source objects"),
    "tags": ((str, list), "a string or a list of strings"),
    **dict.fromkeys(
        ("verdict_value", "verdict_best", "verdict_worst"), ((int, float, str), "a number")
    ),
    **dict.fromkeys(("thread", "depth", "status"), (object, "anything")),
}

_READ_SIZE = 1 << 20
_PROGRESS_STEP = 1 << 18

Progress = Callable[[int], None]


def read_rows(
    stream: BinaryIO,
    name: str,
    fmt: str,
    options: ImportOptions,
    progress: Progress | None = None,
    places: dict[int, str] | None = None,
) -> Iterator[ImportRow]:
    """The rows of an import file, one at a time, with the line each starts on.

    A file that cannot be read at all (no header, unknown columns) raises InvalidInput at
    once; a bad row comes with its problems, and the rows after it are still read. For
    ClaimReview, whose rows come from JSON objects rather than lines, each row is numbered and
    `places` gets where it comes from (FILE: JSON path), for the problems' wording.
    """
    if fmt == "claimreview":
        return _claimreview_rows(stream, name, options, {} if places is None else places)
    if fmt == "csv":
        return CsvReader(stream, name, options, progress).rows()
    if fmt == "jsonl":
        return JsonLinesReader(stream, name, options, progress).rows()
    return JsonReader(stream, name, options, progress).rows()


def _claimreview_rows(
    stream: BinaryIO, name: str, options: ImportOptions, places: dict[int, str]
) -> Iterator[ImportRow]:
    """The flat rows of a ClaimReview document, checked as the rows of a JSON file are."""
    for number, flat in enumerate(read_claimreview(stream, name), 1):
        places[number] = flat.where
        given = {key: value for key, value in flat.values.items() if value not in (None, "", [])}
        yield row_of(options, number, given)


def _not_utf8(line: int, offset: int | None) -> str:
    where = f" (byte {offset + 1} of the line)" if offset is not None else ""
    return f"line {line} is not valid UTF-8{where}: save the file as UTF-8 and import it again."


class _Reader:
    """One import file being read: its name, the options, progress."""

    def __init__(
        self, stream: BinaryIO, name: str, options: ImportOptions, progress: Progress | None
    ):
        self.stream = stream
        self.name = name
        self.options = options
        self.progress = progress
        self.read = 0
        self.reported = 0

    def _count(self, size: int) -> None:
        self.read += size
        if self.progress and self.read - self.reported >= _PROGRESS_STEP:
            self.reported = self.read
            self.progress(self.read)

    def _physical_lines(self) -> Iterator[tuple[int, bytes]]:
        """(number, bytes) of each line of the file, a BOM dropped from the first."""
        for number, raw in enumerate(self.stream, 1):
            self._count(len(raw))
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield number, raw


# -- CSV ------------------------------------------------------------------------------------


def _allow_huge_fields() -> None:
    """Let csv read fields of any size (its default limit is 128 KiB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


class CsvReader(_Reader):
    """A CSV file with a header row."""

    def _lines(self, bad: dict[int, str]) -> Iterator[str]:
        """The file's physical lines as text; lines that are not UTF-8 are noted in `bad`."""
        for number, raw in self._physical_lines():
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as err:
                bad[number] = _not_utf8(number, err.start)
                yield raw.decode("utf-8", "replace")

    def rows(self) -> Iterator[ImportRow]:
        """The rows after the header (read, with its problems, before this returns)."""
        _allow_huge_fields()
        bad: dict[int, str] = {}
        reader = csv.reader(self._lines(bad), strict=True)
        end = 0  # the last physical line read so far
        header: list[str] | None = None
        while header is None:
            try:
                cells = next(reader, None)
            except csv.Error as err:
                raise InvalidInput(f"{self.name}:{end + 1}: malformed CSV header: {err}.") from None
            if cells is None:
                raise InvalidInput(
                    f"{self.name}:1: the file is empty: a CSV import needs a header row naming "
                    f"its columns ({', '.join(FIELDS)})."
                )
            if any(cells):
                header = cells
                header_line = end + 1
            end = reader.line_num
        if bad:
            raise InvalidInput(f"{self.name}:{min(bad)}: {bad[min(bad)]}")
        columns = self._columns(header, header_line)
        # The checks above are done before the first row is asked for: a file that cannot be
        # read at all fails at once, before the store starts writing.
        return self._body(reader, columns, len(header), bad, end)

    def _columns(self, header: list[str], line: int) -> list[tuple[int, str]]:
        """(index, field) of the header's columns that feed a field."""
        columns: list[tuple[int, str]] = []
        unknown: list[str] = []
        fed: dict[str, str] = {}
        for index, column in enumerate(header):
            try:
                target = self.options.field_of(column)
            except KeyError:
                unknown.append(column)
                continue
            if target is None:
                continue
            if target in fed:
                raise InvalidInput(
                    f"{self.name}:{line}: the columns {fed[target]!r} and {column!r} both feed "
                    f"the field {target}: ignore one with --map COLUMN=."
                )
            fed[target] = column
            if target not in EXPORT_ONLY:
                columns.append((index, target))
        if unknown:
            raise InvalidInput(f"{self.name}:{line}: {self._unknown(header, unknown)}")
        named = {column.strip().casefold() for column in header}
        missing = [column for column in self.options.maps if column not in named]
        if missing:
            raise InvalidInput(
                f"{self.name}:{line}: --map names {', '.join(repr(c) for c in missing)}, "
                f"which the header does not have; its columns are "
                f"{', '.join(repr(c) for c in header)}."
            )
        return columns

    @staticmethod
    def _unknown(header: list[str], unknown: list[str]) -> str:
        message = unknown_names(unknown, "column")
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            message += " The header has one column: claimtrack reads comma-separated files."
        if header[0].lstrip()[:1] in ("[", "{"):
            message += " The file looks like JSON: give --format json or --format jsonl."
        return message

    def _body(
        self,
        reader: Iterator[list[str]],
        columns: list[tuple[int, str]],
        width: int,
        bad: dict[int, str],
        end: int,
    ) -> Iterator[ImportRow]:
        read_cells = self._cells_reader(columns)
        while True:
            start = end + 1
            try:
                cells = next(reader, None)
            except csv.Error as err:
                yield self._error(start, err)
                return
            if cells is None:
                return
            end = reader.line_num  # type: ignore[attr-defined]
            if not any(cells):
                continue  # blank lines and rows of empty cells
            if len(cells) != width:
                row = ImportRow(start)
                row.problems.append(
                    f"the row has {len(cells)} cells but the header has {width} columns "
                    "(a missing or extra comma, or a quote that is not closed?)."
                )
            else:
                row = read_cells(start, cells)
            if bad:
                for number in [n for n in bad if start <= n <= end]:
                    row.problems.append(bad.pop(number))
            yield row

    def _cells_reader(self, columns: list[tuple[int, str]]) -> Callable[[int, list], ImportRow]:
        """A function from a row's line and cells to its ImportRow."""
        options = self.options
        unprotect_cells = not options.raw
        plan = [(index, name, SLOT[name], READERS[name]) for index, name in columns]
        stance_index = next((index for index, name in columns if name == "stance"), None)

        def read_cells(line: int, cells: list[str]) -> ImportRow:
            # `rows.row_of` inlined: this runs for every row of files of millions of rows.
            slots = list(EMPTY_SLOTS)
            problems: list[str] = []
            failed: set[str] = set()
            for index, name, slot, read in plan:
                cell = cells[index]
                if cell:
                    if unprotect_cells and cell[0] == "'":
                        cell = unprotect(cell)
                    try:
                        slots[slot] = read(cell)
                    except InvalidInput as err:
                        problems.append(str(err))
                        failed.add(name)
            stance = cells[stance_index] or None if stance_index is not None else None
            if stance is not None and unprotect_cells:
                stance = unprotect(stance)
            return checked_row(options, line, slots, problems, failed, stance)

        return read_cells

    @staticmethod
    def _error(line: int, err: csv.Error) -> ImportRow:
        text = str(err)
        if "unexpected end of data" in text:
            text = 'a quoted cell that starts on this row is never closed: add the missing "'
        elif "new-line character" in text:
            text = "a line ends with a bare CR: save the file with LF or CRLF line ends"
        row = ImportRow(line, fatal=True)
        row.problems.append(f"malformed CSV: {text}; the rest of the file was not read.")
        return row


# -- JSON -----------------------------------------------------------------------------------


class _JsonObjects(_Reader):
    """A file of JSON objects, one per row: their keys mapped to fields."""

    def __init__(
        self, stream: BinaryIO, name: str, options: ImportOptions, progress: Progress | None
    ):
        super().__init__(stream, name, options, progress)
        # Keys that feed no field: the line of the first object with each, and how many.
        self.unknown: dict[str, list[int]] = {}

    def _object_row(self, line: int, value: object) -> ImportRow:
        if not isinstance(value, dict):
            kind = "null" if value is None else type(value).__name__
            return ImportRow(
                line,
                problems=[f'expected a JSON object ({{"text": ..., "by": ...}}), not {kind}.'],
            )
        values: dict[str, object] = {}
        problems = []
        wrong = []
        for key, raw in value.items():
            try:
                name = self.options.field_of(key)
            except KeyError:
                seen = self.unknown.setdefault(key, [line, 0])
                seen[1] += 1
                continue
            if name is None or raw is None:
                continue
            types, kind = _JSON_VALUES.get(name, (str, "a string"))
            if isinstance(raw, bool) or not isinstance(raw, types):
                shown = json.dumps(raw, ensure_ascii=False)
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                problems.append(f"{key} must be {kind}, not {shown}.")
                wrong.append(name)
            elif isinstance(raw, int):
                values[name] = str(raw)
            elif raw != "":
                values[name] = raw
        row = row_of(self.options, line, values, wrong)
        row.problems[:0] = problems
        return row

    def _unknown_keys(self) -> Iterator[ImportRow]:
        for key, (line, count) in self.unknown.items():
            where = f" (in {count} objects; the first is here)" if count > 1 else ""
            yield ImportRow(line, problems=[unknown_names([key], "key") + where])


class JsonLinesReader(_JsonObjects):
    """A JSON Lines file: one object per line; blank lines are skipped."""

    def rows(self) -> Iterator[ImportRow]:
        """Each line's row, then the problems of keys that feed no field."""
        for number, raw in self._physical_lines():
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield ImportRow(number, problems=[_not_utf8(number, err.start)])
                continue
            if not text.strip():
                continue
            try:
                value = json.loads(text.rstrip("\r\n"))
            except json.JSONDecodeError as err:
                yield ImportRow(
                    number, problems=[f"not valid JSON: {err.msg} (column {err.colno})."]
                )
                continue
            yield self._object_row(number, value)
        yield from self._unknown_keys()


class JsonReader(_JsonObjects):
    """A JSON file holding one array of objects, read element by element."""

    def rows(self) -> Iterator[ImportRow]:
        """Each element's row (the first read before this returns), then the problems of keys
        that feed no field."""
        elements = JsonArray(self._chunks()).elements()
        try:
            first = next(elements, None)
        except JsonSyntaxError as err:
            raise InvalidInput(f"{self.name}:{err.line}: {err}") from None
        return self._body(first, elements)

    def _body(
        self, first: tuple[int, object] | None, elements: Iterable[tuple[int, object]]
    ) -> Iterator[ImportRow]:
        if first is None:
            return
        line, value = first
        yield self._object_row(line, value)
        try:
            for line, value in elements:
                yield self._object_row(line, value)
        except JsonSyntaxError as err:
            yield ImportRow(
                err.line,
                fatal=True,
                problems=[str(err) if err.at_end else f"{err}; the rest of the file was not read."],
            )
            return
        yield from self._unknown_keys()

    def _chunks(self) -> Iterator[str]:
        """The file as text, a chunk at a time (a BOM dropped); bad UTF-8 ends it with an error."""
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        newlines = 0
        while True:
            data = self.stream.read(_READ_SIZE)
            self._count(len(data))
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as err:
                line = newlines + data[: max(err.start, 0)].count(b"\n") + 1
                raise JsonSyntaxError(line, _not_utf8(line, None)) from None
            newlines += text.count("\n")
            if text:
                yield text
            if not data:
                return
