"""One designation of Australia's Consolidated List: the rows sharing its Reference. Pure.

Each row gives one name: the primary name on the row whose Reference is a number
(``1234``), each other name on a row of its own with a letter after it (``1234a``,
``1234b``), the other columns repeated or varying from row to row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coalition.sanctions.formats.au.workbook import Row

_REFERENCE = re.compile(r"^(\d+)\s*([A-Za-z]{0,3})$")


def reference_of(text: str) -> tuple[str, str] | None:
    """(number, letters) of a Reference such as ``1234a``; None when it is no such thing."""
    found = _REFERENCE.match(text.strip())
    return (str(int(found.group(1))), found.group(2).lower()) if found else None


@dataclass
class Name:
    """One published name, its row's Reference, type and strength."""

    text: str
    reference: str
    kind: str  # Primary Name, aka, Original Script, Formerly known as...
    strength: str  # Strong, Weak, or blank


@dataclass
class Designation:
    """What the list says of one Reference, gathered from its rows."""

    reference: str
    line: int
    rows: list[Row] = field(default_factory=list)

    def names(self) -> list[Name]:
        found = []
        for row in self.rows:
            if text := row.cells.get("name", ""):
                parsed = reference_of(row.cells.get("reference", ""))
                letters = parsed[1] if parsed else ""
                found.append(Name(text, letters, row.cells.get("name_type", ""),
                                  row.cells.get("alias_strength", "")))  # fmt: skip
        return found

    def values(self, key: str) -> list[str]:
        """Every value of column ``key`` over the rows, once each, in order."""
        return list(dict.fromkeys(v for row in self.rows if (v := row.cells.get(key, ""))))

    def first(self, key: str) -> str:
        return next(iter(self.values(key)), "")

    def others(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys(item for row in self.rows for item in row.others))


NO_DESIGNATION = (
    "the file holds no designation: not taken as the list, which would leave nothing listed"
)
