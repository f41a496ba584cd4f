"""The audit hash chain. Pure: no database, no clock.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
JSON form, so changing, removing or reordering any entry breaks every hash after it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """A value as it is written into an audit entry: stable across both databases."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in an audit entry")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Entry:
    """One audited mutation, as hashed."""

    seq: int
    created: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    prev_hash: str
    hash: str = ""

    def body(self) -> str:
        return canonical(
            {
                "seq": self.seq,
                "created": self.created,
                "actor": self.actor,
                "action": self.action,
                "entity": self.entity,
                "entity_id": self.entity_id,
                "before": self.before,
                "after": self.after,
            }
        )


def entry_hash(prev_hash: str, entry: Entry) -> str:
    """The hash of ``entry`` chained to ``prev_hash``."""
    return hashlib.sha256((prev_hash + "\n" + entry.body()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[Entry]) -> ChainBreak | None:
    """The first entry that breaks the chain, or ``None`` when every link holds.

    Entries must come in sequence order; a gap in the sequence is a removed entry.
    """
    prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(entry.seq, f"expected entry {expected_seq}, found {entry.seq}")
        if entry.prev_hash != prev:
            return ChainBreak(entry.seq, "does not link to the entry before it")
        if entry_hash(prev, entry) != entry.hash:
            return ChainBreak(entry.seq, "its content does not match its hash")
        prev = entry.hash
        expected_seq += 1
    return None
