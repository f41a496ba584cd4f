"""One SDN listing built as FtM entities: its target, then its Sanction. Pure.

Both readers fill a :class:`Listing` from one record (an sdn.csv row with its side files,
or an ``sdnEntry``): the target (Person, LegalEntity, Vessel or Airplane, id
``ofac-<ent_num>``) and one ``Sanction`` (id ``ofac-<ent_num>-sanction``). A fact whose
property the target's schema lacks is kept in ``notes`` under its label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import Record, clean_text, refused
from coalition.sanctions.formats.ofac.labels import (
    IDENTIFIERS,
    LABELS,
    LABELS_FOLDED,
    LABELS_LONGEST,
    PROVISION_STARTS,
)

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

AUTHORITY = "US Treasury, Office of Foreign Assets Control"
SOURCE_URL = (
    "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-"
    "sdn-human-readable-lists"
)

SCHEMAS = {
    "individual": "Person",
    "entity": "LegalEntity",
    "": "LegalEntity",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_IDENTIFIER_TAIL = re.compile(
    r"^(?P<number>.*?)(?:\s+\((?P<country>[^()]*)\))?"
    r"(?:\s+issued\s+(?P<issued>.+?))?(?:\s+expires\s+(?P<expires>.+))?$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"^'(.*)'$")
_DATED = re.compile(r"^(Listing|Effective) Date\b[^:]*:\s*(?P<date>.+)$", re.IGNORECASE)
_DATE_FORMATS = (("%d %b %Y", 10), ("%d %B %Y", 10), ("%b %Y", 7), ("%B %Y", 7), ("%Y", 4))


def iso_date(text: str) -> str:
    """``text`` ("07 Oct 1952", "Oct 1952", "1952", "10/07/1952") as an ISO date or its
    prefix; ``text`` itself when it is none of these, for FtM to judge."""
    value = clean_text(text)
    for fmt, width in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()[:width]
        except ValueError:
            continue
    try:
        return dt.datetime.strptime(value, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return value


def person_name(name: str) -> tuple[str, str]:
    """(first names, last name) of an individual OFAC names "LAST, First"; ('', name)
    when the name has no comma."""
    last, comma, first = name.partition(",")
    if not comma or not first.strip():
        return "", name.strip()
    return first.strip(), last.strip()


@dataclass
class Listing:
    """The target and its Sanction being built from one SDN record."""

    uid: str
    target: Record
    sanction: Record

    @classmethod
    def start(cls, uid: str, schema: str) -> Listing:
        sanction = Record("Sanction", f"ofac-{uid}-sanction")
        sanction.add("entity", f"ofac-{uid}")
        sanction.add("authority", AUTHORITY)
        sanction.add("authorityId", uid)
        sanction.add("country", "us")
        sanction.add("sourceUrl", SOURCE_URL)
        return cls(uid, Record(schema, f"ofac-{uid}"), sanction)

    @property
    def schema(self) -> str:
        return self.target.proxy.schema.name

    def note(self, text: str) -> None:
        self.target.add("notes", text)

    def put(self, prop_name: str, value: str, label: str) -> None:
        """``value`` under ``prop_name`` of the target, or in its notes under ``label``
        when the target's schema has no such property."""
        value = clean_text(value)
        if not value:
            return
        prop = self.target.proxy.schema.get(prop_name)
        if prop is None:
            self.note(f"{label}: {value}")
            return
        if prop.type.name == "date":
            value = iso_date(value)
        self.target.add(prop_name, value)

    def named(self, name: str, first: str = "", last: str = "") -> None:
        """The target's name; an individual's "LAST, First" read into its parts."""
        if self.schema == "Person":
            if not first and not last:
                first, last = person_name(name)
            self.target.add("firstName", first)
            self.target.add("lastName", last)
            name = f"{first} {last}".strip() or name
        self.target.add("name", name)

    def also_named(self, kind: str, name: str, weak: bool = False) -> None:
        """An alternate name of ``kind`` a.k.a., f.k.a. or n.k.a.; weak a.k.a.s apart."""
        name = clean_text(name)
        if not name:
            return
        prop = LABELS_FOLDED.get(clean_text(kind).casefold(), "alias")
        if prop == "alias" and weak:
            prop = "weakAlias"
        self.target.add(prop, name)

    def program(self, code: str) -> None:
        self.sanction.add("program", code)

    def fact(self, label: str, value: str, country: str = "") -> bool:
        """The fact ``label value`` on the target (or the Sanction); False when the label
        is none OFAC's files are known to use, and nothing was added. ``country`` is the
        country that issued an identifier."""
        label = clean_text(label)
        value = clean_text(value)
        if not value:
            return True
        if label.casefold().startswith("alt. "):
            label = label[5:]
        if label.casefold().startswith(PROVISION_STARTS):
            self.provision(f"{label} {value}")
            return True
        prop = LABELS_FOLDED.get(label.casefold())
        if prop is None:
            return False
        if prop in ("alias", "previousName"):
            quoted = _QUOTED.match(value)
            self.also_named(label, quoted.group(1) if quoted else value, weak=True)
            return True
        if prop == "imoNumber" and not value.upper().startswith("IMO"):
            prop = "registrationNumber"  # a vessel's registration that is no IMO number
        self.put(prop, value, label)
        if prop in IDENTIFIERS:
            self._russian(label, value, country)
        return True

    def _russian(self, label: str, value: str, country: str) -> None:
        """A Russian tax or registration number also as the INN or OGRN it is, when FtM
        finds it valid as one."""
        if clean_text(country).casefold() not in ("russia", "russian federation"):
            return
        digits = value.replace(" ", "")
        if not digits.isdigit():
            return
        label = label.casefold()
        if "tax" in label and len(digits) in (10, 12):
            self._if_valid("innCode", digits)
        elif "registration" in label and len(digits) in (13, 15):
            self._if_valid("ogrnCode", digits)

    def _if_valid(self, prop_name: str, value: str) -> None:
        prop = self.target.proxy.schema.get(prop_name)
        if prop is not None and prop.type.clean(value, format=prop.format) is not None:
            self.target.add(prop_name, value)

    def provision(self, text: str) -> None:
        """A fact about the designation: the Sanction's provisions, its dates as such."""
        text = clean_text(text)
        self.sanction.add("provisions", text)
        dated = _DATED.match(text)
        if dated:
            prop = "listingDate" if dated.group(1).casefold() == "listing" else "startDate"
            self.sanction.add(prop, iso_date(dated.group("date")))

    def remarks(self, text: str) -> None:
        """The ``;``-separated facts of a CSV Remarks cell, each read where its label is
        known; the whole text kept in notes."""
        text = clean_text(text)
        if not text:
            return
        self.note(text)
        for part in text.rstrip(".").split(";"):
            part = clean_text(part)
            if not part:
                continue
            body = part[5:] if part.casefold().startswith("alt. ") else part
            if body.casefold().startswith(PROVISION_STARTS):
                self.provision(body)
                continue
            label = next(
                (
                    found
                    for found in LABELS_LONGEST
                    if body.casefold().startswith(found.casefold() + " ")
                    or body.casefold().startswith(found.casefold() + ":")
                ),
                None,
            )
            if label is None:
                continue
            value = body[len(label) :].lstrip(": ")
            if LABELS[label] in IDENTIFIERS:
                tail = _IDENTIFIER_TAIL.match(value)
                if tail:
                    self.fact(label, tail.group("number"), tail.group("country") or "")
                    continue
            self.fact(label, value)

    def entries(self, line: int) -> Iterator[Entry]:
        """The target's entry, then the Sanction's; only the refusal when the target has
        no name."""
        target = self.target.entry(line)
        if target.entity is None:
            yield refused(line, f"ent_num {self.uid}: no name, so nothing to list")
            return
        yield target
        yield self.sanction.entry(line)
