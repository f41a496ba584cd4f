"""The daily report on both databases, built for each reader from what they may see.

A small world: a PUBLIC 30-day ceasefire from 25 March 2025, GBR's reports of 26 March
(Kyiv time, two hours ahead of UTC then) in and around the day, one placed in Paris, one
in Kharkiv the week before, two held-territory snapshots of one source, and a PUBLIC claim
with two disagreeing PUBLIC reviews. The rule the tests hold it to: records a reader may
not see, added afterwards, change nothing of that reader's report (the document's JSON and
its inputs), while the reader who may see a NATIONAL record gets a NATIONAL report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import shapely
from sqlalchemy import Engine

from coalition.briefings import daily
from coalition.briefings.assembled import Assembled
from coalition.briefings.document import DAILY_SECTIONS, Document, delta, to_json
from coalition.ceasefire import service as ceasefire
from coalition.ceasefire.model import Ceasefire
from coalition.ceasefire.schemas import ReportCreate, StatusChangeIn
from coalition.core.db import transaction
from coalition.core.errors import Invalid
from coalition.core.marking import Marking
from coalition.situation import claims, territory
from coalition.situation import service as situation
from coalition.situation.schemas import ChangeQuery
from tests.world import World

DAY = dt.date(2025, 3, 26)
AFTER = dt.datetime(2025, 4, 2, tzinfo=dt.UTC)  # a week later: the day is over
HELD_1 = shapely.box(37.5, 47.8, 38.2, 48.4)
HELD_2 = shapely.union(HELD_1, shapely.box(36.6, 47.3, 37.6, 47.9))
DONETSK = (48.1, 37.7)
PARIS = (48.8566, 2.3522)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _ceasefire(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Ceasefire(
                name="Test ceasefire",
                parties="Party A; Party B",
                scope="all_fronts",
                starts_on=dt.date(2025, 3, 25),
                duration_days=30,
                status="in_force",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )


def _report(
    engine: Engine,
    world: World,
    n: int,
    at: str,
    *,
    user: str = "gbr.monitor",
    place: tuple[float, float] = DONETSK,
    kind: str = "shelling",
    casualties: int = 0,
    marking: Marking = Marking.COALITION,
    rel_to: tuple[str, ...] = (),
    **changes: Any,
) -> None:
    data = ReportCreate.model_validate(
        {
            "source_name": f"Patrol {user[:3]}",
            "source_id": f"{user}-{n}",
            "reliability": "B",
            "credibility": 2,
            "occurred_at": _at(at),
            "latitude": place[0],
            "longitude": place[1],
            "type": kind,
            "casualties": casualties,
            "marking": marking,
            "rel_to": list(rel_to),
            **changes,
        }
    )
    with transaction(engine) as session:
        ceasefire.file_report(session, world.principal(user), data)


def _snapshot(
    engine: Engine,
    world: World,
    shape: Any,
    day: dt.date,
    *,
    source: str = "osint",
    user: str = "gbr.monitor",
    marking: Marking = Marking.COALITION,
) -> None:
    with transaction(engine) as session:
        territory.store(
            session,
            world.principal(user),
            source,
            day,
            "held",
            shape,
            territory.Labels(method="Geolocated footage", marking=marking),
        )


def _claim(
    engine: Engine, world: World, summary: str, at: str, *, user: str = "gbr.monitor", **kw: Any
) -> int:
    with transaction(engine) as session:
        made = claims.record_claim(
            session,
            world.principal(user),
            claims.ClaimIn(
                summary=summary,
                claimant="A spokesman",
                kind="territorial_control",
                claimed_at=_at(at),
                **kw,
            ),
        )
        return made.id


def _review(
    engine: Engine,
    world: World,
    claim_id: int,
    reviewer: str,
    at: str,
    rating: str,
    *,
    user: str = "gbr.monitor",
    marking: Marking = Marking.PUBLIC,
) -> None:
    with transaction(engine) as session:
        claims.add_review(
            session,
            world.principal(user),
            claim_id,
            claims.ReviewIn(
                reviewer=reviewer,
                reviewer_kind="analytic_body",
                reviewed_at=_at(at),
                rating=rating,
                confidence="high",
                marking=marking,
            ),
        )


def _seed(engine: Engine, world: World) -> int:
    """The day as GBR and the public know it; returns the PUBLIC claim's id."""
    _ceasefire(engine)
    _report(engine, world, 1, "2025-03-25T23:00:00", casualties=2)  # 01:00 in Kyiv
    _report(
        engine,
        world,
        2,
        "2025-03-26T08:00:00",
        kind="small_arms",
        place=(47.5, 35.8),
        marking=Marking.PUBLIC,
    )
    _report(engine, world, 3, "2025-03-26T09:00:00", place=PARIS, region="Donetsk")
    _report(engine, world, 4, "2025-03-26T21:30:00", kind="drone_strike", place=(48.3, 37.9))
    _report(engine, world, 5, "2025-03-26T22:30:00")  # 00:30 on the 27th in Kyiv
    _report(engine, world, 6, "2025-03-20T10:00:00", place=(49.9, 36.3))  # Kharkiv
    _snapshot(engine, world, HELD_1, DAY - dt.timedelta(days=1))
    _snapshot(engine, world, HELD_2, DAY)
    claim = _claim(
        engine, world, "The town is encircled", "2025-03-26T10:00:00", marking=Marking.PUBLIC
    )
    _review(engine, world, claim, "Analysts", "2025-03-26T12:00:00", "mostly_false")
    _review(engine, world, claim, "Fact team", "2025-03-26T13:00:00", "true")
    return claim


def _hide(engine: Engine, world: World, claim: int, *, public: bool = False) -> None:
    """Records neither GBR's viewers nor the public may see: FRA's own, and released to
    FRA and Poland only; for the ``public``, a COALITION report too."""
    national = Marking.NATIONAL
    _report(
        engine, world, 1, "2025-03-26T11:00:00", user="fra.monitor", casualties=5, marking=national
    )
    _report(
        engine,
        world,
        2,
        "2025-03-26T15:00:00",
        user="fra.monitor",
        place=PARIS,
        marking=Marking.REL_TO,
        rel_to=("POL",),
    )
    _report(
        engine,
        world,
        3,
        "2025-03-19T10:00:00",
        user="fra.monitor",
        place=(46.7, 33.0),
        marking=national,
    )
    if public:
        _report(engine, world, 7, "2025-03-26T14:00:00", kind="missile")
    _snapshot(
        engine, world, HELD_1, DAY, source="fra-assessment", user="fra.monitor", marking=national
    )
    _claim(
        engine,
        world,
        "A bridge is down",
        "2025-03-26T16:00:00",
        user="fra.monitor",
        marking=national,
    )
    _review(
        engine,
        world,
        claim,
        "Service",
        "2025-03-26T17:00:00",
        "false",
        user="fra.monitor",
        marking=national,
    )


Build = Callable[..., Assembled]


@pytest.fixture
def assemble(engine: Engine, world: World) -> Build:
    def build(
        user: str | None, day: dt.date = DAY, now: dt.datetime = AFTER, **kw: Any
    ) -> Assembled:
        with transaction(engine) as session:
            return daily.assemble(
                session,
                world.principal(user),
                day,
                previous=kw.pop("previous", None),
                now=now,
                **kw,
            )

    return build


def _figures(document: Document) -> dict[str, Any]:
    return {f.key: f.value for f in document.figures()}


def test_the_sections_come_in_order_attributed_and_numbered_by_the_ceasefire_day(
    engine: Engine, world: World, assemble: Build
) -> None:
    _seed(engine, world)
    built = assemble("gbr.viewer")
    document = built.document
    assert tuple(s.title for s in document.sections) == DAILY_SECTIONS
    assert document.problems() == []
    assert all(f.source and f.cutoff == document.cutoff for f in document.figures())
    assert all(f.first_edition for f in document.figures())
    assert document.number == 2
    assert document.title == "Daily report 2 — 26 March 2025"
    assert document.audience == "Prepared for gbr.viewer (GBR), from what they may see"
    assert assemble(None).document.audience == "Public edition"
    assert document.period_start == _at("2025-03-25T22:00:00")
    assert document.cutoff == document.period_end == _at("2025-03-26T22:00:00")
    assert document.marking.label == "COALITION"
    assert assemble(None).document.marking.label == "PUBLIC"
    assert built.inputs["day"] == "2025-03-26" and len(built.digest) == 64


def test_the_figures_are_what_the_services_say(
    engine: Engine, world: World, assemble: Build
) -> None:
    _seed(engine, world)
    figures = _figures(assemble("gbr.viewer").document)
    reader = world.principal("gbr.viewer")
    start, end = _at("2025-03-25T22:00:00"), _at("2025-03-26T22:00:00")
    with transaction(engine) as session:
        reports = ceasefire.list_reports(session, reader, since=start, until=end).items
        incidents = ceasefire.list_incidents(session, reader, since=start, until=end).items
        query = ChangeQuery.model_validate({"source": "osint", "from": "2025-03-25", "to": DAY})
        change = situation.change_out(session, reader, query)
        period_claims = situation.claims_in_period(session, reader, start, end)
    assert len(reports) == 4 and len(incidents) == 4
    assert figures["sources.reports"] == len(reports)
    assert figures["summary.violations"] == figures["violations.violations"] == 3
    assert figures["violations.reports"] == 3 and figures["limits.out_of_area"] == 1
    assert figures["summary.heavy_weapons"] == 1
    assert figures["summary.incidents"] == 3
    assert figures["summary.fatalities"] == figures["civilian.fatalities"] == 2
    assert figures["civilian.incidents_with_fatalities"] == 1
    assert figures["summary.territory.osint"] == round(change.net_km2, 1) > 0
    assert figures["territory.osint.gained_km2"] == round(change.gained_km2, 1)
    assert figures["territory.osint.area_km2"] == round(change.later_km2, 1)
    assert [c.status for c in period_claims] == ["disputed"]
    assert figures["summary.claims_disputed"] == figures["claims.disputed"] == 1
    assert figures["limits.silent_regions"] == 1  # Kharkiv reported the week before only
    document = assemble("gbr.viewer").document
    limits = next(s for s in document.sections if s.title == "Limits of monitoring")
    assert "No report came from Kharkiv in the period" in limits.paragraphs[0]
    table = next(s for s in document.sections if s.title == "Violations by sector and type")
    assert ("Donetsk", "shelling", "1", "1") in [r.cells for r in table.items]
    # The public sees the PUBLIC report, the ceasefire and the PUBLIC claim only.
    public = _figures(assemble(None).document)
    assert (public["summary.violations"], public["sources.reports"]) == (1, 1)
    assert public["summary.territory"] == "no snapshot in the period"
    assert public["summary.claims_disputed"] == 1


@pytest.mark.parametrize("user", ["gbr.viewer", None])
def test_records_hidden_from_the_reader_change_nothing(
    engine: Engine, world: World, assemble: Build, user: str | None
) -> None:
    claim = _seed(engine, world)
    # Built after the day, and during it: a hidden record must not move today's cut-off.
    times = (AFTER, _at("2025-03-26T16:30:00"))
    said = ["A breach is likely to follow."]
    before = [assemble(user, now=now, judgements=said) for now in times]
    _hide(engine, world, claim, public=user is None)
    after = [assemble(user, now=now, judgements=said) for now in times]
    for earlier, later in zip(before, after, strict=True):
        assert to_json(later.document) == to_json(earlier.document)
        assert later.inputs == earlier.inputs and later.digest == earlier.digest
    assert after[1].document.cutoff == _at("2025-03-26T13:00:00")  # the last visible review


def test_a_reader_who_may_see_a_national_record_gets_a_national_report(
    engine: Engine, world: World, assemble: Build
) -> None:
    claim = _seed(engine, world)
    before = assemble("fra.viewer")
    assert before.document.marking.label == "COALITION"
    _hide(engine, world, claim)
    after = assemble("fra.viewer")
    assert after.document.marking.label == "NATIONAL (FRA)"
    assert after.digest != before.digest
    figures = _figures(after.document)
    assert figures["civilian.fatalities"] == 2 + 5
    assert figures["limits.out_of_area"] == 2  # its own and the one released to it
    summary = next(s for s in after.document.sections if s.title == "Civilian impact")
    assert summary.marking.label == "NATIONAL (FRA)"


def test_previous_values_give_deltas(engine: Engine, world: World, assemble: Build) -> None:
    _seed(engine, world)
    built = assemble("gbr.viewer", previous={"summary.violations": 5, "summary.fatalities": 2})
    by_key = {f.key: f for f in built.document.figures()}
    assert by_key["summary.violations"].previous == 5
    assert delta(by_key["summary.violations"]) == "\u22122 reports"
    assert delta(by_key["summary.fatalities"]) == "unchanged"
    assert by_key["summary.incidents"].first_edition
    assert delta(by_key["summary.incidents"]) == "first edition: no previous figure"


def test_a_day_with_no_data_says_so_plainly(assemble: Build) -> None:
    document = assemble("gbr.viewer").document
    assert document.number == 1 and document.problems() == []
    said = " ".join(p for s in document.sections for p in s.paragraphs)
    for plain in (
        "No ceasefire agreement is recorded for this day",
        "No report was placed in the area of operations in the period.",
        "No control snapshot in the period",
        "No fatalities were recorded in the period.",
        "No claim was made or reviewed in the period.",
    ):
        assert plain in said
    figures = _figures(document)
    assert figures["summary.territory"] == "no snapshot in the period"
    assert figures["summary.violations"] == 0
    assert document.marking.label == "PUBLIC"


def test_today_is_cut_off_at_the_newest_record(
    engine: Engine, world: World, assemble: Build
) -> None:
    _seed(engine, world)
    built = assemble("gbr.viewer", now=_at("2025-03-26T12:30:00"))
    document = built.document
    assert document.cutoff == _at("2025-03-26T12:00:00")  # the first review
    assert document.period_end == _at("2025-03-26T22:00:00")
    figures = _figures(document)
    assert figures["summary.violations"] == 2  # the drone strike at 21:30 is not yet in
    assert figures["claims.disputed"] == 0 and figures["claims.refuted"] == 1
    with pytest.raises(Invalid):
        assemble("gbr.viewer", now=_at("2025-03-25T21:00:00"))  # the 26th not yet begun


def test_the_first_day_of_monitoring_has_no_previous_day(engine: Engine, world: World) -> None:
    reader = world.principal("gbr.viewer")
    with transaction(engine) as session:
        assert daily.previous_day(session, reader, DAY) is None  # no ceasefire at all
    _ceasefire(engine)
    with transaction(engine) as session:
        assert daily.previous_day(session, reader, dt.date(2025, 3, 25)) is None
        assert daily.previous_day(session, reader, dt.date(2025, 3, 1)) is None
        assert daily.previous_day(session, reader, DAY) == dt.date(2025, 3, 25)


def test_judgements_are_paragraphs_held_to_the_yardstick(
    engine: Engine, world: World, assemble: Build
) -> None:
    _seed(engine, world)
    built = assemble("gbr.viewer", judgements=["Shelling will likely resume."])
    summary = built.document.sections[0]
    assert summary.paragraphs[-1] == "Shelling will likely resume."
    with pytest.raises(Invalid, match="judgement 1"):
        assemble("gbr.viewer", judgements=["Shelling will maybe resume."])
    assert len(assemble("gbr.viewer", judgements=["  "]).document.sections[0].paragraphs) == 1


def test_a_report_stands_against_the_agreement_by_its_day_type_and_place(
    engine: Engine, world: World
) -> None:
    _ceasefire(engine)
    _report(engine, world, 1, "2025-03-26T08:00:00", kind="small_arms")
    _report(engine, world, 2, "2025-03-26T09:00:00", place=PARIS, region="Donetsk")
    reader = world.principal("gbr.viewer")
    with transaction(engine) as session:
        (agreement,) = ceasefire.list_ceasefires(session, reader)
        inside, paris = sorted(ceasefire.list_reports(session, reader).items, key=lambda r: r.id)
        energy = agreement.model_copy(update={"scope": ["energy_infrastructure"]})
        assert ceasefire.against_agreement(agreement, DAY, inside) == "violation"
        assert ceasefire.against_agreement(energy, DAY, inside) == "outside_scope"
        assert ceasefire.against_agreement(agreement, dt.date(2025, 3, 1), inside) == (
            "not_in_force"
        )
        assert ceasefire.against_agreement(None, DAY, inside) == "not_in_force"
        assert ceasefire.against_agreement(agreement, DAY, paris) == "outside_area"


def test_a_period_s_claims_are_those_made_or_reviewed_in_it_as_the_reader_sees_them(
    engine: Engine, world: World
) -> None:
    old = _claim(engine, world, "Old claim", "2025-03-01T10:00:00", marking=Marking.PUBLIC)
    new = _claim(engine, world, "New claim", "2025-03-26T10:00:00", marking=Marking.PUBLIC)
    _claim(engine, world, "Other day", "2025-03-20T10:00:00", marking=Marking.PUBLIC)
    _review(engine, world, old, "Fact team", "2025-03-26T11:00:00", "false")
    quiet = _claim(engine, world, "Quiet claim", "2025-03-02T10:00:00", marking=Marking.PUBLIC)
    _review(
        engine,
        world,
        quiet,
        "Service",
        "2025-03-26T11:00:00",
        "false",
        user="fra.monitor",
        marking=Marking.NATIONAL,
    )
    start, end = _at("2025-03-25T22:00:00"), _at("2025-03-26T22:00:00")
    with transaction(engine) as session:
        seen = situation.claims_in_period(session, world.principal("gbr.viewer"), start, end)
        assert [c.id for c in seen] == [old, new]
        assert seen[0].status == "refuted"
        theirs = situation.claims_in_period(session, world.principal("fra.viewer"), start, end)
        assert [c.id for c in theirs] == [old, quiet, new]


def _incidents_of_the_day(engine: Engine, world: World) -> list[Any]:
    start, end = _at("2025-03-25T22:00:00"), _at("2025-03-26T22:00:00")
    with transaction(engine) as session:
        reader = world.principal("gbr.monitor")
        return ceasefire.list_incidents(session, reader, since=start, until=end).items


def _verify(engine: Engine, world: World, incident_id: int, status: str) -> None:
    with transaction(engine) as session:
        ceasefire.set_status(
            session,
            world.principal("gbr.monitor"),
            incident_id,
            StatusChangeIn.model_validate(
                {"status": status, "reason": "Checked against the patrol's footage"}
            ),
        )


def test_unfounded_incidents_count_in_no_figure(
    engine: Engine, world: World, assemble: Build
) -> None:
    """As in the summit pack: the shelling with two deaths, found unfounded, leaves the
    incidents and the fatalities, and the limits say so."""
    _seed(engine, world)
    deadly = next(i for i in _incidents_of_the_day(engine, world) if i.casualties_high)
    _verify(engine, world, deadly.id, "unfounded")
    document = assemble("gbr.viewer").document
    figures = _figures(document)
    assert figures["summary.incidents"] == 2
    assert figures["summary.fatalities"] == figures["civilian.fatalities"] == 0
    assert figures["civilian.incidents_with_fatalities"] == 0
    assert figures["limits.unverified"] == figures["limits.single_source"] == 2
    limits = next(s for s in document.sections if s.title == "Limits of monitoring")
    assert (
        "1 incident in the area was found unfounded and is left out of every incident and "
        "fatality figure." in limits.paragraphs
    )


def test_incidents_neither_corroborated_nor_verified_are_the_reported_and_the_disputed(
    engine: Engine, world: World, assemble: Build
) -> None:
    _seed(engine, world)
    by_type = {i.type.value: i for i in _incidents_of_the_day(engine, world)}
    _verify(engine, world, by_type["drone_strike"].id, "disputed")
    _verify(engine, world, by_type["small_arms"].id, "corroborated")
    figures = _figures(assemble("gbr.viewer").document)
    assert figures["summary.incidents"] == 3
    assert figures["limits.unverified"] == 2  # the shelling, reported; the drone, disputed
    assert figures["limits.disputed"] == 1


def test_reports_outside_the_area_are_counted_where_the_text_says(
    engine: Engine, world: World, assemble: Build
) -> None:
    """Held for review, they count in the limits and the sources, and nowhere else."""
    _seed(engine, world)
    _report(engine, world, 8, "2025-03-26T00:00:00", place=PARIS, time_precision="day")
    document = assemble("gbr.viewer").document
    figures = _figures(document)
    assert figures["limits.out_of_area"] == 2 and figures["limits.day_only"] == 1
    assert figures["sources.reports"] == figures["violations.reports"] + 2 == 5
    assert figures["summary.violations"] == 3 and figures["summary.incidents"] == 3
    limits = next(s for s in document.sections if s.title == "Limits of monitoring")
    assert limits.paragraphs[-1] == (
        "2 reports placed outside the area of operations are held for review: counted here "
        "and among the period's reports and their sources, in no figure of violations, "
        "incidents, fatalities or regions."
    )
