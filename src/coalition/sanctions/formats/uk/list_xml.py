"""The UK Sanctions List's XML, read into FtM entities as a stream. Pure.

The XML has a root ``<Designations>`` with a ``<DateGenerated>`` and one ``<Designation>``
element each, read as a stream and cleared once read. A DOCTYPE, an entity declaration or
an external reference is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import (
    LineSource,
    broken,
    clean_text,
    local_name,
    refused,
    xml_fault,
    xml_faults,
)
from coalition.sanctions.formats.uk.dates import read_date
from coalition.sanctions.formats.uk.designation import (
    NO_DESIGNATION,
    Designation,
    Name,
    join_address,
)
from coalition.sanctions.formats.uk.entities import entries_of

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry


def _texts(element: Element, tag: str) -> list[str]:
    return [t for t in (clean_text(e.text) for e in element.iter(tag)) if t]


def _text(element: Element, tag: str) -> str:
    return clean_text(element.findtext(tag))


_XML_FIELDS = {  # element tag: key, for elements read wherever they are in a designation
    "LastUpdated": "last_updated", "OFSIGroupID": "ofsi_group_id",
    "UNReferenceNumber": "un_reference", "RegimeName": "regime",
    "IndividualEntityShip": "kind", "DesignationSource": "source",
    "SanctionsImposed": "sanctions_imposed", "OtherInformation": "other_information",
    "UKStatementofReasons": "statement_of_reasons", "DateDesignated": "date_designated",
    "PhoneNumber": "phone", "Website": "website", "EmailAddress": "email", "Title": "title",
    "DOB": "dob", "Nationality": "nationality", "Position": "position", "Gender": "gender",
    "TypeOfEntity": "entity_type", "BusinessRegistrationNumber": "registration",
    "ParentCompany": "parent", "Subsidiary": "subsidiaries", "IMONumber": "imo",
    "CurrentOwnerOperator": "owner", "PreviousOwnerOperator": "previous_owner",
    "CurrentBelievedFlagOfShip": "flag", "PreviousFlag": "previous_flag",
    "TypeOfShip": "ship_type", "TonnageOfShip": "tonnage", "LengthOfShip": "length",
    "YearBuilt": "year_built", "HullIdentificationNumber": "hin",
}  # fmt: skip
_XML_READ = {  # every element read above, by name
    *_XML_FIELDS, "UniqueID", "NameType", "AliasStrength", "NameNonLatinScript",
    "NonLatinScriptType", "NonLatinScriptLanguage", "AddressPostalCode", "AddressCountry",
    "PassportNumber", "PassportAdditionalInformation", "NationalIdentifierNumber",
    "NationalIdentifierAdditionalInformation", "TownOfBirth", "CountryOfBirth", "Name",
    *(f"Name{i}" for i in range(1, 7)), *(f"AddressLine{i}" for i in range(1, 7)),
}  # fmt: skip
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _designation(element: Element, line: int) -> Designation:
    """The designation an XML ``<Designation>`` element describes."""
    for each in element.iter():
        each.tag = local_name(each.tag)
    d = Designation(_text(element, "UniqueID"), line)
    for tag, key in _XML_FIELDS.items():
        for value in _texts(element, tag):
            d.put(key, value)
    if "sanctions_imposed" not in d.values:  # the same measures, as true/false indicators
        for indicators in element.iter("SanctionsImposedIndicators"):
            for flag in indicators:
                if clean_text(flag.text).lower() == "true":
                    d.put("sanctions_imposed", _CAMEL.sub(" ", flag.tag).capitalize())
    for name in element.iter("Name"):
        parts = [_text(name, f"Name{i}") for i in range(1, 7)]
        full = " ".join(p for p in parts if p) or _text(name, "Name")
        if full:
            kind, strength = _text(name, "NameType"), _text(name, "AliasStrength")
            d.add_once(d.names, Name(full, parts[0], parts[5], kind, strength))
    for name in element.iter("NonLatinName"):
        if text := _text(name, "NameNonLatinScript"):
            script, language = (
                _text(name, "NonLatinScriptType"),
                _text(name, "NonLatinScriptLanguage"),
            )
            d.add_once(d.non_latin, (text, script, language))
    for place in element.iter("Address"):
        country = _text(place, "AddressCountry")
        lines = [place.findtext(f"AddressLine{i}") for i in range(1, 7)]
        if address := join_address(lines, place.findtext("AddressPostalCode"), country):
            d.add_once(d.addresses, (address, country))
    for passport in element.iter("Passport"):
        number = _text(passport, "PassportNumber")
        info = _text(passport, "PassportAdditionalInformation")
        if number or info:
            d.add_once(d.passports, (number, info))
    for national in element.iter("NationalIdentifier"):
        number = _text(national, "NationalIdentifierNumber")
        info = _text(national, "NationalIdentifierAdditionalInformation")
        if number or info:
            d.add_once(d.national_ids, (number, info))
    for place in element.iter("Location"):
        town, country = _text(place, "TownOfBirth"), _text(place, "CountryOfBirth")
        if town or country:
            d.add_once(d.births, (town, country))
    flags = {id(flag) for each in element.iter("SanctionsImposedIndicators") for flag in each}
    for leaf in element.iter():
        text = clean_text(leaf.text)
        if text and not len(leaf) and leaf.tag not in _XML_READ and id(leaf) not in flags:
            d.add_once(d.others, (leaf.tag, text))  # an element this reader does not know
    return d


_KNOWN_ROOTS = {
    "sdnList": "the US OFAC SDN list (SDN.XML)",
    "Sanctions": "the US OFAC advanced XML",
    "export": "the EU Financial Sanctions File",
    "CONSOLIDATED_LIST": "the UN Security Council consolidated list",
    "ArrayOfFinancialSanctionsTarget": "OFSI's closed Consolidated List",
}


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    from defusedxml.ElementTree import iterparse

    source = LineSource(binary)
    root: Element | None = None
    depth = 0
    starts: list[int] = []
    given: dict[str, int] = {}
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            tag = local_name(element.tag)
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    if tag != "Designations":
                        known = _KNOWN_ROOTS.get(tag)
                        found = f"<{tag}>" + (f", {known}" if known else "")
                        yield broken(1, f"not the UK Sanctions List: its root is {found}; "
                                        "expected <Designations>")  # fmt: skip
                        return
                elif depth == 2 and tag == "Designation":
                    starts.append(source.line)
                continue
            depth -= 1
            if depth != 1 or tag != "Designation" or root is None:
                continue
            line = starts.pop() if starts else source.line
            d = _designation(element, line)
            root.remove(element)  # read: let it go
            if not d.unique_id:
                yield refused(line, "designation has no UniqueID: not read")
            elif d.unique_id in given:
                yield refused(
                    line,
                    f"designation {d.unique_id} appears again (first at line "
                    f"{given[d.unique_id]}, already read): this one is not read",
                )
            else:
                given[d.unique_id] = line
                yield from entries_of(d)
        if root is not None and not given:
            yield broken(1, NO_DESIGNATION)  # the line of its root
    except xml_faults() as exc:
        yield xml_fault(exc, source.line)


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day the XML's DateGenerated says; None when it says none that can be read."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _, element in iterparse(LineSource(binary), events=("end",), forbid_dtd=True):
            tag = local_name(element.tag)
            if tag in ("DateGenerated", "DatePublished", "PublicationDate"):
                value = read_date(clean_text(element.text))
                return dt.date.fromisoformat(value) if value and len(value) == 10 else None
            if tag == "Designation":
                return None
    except (DefusedXmlException, ParseError, LookupError, UnicodeError):
        return None
    return None
