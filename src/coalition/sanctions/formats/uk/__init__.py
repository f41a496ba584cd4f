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

The package holds one idea a module: :mod:`.dates` (dates as the FCDO writes them, and as
a re-save may), :mod:`.designation` (one designation as read from either layout),
:mod:`.entities` (the FtM entities a designation gives), :mod:`.head` (telling the list
from a file's first bytes), :mod:`.list_csv` (the CSV) and :mod:`.list_xml` (the XML).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken
from coalition.sanctions.formats.uk.dates import read_date
from coalition.sanctions.formats.uk.designation import NO_DESIGNATION
from coalition.sanctions.formats.uk.entities import AUTHORITY, SOURCE_URL
from coalition.sanctions.formats.uk.head import not_uk, recognise, start_of
from coalition.sanctions.formats.uk.list_csv import published_csv, read_csv
from coalition.sanctions.formats.uk.list_xml import published_xml, read_xml

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

__all__ = [
    "AUTHORITY",
    "NO_DESIGNATION",
    "SOURCE_URL",
    "published",
    "read",
    "read_date",
    "recognise",
]


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """Each designation's target then its Sanction, streaming, from either layout."""
    head = binary.read(4096)
    binary.seek(0)
    start = start_of(head)
    if not start:
        yield broken(1, not_uk(head))
    elif start.startswith(b"<"):
        yield from read_xml(binary)
    else:
        yield from read_csv(binary)


def published(binary: IO[bytes]) -> dt.date | None:
    """The day the file says it was generated: the CSV's Report Date, the XML's
    DateGenerated; None when it says none that can be read."""
    head = binary.read(4096)
    binary.seek(0)
    if start_of(head).startswith(b"<"):
        return published_xml(binary)
    return published_csv(binary)
