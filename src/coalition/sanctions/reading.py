"""Reading FollowTheMoney entity files, one entity per line, checked by FtM's model. Pure.

A file in the layout OpenSanctions publishes (``entities.ftm.json``) holds one JSON object
per line: ``id``, ``schema`` and ``properties`` (each property a list of strings); other
keys (``caption``, ``datasets``, ``referents``, ``first_seen``, ...) are the publisher's
and are not read. :func:`read_entities` streams such a file, never holding more than one
line, and gives each line either the entity as FtM cleans it (``to_dict()``) or the reason
it was refused: not UTF-8, not JSON, no id, a schema FtM does not define (or an abstract
one), a property the schema lacks, a value FtM's type refuses, a line over
:data:`MAX_LINE_BYTES`. A line with any value FtM would drop is refused whole, never
stored in part. A last line that ends without a newline and is not JSON is where the file
breaks off (:attr:`Entry.broken`): the reader stops there.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # FtM's model is loaded when a file is read, not as the application starts
    from followthemoney.proxy import EntityProxy

MAX_LINE_BYTES = 1024 * 1024  # a longer line is refused, and never read into memory whole
MAX_ID_CHARS = 200
_SHOWN_VALUE = 60  # characters of a refused value quoted in a reason


@dataclass(frozen=True)
class Entry:
    """One line of the file: its entity, or why it was refused, or where the file broke."""

    line: int
    entity: dict[str, Any] | None = None  # FtM's ``to_dict()`` form: id, schema, properties
    caption: str = ""
    reason: str = ""
    broken: bool = False  # the file breaks off on this line: nothing after it was read


def _lines(binary: IO[bytes]) -> Iterator[tuple[int, bytes | None, bool]]:
    """(line number, bytes without the line end or None when too long, ended by newline)."""
    number = 0
    while True:
        chunk = binary.readline(MAX_LINE_BYTES + 2)
        if not chunk:
            return
        number += 1
        if len(chunk) > MAX_LINE_BYTES + 1 or (
            len(chunk) == MAX_LINE_BYTES + 1 and not chunk.endswith(b"\n")
        ):
            # Too long: skip to the end of the line without holding it.
            while chunk and not chunk.endswith(b"\n"):
                chunk = binary.readline(MAX_LINE_BYTES)
            yield number, None, True
            continue
        ended = chunk.endswith(b"\n")
        yield number, chunk.rstrip(b"\r\n"), ended


def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "…")


def check_entity(data: Any) -> tuple[EntityProxy | None, str]:
    """The entity ``data`` describes as FtM cleans it, or None and why it is refused."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    if not isinstance(data, dict):
        return None, "not a JSON object"
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        return None, "no id" if entity_id in (None, "") else "id is not text"
    if len(entity_id) > MAX_ID_CHARS:
        return None, f"id longer than {MAX_ID_CHARS} characters"
    name = data.get("schema")
    if not isinstance(name, str) or not name:
        return None, "no schema"
    schema = model.get(name)
    if schema is None:
        return None, f"unknown schema {_quote(name)}"
    if schema.abstract:
        return None, f"schema {name} is abstract: an entity is of a concrete schema"
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        return None, "properties is not a JSON object"
    proxy = model.make_entity(schema)
    proxy.id = entity_id.strip()
    problems: list[str] = []
    for prop_name, values in properties.items():
        prop = schema.get(prop_name)
        if prop is None:
            problems.append(f"{name} has no property {_quote(prop_name)}")
            continue
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                problems.append(f"{prop_name}: {_quote(value)} is not text")
                continue
            # FtM drops a value its type refuses without a word: add it to a scratch
            # entity first, so that a dropped value refuses the line instead.
            scratch = model.make_entity(schema)
            try:
                scratch.add(prop, value)
            except InvalidData as exc:
                problems.append(f"{prop_name}: {exc}")
                continue
            if not scratch.get(prop):
                problems.append(f"{prop_name}: {_quote(value)} is not a valid {prop.type.name}")
                continue
            proxy.add(prop, value)
    if problems:
        return None, "; ".join(problems)
    return proxy, ""


def read_entities(binary: IO[bytes]) -> Iterator[Entry]:
    """Each non-blank line of ``binary`` as an :class:`Entry`, in order, streaming."""
    for number, raw, ended in _lines(binary):
        if raw is None:
            yield Entry(number, reason=f"line longer than {MAX_LINE_BYTES:,} bytes")
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not ended:
                yield Entry(number, reason="the file breaks off mid-line", broken=True)
                return
            yield Entry(number, reason=f"not UTF-8 text (byte {exc.start + 1})")
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if not ended:
                yield Entry(number, reason="the file breaks off mid-line", broken=True)
                return
            yield Entry(number, reason=f"not JSON: {exc.msg} (column {exc.colno})")
            continue
        proxy, reason = check_entity(data)
        if proxy is None:
            yield Entry(number, reason=reason)
            continue
        yield Entry(number, entity=proxy.to_dict(), caption=proxy.caption)


def property_labels(schema_name: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, label) of each property ``names``, as FtM labels them for the schema."""
    from followthemoney import model

    schema = model.get(schema_name)
    labelled = []
    for name in names:
        prop = schema.get(name) if schema is not None else None
        labelled.append((name, prop.label if prop is not None else name))
    return labelled


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` looks like FtM JSON lines: its first line an
    object with an ``id`` and a ``schema``."""
    first = head.lstrip(codecs.BOM_UTF8).lstrip().split(b"\n", 1)[0]
    try:
        data = json.loads(first)
    except ValueError:
        return False
    return isinstance(data, dict) and "schema" in data and "id" in data
