"""Reading the EU Financial Sanctions File (FSF), XML or CSV, into FtM entities. Pure.

The European Commission publishes the consolidated list of persons, groups and entities
subject to EU financial sanctions as a full XML export (root ``export``, one
``sanctionEntity`` per designation, in the namespace ``http://eu.europa.ec/fpi/fsd/export``)
and as a ``;``-separated CSV holding one row per part of a designation (a name alias, an
address, a birth date, an identification, a citizenship), the rows of one designation
consecutive. :func:`read` takes either, deciding from the first bytes, and reads each
designation into one :class:`Designation`; :func:`designation_entries` then gives the
target (``Person``, ``Organization``, or ``Vessel``, id ``eu-fsf-<logicalId>``) and one
``Sanction`` per regulation it was listed under. ``docs/sanctions/eu.md`` maps every
element, attribute and column read to its FtM property.

The XML is streamed with defusedxml (no DTD, no entity, no external reference is ever
expanded: a file declaring one is refused) and each designation is dropped once read, so
memory stays flat however long the file. The CSV is streamed row by row, holding one
designation's rows at a time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import Record, broken, clean_text, refused

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
ID_PREFIX = "eu-fsf"
AUTHORITY = "European Union"
MAX_ROW_BYTES = 1024 * 1024  # a longer CSV line is refused, never held whole
_XML_CHUNK = 64 * 1024
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
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

# CSV column prefix -> the list of a designation's parts that its values describe.
CSV_PARTS = {
    "NameAlias": "names",
    "Address": "addresses",
    "BirthDate": "birthdates",
    "Identification": "identifications",
    "Citizenship": "citizenships",
}
# CSV column names whose XML attribute is not the column's suffix with a lower first letter.
CSV_KEYS = {
    "Entity_EU_ReferenceNumber": "euReferenceNumber",
    "Entity_SubjectType": "code",
    "Entity_SubjectType_ClassificationCode": "classificationCode",
    "Entity_Regulation_Type": "regulationType",
    "BirthDate_BirthDate": "birthdate",
    "BirthDate_Day": "dayOfMonth",
    "BirthDate_Month": "monthOfYear",
    "Identification_TypeCode": "identificationTypeCode",
    "Identification_TypeDescription": "identificationTypeDescription",
    "Identification_IssuedDate": "issueDate",
}
_DATE_KEYS = {
    "designationDate",
    "publicationDate",
    "entryIntoForceDate",
    "birthdate",
    "validFrom",
    "validTo",
    "issueDate",
}
_PART_IGNORED = {"logicalId", "regulationLanguage"}  # not content: a part is not made of them


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


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _parts_of(values: dict[str, str], *keys: str) -> list[str]:
    return [values[key] for key in keys if values.get(key)]


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


# -- from a designation to FtM entities ---------------------------------------------------


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
            _parts_of(alias, "firstName", "middleName", "lastName")
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
        place = ", ".join(_parts_of(birth, "place", "city", "zipCode", "region"))
        _put(record, "birthPlace", place, "Place of birth")
        _put(record, "birthCountry", _country(birth), "Country of birth")
        if birth.get("remark"):
            record.add("notes", f"Birth: {birth['remark']}")


def _add_identifications(record: Record, identifications: list[dict[str, str]]) -> None:
    for ident in identifications:
        code = ident.get("identificationTypeCode", "").lower()
        described = ident.get("identificationTypeDescription") or code or "Identification"
        numbers = _parts_of(ident, "number", "latinNumber")
        prop = IDENTIFICATION_PROPS.get(code, "")
        if prop not in record.proxy.schema.properties:
            prop = "idNumber" if "idNumber" in record.proxy.schema.properties else ""
        said = " ".join(_parts_of(ident, "remark", "identificationTypeDescription"))
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
            _parts_of(address, "street")
            + ([post_box] if post_box else [])
            + _parts_of(address, "zipCode", "city", "place", "region")
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
        kind = " ".join(_parts_of(regulation, "organisationType", "regulationType"))
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


# -- XML -----------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attributes(element: Element) -> dict[str, str]:
    values = {_local(k): clean_text(v) for k, v in element.attrib.items()}
    return {k: iso_date(v) if k in _DATE_KEYS else v for k, v in values.items() if v}


class _CountedReader:
    """The stream read a line at a time, counting lines, so that what the parser reports
    after a read is known to be on :attr:`line`."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.line = 1  # the line the last chunk read starts on
        self._next = 1

    def read(self, size: int = -1) -> bytes:
        chunk = self.binary.readline(min(size, _XML_CHUNK) if size > 0 else _XML_CHUNK)
        self.line = self._next
        self._next += chunk.count(b"\n")
        return chunk


def _designation_xml(element: Element, line: int) -> Designation:
    entity = _attributes(element)
    designation = Designation(line, entity.get("logicalId", ""))
    for key, value in entity.items():
        designation.put(key, value)
    for child in element:
        name, values = _local(child.tag), _attributes(child)
        remarks = [clean_text(c.text) for c in child if _local(c.tag) == "remark" and c.text]
        if remarks:
            values["remark"] = " ".join(remarks)
        if name == "remark":
            designation.put("remark", clean_text(child.text))
        elif name == "subjectType":
            designation.subject += _parts_of(values, "code", "classificationCode")
        elif name == "regulation":
            for sub in child:
                if _local(sub.tag) == "publicationUrl" and sub.text:
                    values["publicationUrl"] = clean_text(sub.text)
            designation.regulations.append(values)
        elif name == "address":
            for sub in child:
                if _local(sub.tag) == "contactInfo" and sub.get("key"):
                    key = f"contact:{sub.get('key')}"
                    joined = ", ".join([*_parts_of(values, key), clean_text(sub.get("value"))])
                    values[key] = joined
            designation.addresses.append(values)
        elif name in ("nameAlias", "citizenship", "birthdate", "identification"):
            kind = {"nameAlias": "names", "birthdate": "birthdates"}.get(name, name + "s")
            getattr(designation, kind).append(values)
    return designation


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """Each ``sanctionEntity`` of an FSF XML export as entries, streaming."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    reader = _CountedReader(binary)
    root: Element | None = None
    depth, start = 0, 0
    try:
        for event, element in iterparse(reader, events=("start", "end"), forbid_dtd=True):
            name = _local(element.tag)
            depth += 1 if event == "start" else -1
            if root is None:
                if name != "export":
                    yield broken(reader.line, _not_fsf(f"its root element is <{name}>"))
                    return
                root = element
            elif event == "start" and depth == 2:
                start = reader.line
            elif event == "end" and depth == 1:  # a child of the root, read whole
                if name == "sanctionEntity":
                    yield from designation_entries(_designation_xml(element, start))
                root.remove(element)  # dropped once read: memory stays flat
    except ParseError as exc:
        line = exc.position[0] if exc.position else reader.line
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            yield broken(line, f"the file breaks off: {exc}")
        else:
            yield broken(line, f"not well-formed XML: {exc}")
    except DefusedXmlException as exc:
        yield broken(
            reader.line,
            f"refused: the file declares a DTD or entities ({type(exc).__name__}); "
            "the FSF export has none, and none is expanded",
        )


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day of the export's ``generationDate``, from its root element."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _event, element in iterparse(binary, events=("start",), forbid_dtd=True):
            if _local(element.tag) != "export":
                return None
            return _day(element.get("generationDate", ""))
    except (ParseError, DefusedXmlException):
        return None
    return None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso_date(text)[:10])
    except ValueError:
        return None


# -- CSV -----------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int  # the line the row starts on
    values: list[str]
    problem: str = ""  # why the row cannot be read, if it cannot
    cut: bool = False  # the file breaks off in this row


def _text_lines(binary: IO[bytes], problems: dict[int, str]) -> Iterator[str]:
    """Each line of ``binary`` as text (UTF-8, a BOM dropped), noting in ``problems``
    a line that is not UTF-8 or is too long, by its number."""
    number = 0
    while True:
        chunk = binary.readline(MAX_ROW_BYTES + 1)
        if not chunk:
            return
        number += 1
        if number == 1:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
        if len(chunk) > MAX_ROW_BYTES:
            problems[number] = f"line longer than {MAX_ROW_BYTES:,} bytes"
            while chunk and not chunk.endswith(b"\n"):
                chunk = binary.readline(MAX_ROW_BYTES)
            yield "\n"
            continue
        try:
            yield chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems[number] = (
                f"not UTF-8 text (byte 0x{chunk[exc.start]:02X} at column {exc.start + 1}); "
                "the FSF CSV is UTF-8, and the encoding of a re-saved copy is not guessed"
            )
            yield chunk.decode("utf-8", errors="replace")


def _delimiter(header: str) -> str:
    """The separator of a header row: ';' as published, or ',' or a tab from a re-save
    (no column name holds any of them, so the one splitting it most is the one)."""
    counts = {sep: len(header.split(sep)) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _csv_rows(binary: IO[bytes]) -> tuple[list[str], str, Iterator[_Row]]:
    """The header row, its separator, and the rows after it."""
    problems: dict[int, str] = {}
    lines = _text_lines(binary, problems)
    first = next(lines, "")
    sep = _delimiter(first)
    header = [clean_text(name) for name in next(csv.reader([first], delimiter=sep), [])]
    return header, sep, _rows(lines, sep, len(header), problems)


def _rows(lines: Iterator[str], sep: str, width: int, problems: dict[int, str]) -> Iterator[_Row]:
    ended = True

    def tracked() -> Iterator[str]:
        nonlocal ended
        for text in lines:
            ended = text.endswith("\n")
            yield text

    reader = csv.reader(tracked(), delimiter=sep)
    last, held = 1, None
    try:
        for values in reader:
            start, last = last + 1, reader.line_num + 1
            if held is not None:
                yield held
            problem = next((problems[n] for n in range(start, last + 1) if n in problems), "")
            held = _Row(start, values, problem)
    except csv.Error as exc:  # a field past the csv module's limit
        if held is not None:
            yield held
        yield _Row(last + 1, [], f"unreadable row: {exc}", cut=True)
        return
    if held is not None:
        if not ended and len(held.values) < width:
            # The last line has no end and the row too few fields: the file is cut.
            held.cut = True
            held.problem = (
                f"the file breaks off mid-row ({len(held.values)} of {width} fields read)"
            )
        yield held


def _column_keys(header: list[str]) -> list[tuple[str, str]]:
    """(part, key) for each column: part 'entity', 'regulation', a list of parts, or ''."""
    keys = []
    for column in header:
        prefix, _, rest = column.partition("_")
        key = CSV_KEYS.get(column) or (rest[:1].lower() + rest[1:])
        if prefix == "Entity" and rest.startswith("Regulation_"):
            key = CSV_KEYS.get(column) or rest[11:12].lower() + rest[12:]
            keys.append(("regulations", key))
        elif prefix == "Entity":
            keys.append(("entity", key))
        elif prefix in CSV_PARTS and "Regulation" not in rest:
            keys.append((CSV_PARTS[prefix], key))
        else:
            keys.append(("", ""))
    return keys


def _add_row(designation: Designation, keys: list[tuple[str, str]], row: _Row) -> None:
    parts: dict[str, dict[str, str]] = {}
    for (part, key), raw in zip(keys, row.values, strict=False):
        value = clean_text(raw)
        if not part or not value:
            continue
        if key in _DATE_KEYS:
            value = iso_date(value)
        if part == "entity":
            if key in ("code", "classificationCode"):
                if value not in designation.subject:
                    designation.subject.append(value)
            elif key != "logicalId":
                designation.put(key, value)
        else:
            parts.setdefault(part, {})[key] = value
    for part, values in parts.items():
        if part != "regulations" and not set(values) - _PART_IGNORED:
            continue
        held: list[dict[str, str]] = getattr(designation, part)
        if values not in held:  # a part repeats on every row it is joined with
            held.append(values)


def read_csv(binary: IO[bytes]) -> Iterator[Entry]:
    """Each designation of an FSF CSV export as entries, grouping its consecutive rows."""
    header, sep, rows = _csv_rows(binary)
    if "Entity_LogicalId" not in header:
        yield broken(1, _not_fsf(f"its first line is {_describe(sep.join(header))}"))
        return
    keys = _column_keys(header)
    at = header.index("Entity_LogicalId")
    done: dict[str, int] = {}  # logicalId -> the last line of its rows, once read
    group: Designation | None = None
    problem, last_line = "", 1
    for row in rows:
        logical_id = clean_text(row.values[at]) if len(row.values) > at else ""
        if group is not None and logical_id != group.logical_id:
            yield from _close(group, problem, last_line, done)
            group, problem = None, ""
        if row.cut:
            unread = f"; designation {logical_id} is not read" if logical_id else ""
            yield broken(row.line, row.problem + unread)
            return
        if not any(value.strip() for value in row.values):
            continue
        if len(row.values) != len(header) and not row.problem:
            row.problem = f"{len(row.values)} fields where the header has {len(header)}"
        if group is None:
            group = Designation(row.line, logical_id)
        if row.problem and not problem:
            problem = f"line {row.line}: {row.problem}"
        _add_row(group, keys, row)
        last_line = row.line
    if group is not None:
        yield from _close(group, problem, last_line, done)


def _close(group: Designation, problem: str, last: int, done: dict[str, int]) -> Iterator[Entry]:
    """The entries of a designation whose rows are all read."""
    span = f"lines {group.line}-{last}" if last > group.line else f"line {group.line}"
    if group.logical_id in done:
        yield refused(
            group.line,
            f"designation {group.logical_id} ({span}): its rows already ended at line "
            f"{done[group.logical_id]}; a designation's rows must be consecutive",
        )
        return
    done[group.logical_id] = last
    if problem:
        yield refused(group.line, f"designation {group.logical_id} ({span}) refused: {problem}")
        return
    yield from designation_entries(group)


def published_csv(binary: IO[bytes]) -> dt.date | None:
    """The day in the ``fileGenerationDate`` column of the first row, if there is one."""
    header, _sep, rows = _csv_rows(binary)
    if "fileGenerationDate" not in header:
        return None
    at = header.index("fileGenerationDate")
    row = next(rows, None)
    return _day(row.values[at]) if row is not None and len(row.values) > at else None


# -- the layout's entry points --------------------------------------------------------------


def _start(head: bytes) -> bytes:
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def _describe(line: str) -> str:
    text = clean_text(line)
    if text.startswith("{"):
        return "JSON (FollowTheMoney entities?)"
    return repr(text if len(text) <= 60 else text[:60] + "…")


def _not_fsf(what: str) -> str:
    return (
        f"not the EU Financial Sanctions File: {what}; expected the FSF XML export "
        "(root <export>, namespace " + NAMESPACE + ") or its CSV (a header row naming "
        "Entity_LogicalId)"
    )


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of an FSF file, XML or CSV as its first bytes say."""
    head = binary.read(1024)
    binary.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield broken(1, "the file is UTF-16 text: the FSF is published in UTF-8")
    elif not _start(head):
        yield broken(1, "the file is empty")
    elif _start(head).startswith(b"<"):
        yield from read_xml(binary)
    else:
        yield from read_csv(binary)


def published(binary: IO[bytes]) -> dt.date | None:
    """The day the file was generated: XML ``generationDate``, CSV ``fileGenerationDate``."""
    head = binary.read(1024)
    binary.seek(0)
    if _start(head).startswith(b"<"):
        return published_xml(binary)
    return published_csv(binary) if _start(head) else None


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an FSF XML export or FSF CSV."""
    start = _start(head)
    if start.startswith(b"<"):
        if not re.search(rb"<(?:[\w.-]+:)?export[\s>]", start):
            return False
        entity = re.search(rb"<(?:[\w.-]+:)?sanctionEntity[\s>]", start)
        return NAMESPACE.encode() in start or entity is not None
    first = start.split(b"\n", 1)[0]
    return b"Entity_LogicalId" in first and (
        b"NameAlias_WholeName" in first or b"Entity_EU_ReferenceNumber" in first
    )
