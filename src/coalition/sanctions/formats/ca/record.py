"""One record of Canada's consolidated list, as read from its ``<record>`` element. Pure.

A record's elements are named in English until 24 August 2026 (``<Country>``,
``<LastName>``...) and in English and French since (``<Country-Pays>``,
``<LastName-NomDeFamille>``...); both are read, by the English part of the name. Two
fields changed their English name too: ``TitleOrShip`` became ``TitleOrShipType``, and
in the oldest files ``Entity`` and ``DateOfBirth`` stood for ``EntityOrShip`` and
``DateOfBirthOrShipBuildDate``. Values are text, some of them in both languages
(``Russia / Russie``; a ship's type ``General Cargo | Cargo classique``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from coalition.sanctions.formats.build import clean_text

# The English part of an element's name: the field it holds.
FIELDS = {
    "Country": "regime",
    "LastName": "last_name",
    "GivenName": "given_name",
    "EntityOrShip": "entity",
    "Entity": "entity",
    "TitleOrShip": "title",
    "TitleOrShipType": "title",
    "ShipIMONumber": "imo",
    "Aliases": "aliases",
    "DateOfBirthOrShipBuildDate": "date",
    "DateOfBirth": "date",
    "Schedule": "schedule",
    "Item": "item",
    "DateOfListing": "listed",
}
NOT_STATED = {"n/a", "na", "s.o.", "sans objet"}  # a schedule cell that says there is none


def field_of(tag: str) -> str:
    """The field an element holds (``Country-Pays`` -> ``regime``), or '' if unknown."""
    return FIELDS.get(tag.split("-", 1)[0], "")


@dataclass
class SemaRecord:
    """What one ``<record>`` says, and the line it starts on."""

    line: int
    values: dict[str, str] = field(default_factory=dict)
    others: list[tuple[str, str]] = field(default_factory=list)  # unknown element, text

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def put(self, tag: str, text: str | None) -> None:
        """Keep ``text`` under the field ``tag`` names, or among the others."""
        value = clean_text(text)
        if not value:
            return
        key = field_of(tag)
        if key and key not in self.values:
            self.values[key] = value
        else:
            self.others.append((tag, value))

    @property
    def schedule(self) -> str:
        value = self.get("schedule")
        return "" if value.lower() in NOT_STATED else value

    @property
    def regime_english(self) -> str:
        """The regime's English name: ``Russia`` of ``Russia / Russie``."""
        return english(self.get("regime"), " / ")

    @property
    def authority_id(self) -> str:
        """Where the regulation lists the target: ``Schedule 1, Part 1, item 94``."""
        item = self.get("item")
        return f"Schedule {self.schedule}, item {item}" if self.schedule else f"Item {item}"

    def key(self) -> str:
        """The record's id part: its regime, schedule and item (``russia-1-part-1-94``).

        Items are numbered within a schedule of a regime's regulations, so only the three
        together name a record (item 1 is in nearly every schedule)."""
        return "-".join(p for p in (_regime_slug(self.regime_english), slug(self.schedule),
                                    slug(self.get("item"))) if p)  # fmt: skip


def english(value: str, separator: str) -> str:
    """The part of a bilingual value before ``separator``, or the value itself."""
    return clean_text(value.split(separator, 1)[0])


def slug(text: str) -> str:
    """``text`` in the letters, digits and hyphens an FtM id allows, lower case."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_ACRONYM = re.compile(r"\(([A-Z]{3,})\)\s*$")


def _regime_slug(regime: str) -> str:
    """A regime's short name: its acronym when it ends with one (``(JVCFOR)``)."""
    found = _ACRONYM.search(regime)
    return slug(found.group(1) if found else regime)


def split_aliases(text: str) -> list[str]:
    """The names an ``Aliases`` cell holds: separated by ``;`` or ``, ``, each without a
    language label (``Russian: ...``)."""
    names = []
    for part in re.split(r";|,\s+", text):
        name = clean_text(re.sub(r"^(?:[A-Z][a-z]+|ALIAS)\s*:\s*", "", clean_text(part)))
        if name and name not in names:
            names.append(name)
    return names


NO_RECORD = "the file holds no record: not taken as the list, which would leave nothing listed"
