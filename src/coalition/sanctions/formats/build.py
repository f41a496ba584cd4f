"""Building FollowTheMoney entities from a published record, keeping every value. Pure.

A list's record is read into a :class:`Record`: its schema, its id, and each value added
under the FtM property it belongs to. FtM cleans each value by its type (a date to
``YYYY-MM-DD`` or a shorter prefix, a country to its code, an IMO number checked by its
check digit); a value its type refuses is not dropped but kept in the entity's ``notes``
as published ("Date of birth as published: circa 1960"), so nothing the publisher wrote
is lost. :meth:`Record.entry` gives the entity as an
:class:`~coalition.sanctions.reading.Entry`, or the reason it cannot be one (no name).
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any

from coalition.sanctions.reading import Entry

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

MAX_VALUE_CHARS = 4000  # a longer value is cut, and the cut noted
_SPACES = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """``value`` as one line of text: spaces collapsed, ends trimmed; '' for None."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


class Record:
    """One entity being built from a published record."""

    def __init__(self, schema: str, entity_id: str) -> None:
        from followthemoney import model

        found = model.get(schema)
        if found is None or found.abstract:
            raise ValueError(f"{schema!r} is no concrete FollowTheMoney schema")
        self.proxy: EntityProxy = model.make_entity(found)
        self.proxy.id = entity_id
        self.kept: list[str] = []  # values kept as published, for ``notes``

    @property
    def id(self) -> str:
        return str(self.proxy.id)

    def add(self, prop_name: str, value: Any) -> None:
        """Add ``value`` (text; None and blanks ignored) to the property ``prop_name``.

        A value the property's type refuses is kept in ``notes`` as published.
        """
        text = clean_text(value)
        if not text:
            return
        if len(text) > MAX_VALUE_CHARS:
            text = text[:MAX_VALUE_CHARS] + " [cut]"
        prop = self.proxy.schema.get(prop_name)
        if prop is None:
            raise ValueError(f"{self.proxy.schema.name} has no property {prop_name!r}")
        before = len(self.proxy.get(prop))
        try:
            self.proxy.add(prop, text)
        except Exception:  # FtM refuses some values by raising: keep them as published
            before = -1
        if before >= 0 and len(self.proxy.get(prop)) > before:
            return
        if before >= 0 and text in self.proxy.get(prop):
            return  # the same value twice
        if prop.type.name in ("text", "string"):
            return  # kept by FtM unless the same value is already there
        note = f"{prop.label} as published: {text}"
        if note not in self.kept:
            self.kept.append(note)

    def add_all(self, prop_name: str, values: Any) -> None:
        for value in values or ():
            self.add(prop_name, value)

    def has(self, prop_name: str) -> bool:
        return bool(self.proxy.get(prop_name))

    def entry(self, line: int) -> Entry:
        """The entity as an entry of line ``line``; refused when it has no name."""
        for note in self.kept:
            self.proxy.add("notes", note)
        self.kept = []
        if "name" in self.proxy.schema.properties and not self.proxy.get("name"):
            return Entry(line, reason=f"{self.proxy.schema.name} {self.id}: no name")
        return Entry(line, entity=self.proxy.to_dict(), caption=self.proxy.caption)


def refused(line: int, reason: str) -> Entry:
    """An entry refusing line ``line`` for ``reason``."""
    return Entry(line, reason=reason)


def broken(line: int, reason: str) -> Entry:
    """The entry for a file that breaks off at line ``line``: nothing after it is read."""
    return Entry(line, reason=reason, broken=True)


def xml_faults() -> tuple[type[Exception], ...]:
    """What a streaming XML reader catches to end its file as broken: refused markup
    (a DTD, an entity), bytes that do not decode, and a parse that breaks off."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    return (DefusedXmlException, LookupError, UnicodeError, ParseError)


def xml_fault(exc: Exception, line: int) -> Entry:
    """The broken entry for one of :func:`xml_faults` raised at ``line`` (the last line
    read; a parse error names its own)."""
    from defusedxml import DefusedXmlException

    line = max(line, 1)
    if isinstance(exc, DefusedXmlException):
        return broken(
            line,
            f"the XML declares a document type, an entity or an external reference "
            f"({type(exc).__name__}): refused, nothing after it is read",
        )
    if isinstance(exc, LookupError | UnicodeError):
        return broken(line, f"the XML cannot be decoded ({exc}): nothing after line {line} is read")
    at, column = getattr(exc, "position", (line, 0))
    return broken(
        max(at, 1),
        f"the XML breaks off or is malformed at line {at}, column {column + 1}: "
        "nothing after it is read",
    )


class LineSource:
    """A binary stream read a line at a time, so that an XML parser fed from it tells
    each record the line it starts on (:attr:`line`)."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.line = 0  # the line the last piece read starts on
        self._next = 1

    def read(self, size: int = -1) -> bytes:
        piece = self.binary.readline(size if size > 0 else -1)
        self.line = self._next
        self._next += piece.count(b"\n")
        return piece


def local_name(tag: str) -> str:
    """An XML tag without its namespace: ``{urn:x}Designation`` is ``Designation``."""
    return tag.rsplit("}", 1)[-1]
