"""The US OFAC SDN list in its legacy files: the CSV set and SDN.XML, read into FtM. Pure.

OFAC publishes the Specially Designated Nationals list in "legacy" files beside its
advanced XML. :func:`read_csv` reads the comma-separated set: ``sdn.csv`` (one row per
listing, no header row), either alone or in a zip archive with ``add.csv`` (addresses),
``alt.csv`` (alternate names) and ``sdn_comments.csv`` (remarks running past the
1,000 characters of ``sdn.csv``). :func:`read_xml` reads ``SDN.XML`` (root ``sdnList``,
one ``sdnEntry`` per listing), streaming, under any namespace. Both give, per listing,
the target (Person, LegalEntity, Vessel or Airplane, id ``ofac-<ent_num>``) and then one
``Sanction`` (id ``ofac-<ent_num>-sanction``).

The facts OFAC writes as ``;``-separated remarks in the CSV ("DOB 07 Oct 1952; Passport
123456 (Russia)") and as ``idList`` items in the XML share one vocabulary of labels,
mapped once in :data:`LABELS`; a fact whose property the target's schema lacks is kept in
``notes`` under its label, and the CSV's whole remarks are kept in ``notes`` too. A file
that is not what its reader expects (another layout, an empty file, a damaged or
oversized zip) gives one entry marked ``broken``, so that it never passes for an empty
list. See docs/sanctions/ofac.md for the layouts and the mapping.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from coalition.sanctions.formats.build import Record, broken, clean_text, refused

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

AUTHORITY = "US Treasury, Office of Foreign Assets Control"
SOURCE_URL = (
    "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-"
    "sdn-human-readable-lists"
)
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # a zip member larger than this, uncompressed, is refused
MAX_RATIO = 100  # a zip member that inflates more than this many times is refused
_RATIO_FLOOR = 1024 * 1024  # ... when it is larger than this: tiny files inflate oddly
MAX_LINE_CHARS = 1024 * 1024  # a longer line of a CSV file is refused, never held whole
_CHUNK = 1024 * 1024

SCHEMAS = {
    "individual": "Person",
    "entity": "LegalEntity",
    "": "LegalEntity",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
SIDE_FILES = {"add.csv": 6, "alt.csv": 5, "sdn_comments.csv": 2}  # name: columns

# What each label OFAC puts before a value (in CSV remarks; as ``idType`` in the XML)
# says, as the FtM property it fills. A label is matched case-insensitively, with or
# without "alt." before it; the longest label that starts a remark wins.
LABELS: dict[str, str] = {
    "DOB": "birthDate",
    "POB": "birthPlace",
    "nationality": "nationality",
    "citizen": "citizenship",
    "Gender": "gender",
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Identification Number": "idNumber",
    "Cedula No.": "idNumber",
    "C.U.R.P.": "idNumber",
    "Personal ID Card": "idNumber",
    "Residency Number": "idNumber",
    "SSN": "socialSecurityNumber",
    "Tax ID No.": "taxNumber",
    "Tax Identification Number": "taxNumber",
    "R.F.C.": "taxNumber",
    "NIT #": "taxNumber",
    "Italian Fiscal Code": "taxNumber",
    "VAT Number": "vatCode",
    "INN": "innCode",
    "OGRN": "ogrnCode",
    "Registration Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Number": "registrationNumber",
    "Enterprise Number": "registrationNumber",
    "Certificate of Incorporation Number": "registrationNumber",
    "Public Registration Number": "registrationNumber",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "Trade License No.": "registrationNumber",
    "Legal Entity Number": "leiCode",
    "D-U-N-S Number": "dunsCode",
    "SWIFT/BIC": "swiftBic",
    "Email Address": "email",
    "Website": "website",
    "Phone Number": "phone",
    "Organization Established Date": "incorporationDate",
    "Nationality of Registration": "country",
    "Vessel Registration Identification": "imoNumber",
    "MMSI": "mmsi",
    "Vessel Year of Build": "buildDate",
    "Other Vessel Flag": "pastFlags",
    "Former Vessel Flag": "pastFlags",
    "Other Vessel Type": "pastTypes",
    "Other Vessel Call Sign": "callSign",
    "Aircraft Model": "model",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "serialNumber",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacture Date": "buildDate",
    "a.k.a.": "alias",
    "f.k.a.": "previousName",
    "n.k.a.": "alias",
}
# Labels of facts about the designation rather than the target: the Sanction's provisions.
PROVISION_LABELS = (
    "Additional Sanctions Information -",
    "Secondary sanctions risk:",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
    "Executive Order",
    "IFCA Determination -",
    "CAATSA Section 235 Information:",
    "PEESA Information:",
    "Listing Date",
    "Effective Date",
)
_PROVISION_STARTS = tuple(label.casefold() for label in PROVISION_LABELS)
_IDENTIFIERS = {  # properties whose remark may go on "(Country) issued <date> expires <date>"
    "passportNumber",
    "idNumber",
    "socialSecurityNumber",
    "taxNumber",
    "vatCode",
    "innCode",
    "ogrnCode",
    "registrationNumber",
    "leiCode",
    "dunsCode",
}
_LABELS_LONGEST = sorted(LABELS, key=len, reverse=True)
_LABELS_FOLDED = {label.casefold(): prop for label, prop in LABELS.items()}
_IDENTIFIER_TAIL = re.compile(
    r"^(?P<number>.*?)(?:\s+\((?P<country>[^()]*)\))?"
    r"(?:\s+issued\s+(?P<issued>.+?))?(?:\s+expires\s+(?P<expires>.+))?$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"^'(.*)'$")
_PROGRAMS = re.compile(r"\]\s*\[|;")
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


def programs(cell: str) -> list[str]:
    """The program codes of a Program cell: ``UKRAINE-EO13660] [RUSSIA-EO14024`` holds two."""
    codes = (clean_text(code.strip("[] ")) for code in _PROGRAMS.split(cell))
    return [code for code in codes if code]


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
        prop = _LABELS_FOLDED.get(clean_text(kind).casefold(), "alias")
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
        if label.casefold().startswith(_PROVISION_STARTS):
            self.provision(f"{label} {value}")
            return True
        prop = _LABELS_FOLDED.get(label.casefold())
        if prop is None:
            return False
        if prop in ("alias", "previousName"):
            quoted = _QUOTED.match(value)
            self.also_named(label, quoted.group(1) if quoted else value, weak=True)
            return True
        if prop == "imoNumber" and not value.upper().startswith("IMO"):
            prop = "registrationNumber"  # a vessel's registration that is no IMO number
        self.put(prop, value, label)
        if prop in _IDENTIFIERS:
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
            if body.casefold().startswith(_PROVISION_STARTS):
                self.provision(body)
                continue
            label = next(
                (
                    found
                    for found in _LABELS_LONGEST
                    if body.casefold().startswith(found.casefold() + " ")
                    or body.casefold().startswith(found.casefold() + ":")
                ),
                None,
            )
            if label is None:
                continue
            value = body[len(label) :].lstrip(": ")
            if LABELS[label] in _IDENTIFIERS:
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


# -- CSV -------------------------------------------------------------------------------


def _cell(value: str) -> str:
    """A CSV cell as text: ``-0-``, OFAC's empty value, as ''."""
    value = value.replace("\x1a", "").strip()
    return "" if value == "-0-" else value


def _encoding(binary: IO[bytes]) -> str:
    """The encoding of the rest of ``binary`` (UTF-8, else Windows-1252), rewound after."""
    start = binary.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(_CHUNK):
            decoder.decode(chunk)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        binary.seek(start)
    return "utf-8-sig"  # a file cut mid-character stays UTF-8: its last row is broken


class _Lines:
    """The lines of a text file for :mod:`csv`, counted, each over
    :data:`MAX_LINE_CHARS` replaced by a blank line and noted."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.number = 0
        self.ended = True  # the last line read ended with a line break
        self.done = False  # the file's end was reached
        self.taken: list[str] = []  # the lines read since :meth:`row_start`
        self.too_long: list[int] = []

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.text.readline(MAX_LINE_CHARS + 1)
            if not line:
                self.done = True
                return
            self.number += 1
            if len(line) > MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                while line and not line.endswith(("\n", "\r")):
                    line = self.text.readline(MAX_LINE_CHARS)
                self.too_long.append(self.number)
                line = "\n"
            self.ended = line.endswith(("\n", "\r"))
            self.taken.append(line)
            yield line

    def row_start(self) -> int:
        self.taken = []
        return self.number + 1


@dataclass(frozen=True)
class _Row:
    line: int
    cells: list[str]
    problem: str = ""
    cut: bool = False  # the file breaks off in this row
    raw: tuple[str, ...] = ()  # the cells as written, spaces and all


def _rows(binary: IO[bytes], name: str, columns: int) -> Iterator[_Row]:
    """The rows of the CSV file ``binary`` named ``name``, each of ``columns`` cells or
    with the problem it has; a last row cut off is marked so and ends the rows."""
    text = io.TextIOWrapper(binary, encoding=_encoding(binary), errors="replace", newline="")
    try:
        lines = _Lines(text)
        reader = csv.reader(lines)
        while True:
            start = lines.row_start()
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield _Row(start, [], f"{name} line {start}: not CSV ({exc})")
                continue
            if lines.too_long and lines.too_long[-1] >= start:
                lines.too_long.clear()
                yield _Row(
                    start, [], f"{name} line {start}: longer than {MAX_LINE_CHARS:,} characters"
                )
                continue
            cells = [_cell(value) for value in raw]
            if not any(cells):
                continue  # a blank line, or the control-Z old files end with
            # A quoted cell left open runs to the end of the file: the file was cut in it.
            unclosed = lines.done and "".join(lines.taken).count('"') % 2 == 1
            if unclosed or (not lines.ended and len(cells) != columns):
                yield _Row(start, cells, f"{name} breaks off in the row of line {start}", True)
                return
            if len(cells) != columns:
                yield _Row(
                    start,
                    cells,
                    f"{name} line {start}: {len(cells)} columns, expected {columns}",
                )
                continue
            yield _Row(start, cells, raw=tuple(raw))
    finally:
        text.detach()  # the stream is the caller's, not closed with the wrapper


@dataclass
class _SideFiles:
    """What ``add.csv``, ``alt.csv`` and ``sdn_comments.csv`` say, by ent_num."""

    addresses: dict[str, list[list[str]]] = field(default_factory=dict)
    names: dict[str, list[list[str]]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)

    def read(self, name: str, binary: IO[bytes]) -> Iterator[Entry]:
        """Take in the side file ``name``; a refusal for each row that cannot be read, and
        a break when the file does."""
        held = {"add.csv": self.addresses, "alt.csv": self.names}
        for row in _rows(binary, name, SIDE_FILES[name]):
            if row.cut:
                yield broken(0, row.problem)
                return
            if row.problem:
                yield refused(0, row.problem)
                continue
            ent_num = row.cells[0]
            if name == "sdn_comments.csv":
                self.comments.setdefault(ent_num, []).append(row.raw[1])
            else:
                held[name].setdefault(ent_num, []).append(row.cells)

    def unclaimed(self, listed: set[str]) -> Iterator[Entry]:
        """A refusal for each side file's rows that name an ent_num sdn.csv lacks."""
        for name, rows in (
            ("add.csv", self.addresses),
            ("alt.csv", self.names),
            ("sdn_comments.csv", self.comments),
        ):
            missing = sorted(set(rows) - listed)
            if missing:
                shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
                yield refused(0, f"{name}: rows of {len(missing)} ent_num not in sdn.csv ({shown})")


def _listing_from_row(row: _Row, side: _SideFiles) -> Listing | str:
    """The listing one sdn.csv row describes, or why it cannot be read."""
    ent_num, name, kind, program, title, call_sign = row.cells[:6]
    vessel_type, tonnage, grt, flag, owner, remarks = row.cells[6:]
    if not ent_num.isdigit():
        return f"ent_num {ent_num!r} is not a number"
    schema = SCHEMAS.get(kind.casefold())
    if schema is None:
        return f"SDN_Type {kind!r} is none of individual, vessel, aircraft or blank (entity)"
    listing = Listing.start(ent_num, schema)
    if name:
        listing.named(name)
    for code in programs(program):
        listing.program(code)
    if title:
        listing.put("position", title, "Title")
    listing.put("callSign", call_sign, "Call sign")
    listing.put("type", vessel_type, "Vessel type")
    listing.put("tonnage", tonnage, "Tonnage")
    listing.put("grossRegisteredTonnage", grt, "Gross registered tonnage")
    listing.put("flag", flag, "Vessel flag")
    if owner:
        listing.note(f"Vessel owner: {owner}")
    if ent_num in side.comments:
        # The remarks sdn.csv cuts at its 1,000 characters go on, mid-word or after a
        # space, in sdn_comments.csv: joined as written, spaces kept.
        remarks = (row.raw[11] if remarks else "") + "".join(side.comments[ent_num])
    listing.remarks(remarks)
    for _ent, _num, kind_of, alt_name, alt_remarks in side.names.get(ent_num, ()):
        if schema == "Person":
            first, last = person_name(alt_name)
            alt_name = f"{first} {last}".strip()
        listing.also_named(kind_of or "a.k.a.", alt_name)
        if alt_remarks:
            listing.note(f"Remarks on the name {alt_name}: {alt_remarks}")
    for _ent, _num, street, city, country, add_remarks in side.addresses.get(ent_num, ()):
        full = ", ".join(part for part in (street, city, country) if part)
        listing.put("address", full, "Address")
        listing.put("country", country, "Country")
        if add_remarks:
            listing.note(f"Remarks on the address {full}: {add_remarks}")
    return listing


def _members(archive: zipfile.ZipFile) -> tuple[dict[str, zipfile.ZipInfo], str]:
    """The OFAC CSV files of ``archive`` by lower-case name, or why it cannot be read."""
    found: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = info.filename.replace("\\", "/").rsplit("/", 1)[-1].casefold()
        if info.is_dir() or (name != "sdn.csv" and name not in SIDE_FILES):
            continue
        if name in found:
            return {}, f"the zip holds two files named {name}"
        if info.file_size > MAX_MEMBER_BYTES:
            return {}, (
                f"{info.filename} would be {info.file_size:,} bytes unpacked, over "
                f"{MAX_MEMBER_BYTES:,}: refused"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            return {}, (
                f"{info.filename} would unpack {info.file_size // max(info.compress_size, 1):,}"
                f" times its packed size, over {MAX_RATIO}: refused as a zip bomb"
            )
        found[name] = info
    if "sdn.csv" not in found:
        names = ", ".join(info.filename for info in archive.infolist()[:10]) or "nothing"
        return {}, f"the zip holds no sdn.csv (it holds {names})"
    return found, ""


def _read_rows(binary: IO[bytes], side: _SideFiles) -> Iterator[Entry]:
    """The entries of sdn.csv ``binary``, its side files ``side`` joined to each row."""
    seen: dict[str, int] = {}
    first = True
    for row in _rows(binary, "sdn.csv", len(SDN_COLUMNS)):
        if first and row.cells and row.cells[0].casefold() == "ent_num":
            first = False
            continue  # a header row, which OFAC's files lack but edited copies may have
        if row.cut:
            yield broken(row.line, row.problem)
            return
        if first and (len(row.cells) != len(SDN_COLUMNS) or not row.cells[0].isdigit()):
            yield broken(row.line, _not_sdn(row))
            return
        first = False
        if row.problem:
            yield refused(row.line, row.problem)
            continue
        ent_num = row.cells[0]
        if ent_num in seen:
            yield refused(
                row.line, f"ent_num {ent_num} appears again (first on line {seen[ent_num]})"
            )
            continue
        listing = _listing_from_row(row, side)
        if isinstance(listing, str):
            yield refused(row.line, listing)
            continue
        seen[ent_num] = row.line
        yield from listing.entries(row.line)
    if first:
        yield broken(1, "the file is empty: expected the rows of OFAC's sdn.csv")
        return
    yield from side.unclaimed(set(seen))


def _not_sdn(row: _Row) -> str:
    shown = ", ".join(repr(cell[:30]) for cell in row.cells[:3])
    return (
        f"not OFAC's sdn.csv: its first row ({shown}) has {len(row.cells)} columns, "
        f"expected {len(SDN_COLUMNS)} starting with a number (ent_num, SDN_Name, ...)"
        + (f"; {row.problem}" if row.problem else "")
    )


def read_csv(binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of OFAC's legacy CSV files: ``binary`` is sdn.csv itself, or a zip
    holding it and, if it has them, add.csv, alt.csv and sdn_comments.csv."""
    head = binary.read(4)
    binary.seek(0)
    if head != b"PK\x03\x04":
        yield from _read_rows(binary, _SideFiles())
        return
    try:
        if not zipfile.is_zipfile(binary):
            yield broken(1, "a zip archive that is cut short or damaged: no directory")
            return
        binary.seek(0)
        with zipfile.ZipFile(binary) as archive:
            members, problem = _members(archive)
            if problem:
                yield broken(1, problem)
                return
            side = _SideFiles()
            for name in SIDE_FILES:
                if name in members:
                    with archive.open(members[name]) as member:
                        for entry in side.read(name, member):
                            yield entry
                            if entry.broken:
                                return
            with archive.open(members["sdn.csv"]) as member:
                yield from _read_rows(member, side)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError) as exc:
        yield broken(1, f"the zip archive cannot be read: {exc}")


def recognise_csv(head: bytes) -> bool:
    """Whether a file starting with ``head`` is OFAC's sdn.csv, or a zip holding it or its
    side files."""
    if head.startswith(b"PK\x03\x04"):
        folded = head.lower()
        return any(name.encode() in folded for name in ("sdn.csv", *SIDE_FILES))
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    line = text.splitlines()[0] if text.strip() else ""
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    return (
        len(cells) == len(SDN_COLUMNS)
        and cells[0].strip().isdigit()
        and _cell(cells[2]).casefold() in SCHEMAS
    )


# -- XML -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _local(tag: str) -> str:
    """An element's name without its namespace: files differ in namespace, not names."""
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return clean_text(element.text) if element is not None else ""


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Element, *path: str) -> Iterator[Element]:
    """The descendants of ``element`` down ``path`` of local names."""
    if not path:
        yield element
        return
    for child in element:
        if _local(child.tag) == path[0]:
            yield from _children(child, *path[1:])


def _value(element: Element, name: str) -> str:
    return _text(_child(element, name))


class _Builder:
    """ElementTree's tree builder, noting the line each ``sdnEntry`` starts on."""

    def __init__(self) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self.builder = TreeBuilder()
        self.expat: Any = None
        self.root: Element | None = None
        self.entry_lines: list[int] = []

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrs)
        if self.root is None:
            self.root = element
        if _local(tag) == "sdnEntry" and self.expat is not None:
            self.entry_lines.append(int(self.expat.CurrentLineNumber))
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _listing_from_entry(entry: Element) -> Listing | str:
    """The listing one ``sdnEntry`` describes, or why it cannot be read."""
    uid = _value(entry, "uid")
    if not uid.isdigit():
        return f"uid {uid!r} is not a number"
    kind = _value(entry, "sdnType")
    schema = SCHEMAS.get(kind.casefold())
    if schema is None:
        return f"sdnType {kind!r} is none of Individual, Entity, Vessel, Aircraft"
    listing = Listing.start(uid, schema)
    first, last = _value(entry, "firstName"), _value(entry, "lastName")
    if first or last:
        listing.named(f"{first} {last}".strip(), first, last)
    for code in _children(entry, "programList", "program"):
        listing.program(_text(code))
    title = _value(entry, "title")
    if title:
        listing.put("position", title, "Title")
    remarks = _value(entry, "remarks")
    if remarks:
        listing.note(remarks)
    for item in _children(entry, "idList", "id"):
        label, number = _value(item, "idType"), _value(item, "idNumber")
        country = _value(item, "idCountry")
        issued, expires = _value(item, "issueDate"), _value(item, "expirationDate")
        known = listing.fact(label, number, country)
        extra = ", ".join(
            part
            for part in (
                country,
                f"issued {issued}" if issued else "",
                f"expires {expires}" if expires else "",
            )
            if part
        )
        if not known:
            listing.note(f"{label}: {number}" + (f" ({extra})" if extra else ""))
        elif extra and _LABELS_FOLDED.get(label.casefold()) in _IDENTIFIERS:
            listing.note(f"{label} {number} ({extra})")
    for aka in _children(entry, "akaList", "aka"):
        name = " ".join(n for n in (_value(aka, "firstName"), _value(aka, "lastName")) if n)
        weak = _value(aka, "category").casefold() == "weak"
        listing.also_named(_value(aka, "type") or "a.k.a.", name, weak=weak)
    for address in _children(entry, "addressList", "address"):
        parts = [_text(p) for p in address if _local(p.tag) != "uid" and _text(p)]
        listing.put("address", ", ".join(parts), "Address")
        listing.put("country", _value(address, "country"), "Country")
    person = schema == "Person"
    for item in _children(entry, "nationalityList", "nationality"):
        listing.put("nationality" if person else "country", _value(item, "country"), "Nationality")
    for item in _children(entry, "citizenshipList", "citizenship"):
        listing.put("citizenship" if person else "country", _value(item, "country"), "Citizenship")
    for item in _children(entry, "dateOfBirthList", "dateOfBirthItem"):
        listing.put("birthDate", _value(item, "dateOfBirth"), "Date of birth")
    for item in _children(entry, "placeOfBirthList", "placeOfBirthItem"):
        listing.put("birthPlace", _value(item, "placeOfBirth"), "Place of birth")
    for vessel in _children(entry, "vesselInfo"):
        listing.put("callSign", _value(vessel, "callSign"), "Call sign")
        listing.put("type", _value(vessel, "vesselType"), "Vessel type")
        listing.put("flag", _value(vessel, "vesselFlag"), "Vessel flag")
        owner = _value(vessel, "vesselOwner")
        if owner:
            listing.note(f"Vessel owner: {owner}")
        listing.put("tonnage", _value(vessel, "tonnage"), "Tonnage")
        listing.put("grossRegisteredTonnage", _value(vessel, "grossRegisteredTonnage"), "GRT")
    return listing


def _publish_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(clean_text(text), "%m/%d/%Y").date()
    except ValueError:
        return None


def _events(binary: IO[bytes], builder: _Builder) -> Iterator[tuple[str, Element]]:
    """The end events of the XML file ``binary``, parsed refusing DTDs and entities."""
    from defusedxml.ElementTree import DefusedXMLParser, iterparse

    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = getattr(parser, "parser", None)
    return iter(iterparse(binary, events=("end",), parser=parser))


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of OFAC's SDN.XML ``binary``, streaming: each ``sdnEntry`` read and
    then dropped, so memory stays flat however long the file."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    builder = _Builder()
    count = 0
    said: int | None = None
    line = 1
    try:
        for _event, element in _events(binary, builder):
            if builder.root is not None and _local(builder.root.tag) != "sdnList":
                yield broken(
                    1,
                    f"not OFAC's SDN.XML: its root element is <{_local(builder.root.tag)}>,"
                    " expected <sdnList>",
                )
                return
            name = _local(element.tag)
            if name == "Record_Count":
                said = int(_text(element)) if _text(element).isdigit() else None
            if name != "sdnEntry":
                continue
            count += 1
            line = builder.entry_lines.pop(0) if builder.entry_lines else count
            listing = _listing_from_entry(element)
            if builder.root is not None:
                builder.root.clear()
            if isinstance(listing, str):
                yield refused(line, listing)
                continue
            yield from listing.entries(line)
    except DefusedXmlException as exc:
        yield broken(line, f"refused: the file declares a DTD or entities ({exc!r})")
        return
    except ParseError as exc:
        where = exc.position[0] if exc.position else line
        if builder.root is not None and _local(builder.root.tag) != "sdnList":
            reason = (
                f"not OFAC's SDN.XML: its root element is <{_local(builder.root.tag)}>,"
                " expected <sdnList>"
            )
        elif builder.root is None:
            reason = f"not XML ({exc}): expected OFAC's SDN.XML, root element <sdnList>"
            if "no element found" in str(exc) and where <= 1:
                reason = "the file is empty: expected OFAC's SDN.XML"
        else:
            reason = f"the file breaks off: {exc}"
        yield broken(where, reason)
        return
    if said is not None and said != count:
        yield refused(line, f"the file says it holds {said} entries (Record_Count), {count} read")


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day an SDN.XML file says it was published (``Publish_Date``), read from its
    header without reading further."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    builder = _Builder()
    try:
        for _event, element in _events(binary, builder):
            name = _local(element.tag)
            if name == "Publish_Date":
                return _publish_date(_text(element))
            if name == "sdnEntry":
                return None
    except (DefusedXmlException, ParseError):
        return None
    return None


_ROOT = re.compile(
    rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->)*<(?:[A-Za-z_][\w.-]*:)?sdnList[\s>/]", re.DOTALL
)


def recognise_xml(head: bytes) -> bool:
    """Whether a file starting with ``head`` is SDN.XML: its root element ``sdnList``."""
    return _ROOT.match(head.lstrip(codecs.BOM_UTF8)) is not None
