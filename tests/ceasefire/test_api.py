"""The ceasefire API and pages: filters, cursors, GeoJSON, the grid, statistics, forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from coalition.ceasefire import ingest
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import Ceasefire
from coalition.core.db import transaction
from coalition.core.marking import Marking
from tests.world import World

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _seed(engine: Engine, owner: str, marking: Marking, rel_to: str, n: int, tag: str) -> None:
    rows = []
    for i in range(n):
        raw = {
            "source_kind": "monitor_patrol",
            "source_name": tag,
            "source_id": str(i),
            "reliability": "B",
            "credibility": "2",
            "occurred_at": f"2025-03-{26 + i % 3}T{10 + i % 5}:00:00Z",
            "latitude": f"{47 + i * 0.3:.2f}",
            "longitude": "37.5",
            "region": "Donetsk",
            "type": "shelling" if i % 2 else "drone_strike",
            "attribution": "Party A",
            "casualties": "1",
            "text": f"{tag} {i}",
        }
        rows.append((i + 1, read_report(raw, NOW)))
    with transaction(engine) as session:
        ingest.store_batch(
            session, ingest.Stamp(owner, marking.value, rel_to), rows, f"{tag}:1", tag
        )


def _ceasefire(engine: Engine) -> int:
    with transaction(engine) as session:
        c = Ceasefire(
            name="Test ceasefire",
            parties="Party A; Party B",
            scope="all_fronts",
            starts_on=dt.date(2025, 3, 25),
            duration_days=30,
            status="in_force",
            owner_code="SEC",
            marking="PUBLIC",
        )
        session.add(c)
        session.flush()
        return c.id


def test_filters_cursor_and_geojson(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _seed(engine, "GBR", Marking.PUBLIC, "", 7, "pub")
    client = client_for(None)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/reports", params=params).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7
    shelling = client.get("/api/v1/reports", params={"type": "shelling"}).json()["items"]
    assert {r["type"] for r in shelling} == {"shelling"}
    boxed = client.get("/api/v1/incidents", params={"bbox": "37,46.9,38,47.5"}).json()["items"]
    assert all(46.9 <= i["latitude"] <= 47.5 for i in boxed) and boxed
    fc = client.get("/api/v1/incidents/geojson").json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    assert client.get("/api/v1/reports", params={"cursor": "nonsense"}).status_code == 422
    assert client.get("/api/v1/reports", params={"since": "2025-03-01T00:00:00"}).status_code == 422


def test_grid_and_stats_count_only_what_the_reader_may_see(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    ceasefire = _ceasefire(engine)
    _seed(engine, "GBR", Marking.PUBLIC, "", 4, "pub")
    _seed(engine, "POL", Marking.NATIONAL, "", 5, "pol")
    anonymous, pol = client_for(None), client_for("pol.contributor")
    grid = "/api/v1/map/grid?bbox=30,44,41,53"
    assert anonymous.get(grid).json()["total"] == 4
    assert pol.get(grid).json()["total"] == 9
    stats = f"/api/v1/ceasefires/{ceasefire}/stats?on=2025-03-30"
    assert anonymous.get(stats).json()["during"] == 4
    body = pol.get(stats).json()
    assert body["during"] == 9 and body["day_of"] == 6 and body["days_total"] == 30


def test_monitor_files_a_report_and_verifies_the_incident(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("gbr.monitor")
    report = {
        "source_name": "Patrol 7",
        "source_id": "P7-001",
        "reliability": "A",
        "credibility": 2,
        "occurred_at": "2025-03-27T08:15:00Z",
        "latitude": 48.1,
        "longitude": 37.7,
        "type": "shelling",
        "marking": "COALITION",
    }
    created = monitor.post("/api/v1/reports", json=report)
    assert created.status_code == 201, created.text
    incident_id = created.json()["incident_id"]
    assert monitor.post("/api/v1/reports", json=report).status_code == 409
    viewer = client_for("gbr.viewer")
    assert viewer.post("/api/v1/reports", json={**report, "source_id": "x"}).status_code == 403
    decided = monitor.post(
        f"/api/v1/incidents/{incident_id}/status",
        json={"status": "verified", "reason": "seen by patrol", "assessed_attribution": "Party B"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "verified"
    assert client_for(None).get(f"/api/v1/incidents/{incident_id}").status_code == 404
    page = monitor.get(f"/ceasefire/incidents/{incident_id}")
    assert "seen by patrol" in page.text and "Patrol 7" in page.text
    future = {**report, "source_id": "P7-002", "occurred_at": "2099-01-01T00:00:00Z"}
    assert monitor.post("/api/v1/reports", json=future).status_code == 422


def test_daily_report_page_and_cli(engine: Engine, world: World, client_for, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _ceasefire(engine)
    _seed(engine, "GBR", Marking.PUBLIC, "", 4, "pub")
    _seed(engine, "POL", Marking.NATIONAL, "", 5, "hidden")
    page = client_for(None).get("/ceasefire/report?date=2025-03-26")
    assert page.status_code == 200
    assert "day 2 of 30" in page.text and "hidden" not in page.text
    from coalition.ceasefire import daily

    with transaction(engine) as session:
        report = daily.build(session, world.principal(None), dt.date(2025, 3, 26))
        md = daily.markdown(report)
        html = daily.html(report)
    assert md.startswith("# Daily report, 26 March 2025") and "Notable incidents" in md
    assert "<svg" in html and "hidden" not in html


def test_monitor_files_a_report_from_the_form(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    import re

    monitor = client_for("fra.monitor")
    form = monitor.get("/ceasefire/reports/new")
    assert form.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    fields = {
        "csrf_token": token.group(1),
        "source_kind": "monitor_patrol",
        "source_name": "Patrol 3",
        "source_id": "F-1",
        "reliability": "B",
        "credibility": "2",
        "occurred_at": "2025-03-27T09:30",
        "latitude": "48.2",
        "longitude": "37.6",
        "type": "small_arms",
        "casualties": "0",
        "text": "Heard bursts of small-arms fire.",
        "marking": "COALITION",
    }
    sent = monitor.post("/ceasefire/reports", data=fields, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    incident_page = monitor.get(sent.headers["location"])
    assert "Heard bursts of small-arms fire." in incident_page.text
    filed = monitor.get("/api/v1/reports", params={"type": "small_arms"}).json()
    assert [r["region"] for r in filed["items"]] == ["Donetsk"]  # from the position
    assert [r["reported_region"] for r in filed["items"]] == [""]  # none was given
    bad = monitor.post("/ceasefire/reports", data={**fields, "source_id": "F-2", "latitude": "123"})
    assert bad.status_code == 422 and "latitude" in bad.text
    assert monitor.post("/ceasefire/reports", data={**fields, "csrf_token": "x"}).status_code == 403


def test_nul_characters_are_invalid_input_not_errors(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("gbr.monitor")
    assert monitor.get("/api/v1/incidents", params={"attribution": "a\x00b"}).status_code == 422
    report = {
        "source_name": "Patrol\x00",
        "source_id": "N-1",
        "reliability": "A",
        "credibility": 2,
        "occurred_at": "2025-03-27T08:15:00Z",
        "latitude": 48.1,
        "longitude": 37.7,
        "type": "shelling",
    }
    assert monitor.post("/api/v1/reports", json=report).status_code == 422


def test_secretariat_records_and_extends_a_ceasefire(
    engine: Engine, world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    body = {
        "name": "Energy truce",
        "parties": ["Party A", "Party B"],
        "scope": ["energy_infrastructure"],
        "starts_on": "2025-03-18",
        "status": "in_force",
        "marking": "PUBLIC",
    }
    assert client_for("gbr.admin").post("/api/v1/ceasefires", json=body).status_code == 403
    created = sec.post("/api/v1/ceasefires", json=body)
    assert created.status_code == 201, created.text
    c = created.json()
    assert c["ends_on"] == "2025-04-16"
    extended = sec.patch(
        f"/api/v1/ceasefires/{c['id']}", json={"version": c["version"], "extension_days": 30}
    )
    assert extended.status_code == 200 and extended.json()["ends_on"] == "2025-05-16"
    stale = sec.patch(f"/api/v1/ceasefires/{c['id']}", json={"version": 1, "status": "expired"})
    assert stale.status_code == 409


def test_map_outlines_are_shipped_geojson(client_for) -> None:  # type: ignore[no-untyped-def]
    anonymous = client_for(None)
    for path in ("/ceasefire/outlines.geojson", "/ceasefire/regions.geojson"):
        got = anonymous.get(path)
        assert got.status_code == 200 and got.headers["content-type"] == "application/geo+json"
        assert got.json()["type"] == "FeatureCollection"
    names = {
        f["properties"]["name"]
        for f in anonymous.get("/ceasefire/regions.geojson").json()["features"]
    }
    assert {"Donetsk", "Crimea", "Kyiv City", "Belgorod"} <= names
