"""DFAT's Consolidated List workbook, read into FtM entities row by row. Pure.

Rows are grouped as they come, one designation held at a time: a row whose Reference
number was already given (its rows not consecutive) is refused with its row number, as is
a row without a Reference or with one that is not a number and letters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.au.designation import NO_DESIGNATION, Designation, reference_of
from coalition.sanctions.formats.au.entities import entries_of
from coalition.sanctions.formats.au.workbook import READ_ERRORS, Row, Unreadable, open_sheet
from coalition.sanctions.formats.build import broken, refused

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry


def _designations(rows: Iterator[Row], given: dict[str, int]) -> Iterator[Designation | Entry]:
    """Each designation once its rows are gathered, or the refusal of a row."""
    held: Designation | None = None
    for row in rows:
        if not row.cells and not row.others:
            continue  # a blank row
        text = row.cells.get("reference", "")
        parsed = reference_of(text)
        if parsed is None:
            said = f"Reference {text!r} is not a number with letters for an alias" if text else (
                "row has no Reference")  # fmt: skip
            yield refused(row.line, f"{said}: not read")
            continue
        number = parsed[0]
        if held is not None and held.reference == number:
            held.rows.append(row)
            continue
        if number in given:
            yield refused(row.line, f"row of designation {number} ({text}) is apart from its "
                                    f"other rows (from row {given[number]}, already read): a "
                                    "designation's rows come one after another; this row is "
                                    "not read")  # fmt: skip
            continue
        if held is not None:
            yield held
        held = Designation(number, row.line, [row])
        given[number] = row.line
    if held is not None:
        yield held


def read_workbook(binary: IO[bytes]) -> Iterator[Entry]:
    """Each designation's target then its Sanction, streaming the workbook's rows."""
    try:
        book, sheet = open_sheet(binary)
    except Unreadable as exc:
        yield broken(1, f"not DFAT's Consolidated List: {exc}")
        return
    except READ_ERRORS as exc:
        yield broken(1, f"the workbook cannot be read: {exc or type(exc).__name__}")
        return
    given: dict[str, int] = {}
    last = [sheet.header_line]  # the last row read, for a workbook that breaks off

    def counted(rows: Iterator[Row]) -> Iterator[Row]:
        for row in rows:
            last[0] = row.line
            yield row

    try:
        for item in _designations(counted(sheet.rows), given):
            if isinstance(item, Designation):
                yield from entries_of(item)
            else:
                yield item
        if not given:
            yield broken(sheet.header_line, NO_DESIGNATION)
    except READ_ERRORS as exc:
        # The designation whose rows were being gathered may lack rows: it is not given.
        yield broken(last[0], f"the workbook is damaged after row {last[0]} of sheet "
                                f"{sheet.title!r} ({exc or type(exc).__name__}): nothing "
                                "after it is read")  # fmt: skip
    finally:
        book.close()
