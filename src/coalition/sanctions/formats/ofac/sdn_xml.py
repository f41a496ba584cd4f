"""OFAC's SDN.XML, read into FtM as a stream. Pure.

:func:`read_xml` reads ``SDN.XML`` (root ``sdnList``, one ``sdnEntry`` per listing),
streaming, under any namespace, refusing DTDs and entities: each ``sdnEntry`` is read and
then dropped. :func:`published_xml` reads the day in its header, :func:`recognise_xml`
tells it from its root element.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from coalition.sanctions.formats.build import broken, clean_text, refused
from coalition.sanctions.formats.ofac.labels import IDENTIFIERS, LABELS_FOLDED
from coalition.sanctions.formats.ofac.listing import SCHEMAS, Listing

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry


@functools.lru_cache(maxsize=512)
def _local(tag: str) -> str:
    """An element's name without its namespace: files differ in namespace, not names."""
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return clean_text(element.text) if element is not None else ""


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Element, *path: str) -> Iterator[Element]:
    """The descendants of ``element`` down ``path`` of local names."""
    if not path:
        yield element
        return
    for child in element:
        if _local(child.tag) == path[0]:
            yield from _children(child, *path[1:])


def _value(element: Element, name: str) -> str:
    return _text(_child(element, name))


class _Builder:
    """ElementTree's tree builder, noting the line each ``sdnEntry`` starts on."""

    def __init__(self) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self.builder = TreeBuilder()
        self.expat: Any = None
        self.root: Element | None = None
        self.entry_lines: list[int] = []

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrs)
        if self.root is None:
            self.root = element
        if _local(tag) == "sdnEntry" and self.expat is not None:
            self.entry_lines.append(int(self.expat.CurrentLineNumber))
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _listing_from_entry(entry: Element) -> Listing | str:
    """The listing one ``sdnEntry`` describes, or why it cannot be read."""
    uid = _value(entry, "uid")
    if not uid.isdigit():
        return f"uid {uid!r} is not a number"
    kind = _value(entry, "sdnType")
    schema = SCHEMAS.get(kind.casefold())
    if schema is None:
        return f"sdnType {kind!r} is none of Individual, Entity, Vessel, Aircraft"
    listing = Listing.start(uid, schema)
    first, last = _value(entry, "firstName"), _value(entry, "lastName")
    if first or last:
        listing.named(f"{first} {last}".strip(), first, last)
    for code in _children(entry, "programList", "program"):
        listing.program(_text(code))
    title = _value(entry, "title")
    if title:
        listing.put("position", title, "Title")
    remarks = _value(entry, "remarks")
    if remarks:
        listing.note(remarks)
    for item in _children(entry, "idList", "id"):
        label, number = _value(item, "idType"), _value(item, "idNumber")
        country = _value(item, "idCountry")
        issued, expires = _value(item, "issueDate"), _value(item, "expirationDate")
        known = listing.fact(label, number, country)
        extra = ", ".join(
            part
            for part in (
                country,
                f"issued {issued}" if issued else "",
                f"expires {expires}" if expires else "",
            )
            if part
        )
        if not known:
            listing.note(f"{label}: {number}" + (f" ({extra})" if extra else ""))
        elif extra and LABELS_FOLDED.get(label.casefold()) in IDENTIFIERS:
            listing.note(f"{label} {number} ({extra})")
    for aka in _children(entry, "akaList", "aka"):
        name = " ".join(n for n in (_value(aka, "firstName"), _value(aka, "lastName")) if n)
        weak = _value(aka, "category").casefold() == "weak"
        listing.also_named(_value(aka, "type") or "a.k.a.", name, weak=weak)
    for address in _children(entry, "addressList", "address"):
        parts = [_text(p) for p in address if _local(p.tag) != "uid" and _text(p)]
        listing.put("address", ", ".join(parts), "Address")
        listing.put("country", _value(address, "country"), "Country")
    person = schema == "Person"
    for item in _children(entry, "nationalityList", "nationality"):
        listing.put("nationality" if person else "country", _value(item, "country"), "Nationality")
    for item in _children(entry, "citizenshipList", "citizenship"):
        listing.put("citizenship" if person else "country", _value(item, "country"), "Citizenship")
    for item in _children(entry, "dateOfBirthList", "dateOfBirthItem"):
        listing.put("birthDate", _value(item, "dateOfBirth"), "Date of birth")
    for item in _children(entry, "placeOfBirthList", "placeOfBirthItem"):
        listing.put("birthPlace", _value(item, "placeOfBirth"), "Place of birth")
    for vessel in _children(entry, "vesselInfo"):
        listing.put("callSign", _value(vessel, "callSign"), "Call sign")
        listing.put("type", _value(vessel, "vesselType"), "Vessel type")
        listing.put("flag", _value(vessel, "vesselFlag"), "Vessel flag")
        owner = _value(vessel, "vesselOwner")
        if owner:
            listing.note(f"Vessel owner: {owner}")
        listing.put("tonnage", _value(vessel, "tonnage"), "Tonnage")
        listing.put("grossRegisteredTonnage", _value(vessel, "grossRegisteredTonnage"), "GRT")
    return listing


def _publish_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(clean_text(text), "%m/%d/%Y").date()
    except ValueError:
        return None


def _events(binary: IO[bytes], builder: _Builder) -> Iterator[tuple[str, Element]]:
    """The end events of the XML file ``binary``, parsed refusing DTDs and entities."""
    from defusedxml.ElementTree import DefusedXMLParser, iterparse

    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = getattr(parser, "parser", None)
    return iter(iterparse(binary, events=("end",), parser=parser))


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of OFAC's SDN.XML ``binary``, streaming: each ``sdnEntry`` read and
    then dropped, so memory stays flat however long the file."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    builder = _Builder()
    count = 0
    said: int | None = None
    line = 1
    try:
        for _event, element in _events(binary, builder):
            if builder.root is not None and _local(builder.root.tag) != "sdnList":
                yield broken(
                    1,
                    f"not OFAC's SDN.XML: its root element is <{_local(builder.root.tag)}>,"
                    " expected <sdnList>",
                )
                return
            name = _local(element.tag)
            if name == "Record_Count":
                said = int(_text(element)) if _text(element).isdigit() else None
            if name != "sdnEntry":
                continue
            count += 1
            line = builder.entry_lines.pop(0) if builder.entry_lines else count
            listing = _listing_from_entry(element)
            if builder.root is not None:
                builder.root.clear()
            if isinstance(listing, str):
                yield refused(line, listing)
                continue
            yield from listing.entries(line)
    except DefusedXmlException as exc:
        yield broken(line, f"refused: the file declares a DTD or entities ({exc!r})")
        return
    except ParseError as exc:
        where = exc.position[0] if exc.position else line
        if builder.root is not None and _local(builder.root.tag) != "sdnList":
            reason = (
                f"not OFAC's SDN.XML: its root element is <{_local(builder.root.tag)}>,"
                " expected <sdnList>"
            )
        elif builder.root is None:
            reason = f"not XML ({exc}): expected OFAC's SDN.XML, root element <sdnList>"
            if "no element found" in str(exc) and where <= 1:
                reason = "the file is empty: expected OFAC's SDN.XML"
        else:
            reason = f"the file breaks off: {exc}"
        yield broken(where, reason)
        return
    if said is not None and said != count:
        yield refused(line, f"the file says it holds {said} entries (Record_Count), {count} read")


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day an SDN.XML file says it was published (``Publish_Date``), read from its
    header without reading further."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    builder = _Builder()
    try:
        for _event, element in _events(binary, builder):
            name = _local(element.tag)
            if name == "Publish_Date":
                return _publish_date(_text(element))
            if name == "sdnEntry":
                return None
    except (DefusedXmlException, ParseError):
        return None
    return None


_ROOT = re.compile(
    rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->)*<(?:[A-Za-z_][\w.-]*:)?sdnList[\s>/]", re.DOTALL
)


def recognise_xml(head: bytes) -> bool:
    """Whether a file starting with ``head`` is SDN.XML: its root element ``sdnList``."""
    return _ROOT.match(head.lstrip(codecs.BOM_UTF8)) is not None
