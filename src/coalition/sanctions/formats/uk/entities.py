"""The FtM entities one UK designation gives: its target, then its Sanction. Pure.

The target is a ``Person``, ``Organization`` or ``Vessel`` (id ``gb-fcdo-<Unique ID>``),
its Sanction ``gb-fcdo-<Unique ID>-sanction``, both on the line the designation starts. A
value FtM refuses is kept in the target's notes (the Sanction's description) as published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import Record, clean_text, refused
from coalition.sanctions.formats.uk.dates import read_date
from coalition.sanctions.formats.uk.designation import Designation, Name, split_values

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

AUTHORITY = "UK Foreign, Commonwealth and Development Office"
SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
ID_PREFIX = "gb-fcdo-"

SCHEMAS = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

# Designation values that go on the target, by key: (property, label for a note, split).
# A property the target's schema lacks keeps the value in a note under its label.
_TARGET_FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("title", "title", "Title", True),
    ("position", "position", "Position", True),
    ("gender", "gender", "Gender", True),
    ("nationality", "nationality", "Nationality", True),
    ("phone", "phone", "Phone number", True),
    ("website", "website", "Website", True),
    ("entity_type", "legalForm", "Type of entity", False),
    ("registration", "registrationNumber", "Business registration number", True),
    ("imo", "imoNumber", "IMO number", True),
    ("flag", "flag", "Current believed flag of ship", True),
    ("previous_flag", "pastFlags", "Previous flag", True),
    ("ship_type", "type", "Type of ship", True),
    ("tonnage", "tonnage", "Tonnage of ship", False),
    ("parent", "", "Parent company", False),
    ("subsidiaries", "", "Subsidiaries", False),
    ("owner", "", "Current owner/operator", False),
    ("previous_owner", "", "Previous owner/operator", False),
    ("length", "", "Length of ship", False),
    ("hin", "", "Hull identification number", False),
)
_COUNTRY_NAMES = {"congo (democratic republic)": "cd"}  # gov.uk spellings FtM does not know
_CODES = (  # identifiers a registration number states with their label
    ("swiftBic", re.compile(r"(?i:SWIFT|BIC)(?:\s*/\s*(?i:BIC|SWIFT))?(?i:\s*code)?\s*[:\-–]?\s*"
                            r"([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")),
    ("innCode", re.compile(r"\b(?i:INN|TIN)\s*[:\-–]?\s*(\d{10}|\d{12})\b")),
    ("ogrnCode", re.compile(r"\b(?i:OGRN)\s*[:\-–]?\s*(\d{13}|\d{15})\b")),
)  # fmt: skip
_EMAIL_SPLIT = re.compile(r"[;,]\s*")


def _put(record: Record, prop: str, value: str, label: str) -> None:
    """``value`` under ``prop`` when the schema has it, else a note under ``label``."""
    if prop and prop in record.proxy.schema.properties:
        if record.proxy.schema.properties[prop].type.name == "country":
            value = _COUNTRY_NAMES.get(value.lower(), value)
        record.add(prop, value)
    else:
        record.add("notes", f"{label}: {value}")


def _put_date(record: Record, prop: str, text: str, label: str) -> None:
    """A date under ``prop`` when it can be read safely, else kept as published."""
    value = read_date(text)
    if value is None:
        record.kept.append(f"{label} as published: {clean_text(text)}")
    else:
        record.add(prop, value)


def _add_names(record: Record, d: Designation) -> None:
    """The designation's names: primary as ``name``, others as ``alias`` or ``weakAlias``."""
    schema = record.proxy.schema.name
    names = list(d.names)
    if names and not any(n.kind.lower() in ("primary name", "") for n in names):
        # No name marked primary: the first alias, a strong one if any, stands as the name.
        first = next((n for n in names if "low" not in n.strength.lower()), names[0])
        names.insert(0, Name(first.full, first.first, first.last))
    for name in names:
        kind = name.kind.lower()
        if kind in ("primary name", ""):
            record.add("name", name.full)
            if schema == "Person":
                record.add("firstName", name.first)
                record.add("lastName", name.last)
        elif "low" in name.strength.lower():
            record.add("weakAlias", name.full)
        else:
            record.add("alias", name.full)
    for text, script, language in d.non_latin:
        record.add("alias" if names else "name", text)  # the name, when it has no other
        names = names or [Name(text)]
        said = ", ".join(p for p in (script and f"script {script}", language) if p)
        if said:
            record.add("notes", f"Name {text}: {said}")


def _paper(label: str, number: str, info: str) -> str:
    return f"{label} {number}: {info}" if number else f"{label}: {info}"


def _target(d: Designation, schema: str) -> Record:
    """The designated person, entity or ship, with everything the record says of it."""
    record = Record(schema, ID_PREFIX + d.unique_id)
    _add_names(record, d)
    for key, prop, label, split in _TARGET_FIELDS:
        for value in d.values.get(key, ()):
            for item in split_values(value) if split else [value]:
                _put(record, prop, item, label)
    for value in d.values.get("email", ()):
        for item in split_values(value):
            pieces = [p for p in _EMAIL_SPLIT.split(item) if p]
            words = [w for p in pieces for w in p.split()]
            for piece in words if all("@" in w for w in words) else pieces:
                _put(record, "email", piece, "Email address")
    for value in d.values.get("registration", ()):
        for prop, pattern in _CODES:
            for code in pattern.findall(value):
                if prop in record.proxy.schema.properties:
                    record.add(prop, code)
    for value in d.values.get("dob", ()):
        for item in split_values(value):
            if "birthDate" in record.proxy.schema.properties:
                _put_date(record, "birthDate", item, "Birth date")
            else:
                record.add("notes", f"Date of birth: {item}")
    for value in d.values.get("year_built", ()):
        if "buildDate" in record.proxy.schema.properties:
            _put_date(record, "buildDate", value, "Year built")
        else:
            record.add("notes", f"Year built: {value}")
    for town, country in d.births:
        if town:
            _put(record, "birthPlace", town, "Town of birth")
        if country:
            _put(record, "birthCountry", country, "Country of birth")
    for number, info in d.passports:
        if number:
            _put(record, "passportNumber", number, "Passport number")
        if info:
            record.add("notes", _paper("Passport", number, info))
    for number, info in d.national_ids:
        if number:
            _put(record, "idNumber", number, "National identifier")
        if info:
            record.add("notes", _paper("National identifier", number, info))
    for text, country in d.addresses:
        record.add("address", text)
        if country:
            record.add("country", _COUNTRY_NAMES.get(country.lower(), country))
    for label, value in d.others:
        record.add("notes", f"{label}: {value}")
    return record


def _sanction(d: Designation, target_id: str) -> Record:
    """The designation itself: regime, measures, dates, reasons, naming its target."""
    record = Record("Sanction", f"{target_id}-sanction")
    record.add("entity", target_id)
    record.add("authority", AUTHORITY)
    record.add("authorityId", d.unique_id)
    record.add("country", "gb")
    record.add("sourceUrl", SOURCE_URL)
    for value in d.values.get("un_reference", ()):
        record.add("unscId", value)
    for value in d.values.get("regime", ()):
        record.add("program", value)
    for value in d.values.get("sanctions_imposed", ()):
        for item in split_values(value):
            record.add("provisions", item)
    for value in d.values.get("date_designated", ()):
        _put_date(record, "listingDate", value, "Date designated")
        _put_date(record, "startDate", value, "Date designated")
    for value in d.values.get("last_updated", ()):
        _put_date(record, "modifiedAt", value, "Last updated")
    for value in d.values.get("statement_of_reasons", ()):
        record.add("reason", value)
    for value in d.values.get("other_information", ()):
        record.add("summary", value)
    for value in d.values.get("source", ()):
        for item in split_values(value):  # UK, UN, or both: "UK|UN"
            record.add("description", f"Designation source: {item}")
    for value in d.values.get("ofsi_group_id", ()):
        record.add("description", f"OFSI Group ID: {value}")
    for note in dict.fromkeys(record.kept):  # a Sanction has no notes: its description keeps them
        record.add("description", note)
    record.kept = []
    return record


def entries_of(d: Designation) -> Iterator[Entry]:
    """The target's entry, then its Sanction's; one refusal when it cannot be read."""
    kind = d.first("kind")
    schema = SCHEMAS.get(kind.lower())
    regime = d.first("regime")
    what = f"designation {d.unique_id}" + (f" ({regime})" if regime else "")
    if schema is None:
        said = f"type {kind!r}" if kind else "no type"
        yield refused(d.line, f"{what} has {said}: expected Individual, Entity or Ship")
        return
    if not any(n.full for n in d.names) and not d.non_latin:
        yield refused(d.line, f"{what} has no name: not read")
        return
    target = _target(d, schema)
    entry = target.entry(d.line)
    yield entry
    if entry.entity is not None:
        yield _sanction(d, target.id).entry(d.line)
