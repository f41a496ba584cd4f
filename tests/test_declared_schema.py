"""Requests Schemathesis found judged against the document, each answered as declared.

Each case was a finding: a request the OpenAPI document calls invalid that the API
accepted, or one it calls valid that the API refused. tests/test_openapi_fuzz.py keeps
looking for new ones; these pin the ones found.
"""

from __future__ import annotations

from typing import Any

import pytest

PLEDGE = {"member": "GBR", "category": "military", "item": "Trucks", "marking": "PUBLIC"}
CEASEFIRE = {"name": "Ceasefire", "parties": ["A", "B"], "scope": ["all_fronts"]}
REPORT = {
    "source_name": "Patrol",
    "source_id": "1",
    "reliability": "B",
    "credibility": 2,
    "occurred_at": "2025-03-26T10:00:00Z",
    "latitude": 47.5,
    "longitude": 37.5,
    "type": "shelling",
}
SCENARIO = {"name": "all-in", "title": "Everyone"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings?until=0",
        "/api/v1/commitments?until=0",
        "/api/v1/commitments/summary?since=1700000000",
        "/api/v1/commitments/export?until=0",
        "/api/v1/commitments?as_of=2020-01-01T00:00:00",
        "/api/v1/reports?until=0.5",
        "/api/v1/incidents/geojson?since=2025-03-26",
        "/api/v1/map/grid?until=0",
        "/api/v1/map/grid?bbox=",
        "/api/v1/reports?bbox=1e1,0,0,0",
        "/api/v1/reports?cursor=%0D%7De",
    ],
)
def test_undeclared_query_values_are_refused(client_for: Any, url: str) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("gbr.contributor", "/api/v1/commitments", {**PLEDGE, "illustrative": 0}),
        ("gbr.contributor", "/api/v1/commitments", {**PLEDGE, "currency": "gbp", "value": 1}),
        ("gbr.contributor", "/api/v1/commitments", {**PLEDGE, "currency": "AAA", "value": 1}),
        ("gbr.contributor", "/api/v1/commitments", {**PLEDGE, "quantity": "1e3"}),
        ("gbr.contributor", "/api/v1/commitments", {**PLEDGE, "announced_on": "2000-01-01"}),
        ("gbr.monitor", "/api/v1/reports", {**REPORT, "casualties": False}),
        ("gbr.monitor", "/api/v1/reports", {**REPORT, "occurred_at": "2025-03-26T10:00:00"}),
        ("gbr.monitor", "/api/v1/reports", {**REPORT, "source_id": "a\x00b"}),
        ("sec.admin", "/api/v1/ceasefires", {**CEASEFIRE, "starts_on": 0}),
        (
            "sec.admin",
            "/api/v1/ceasefires",
            {**CEASEFIRE, "starts_on": "2025-03-25", "parties": ["", "A"]},
        ),
        ("fra.planner", "/api/v1/forcegen/scenarios", {**SCENARIO, "illustrative": 0}),
    ],
)
def test_undeclared_bodies_are_refused(
    client_for: Any, who: str, url: str, body: dict[str, Any]
) -> None:
    response = client_for(who).post(url, json=body)
    assert response.status_code == 422, response.text


def test_declared_bodies_are_accepted(client_for: Any) -> None:
    officer = client_for("gbr.contributor")
    # An undated pledge: its date precision is unknown without being told.
    undated = officer.post("/api/v1/commitments", json=PLEDGE)
    assert undated.status_code == 201, undated.text
    assert undated.json()["date_precision"] == "unknown"
    # A JSON number is rounded to the places its amount keeps.
    rounded = officer.post(
        "/api/v1/commitments",
        json={**PLEDGE, "announced_on": "2025-03-02", "quantity": 1.2340000000000002},
    )
    assert rounded.status_code == 201 and rounded.json()["quantity"] == "1.234"
    admin = client_for("sec.admin")
    late = admin.post(
        "/api/v1/ceasefires", json={**CEASEFIRE, "starts_on": "2099-12-31", "parties": [" A "]}
    )
    assert late.status_code == 201 and late.json()["parties"] == ["A"]
    # A time in 2099 as written is in the window whatever its offset.
    proposal = admin.post(
        "/api/v1/proposals",
        json={"title": "Late", "rule": "consensus", "deadline": "2099-12-31T23:00:00-05:00"},
    )
    assert proposal.status_code == 201, proposal.text


def test_a_duplicate_scenario_is_a_conflict(client_for: Any) -> None:
    planner = client_for("fra.planner")
    assert planner.post("/api/v1/forcegen/scenarios", json=SCENARIO).status_code == 201
    again = planner.post("/api/v1/forcegen/scenarios", json=SCENARIO)
    assert again.status_code == 409 and "already has a scenario" in again.text


def test_a_fixed_path_is_never_read_as_a_record(client_for: Any) -> None:
    client = client_for("gbr.contributor")
    response = client.patch("/api/v1/commitments/export", json={"revision": 1})
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert client.get("/api/v1/commitments/not-an-id").status_code == 404
