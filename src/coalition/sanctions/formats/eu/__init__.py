"""Reading the EU Financial Sanctions File (FSF), XML or CSV, into FtM entities. Pure.

The European Commission publishes the consolidated list of persons, groups and entities
subject to EU financial sanctions as a full XML export (root ``export``, one
``sanctionEntity`` per designation, in the namespace ``http://eu.europa.ec/fpi/fsd/export``)
and as a ``;``-separated CSV holding one row per part of a designation (a name alias, an
address, a birth date, an identification, a citizenship), the rows of one designation
consecutive. :func:`read` takes either, deciding from the first bytes, and reads each
designation into one :class:`.designation.Designation`;
:func:`.mapping.designation_entries` then gives the target (``Person``, ``Organization``,
or ``Vessel``, id ``eu-fsf-<logicalId>``) and one ``Sanction`` per regulation it was
listed under. ``docs/sanctions/eu.md`` maps every
element, attribute and column read to its FtM property.

The XML is streamed with defusedxml (no DTD, no entity, no external reference is ever
expanded: a file declaring one is refused) and each designation is dropped once read, so
memory stays flat however long the file. The CSV is streamed row by row, holding one
designation's rows at a time.

The package holds one idea a module: :mod:`.designation` (one designation as published,
and its dates), :mod:`.mapping` (the FtM entities a designation gives), :mod:`.head`
(telling the FSF from a file's first bytes), :mod:`.fsf_xml` (the XML export) and
:mod:`.fsf_csv` (the CSV).
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken
from coalition.sanctions.formats.eu.designation import iso_date
from coalition.sanctions.formats.eu.fsf_csv import published_csv, read_csv
from coalition.sanctions.formats.eu.fsf_xml import published_xml, read_xml
from coalition.sanctions.formats.eu.head import NAMESPACE, recognise, start_of

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

__all__ = ["NAMESPACE", "iso_date", "published", "read", "recognise"]


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of an FSF file, XML or CSV as its first bytes say."""
    head = binary.read(1024)
    binary.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield broken(1, "the file is UTF-16 text: the FSF is published in UTF-8")
    elif not start_of(head):
        yield broken(1, "the file is empty")
    elif start_of(head).startswith(b"<"):
        yield from read_xml(binary)
    else:
        yield from read_csv(binary)


def published(binary: IO[bytes]) -> dt.date | None:
    """The day the file was generated: XML ``generationDate``, CSV ``fileGenerationDate``."""
    head = binary.read(1024)
    binary.seek(0)
    if start_of(head).startswith(b"<"):
        return published_xml(binary)
    return published_csv(binary) if start_of(head) else None
