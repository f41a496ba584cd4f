"""The FSF's XML export, read into FtM entities as a stream. Pure.

The full XML export has the root ``export``, one ``sanctionEntity`` per designation, in
the namespace ``http://eu.europa.ec/fpi/fsd/export``. It is streamed with defusedxml (no
DTD, no entity, no external reference is ever expanded: a file declaring one is refused)
and each designation is dropped once read, so memory stays flat however long the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from coalition.sanctions.formats.build import broken, clean_text, local_name
from coalition.sanctions.formats.eu.designation import (
    DATE_KEYS,
    Designation,
    iso_date,
    parts_of,
    published_day,
)
from coalition.sanctions.formats.eu.head import not_fsf
from coalition.sanctions.formats.eu.mapping import designation_entries

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from coalition.sanctions.reading import Entry

_XML_CHUNK = 64 * 1024


def _attributes(element: Element) -> dict[str, str]:
    values = {local_name(k): clean_text(v) for k, v in element.attrib.items()}
    return {k: iso_date(v) if k in DATE_KEYS else v for k, v in values.items() if v}


class _CountedReader:
    """The stream read a line at a time, counting lines, so that what the parser reports
    after a read is known to be on :attr:`line`."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.line = 1  # the line the last chunk read starts on
        self._next = 1

    def read(self, size: int = -1) -> bytes:
        chunk = self.binary.readline(min(size, _XML_CHUNK) if size > 0 else _XML_CHUNK)
        self.line = self._next
        self._next += chunk.count(b"\n")
        return chunk


def _designation_xml(element: Element, line: int) -> Designation:
    entity = _attributes(element)
    designation = Designation(line, entity.get("logicalId", ""))
    for key, value in entity.items():
        designation.put(key, value)
    for child in element:
        name, values = local_name(child.tag), _attributes(child)
        remarks = [clean_text(c.text) for c in child if local_name(c.tag) == "remark" and c.text]
        if remarks:
            values["remark"] = " ".join(remarks)
        if name == "remark":
            designation.put("remark", clean_text(child.text))
        elif name == "subjectType":
            designation.subject += parts_of(values, "code", "classificationCode")
        elif name == "regulation":
            for sub in child:
                if local_name(sub.tag) == "publicationUrl" and sub.text:
                    values["publicationUrl"] = clean_text(sub.text)
            designation.regulations.append(values)
        elif name == "address":
            for sub in child:
                if local_name(sub.tag) == "contactInfo" and sub.get("key"):
                    key = f"contact:{sub.get('key')}"
                    joined = ", ".join([*parts_of(values, key), clean_text(sub.get("value"))])
                    values[key] = joined
            designation.addresses.append(values)
        elif name in ("nameAlias", "citizenship", "birthdate", "identification"):
            kind = {"nameAlias": "names", "birthdate": "birthdates"}.get(name, name + "s")
            getattr(designation, kind).append(values)
    return designation


def read_xml(binary: IO[bytes]) -> Iterator[Entry]:
    """Each ``sanctionEntity`` of an FSF XML export as entries, streaming."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    reader = _CountedReader(binary)
    root: Element | None = None
    depth, start = 0, 0
    try:
        for event, element in iterparse(reader, events=("start", "end"), forbid_dtd=True):
            name = local_name(element.tag)
            depth += 1 if event == "start" else -1
            if root is None:
                if name != "export":
                    yield broken(reader.line, not_fsf(f"its root element is <{name}>"))
                    return
                root = element
            elif event == "start" and depth == 2:
                start = reader.line
            elif event == "end" and depth == 1:  # a child of the root, read whole
                if name == "sanctionEntity":
                    yield from designation_entries(_designation_xml(element, start))
                root.remove(element)  # dropped once read: memory stays flat
    except ParseError as exc:
        line = exc.position[0] if exc.position else reader.line
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            yield broken(line, f"the file breaks off: {exc}")
        else:
            yield broken(line, f"not well-formed XML: {exc}")
    except DefusedXmlException as exc:
        yield broken(
            reader.line,
            f"refused: the file declares a DTD or entities ({type(exc).__name__}); "
            "the FSF export has none, and none is expanded",
        )


def published_xml(binary: IO[bytes]) -> dt.date | None:
    """The day of the export's ``generationDate``, from its root element."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _event, element in iterparse(binary, events=("start",), forbid_dtd=True):
            if local_name(element.tag) != "export":
                return None
            return published_day(element.get("generationDate", ""))
    except (ParseError, DefusedXmlException):
        return None
    return None
