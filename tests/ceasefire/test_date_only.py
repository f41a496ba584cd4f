"""Date-only sources: a day of one source's events stays a day of separate events, a
date-only report joins only reports of other sources on its day, type ``other`` stands
alone, sources that disagree on deaths show the range, and the daily report and pages show
the date (never midnight) and call the figure fatalities.

Before the rule took reports' time windows and sources into account, the first file below
(132 one-death ACLED events of one date at nearby places) made one incident with "1
casualty, corroborated".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import Engine, select, text

from coalition.ceasefire import daily, importer, ingest
from coalition.ceasefire.layouts import Layout
from coalition.ceasefire.model import Ceasefire, Incident, Report
from coalition.core import audit
from coalition.core.db import transaction
from tests.world import World

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
STAMP = ingest.Stamp("GBR", "PUBLIC", "")
ACLED = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
]
CANONICAL = [
    "source_kind",
    "source_name",
    "source_id",
    "reliability",
    "credibility",
    "occurred_at",
    "latitude",
    "longitude",
    "type",
    "casualties",
    "text",
]


def _acled(
    n: int, *, date: str = "2025-03-26", lat: float = 48.10, sub: str = "", deaths: int = 1
) -> list[dict[str, str]]:
    """``n`` ACLED events of one date at places 10 m apart (ACLED's own ids)."""
    return [
        {
            "event_id_cnty": f"UKR{900_000 + i}",
            "event_date": date,
            "time_precision": "1",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": sub or "Shelling/artillery/missile attack",
            "actor1": "Constructed force A",
            "admin1": "Donetsk",
            "latitude": f"{lat + i * 0.0001:.4f}",
            "longitude": "37.7000",
            "geo_precision": "1",
            "fatalities": str(deaths),
            "notes": f"Constructed event {i}.",
        }
        for i in range(n)
    ]


def _patrol(source_id: str, at: str, *, kind: str = "shelling", deaths: int = 0) -> dict[str, str]:
    return {
        "source_kind": "monitor_patrol",
        "source_name": "Patrol 4",
        "source_id": source_id,
        "reliability": "B",
        "credibility": "2",
        "occurred_at": at,
        "latitude": "48.1010",
        "longitude": "37.7010",
        "type": kind,
        "casualties": str(deaths),
        "text": f"Patrol report {source_id}.",
    }


def _import(engine: Engine, world: World, layout: Layout, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED if layout is Layout.ACLED else CANONICAL)
    writer.writeheader()
    writer.writerows(rows)
    summary = importer.import_file(
        engine,
        world.principal("gbr.monitor"),
        layout,
        io.BufferedReader(io.BytesIO(out.getvalue().encode())),  # type: ignore[arg-type]
        STAMP,
        now=NOW,
    )
    assert summary.inserted == len(rows), summary


def _incidents(engine: Engine) -> list[Incident]:
    with transaction(engine) as session:
        found = list(session.scalars(select(Incident).order_by(Incident.first_at, Incident.id)))
        session.expunge_all()
        assert audit.verify(session).ok
    return found


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


def test_a_days_one_death_events_of_one_source_stay_separate(
    engine: Engine,
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    _ceasefire(engine)
    _import(engine, world, Layout.ACLED, _acled(132))
    with transaction(engine) as session:
        stored = session.execute(select(Report.occurred_at, Report.time_precision)).all()
    assert {(at.isoformat(), p) for at, p in stored} == {("2025-03-26T00:00:00+00:00", "day")}
    incidents = _incidents(engine)
    assert len(incidents) == 132
    assert {(i.report_count, i.status, i.casualties, i.time_precision) for i in incidents} == {
        (1, "reported", 1, "day")
    }
    # The daily report sums the day's distinct events, shows no midnight, says fatalities.
    with transaction(engine) as session:
        report = daily.build(session, world.principal(None), dt.date(2025, 3, 26))
        md = daily.markdown(report)
        html = daily.html(report)
    assert (report.incidents, report.fatalities) == (132, 132)
    assert "132 fatalities reported" in daily.summary(report)
    for written in (md, html, client_for(None).get("/ceasefire/report?date=2025-03-26").text):
        assert "time not given" in written
        assert "00:00" not in written
        assert "casualt" not in written.lower()
    page = client_for(None).get(f"/ceasefire/incidents/{incidents[0].id}").text
    assert "2025-03-26, time not given" in page and "00:00" not in page
    assert "Fatalities" in page and "Casualties" not in page


def test_a_date_only_report_joins_another_sources_report_of_its_day_only(
    engine: Engine, world: World
) -> None:
    _import(engine, world, Layout.ACLED, _acled(1))
    _import(
        engine,
        world,
        Layout.CSV,
        [
            _patrol("P-1", "2025-03-26T15:20:00Z"),  # the same day: the same event
            _patrol("P-2", "2025-03-27T15:20:00Z"),  # the next day: another
        ],
    )
    incidents = _incidents(engine)
    assert [(i.report_count, i.status, i.time_precision) for i in incidents] == [
        (2, "corroborated", "day"),
        (1, "reported", "minute"),
    ]


def test_type_other_joins_nothing(engine: Engine, world: World) -> None:
    _import(engine, world, Layout.ACLED, _acled(1, sub="Remote explosive/landmine/IED"))
    _import(engine, world, Layout.CSV, [_patrol("P-1", "2025-03-26T15:20:00Z", kind="other")])
    incidents = _incidents(engine)
    assert [(i.type, i.report_count) for i in incidents] == [("other", 1), ("other", 1)]


def test_sources_that_disagree_on_deaths_show_the_range(
    engine: Engine,
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    _import(engine, world, Layout.ACLED, _acled(1, deaths=5))
    _import(engine, world, Layout.CSV, [_patrol("P-1", "2025-03-26T09:05:00Z", deaths=2)])
    (incident,) = _incidents(engine)
    assert (incident.casualties, incident.casualties_low, incident.casualties_high) == (5, 2, 5)
    assert incident.status == "corroborated"
    api = client_for(None).get(f"/api/v1/incidents/{incident.id}").json()
    assert (api["casualties"], api["casualties_low"], api["casualties_high"]) == (5, 2, 5)
    page = client_for(None).get(f"/ceasefire/incidents/{incident.id}").text
    assert "5 fatalities (sources give 2–5)" in page
    # verify recomputes the range and names an edited one.
    with engine.begin() as conn:
        conn.execute(text("UPDATE ceasefire_incidents SET casualties_low = 0"))
    with transaction(engine) as session:
        problems = [str(p) for p in audit.verify(session).problems]
    assert any("casualties_low stored 0, recomputed 2" in p for p in problems), problems


def test_a_report_filed_with_only_a_date_is_stored_at_its_day(
    engine: Engine,
    world: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    monitor = client_for("gbr.monitor")
    filed = {
        "source_name": "Hotline",
        "source_id": "H-1",
        "reliability": "C",
        "credibility": 3,
        "occurred_at": "2025-03-26T14:35:00Z",
        "time_precision": "day",
        "latitude": 48.1,
        "longitude": 37.7,
        "type": "shelling",
        "marking": "PUBLIC",
    }
    sent = monitor.post("/api/v1/reports", json=filed)
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert (body["occurred_at"], body["time_precision"]) == ("2025-03-26T00:00:00Z", "day")
    refused = {**filed, "source_id": "H-2", "time_precision": "week"}
    assert monitor.post("/api/v1/reports", json=refused).status_code == 422
