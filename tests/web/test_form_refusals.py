"""A page form refuses a forbidden act with the API's status: 403, on a plain error page.

Each case is one act done twice by the same user, once through the API and once through
the page's form; the two must answer alike, and the refused form must change nothing.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "PUBLIC",
}
MEETING = {
    "title": "Leaders' call",
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
    "marking": "PUBLIC",
}
REQUIREMENT = {
    "label": "Air defence of Kyiv",
    "capability": "GBAD_BTY",
    "quantity": "2",
    "phase": "reassurance",
    "region": "kyiv",
    "task": "air_defence",
    "starts_on": "2025-06-01",
    "ends_on": "2025-12-31",
    "priority": "1",
    "marking": "COALITION",
}
REPORT = {
    "source_kind": "monitor_patrol",
    "source_name": "Patrol 7",
    "source_id": "p7-1",
    "reliability": "B",
    "credibility": "2",
    "occurred_at": "2025-03-26T10:00:00+00:00",
    "latitude": "47.5",
    "longitude": "37.5",
    "region": "Donetsk",
    "type": "shelling",
    "marking": "COALITION",
}
PROPOSAL = {
    "title": "Extend the ceasefire",
    "rule": "consensus",
    "deadline": "2099-01-01T12:00:00+00:00",
    "marking": "COALITION",
}


def _token(client: TestClient, path: str = "/") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, "every page carries a CSRF token"
    return match.group(1)


def _as_form(body: dict[str, Any]) -> dict[str, str]:
    # The forms ask for times in UTC without a zone.
    return {
        k: v.removesuffix("+00:00") if k in ("occurred_at", "deadline") else v
        for k, v in body.items()
    }


def _record(client_for: Any) -> str:
    created = client_for("gbr.contributor").post("/api/v1/commitments", json=PLEDGE)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


CASES = [
    # (user, API method, API path, API body, page path, page form)
    ("gbr.viewer", "post", "/api/v1/commitments", PLEDGE, "/commitments/new", PLEDGE),
    (
        "gbr.contributor",
        "post",
        "/api/v1/commitments",
        {**PLEDGE, "member": "FRA"},
        "/commitments/new",
        {**PLEDGE, "member": "FRA"},
    ),
    (
        "fra.contributor",
        "patch",
        "/api/v1/commitments/{record}",
        {"revision": 1, "status": "delivered"},
        "/commitments/{record}/edit",
        {"revision": "1", "status": "delivered"},
    ),
    (
        "gbr.viewer",
        "post",
        "/api/v1/commitments/{record}/deliveries",
        {"delivered_on": "2025-04-01", "quantity": "1"},
        "/commitments/{record}/deliveries",
        {"delivered_on": "2025-04-01", "quantity": "1"},
    ),
    ("gbr.contributor", "post", "/api/v1/meetings", MEETING, "/meetings/new", MEETING),
    (
        "gbr.viewer",
        "post",
        "/api/v1/forcegen/requirements",
        {**REQUIREMENT, "quantity": 2, "priority": 1},
        "/forcegen/requirements",
        REQUIREMENT,
    ),
    (
        "gbr.viewer",
        "post",
        "/api/v1/reports",
        {**REPORT, "credibility": 2, "latitude": 47.5, "longitude": 37.5},
        "/ceasefire/reports",
        REPORT,
    ),
    ("gbr.viewer", "post", "/api/v1/proposals", PROPOSAL, "/proposals", PROPOSAL),
]


@pytest.mark.parametrize(
    ("user", "method", "api_path", "api_body", "page_path", "form"),
    CASES,
    ids=[f"{c[0]}-{c[4]}" for c in CASES],
)
def test_forms_and_the_api_refuse_alike(
    client_for: Any,
    user: str,
    method: str,
    api_path: str,
    api_body: dict[str, Any],
    page_path: str,
    form: dict[str, str],
) -> None:
    record = _record(client_for)
    client = client_for(user)
    api = getattr(client, method)(api_path.format(record=record), json=api_body)
    assert api.status_code == 403, api.text
    page = client.post(
        page_path.format(record=record),
        data={**_as_form(form), "csrf_token": _token(client)},
        follow_redirects=False,
    )
    assert page.status_code == api.status_code, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "Not allowed" in page.text and api.json()["error"]["detail"] in html.unescape(page.text)
    # Nothing was written by either attempt.
    public = client_for("sec.admin")
    assert public.get("/api/v1/commitments").json()["total"] == 1
    assert public.get(f"/api/v1/commitments/{record}").json()["revision"] == 1
    assert public.get(f"/api/v1/commitments/{record}/deliveries").json() == []


def test_a_stale_form_is_a_conflict_as_in_the_api(client_for: Any) -> None:
    record = _record(client_for)
    officer = client_for("gbr.contributor")
    assert (
        officer.patch(f"/api/v1/commitments/{record}", json={"revision": 1, "unit": "sets"})
    ).status_code == 200
    stale = officer.patch(f"/api/v1/commitments/{record}", json={"revision": 1, "unit": "x"})
    assert stale.status_code == 409
    page = officer.post(
        f"/commitments/{record}/edit",
        data={"revision": "1", "status": "delivered", "csrf_token": _token(officer)},
        follow_redirects=False,
    )
    assert page.status_code == 409 and "alert" in page.text
