"""A plan's marking never shows an input to someone who may not read it. Pure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.errors import Invalid
from coalition.core.marking import Marking, can_see, encode_release
from coalition.core.principal import Principal
from coalition.forcegen import charts, scope

MEMBERS = ["FRA", "GBR", "POL", "DEU"]


@st.composite
def inputs(draw: st.DrawFn) -> list[tuple[str, Marking, str]]:
    """Records a FRA planner may see: their owner, marking and release list."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        owner = draw(st.sampled_from(MEMBERS))
        marking = draw(st.sampled_from(list(Marking)))
        if owner != "FRA" and marking is Marking.NATIONAL:
            marking = Marking.COALITION
        rel: list[str] = []
        if marking is Marking.REL_TO:
            others = [m for m in MEMBERS if m != owner]
            rel = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
            if owner != "FRA" and "FRA" not in rel:
                rel.append("FRA")
        out.append((owner, marking, encode_release(rel)))
    return out


@given(inputs())
def test_the_default_plan_marking_shows_nothing_to_an_outsider(
    records: list[tuple[str, Marking, str]],
) -> None:
    common = scope.common_audience(records)
    marking, rel = scope.widest_marking("FRA", common)
    scope.check_within("FRA", marking, rel, common)
    for member in MEMBERS:
        reader = Principal(username="r", member=member)
        if can_see(reader, "FRA", marking, encode_release(rel)):
            assert all(can_see(reader, *record) for record in records), (member, marking, rel)


def test_a_wider_marking_is_refused_with_the_widest_allowed() -> None:
    common = scope.common_audience([("GBR", Marking.REL_TO, "|FRA|")])
    assert common == frozenset({"FRA", "GBR"})
    with pytest.raises(Invalid, match="at most REL TO FRA, GBR"):
        scope.check_within("FRA", Marking.COALITION, [], common)
    with pytest.raises(Invalid, match="never PUBLIC"):
        scope.check_within("FRA", Marking.PUBLIC, [], None)


def test_the_chart_labels_every_bar_with_its_figures() -> None:
    class Line:
        def __init__(self, phase: str, cap: str, req: int, with_: int, without: int) -> None:
            self.phase, self.capability = phase, cap
            self.required, self.filled, self.filled_without = req, with_, without

    rows = charts.group_fill(
        [
            Line("regeneration", "TRAINING_TEAM", 4, 4, 4),
            Line("reassurance", "FTR_SQN", 3, 3, 0),
            Line("reassurance", "FTR_SQN", 1, 0, 0),
        ]
    )
    assert [(r.phase, r.capability, r.required, r.filled) for r in rows] == [
        ("reassurance", "FTR_SQN", 4, 3),
        ("regeneration", "TRAINING_TEAM", 4, 4),
    ]
    svg = charts.fill_chart(rows, {"FTR_SQN": "Fighter <squadron>"})
    assert "3/4 with" in svg and "0/4 without" in svg
    assert "Fighter &lt;squadron&gt;" in svg and "style=" not in svg
