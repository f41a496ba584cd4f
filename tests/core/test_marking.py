"""Markings: the pure rule, and the SQL filter that must agree with it exactly."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.db import transaction
from coalition.core.errors import Invalid
from coalition.core.marking import (
    Marking,
    audience,
    can_see,
    change_of_sight,
    check_marking,
    decode_release,
    encode_release,
    overall,
    reach,
)
from coalition.core.principal import Principal, Role
from coalition.core.visibility import visible_select
from coalition.meetings.model import Meeting

codes = st.sampled_from(["GBR", "FRA", "POL", "DEU", "SEC", "EU"])


@given(st.lists(codes, max_size=6))
def test_release_lists_round_trip(members: list[str]) -> None:
    assert decode_release(encode_release(members)) == sorted(set(members))


@given(codes, st.sampled_from(list(Marking)), st.lists(codes, max_size=4))
def test_anonymous_sees_public_only(owner: str, marking: Marking, rel: list[str]) -> None:
    assert can_see(Principal(), owner, marking, encode_release(rel)) is (marking is Marking.PUBLIC)


@given(
    codes,
    codes,
    st.sampled_from(list(Marking)),
    st.lists(codes, max_size=4),
    st.sampled_from(list(Role)),
)
def test_the_owner_always_sees_and_roles_never_widen(
    owner: str, reader: str, marking: Marking, rel: list[str], role: Role
) -> None:
    stored = encode_release(rel)
    assert can_see(Principal("u", owner, role), owner, marking, stored)
    as_viewer = can_see(Principal("u", reader, Role.VIEWER), owner, marking, stored)
    assert can_see(Principal("u", reader, role), owner, marking, stored) is as_viewer


@given(
    codes,
    st.sampled_from(list(Marking)),
    st.lists(codes, max_size=4),
    st.lists(codes | st.sampled_from(["ITA", "NLD"]), max_size=8),
)
def test_the_audience_is_exactly_the_members_who_may_see(
    owner: str, marking: Marking, rel: list[str], register: list[str]
) -> None:
    stored = encode_release(rel)
    members = audience(owner, marking, stored, register)
    assert members <= set(register)
    for member in register:
        reader = Principal("u", member, Role.VIEWER)
        assert (member in members) is can_see(reader, owner, marking, stored), member
    named = reach(owner, marking, stored)
    assert (named is None) is (marking in (Marking.PUBLIC, Marking.COALITION))
    assert members == (set(register) if named is None else named & set(register))


@given(
    codes,
    st.sampled_from(list(Marking)),
    st.lists(codes, max_size=4),
    st.sampled_from(list(Marking)),
    st.lists(codes, max_size=4),
)
def test_a_change_of_marking_says_who_loses_and_who_gains_sight(
    owner: str, old: Marking, old_rel: list[str], new: Marking, new_rel: list[str]
) -> None:
    before = (old, encode_release(old_rel) if old is Marking.REL_TO else "")
    after = (new, encode_release(new_rel) if new is Marking.REL_TO else "")
    readers = [
        Principal(),
        *(Principal("u", m, Role.VIEWER) for m in ["GBR", "FRA", "POL", "DEU", "SEC", "EU", "ITA"]),
    ]
    sees_before = [can_see(r, owner, before[0], before[1]) for r in readers]
    sees_after = [can_see(r, owner, after[0], after[1]) for r in readers]
    said = change_of_sight(owner, before, after)
    lost = any(b and not a for b, a in zip(sees_before, sees_after, strict=True))
    gained = any(a and not b for b, a in zip(sees_before, sees_after, strict=True))
    assert ("no longer see it" in said) is lost
    assert ("will see it" in said.replace("no longer see it", "")) is gained
    if said:
        assert said.startswith("From ")
    else:
        assert sees_before == sees_after


def test_a_change_of_marking_reads_plainly() -> None:
    said = change_of_sight("GBR", (Marking.PUBLIC, ""), (Marking.COALITION, ""))
    assert said == (
        "From PUBLIC to COALITION: "
        "the public (readers who are not signed in) will no longer see it."
    )
    said = change_of_sight("GBR", (Marking.COALITION, ""), (Marking.REL_TO, "FRA"))
    assert "every member but FRA, GBR will no longer see it" in said
    said = change_of_sight(
        "GBR", (Marking.NATIONAL, ""), (Marking.REL_TO, encode_release(["FRA", "POL"]))
    )
    assert said == "From NATIONAL (GBR) to REL TO GBR, FRA, POL: FRA, POL will see it."


def test_marking_input_is_checked() -> None:
    with pytest.raises(Invalid):
        check_marking(Marking.REL_TO, "FRA", [])
    with pytest.raises(Invalid):
        check_marking(Marking.REL_TO, "FRA", ["FRA"])
    with pytest.raises(Invalid):
        check_marking(Marking.NATIONAL, "FRA", ["GBR"])
    with pytest.raises(Invalid):
        encode_release(["G%R"])
    assert check_marking(Marking.REL_TO, "FRA", ["gbr", "FRA", "POL"]) == "|GBR|POL|"


def test_sql_filter_agrees_with_the_rule_everywhere(engine, world) -> None:  # type: ignore[no-untyped-def]
    """Every owner x marking x release list against every reader: SQL and Python agree."""
    owners = ["GBR", "FRA", "SEC"]
    releases = [[], ["GBR"], ["POL"], ["GBR", "POL"]]
    made = []
    with transaction(engine) as session:
        for owner, marking, rel in itertools.product(owners, list(Marking), releases):
            stored = encode_release(r for r in rel if r != owner)
            m = Meeting(
                title=f"{owner}-{marking}-{stored}",
                kind="summit",
                held_on=dt.date(2025, 3, 2),
                format="virtual",
                level="leaders",
                owner_code=owner,
                marking=marking.value,
                rel_to=stored,
            )
            session.add(m)
            made.append(m)
        session.flush()
        for reader in [
            Principal(),
            *[Principal("u", c, Role.VIEWER) for c in ["GBR", "FRA", "POL", "DEU", "SEC"]],
        ]:
            seen = set(
                session.scalars(visible_select(reader, Meeting).with_only_columns(Meeting.id))
            )
            for m in made:
                assert (m.id in seen) is can_see(
                    reader, m.owner_code, Marking(m.marking), m.rel_to
                ), (reader, m.title)


def test_a_malformed_member_code_sees_public_only(engine, world) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        session.add(
            Meeting(
                title="released",
                kind="summit",
                held_on=dt.date(2025, 3, 2),
                format="virtual",
                level="leaders",
                owner_code="FRA",
                marking="REL_TO",
                rel_to="|GBR|",
            )
        )
        session.flush()
        for sneaky in ("%", "_BR", "G%"):
            reader = Principal("x", sneaky, Role.VIEWER)
            assert session.scalars(visible_select(reader, Meeting)).all() == []


shown_records = st.lists(
    st.tuples(codes, st.sampled_from(list(Marking)), st.lists(codes, max_size=4)), max_size=6
)


@given(shown_records, st.lists(codes | st.sampled_from(["ITA", "NLD"]), max_size=8))
def test_whoever_the_overall_marking_admits_may_see_every_record_shown(
    records: list[tuple[str, Marking, list[str]]], register: list[str]
) -> None:
    stored = [
        (m, owner, encode_release(rel) if m is Marking.REL_TO else "") for owner, m, rel in records
    ]
    result = overall(stored)
    levels = [m for m, _, _ in stored]
    rank = list(Marking)
    assert result.level is max(levels, key=rank.index, default=Marking.PUBLIC)
    if result.level is Marking.REL_TO:
        admitted = set(result.label.removeprefix("REL TO ").split(", ")) - {"nobody"}
        for marking, owner, rel in stored:
            if marking is Marking.REL_TO:
                assert admitted <= audience(owner, marking, rel, admitted | set(register))
    if result.level is Marking.NATIONAL:
        owners = {owner for m, owner, _ in stored if m is Marking.NATIONAL}
        assert all(code in result.label for code in owners)


def test_a_page_showing_nothing_is_public() -> None:
    assert overall([]).label == "PUBLIC"
    mixed = [
        (Marking.REL_TO, "GBR", encode_release(["FRA", "POL"])),
        (Marking.REL_TO, "GBR", encode_release(["FRA"])),
        (Marking.COALITION, "DEU", ""),
    ]
    assert overall(mixed).label == "REL TO FRA, GBR"


def test_noting_keeps_a_block_apart_and_adds_it_to_the_request() -> None:
    from coalition.core.marking import note_shown, noting, shown, watch_shown

    watch_shown()
    note_shown(Marking.PUBLIC, "GBR", None)
    with noting() as inner:
        note_shown(Marking.NATIONAL, "FRA", None)
        with noting() as innermost:
            note_shown(Marking.COALITION, "POL", None)
    assert innermost == {(Marking.COALITION, "POL", None)}
    assert inner == {(Marking.NATIONAL, "FRA", None), (Marking.COALITION, "POL", None)}
    assert shown() == inner | {(Marking.PUBLIC, "GBR", None)}
