"""Reading Switzerland's sanctions list (SECO, the SESAM XML export) into FtM entities. Pure.

The State Secretariat for Economic Affairs (SECO) publishes every person, organisation and
object listed under the Swiss sanctions ordinances (Embargo Act, SR 946.231) as one XML
file, exported from its SESAM database. Its root ``<swiss-sanctions-list>`` carries the
day it was exported (``date``) and holds the programmes (``<sanctions-program>``, one per
ordinance, with the sanctions sets targets are listed under), the targets (``<target
ssid>``, each with its identities, names, dates, places, documents and modification
history) and the places they refer to (``<place ssid>``).

Each listed target gives its entity (``Person``, ``Organization`` or ``Vessel``, id
``ch-seco-<ssid>``) and then one ``Sanction`` per programme it is listed under
(``ch-seco-<ssid>-sanction-<programme ssid>``), all on the line its ``<target>`` starts.
The export keeps de-listed targets with their history: a target whose last modification
de-lists it gives nothing. A value FtM refuses is kept in the target's notes (the
Sanction's description) as published. A file that is empty, of another layout, or cannot
be read at all gives one entry marked ``broken``: nothing in it is taken as the list, so
nothing is delisted. ``docs/sanctions/ch.md`` maps every element.

The package holds one idea a module: :mod:`.catalogue` (the programmes and places targets
refer to), :mod:`.dates` (dates as SECO writes them), :mod:`.entities` (the FtM entities
a target gives), :mod:`.head` (telling the list from a file's first bytes),
:mod:`.sesam_xml` (the XML, as a stream) and :mod:`.target` (one target as read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken
from coalition.sanctions.formats.ch.entities import AUTHORITY, SOURCE_URL
from coalition.sanctions.formats.ch.head import not_seco, recognise, start_of
from coalition.sanctions.formats.ch.sesam_xml import NO_TARGET, published_xml, read_xml

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

__all__ = ["AUTHORITY", "NO_TARGET", "SOURCE_URL", "published", "read", "recognise"]


def read(binary: IO[bytes]) -> Iterator[Entry]:
    """Each listed target then its Sanctions, streaming."""
    head = binary.read(4096)
    binary.seek(0)
    if not start_of(head).startswith(b"<"):
        yield broken(1, not_seco(head))
        return
    yield from read_xml(binary)


def published(binary: IO[bytes]) -> dt.date | None:
    """The day the file says it was exported (its root's ``date``); None when it says none
    that can be read."""
    head = binary.read(4096)
    binary.seek(0)
    if not start_of(head).startswith(b"<"):
        return None
    return published_xml(binary)
