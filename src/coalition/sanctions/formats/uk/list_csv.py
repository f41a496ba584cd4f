"""The UK Sanctions List's CSV, read into FtM entities as a stream. Pure.

The CSV opens with a ``Report Date: ...`` line, then a header row, then one row per name:
a designation spans consecutive rows sharing its Unique ID, the other columns repeated on
each. Rows are grouped as they come, one designation held at a time; a row whose
designation was already given (its rows not consecutive) is refused with its line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken, clean_text, refused
from coalition.sanctions.formats.uk.dates import read_date
from coalition.sanctions.formats.uk.designation import (
    NO_DESIGNATION,
    Designation,
    Name,
    join_address,
)
from coalition.sanctions.formats.uk.entities import entries_of
from coalition.sanctions.formats.uk.head import HEADER_SEARCH_LINES, not_uk

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

MAX_LINE_BYTES = 4 * 1024 * 1024  # a longer physical line stops the reading: no row is that long

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
    for text in itertools.islice(lines, HEADER_SEARCH_LINES):
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
    if address := join_address(lines, row.get("postal_code"), country):
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


def read_csv(binary: IO[bytes]) -> Iterator[Entry]:
    lines = _Lines(binary)
    current: Designation | None = None  # the designation whose rows are being gathered
    given: dict[str, int] = {}  # Unique IDs already given, with their first line
    try:
        _, head, delimiter = _csv_head(lines)
        if not delimiter:
            yield broken(1, not_uk(b"".join(t.encode() for t in head[:2])))
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


def published_csv(binary: IO[bytes]) -> dt.date | None:
    """The day the CSV's Report Date line says; None when it says none that can be read."""
    report, _, delimiter = _csv_head(_Lines(binary))
    value = read_date(report) if delimiter or report else None
    return dt.date.fromisoformat(value) if value and len(value) == 10 else None
