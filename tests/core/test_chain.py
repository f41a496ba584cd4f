"""The hash chain, stated as properties: any change to any entry is caught, and where."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from coalition.core.chain import GENESIS, Entry, canonical, entry_hash, verify_chain

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
