"""The secretariat corrects a meeting from its page; others are refused; a stale edit is told."""

from __future__ import annotations

import re
from typing import Any

from tests.meetings.test_meetings_api import MEETING

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _made(client_for: Any) -> int:
    made = client_for("sec.contributor").post("/api/v1/meetings", json=MEETING)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_the_secretariat_changes_a_meeting_from_its_page(client_for: Any) -> None:
    meeting = _made(client_for)
    sec = client_for("sec.contributor")
    page = sec.get(f"/meetings/{meeting}").text
    assert f'href="/meetings/{meeting}/edit"' in page
    form = sec.get(f"/meetings/{meeting}/edit").text
    token = TOKEN.search(form)
    assert token and 'name="version" value="1"' in form
    assert 'name="marking"' not in form  # the marking is not changed here
    saved = sec.post(
        f"/meetings/{meeting}/edit",
        data={
            "csrf_token": token.group(1),
            "version": "1",
            "title": "Leaders' call (rescheduled)",
            "held_on": "2025-03-16",
            "format": "virtual",
            "level": "leaders",
            "attendees": ["GBR", "FRA"],
            "outcomes": "Agreed to meet again\nAsked planners for options",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    now = sec.get(f"/api/v1/meetings/{meeting}").json()
    assert (now["title"], now["held_on"]) == ("Leaders' call (rescheduled)", "2025-03-16")
    assert now["version"] > 1
    assert now["attendees"] == ["FRA", "GBR"] and len(now["outcomes"]) == 2
    stale = sec.post(
        f"/meetings/{meeting}/edit",
        data={
            "csrf_token": token.group(1),
            "version": "1",
            "title": "Late",
            "held_on": "2025-03-16",
            "format": "virtual",
            "level": "leaders",
        },
    )
    assert stale.status_code == 409 and "Late" in stale.text
    bad = sec.post(
        f"/meetings/{meeting}/edit",
        data={
            "csrf_token": token.group(1),
            "version": str(now["version"]),
            "title": "",
            "held_on": "2025-02-30",
        },
    )
    assert bad.status_code == 422 and 'id="error-held_on"' in bad.text


def test_only_the_secretariat_may_change_a_meeting(client_for: Any) -> None:
    meeting = _made(client_for)
    gbr = client_for("gbr.contributor")
    assert f'href="/meetings/{meeting}/edit"' not in gbr.get(f"/meetings/{meeting}").text
    assert gbr.get(f"/meetings/{meeting}/edit").status_code == 403
    token = TOKEN.search(gbr.get("/meetings").text)
    assert token
    refused = gbr.post(
        f"/meetings/{meeting}/edit", data={"csrf_token": token.group(1), "version": "1"}
    )
    assert refused.status_code == 403
    assert client_for("sec.contributor").get("/meetings/999999/edit").status_code == 404
