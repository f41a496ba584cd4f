"""Reading the UK Sanctions List (FCDO), in its CSV or its XML, into FtM entities. Pure.

The Foreign, Commonwealth and Development Office publishes one list of every designation
made under the Sanctions and Anti-Money Laundering Act 2018, as CSV and as XML among other
formats (since 28 January 2026 the only UK list: OFSI's Consolidated List closed). Both
carry the same records: a designation has a Unique ID (``RUS0001``), a regime, a type
(Individual, Entity or Ship), its names and the details the FCDO holds.

- The CSV opens with a ``Report Date: ...`` line, then a header row, then one row per
  name: a designation spans consecutive rows sharing its Unique ID, the other columns
  repeated on each. Rows are grouped as they come, one designation held at a time; a row
  whose designation was already given (its rows not consecutive) is refused with its line.
- The XML has a root ``<Designations>`` with a ``<DateGenerated>`` and one
  ``<Designation>`` element each, read as a stream and cleared once read. A DOCTYPE, an
  entity declaration or an external reference is refused.

Each designation gives its target (``Person``, ``Organization`` or ``Vessel``, id
``gb-fcdo-<Unique ID>``) and then its ``Sanction`` (``gb-fcdo-<Unique ID>-sanction``),
both on the line the designation starts. A value FtM refuses is kept in the target's notes
(the Sanction's description) as published. A file that is empty, of another layout, or
cannot be read at all gives one entry marked ``broken``: nothing in it is taken as the
list, so nothing is delisted. ``docs/sanctions/uk.md`` maps every column and element.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from coalition.sanctions.formats.build import Record, broken, clean_text, refused

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

AUTHORITY = "UK Foreign, Commonwealth and Development Office"
SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
ID_PREFIX = "gb-fcdo-"
MAX_LINE_BYTES = 4 * 1024 * 1024  # a longer physical line stops the reading: no row is that long
_HEADER_SEARCH_LINES = 5  # the header row is looked for among the first lines

SCHEMAS = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}


# -- Dates ----------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                       "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_NUMERIC = re.compile(r"^(\d{1,2}|dd|00?)[/.\-](\d{1,2}|mm|00?)[/.\-](\d{4})$", re.IGNORECASE)
_MONTH_NAMED = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")


def _iso(year: int, month: int = 0, day: int = 0) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when there is no such day."""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if not day else f"{year:04d}-{month:02d}-{day:02d}"


def read_date(text: str) -> str | None:
    """A published date as ISO 8601 (``1975``, ``1975-05``, ``1975-05-31``), or None.

    The FCDO writes ``dd/mm/yyyy``, with ``00``, ``dd`` or ``mm`` for an unknown day or
    month. A spreadsheet re-save may give ``yyyy-mm-dd``, ``m/d/yyyy`` or ``13-Feb-2026``.
    Day and month are told apart only when that is certain: the first part over 12 is a
    day, the second over 12 makes the first the month; two zero-padded parts are the
    FCDO's day and month; two unpadded parts both 12 or under that differ are ambiguous
    and give None, as does anything else (``circa 1960``, ``15/08/19yy``, ``05/03/60``).
    """
    text = clean_text(text).lstrip("'")  # a leading quote keeps a spreadsheet from recasting
    if found := _NUMERIC.match(text):
        first, second, year = found.group(1), found.group(2), int(found.group(3))
        day = int(first) if first.isdigit() else 0
        month = int(second) if second.isdigit() else 0
        if not month:
            return _iso(year)  # a day without its month says only the year
        if not day:
            return _iso(year, month) if month <= 12 else None
        if month > 12 and day <= 12:
            day, month = month, day  # month first: m/d/yyyy
        elif day <= 12 and day != month and not (len(first) == 2 and len(second) == 2):
            return None  # 5/3/1960: 5 March or 3 May
        return _iso(year, month, day) if month <= 12 else None
    if found := _MONTH_NAMED.match(text):
        month = _MONTHS.get(found.group(2)[:3].lower(), 0)
        return _iso(int(found.group(3)), month, int(found.group(1))) if month else None
    if found := _ISO.match(text):
        year, month, day = (int(part) if part else 0 for part in found.groups())
        return _iso(year, month, day)
    if found := _MONTH_YEAR.match(text):
        month = int(found.group(1))
        return _iso(int(found.group(2)), month) if 1 <= month <= 12 else None
    return None


# -- One designation, as read from either layout ---------------------------------------------


@dataclass
class Name:
    """One published name: its parts joined, its first and last part, type and strength."""

    full: str
    first: str = ""
    last: str = ""
    kind: str = ""  # Primary Name, Primary Name Variation, Alias
    strength: str = ""  # Good quality a.k.a, Low quality a.k.a


@dataclass
class Designation:
    """What the list says of one Unique ID, gathered from its rows or its element."""

    unique_id: str
    line: int
    values: dict[str, list[str]] = field(default_factory=dict)
    names: list[Name] = field(default_factory=list)
    non_latin: list[tuple[str, str, str]] = field(default_factory=list)  # name, script, language
    addresses: list[tuple[str, str]] = field(default_factory=list)  # full text, country
    passports: list[tuple[str, str]] = field(default_factory=list)  # number, information
    national_ids: list[tuple[str, str]] = field(default_factory=list)
    births: list[tuple[str, str]] = field(default_factory=list)  # town, country
    others: list[tuple[str, str]] = field(default_factory=list)  # unknown column, value

    def put(self, key: str, value: str | None) -> None:
        """Add ``value`` under ``key`` once (blanks ignored)."""
        item = clean_text(value)
        kept = self.values.setdefault(key, [])
        if item and item not in kept:
            kept.append(item)

    def first(self, key: str) -> str:
        """The first value under ``key``, or ''."""
        return next(iter(self.values.get(key, ())), "")

    def add_once(self, found: list[Any], item: Any) -> None:
        """Add ``item`` to ``found`` unless it is there: rows repeat what they share."""
        if item not in found:
            found.append(item)


_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")


def split_values(value: str | None) -> list[str]:
    """The values of a cell holding several: ``a | b``, or numbered ``(1) a (2) b``."""
    text = clean_text(value)
    if not text:
        return []
    parts = _NUMBERED.split(text) if text.startswith("(1)") else text.split("|")
    return [item for item in (clean_text(part).strip(" ;,") for part in parts) if item]


def _address(lines: Iterable[str | None], postcode: str | None, country: str | None) -> str:
    return ", ".join(p for p in (clean_text(x) for x in (*lines, postcode, country)) if p)


# -- Building FtM entities -------------------------------------------------------------------

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


# -- The CSV ---------------------------------------------------------------------------------

# Header cells, lower-cased without spaces, to the key each is read under.
_COLUMNS = {
    "lastupdated": "last_updated",
    "uniqueid": "unique_id",
    "ofsigroupid": "ofsi_group_id",
    "unreferencenumber": "un_reference",
    "nametype": "name_type",
    "aliasstrength": "alias_strength",
    "title": "title",
    "namenon-latinscript": "non_latin",
    "non-latinscripttype": "non_latin_script",
    "non-latinscriptlanguage": "non_latin_language",
    "regimename": "regime",
    "designationtype": "kind",
    "individual,entity,ship": "kind",
    "designationsource": "source",
    "sanctionsimposed": "sanctions_imposed",
    "otherinformation": "other_information",
    "ukstatementofreasons": "statement_of_reasons",
    "addresspostalcode": "postal_code",
    "addresscountry": "address_country",
    "phonenumber": "phone",
    "website": "website",
    "emailaddress": "email",
    "datedesignated": "date_designated",
    "d.o.b": "dob",
    "dob": "dob",
    "nationality(/ies)": "nationality",
    "nationality": "nationality",
    "nationalidentifiernumber": "national_id",
    "nationalidentifieradditionalinformation": "national_id_info",
    "passportnumber": "passport",
    "passportadditionalinformation": "passport_info",
    "position": "position",
    "gender": "gender",
    "townofbirth": "birth_town",
    "countryofbirth": "birth_country",
    "typeofentity": "entity_type",
    "subsidiaries": "subsidiaries",
    "parentcompany": "parent",
    "businessregistrationnumber(s)": "registration",
    "imonumber": "imo",
    "currentowner/operator(s)": "owner",
    "previousowner/operator(s)": "previous_owner",
    "currentbelievedflagofship": "flag",
    "previousflags": "previous_flag",
    "typeofship": "ship_type",
    "tonnageofship": "tonnage",
    "lengthofship": "length",
    "yearbuilt": "year_built",
    "hullidentificationnumber(hin)": "hin",
    **{f"name{i}": f"name{i}" for i in range(1, 7)},
    **{f"addressline{i}": f"address{i}" for i in range(1, 7)},
}
_ROW_FIELDS = (  # keys put on the designation as they are
    "last_updated", "ofsi_group_id", "un_reference", "title", "regime", "kind", "source",
    "sanctions_imposed", "other_information", "statement_of_reasons", "phone", "website",
    "email", "date_designated", "dob", "nationality", "position", "gender", "entity_type",
    "subsidiaries", "parent", "registration", "imo", "owner", "previous_owner", "flag",
    "previous_flag", "ship_type", "tonnage", "length", "year_built", "hin",
)  # fmt: skip
_REPORT_DATE = re.compile(r"^\W*report\s*date\s*[:\-]?\s*([^,;]*)", re.IGNORECASE)


def _column_key(cell: str) -> str:
    return re.sub(r"\s+", "", cell.lstrip("\ufeff").lower())


class _TooLong(Exception):
    """A physical line longer than :data:`MAX_LINE_BYTES`."""


class _Lines:
    """The file's physical lines as text, counted; UTF-8 (a BOM skipped), else Windows-1252."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.number = 0
        self.ended = True  # the last line read ends with a line break

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self.binary.readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise _TooLong
        if self.number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        self.ended = raw.endswith(b"\n")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            # Windows-1252 leaves five bytes undefined: Latin-1 reads those, losing none.
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                return raw.decode("latin-1")


def _csv_head(lines: _Lines) -> tuple[str, list[str], str]:
    """(report date text, lines before and with the header, delimiter); header '' if none."""
    seen: list[str] = []
    report = ""
    for text in itertools.islice(lines, _HEADER_SEARCH_LINES):
        seen.append(text)
        if found := _REPORT_DATE.match(text.strip().strip('"')):
            report = found.group(1)
            continue
        if "unique id" in text.lower():
            delimiter = ";" if text.count(";") > text.count(",") else ","
            report = report.split(delimiter)[0].strip().strip('"')
            return report, seen, delimiter
    return report, seen, ""


def _fill(d: Designation, row: dict[str, str], others: dict[str, str]) -> None:
    """Add one CSV row's values to its designation."""
    for key in _ROW_FIELDS:
        d.put(key, row.get(key))
    parts = [clean_text(row.get(f"name{i}")) for i in range(1, 7)]
    full = " ".join(p for p in parts if p)
    if full:
        d.add_once(
            d.names,
            Name(full, parts[0], parts[5], clean_text(row.get("name_type")),
                 clean_text(row.get("alias_strength"))),
        )  # fmt: skip
    if text := clean_text(row.get("non_latin")):
        script = clean_text(row.get("non_latin_script"))
        d.add_once(d.non_latin, (text, script, clean_text(row.get("non_latin_language"))))
    lines = [row.get(f"address{i}") for i in range(1, 7)]
    country = clean_text(row.get("address_country"))
    if address := _address(lines, row.get("postal_code"), country):
        d.add_once(d.addresses, (address, country))
    for number_key, info_key, found in (
        ("passport", "passport_info", d.passports),
        ("national_id", "national_id_info", d.national_ids),
    ):
        number, info = clean_text(row.get(number_key)), clean_text(row.get(info_key))
        if number or info:
            d.add_once(found, (number, info))
    town, country = clean_text(row.get("birth_town")), clean_text(row.get("birth_country"))
    if town or country:
        d.add_once(d.births, (town, country))
    for label, value in others.items():
        if text := clean_text(value):
            d.add_once(d.others, (label, text))


class _Rows:
    """(first line, cells) of each non-blank row; :meth:`last` looks one row ahead."""

    def __init__(self, reader: Iterator[list[str]], lines: _Lines) -> None:
        self.reader, self.lines = reader, lines
        self.end = lines.number
        self.ahead: tuple[int, list[str]] | None = None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        if self.ahead is not None:
            row, self.ahead = self.ahead, None
            return row
        for cells in self.reader:
            start, self.end = self.end + 1, self.lines.number
            if any(cell.strip() for cell in cells):
                return start, cells
        raise StopIteration

    def last(self) -> bool:
        """Whether the row just given is the file's last."""
        if self.ahead is None:
            self.ahead = next(self, None)
        return self.ahead is None


def _not_read(current: Designation | None) -> str:
    if current is None:
        return ""
    return f"; designation {current.unique_id} (from line {current.line}) is not read"


NO_DESIGNATION = (
    "the file holds no designation: not taken as the list, which would leave nothing listed"
)


def _read_csv(binary: IO[bytes]) -> Iterator[Entry]:
    lines = _Lines(binary)
    current: Designation | None = None  # the designation whose rows are being gathered
    given: dict[str, int] = {}  # Unique IDs already given, with their first line
    try:
        _, head, delimiter = _csv_head(lines)
        if not delimiter:
            yield broken(1, _not_uk(b"".join(t.encode() for t in head[:2])))
            return
        reader = csv.reader(itertools.chain(head[-1:], lines), delimiter=delimiter)
        header = next(reader)
        keys = [_COLUMNS.get(_column_key(cell), "") for cell in header]
        labels = [clean_text(cell) for cell in header]
        if lacking := [k for k in ("unique_id", "kind", "name6") if k not in keys]:
            named = {"unique_id": "Unique ID", "kind": "Designation Type", "name6": "Name 6"}
            yield broken(
                lines.number,
                "not the UK Sanctions List: its header lacks "
                + ", ".join(repr(named[k]) for k in lacking),
            )
            return
        rows = _Rows(reader, lines)
        for start, cells in rows:
            row = {k: c for k, c in zip(keys, cells, strict=False) if k}
            unique_id = clean_text(row.get("unique_id"))
            if len(cells) < len(header) and rows.last():
                # A short last row is where the file breaks off (mid-row, or inside a
                # quoted cell). The designation it may belong to could lack rows.
                if current is not None and unique_id not in ("", current.unique_id):
                    yield from entries_of(current)
                    current = None
                yield broken(
                    start, f"the file breaks off mid-row at line {start}" + _not_read(current)
                )
                return
            if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
                yield refused(start, f"row has {len(cells)} cells, the header {len(header)}")
                continue
            if not unique_id:
                yield refused(start, "row has no Unique ID: not read")
                continue
            others = {labels[i]: cells[i] for i, k in enumerate(keys) if not k}
            if current is not None and unique_id == current.unique_id:
                _fill(current, row, others)
                continue
            if current is not None:
                yield from entries_of(current)
                given[current.unique_id] = current.line
                current = None
            if unique_id in given:
                yield refused(
                    start,
                    f"row of designation {unique_id} is apart from its other rows (from "
                    f"line {given[unique_id]}, already read): a designation's rows come one "
                    "after another; this row is not read",
                )
                continue
            current = Designation(unique_id, start)
            _fill(current, row, others)
        if current is not None:
            yield from entries_of(current)
            given[current.unique_id] = current.line
        if not given:
            yield broken(lines.number, NO_DESIGNATION)
    except _TooLong:
        yield broken(
            lines.number,
            f"line {lines.number} is longer than {MAX_LINE_BYTES:,} bytes: nothing from it "
            "is read" + _not_read(current),
        )
    except csv.Error as exc:
        yield broken(
            lines.number,
            f"the CSV cannot be read at line {lines.number} ({exc}): nothing from it is read"
            + _not_read(current),
        )


# -- The XML ---------------------------------------------------------------------------------


class _XmlSource:
    """The stream read a line at a time, so that each designation knows its line."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.line = 0  # the line the last piece read starts on
        self._next = 1

    def read(self, size: int = -1) -> bytes:
        piece = self.binary.readline(size if size > 0 else -1)
        self.line = self._next
        self._next += piece.count(b"\n")
        return piece


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


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
        each.tag = _local(each.tag)
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
        if address := _address(lines, place.findtext("AddressPostalCode"), country):
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


def _read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    source = _XmlSource(binary)
    root: Element | None = None
    depth = 0
    starts: list[int] = []
    given: dict[str, int] = {}
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            tag = _local(element.tag)
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
    except DefusedXmlException as exc:
        yield broken(
            max(source.line, 1),
            f"the XML declares a document type, an entity or an external reference "
            f"({type(exc).__name__}): refused, nothing after it is read",
        )
    except (LookupError, UnicodeError) as exc:
        yield broken(
            max(source.line, 1),
            f"the XML cannot be decoded ({exc}): nothing after line {max(source.line, 1)} is read",
        )
    except ParseError as exc:
        line, column = exc.position
        yield broken(line, f"the XML breaks off or is malformed at line {line}, column "
                           f"{column + 1}: nothing after it is read")  # fmt: skip


# -- Entry points ----------------------------------------------------------------------------


def _start(head: bytes) -> bytes:
    """The head past its byte-order mark and leading blanks, as UTF-8 (UTF-16 decoded)."""
    for mark, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(mark):
            head = head[len(mark) :].decode(codec, "ignore").encode()
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _xml_root(head: bytes) -> str:
    """The first element's name in an XML head, past its declaration and comments."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", _start(head), flags=re.DOTALL).lstrip()
    found = _XML_ROOT.match(text)
    return found.group(2).decode() if found else ""


def _not_uk(head: bytes) -> str:
    """Why a file starting with ``head`` is not the list, naming what it looks like."""
    start = _start(head)
    expected = (
        "expected the UK Sanctions List: a CSV with a 'Report Date' line and a header "
        "naming 'Unique ID', or XML with the root <Designations>"
    )
    if not start:
        return "the file is empty: " + expected
    first = start.split(b"\n", 1)[0]
    if start.startswith(b"{"):
        return f"a JSON file (FollowTheMoney entities?), {expected}"
    if b"Entity_LogicalId" in first or b"fileGenerationDate" in first:
        return f"the EU Financial Sanctions File (CSV), {expected}"
    if re.match(rb'^"?\d+"?,', first):
        return f"a CSV without a header (US OFAC's sdn.csv?), {expected}"
    shown = first[:60].decode("utf-8", "replace").strip()
    return f"it starts {shown!r}: {expected}"


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is the UK Sanctions List, CSV or XML."""
    start = _start(head)
    if start.startswith(b"<"):
        return _xml_root(head) == "Designations"
    lines = start[:8192].decode("utf-8", "replace").lower().splitlines()[:_HEADER_SEARCH_LINES]
    for text in lines:
        if "unique id" in text:
            return "regime name" in text or "name 6" in text
    return False


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """Each designation's target then its Sanction, streaming, from either layout."""
    head = binary.read(4096)
    binary.seek(0)
    start = _start(head)
    if not start:
        yield broken(1, _not_uk(head))
    elif start.startswith(b"<"):
        yield from _read_xml(binary)
    else:
        yield from _read_csv(binary)


def published(binary: IO[bytes]) -> dt.date | None:
    """The day the file says it was generated: the CSV's Report Date, the XML's
    DateGenerated; None when it says none that can be read."""
    head = binary.read(4096)
    binary.seek(0)
    if _start(head).startswith(b"<"):
        return _xml_generated(binary)
    report, _, delimiter = _csv_head(_Lines(binary))
    value = read_date(report) if delimiter or report else None
    return dt.date.fromisoformat(value) if value and len(value) == 10 else None


def _xml_generated(binary: IO[bytes]) -> dt.date | None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _, element in iterparse(_XmlSource(binary), events=("end",), forbid_dtd=True):
            tag = _local(element.tag)
            if tag in ("DateGenerated", "DatePublished", "PublicationDate"):
                value = read_date(clean_text(element.text))
                return dt.date.fromisoformat(value) if value and len(value) == 10 else None
            if tag == "Designation":
                return None
    except (DefusedXmlException, ParseError, LookupError, UnicodeError):
        return None
    return None
