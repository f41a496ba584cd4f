"""The list layer: pages partition the visible rows, in order, with the visible count."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking, can_see, encode_release
from coalition.core.principal import Principal, Role
from coalition.core.visibility import visible_select
from coalition.meetings.model import Meeting
from tests.world import World

# A test list over meetings: a date, a text, and an expression that is NULL for some rows.
MEETINGS = Listing(
    model=Meeting,
    sorts={
        "held_on": Meeting.held_on,
        "title": Meeting.title,
        "place": func.nullif(Meeting.place, ""),
    },
    default=[Meeting.held_on.desc()],
    filters={"kind": lambda kind: Meeting.kind == kind},
)

OWNERS = ["GBR", "FRA", "SEC"]
READERS = [
    Principal(),
    *[Principal("u", code, Role.VIEWER) for code in ["GBR", "FRA", "POL", "DEU", "SEC"]],
]

rows = st.lists(
    st.tuples(
        st.integers(0, 3),  # day: few values, so sort keys tie
        st.sampled_from(["a", "b", "c"]),  # title
        st.sampled_from(["", "x", "y"]),  # place ("" sorts as NULL)
        st.sampled_from(["summit", "ministerial"]),
        st.sampled_from(OWNERS),
        st.sampled_from(list(Marking)),
        st.lists(st.sampled_from(["GBR", "POL"]), max_size=2, unique=True),
    ),
    max_size=14,
)


def _add(session: Session, data: list[tuple[int, str, str, str, str, Marking, list[str]]]) -> None:
    for day, title, place, kind, owner, marking, rel in data:
        session.add(
            Meeting(
                title=title,
                kind=kind,
                held_on=dt.date(2025, 3, 1) + dt.timedelta(days=day),
                place=place,
                format="virtual",
                level="leaders",
                owner_code=owner,
                marking=marking.value,
                rel_to=encode_release(r for r in rel if r != owner)
                if marking is Marking.REL_TO
                else "",
            )
        )
    session.flush()


def _read_all(session: Session, reader: Principal, ask: ListQuery, **filters: object) -> list[int]:
    """Every page in turn, checking each page's total; the rows' ids in page order."""
    seen: list[int] = []
    offset = 0
    totals = set()
    while True:
        page = MEETINGS.fetch(session, visible_select(reader, Meeting), ask.at(offset), **filters)
        assert len(page.items) <= ask.limit
        totals.add(page.total)
        seen.extend(m.id for m in page.items)
        if not page.items:
            break
        offset += ask.limit
    assert len(totals) == 1, totals
    assert totals == {len(seen)}
    return seen


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=rows,
    reader=st.sampled_from(READERS),
    limit=st.integers(1, 5),
    sort=st.sampled_from([None, *MEETINGS.keys]),
    kind=st.sampled_from([None, "summit"]),
)
def test_pages_partition_the_visible_rows_in_order(
    engine: Engine,
    world: World,
    data: list[tuple[int, str, str, str, str, Marking, list[str]]],
    reader: Principal,
    limit: int,
    sort: str | None,
    kind: str | None,
) -> None:
    with Session(engine) as session:
        try:
            _add(session, data)
            expected = {
                m.id
                for m in session.scalars(select(Meeting))
                if can_see(reader, m.owner_code, Marking(m.marking), m.rel_to)
                and (kind is None or m.kind == kind)
            }
            seen = _read_all(session, reader, ListQuery(limit=limit, sort=sort), kind=kind)
            assert len(seen) == len(set(seen)), "a row on two pages"
            assert set(seen) == expected, "pages must hold every visible row and no other"
            ordered = session.scalars(
                MEETINGS.filter(visible_select(reader, Meeting), kind=kind)
                .order_by(*MEETINGS.order(sort))
                .with_only_columns(Meeting.id)
            ).all()
            assert seen == list(ordered), "pages follow the list's one order"
            by_id = {m.id: m for m in session.scalars(visible_select(reader, Meeting))}
            _check_order([by_id[i] for i in seen], sort)
        finally:
            session.rollback()


def _check_order(meetings: list[Meeting], sort: str | None) -> None:
    """Equal keys come in id order; dates and NULLs in the order Python expects."""
    key = (sort or "-held_on").removeprefix("-")
    descending = (sort or "-held_on").startswith("-")
    values = [getattr(m, key) or None for m in meetings]
    for (a, va), (b, vb) in itertools.pairwise(zip(meetings, values, strict=True)):
        if va == vb:
            assert a.id < b.id, "the tie-breaker orders equal keys"
    nulls = [v is None for v in values]
    assert nulls == sorted(nulls), "NULLs sort last in both directions"
    if key == "held_on":
        days = [m.held_on for m in meetings]
        assert days == sorted(days, reverse=descending)


def test_declared_sort_keys_only() -> None:
    assert MEETINGS.keys == ["held_on", "-held_on", "title", "-title", "place", "-place"]
    for key in MEETINGS.keys:
        assert re.match(MEETINGS.pattern, key)
    for bad in ["", "-", "id", "held_on;drop", "--title", "Title"]:
        assert not re.match(MEETINGS.pattern, bad)
    with pytest.raises(ValueError):
        MEETINGS.order("id")
    assert str(MEETINGS.order("title")[-1]) == str(Meeting.id.asc()), "the id breaks ties"
    with pytest.raises(TypeError):
        MEETINGS.filter(visible_select(Principal(), Meeting), status="x")
    with pytest.raises(ValueError):
        Listing(model=Meeting, sorts={"Bad Key": Meeting.id}, default=[])


def test_an_offset_past_the_end_still_counts(engine: Engine, world: World) -> None:
    with Session(engine) as session:
        try:
            _add(session, [(0, "a", "", "summit", "GBR", Marking.PUBLIC, [])] * 3)
            page = MEETINGS.fetch(
                session, visible_select(Principal(), Meeting), ListQuery(limit=2, offset=10)
            )
            assert page.items == [] and page.total == 3
            page = MEETINGS.fetch(
                session, visible_select(Principal(), Meeting), ListQuery(limit=2, offset=2)
            )
            assert len(page.items) == 1 and page.total == 3
        finally:
            session.rollback()
