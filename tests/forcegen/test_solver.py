"""The allocation model, pure: a hand-worked plan, properties, and bad input.

The properties run the model on small random instances and check what must hold of any
plan: no allocation exceeds an offer or a requirement, every allocated pair respects the
caveats, windows and enablers, the vectorised compatibility agrees with the plain rule,
removing an offer never raises the objective, and the optimum is never below greedy.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.core.errors import Invalid
from coalition.forcegen.allocation import (
    COUNTABLE,
    Offer,
    OfferStatus,
    Requirement,
    Scenario,
    counted_offers,
    counted_requirements,
    fill_score,
)
from coalition.forcegen.compatibility import compatible_pairs, is_compatible
from coalition.forcegen.greedy import greedy
from coalition.forcegen.solver import plan, solve

D0 = dt.date(2025, 6, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


# A hand-worked instance ------------------------------------------------------------------
#
# R1 (priority 1, weight 5) wants one fighter squadron in the north; R2 (priority 2,
# weight 4) one in the south. O1 (GBR) may go anywhere; O2 (FRA) may not go south. The
# optimum sends FRA north and GBR south: both filled. A first-come allocation gives GBR
# to R1 and then has nothing for R2. R3 (priority 3, weight 3) wants two battalions and
# relies on strategic airlift from the backstop; DEU offers three. O4 (POL) is available
# only before the windows open; O5 (NLD) is merely indicated and does not count.
R1 = Requirement(1, "FTR_SQN", 1, "reassurance", "north", "air_policing", day(0), day(90), 1)
R2 = Requirement(2, "FTR_SQN", 1, "reassurance", "south", "air_policing", day(0), day(90), 2)
R3 = Requirement(
    3,
    "MECH_INF_BN",
    2,
    "reassurance",
    "north",
    "reassurance_presence",
    day(30),
    day(120),
    3,
    frozenset({"STRAT_AIRLIFT"}),
)
O1 = Offer(11, "GBR", "FTR_SQN", 1, day(0), day(365), OfferStatus.CONFIRMED)
O2 = Offer(12, "FRA", "FTR_SQN", 1, day(0), day(365), OfferStatus.OFFERED, frozenset({"south"}))
O3 = Offer(13, "DEU", "MECH_INF_BN", 3, day(0), day(365), OfferStatus.OFFERED)
O4 = Offer(14, "POL", "FTR_SQN", 1, day(-100), day(-1), OfferStatus.CONFIRMED)
O5 = Offer(15, "NLD", "MECH_INF_BN", 1, day(0), day(365), OfferStatus.INDICATED)
HAND = ([R1, R2, R3], [O1, O2, O3, O4, O5])


def test_the_hand_worked_plan() -> None:
    result = plan(*HAND, Scenario(backstop=True))
    with_b = result.with_backstop
    assert with_b.status == "optimal"
    assert with_b.objective == pytest.approx(5 + 4 + 3)
    assert sorted((a.requirement_id, a.offer_id, a.quantity) for a in with_b.allocations) == [
        (1, 12, 1),
        (2, 11, 1),
        (3, 13, 2),
    ]
    without = result.without_backstop
    assert without.objective == pytest.approx(5 + 4)
    assert {f.requirement_id: f.filled for f in without.fills} == {1: 1, 2: 1, 3: 0}
    assert [(d.requirement_id, d.units) for d in result.dependencies] == [(3, 2)]


def test_greedy_misses_what_the_model_finds() -> None:
    _, fills = greedy(*HAND, Scenario(backstop=True))
    assert {f.requirement_id: f.filled for f in fills} == {1: 1, 2: 0, 3: 2}
    assert fill_score(HAND[0], fills) == pytest.approx(5 + 3)


def test_a_scenario_counts_members_and_statuses() -> None:
    only_gbr = Scenario(members=frozenset({"GBR"}), statuses=frozenset(COUNTABLE))
    solution = solve(*HAND, only_gbr)
    assert {a.member for a in solution.allocations} == {"GBR"}
    indicated = Scenario(statuses=frozenset({OfferStatus.INDICATED}), backstop=True)
    assert {a.offer_id for a in solve(*HAND, indicated).allocations} == {15}


def test_a_phase_scenario_plans_that_phase_only() -> None:
    solution = solve(*HAND, Scenario(phase="regeneration"))
    assert solution.fills == () and solution.objective == 0


def _req(**changes: object) -> Requirement:
    fields = {**R1.__dict__, **changes}
    return Requirement(**fields)


def _offer(**changes: object) -> Offer:
    fields = {**O1.__dict__, **changes}
    return Offer(**fields)


@pytest.mark.parametrize(
    ("requirements", "offers", "message"),
    [
        ([_req(quantity=0)], [O1], "quantity must be at least 1"),
        ([R1], [_offer(quantity=-2)], "may not be negative"),
        ([_req(end=day(-5))], [O1], "ends before it starts"),
        ([R1], [_offer(end=day(-5))], "ends before it starts"),
        ([_req(priority=9)], [O1], "priority runs from 1 to 5"),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    requirements: list[Requirement], offers: list[Offer], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        plan(requirements, offers, Scenario())


def test_an_infeasible_scenario_is_refused() -> None:
    with pytest.raises(Invalid, match="no requirement to fill in phase monitoring"):
        plan(*HAND, Scenario(phase="monitoring"))
    with pytest.raises(Invalid, match="no member"):
        plan(*HAND, Scenario(members=frozenset()))
    with pytest.raises(Invalid, match="withdrawn offers never count"):
        plan(*HAND, Scenario(statuses=frozenset({OfferStatus.WITHDRAWN})))


# Properties -------------------------------------------------------------------------------

CAPS = ["FTR_SQN", "MCM_VESSEL"]
REGIONS = ["north", "south", "sea"]
TASKS = ["policing", "presence"]
ENABLERS = ["AAR", "STRAT_AIRLIFT"]


@st.composite
def window(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    start = draw(st.integers(0, 60))
    return day(start), day(start + draw(st.integers(0, 60)))


@st.composite
def requirements(draw: st.DrawFn) -> list[Requirement]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        start, end = draw(window())
        out.append(
            Requirement(
                id=i + 1,
                capability=draw(st.sampled_from(CAPS)),
                quantity=draw(st.integers(1, 5)),
                phase=draw(st.sampled_from(["monitoring", "reassurance"])),
                region=draw(st.sampled_from(REGIONS)),
                task=draw(st.sampled_from(TASKS)),
                start=start,
                end=end,
                priority=draw(st.integers(1, 5)),
                enablers=frozenset(draw(st.lists(st.sampled_from(ENABLERS), max_size=1))),
            )
        )
    return out


@st.composite
def offers(draw: st.DrawFn) -> list[Offer]:
    out = []
    for i in range(draw(st.integers(0, 8))):
        start, end = draw(window())
        out.append(
            Offer(
                id=100 + i,
                member=draw(st.sampled_from(["GBR", "FRA", "POL"])),
                capability=draw(st.sampled_from(CAPS)),
                quantity=draw(st.integers(0, 4)),
                start=start,
                end=end,
                status=draw(st.sampled_from(list(OfferStatus))),
                excluded_regions=frozenset(draw(st.lists(st.sampled_from(REGIONS), max_size=2))),
                excluded_tasks=frozenset(draw(st.lists(st.sampled_from(TASKS), max_size=1))),
                needs_enablers=frozenset(draw(st.lists(st.sampled_from(ENABLERS), max_size=1))),
                approval_pending=draw(st.booleans()),
            )
        )
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    return Scenario(
        backstop=draw(st.booleans()),
        members=draw(st.none() | st.frozensets(st.sampled_from(["GBR", "FRA", "POL"]), min_size=1)),
        statuses=draw(st.frozensets(st.sampled_from(sorted(COUNTABLE)), min_size=1)),
        phase=draw(st.none() | st.sampled_from(["monitoring", "reassurance"])),
        count_pending_approval=draw(st.booleans()),
    )


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(requirements(), offers(), scenarios())
def test_no_allocation_exceeds_an_offer_or_breaks_a_caveat(
    reqs: list[Requirement], offs: list[Offer], scenario: Scenario
) -> None:
    solution = solve(reqs, offs, scenario)
    assert solution.status == "optimal"
    counted = {o.id: o for o in counted_offers(offs, scenario)}
    by_id = {r.id: r for r in counted_requirements(reqs, scenario)}
    per_offer: Counter[int] = Counter()
    per_req: Counter[int] = Counter()
    for a in solution.allocations:
        assert a.offer_id in counted, "an offer the scenario does not count was used"
        assert a.requirement_id in by_id, "a requirement outside the scenario was filled"
        assert is_compatible(by_id[a.requirement_id], counted[a.offer_id], scenario.backstop)
        assert a.quantity > 0
        per_offer[a.offer_id] += a.quantity
        per_req[a.requirement_id] += a.quantity
    for oid, units in per_offer.items():
        assert units <= counted[oid].quantity
    for rid, units in per_req.items():
        assert units <= by_id[rid].quantity
    assert solution.objective == pytest.approx(fill_score(reqs, solution.fills))


@FAST
@given(requirements(), offers(), st.booleans())
def test_vectorised_compatibility_is_the_plain_rule(
    reqs: list[Requirement], offs: list[Offer], backstop: bool
) -> None:
    pr, po = compatible_pairs(reqs, offs, backstop)
    fast = {(reqs[i].id, offs[j].id) for i, j in zip(pr.tolist(), po.tolist(), strict=True)}
    plain = {(r.id, o.id) for r in reqs for o in offs if is_compatible(r, o, backstop)}
    assert fast == plain
    assert len(fast) == len(pr)


@FAST
@given(requirements(), offers(), scenarios(), st.data())
def test_removing_an_offer_never_raises_the_objective(
    reqs: list[Requirement], offs: list[Offer], scenario: Scenario, data: st.DataObject
) -> None:
    if not offs:
        return
    full = solve(reqs, offs, scenario).objective
    drop = data.draw(st.integers(0, len(offs) - 1))
    fewer = solve(reqs, offs[:drop] + offs[drop + 1 :], scenario).objective
    assert fewer <= full + 1e-9


@FAST
@given(requirements(), offers(), scenarios())
def test_the_optimum_is_never_below_greedy_and_the_backstop_never_hurts(
    reqs: list[Requirement], offs: list[Offer], scenario: Scenario
) -> None:
    optimum = solve(reqs, offs, scenario).objective
    _, fills = greedy(reqs, offs, scenario)
    assert optimum >= fill_score(reqs, fills) - 1e-9
    with_b = solve(reqs, offs, Scenario(**{**scenario.__dict__, "backstop": True}))
    without = solve(reqs, offs, Scenario(**{**scenario.__dict__, "backstop": False}))
    assert with_b.objective >= without.objective - 1e-9


def test_a_solve_stopped_by_its_time_limit_still_has_a_plan_and_a_gap() -> None:
    import random

    rng = random.Random(7)
    caps = ["FTR_SQN", "MCM_VESSEL", "TRAINING_TEAM"]
    reqs = [
        Requirement(
            i,
            rng.choice(caps),
            rng.randint(2, 20),
            "reassurance",
            rng.choice(REGIONS),
            rng.choice(TASKS),
            day(rng.randrange(60)),
            day(60 + rng.randrange(60)),
            rng.randint(1, 5),
        )
        for i in range(1, 301)
    ]
    offs = [
        Offer(
            i,
            "GBR",
            rng.choice(caps),
            rng.randint(1, 3),
            day(rng.randrange(60)),
            day(60 + rng.randrange(90)),
            OfferStatus.OFFERED,
            frozenset(rng.sample(REGIONS, rng.randint(0, 2))),
        )
        for i in range(1, 3001)
    ]
    scenario = Scenario()
    solution = solve(reqs, offs, scenario, time_limit=0.001)
    _, fills = greedy(reqs, offs, scenario)
    assert solution.status in ("optimal", "time_limit")
    assert solution.objective >= fill_score(reqs, fills) - 1e-9
    assert solution.bound >= solution.objective - 1e-9
    assert 0.0 <= solution.gap < 1.0
    if solution.status == "optimal":
        assert solution.gap == 0.0
