"""Secretariat staff record a meeting from the web form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.world import PASSWORD


def _signed_in(client: TestClient, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return token


FORM = {
    "title": "Coordination call",
    "kind": "ministerial",
    "held_on": "2025-03-18",
    "format": "virtual",
    "level": "ministers",
    "outcomes": "First outcome\nSecond outcome\n",
    "marking": "PUBLIC",
    "attendees": ["GBR", "FRA"],
}


def test_staff_record_a_meeting(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _signed_in(client, "sec.contributor")
    assert "Record a meeting" in client.get("/meetings").text
    response = client.post(
        "/meetings/new", data={**FORM, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Coordination call" in page and "Second outcome" in page and "France" in page


def test_bad_form_input_is_shown_and_nothing_is_written(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _signed_in(client, "sec.contributor")
    response = client.post(
        "/meetings/new", data={**FORM, "held_on": "someday", "csrf_token": token}
    )
    assert response.status_code == 422 and "held_on" in response.text
    assert 'value="Coordination call"' in response.text  # what was typed is kept
    bad_release = {**FORM, "marking": "REL_TO", "rel_to": "", "csrf_token": token}
    assert client.post("/meetings/new", data=bad_release).status_code == 422
    assert client.get("/api/v1/meetings").json()["total"] == 0


def test_national_users_cannot_record_meetings(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _signed_in(client, "gbr.admin")
    assert "Record a meeting" not in client.get("/meetings").text
    assert client.get("/meetings/new").status_code == 403
    assert client.post("/meetings/new", data={**FORM, "csrf_token": token}).status_code == 403


def test_form_needs_the_csrf_token(client, world) -> None:  # type: ignore[no-untyped-def]
    _signed_in(client, "sec.contributor")
    assert client.post("/meetings/new", data=FORM).status_code == 403
