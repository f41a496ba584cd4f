"""Records link to each other: a meeting lists what was pledged at it, a member its pledges.

Each link obeys the markings: a meeting the reader may not see gathers no commitments,
whether asked through the API's ``meeting`` filter or seen from a page.
"""

from __future__ import annotations

from typing import Any

MEETING = {
    "title": "Leaders' call on the reassurance force",
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
    "marking": "PUBLIC",
}
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-15",
    "category": "military",
    "item": "Air defence radars",
    "value": "3000000",
    "currency": "EUR",
    "marking": "PUBLIC",
}


def _meeting(client_for: Any, **changes: Any) -> int:
    made = client_for("sec.contributor").post("/api/v1/meetings", json={**MEETING, **changes})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_a_meeting_lists_the_commitments_announced_at_it(client_for: Any) -> None:
    meeting = _meeting(client_for)
    gbr = client_for("gbr.contributor")
    at = gbr.post("/api/v1/commitments", json={**PLEDGE, "meeting_id": meeting})
    assert at.status_code == 201, at.text
    assert gbr.post("/api/v1/commitments", json={**PLEDGE, "item": "Elsewhere"}).status_code == 201
    hidden = {**PLEDGE, "item": "Quiet pledge", "meeting_id": meeting, "marking": "NATIONAL"}
    assert gbr.post("/api/v1/commitments", json=hidden).status_code == 201

    page = client_for("fra.viewer").get(f"/meetings/{meeting}").text
    section = page.split('id="meeting-commitments"')[1]
    assert "Air defence radars" in section and "Elsewhere" not in section
    assert "Quiet pledge" not in section and "€3.0m pledged" in section
    assert "Quiet pledge" in client_for("gbr.viewer").get(f"/meetings/{meeting}").text

    listed = client_for(None).get("/api/v1/commitments", params={"meeting": meeting}).json()
    assert [c["item"] for c in listed["items"]] == ["Air defence radars"]
    ledger = client_for(None).get(f"/commitments?meeting={meeting}").text
    assert (
        "Air defence radars" in ledger and "Elsewhere" not in ledger.split("commitments-table")[1]
    )

    detail = client_for(None).get(f"/commitments/{at.json()['id']}").text
    assert f'href="/meetings/{meeting}">{MEETING["title"].replace(chr(39), "&#39;")}' in detail


def test_a_hidden_meeting_gathers_nothing(client_for: Any) -> None:
    meeting = _meeting(client_for, marking="REL_TO", rel_to=["GBR"])
    gbr = client_for("gbr.contributor")
    body = {**PLEDGE, "meeting_id": meeting, "marking": "COALITION"}
    assert gbr.post("/api/v1/commitments", json=body).status_code == 201
    seen = gbr.get("/api/v1/commitments", params={"meeting": meeting}).json()
    assert seen["total"] == 1
    unseen = client_for("fra.viewer").get("/api/v1/commitments", params={"meeting": meeting})
    assert unseen.status_code == 200 and unseen.json()["total"] == 0
    summary = client_for("fra.viewer").get(
        "/api/v1/commitments/summary", params={"meeting": meeting}
    )
    assert summary.json()["commitments"] == 0
    for bad in ("0", "-1", "x", "99999999999"):
        assert (
            client_for(None).get("/api/v1/commitments", params={"meeting": bad}).status_code == 422
        )
    assert client_for(None).get("/commitments?meeting=x%27").status_code == 200


def test_a_member_page_lists_its_commitments(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    assert gbr.post("/api/v1/commitments", json=PLEDGE).status_code == 201
    secret = {**PLEDGE, "item": "Quiet pledge", "marking": "NATIONAL"}
    assert gbr.post("/api/v1/commitments", json=secret).status_code == 201
    page = client_for("fra.viewer").get("/members/GBR").text
    section = page.split('id="member-commitments"')[1]
    assert "Air defence radars" in section and "Quiet pledge" not in section
    assert "Quiet pledge" in client_for("gbr.viewer").get("/members/GBR").text
