"""The daily report counts violations only inside the agreement, and says what it left out.

Inside means on a day the ceasefire is in force, of a type its scope covers, and in the
area of operations. A report before the ceasefire began, a small-arms report under an
energy-only truce, and a report positioned in Paris are all shown for what they are and
none is counted as a violation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from coalition.ceasefire import daily, regions
from coalition.ceasefire.model import Ceasefire
from coalition.core.db import transaction
from tests.world import World

REPORT = {
    "source_name": "Patrol 7",
    "reliability": "A",
    "credibility": 2,
    "latitude": 48.1,
    "longitude": 37.7,
    "type": "shelling",
    "marking": "PUBLIC",
}


def _ceasefire(engine: Engine, scope: str = "all_fronts") -> None:
    with transaction(engine) as session:
        session.add(
            Ceasefire(
                name="Test ceasefire",
                parties="Party A; Party B",
                scope=scope,
                starts_on=dt.date(2025, 3, 25),
                duration_days=30,
                status="in_force",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )


def _report(client_for: Any, n: int, at: str, **changes: Any) -> None:
    body = {**REPORT, "source_id": f"P7-{n}", "occurred_at": at, **changes}
    made = client_for("gbr.monitor").post("/api/v1/reports", json=body)
    assert made.status_code == 201, made.text


def _build(engine: Engine, world: World, day: dt.date) -> daily.DailyReport:
    with transaction(engine) as session:
        return daily.build(session, world.principal(None), day)


def test_reports_before_the_ceasefire_are_not_violations(
    engine: Engine, world: World, client_for: Any
) -> None:
    _ceasefire(engine)
    _report(client_for, 1, "2025-03-20T08:00:00Z")
    report = _build(engine, world, dt.date(2025, 3, 20))
    assert (report.reports, report.violations, report.in_force) == (1, 0, False)
    said = daily.summary(report)
    assert "was not in force" in said and "not counted as ceasefire violations" in said
    assert "agreed, in force from 2025-03-25" in daily.headline(report)
    page = client_for(None).get("/ceasefire/report?date=2025-03-20").text
    assert "Reports by type (not violations" in page and "Ceasefire violations by type" not in page


def test_a_report_placed_outside_the_area_is_held_for_review(
    engine: Engine, world: World, client_for: Any
) -> None:
    _ceasefire(engine)
    _report(client_for, 1, "2025-03-26T08:00:00Z")
    _report(
        client_for, 2, "2025-03-26T09:00:00Z", latitude=48.8566, longitude=2.3522, region="Donetsk"
    )
    stored = client_for("gbr.monitor").get("/api/v1/reports").json()["items"]
    assert {r["region"] for r in stored} == {"Donetsk", regions.OUTSIDE_AREA}
    report = _build(engine, world, dt.date(2025, 3, 26))
    assert (report.reports, report.violations, report.out_of_area) == (1, 1, 1)
    assert report.incidents == 1 and dict(report.by_region) == {"Donetsk": 1}
    assert "placed outside the area of operations are held for review" in daily.summary(report)


def test_an_energy_truce_counts_only_strikes_on_energy(
    engine: Engine, world: World, client_for: Any
) -> None:
    _ceasefire(engine, scope="energy_infrastructure")
    _report(client_for, 1, "2025-03-26T08:00:00Z")
    _report(client_for, 2, "2025-03-26T12:00:00Z", type="infrastructure_strike", latitude=47.0)
    report = _build(engine, world, dt.date(2025, 3, 26))
    assert (report.reports, report.violations) == (2, 1)
    assert ("shelling", 1, False) in report.by_type
    assert "1 further report concern incidents outside the agreement's scope" in daily.summary(
        report
    )


def test_the_report_opens_on_the_latest_day_with_reports_and_any_day_can_be_picked(
    engine: Engine, world: World, client_for: Any
) -> None:
    _ceasefire(engine)
    _report(client_for, 1, "2025-03-27T08:00:00Z")
    page = client_for(None).get("/ceasefire/report").text
    assert "27 March 2025" in page
    assert 'name="date" value="2025-03-27"' in page
    assert 'href="/ceasefire/report?date=2025-03-28"' in page  # the next day, too
    assert client_for(None).get("/ceasefire/report?date=2025-13-01").status_code == 422


def test_the_area_of_operations_covers_the_front_and_not_europe() -> None:
    import numpy as np

    inside = regions.in_area(
        np.array([48.0, 50.45, 44.6, 51.7]), np.array([37.8, 30.5, 33.5, 36.2])
    )
    outside = regions.in_area(np.array([48.86, 52.52, 59.9]), np.array([2.35, 13.4, 30.3]))
    assert inside.all() and not outside.any()


def test_the_overview_states_coverage_and_never_contradicts_itself(
    engine: Engine, client_for: Any
) -> None:
    _ceasefire(engine)
    _report(client_for, 1, "2025-03-20T08:00:00Z")
    _report(client_for, 2, "2025-03-26T08:00:00Z")
    _report(client_for, 3, "2025-03-26T09:00:00Z", latitude=48.8566, longitude=2.3522)
    page = client_for(None).get("/ceasefire").text
    # The ceasefire in the test ran in 2025: today it has ended, and the card says so once.
    assert "ended on 2025-04-23" in page and "Status: in force" not in page
    assert "on 1 of the 30 days so far" in page and "on 1 of 30 days" in page
    assert "not a quiet day" in page
    assert "1 report placed outside the area of operations is held for review" in page
    (ceasefire,) = client_for(None).get("/api/v1/ceasefires").json()
    stats = (
        client_for(None)
        .get(f"/api/v1/ceasefires/{ceasefire['id']}/stats", params={"on": "2025-04-30"})
        .json()
    )
    assert (stats["during"], stats["days_with_reports_during"], stats["days_elapsed"]) == (1, 1, 30)
    assert (stats["before"], stats["days_with_reports_before"], stats["out_of_area"]) == (1, 1, 1)
    assert stats["standing"] == "ended on 2025-04-23"


def test_the_daily_report_and_the_overview_take_the_marking_of_their_figures(
    engine: Engine, client_for: Any
) -> None:
    import re

    _ceasefire(engine)
    _report(client_for, 1, "2025-03-26T08:00:00Z")
    _report(client_for, 2, "2025-03-26T10:00:00Z", marking="COALITION", latitude=46.5)
    top = re.compile(r"page-marking-top[^>]*>([^<]+)<")
    for path in ("/ceasefire/report?date=2025-03-26", "/ceasefire"):
        public = top.search(client_for(None).get(path).text)
        signed_in = top.search(client_for("fra.viewer").get(path).text)
        assert public and public.group(1).strip() == "PUBLIC", path
        assert signed_in and signed_in.group(1).strip() == "COALITION", path


def test_the_dashboard_shows_the_ceasefire_and_yesterdays_incidents(
    engine: Engine, client_for: Any
) -> None:
    import re

    _ceasefire(engine)
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    _report(client_for, 1, f"{yesterday.isoformat()}T08:00:00Z")
    tile = re.search(r'id="tile-ceasefire".*?</a>', client_for(None).get("/").text, re.DOTALL)
    assert tile and "Test ceasefire: ended on 2025-04-23" in tile.group(0)
    assert "1 incident from 1 report" in tile.group(0)
    assert f'href="/ceasefire/report?date={yesterday.isoformat()}"' in tile.group(0)
