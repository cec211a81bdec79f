"""Cells of the flat format: CSV formula protection and its exact inverse, and the `sources`
and `tags` cells written and read."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from claimtrack.errors import InvalidInput
from claimtrack.model import SourceRef
from claimtrack.validate import is_url, nfc, parse_partial_date, source_identity

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_START = frozenset("=+-@\t\r\n")
# A cell starting with one of these is written with one more leading '.
PROTECTED_START = FORMULA_START | {"'"}

# A source as read: (normalised URL, None) or (None, title).
SourceKey = tuple[str | None, str | None]


# -- formula protection ---------------------------------------------------------------------


def protect(cell: str) -> str:
    """A CSV cell as written for spreadsheets: one more leading ' if it could start a formula."""
    if cell and (cell[0] in FORMULA_START or (cell[0] == "'" and cell[1:2] in PROTECTED_START)):
        return "'" + cell
    return cell


def unprotect(cell: str) -> str:
    """The exact inverse of `protect`: drop the one ' that protection added."""
    if cell[:1] == "'" and cell[1:2] in PROTECTED_START:
        return cell[1:]
    return cell


# -- sources --------------------------------------------------------------------------------


def sources_cell(sources: Iterable[SourceRef]) -> str:
    """The `sources` cell: each source's URL (or title, without one), separated by a space."""
    return " ".join(source.url or source.title or "" for source in sources)


# Sources repeat (each is cited by many claims): read each spelling once.
_source = lru_cache(maxsize=65536)(source_identity)


def parse_sources(value: str | list) -> tuple[SourceKey, ...]:
    """Sources from a cell: a word that is a URL starts a source, the words between URLs are a
    title. A JSON list names one source per item."""
    if isinstance(value, list):
        return _parse_sources([_string_item("sources", item) for item in value])
    return _parse_sources_cell(value)


@lru_cache(maxsize=65536)
def _parse_sources_cell(value: str) -> tuple[SourceKey, ...]:
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


def _parse_sources(items: list[str]) -> tuple[SourceKey, ...]:
    found: dict[SourceKey, None] = {}
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


# -- tags -----------------------------------------------------------------------------------


def tags_cell(tags: Iterable[str]) -> str:
    """The `tags` cell: the tags separated by commas."""
    return ",".join(tags)


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


# A source's description as an import gives it: (title, outlet, published, archived_url); the
# title describes a source known by its URL (a source without one is known by its title).
SourceDescription = tuple[str | None, str | None, str | None, str | None]
_SOURCE_KEYS = ("url", "title", "outlet", "published", "archived_url")


def parse_source_objects(
    items: list,
) -> tuple[tuple[SourceKey, ...], dict[SourceKey, SourceDescription]]:
    """The sources of a lossless JSON row: strings (as in a cell) or objects with `url` or
    `title` and any of `outlet`, `published`, `archived_url`; and the objects' descriptions."""
    keys: dict[SourceKey, None] = {}
    described: dict[SourceKey, SourceDescription] = {}
    for item in items:
        if isinstance(item, str):
            keys.update(dict.fromkeys(parse_sources(item)))
            continue
        if not isinstance(item, dict):
            raise InvalidInput("sources must be a list of strings or of source objects.")
        unknown = sorted(set(item) - set(_SOURCE_KEYS))
        if unknown:
            raise InvalidInput(
                f"a source object has unknown keys {', '.join(unknown)}: use "
                f"{', '.join(_SOURCE_KEYS)}."
            )
        values = {name: _source_field(name, item.get(name)) for name in _SOURCE_KEYS}
        if values["url"] is None and values["title"] is None:
            raise InvalidInput("a source object needs a url or a title.")
        key = source_identity(values["url"] or values["title"] or "")
        keys.setdefault(key)
        title = values["title"] if key[0] is not None else None
        description = (title, values["outlet"], values["published"], values["archived_url"])
        if any(description):
            described.setdefault(key, description)
    return tuple(keys), described


def _source_field(name: str, value: object) -> str | None:
    """One field of a source object, as stored; InvalidInput if it cannot be."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"a source's {name} must be a string.")
    text = nfc(value).strip()
    if not text:
        return None
    if name in ("url", "archived_url") and not is_url(text):
        raise InvalidInput(f"a source's {name} {value!r} is not a URL.")
    if name == "published":
        return parse_partial_date(text, "a source's published date")
    return text


def _string_item(name: str, item: object) -> str:
    if not isinstance(item, str):
        raise InvalidInput(f"{name} must be a string or a list of strings.")
    return item
