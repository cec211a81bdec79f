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
from typing import BinaryIO

import ijson  # type: ignore[import-untyped]

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


def top_level_items(stream: BinaryIO) -> Iterator[tuple[str, object]]:
    """(JSON path, value) of each streamed item, then ("$", the rest of a top-level object)."""
    start = _tell(stream)
    reader = _CheckedReader(stream)
    events = ijson.basic_parse(reader, use_float=True)
    try:
        yield from _items(events, reader)
        for _event in events:
            pass  # reach the end, so that text after the document is an error
    except ijson.JSONError as error:
        raise _located(str(error), reader, stream, start) from None


def _items(events: Iterator[tuple[str, object]], reader: _CheckedReader) -> Iterator[tuple]:
    """The items of the document whose events these are."""
    event, value = next(events)
    if event == "start_array":
        yield from _elements(events, "$")
    elif event == "start_map":
        rest: dict[str, object] = {}
        for event, key in events:
            if event == "end_map":
                break
            event, value = next(events)
            if key in CONTAINER_KEYS and event == "start_array":
                yield from _elements(events, f"$.{key}")
            else:
                rest[str(key)] = _build(event, value, events)
        yield "$", rest
    else:
        kind = _KINDS.get(event, event)
        raise JsonProblem(reader.first_line, f"the top level is {kind}, not an object or a list.")


def _elements(events: Iterator[tuple[str, object]], path: str) -> Iterator[tuple[str, object]]:
    """The elements of the list whose start was the last event, one at a time."""
    for index, (event, value) in enumerate(events):
        if event == "end_array":
            return
        yield f"{path}[{index}]", _build(event, value, events)


def _build(event: str, value: object, events: Iterator[tuple[str, object]]) -> object:
    """The JSON value that starts with (event, value), built from the events that follow."""
    if event not in _OPENING:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for event, value in events:
        builder.event(event, value)
        if event in _OPENING:
            depth += 1
        elif event in _CLOSING:
            depth -= 1
            if not depth:
                break
    return builder.value


def _tell(stream: BinaryIO) -> int | None:
    """Where the stream is now, or None when it cannot be read again (a pipe)."""
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _located(message: str, reader: _CheckedReader, stream: BinaryIO, start: int | None):
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
    if found is None:
        return JsonProblem(None, f"not JSON: {message.splitlines()[0]}")
    line, char = found
    if char == "/":
        return JsonProblem(line, "not JSON (comments are not allowed in JSON).")
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
