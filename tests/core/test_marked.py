"""Marked records: one wire form of a marking and its provenance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import coalition.api  # noqa: F401 - every Public shape defined
from coalition.core.db import Base, transaction
from coalition.core.errors import Forbidden, Invalid
from coalition.core.marking import Marking, describe, encode_release
from coalition.core.model import Audited, MarkedRecord, checked_release
from coalition.core.principal import Principal, Role
from coalition.core.schemas import MarkedPublic, MarkingOut
from coalition.meetings.model import Meeting

codes = st.sampled_from(["GBR", "FRA", "POL", "DEU", "SEC", "EU"])


@dataclass
class Row:
    owner_code: str
    marking: str
    rel_to: str
    source_title: str = "Communiqué"
    source_ref: str = "https://example.org/c"
    illustrative: bool = True


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_shape_carrying_a_marking_is_a_marked_public_shape() -> None:
    carrying = {
        cls
        for cls in _subclasses(pydantic.BaseModel)
        if getattr(cls, "model_fields", {}).get("marking") is not None
        and cls.model_fields["marking"].annotation is MarkingOut
    }
    assert len(carrying) >= 11
    assert {c.__qualname__ for c in carrying if not issubclass(c, MarkedPublic)} == set()


def test_every_marked_table_is_a_marked_record_or_derived() -> None:
    marked = [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__marked__", False)]
    assert len(marked) >= 13
    written = [c for c in marked if issubclass(c, Audited)]
    assert {c.__name__ for c in written if not issubclass(c, MarkedRecord)} == set()
    derived = {c.__name__ for c in marked if not issubclass(c, Audited)}
    assert derived == {"Incident", "ReportRollup", "CellRollup", "Designation"}


class Shape(MarkedPublic):
    name: str
    source_ref: str
    marking: MarkingOut
    illustrative: bool


@given(codes, st.sampled_from(list(Marking)), st.lists(codes, max_size=4))
def test_a_shape_takes_marking_and_provenance_from_its_record(
    owner: str, marking: Marking, rel: list[str]
) -> None:
    row = Row(owner, marking.value, encode_release(rel))
    shape = Shape.of(row, name="n")
    assert list(shape.model_dump()) == ["name", "source_ref", "marking", "illustrative"]
    assert shape.marking == MarkingOut(
        owner=owner,
        marking=marking,
        rel_to=sorted(set(rel)),
        label=describe(marking, owner, row.rel_to),
    )
    assert (shape.source_ref, shape.illustrative) == (row.source_ref, row.illustrative)
    assert Shape.of(row, name="n", illustrative=False).illustrative is False


def _meeting() -> Meeting:
    return Meeting(
        title="t", kind="summit", held_on=dt.date(2025, 3, 2), format="virtual", level="leaders"
    )


def test_the_writer_checks_and_sets_a_marking(engine, world) -> None:  # type: ignore[no-untyped-def]
    gbr = Principal("gbr.planner", "GBR", Role.PLANNER)
    sec = Principal("sec.admin", "SEC", Role.ADMIN)
    with transaction(engine) as session:
        meeting = _meeting()
        meeting.mark(session, gbr, Marking.REL_TO, ["pol", "GBR", "FRA"])
        assert (meeting.owner_code, meeting.marking, meeting.rel_to) == (
            "GBR",
            Marking.REL_TO,
            "|FRA|POL|",
        )
        sec_for_fra = _meeting()
        sec_for_fra.mark(session, sec, Marking.NATIONAL, [], owner="FRA")
        assert (sec_for_fra.owner_code, sec_for_fra.rel_to) == ("FRA", "")
        assert checked_release(session, gbr, "GBR", Marking.COALITION, ["GBR"]) == ""
        with pytest.raises(Forbidden, match="only the secretariat"):
            _meeting().mark(session, gbr, Marking.COALITION, [], owner="FRA")
        with pytest.raises(Invalid, match="unknown member code: ZZZ"):
            _meeting().mark(session, gbr, Marking.REL_TO, ["FRA", "ZZZ"])
        with pytest.raises(Invalid, match="besides the owner"):
            _meeting().mark(session, gbr, Marking.REL_TO, ["GBR"])
        with pytest.raises(Invalid, match="takes no release list"):
            _meeting().mark(session, gbr, Marking.NATIONAL, ["FRA"])
