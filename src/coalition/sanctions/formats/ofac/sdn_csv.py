"""OFAC's legacy CSV files, sdn.csv alone or zipped with its side files, read into FtM. Pure.

:func:`read_csv` reads the comma-separated set: ``sdn.csv`` (one row per listing, no
header row), either alone or in a zip archive with ``add.csv`` (addresses), ``alt.csv``
(alternate names) and ``sdn_comments.csv`` (remarks running past the 1,000 characters of
``sdn.csv``), each side file's rows joined to the listing of their ent_num. The whole
remarks are kept in the target's ``notes``. A damaged or oversized zip, or one without
sdn.csv, gives one entry marked ``broken``.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken, clean_text, refused
from coalition.sanctions.formats.ofac.listing import SCHEMAS, Listing, person_name
from coalition.sanctions.formats.ofac.sdn_rows import Row, cell_text, rows_of

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # a zip member larger than this, uncompressed, is refused
MAX_RATIO = 100  # a zip member that inflates more than this many times is refused
_RATIO_FLOOR = 1024 * 1024  # ... when it is larger than this: tiny files inflate oddly

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
_PROGRAMS = re.compile(r"\]\s*\[|;")


def programs(cell: str) -> list[str]:
    """The program codes of a Program cell: ``UKRAINE-EO13660] [RUSSIA-EO14024`` holds two."""
    codes = (clean_text(code.strip("[] ")) for code in _PROGRAMS.split(cell))
    return [code for code in codes if code]


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
        for row in rows_of(binary, name, SIDE_FILES[name]):
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


def _listing_from_row(row: Row, side: _SideFiles) -> Listing | str:
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
    for row in rows_of(binary, "sdn.csv", len(SDN_COLUMNS)):
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


def _not_sdn(row: Row) -> str:
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
        and cell_text(cells[2]).casefold() in SCHEMAS
    )
