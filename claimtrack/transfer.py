"""The flat import/export format: its columns, streaming readers that know each row's physical
line, writers, CSV formula protection and its exact inverse, and the validation of rows with
`--map` and `--set`. No SQL here: the store takes the validated rows and gives back threads."""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring
from typing import BinaryIO, TextIO

from claimtrack.errors import InvalidInput
from claimtrack.model import Claim, SourceRef, Stance
from claimtrack.validate import is_url, nfc, parse_partial_date, source_identity

# The shared flat format (SPEC "Batch import and export"): these columns, in this order.
FIELDS = (
    "id",
    "uid",
    "responds_to",
    "responds_to_uid",
    "stance",
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
)
# Written by export only; an import accepts and ignores them, so exports import again.
EXPORT_ONLY = ("thread", "depth", "status")
COLUMNS = FIELDS + EXPORT_ONLY
FORMATS = ("csv", "json", "jsonl")
_EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# Fields a --set may not fill: one value for every row would make them all one claim.
_NOT_SETTABLE = ("id", "uid")
# What a JSON value may be, beside a string (and null, for no value).
_JSON_VALUES: dict[str, tuple[type | tuple, str]] = {
    **dict.fromkeys(("id", "responds_to"), ((str, int), "a string or a whole number")),
    **dict.fromkeys(("sources", "tags"), ((str, list), "a string or a list of strings")),
    **dict.fromkeys(("thread", "depth", "status"), (object, "anything")),
}

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
_FORMULA_START = frozenset("=+-@\t\r\n")
_PROTECTED_START = _FORMULA_START | {"'"}

_READ_SIZE = 1 << 20
_PROGRESS_STEP = 1 << 18


def format_for(path: str | None, given: str | None, default: str | None = None) -> str:
    """The format named by `--format`, else by the file's extension, else `default`."""
    if given is not None:
        chosen = given.strip().lower()
        if chosen not in FORMATS:
            raise InvalidInput(f"Unknown format {given!r}: use one of {', '.join(FORMATS)}.")
        return chosen
    if path is not None and path != "-":
        suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if suffix in _EXTENSIONS:
            return _EXTENSIONS[suffix]
        if default is None:
            raise InvalidInput(
                f"Cannot tell the format of {path} from its name (.csv, .json, .jsonl or "
                ".ndjson): give --format csv, json or jsonl."
            )
    if default is None:
        raise InvalidInput("Give --format csv, json or jsonl.")
    return default


# -- formula protection ---------------------------------------------------------------------


def protect(cell: str) -> str:
    """A CSV cell as written for spreadsheets: one more leading ' if it could start a formula."""
    if cell and (cell[0] in _FORMULA_START or (cell[0] == "'" and cell[1:2] in _PROTECTED_START)):
        return "'" + cell
    return cell


def unprotect(cell: str) -> str:
    """The exact inverse of `protect`: drop the one ' that protection added."""
    if cell[:1] == "'" and cell[1:2] in _PROTECTED_START:
        return cell[1:]
    return cell


# -- sources and tags cells -----------------------------------------------------------------


def sources_cell(sources: Iterable[SourceRef]) -> str:
    """The `sources` cell: each source's URL (or title, without one), separated by a space."""
    return " ".join(source.url or source.title or "" for source in sources)


# Sources repeat (each is cited by many claims): read each spelling once.
_source = lru_cache(maxsize=65536)(source_identity)


def parse_sources(value: str | list) -> tuple[tuple[str | None, str | None], ...]:
    """Sources from a cell: a word that is a URL starts a source, the words between URLs are a
    title. A JSON list names one source per item."""
    if isinstance(value, list):
        return _parse_sources([_string_item("sources", item) for item in value])
    return _parse_sources_cell(value)


@lru_cache(maxsize=65536)
def _parse_sources_cell(value: str) -> tuple[tuple[str | None, str | None], ...]:
    return _parse_sources(_source_words(value))


# The words of sources cells repeat (each source is cited by many claims).
_is_url = lru_cache(maxsize=65536)(is_url)


def _source_words(value: str) -> list[str]:
    items = []
    title: list[str] = []
    for word in value.split(" "):
        if _is_url(word):
            items.append(" ".join(title))
            title = []
            items.append(word)
        else:
            title.append(word)
    items.append(" ".join(title))
    return items


def _parse_sources(items: list[str]) -> tuple[tuple[str | None, str | None], ...]:
    found: dict[tuple[str | None, str | None], None] = {}
    for item in items:
        if item.strip():
            found.setdefault(_source(item))
    return tuple(found)


def sources_roundtrip(sources: list[SourceRef]) -> bool:
    """Whether `sources_cell` of these sources reads back as the same sources."""
    if all(source.url and " " not in source.url for source in sources):
        return True
    # A source is known by its URL, or by its title when it has no URL.
    known = tuple((s.url, None) if s.url else (None, s.title) for s in sources)
    return parse_sources(sources_cell(sources)) == known


def parse_tags(value: str | list) -> tuple[str, ...]:
    """Tags from a comma-separated cell (or a JSON list): trimmed, each once, in order."""
    if isinstance(value, list):
        return _parse_tags([_string_item("tags", item) for item in value])
    return _parse_tags_cell(value)


@lru_cache(maxsize=65536)
def _parse_tags_cell(value: str) -> tuple[str, ...]:
    return _parse_tags(value.split(","))


def _parse_tags(items: list[str]) -> tuple[str, ...]:
    tags: dict[str, None] = {}
    for item in items:
        tag = nfc(item).strip()
        if "," in tag:
            raise InvalidInput(f"tag {tag!r} contains a comma: tags are separated by commas.")
        if "\x00" in tag:  # which no command line can give, and SQLite's JSON would cut
            raise InvalidInput(f"tag {tag!r} contains a NUL character: remove it.")
        if tag:
            tags.setdefault(tag)
    return tuple(tags)


def _string_item(name: str, item: object) -> str:
    if not isinstance(item, str):
        raise InvalidInput(f"{name} must be a string or a list of strings.")
    return item


# -- export rows ----------------------------------------------------------------------------


# An exported claim's cells: these values, in this order (None for no value). The store builds
# them in SQL for export (`ClaimStore.export_threads`); `claim_cells` builds them from a Claim.
# A row (COLUMNS) is its claim's id and uid, the id and uid of the claim it answers and the
# stance, its claim's cells from text to note, the thread and depth, and its claim's status.
CLAIM_CELLS = (
    "id",
    "uid",
    "text",
    "by",
    "side",
    "on",
    "quote",
    "sources",
    "tags",
    "note",
    "status",
)


def claim_cells(claim: Claim) -> tuple:
    """A claim's cells, in the order of CLAIM_CELLS."""
    return (
        claim.id,
        claim.uid,
        claim.text,
        claim.by,
        claim.side,
        claim.on,
        claim.quote,
        sources_cell(claim.sources) or None,
        ",".join(claim.tags) or None,
        claim.note,
        claim.status.value,
    )


# A row to write: (claim id, id of the claim it answers or None, stance or None, thread, depth).
RowPlan = tuple[int, int | None, str | None, int | None, int | None]


def thread_rows(root_id: int, edges: Iterable[tuple[int, int, str]]) -> Iterator[RowPlan]:
    """The rows of the thread under `root_id`, depth first: the root, then one row per link.

    A claim answering two claims of the thread has a row under each; its own answers are
    listed once, under the first.
    """
    yield root_id, None, None, root_id, 0
    children: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for response_id, target_id, stance in edges:
        children[target_id].append((response_id, stance))
    if not children:
        return
    for answers in children.values():
        answers.sort()
    expanded = {root_id}
    # Iterative: threads may be deeper than Python's recursion limit.
    stack = [(root_id, 1, iter(children.get(root_id, ())))]
    while stack:
        parent_id, depth, pending = stack[-1]
        answer = next(pending, None)
        if answer is None:
            stack.pop()
            continue
        response_id, stance = answer
        yield response_id, parent_id, stance, root_id, depth
        if response_id not in expanded:
            expanded.add(response_id)
            stack.append((response_id, depth + 1, iter(children.get(response_id, ()))))


def claim_rows(claims: Iterable[Claim]) -> Iterator[RowPlan]:
    """Rows for a list of claims (no thread): one per claim it answers, or one if none."""
    for claim in claims:
        if not claim.responds_to:
            yield claim.id, None, None, None, None
        for ref in claim.responds_to:
            yield claim.id, ref.id, ref.stance.value, None, None


# -- writers --------------------------------------------------------------------------------

# The claim cells that may start like a formula (ids, uids and dates never do).
_PROTECTED_CELLS = frozenset(
    CLAIM_CELLS.index(c) for c in ("text", "by", "side", "quote", "sources", "tags", "note")
)


def _csv_cell(value: str | int | None) -> str:
    """A value as csv.writer (the excel dialect) writes it: quoted if it holds a comma, a quote
    or a line end."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _json_value(value: str | int | None) -> str:
    """A value as json.dumps(..., ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return encode_basestring(value)


class RowWriter:
    """Writes flat rows as CSV (formula-protected unless `raw`), one JSON array, or JSONL.

    Each claim is formatted once, however many rows it has; a row is then its claim's text,
    the text of the claim it answers and a few numbers joined together. The output is exactly
    what csv.writer and json.dumps write for the row.
    """

    def __init__(self, stream: TextIO, fmt: str, raw: bool = False):
        self.stream = stream
        self.fmt = fmt
        self.protect = fmt == "csv" and not raw
        self.count = 0
        if fmt == "csv":
            stream.write(",".join(COLUMNS) + "\r\n")

    def write_rows(self, claims: dict[int, tuple], rows: Iterable[RowPlan]) -> None:
        """Write these rows; `claims` holds the cells of their claims (CLAIM_CELLS) by id."""
        if self.fmt == "csv":
            self._write_csv(claims, rows)
        else:
            self._write_json(claims, rows)

    def _write_csv(self, claims: dict[int, tuple], rows: Iterable[RowPlan]) -> None:
        # Per claim: "id,uid" (also its part of the rows that answer it), the cells from text
        # to note, and the status.
        formatted = {}
        protecting = self.protect
        for claim_id, cells in claims.items():
            body = []
            for index in range(2, 10):
                cell = cells[index]
                if not cell:
                    body.append("")
                    continue
                # A look at the first character; `protect` decides for the few that start
                # like a formula (or with ').
                if protecting and cell[0] in _PROTECTED_START and index in _PROTECTED_CELLS:
                    cell = protect(cell)
                # _csv_cell, inlined: this runs for every claim of the database.
                if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
                    cell = '"' + cell.replace('"', '""') + '"'
                body.append(cell)
            formatted[claim_id] = (
                f"{claim_id},{_csv_cell(cells[1])}",
                ",".join(body),
                _csv_cell(cells[10]),
            )
        lines = []
        for claim_id, parent_id, stance, thread, depth in rows:
            head, body, status = formatted[claim_id]
            answered = ",," if parent_id is None else f"{formatted[parent_id][0]},{stance}"
            lines.append(
                f"{head},{answered},{body},{'' if thread is None else thread},"
                f"{'' if depth is None else depth},{status}\r\n"
            )
        self.stream.write("".join(lines))
        self.count += len(lines)

    def _write_json(self, claims: dict[int, tuple], rows: Iterable[RowPlan]) -> None:
        # Per claim: its id and uid as a row's first members and as the claim a row answers,
        # the members from text to note, and the status.
        formatted = {}
        for claim_id, cells in claims.items():
            uid = _json_value(cells[1])
            body = ", ".join(
                f'"{name}": {_json_value(cells[index])}'
                for index, name in enumerate(CLAIM_CELLS[2:10], 2)
            )
            formatted[claim_id] = (
                f'"id": {claim_id}, "uid": {uid}',
                f'"responds_to": {claim_id}, "responds_to_uid": {uid}',
                body,
                _json_value(cells[10]),
            )
        lines = []
        unanswered = '"responds_to": null, "responds_to_uid": null, "stance": null'
        for claim_id, parent_id, stance, thread, depth in rows:
            head, _, body, status = formatted[claim_id]
            answered = (
                unanswered
                if parent_id is None
                else f'{formatted[parent_id][1]}, "stance": {_json_value(stance)}'
            )
            lines.append(
                f"{{{head}, {answered}, {body}, "
                f'"thread": {_json_value(thread)}, "depth": {_json_value(depth)}, '
                f'"status": {status}}}'
            )
        if not lines:
            return
        if self.fmt == "jsonl":
            self.stream.write("\n".join(lines) + "\n")
        else:
            self.stream.write(("[\n" if self.count == 0 else ",\n") + ",\n".join(lines))
        self.count += len(lines)

    def close(self) -> None:
        """Finish the document (the JSON array's closing bracket)."""
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


# -- import ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportRow:
    """One row of an import file, validated and in stored form, or its problems (its values
    in the order of FIELDS)."""

    line: int
    label: str | None = None
    uid: str | None = None
    target_label: str | None = None
    target_uid: str | None = None
    stance: str | None = None
    text: str | None = None
    by: str | None = None
    side: str | None = None
    on: str | None = None
    quote: str | None = None
    sources: tuple[tuple[str | None, str | None], ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    problems: list[str] = field(default_factory=list)
    # The file cannot be read past this row: later rows are unknown.
    fatal: bool = False


def _label(value: str) -> str | None:
    return value.strip() or None


def _uid(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise InvalidInput(
            f"uid {value!r} is not a UUID (such as 0b5e3a8c-2f4d-4e1a-9c6b-7d8e9f0a1b2c); "
            "leave it empty for a new claim."
        ) from None


def _responds_to_uid(value: str) -> str | None:
    try:
        return _uid(value)
    except InvalidInput:
        raise InvalidInput(
            f"responds_to_uid {value!r} is not a UUID: give the uid of the claim answered."
        ) from None


def _stance(value: str) -> str | None:
    return Stance.parse(value).value if value.strip() else None


def _text(value: str) -> str | None:
    text = nfc(value)
    return text if text.strip() else None


@lru_cache(maxsize=65536)
def _name(value: str) -> str | None:
    return nfc(value).strip() or None


@lru_cache(maxsize=65536)
def _date(value: str) -> str | None:
    return parse_partial_date(value, "on") if value.strip() else None


def _free(value: str) -> str | None:
    return nfc(value) if value else None


def _ignored(value: object) -> None:
    return None


# Each field's reader: the stored form of a non-empty value, or InvalidInput.
_READERS: dict[str, Callable] = {
    "id": _label,
    "uid": _uid,
    "responds_to": _label,
    "responds_to_uid": _responds_to_uid,
    "stance": _stance,
    "text": _text,
    "by": _name,
    "side": _name,
    "on": _date,
    "quote": _free,
    "sources": parse_sources,
    "tags": parse_tags,
    "note": _free,
    "thread": _ignored,
    "depth": _ignored,
    "status": _ignored,
}


@dataclass
class ImportOptions:
    """How to read a file: `--map` (column -> field, None to ignore), `--set`, `--raw`."""

    maps: dict[str, str | None] = field(default_factory=dict)
    sets: dict[str, object] = field(default_factory=dict)
    raw: bool = False


def import_options(maps: list[str], sets: list[str], raw: bool = False) -> ImportOptions:
    """`--map COLUMN=FIELD` and `--set FIELD=VALUE` values checked and read."""
    options = ImportOptions(raw=raw)
    for item in maps:
        column, equals, target = item.rpartition("=")
        column, target = column.strip().casefold(), target.strip().lower()
        if not equals or not column:
            raise InvalidInput(
                f"--map {item!r} is not COLUMN=FIELD: write --map title=text to feed the column "
                "title to the field text, or --map title= to ignore it."
            )
        if target and target not in FIELDS:
            raise InvalidInput(
                f"--map {item!r} names no field: the fields are {', '.join(FIELDS)}."
            )
        options.maps[column] = target or None
    for item in sets:
        name, equals, value = item.partition("=")
        name = name.strip().lower()
        if not equals or name not in FIELDS or name in _NOT_SETTABLE:
            settable = ", ".join(f for f in FIELDS if f not in _NOT_SETTABLE)
            raise InvalidInput(
                f"--set {item!r} is not FIELD=VALUE for a field that rows may share: "
                f'use one of {settable}, as in --set by="unknown outlet".'
            )
        try:
            options.sets[name] = _READERS[name](value)
        except InvalidInput as err:
            raise InvalidInput(f"--set {item!r}: {err}") from None
    return options


def read_rows(
    stream: BinaryIO,
    name: str,
    fmt: str,
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ImportRow]:
    """The rows of an import file, one at a time, with the line each starts on.

    A file that cannot be read at all (no header, unknown columns) raises InvalidInput at
    once; a bad row comes with its problems, and the rows after it are still read.
    """
    reader = _Reader(stream, name, options, progress)
    if fmt == "csv":
        return reader.csv_rows()
    if fmt == "jsonl":
        return reader.jsonl_rows()
    return reader.json_rows()


class _JsonSyntaxError(Exception):
    def __init__(self, line: int, message: str, at_end: bool = False):
        super().__init__(message)
        self.line = line
        self.at_end = at_end  # found at the end of the file: nothing is left unread


class _Reader:
    """One import file being read: column mapping, line numbers, progress."""

    def __init__(self, stream, name, options: ImportOptions, progress):
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

    # -- mapping columns to fields

    def _field_of(self, column: str) -> str | None:
        """The field a column feeds (None: ignored), or KeyError if it is unknown."""
        key = column.strip().casefold()
        if key in self.options.maps:
            return self.options.maps[key]
        if key in _READERS:
            return key
        raise KeyError(column)

    def _unknown(self, columns: list[str], what: str) -> str:
        names = ", ".join(repr(c) for c in columns)
        return (
            f"unknown {what}{'s' if len(columns) > 1 else ''} {names}: the accepted names are "
            f"{', '.join(FIELDS)} (and {', '.join(EXPORT_ONLY)}, which exports write and "
            "imports ignore). Feed another column to a field with --map COLUMN=FIELD, or "
            "ignore it with --map COLUMN=."
        )

    # -- one row

    def row(self, line: int, values: dict[str, object], wrong: Iterable[str] = ()) -> ImportRow:
        """An ImportRow from a row's non-empty values by field name (`wrong`: fields given
        values of the wrong kind, already reported)."""
        slots = list(_EMPTY_SLOTS)
        problems: list[str] = []
        failed = set(wrong)
        for name, raw in values.items():
            slot = _SLOT.get(name)
            if slot is None:
                continue  # a column that exports write and imports ignore
            try:
                slots[slot] = _READERS[name](raw)
            except InvalidInput as err:
                problems.append(str(err))
                failed.add(name)
        return self._row(line, slots, problems, failed, values.get("stance"))

    def _row(
        self, line: int, slots: list, problems: list[str], failed: set[str], stance: object
    ) -> ImportRow:
        """The ImportRow of a row's read values (`slots`, in ImportRow's order), with --set
        applied and the problems of the row as a whole; `failed` names the fields given
        unreadable values, `stance` is the raw stance given (or None)."""
        # A field is given if it has a value (never an empty one), even an unreadable one:
        # then it is not reported missing, nor filled by --set.
        target = bool(
            slots[_TARGET_LABEL]
            or slots[_TARGET_UID]
            or "responds_to" in failed
            or "responds_to_uid" in failed
        )
        for name, value in self.options.sets.items():
            slot = _SLOT[name]
            if slots[slot] or name in failed or value is None or (name == "stance" and not target):
                continue
            slots[slot] = value
            target = target or name in ("responds_to", "responds_to_uid")
        if not slots[_TEXT] and "text" not in failed:
            problems.append("text is empty: every row needs the claim's text.")
        if not slots[_BY] and "by" not in failed:
            problems.append(
                "by is empty: name who made the claim (or give --set by=NAME for every row "
                "without one)."
            )
        if target and not slots[_STANCE] and "stance" not in failed:
            problems.append(
                "stance is empty: say how this row answers the claim it names: refutes, "
                "disputes, qualifies or supports (or give --set stance=refutes)."
            )
        if stance is not None and not target:
            problems.append(
                f"stance {stance!r} is given but responds_to and responds_to_uid are "
                "empty: name the claim this row answers, or leave stance empty."
            )
        row = ImportRow(line, *slots, problems)
        if row.label is not None and row.target_label == row.label and not row.target_uid:
            problems.append(f"this row answers itself (id and responds_to are both {row.label}).")
        if row.uid is not None and row.target_uid == row.uid:
            problems.append("this row answers itself (uid and responds_to_uid are the same).")
        return row

    # -- CSV

    def _lines(self, bad: dict[int, str]) -> Iterator[str]:
        """The file's physical lines as text; lines that are not UTF-8 are noted in `bad`."""
        for number, raw in enumerate(self.stream, 1):
            self._count(len(raw))
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as err:
                bad[number] = _not_utf8(number, err.start)
                yield raw.decode("utf-8", "replace")

    def csv_rows(self) -> Iterator[ImportRow]:
        """Rows of a CSV file with a header row."""
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
        columns = self._csv_columns(header, header_line)
        # The checks above are done before the first row is asked for: a file that cannot be
        # read at all fails at once, before the store starts writing.
        return self._csv_body(reader, columns, len(header), bad, end)

    def _csv_columns(self, header: list[str], line: int) -> list[tuple[int, str]]:
        columns: list[tuple[int, str]] = []
        unknown: list[str] = []
        fed: dict[str, str] = {}
        for index, column in enumerate(header):
            try:
                target = self._field_of(column)
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
            message = self._unknown(unknown, "column")
            if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
                message += " The header has one column: claimtrack reads comma-separated files."
            if header[0].lstrip()[:1] in ("[", "{"):
                message += " The file looks like JSON: give --format json or --format jsonl."
            raise InvalidInput(f"{self.name}:{line}: {message}")
        named = {column.strip().casefold() for column in header}
        missing = [column for column in self.options.maps if column not in named]
        if missing:
            raise InvalidInput(
                f"{self.name}:{line}: --map names {', '.join(repr(c) for c in missing)}, "
                f"which the header does not have; its columns are "
                f"{', '.join(repr(c) for c in header)}."
            )
        return columns

    def _csv_body(self, reader, columns, width, bad, end) -> Iterator[ImportRow]:
        unprotect_cells = not self.options.raw
        plan = [(index, name, _SLOT[name], _READERS[name]) for index, name in columns]
        stance_index = next((index for index, name in columns if name == "stance"), None)
        while True:
            start = end + 1
            try:
                cells = next(reader, None)
            except csv.Error as err:
                yield self._csv_error(start, err)
                return
            if cells is None:
                return
            end = reader.line_num
            if not any(cells):
                continue  # blank lines and rows of empty cells
            if len(cells) != width:
                row = ImportRow(start)
                row.problems.append(
                    f"the row has {len(cells)} cells but the header has {width} columns "
                    "(a missing or extra comma, or a quote that is not closed?)."
                )
            else:
                # `row` inlined: this runs for every row of files of millions of rows.
                slots = list(_EMPTY_SLOTS)
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
                row = self._row(start, slots, problems, failed, stance)
            if bad:
                for number in [n for n in bad if start <= n <= end]:
                    row.problems.append(bad.pop(number))
            yield row

    def _csv_error(self, line: int, err: csv.Error) -> ImportRow:
        text = str(err)
        if "unexpected end of data" in text:
            text = 'a quoted cell that starts on this row is never closed: add the missing "'
        elif "new-line character" in text:
            text = "a line ends with a bare CR: save the file with LF or CRLF line ends"
        row = ImportRow(line, fatal=True)
        row.problems.append(f"malformed CSV: {text}; the rest of the file was not read.")
        return row

    # -- JSON Lines

    def jsonl_rows(self) -> Iterator[ImportRow]:
        """Rows of a JSON Lines file: one object per line; blank lines are skipped."""
        unknown: dict[str, list[int]] = {}
        for number, raw in enumerate(self.stream, 1):
            self._count(len(raw))
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
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
            yield self._object_row(number, value, unknown)
        yield from self._unknown_keys(unknown)

    # -- JSON

    def json_rows(self) -> Iterator[ImportRow]:
        """Rows of a JSON file holding one array of objects, read element by element."""
        unknown: dict[str, list[int]] = {}
        elements = _JsonArray(self._chunks()).elements()
        try:
            first = next(elements, None)
        except _JsonSyntaxError as err:
            raise InvalidInput(f"{self.name}:{err.line}: {err}") from None
        return self._json_body(first, elements, unknown)

    def _json_body(self, first, elements, unknown) -> Iterator[ImportRow]:
        if first is None:
            return
        line, value = first
        yield self._object_row(line, value, unknown)
        try:
            for line, value in elements:
                yield self._object_row(line, value, unknown)
        except _JsonSyntaxError as err:
            yield ImportRow(
                err.line,
                fatal=True,
                problems=[str(err) if err.at_end else f"{err}; the rest of the file was not read."],
            )
            return
        yield from self._unknown_keys(unknown)

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
                raise _JsonSyntaxError(line, _not_utf8(line, None)) from None
            newlines += text.count("\n")
            if text:
                yield text
            if not data:
                return

    def _object_row(self, line: int, value: object, unknown: dict[str, list[int]]) -> ImportRow:
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
                name = self._field_of(key)
            except KeyError:
                seen = unknown.setdefault(key, [line, 0])
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
        row = self.row(line, values, wrong)
        row.problems[:0] = problems
        return row

    def _unknown_keys(self, unknown: dict[str, list[int]]) -> Iterator[ImportRow]:
        for key, (line, count) in unknown.items():
            where = f" (in {count} objects; the first is here)" if count > 1 else ""
            yield ImportRow(line, problems=[self._unknown([key], "key") + where])


# Each field's place among ImportRow's values (its fields after `line`), and their defaults.
_SLOT = {name: index for index, name in enumerate(FIELDS)}
_EMPTY_SLOTS = tuple(() if name in ("sources", "tags") else None for name in FIELDS)
_TARGET_LABEL, _TARGET_UID, _STANCE, _TEXT, _BY = (
    _SLOT[name] for name in ("responds_to", "responds_to_uid", "stance", "text", "by")
)


def _not_utf8(line: int, offset: int | None) -> str:
    where = f" (byte {offset + 1} of the line)" if offset is not None else ""
    return f"line {line} is not valid UTF-8{where}: save the file as UTF-8 and import it again."


def _allow_huge_fields() -> None:
    """Let csv read fields of any size (its default limit is 128 KiB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


_SPACE = re.compile(r"[ \t\n\r]*")


class _JsonArray:
    """A JSON array read element by element from text chunks, with each element's line."""

    def __init__(self, chunks: Iterator[str]):
        self.chunks = chunks
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line of buf[pos]
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        """Read on, at least doubling what is buffered; False at the end of the input."""
        if self.eof:
            return False
        pending = len(self.buf) - self.pos
        parts = [self.buf[self.pos :]]
        added = 0
        while added <= pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                self.eof = True
                break
            parts.append(chunk)
            added += len(chunk)
        if not added:
            return False
        self.buf, self.pos = "".join(parts), 0
        return True

    def _advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def _next_char(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            self._advance(_SPACE.match(self.buf, self.pos).end())
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def _error(self, message: str, at: int | None = None) -> _JsonSyntaxError:
        line = self.line + (self.buf.count("\n", self.pos, at) if at is not None else 0)
        return _JsonSyntaxError(line, message, at_end=self.eof and self.pos >= len(self.buf))

    def _value(self) -> object:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as err:
                # Near the end of what is buffered, the element may just be cut off: read on.
                unterminated = err.msg.startswith("Unterminated string")
                if (unterminated or err.pos >= len(self.buf) - 16) and self._more():
                    continue
                if unterminated or err.pos >= len(self.buf.rstrip()):
                    error = self._error(
                        f"the file ends inside the element that starts on line {self.line} "
                        f"({err.msg.removesuffix(' starting at').lower()}): is it truncated?",
                        err.pos,
                    )
                    error.at_end = True
                    raise error from None
                raise self._error(f"not valid JSON: {err.msg}", err.pos) from None
            if end == len(self.buf) and self._more():
                continue  # a number or name at the end of the buffer may go on
            self._advance(end)
            return value

    def elements(self) -> Iterator[tuple[int, object]]:
        """(line, value) for each element of the array."""
        char = self._next_char()
        if not char:
            raise self._error("the file is empty: a JSON import needs an array of objects.")
        if char != "[":
            raise self._error(
                "expected a JSON array of objects, [{...}, ...]; for one object per line, give "
                "--format jsonl."
            )
        self._advance(self.pos + 1)
        char = self._next_char()
        if char == "]":
            self._advance(self.pos + 1)
        else:
            while True:
                line = self.line
                if not char:
                    raise self._error("the file ends inside the array: is it truncated?")
                yield line, self._value()
                char = self._next_char()
                if char == ",":
                    self._advance(self.pos + 1)
                    char = self._next_char()
                    if char == "]":
                        raise self._error("a comma before the closing ]: remove it.")
                    continue
                if char == "]":
                    self._advance(self.pos + 1)
                    break
                if not char:
                    raise self._error(
                        "the file ends inside the array (no closing ]): is it truncated?"
                    )
                raise self._error(f"expected , or ] after the element that starts on line {line}.")
        if self._next_char():
            raise self._error("unexpected text after the array's closing ].")
