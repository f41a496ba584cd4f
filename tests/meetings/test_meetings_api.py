"""The meeting record over the API."""

from __future__ import annotations

MEETING = {
    "title": "Leaders' call",
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
    "attendees": ["GBR", "FRA"],
    "outcomes": ["Move to an operational phase."],
    "marking": "PUBLIC",
}


def test_secretariat_records_a_meeting(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("sec.contributor").post("/api/v1/meetings", json=MEETING)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["attendees"] == ["FRA", "GBR"] and body["outcomes"] == [
        "Move to an operational phase."
    ]
    listed = client_for(None).get("/api/v1/meetings").json()
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Leaders' call"


def test_national_users_do_not_keep_the_meeting_record(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("gbr.admin").post("/api/v1/meetings", json=MEETING).status_code == 403


def test_unknown_attendee_is_invalid_and_nothing_is_written(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    response = sec.post("/api/v1/meetings", json={**MEETING, "attendees": ["GBR", "XXX"]})
    assert response.status_code == 422 and "XXX" in response.json()["error"]["detail"]
    assert sec.get("/api/v1/meetings").json()["total"] == 0


def test_rel_to_needs_members(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    assert sec.post("/api/v1/meetings", json={**MEETING, "marking": "REL_TO"}).status_code == 422
    ok = sec.post("/api/v1/meetings", json={**MEETING, "marking": "REL_TO", "rel_to": ["GBR"]})
    assert ok.status_code == 201 and ok.json()["marking"]["label"] == "REL TO SEC, GBR"
    mid = ok.json()["id"]
    assert client_for("gbr.viewer").get(f"/api/v1/meetings/{mid}").status_code == 200
    assert client_for("fra.viewer").get(f"/api/v1/meetings/{mid}").status_code == 404


def test_update_keeps_attendance_and_checks_version(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    mid = sec.post("/api/v1/meetings", json=MEETING).json()["id"]
    changed = sec.patch(f"/api/v1/meetings/{mid}", json={"version": 1, "attendees": ["FRA", "POL"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["attendees"] == ["FRA", "POL"]
    stale = sec.patch(f"/api/v1/meetings/{mid}", json={"version": 1, "title": "late"})
    assert stale.status_code == 409
    assert sec.get(f"/api/v1/meetings/{mid}").json()["title"] == "Leaders' call"


def test_hidden_member_is_not_revealed_by_attendance(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    from coalition.core.db import transaction
    from coalition.members.model import Member

    with transaction(engine) as session:
        session.add(
            Member(
                code="QQQ",
                name="Unnamed partner",
                kind="state",
                owner_code="SEC",
                marking="COALITION",
            )
        )
    sec = client_for("sec.contributor")
    mid = sec.post("/api/v1/meetings", json={**MEETING, "attendees": ["GBR", "QQQ"]}).json()["id"]
    assert client_for(None).get(f"/api/v1/meetings/{mid}").json()["attendees"] == ["GBR"]
    assert client_for("fra.viewer").get(f"/api/v1/meetings/{mid}").json()["attendees"] == [
        "GBR",
        "QQQ",
    ]
    assert "QQQ" not in client_for(None).get(f"/meetings/{mid}").text
