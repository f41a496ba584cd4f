"""One designation of the EU Financial Sanctions File as published, and its dates. Pure.

Both readers read a designation into one :class:`Designation`, each of its parts (a name
alias, an address, a birth date, an identification, a citizenship, a regulation) a dict
keyed by the XML attribute's name, whichever layout the file is in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from coalition.sanctions.formats.build import clean_text

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
DATE_KEYS = {
    "designationDate",
    "publicationDate",
    "entryIntoForceDate",
    "birthdate",
    "validFrom",
    "validTo",
    "issueDate",
}


@dataclass
class Designation:
    """One ``sanctionEntity`` as published: each part a dict of XML attribute names."""

    line: int
    logical_id: str
    entity: dict[str, list[str]] = field(default_factory=dict)  # attribute -> values
    subject: list[str] = field(default_factory=list)  # subject type code, classification
    regulations: list[dict[str, str]] = field(default_factory=list)
    names: list[dict[str, str]] = field(default_factory=list)
    citizenships: list[dict[str, str]] = field(default_factory=list)
    birthdates: list[dict[str, str]] = field(default_factory=list)
    identifications: list[dict[str, str]] = field(default_factory=list)
    addresses: list[dict[str, str]] = field(default_factory=list)

    def put(self, key: str, value: str) -> None:
        """Add ``value`` to the designation's attribute ``key``, once."""
        values = self.entity.setdefault(key, [])
        if value and value not in values:
            values.append(value)

    def first(self, key: str) -> str:
        """The first value of the designation's attribute ``key``, or ''."""
        return next(iter(self.entity.get(key, [])), "")


def iso_date(text: str) -> str:
    """``text`` as ``YYYY-MM-DD`` when it is a date in ISO order (a time after it dropped)
    or day first (``DD/MM/YYYY``, as a spreadsheet re-saves it); otherwise as it was, for
    FtM to clean or keep as published."""
    text = clean_text(text)
    found = _DAY_FIRST.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    found = _ISO_DATE.match(text)
    if found and text[10:11] in ("", "T", " "):
        return "-".join(found.groups())
    return text


def parts_of(values: dict[str, str], *keys: str) -> list[str]:
    return [values[key] for key in keys if values.get(key)]


def published_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso_date(text)[:10])
    except ValueError:
        return None
