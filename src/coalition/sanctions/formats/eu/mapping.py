"""The FtM entities one FSF designation gives: its target and its Sanctions. Pure.

The target is a ``Person``, ``Organization``, or ``Vessel`` (id ``eu-fsf-<logicalId>``),
followed by one ``Sanction`` per regulation it was listed under. A value whose property
the target's schema lacks is kept in a note under its label.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import Record, clean_text, refused
from coalition.sanctions.formats.eu.designation import Designation, parts_of

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

ID_PREFIX = "eu-fsf"
AUTHORITY = "European Union"
_LOGICAL_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")  # becomes part of FtM ids
_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_ACT_CHARS = 80  # of a regulation's number and title in a Sanction id
_NO_COUNTRY = {"", "00", "UNKNOWN"}

# What each subject type code (or classification code) is in FtM. The FSF documents
# persons (P) and enterprises (E); a vessel is read as one should a file mark it so.
SUBJECT_SCHEMAS = {
    "person": "Person",
    "p": "Person",
    "enterprise": "Organization",
    "e": "Organization",
    "vessel": "Vessel",
    "v": "Vessel",
}

# identificationTypeCode -> the FtM property its number belongs to (if the schema has it).
IDENTIFICATION_PROPS = {
    "passport": "passportNumber",
    "id": "idNumber",
    "nationcert": "idNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
    "ssn": "socialSecurityNumber",
    "tradelic": "licenseNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
}
# Russian registers named in an identification's remark or description.
_REGISTER_WORDS = (("ogrn", re.compile(r"\bOGRN\b")), ("inn", re.compile(r"\bINN\b")))
_IDENTIFICATION_FLAGS = {
    "diplomatic": "diplomatic",
    "knownExpired": "known to have expired",
    "knownFalse": "known to be false",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by its issuer",
}
_GENDERS = {"M": "male", "F": "female"}
_CONTACT_PROPS = {"PHONE": "phone", "FAX": "phone", "EMAIL": "email", "WEB": "website"}


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _country(values: dict[str, str]) -> str:
    code = values.get("countryIso2Code", "")
    if code.upper() not in _NO_COUNTRY:
        return code
    description = values.get("countryDescription", "")
    return "" if description.upper() in _NO_COUNTRY else description


def _put(record: Record, prop: str, value: str, label: str) -> None:
    """Add ``value`` to ``prop``, or to a note labelled ``label`` when the schema lacks it."""
    if not clean_text(value):
        return
    if prop in record.proxy.schema.properties:
        record.add(prop, value)
    else:
        record.add("notes", f"{label}: {value}")


def _schema(designation: Designation) -> tuple[str, str]:
    """(FtM schema, '') for the designation's subject type, or ('', why not)."""
    codes = [code for code in designation.subject if code]
    for code in codes:
        schema = SUBJECT_SCHEMAS.get(code.lower())
        if schema:
            return schema, ""
    if not codes:
        return "", "no subject type (person or enterprise)"
    return "", f"unknown subject type {' / '.join(codes)!r} (person or enterprise expected)"


def _add_names(record: Record, names: list[dict[str, str]]) -> None:
    person = record.proxy.schema.name == "Person"
    strong = [n for n in names if n.get("strong", "true").lower() != "false"]
    # With no strong alias the first weak one names the target rather than lose it.
    main = (strong or names or [{}])[0]
    for alias in names:
        whole = alias.get("wholeName") or " ".join(
            parts_of(alias, "firstName", "middleName", "lastName")
        )
        if alias is main:
            record.add("name", whole)
        elif alias in strong:
            record.add("alias", whole)
        else:
            record.add("weakAlias", whole)
        if person:
            record.add("firstName", alias.get("firstName"))
            record.add("middleName", alias.get("middleName"))
            record.add("lastName", alias.get("lastName"))
        _put(record, "title", alias.get("title", ""), "Title")
        _put(record, "position", alias.get("function", ""), "Function")
        gender = alias.get("gender", "")
        _put(record, "gender", _GENDERS.get(gender.upper(), gender), "Gender")
        if alias.get("remark"):
            record.add("notes", f"Name {whole}: {alias['remark']}")


def _birth_date(birth: dict[str, str]) -> str:
    """The full date of birth, or as much of it as the year, month and day parts give."""
    if birth.get("birthdate"):
        return birth["birthdate"]
    year = birth.get("year", "")
    month = birth.get("monthOfYear") or birth.get("month", "")
    day = birth.get("dayOfMonth") or birth.get("day", "")
    if not year:
        return ""
    if month and day:
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    return f"{year}-{month.zfill(2)}" if month else year


def _add_birthdates(record: Record, birthdates: list[dict[str, str]]) -> None:
    for birth in birthdates:
        date = _birth_date(birth)
        calendar = birth.get("calendarType", "")
        if date and calendar and calendar.upper() != "GREGORIAN":
            # Not a Gregorian date: FtM's dates are, so it is kept as published only.
            record.add("notes", f"Date of birth ({calendar} calendar): {date}")
            date = ""
        said = ["circa"] if birth.get("circa", "").lower() == "true" else []
        if birth.get("yearRangeFrom") or birth.get("yearRangeTo"):
            span = f"{birth.get('yearRangeFrom', '?')} and {birth.get('yearRangeTo', '?')}"
            said.append(f"between {span}")
        _put(record, "birthDate", date, "Date of birth")
        if said:
            stated = ", ".join(([date] if date else []) + said)
            record.add("notes", f"Date of birth as published: {stated}")
        place = ", ".join(parts_of(birth, "place", "city", "zipCode", "region"))
        _put(record, "birthPlace", place, "Place of birth")
        _put(record, "birthCountry", _country(birth), "Country of birth")
        if birth.get("remark"):
            record.add("notes", f"Birth: {birth['remark']}")


def _add_identifications(record: Record, identifications: list[dict[str, str]]) -> None:
    for ident in identifications:
        code = ident.get("identificationTypeCode", "").lower()
        described = ident.get("identificationTypeDescription") or code or "Identification"
        numbers = parts_of(ident, "number", "latinNumber")
        prop = IDENTIFICATION_PROPS.get(code, "")
        if prop not in record.proxy.schema.properties:
            prop = "idNumber" if "idNumber" in record.proxy.schema.properties else ""
        said = " ".join(parts_of(ident, "remark", "identificationTypeDescription"))
        registers = [name for name, word in _REGISTER_WORDS if word.search(said)]
        for number in numbers:
            if prop:
                record.add(prop, number)
            for register in registers:
                _put(record, f"{register}Code", number, register.upper())
        details = [_country(ident)] if _country(ident) else []
        details += [
            text
            for key, text in _IDENTIFICATION_FLAGS.items()
            if ident.get(key, "").lower() in ("true", "1", "yes")
        ]
        for key, label in (
            ("issuedBy", "issued by"),
            ("issueDate", "issued"),
            ("validFrom", "valid from"),
            ("validTo", "valid to"),
            ("nameOnDocument", "name on document"),
            ("region", "region"),
            ("remark", "remark"),
        ):
            if ident.get(key):
                details.append(f"{label} {ident[key]}")
        unmapped = IDENTIFICATION_PROPS.get(code) != prop
        if numbers and (details or unmapped):
            suffix = f" ({'; '.join(details)})" if details else ""
            record.add("notes", f"{described}: {' / '.join(numbers)}{suffix}")


def _add_addresses(record: Record, addresses: list[dict[str, str]]) -> None:
    for address in addresses:
        post_box = f"P.O. Box {address['poBox']}" if address.get("poBox") else ""
        country = address.get("countryDescription", "")
        full = ", ".join(
            parts_of(address, "street")
            + ([post_box] if post_box else [])
            + parts_of(address, "zipCode", "city", "place", "region")
            + ([country] if country.upper() not in _NO_COUNTRY else [])
        )
        _put(record, "address", full, "Address")
        _put(record, "country", _country(address), "Country")
        if address.get("asAtListingTime", "").lower() == "true" and full:
            record.add("notes", f"Address at the time of listing: {full}")
        for key, value in _contacts(address):
            prop = _CONTACT_PROPS.get(key.upper(), "")
            if prop:
                for item in re.split(r"[,;]\s*", value):
                    _put(record, prop, item, key.title())
            else:
                record.add("notes", f"Contact ({key}): {value}")
        if address.get("remark"):
            record.add("notes", f"Address: {address['remark']}")


def _contacts(address: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(key, value) of each contact the address gives: XML ``contactInfo`` children are
    held as ``contact:<key>``; the CSV's one ``Address_ContactInfo`` text as ``contactInfo``."""
    for key, value in address.items():
        if key.startswith("contact:") and value:
            yield key.removeprefix("contact:"), value
    if address.get("contactInfo"):
        yield "as published", address["contactInfo"]


def _target(designation: Designation, schema: str) -> Record:
    record = Record(schema, f"{ID_PREFIX}-{designation.logical_id}")
    _add_names(record, designation.names)
    nationality = "nationality" if schema == "Person" else "country"
    for citizenship in designation.citizenships:
        _put(record, nationality, _country(citizenship), "Citizenship")
        if citizenship.get("remark"):
            record.add("notes", f"Citizenship: {citizenship['remark']}")
    _add_birthdates(record, designation.birthdates)
    _add_identifications(record, designation.identifications)
    _add_addresses(record, designation.addresses)
    for remark in designation.entity.get("remark", []):
        record.add("notes", remark)
    record.add("topics", "sanction")
    return record


def _act(number_title: str) -> str:
    """``number_title`` as a slug short enough for an id; a long one cut, with a hash."""
    slug = _slug(number_title)
    if len(slug) <= _MAX_ACT_CHARS:
        return slug
    digest = hashlib.sha256(number_title.encode()).hexdigest()[:10]
    return f"{slug[: _MAX_ACT_CHARS - 11].rstrip('-')}-{digest}"


def _sanction_keys(regulations: list[dict[str, str]]) -> list[str]:
    """A stable key per regulation, the same whichever layout the file is in: its number
    and title ("2022/332 (OJ L53)"), with the programme when the number is not enough."""
    titles = [_act(r.get("numberTitle", "")) for r in regulations]
    keys: list[str] = []
    for regulation, title in zip(regulations, titles, strict=True):
        if not title:
            url = regulation.get("publicationUrl", "")
            title = "r" + hashlib.sha256(url.encode()).hexdigest()[:10] if url else "listing"
        elif titles.count(title) > 1:
            title = f"{title}-{_slug(regulation.get('programme', ''))}".rstrip("-")
        # The same act listed twice for one programme: numbered in file order.
        keys.append(title if title not in keys else f"{title}-{keys.count(title) + 1}")
    return keys


def _sanctions(designation: Designation, target_id: str) -> Iterator[Record]:
    regulations = designation.regulations or [{}]
    for regulation, key in zip(regulations, _sanction_keys(regulations), strict=True):
        record = Record("Sanction", f"{target_id}-{key}")
        record.add("entity", target_id)
        record.add("authority", AUTHORITY)
        record.add("country", "eu")
        record.add_all("authorityId", designation.entity.get("euReferenceNumber"))
        record.add_all("unscId", designation.entity.get("unitedNationId"))
        record.add("program", regulation.get("programme"))
        title = regulation.get("numberTitle", "")
        record.add("provisions", title)
        kind = " ".join(parts_of(regulation, "organisationType", "regulationType"))
        record.add("summary", f"{kind.capitalize()}: {title}" if kind and title else title)
        designated = designation.first("designationDate")
        record.add("listingDate", regulation.get("publicationDate") or designated)
        record.add("date", designated)
        record.add("startDate", regulation.get("entryIntoForceDate"))
        record.add_all("reason", designation.entity.get("designationDetails"))
        record.add("sourceUrl", regulation.get("publicationUrl"))
        yield record


def designation_entries(designation: Designation) -> Iterator[Entry]:
    """The target of ``designation`` and its ``Sanction`` entities, or why it is refused."""
    line = designation.line
    if not _LOGICAL_ID.match(designation.logical_id):
        shown = repr(designation.logical_id[:40]) if designation.logical_id else "none"
        yield refused(line, f"a designation whose logicalId is not an identifier: {shown}")
        return
    schema, why = _schema(designation)
    if not schema:
        yield refused(line, f"designation {designation.logical_id}: {why}")
        return
    target = _target(designation, schema)
    entry = target.entry(line)
    yield entry
    if entry.entity is None:
        return
    for sanction in _sanctions(designation, target.id):
        yield sanction.entry(line)
