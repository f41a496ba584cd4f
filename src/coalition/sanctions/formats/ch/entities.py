"""The FtM entities one SECO target gives: the target, then one Sanction per programme. Pure.

The target is a ``Person`` (an ``<individual>``), an ``Organization`` (an ``<entity>``) or
a ``Vessel`` (an ``<object object-type="vessel">``), id ``ch-seco-<ssid>``. Each programme
it is listed under gives a ``Sanction`` ``ch-seco-<ssid>-sanction-<programme ssid>``. A
target whose last modification de-lists it is no longer on the list and gives nothing. A
value FtM refuses is kept in the target's notes (the Sanction's description) as published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import Record, clean_text, refused
from coalition.sanctions.formats.ch.catalogue import Catalogue, Place, Programme, SanctionsSet
from coalition.sanctions.formats.ch.target import Name, Target

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

AUTHORITY = "State Secretariat for Economic Affairs (SECO)"
SOURCE_URL = (
    "https://www.seco.admin.ch/seco/en/home/Aussenwirtschaftspolitik_Wirtschaftliche_"
    "Zusammenarbeit/Wirtschaftsbeziehungen/exportkontrollen-und-sanktionen/sanktionen-embargos.html"
)
ID_PREFIX = "ch-seco-"

_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")  # FtM ids take letters, digits, dots and hyphens
_PERSON_PARTS = {
    "given-name": "firstName",
    "further-given-name": "secondName",
    "family-name": "lastName",
    "father-name": "fatherName",
    "title": "title",
    "suffix": "nameSuffix",
}
_PASSPORTS = ("passport", "diplomatic-passport")
_IMO = re.compile(r"\bIMO\b(?:\s*(?:number|no\.?))?\s*[:\-]?\s*(\d{7})\b", re.IGNORECASE)
_UN_REFERENCE = re.compile(r"^[A-Z]{2,3}[ie]\.\d{1,4}$")  # QDi.001, KPe.012


def safe_id(text: str) -> str:
    """``text`` with what an FtM id may not hold replaced by hyphens."""
    return _UNSAFE.sub("-", clean_text(text)).strip("-")


def _place_text(place: Place, lines: str = "") -> str:
    return ", ".join(p for p in (lines, place.location, place.area, place.country) if p)


def _country(place: Place) -> str:
    return place.country_code.lower() or place.country


def _put(record: Record, prop: str, value: str, label: str) -> None:
    """``value`` under ``prop`` when the schema has it, else a note under ``label``."""
    if prop in record.proxy.schema.properties:
        record.add(prop, value)
    elif clean_text(value):
        record.add("notes", f"{label}: {value}")


def _chosen(names: list[Name]) -> Name:
    """The name the target goes by: the main identity's primary name of good quality,
    else the first good primary name, else the first good name that is not a former one,
    else the first."""
    good = [n for n in names if n.quality != "low"]
    for found in (
        [n for n in good if n.main and n.kind == "primary-name"],
        [n for n in good if n.kind == "primary-name"],
        [n for n in good if n.kind != "formerly-known-as"],
        names,
    ):
        if found:
            return found[0]
    raise ValueError("a target without a name has no name to go by")


def _add_names(record: Record, t: Target) -> None:
    chosen = _chosen(t.names)
    record.add("name", chosen.full)
    if record.proxy.schema.name == "Person":
        for kind, value in chosen.parts:
            if prop := _PERSON_PARTS.get(kind):
                record.add(prop, value)
    for name in t.names:
        if name is not chosen:
            if name.quality == "low":
                record.add("weakAlias", name.full)
            elif name.kind == "formerly-known-as":
                record.add("previousName", name.full)
            else:
                record.add("alias", name.full)
        for variant, script, lang in name.variants:
            record.add("weakAlias" if name.quality == "low" else "alias", variant)
            said = ", ".join(
                p for p in (script and f"script {script}", lang and f"language {lang}") if p
            )
            if said:
                record.add("notes", f"Name {variant}: {said}")


def _paper_note(label: str, number: str, details: list[str]) -> str:
    return f"{label} {number}: {'; '.join(details)}" if number else f"{label}: {'; '.join(details)}"


def _target(t: Target, schema: str) -> Record:
    """The listed person, organisation or vessel, with everything the list says of it."""
    record = Record(schema, ID_PREFIX + safe_id(t.ssid))
    person = schema == "Person"
    _add_names(record, t)
    if t.sex:
        _put(record, "gender", t.sex, "Sex")
    for iso, shown in t.births:
        prop = {"Person": "birthDate", "Organization": "incorporationDate"}.get(schema, "")
        label = "Date of birth" if person else "Date"
        if prop and iso:
            record.add(prop, iso)
        elif prop:
            record.kept.append(f"{label} as published: {shown}")
        else:
            record.add("notes", f"{label}: {shown}")
    for place in t.birth_places:
        _put(record, "birthPlace", _place_text(place), "Place of birth")
        if place.country or place.country_code:
            _put(record, "birthCountry", _country(place), "Country of birth")
    for place in t.nationalities:
        _put(record, "nationality" if person else "country", _country(place), "Nationality")
    for place, lines in t.addresses:
        record.add("address", _place_text(place, lines))
        if place.country or place.country_code:
            record.add("country", _country(place))
    for paper in t.papers:
        label = paper.kind.replace("-", " ").capitalize()
        if paper.number:
            prop = "passportNumber" if paper.kind in _PASSPORTS else "idNumber"
            _put(record, prop, paper.number, label)
        details = [
            f"issued by {paper.issuer}" if paper.issuer else "",
            f"issued {paper.issued}" if paper.issued else "",
            f"expires {paper.expires}" if paper.expires else "",
            paper.remark,
        ]
        if any(details) or (paper.number and paper.kind not in _PASSPORTS):
            record.add(
                "notes", _paper_note(label, paper.number, [d for d in details if d] or [label])
            )
    for text in t.information:
        if "imoNumber" in record.proxy.schema.properties:
            for number in _IMO.findall(text):
                record.add("imoNumber", f"IMO{number}")
        record.add("notes", text)
    for kind, other in t.relations:
        record.add("notes", f"{kind.replace('-', ' ').capitalize()}: {ID_PREFIX}{safe_id(other)}")
    for where, text in t.others:
        record.add("notes", f"{where}: {text}")
    return record


def _by_programme(
    t: Target, catalogue: Catalogue
) -> tuple[dict[Programme, list[SanctionsSet]], list[str]]:
    """The target's sets grouped by their programme, and the set ids no programme holds."""
    groups: dict[Programme, list[SanctionsSet]] = {}
    unknown = []
    for set_id in t.set_ids:
        found = catalogue.sets.get(set_id)
        if found is None:
            unknown.append(set_id)
        else:
            groups.setdefault(found.programme, []).append(found)
    return groups, unknown


def _sanction(t: Target, target_id: str, entity_id: str) -> Record:
    record = Record("Sanction", entity_id)
    record.add("entity", target_id)
    record.add("authority", AUTHORITY)
    record.add("authorityId", t.ssid)
    record.add("country", "ch")
    record.add("sourceUrl", SOURCE_URL)
    listed = [m for m in t.modifications if m.kind == "listed"]
    first = min(listed, key=lambda m: (m.day is None, m.day, m.order), default=None)
    if first is not None:
        day = first.published or first.effective or first.enacted
        if day:
            record.add("listingDate", day.isoformat())
        if first.effective:
            record.add("startDate", first.effective.isoformat())
    latest = t.latest
    if latest is not None and latest.kind == "amended" and latest.day:
        record.add("modifiedAt", latest.day.isoformat())
    for text in t.justifications:
        record.add("reason", text)
    for foreign in t.foreign_ids:
        if _UN_REFERENCE.match(foreign):
            record.add("unscId", foreign)
        else:
            record.add("description", f"Foreign identifier: {foreign}")
    return record


def _sanctions(t: Target, target_id: str, catalogue: Catalogue) -> list[Record]:
    """One Sanction for each programme the target is listed under."""
    groups, unknown = _by_programme(t, catalogue)
    records = []
    for index, (programme, sets) in enumerate(groups.items(), start=1):
        suffix = safe_id(programme.ssid) or str(index)
        record = _sanction(t, target_id, f"{target_id}-sanction-{suffix}")
        record.add("program", programme.key or programme.name)
        for each in sets:
            record.add("provisions", each.name)
        if programme.name:
            record.add("description", f"Programme: {programme.name}")
        if programme.origin:
            record.add("description", f"Origin: {programme.origin}")
        records.append(record)
    if unknown or not records:
        record = _sanction(t, target_id, f"{target_id}-sanction")
        for set_id in unknown:
            record.add("description", f"Sanctions set {set_id}: not among the file's programmes")
        if not t.set_ids:
            record.add("description", "No sanctions set given")
        records.append(record)
    for record in records:  # a Sanction has no notes: its description keeps them
        for note in dict.fromkeys(record.kept):
            record.add("description", note)
        record.kept = []
    return records


def _what(t: Target, catalogue: Catalogue) -> str:
    keys = sorted({p.key or p.name for p in _by_programme(t, catalogue)[0]})
    return f"target {t.ssid}" + (f" ({', '.join(keys)})" if keys else "")


def entries_of(t: Target, catalogue: Catalogue) -> Iterator[Entry]:
    """The target's entry, then its Sanctions'; one refusal when it cannot be read;
    nothing when its last modification de-lists it."""
    if t.de_listed:
        return
    what = _what(t, catalogue)
    if t.kind == "individual":
        schema = "Person"
    elif t.kind == "entity":
        schema = "Organization"
    elif t.kind == "object" and t.object_type.lower() == "vessel":
        schema = "Vessel"
    elif t.kind == "object":
        said = f"of type {t.object_type!r}" if t.object_type else "of no type"
        yield refused(t.line, f"{what} is an object {said}: only vessels are read")
        return
    else:
        yield refused(t.line, f"{what} has no individual, entity or object: not read")
        return
    if not t.names:
        yield refused(t.line, f"{what} has no name: not read")
        return
    target = _target(t, schema)
    entry = target.entry(t.line)
    yield entry
    if entry.entity is not None:
        for sanction in _sanctions(t, target.id, catalogue):
            yield sanction.entry(t.line)
