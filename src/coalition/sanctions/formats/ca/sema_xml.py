"""Canada's consolidated list XML, read into FtM entities as a stream. Pure.

The file has a root ``<data-set>`` and one ``<record>`` element per listing, read as a
stream and each cleared once read. A DOCTYPE, an entity declaration or an external
reference is refused (defusedxml, DTDs forbidden).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import LineSource, broken, local_name, xml_fault, xml_faults
from coalition.sanctions.formats.ca.entities import entries_of
from coalition.sanctions.formats.ca.head import EXPECTED
from coalition.sanctions.formats.ca.record import NO_RECORD, SemaRecord

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

_KNOWN_ROOTS = {
    "Designations": "the UK Sanctions List",
    "sdnList": "the US OFAC SDN list (SDN.XML)",
    "Sanctions": "the US OFAC advanced XML",
    "export": "the EU Financial Sanctions File",
    "CONSOLIDATED_LIST": "the UN Security Council consolidated list",
}


def _record(element: Element, line: int) -> SemaRecord:
    record = SemaRecord(line)
    for child in element:
        record.put(local_name(child.tag), "".join(child.itertext()))
    return record


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """Each record's target then its Sanction, in file order, streaming."""
    from defusedxml.ElementTree import iterparse

    source = LineSource(binary)
    root: Element | None = None
    depth = 0
    starts: list[int] = []
    seen: dict[str, int] = {}  # id part: records with it so far
    read = 0
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            tag = local_name(element.tag)
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    if tag != "data-set":
                        known = _KNOWN_ROOTS.get(tag)
                        found = f"<{tag}>" + (f", {known}" if known else "")
                        yield broken(1, f"not Canada's list: its root is {found}; {EXPECTED}")
                        return
                elif depth == 2 and tag == "record":
                    starts.append(source.line)
                continue
            depth -= 1
            if depth != 1 or tag != "record" or root is None:
                continue
            line = starts.pop() if starts else source.line
            record = _record(element, line)
            root.remove(element)  # read: let it go
            read += 1
            key = record.key()
            seen[key] = seen.get(key, 0) + 1
            yield from entries_of(record, seen[key])
        if root is not None and not read:
            yield broken(1, NO_RECORD)
    except xml_faults() as exc:
        yield xml_fault(exc, source.line)
