"""The FSF's CSV, read into FtM entities as a stream. Pure.

The CSV is ``;``-separated (``,`` or a tab in a re-saved copy) and holds one row per part
of a designation (a name alias, an address, a birth date, an identification, a
citizenship), the rows of one designation consecutive. It is streamed row by row,
holding one designation's rows at a time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken, clean_text, refused
from coalition.sanctions.formats.eu.designation import (
    DATE_KEYS,
    Designation,
    iso_date,
    published_day,
)
from coalition.sanctions.formats.eu.head import not_fsf
from coalition.sanctions.formats.eu.mapping import designation_entries

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

MAX_ROW_BYTES = 1024 * 1024  # a longer CSV line is refused, never held whole

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
_PART_IGNORED = {"logicalId", "regulationLanguage"}  # not content: a part is not made of them


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
    try:
        header = [clean_text(name) for name in next(csv.reader([first], delimiter=sep), [])]
    except csv.Error:  # a binary file (a zip, NUL bytes) has no header to read
        header = []
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
        if key in DATE_KEYS:
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
        yield broken(1, not_fsf(f"its first line is {_describe(sep.join(header))}"))
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
    return published_day(row.values[at]) if row is not None and len(row.values) > at else None


def _describe(line: str) -> str:
    text = clean_text(line)
    if text.startswith("{"):
        return "JSON (FollowTheMoney entities?)"
    return repr(text if len(text) <= 60 else text[:60] + "…")
