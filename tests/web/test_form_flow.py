"""Forms keep the reader on their page: a reload never lands on a 405, a save says so.

Post/redirect/get: a saved form leads to the record's page, which says once what was
saved; a refused form is shown at the address it posted to, and reloading that address
later (a GET) leads back to the form's own page instead of answering 405.
"""

from __future__ import annotations

import re
from typing import Any

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "COALITION",
}


def _token(client: Any, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    assert match
    return match.group(1)


def test_a_saved_form_says_so_once(client_for: Any) -> None:
    client = client_for("gbr.contributor")
    form = {**PLEDGE, "csrf_token": _token(client, "/commitments/new")}
    saved = client.post("/commitments/new", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert '<p class="notice" role="status" id="notice">Commitment recorded.</p>' in page.text
    assert "Commitment recorded." not in client.get(saved.headers["location"]).text

    record = saved.headers["location"].rsplit("/", 1)[1]
    delivery = {"csrf_token": form["csrf_token"], "delivered_on": "2025-04-01", "quantity": "3"}
    done = client.post(f"/commitments/{record}/deliveries", data=delivery)
    assert done.status_code == 200 and "Delivery recorded." in done.text


def test_reloading_a_refused_form_leads_back_to_its_page(client_for: Any) -> None:
    client = client_for("gbr.contributor")
    made = client.post("/api/v1/commitments", json={**PLEDGE, "quantity": "12"})
    record = made.json()["id"]
    token = _token(client, f"/commitments/{record}")
    refused = client.post(
        f"/commitments/{record}/deliveries",
        data={"csrf_token": token, "delivered_on": "2025-04-01", "quantity": "40"},
    )
    assert refused.status_code == 422 and "beyond the 12" in refused.text
    again = client.get(f"/commitments/{record}/deliveries", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == f"/commitments/{record}"
    stance = client.get("/proposals/1/positions", follow_redirects=False)
    assert stance.status_code == 303 and stance.headers["location"] == "/proposals/1"
    # The API keeps its plain 405, with Allow.
    api = client.patch("/api/v1/commitments/export", follow_redirects=False)
    assert api.status_code == 405 and "GET" in api.headers["allow"]


def test_a_decimal_comma_is_named_plainly(client_for: Any) -> None:
    client = client_for("gbr.monitor")
    form = {
        "csrf_token": _token(client, "/ceasefire/reports/new"),
        "source_kind": "monitor_patrol",
        "source_name": "Patrol 7",
        "source_id": "p7-1",
        "reliability": "B",
        "credibility": "2",
        "occurred_at": "2025-03-26T10:00",
        "latitude": "47,5",
        "longitude": "37.5",
        "type": "shelling",
        "marking": "COALITION",
    }
    refused = client.post("/ceasefire/reports", data=form)
    assert refused.status_code == 422
    assert "write the decimal with a point, not a comma: 47.5" in refused.text
    assert 'value="47,5"' in refused.text
