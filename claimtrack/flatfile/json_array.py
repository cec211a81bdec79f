"""A JSON array read element by element from text chunks, with the line each element starts
on (for FILE:LINE problems), so that a large file streams."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

_SPACE = re.compile(r"[ \t\n\r]*")


class JsonSyntaxError(Exception):
    """The text is not a JSON array of values; `line` is where the reader found out."""

    def __init__(self, line: int, message: str, at_end: bool = False):
        super().__init__(message)
        self.line = line
        self.at_end = at_end  # found at the end of the file: nothing is left unread


class JsonArray:
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
            self._advance(_SPACE.match(self.buf, self.pos).end())  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def _error(self, message: str, at: int | None = None) -> JsonSyntaxError:
        line = self.line + (self.buf.count("\n", self.pos, at) if at is not None else 0)
        return JsonSyntaxError(line, message, at_end=self.eof and self.pos >= len(self.buf))

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

    def _open(self) -> bool:
        """Read the opening [ (and a closing ] at once); whether the array has elements."""
        char = self._next_char()
        if not char:
            raise self._error("the file is empty: a JSON import needs an array of objects.")
        if char != "[":
            raise self._error(
                "expected a JSON array of objects, [{...}, ...]; for one object per line, give "
                "--format jsonl."
            )
        self._advance(self.pos + 1)
        if self._next_char() == "]":
            self._advance(self.pos + 1)
            return False
        return True

    def elements(self) -> Iterator[tuple[int, object]]:
        """(line, value) for each element of the array."""
        if self._open():
            yield from self._elements()
        if self._next_char():
            raise self._error("unexpected text after the array's closing ].")

    def _elements(self) -> Iterator[tuple[int, object]]:
        char = self._next_char()
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
                return
            if not char:
                raise self._error("the file ends inside the array (no closing ]): is it truncated?")
            raise self._error(f"expected , or ] after the element that starts on line {line}.")
