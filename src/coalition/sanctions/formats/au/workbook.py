"""Opening DFAT's workbook safely and reading its rows as text. Pure.

An ``.xlsx`` file is a zip archive of XML parts. Before openpyxl opens it, the archive's
directory is checked: every part must unpack to at most :data:`MAX_PART_BYTES`, all of
them together to at most :data:`MAX_TOTAL_BYTES`, and a part over a megabyte may not
unpack to more than :data:`MAX_RATIO` times its packed size (a zip bomb). The sizes are
the ones the directory states, and Python's zipfile never unpacks more than a part's
stated size, so a part that lies about its size is cut there, not inflated without end.
openpyxl then streams the sheet (read-only mode) through defusedxml.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from coalition.sanctions.formats.build import clean_text

MAX_PART_BYTES = 200 * 1024 * 1024  # a part larger than this, unpacked, is refused
MAX_TOTAL_BYTES = 400 * 1024 * 1024  # all parts together
MAX_RATIO = 100  # a part that inflates more than this many times is refused...
_RATIO_FLOOR = 1024 * 1024  # ... when it is larger than this: tiny parts inflate oddly
MAX_PARTS = 10_000
HEADER_SEARCH_ROWS = 10  # the header row is looked for among a sheet's first rows
# What a damaged workbook makes zipfile, zlib and openpyxl raise (SyntaxError: an XML
# part's ParseError; NotImplementedError: a part packed by a method zipfile lacks).
READ_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, OSError,
               EOFError, SyntaxError, NotImplementedError)  # fmt: skip

# The published column headings, by the key this reader gives each.
COLUMNS = {
    "reference": "reference",
    "name of individual or entity": "name",
    "type": "type",
    "name type": "name_type",
    "alias strength": "alias_strength",
    "date of birth": "dob",
    "place of birth": "pob",
    "citizenship": "citizenship",
    "address": "address",
    "additional information": "additional_information",
    "listing information": "listing_information",
    "imo number": "imo",
    "committees": "committees",
    "control date": "control_date",
    "instrument of designation": "instrument",
    "targeted financial sanction": "targeted_financial_sanction",
    "travel ban": "travel_ban",
    "arms embargo": "arms_embargo",
    "maritime restriction": "maritime_restriction",
}
REQUIRED = ("reference", "name")


class Unreadable(Exception):
    """The workbook cannot be read as the list; the message says why."""


def cell_text(value: Any) -> str:
    """A cell's value as text: a date as ``YYYY-MM-DD``, a whole number without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value).replace("_x000D_", "\n"))  # Excel's escaped carriage return


def heading(value: Any) -> str:
    return re.sub(r"\s+", " ", cell_text(value)).strip().lower()


def check_archive(binary: IO[bytes]) -> None:
    """Unreadable unless ``binary`` is a whole zip archive whose parts unpack safely."""
    if not zipfile.is_zipfile(binary):
        raise Unreadable("a zip archive (.xlsx) that is cut short or damaged: no directory")
    binary.seek(0)
    with zipfile.ZipFile(binary) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise Unreadable(f"the workbook holds {len(parts):,} parts, over {MAX_PARTS:,}: refused")
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        shown = ", ".join(sorted(names)[:5]) or "nothing"
        raise Unreadable(f"a zip archive, not an Excel workbook: it holds no xl/workbook.xml "
                         f"(it holds {shown})")  # fmt: skip
    total = 0
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(f"{part.filename} is packed by method {part.compress_type}, "
                             "which Excel does not use: refused")  # fmt: skip
        if part.file_size > MAX_PART_BYTES:
            raise Unreadable(f"{part.filename} would be {part.file_size:,} bytes unpacked, "
                             f"over {MAX_PART_BYTES:,}: refused")  # fmt: skip
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise Unreadable(f"{part.filename} would unpack {ratio:,} times its packed size, "
                             f"over {MAX_RATIO}: refused as a zip bomb")  # fmt: skip
        total += part.file_size
    if total > MAX_TOTAL_BYTES:
        raise Unreadable(f"the workbook would be {total:,} bytes unpacked, over "
                         f"{MAX_TOTAL_BYTES:,}: refused")  # fmt: skip
    binary.seek(0)


@dataclass
class Row:
    """One row of the list's sheet: its number as Excel shows it, its cells by key."""

    line: int
    cells: dict[str, str]
    others: list[tuple[str, str]]  # a column this reader does not know: heading, text


@dataclass
class Sheet:
    """The sheet holding the list, its header found, its rows still to come."""

    title: str
    header_line: int
    rows: Iterator[Row]


def _columns(header: tuple[Any, ...]) -> list[tuple[str, str]]:
    """(key, heading as published) per column; the key '' for a column not known."""
    return [(COLUMNS.get(heading(cell), ""), cell_text(cell)) for cell in header]


def _rows(stream: Iterator[tuple[Any, ...]], columns: list[tuple[str, str]],
          line: int) -> Iterator[Row]:  # fmt: skip
    for values in stream:
        line += 1
        cells: dict[str, str] = {}
        others: list[tuple[str, str]] = []
        for index, value in enumerate(values):
            text = cell_text(value)
            if not text:
                continue
            key, label = columns[index] if index < len(columns) else ("", "")
            if key:
                cells[key] = text
            else:
                others.append((label or f"Column {index + 1}", text))
        yield Row(line, cells, others)


def open_sheet(binary: IO[bytes]) -> tuple[Any, Sheet]:
    """The workbook (to close) and the first sheet whose header names a Reference and a
    Name of Individual or Entity; Unreadable when none does."""
    from openpyxl import load_workbook

    check_archive(binary)
    with warnings.catch_warnings():
        # openpyxl warns of what it does not keep of a workbook (styles, validation
        # extensions): a publisher's formatting says nothing of the list.
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(binary, read_only=True, data_only=True)
        except READ_ERRORS as exc:
            raise Unreadable(f"the workbook cannot be opened: {exc or type(exc).__name__}") from exc
    seen: list[str] = []
    for sheet in book.worksheets:
        stream = sheet.iter_rows(values_only=True)
        for line, header in enumerate(stream, start=1):
            columns = _columns(header)
            keys = {key for key, _ in columns}
            if all(key in keys for key in REQUIRED):
                return book, Sheet(sheet.title, line, _rows(stream, columns, line))
            if line == 1:
                shown = ", ".join(repr(label) for _, label in columns if label)[:120]
                seen.append(f"{sheet.title!r} (first row: {shown or 'empty'})")
            if line >= HEADER_SEARCH_ROWS:
                break
    book.close()
    raise Unreadable(
        "no sheet has a header row naming 'Reference' and 'Name of Individual or Entity' "
        f"in its first {HEADER_SEARCH_ROWS} rows; sheets: {'; '.join(seen) or 'none'}"
    )
