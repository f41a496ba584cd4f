"""Reading Canada's Consolidated Canadian Autonomous Sanctions List into FtM entities. Pure.

Global Affairs Canada publishes one list of the persons, entities and ships listed under
the regulations of the Special Economic Measures Act (SEMA) and of the Justice for Victims
of Corrupt Foreign Officials Act, as XML (``sema-lmes.xml``): a root ``<data-set>`` and
one flat ``<record>`` per listing, its elements named in English (``<Country>``,
``<LastName>``...) until 24 August 2026 and in English and French since
(``<Country-Pays>``, ``<LastName-NomDeFamille>``...). ``<Country>`` names the regime
(``Russia / Russie``), not the target's country; ``<Schedule>`` and ``<Item>`` say where
the regime's regulations list the target, and only the three together name a record.
The file states no date of its own: there is no :func:`published`.

Each record gives its target (``Person``, ``Organization`` or ``Vessel``, id
``ca-sema-<regime>-<schedule>-<item>``) and then its ``Sanction`` (the same and
``-sanction``), both on the line the record starts. A file that is empty, of another
layout, or cannot be read at all gives one entry marked ``broken``: nothing in it is taken
as the list, so nothing is delisted. ``docs/sanctions/ca.md`` maps every element.

One idea a module: :mod:`.dates` (dates as the list writes them), :mod:`.record` (one
record as read, its elements in either naming), :mod:`.entities` (the FtM entities a
record gives), :mod:`.head` (telling the list from a file's first bytes) and
:mod:`.sema_xml` (the XML, streamed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken
from coalition.sanctions.formats.ca.entities import AUTHORITY, SOURCE_URL
from coalition.sanctions.formats.ca.head import not_ca, recognise, start_of
from coalition.sanctions.formats.ca.record import NO_RECORD
from coalition.sanctions.formats.ca.sema_xml import read_xml

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

__all__ = ["AUTHORITY", "NO_RECORD", "SOURCE_URL", "read", "recognise"]


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """Each record's target then its Sanction, streaming."""
    head = binary.read(4096)
    binary.seek(0)
    if not start_of(head).startswith(b"<"):
        yield broken(1, not_ca(head))
        return
    yield from read_xml(binary)
