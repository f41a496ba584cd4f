"""The FtM entities one record of Canada's list gives: its target, then its Sanction. Pure.

The target is a ``Person`` when the record names a last or given name, a ``Vessel`` when
it gives a ship's IMO number or type, else an ``Organization``; its id is
``ca-sema-<regime>-<schedule>-<item>`` (``ca-sema-russia-1-part-1-94``), its Sanction's
that id and ``-sanction``, both on the line the record starts. A value FtM refuses is
kept in the target's notes (the Sanction's description) as published.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import Record, refused
from coalition.sanctions.formats.ca.dates import read_dates
from coalition.sanctions.formats.ca.record import SemaRecord, split_aliases

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

AUTHORITY = "Global Affairs Canada"
SOURCE_URL = (
    "https://www.international.gc.ca/world-monde/international_relations-relations_"
    "internationales/sanctions/consolidated-consolide.aspx?lang=eng"
)
ID_PREFIX = "ca-sema-"


def schema_of(record: SemaRecord) -> str:
    if record.get("last_name") or record.get("given_name"):
        return "Person"
    if record.get("imo") or record.get("title"):
        return "Vessel"  # a title or ship type on a record without a person's name
    return "Organization"


def _put(target: Record, prop: str, value: str, label: str) -> None:
    """``value`` under ``prop`` when the schema has it, else a note under ``label``."""
    if prop in target.proxy.schema.properties:
        target.add(prop, value)
    else:
        target.add("notes", f"{label}: {value}")


def _put_dates(target: Record, prop: str, text: str, label: str) -> None:
    """The dates ``text`` states under ``prop``; kept as published unless all are read."""
    if prop not in target.proxy.schema.properties:
        target.add("notes", f"{label}: {text}")
        return
    values = read_dates(text)
    if values is None:
        target.kept.append(f"{label} as published: {text}")
    for value in values or ():
        target.add(prop, value)


def _target(record: SemaRecord, entity_id: str) -> Record:
    schema = schema_of(record)
    target = Record(schema, entity_id)
    given, last = record.get("given_name"), record.get("last_name")
    if schema == "Person":
        target.add("name", " ".join(p for p in (given, last) if p))
        target.add("firstName", given)
        target.add("lastName", last)
        if record.get("entity"):  # a person's record should not have one: kept
            target.add("alias", record.get("entity"))
    else:
        target.add("name", record.get("entity"))
    for alias in split_aliases(record.get("aliases")):
        target.add("alias" if target.has("name") else "name", alias)
    if title := record.get("title"):
        for part in title.split(" | "):  # English | French
            _put(target, "title" if schema == "Person" else "type", part, "Title or ship type")
    if imo := record.get("imo"):
        _put(target, "imoNumber", imo, "Ship IMO number")
    if text := record.get("date"):
        prop = {"Person": "birthDate", "Vessel": "buildDate"}.get(schema, "")
        _put_dates(target, prop, text, "Date of birth or ship build date")
    for tag, value in record.others:
        target.add("notes", f"{tag}: {value}")
    return target


def _sanction(record: SemaRecord, target_id: str, again: int) -> Record:
    sanction = Record("Sanction", f"{target_id}-sanction")
    sanction.add("entity", target_id)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", record.authority_id)
    sanction.add("country", "ca")
    sanction.add("sourceUrl", SOURCE_URL)
    sanction.add("program", record.get("regime"))
    if listed := record.get("listed"):
        values = read_dates(listed)
        if values is None:
            sanction.add("description", f"Date of listing as published: {listed}")
        for value in values or ():
            sanction.add("listingDate", value)
            sanction.add("startDate", value)
    if again > 1:
        sanction.add(
            "description",
            f"{record.authority_id} of {record.get('regime')} is given more than once in "
            f"the file: this is its record number {again}",
        )
    for note in dict.fromkeys(sanction.kept):  # a Sanction has no notes
        sanction.add("description", note)
    sanction.kept = []
    return sanction


def entries_of(record: SemaRecord, again: int = 1) -> Iterator[Entry]:
    """The target's entry, then its Sanction's; one refusal when it cannot be read.

    ``again`` counts the records before it with the same regime, schedule and item,
    plus one: a second such record gets ``-2`` after its id, so neither is lost."""
    regime = record.get("regime")
    what = f"record {record.authority_id}" + (f" ({regime})" if regime else "")
    if not record.get("item"):
        yield refused(record.line, f"record{f' ({regime})' if regime else ''} has no Item: "
                                   "not read")  # fmt: skip
        return
    if not regime:
        yield refused(record.line, f"{what} has no Country (its regime): not read")
        return
    names = ("last_name", "given_name", "entity", "aliases")
    if not any(record.get(key) for key in names):
        yield refused(record.line, f"{what} has no name: not read")
        return
    entity_id = ID_PREFIX + record.key() + (f"-{again}" if again > 1 else "")
    target = _target(record, entity_id)
    entry = target.entry(record.line)
    yield entry
    if entry.entity is not None:
        yield _sanction(record, target.id, again).entry(record.line)
