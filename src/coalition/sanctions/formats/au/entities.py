"""The FtM entities one Australian designation gives: its target, then its Sanction. Pure.

The target is a ``Person``, ``Organization`` or ``Vessel`` (Type Individual, Entity or
Vessel), id ``au-dfat-<Reference>``; its Sanction ``au-dfat-<Reference>-sanction``, both
on the line of the designation's first row. A value FtM refuses is kept in the target's
notes (the Sanction's description) as published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coalition.sanctions.formats.au.dates import read_dates
from coalition.sanctions.formats.au.designation import Designation, Name
from coalition.sanctions.formats.au.workbook import COLUMNS
from coalition.sanctions.formats.build import Record, clean_text, refused

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

AUTHORITY = "Department of Foreign Affairs and Trade (DFAT)"
SOURCE_URL = "https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list"
ID_PREFIX = "au-dfat-"

SCHEMAS = {"individual": "Person", "entity": "Organization", "vessel": "Vessel"}
_PRIMARY = {"primary name", "primary", "primay name", ""}
_ALIAS = {"aka", "a.k.a.", "a", "alias", "original script"}
_PREVIOUS = {"formerly known as", "previously listed as", "fka", "f.k.a."}
_MEASURES = (
    ("targeted_financial_sanction", "Targeted financial sanction"),
    ("travel_ban", "Travel ban"),
    ("arms_embargo", "Arms embargo"),
    ("maritime_restriction", "Maritime restriction"),
)
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", "-", "n/a"}
_LABELS = {key: heading for heading, key in COLUMNS.items()}
_COUNTRIES = re.compile(r"\s*[,;/]\s*")


def _label(key: str) -> str:
    return _LABELS[key].capitalize()


def _put(record: Record, prop: str, value: str, key: str) -> None:
    """``value`` under ``prop`` when the schema has it, else a note under its column."""
    if prop and prop in record.proxy.schema.properties:
        record.add(prop, value)
    else:
        record.add("notes", f"{_label(key)}: {value}")


def _put_dates(record: Record, prop: str, text: str, key: str) -> None:
    if prop not in record.proxy.schema.properties:
        record.add("notes", f"{_label(key)}: {text}")
        return
    values = read_dates(text)
    if values is None:
        record.kept.append(f"{_label(key)} as published: {clean_text(text)}")
    for value in values or ():
        record.add(prop, value)


def _add_names(record: Record, names: list[Name]) -> None:
    """Primary names as ``name``; others as alias, weak alias or previous name."""
    primary = [n for n in names if n.kind.lower() in _PRIMARY and not n.reference]
    primary = primary or [n for n in names if n.kind.lower() in _PRIMARY]
    if not primary:  # none marked primary: the first strong one stands as the name
        primary = [next((n for n in names if n.strength.lower() != "weak"), names[0])]
    for name in primary:
        record.add("name", name.text)
    for name in names:
        if name in primary:
            continue
        kind = name.kind.lower()
        if kind in _PREVIOUS:
            record.add("previousName", name.text)
        elif name.strength.lower() == "weak":
            record.add("weakAlias", name.text)
        else:
            record.add("alias", name.text)
            if kind not in _ALIAS | _PRIMARY:
                record.add("notes", f"Name {name.text}: name type {name.kind}")


def _target(d: Designation, schema: str) -> Record:
    record = Record(schema, ID_PREFIX + d.reference)
    _add_names(record, d.names())
    person = schema == "Person"
    for text in d.values("dob"):
        _put_dates(record, "birthDate" if person else "", text, "dob")
    for text in d.values("pob"):
        _put(record, "birthPlace" if person else "", text, "pob")
    for text in d.values("citizenship"):
        for country in (c for c in _COUNTRIES.split(text) if c):
            record.add("citizenship" if person else "country", country)
    for text in d.values("address"):
        record.add("address", text)
    for text in d.values("imo"):
        _put(record, "imoNumber", text, "imo")
    for text in d.values("additional_information"):
        record.add("notes", text)
    for kind in d.values("type")[1:]:
        record.add("notes", f"Type also published as: {kind}")
    for label, text in d.others():
        record.add("notes", f"{label}: {text}")
    return record


def _sanction(d: Designation, target_id: str) -> Record:
    record = Record("Sanction", f"{target_id}-sanction")
    record.add("entity", target_id)
    record.add("authority", AUTHORITY)
    record.add("authorityId", d.reference)
    record.add("country", "au")
    record.add("sourceUrl", SOURCE_URL)
    for program in d.values("committees"):
        record.add("program", program)
    for key, label in _MEASURES:
        for value in d.values(key):
            if value.lower() in _YES:
                record.add("provisions", label)
            elif value.lower() not in _NO:
                record.add("description", f"{label} as published: {value}")
    for text in d.values("listing_information"):
        dates = read_dates(text)
        if dates:
            for value in dates:
                record.add("listingDate", value)
                record.add("startDate", value)
        else:
            record.add("summary", text)
    for text in d.values("control_date"):
        dates = read_dates(text)
        if dates:
            for value in dates:
                record.add("modifiedAt", value)
        else:
            record.add("description", f"Control date as published: {text}")
    for text in d.values("instrument"):
        record.add("description", f"Instrument of designation: {text}")
    for note in dict.fromkeys(record.kept):  # a Sanction has no notes: its description keeps them
        record.add("description", note)
    record.kept = []
    return record


def entries_of(d: Designation) -> Iterator[Entry]:
    """The target's entry, then its Sanction's; one refusal when it cannot be read."""
    programs = d.values("committees")
    what = f"designation {d.reference}" + (f" ({'; '.join(programs)})" if programs else "")
    if not d.names():
        yield refused(d.line, f"{what} has no name: not read")
        return
    primary = next((r for r in d.rows if r.cells.get("type")), None)
    kind = primary.cells["type"] if primary else ""
    schema = SCHEMAS.get(kind.lower())
    if schema is None:
        said = f"type {kind!r}" if kind else "no type"
        yield refused(d.line, f"{what} has {said}: expected Individual, Entity or Vessel")
        return
    target = _target(d, schema)
    entry = target.entry(d.line)
    yield entry
    if entry.entity is not None:
        yield _sanction(d, target.id).entry(d.line)
