"""Why an offer stayed out of a short line, pure: the reasons in words, and the rule that an
offer has no reason to be out exactly when the scenario counts it and the pair is compatible.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from coalition.forcegen.allocation import (
    Offer,
    OfferStatus,
    Requirement,
    Scenario,
    counted_offers,
)
from coalition.forcegen.compatibility import compatible_pairs, incompatibilities, is_compatible
from coalition.forcegen.gaps import kept_out, reasons_out
from coalition.forcegen.solver import solve
from tests.forcegen.test_solver import FAST, day, offers, requirements, scenarios

LINE = Requirement(1, "GBAD_BTY", 3, "reassurance", "kyiv", "air_defence", day(0), day(90), 1)


def offer(ident: int, member: str, **changes: object) -> Offer:
    base = Offer(ident, member, "GBAD_BTY", 1, day(0), day(365), OfferStatus.OFFERED)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_each_offer_kept_out_of_a_short_line_says_why() -> None:
    other = Requirement(
        2, "GBAD_BTY", 1, "reassurance", "rear_area", "air_defence", day(0), day(90), 1
    )
    offs = [
        offer(11, "FRA"),  # fills the line
        offer(12, "DEU", excluded_regions=frozenset({"kyiv"})),
        offer(13, "POL", start=day(200), end=day(300)),
        offer(14, "SWE", needs_enablers=frozenset({"STRAT_AIRLIFT"})),
        offer(15, "NLD", status=OfferStatus.INDICATED),
        offer(16, "DNK", excluded_tasks=frozenset({"air_defence"})),
        offer(17, "NOR", excluded_regions=frozenset({"kyiv"}), quantity=2),  # fills line 2
        offer(18, "ESP", approval_pending=True),
    ]
    scenario = Scenario(backstop=False, count_pending_approval=False)
    solution = solve([LINE, other], offs, scenario)
    labels = {1: "Air defence of Kyiv", 2: "Air defence of the rear area"}
    out = kept_out([LINE, other], offs, scenario, solution, labels)
    assert set(out) == {1}
    why = {k.member: [r.text for r in k.reasons] for k in out[1]}
    assert "FRA" not in why
    assert why["DEU"] == ["a caveat: it may not go to Kyiv"]
    assert why["POL"] == [
        "available 2025-12-18 to 2026-03-28, outside the line's window 2025-06-01 to 2025-08-30"
    ]
    assert why["SWE"] == [
        "it needs Strategic airlift from the backstop, which this plan does not assume"
    ]
    assert why["NLD"] == ["only indicated: this scenario counts offered and confirmed offers"]
    assert why["DNK"] == ["a caveat: it may not be used for air defence"]
    assert why["NOR"] == ["a caveat: it may not go to Kyiv"]
    assert why["ESP"] == [
        "national approval is still pending, and this scenario counts approved offers only"
    ]


def test_an_offer_spent_on_other_lines_names_them() -> None:
    first = dataclasses.replace(LINE, id=1, quantity=1, priority=1)
    second = dataclasses.replace(LINE, id=2, quantity=2, priority=5)
    offs = [offer(11, "FRA")]
    scenario = Scenario()
    solution = solve([first, second], offs, scenario)
    out = kept_out([first, second], offs, scenario, solution, {1: "First", 2: "Second"})
    (only,) = out[2]
    assert only.allocated_here == 0
    assert [(r.code, r.text) for r in only.reasons] == [
        ("used_elsewhere", "all its units went to other lines: First (1)")
    ]


def test_the_line_s_own_reliance_on_the_backstop_is_named() -> None:
    line = dataclasses.replace(LINE, enablers=frozenset({"AAR", "STRAT_AIRLIFT"}))
    (reason,) = reasons_out(line, offer(11, "FRA"), Scenario(backstop=False))
    assert reason.codes == ("AAR", "STRAT_AIRLIFT")
    out = kept_out(
        [line],
        [offer(11, "FRA")],
        Scenario(backstop=False),
        solve([line], [offer(11, "FRA")], Scenario(backstop=False)),
        {},
    )
    assert [r.text for r in out[1][0].reasons] == [
        "the line relies on Air-to-air refuelling and Strategic airlift from the backstop, "
        "which this plan does not assume"
    ]


@FAST
@given(requirements(), offers(), scenarios())
def test_an_offer_has_no_reason_to_be_out_exactly_when_it_may_fill_the_line(
    reqs: list[Requirement], offs: list[Offer], scenario: Scenario
) -> None:
    counted = counted_offers(offs, scenario)
    pr, po = compatible_pairs(reqs, counted, scenario.backstop)
    allowed = {(reqs[i].id, counted[j].id) for i, j in zip(pr.tolist(), po.tolist(), strict=True)}
    for r in reqs:
        for o in offs:
            assert (not reasons_out(r, o, scenario)) == ((r.id, o.id) in allowed), (r, o)
            assert (not incompatibilities(r, o, scenario.backstop)) == is_compatible(
                r, o, scenario.backstop
            )


@FAST
@given(requirements(), offers(), st.booleans())
def test_a_short_line_lists_every_offer_of_its_capability_that_gave_it_less_than_it_had(
    reqs: list[Requirement], offs: list[Offer], backstop: bool
) -> None:
    scenario = Scenario(backstop=backstop)
    solution = solve(reqs, offs, scenario)
    out = kept_out(reqs, offs, scenario, solution, {})
    given_: dict[tuple[int, int], int] = {}
    for a in solution.allocations:
        given_[a.requirement_id, a.offer_id] = a.quantity
    short = {f.requirement_id for f in solution.fills if f.filled < f.required}
    assert set(out) == short
    for r in reqs:
        if r.id not in short:
            continue
        listed = {k.offer_id for k in out[r.id]}
        for o in offs:
            here = given_.get((r.id, o.id), 0)
            expected = o.capability == r.capability and not (here and here >= o.quantity)
            assert (o.id in listed) == expected
        assert all(k.reasons for k in out[r.id]), "every offer kept out has a reason"
