"""Rows of an import file: each field's check and stored form, `--map` and `--set`, and the
checks of a row as a whole. The readers hand each row's values here; the store takes the
checked rows."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from claimtrack.errors import InvalidInput
from claimtrack.flatfile.cells import (
    SourceDescription,
    SourceKey,
    parse_source_objects,
    parse_sources,
    parse_tags,
)
from claimtrack.flatfile.columns import EXPORT_ONLY, FIELDS
from claimtrack.model import Stance
from claimtrack.ratings import stance_for_rating
from claimtrack.validate import nfc, parse_partial_date, rating_number, verdict

# Fields a --set may not fill: one value for every row would make them all one claim.
_NOT_SETTABLE = ("id", "uid")


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
    sources: tuple[SourceKey, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    verdict: str | None = None
    verdict_value: float | None = None
    verdict_best: float | None = None
    verdict_worst: float | None = None
    problems: list[str] = field(default_factory=list)
    # The file cannot be read past this row: later rows are unknown.
    fatal: bool = False
    # The descriptions of the sources given as objects (lossless JSON), by source.
    described: dict[SourceKey, SourceDescription] | None = None
    # Its stance was not given, and its verdict's label and numbers could not place it.
    placed_default: bool = False


# -- each field -----------------------------------------------------------------------------


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


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            raise InvalidInput(f"{value!r} is not a rating number: give e.g. 1 or 2.5.")
        return number
    return rating_number(str(value), "the rating number")


# Each field's reader: the stored form of a non-empty value, or InvalidInput.
READERS: dict[str, Callable] = {
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
    "verdict": _name,
    "verdict_value": _number,
    "verdict_best": _number,
    "verdict_worst": _number,
    "thread": _ignored,
    "depth": _ignored,
    "status": _ignored,
}

# Each field's place among ImportRow's values (its fields after `line`), and their defaults.
SLOT = {name: index for index, name in enumerate(FIELDS)}
EMPTY_SLOTS = tuple(() if name in ("sources", "tags") else None for name in FIELDS)
_TARGET_LABEL, _TARGET_UID, _STANCE, _TEXT, _BY = (
    SLOT[name] for name in ("responds_to", "responds_to_uid", "stance", "text", "by")
)
_VERDICT = ("verdict", "verdict_value", "verdict_best", "verdict_worst")


# -- --map and --set ------------------------------------------------------------------------


@dataclass
class ImportOptions:
    """How to read a file: `--map` (column -> field, None to ignore), `--set`, `--raw`."""

    maps: dict[str, str | None] = field(default_factory=dict)
    sets: dict[str, object] = field(default_factory=dict)
    raw: bool = False

    def field_of(self, column: str) -> str | None:
        """The field a column feeds (None: ignored), or KeyError if it is unknown."""
        key = column.strip().casefold()
        if key in self.maps:
            return self.maps[key]
        if key in READERS:
            return key
        raise KeyError(column)


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
            options.sets[name] = READERS[name](value)
        except InvalidInput as err:
            raise InvalidInput(f"--set {item!r}: {err}") from None
    return options


def unknown_names(names: list[str], what: str) -> str:
    """The problem of columns (or keys) that feed no field."""
    shown = ", ".join(repr(c) for c in names)
    return (
        f"unknown {what}{'s' if len(names) > 1 else ''} {shown}: the accepted names are "
        f"{', '.join(FIELDS)} (and {', '.join(EXPORT_ONLY)}, which exports write and "
        "imports ignore). Feed another column to a field with --map COLUMN=FIELD, or "
        "ignore it with --map COLUMN=."
    )


# -- a row as a whole -----------------------------------------------------------------------


def row_of(
    options: ImportOptions, line: int, values: dict[str, object], wrong: Iterable[str] = ()
) -> ImportRow:
    """An ImportRow from a row's non-empty values by field name (`wrong`: fields given
    values of the wrong kind, already reported)."""
    slots: list = list(EMPTY_SLOTS)
    problems: list[str] = []
    failed = set(wrong)
    described: dict[SourceKey, SourceDescription] = {}
    for name, raw in values.items():
        slot = SLOT.get(name)
        if slot is None:
            continue  # a column that exports write and imports ignore
        try:
            if name == "sources" and isinstance(raw, list):
                slots[slot], described = parse_source_objects(raw)
            else:
                slots[slot] = READERS[name](raw)
        except InvalidInput as err:
            problems.append(str(err))
            failed.add(name)
    row = checked_row(options, line, slots, problems, failed, values.get("stance"))
    row.described = described or None
    return row


def checked_row(
    options: ImportOptions,
    line: int,
    slots: list,
    problems: list[str],
    failed: set[str],
    stance: object,
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
    for name, value in options.sets.items():
        slot = SLOT[name]
        if slots[slot] or name in failed or value is None or (name == "stance" and not target):
            continue
        slots[slot] = value
        target = target or name in ("responds_to", "responds_to_uid")
    placed = _place_verdict(slots, target, problems)
    problems.extend(_missing(slots, failed, target, stance))
    row = ImportRow(line, *slots)
    row.problems = problems
    row.placed_default = placed
    if row.label is not None and row.target_label == row.label and not row.target_uid:
        problems.append(f"this row answers itself (id and responds_to are both {row.label}).")
    if row.uid is not None and row.target_uid == row.uid:
        problems.append("this row answers itself (uid and responds_to_uid are the same).")
    return row


def _place_verdict(slots: list, target: bool, problems: list[str]) -> bool:
    """Check a row's verdict and give a review without a stance the one its rating means, or
    `qualifies` when it cannot be placed (then True, for the report)."""
    label, value, best, worst = (slots[SLOT[name]] for name in _VERDICT)
    if label is None:
        if any(number is not None for number in (value, best, worst)):
            problems.append(
                "verdict_value, verdict_best or verdict_worst is given without a verdict."
            )
        return False
    if not target:
        problems.append(
            f"verdict {label!r} is given but the row answers no claim: a verdict rates the "
            "claim its row responds to (give responds_to or responds_to_uid)."
        )
        return False
    try:
        verdict(label, value, best, worst)
    except InvalidInput as err:
        problems.append(str(err))
        return False
    if slots[_STANCE] is not None:
        return False
    placed = stance_for_rating(label, value, best, worst)
    slots[_STANCE] = (placed or Stance.QUALIFIES).value
    return placed is None


def _missing(slots: list, failed: set[str], target: bool, stance: object) -> list[str]:
    """The problems of fields a row needs but leaves empty (or gives without need)."""
    problems = []
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
    return problems
