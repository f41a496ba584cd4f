"""The SECO list's XML export, read into FtM entities as a stream. Pure.

The root ``<swiss-sanctions-list list-type="whole-list" date="...">`` holds
``<sanctions-program>``, ``<target>`` and ``<place>`` elements. A target names its
programme's sanctions set and its places by id, and the places may come after the targets,
so the file is read twice, each time as a stream with every element let go once read: the
first time for the programmes and places only, the second for the targets. A DOCTYPE, an
entity declaration or an external reference is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import (
    LineSource,
    broken,
    local_name,
    refused,
    xml_fault,
    xml_faults,
)
from coalition.sanctions.formats.ch.catalogue import Catalogue, read_place, read_programme
from coalition.sanctions.formats.ch.dates import read_day
from coalition.sanctions.formats.ch.entities import entries_of
from coalition.sanctions.formats.ch.head import ROOT
from coalition.sanctions.formats.ch.target import target_of

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

NO_TARGET = "the file lists no target: not taken as the list, which would leave nothing listed"
WHOLE_LIST = "whole-list"

_KNOWN_ROOTS = {
    "Designations": "the UK Sanctions List",
    "sdnList": "the US OFAC SDN list (SDN.XML)",
    "Sanctions": "the US OFAC advanced XML",
    "export": "the EU Financial Sanctions File",
    "CONSOLIDATED_LIST": "the UN Security Council consolidated list",
}


def _unqualified(element: Element) -> Element:
    for each in element.iter():
        if isinstance(each.tag, str):
            each.tag = local_name(each.tag)
    return element


def _children(binary: IO[bytes]) -> Iterator[tuple[str, Element, int, LineSource]]:
    """("root", root, line) first, then each child of the root once read, with the line
    it starts on; the child is let go after it is given."""
    from defusedxml.ElementTree import iterparse

    source = LineSource(binary)
    root: Element | None = None
    depth = 0
    starts: list[int] = []
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            depth += 1
            if root is None:
                root = element
                yield "root", element, source.line, source
            elif depth == 2:
                starts.append(source.line)
            continue
        depth -= 1
        if depth == 1 and root is not None:
            line = starts.pop() if starts else source.line
            yield "child", _unqualified(element), line, source
            root.remove(element)  # read: let it go


def catalogue_of(binary: IO[bytes]) -> Catalogue:
    """The programmes and places of the file, read as far as it can be; rewound after."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    catalogue = Catalogue()
    try:
        for kind, element, _, _ in _children(binary):
            if kind == "root":
                if local_name(element.tag) != ROOT:
                    break
            elif element.tag == "sanctions-program":
                read_programme(element, catalogue)
            elif element.tag == "place":
                read_place(element, catalogue)
    except (DefusedXmlException, ParseError, LookupError, UnicodeError, ValueError):
        pass  # the second reading says what is wrong, and where
    finally:
        binary.seek(0)
    return catalogue


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """Each listed target then its Sanctions, in file order; a last broken entry when the
    file breaks off or is not the list."""
    catalogue = catalogue_of(binary)
    given: dict[str, int] = {}
    targets = 0
    last_line = 1
    try:
        for kind, element, line, source in _children(binary):
            last_line = source.line
            if kind == "root":
                tag = local_name(element.tag)
                if tag != ROOT:
                    known = _KNOWN_ROOTS.get(tag)
                    found = f"<{tag}>" + (f", {known}" if known else "")
                    yield broken(1, f"not the Swiss SECO sanctions list: its root is {found}; "
                                    f"expected <{ROOT}>")  # fmt: skip
                    return
                kind_of_list = element.get("list-type", WHOLE_LIST)
                if kind_of_list != WHOLE_LIST:
                    yield broken(1, f"the file is a {kind_of_list!r} export, not the whole list "
                                    f"(list-type {WHOLE_LIST!r}): not taken as the list, which "
                                    "would delist every target it leaves out")  # fmt: skip
                    return
                continue
            if element.tag != "target":
                continue
            t = target_of(element, line, catalogue)
            targets += 0 if t.de_listed else 1
            if not t.ssid:
                yield refused(line, "target has no ssid: not read")
            elif t.ssid in given:
                yield refused(
                    line,
                    f"target {t.ssid} appears again (first at line {given[t.ssid]}, already "
                    "read): this one is not read",
                )
            else:
                given[t.ssid] = line
                yield from entries_of(t, catalogue)
        if not targets:  # none, or only de-listed ones
            yield broken(1, NO_TARGET)
    except xml_faults() as exc:
        yield xml_fault(exc, last_line)


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day the root's ``date`` attribute says; None when it says none that can be read."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    try:
        for kind, element, _, _ in _children(binary):
            if kind == "root" and local_name(element.tag) == ROOT:
                return read_day(element.get("date"))
            return None
    except (DefusedXmlException, ParseError, LookupError, UnicodeError, ValueError):
        return None
    return None
