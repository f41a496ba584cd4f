"""Bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from coalition.core.db import transaction, utcnow
from coalition.core.settings import get_settings
from coalition.members.model import ApiToken

MEETING = {
    "title": "t",
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
}


def _count(client) -> int:  # type: ignore[no-untyped-def]
    return int(client.get("/api/v1/meetings").json()["total"])


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[]", "application/json"),
        (b'{"title": 5, "kind": "summit"}', "application/json"),
        (b'{"title": "t", "kind": "party", "held_on": "2025-03-15"}', "application/json"),
        (b'{"title": "t", "kind": "summit", "held_on": "15/03/2025"}', "application/json"),
        (
            b'{"title": "t", "kind": "summit", "held_on": "2025-03-15", "format": "virtual",'
            b' "level": "leaders", "attendees": "GBR"}',
            "application/json",
        ),
        (b"title=t", "application/x-www-form-urlencoded"),
        ('{"title": "\ud800"}'.encode("utf-8", "surrogatepass"), "application/json"),
    ],
)
def test_malformed_bodies_are_refused(client_for, body: bytes, content_type: str) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    response = sec.post("/api/v1/meetings", content=body, headers={"content-type": content_type})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["detail"]
    assert _count(sec) == 0


def test_oversized_body_is_refused_before_reading(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    big = {**MEETING, "summary": "x" * (get_settings().max_body_bytes + 10)}
    response = sec.post("/api/v1/meetings", json=big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert _count(sec) == 0


def test_absurd_values_are_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    for bad in (
        {**MEETING, "title": "x" * 201},
        {**MEETING, "attendees": ["GBR", "GBR"]},
        {**MEETING, "held_on": "99999-01-01"},
        {**MEETING, "marking": "TOP_SECRET"},
        {**MEETING, "rel_to": ["G'R"], "marking": "REL_TO"},
        {**MEETING, "unexpected": 1},
    ):
        assert sec.post("/api/v1/meetings", json=bad).status_code == 422, bad
    assert client_for("sec.admin").get("/api/v1/members?limit=100000").status_code == 422
    assert client_for("sec.admin").get("/api/v1/members?offset=-1").status_code == 422
    assert _count(sec) == 0


def test_sql_looking_strings_are_just_text(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    evil = "x'); DROP TABLE meetings; --"
    created = sec.post("/api/v1/meetings", json={**MEETING, "title": evil})
    assert created.status_code == 201
    assert sec.get(f"/api/v1/meetings/{created.json()['id']}").json()["title"] == evil
    assert sec.get("/api/v1/members/' OR '1'='1").status_code == 404
    assert sec.get("/api/v1/meetings?kind=summit' OR 1=1 --").status_code == 422


@pytest.mark.parametrize(
    "header",
    [
        "Bearer coa_forged-token",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer " + "a" * 5000,
    ],
)
def test_forged_tokens_are_refused(client, world, header: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/meetings", headers={"Authorization": header})
    assert response.status_code == 401
    assert (
        client.post("/api/v1/meetings", json=MEETING, headers={"Authorization": header}).status_code
        == 401
    )


def test_expired_token_is_refused(client, world, engine) -> None:  # type: ignore[no-untyped-def]
    token = world.tokens["sec.contributor"]
    with transaction(engine) as session:
        for row in session.query(ApiToken).all():
            row.expires_at = utcnow() - dt.timedelta(seconds=1)
    response = client.post(
        "/api/v1/meetings", json=MEETING, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401 and response.json()["error"]["detail"] == "token expired"
