"""The hash chain, stated as properties: any change to any entry is caught, and where;
signed, a chain rebuilt without the key is caught too, and checkpoints catch a cut tail."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.chain import (
    GENESIS,
    Entry,
    Keyring,
    canonical,
    check_chain,
    checkpoint_problems,
    entry_hash,
    make_checkpoint,
    parse_checkpoints,
    parse_keyring,
    verify_chain,
)

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.fixed_dictionaries(
    {
        "actor": st.text(min_size=1, max_size=10),
        "action": st.sampled_from(["create", "update", "delete"]),
        "entity": st.sampled_from(["members", "meetings"]),
        "entity_id": st.text(min_size=1, max_size=6),
        "after": st.none() | st.dictionaries(st.text(max_size=5), values, max_size=4),
    }
)


def build(bodies_: list[dict]) -> list[Entry]:  # type: ignore[type-arg]
    chain, prev = [], GENESIS
    for seq, body in enumerate(bodies_, 1):
        entry = Entry(
            seq=seq, created="2025-03-02T00:00:00+00:00", before=None, prev_hash=prev, **body
        )
        entry = replace(entry, hash=entry_hash(prev, entry))
        chain.append(entry)
        prev = entry.hash
    return chain


@given(st.lists(bodies, max_size=12))
def test_an_untouched_chain_verifies(items: list[dict]) -> None:  # type: ignore[type-arg]
    assert verify_chain(build(items)) is None


@given(st.lists(bodies, min_size=1, max_size=12), st.data())
def test_changing_any_entry_is_caught_at_that_entry(items: list[dict], data: st.DataObject) -> None:  # type: ignore[type-arg]
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    new_actor = data.draw(st.text(min_size=1, max_size=10).filter(lambda a: a != chain[i].actor))
    chain[i] = replace(chain[i], actor=new_actor)
    broken = verify_chain(chain)
    assert broken is not None and broken.seq == chain[i].seq


@given(st.lists(bodies, min_size=2, max_size=12), st.data())
def test_removing_any_entry_is_caught(items: list[dict], data: st.DataObject) -> None:  # type: ignore[type-arg]
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 2))
    del chain[i]
    assert verify_chain(chain) is not None


@given(st.lists(bodies, min_size=2, max_size=12), st.data())
def test_reordering_is_caught(items: list[dict], data: st.DataObject) -> None:  # type: ignore[type-arg]
    chain = build(items)
    i = data.draw(st.integers(0, len(chain) - 2))
    chain[i], chain[i + 1] = chain[i + 1], chain[i]
    assert verify_chain(chain) is not None


@given(st.dictionaries(st.text(max_size=5), values, max_size=5))
def test_canonical_form_ignores_key_order(d: dict) -> None:  # type: ignore[type-arg]
    assert canonical(d) == canonical(dict(reversed(list(d.items()))))


# --- the keyed chain -----------------------------------------------------------------

RING = parse_keyring("k1:" + "1" * 32)
OTHER = parse_keyring("k1:" + "2" * 32)  # the same key id, another key


def signed(bodies_: list[dict], keyring: Keyring = RING) -> list[Entry]:  # type: ignore[type-arg]
    return [keyring.sign(e) for e in build(bodies_)]


def _flip(value: str, position: int, bit: int) -> str:
    # One of the low seven bits: never lands a character in the surrogate block.
    i = position % len(value)
    return value[:i] + chr(ord(value[i]) ^ (1 << bit)) + value[i + 1 :]


@given(st.lists(bodies, max_size=12))
def test_a_signed_chain_verifies(items: list[dict]) -> None:  # type: ignore[type-arg]
    result = check_chain(signed(items), RING)
    assert result.broken is None and result.unsigned == 0 and result.entries == len(items)


@given(
    st.lists(bodies, min_size=1, max_size=8),
    st.data(),
    st.sampled_from(["actor", "entity_id", "prev_hash", "hash", "key_id", "mac", "seq"]),
    st.integers(0, 200),
    st.integers(0, 6),
)
def test_any_single_bit_changed_in_any_entry_is_caught(  # type: ignore[no-untyped-def]
    items, data, name: str, position: int, bit: int
) -> None:
    chain = signed(items)
    i = data.draw(st.integers(0, len(chain) - 1))
    value = getattr(chain[i], name)
    changed = value ^ (1 << bit) if name == "seq" else _flip(value, position, bit)
    chain[i] = replace(chain[i], **{name: changed})
    assert check_chain(chain, RING).broken is not None


@given(st.lists(bodies, min_size=1, max_size=8))
def test_a_chain_rebuilt_with_another_key_fails_at_its_first_entry(items: list[dict]) -> None:  # type: ignore[type-arg]
    broken = check_chain(signed(items, OTHER), RING).broken
    assert broken is not None and broken.seq == 1 and "MAC does not match" in broken.reason


@given(st.lists(bodies, min_size=2, max_size=8), st.data())
def test_an_entry_stripped_of_its_mac_after_a_signed_one_fails(items: list[dict], data) -> None:  # type: ignore[no-untyped-def,type-arg]
    chain = signed(items)
    i = data.draw(st.integers(1, len(chain) - 1))
    chain[i] = replace(chain[i], key_id=None, mac=None)
    broken = check_chain(chain, RING).broken
    assert broken is not None and broken.seq == i + 1 and "unsigned" in broken.reason


@given(st.lists(bodies, min_size=1, max_size=8), st.integers(0, 8))
def test_unsigned_entries_are_counted_only_before_the_first_signed_one(  # type: ignore[no-untyped-def]
    items, legacy: int
) -> None:
    chain = build(items)  # unsigned: what a database held before entries were signed
    legacy = min(legacy, len(chain))
    chain[legacy:] = [RING.sign(e) for e in chain[legacy:]]
    result = check_chain(chain, RING)
    assert result.broken is None and result.unsigned == legacy


def test_a_replaced_key_still_verifies_what_it_signed() -> None:
    old = parse_keyring("old:" + "o" * 32)
    both = parse_keyring("old:" + "o" * 32 + ",new:" + "n" * 32)
    assert both.signing == "new"
    items = [
        {"actor": "a", "action": "create", "entity": "members", "entity_id": "1", "after": None}
    ]
    chain = build(items * 3)
    chain = [old.sign(chain[0]), *(both.sign(e) for e in chain[1:])]
    assert check_chain(chain, both).broken is None
    broken = check_chain(chain, parse_keyring("new:" + "n" * 32)).broken
    assert broken is not None and broken.seq == 1 and "'old'" in broken.reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "item 1 is not id:key"),
        ("k1", "item 1 is not id:key"),
        (":" + "x" * 32, "a key id is"),
        ("bad id:" + "x" * 32, "a key id is"),
        ("k" * 17 + ":" + "x" * 32, "a key id is"),
        ("k1:short-secret", "key k1 is shorter than 32 characters"),
        ("k1:" + "x" * 32 + ",k1:" + "y" * 32, "key id k1 is given twice"),
        ("k1:" + "s" * 40, "key k1 is the secret key"),
        ("k1:" + "x" * 32 + ",", "item 2 is not id:key"),
    ],
)
def test_a_bad_keyring_is_refused_without_showing_a_key(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_keyring(text, forbidden="s" * 40)
    assert "x" * 32 not in str(caught.value) and "s" * 32 not in str(caught.value)


# --- checkpoints ---------------------------------------------------------------------

TAKEN = dt.datetime(2025, 3, 20, 12, 0, tzinfo=dt.UTC)


@given(st.lists(bodies, min_size=1, max_size=8), st.data())
def test_checkpoints_hold_while_the_chain_keeps_their_entries(items: list[dict], data) -> None:  # type: ignore[no-untyped-def,type-arg]
    chain = signed(items)
    at = data.draw(st.integers(0, len(chain)))
    point = make_checkpoint(at, chain[at - 1].hash if at else GENESIS, TAKEN, RING)
    (parsed,) = parse_checkpoints([point.line()])
    assert parsed == (1, point)
    hashes = {e.seq: e.hash for e in chain}
    assert checkpoint_problems([parsed], hashes, len(chain), RING) == []
    # The newest entries removed, down to before the checkpoint: caught.
    if at:
        shorter = {s: h for s, h in hashes.items() if s < at}
        ((where, reason),) = checkpoint_problems([parsed], shorter, at - 1, RING)
        assert where == "checkpoint line 1" and "entries were removed" in reason


def test_a_rewritten_chain_or_a_forged_checkpoint_is_named() -> None:
    items = [
        {"actor": "a", "action": "create", "entity": "members", "entity_id": "1", "after": None}
    ]
    chain = signed(items * 3)
    hashes = {e.seq: e.hash for e in chain}
    point = make_checkpoint(2, chain[1].hash, TAKEN, RING)
    rewritten = {**hashes, 2: "f" * 64}
    assert checkpoint_problems([(4, point)], rewritten, 3, RING) == [
        (
            "audit entry 2",
            f"differs from checkpoint line 4 ({TAKEN.isoformat()}): the chain was rewritten",
        )
    ]
    forged = make_checkpoint(2, chain[1].hash, TAKEN, OTHER)
    assert "MAC does not match" in checkpoint_problems([(1, forged)], hashes, 3, RING)[0][1]
    stranger = make_checkpoint(2, chain[1].hash, TAKEN, parse_keyring("k9:" + "9" * 32))
    assert "'k9'" in checkpoint_problems([(1, stranger)], hashes, 3, RING)[0][1]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2 is not JSON"),
        ("[1, 2]", "needs exactly seq, hash, taken, key_id and mac"),
        ('{"seq": 1}', "needs exactly"),
        ('{"seq": true, "hash": "", "taken": "", "key_id": "", "mac": ""}', "seq is not a whole"),
        ('{"seq": -1, "hash": "", "taken": "", "key_id": "", "mac": ""}', "seq is not a whole"),
        ('{"seq": 1, "hash": 5, "taken": "", "key_id": "", "mac": ""}', "are strings"),
        ('{"seq": 1, "hash": "zz", "taken": "", "key_id": "k", "mac": "00"}', "64 hexadecimal"),
    ],
)
def test_a_damaged_checkpoint_file_names_its_line(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_checkpoints(["", line])
