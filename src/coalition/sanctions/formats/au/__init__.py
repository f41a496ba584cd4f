"""Reading Australia's Consolidated List (DFAT) into FtM entities. Pure.

The Australian Sanctions Office, in the Department of Foreign Affairs and Trade, publishes
one list of every person, entity and vessel designated under Australian autonomous
sanctions law and under the United Nations Security Council regimes Australia implements,
as an Excel workbook (``regulation8_consolidated.xlsx``): one sheet, a header row, then
one row per name. A designation has a Reference (``1234``); each of its other names is a
row of its own whose Reference has a letter after the number (``1234a``), the other
columns repeated. Rows are grouped as they come, one designation held at a time; a row
whose designation was already given is refused with its row number.

Each designation gives its target (``Person``, ``Organization`` or ``Vessel``, id
``au-dfat-<Reference>``) then its ``Sanction`` (``au-dfat-<Reference>-sanction``), both
on the row the designation starts, its program the Committees column as published. A
value FtM refuses is kept in notes as published. A file that is empty, of another layout,
a damaged or oversized archive (a zip bomb), or a workbook without the list's header gives
one entry marked ``broken``: nothing in it is taken as the list, so nothing is delisted.
The workbook states no date of its own: there is no :func:`published`.
``docs/sanctions/au.md`` maps every column.

One idea a module: :mod:`.dates` (dates as the list writes them), :mod:`.workbook`
(opening the archive safely, its rows as text), :mod:`.designation` (the rows of one
Reference), :mod:`.entities` (the FtM entities a designation gives), :mod:`.head`
(telling the list from a file's first bytes) and :mod:`.consolidated` (the rows read in
order and grouped).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.au.consolidated import read_workbook
from coalition.sanctions.formats.au.designation import NO_DESIGNATION
from coalition.sanctions.formats.au.entities import AUTHORITY, SOURCE_URL
from coalition.sanctions.formats.au.head import is_zip, not_xlsx, recognise
from coalition.sanctions.formats.build import broken

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

__all__ = ["AUTHORITY", "NO_DESIGNATION", "SOURCE_URL", "read", "recognise"]


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """Each designation's target then its Sanction, streaming the workbook's rows."""
    head = binary.read(4096)
    binary.seek(0)
    if not is_zip(head):
        yield broken(1, f"not DFAT's Consolidated List: {not_xlsx(head)}")
        return
    yield from read_workbook(binary)
