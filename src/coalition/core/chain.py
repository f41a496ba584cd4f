"""The audit hash chain. Pure: no database, no clock.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
JSON form, so changing, removing or reordering any entry breaks every hash after it.

Anyone who can write the database can recompute SHA-256, so each entry also carries a
MAC: HMAC-SHA256, under a key held outside the database, over its hash (which covers
every entry before it). A keyring holds the keys by id; the newest signs and the older
ones still verify, so a key can be replaced without re-signing the log. Entries written
before keys existed carry no MAC; they are accepted only before the first signed entry,
whose MAC then covers them too.

A :class:`Checkpoint` is the head (sequence number and hash) signed with the same key,
kept outside the database: it proves that the chain once reached that entry, which a MAC
on the entries alone cannot (removing the newest entries leaves every MAC valid).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

GENESIS = "0" * 64
MIN_KEY_LENGTH = 32
KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,16}")


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
    key_id: str | None = None  # the key that signed it; None for an unsigned legacy entry
    mac: str | None = None

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


def _mac(key: bytes, kind: str, key_id: str, *parts: object) -> str:
    # Each kind of signed thing (entry, head, checkpoint) has a message of its own, so a
    # MAC of one can never pass for a MAC of another.
    message = "\n".join([f"coalition-audit-{kind}", key_id, *map(str, parts)]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def entry_mac(key: bytes, key_id: str, digest: str) -> str:
    """HMAC-SHA256 of an entry's hash under ``key``; the key id is part of the message."""
    return _mac(key, "entry", key_id, digest)


@dataclass(frozen=True)
class Keyring:
    """Audit keys by id. ``signing`` names the key that signs new entries; the others
    only verify what they signed before they were replaced."""

    keys: Mapping[str, bytes] = field(repr=False)
    signing: str

    def mac(self, kind: str, *parts: object) -> tuple[str, str]:
        """(key id, MAC) of ``parts`` as a ``kind`` (entry, head, checkpoint)."""
        return self.signing, _mac(self.keys[self.signing], kind, self.signing, *parts)

    def problem(self, kind: str, key_id: str, mac: str, *parts: object) -> str | None:
        """Why ``mac`` is not the MAC of ``parts`` under key ``key_id``, or ``None``."""
        key = self.keys.get(key_id)
        if key is None:
            return f"signed with key {key_id!r}, which the keyring does not hold"
        if not hmac.compare_digest(_mac(key, kind, key_id, *parts), mac):
            return "its MAC does not match: rewritten without the key"
        return None

    def sign(self, entry: Entry) -> Entry:
        """``entry`` with its key id and MAC set (its hash must be set already)."""
        key_id, mac = self.mac("entry", entry.hash)
        return replace(entry, key_id=key_id, mac=mac)

    def mac_problem(self, key_id: str, digest: str, mac: str) -> str | None:
        """Why ``mac`` is not an entry hash ``digest`` signed with ``key_id``, or ``None``."""
        return self.problem("entry", key_id, mac, digest)


def parse_keyring(text: str, *, forbidden: str = "") -> Keyring:
    """A keyring from ``id:key[,id:key...]``; the last listed signs.

    Raises ``ValueError`` naming the problem (never a key): an id that is not 1-16
    letters, digits, ``_``, ``.`` or ``-``; an id given twice; a key shorter than
    :data:`MIN_KEY_LENGTH` characters; a key equal to ``forbidden`` (the secret key).
    """
    keys: dict[str, bytes] = {}
    last = ""
    for n, item in enumerate(text.split(","), 1):
        key_id, sep, key = item.strip().partition(":")
        if not sep:
            raise ValueError(f"item {n} is not id:key")
        if not KEY_ID.fullmatch(key_id):
            raise ValueError(f"item {n}: a key id is 1-16 letters, digits, '_', '.' or '-'")
        if key_id in keys:
            raise ValueError(f"key id {key_id} is given twice")
        if len(key) < MIN_KEY_LENGTH:
            raise ValueError(f"key {key_id} is shorter than {MIN_KEY_LENGTH} characters")
        if forbidden and hmac.compare_digest(key.encode(), forbidden.encode()):
            raise ValueError(f"key {key_id} is the secret key; use a key of its own")
        keys[key_id] = key.encode()
        last = key_id
    return Keyring(keys, last)


def derived_keyring(secret: str, key_id: str = "derived") -> Keyring:
    """A keyring of one key derived from ``secret``: for development and tests only,
    where the secret key is not itself a secret worth more than the log."""
    key = hmac.new(secret.encode(), b"coalition-audit-key", hashlib.sha256).hexdigest()
    return Keyring({key_id: key.encode()}, key_id)


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


@dataclass
class ChainCheck:
    """What checking a chain found: how many entries, how many were unsigned (legacy,
    all before the first signed one), the last entry, and the first break if any."""

    entries: int = 0
    unsigned: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken: ChainBreak | None = None


def _links(entries: Iterable[Entry], result: ChainCheck) -> Iterator[Entry]:
    """Yield each entry whose link to the one before holds; record the first break."""
    prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            result.broken = ChainBreak(
                entry.seq, f"expected entry {expected_seq}, found {entry.seq}"
            )
            return
        if entry.prev_hash != prev:
            result.broken = ChainBreak(entry.seq, "does not link to the entry before it")
            return
        if entry_hash(prev, entry) != entry.hash:
            result.broken = ChainBreak(entry.seq, "its content does not match its hash")
            return
        result.entries += 1
        result.head_seq, result.head_hash = entry.seq, entry.hash
        yield entry
        prev = entry.hash
        expected_seq += 1


def verify_chain(entries: Iterable[Entry]) -> ChainBreak | None:
    """The first entry that breaks the hash links, or ``None`` when every link holds.

    Entries must come in sequence order; a gap in the sequence is a removed entry. MACs
    are not looked at: see :func:`check_chain`.
    """
    result = ChainCheck()
    for _ in _links(entries, result):
        pass
    return result.broken


def check_chain(entries: Iterable[Entry], keyring: Keyring) -> ChainCheck:
    """Check the hash links and every MAC; entries must come in sequence order.

    An unsigned entry is accepted only before the first signed one: an entry whose MAC
    was stripped after the chain was rewritten therefore breaks it. Whether the unsigned
    entries are anchored by anything (a signed entry after them, or a checkpoint) is for
    the caller to judge from ``unsigned`` and ``entries``.
    """
    result = ChainCheck()
    signed = False
    for entry in _links(entries, result):
        if entry.mac is None and entry.key_id is None:
            if signed:
                result.broken = ChainBreak(entry.seq, "unsigned, after signed entries")
                break
            result.unsigned += 1
            continue
        if entry.mac is None or entry.key_id is None:
            result.broken = ChainBreak(entry.seq, "has a key id or a MAC but not both")
            break
        problem = keyring.mac_problem(entry.key_id, entry.hash, entry.mac)
        if problem is not None:
            result.broken = ChainBreak(entry.seq, problem)
            break
        signed = True
    return result


# --- checkpoints ----------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one time (``taken``, ISO 8601 UTC), signed."""

    seq: int
    hash: str
    taken: str
    key_id: str
    mac: str

    def line(self) -> str:
        """The checkpoint as one line of JSON (no newline)."""
        return canonical(
            {
                "seq": self.seq,
                "hash": self.hash,
                "taken": self.taken,
                "key_id": self.key_id,
                "mac": self.mac,
            }
        )


def make_checkpoint(seq: int, digest: str, taken: dt.datetime, keyring: Keyring) -> Checkpoint:
    """The head ``(seq, digest)`` signed with the keyring's signing key at ``taken``."""
    if taken.tzinfo is None:
        raise ValueError("naive datetime in a checkpoint")
    when = taken.astimezone(dt.UTC).isoformat()
    key_id, mac = keyring.mac("checkpoint", seq, digest, when)
    return Checkpoint(seq, digest, when, key_id, mac)


_HEX64 = re.compile(r"[0-9a-f]{64}")


def parse_checkpoints(lines: Iterable[str]) -> list[tuple[int, Checkpoint]]:
    """Checkpoints read from JSON lines, each with its line number; blank lines skipped.

    Raises ``ValueError`` naming the first line that is not a checkpoint.
    """
    found: list[tuple[int, Checkpoint]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            raise ValueError(f"checkpoint line {n} is not JSON") from None
        if not isinstance(data, dict) or set(data) != {"seq", "hash", "taken", "key_id", "mac"}:
            raise ValueError(f"checkpoint line {n} needs exactly seq, hash, taken, key_id and mac")
        seq, digest, taken, key_id, mac = (
            data[k] for k in ("seq", "hash", "taken", "key_id", "mac")
        )
        if type(seq) is not int or seq < 0:
            raise ValueError(f"checkpoint line {n}: seq is not a whole number")
        if not all(isinstance(v, str) for v in (digest, taken, key_id, mac)):
            raise ValueError(f"checkpoint line {n}: hash, taken, key_id and mac are strings")
        if not (_HEX64.fullmatch(digest) and _HEX64.fullmatch(mac)):
            raise ValueError(f"checkpoint line {n}: hash and mac are 64 hexadecimal digits")
        found.append((n, Checkpoint(seq, digest, taken, key_id, mac)))
    return found


def checkpoint_problems(
    checkpoints: Iterable[tuple[int, Checkpoint]],
    hash_at: Mapping[int, str],
    head_seq: int,
    keyring: Keyring,
) -> list[tuple[str, str]]:
    """(where, reason) for each checkpoint the chain no longer holds.

    ``hash_at`` maps sequence numbers to the chain's hashes (at least those the
    checkpoints name; 0 is the empty chain); ``head_seq`` is the chain's last entry.
    """
    problems: list[tuple[str, str]] = []
    for n, cp in checkpoints:
        where = f"checkpoint line {n}"
        signature = keyring.problem("checkpoint", cp.key_id, cp.mac, cp.seq, cp.hash, cp.taken)
        if signature is not None:
            problems.append((where, signature))
        elif cp.seq > head_seq:
            problems.append(
                (
                    where,
                    f"the chain ends at entry {head_seq} but reached entry {cp.seq} "
                    f"on {cp.taken}: entries were removed",
                )
            )
        elif (GENESIS if cp.seq == 0 else hash_at.get(cp.seq)) != cp.hash:
            problems.append(
                (
                    f"audit entry {cp.seq}",
                    f"differs from {where} ({cp.taken}): the chain was rewritten",
                )
            )
    return problems
