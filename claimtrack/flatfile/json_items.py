"""Stream the items of a large JSON document, and say on which line it stops being JSON.

`top_level_items` reads a document one item at a time: the items of a top-level list, or of
the lists under a top-level object's container keys (`@graph`, `claims`, `dataFeedElement`),
then the rest of that object. Only one item is held as Python objects at a time.

The file must be UTF-8 (a leading BOM is skipped). Where it is not, or is not JSON, the error
(`JsonProblem`) names the line: for bad UTF-8 from the bytes read so far; for a syntax error by
reading a seekable file again, more slowly, to find the exact character.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

__all__ = ["CONTAINER_KEYS", "JsonProblem", "top_level_items"]

CONTAINER_KEYS = frozenset({"@graph", "claims", "dataFeedElement"})
_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 16
_OPENING = frozenset({"start_map", "start_array"})
_CLOSING = frozenset({"end_map", "end_array"})
_KINDS = {"string": "a string", "number": "a number", "boolean": "true or false", "null": "null"}
# The pure-Python parser reports the character offset of an unexpected symbol.
_PYTHON_PARSER = ijson.get_backend("python")
_UNEXPECTED_AT = re.compile(r"Unexpected symbol .* at ([0-9]+)$", re.DOTALL)


class JsonProblem(Exception):
    """The file is not UTF-8 JSON of the expected shape; `line` is where, when known."""

    def __init__(self, line: int | None, what: str) -> None:
        super().__init__(what)
        self.line = line


class _CheckedReader:
    """A binary stream as ijson reads it: BOM skipped, UTF-8 checked, lines counted."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._started = False
        self.lines = 1
        self.first_line = 1
        self.blank = True

    def read(self, size: int = -1) -> bytes:
        """The next bytes, after checking they are UTF-8."""
        data = self._stream.read(size)
        if size == 0:
            return data
        if not self._started:
            self._started = True
            data = data.removeprefix(_BOM)
        try:
            self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            line = self.lines + data.count(b"\n", 0, max(error.start, 0))
            raise JsonProblem(
                line, f"not UTF-8 text (byte 0x{data[error.start]:02x}): save the file as UTF-8."
            ) from None
        if self.blank and data.strip():
            self.blank = False
            self.first_line = self.lines + data.count(b"\n", 0, len(data) - len(data.lstrip()))
        self.lines += data.count(b"\n")
        return data


class _Items:
    """Receives the items a parser builds under one prefix, and names each by its JSON path."""

    def __init__(self, path: str, found: list[tuple[str, object]]) -> None:
        self._path = path
        self._found = found
        self._count = 0

    def send(self, item: object) -> None:
        """Take one built item."""
        self._found.append((f"{self._path}[{self._count}]", item))
        self._count += 1


class _Rest:
    """Builds a top-level object's values other than its item lists, from parser events.

    It stops at the first item list (`container`): after it, such a document (a DataFeed, an
    API response) has nothing more to say, and events are costly to handle in Python.
    """

    def __init__(self) -> None:
        self.value: dict[str, object] = {}
        self.kind: str | None = None
        self.container: str | None = None
        self.done = False
        self._key = ""
        self._builder: ijson.ObjectBuilder | None = None
        self._depth = 0

    def send(self, parsed: tuple[str, str, object]) -> None:
        """Take one parser event."""
        if self.done:
            return
        _prefix, event, value = parsed
        if self.kind is None:
            self.kind = event
            self.done = event != "start_map"
        elif self._builder is None:
            if event == "map_key":
                self._key = str(value)
            elif event == "end_map":
                self.done = True
            elif event == "start_array" and self._key in CONTAINER_KEYS:
                self.container = self._key
                self.done = True
            elif event in _OPENING:
                self._builder = ijson.ObjectBuilder()
                self._builder.event(event, value)
                self._depth = 1
            else:
                self.value[self._key] = value
        else:
            self._builder.event(event, value)
            self._depth += (event in _OPENING) - (event in _CLOSING)
            if not self._depth:
                self.value[self._key] = self._builder.value
                self._builder = None


def top_level_items(stream: BinaryIO) -> Iterator[tuple[str, object]]:
    """(JSON path, value) of each streamed item, then ("$", the rest of a top-level object)."""
    start = _tell(stream)
    reader = _CheckedReader(stream)
    try:
        yield from _parsed_items(reader)
    except ijson.JSONError as error:
        raise _located(str(error), reader, stream, start) from None


def _parsed_items(reader: _CheckedReader) -> Iterator[tuple[str, object]]:
    """The items of the document `reader` reads, built by ijson's compiled parser."""
    found: list[tuple[str, object]] = []
    data = reader.read(_CHUNK)
    # The prefix "item" names both a top-level list's items and a top-level "item" key, so
    # the first character decides how the document is read.
    if data.lstrip()[:1] == b"[":
        yield from _feed(reader, [data], ijson.items_coro(_Items("$", found), "item"), found)
        return
    # An object: its keys are read event by event until its first item list starts, then
    # the chunks read so far are read again by a parser that builds that list's items.
    rest = _Rest()
    scout = ijson.parse_coro(rest, use_float=True)
    seen = []
    while data and rest.container is None:
        seen.append(data)
        scout.send(data)
        if rest.kind is not None and rest.kind not in _OPENING:
            kind = _KINDS.get(rest.kind, rest.kind)
            raise JsonProblem(
                reader.first_line, f"the top level is {kind}, not an object or a list."
            )
        data = reader.read(_CHUNK) if rest.container is None else b""
    if rest.container is None:
        scout.close()
    else:
        items = _Items(f"$.{rest.container}", found)
        parser = ijson.items_coro(items, f"{rest.container}.item", use_float=True)
        yield from _feed(reader, seen, parser, found)
    yield "$", rest.value


def _feed(
    reader: _CheckedReader, seen: list[bytes], parser: Any, found: list[tuple[str, object]]
) -> Iterator[tuple[str, object]]:
    """Send the chunks already read, then the rest of the file, to `parser`; yield its items."""
    for data in seen:
        parser.send(data)
        yield from found
        found.clear()
    while data := reader.read(_CHUNK):
        parser.send(data)
        yield from found
        found.clear()
    parser.close()
    yield from found


def _tell(stream: BinaryIO) -> int | None:
    """Where the stream is now, or None when it cannot be read again (a pipe)."""
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _located(
    message: str, reader: _CheckedReader, stream: BinaryIO, start: int | None
) -> JsonProblem:
    """The JsonProblem for a parser error `message`, with its line where it can be found."""
    if reader.blank:
        return JsonProblem(1, "the file is empty: it holds no JSON.")
    if "premature EOF" in message or "Incomplete" in message:
        return JsonProblem(
            reader.lines, "the JSON ends before it is complete: is the file cut short?"
        )
    if "trailing garbage" in message or "Additional data" in message:
        return JsonProblem(None, "there is more text after the end of the JSON document.")
    found = None if start is None else _find_error(stream, start)
    line, char = found or (None, "")
    if char == "/" or "comment" in message:
        return JsonProblem(line, "not JSON (comments are not allowed in JSON).")
    if found is None:
        return JsonProblem(None, f"not JSON: {message.splitlines()[0]}")
    return JsonProblem(line, f"not JSON: {char!r} cannot be there.")


def _find_error(stream: BinaryIO, start: int) -> tuple[int, str] | None:
    """The line and character where the file stops being JSON, found by reading it again."""
    try:
        stream.seek(start)
        for _event in _PYTHON_PARSER.basic_parse(_CheckedReader(stream)):
            pass
    except ijson.JSONError as error:
        match = _UNEXPECTED_AT.search(str(error))
        if match is None:
            return None
        offset = int(match.group(1))
    except (OSError, ValueError, JsonProblem):
        return None
    else:
        return None
    stream.seek(start)
    reader = _CheckedReader(stream)
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen, line = 0, 1
    while data := reader.read(_CHUNK):
        text = decoder.decode(data)
        if seen + len(text) > offset:
            return line + text.count("\n", 0, offset - seen), text[offset - seen]
        seen += len(text)
        line += text.count("\n")
    return None
