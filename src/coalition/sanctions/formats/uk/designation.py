"""One designation of the UK Sanctions List, as read from either layout. Pure.

A designation has a Unique ID (``RUS0001``), a regime, a type (Individual, Entity or
Ship), its names and the details the FCDO holds: the CSV reader gathers them from the
rows sharing its Unique ID, the XML reader from its ``<Designation>`` element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coalition.sanctions.formats.build import clean_text


@dataclass
class Name:
    """One published name: its parts joined, its first and last part, type and strength."""

    full: str
    first: str = ""
    last: str = ""
    kind: str = ""  # Primary Name, Primary Name Variation, Alias
    strength: str = ""  # Good quality a.k.a, Low quality a.k.a


@dataclass
class Designation:
    """What the list says of one Unique ID, gathered from its rows or its element."""

    unique_id: str
    line: int
    values: dict[str, list[str]] = field(default_factory=dict)
    names: list[Name] = field(default_factory=list)
    non_latin: list[tuple[str, str, str]] = field(default_factory=list)  # name, script, language
    addresses: list[tuple[str, str]] = field(default_factory=list)  # full text, country
    passports: list[tuple[str, str]] = field(default_factory=list)  # number, information
    national_ids: list[tuple[str, str]] = field(default_factory=list)
    births: list[tuple[str, str]] = field(default_factory=list)  # town, country
    others: list[tuple[str, str]] = field(default_factory=list)  # unknown column, value

    def put(self, key: str, value: str | None) -> None:
        """Add ``value`` under ``key`` once (blanks ignored)."""
        item = clean_text(value)
        kept = self.values.setdefault(key, [])
        if item and item not in kept:
            kept.append(item)

    def first(self, key: str) -> str:
        """The first value under ``key``, or ''."""
        return next(iter(self.values.get(key, ())), "")

    def add_once(self, found: list[Any], item: Any) -> None:
        """Add ``item`` to ``found`` unless it is there: rows repeat what they share."""
        if item not in found:
            found.append(item)


_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")


def split_values(value: str | None) -> list[str]:
    """The values of a cell holding several: ``a | b``, or numbered ``(1) a (2) b``."""
    text = clean_text(value)
    if not text:
        return []
    parts = _NUMBERED.split(text) if text.startswith("(1)") else text.split("|")
    return [item for item in (clean_text(part).strip(" ;,") for part in parts) if item]


def join_address(lines: Iterable[str | None], postcode: str | None, country: str | None) -> str:
    return ", ".join(p for p in (clean_text(x) for x in (*lines, postcode, country)) if p)


NO_DESIGNATION = (
    "the file holds no designation: not taken as the list, which would leave nothing listed"
)
