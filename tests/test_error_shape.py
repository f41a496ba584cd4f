"""One JSON shape for every API error, one HTML page for every page error."""

from __future__ import annotations

import pytest

from coalition.api import HANDLERS, status_of
from coalition.core import errors


def test_every_domain_error_has_a_status() -> None:
    classes = {
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.CoalitionError)
    }
    assert classes - {errors.CoalitionError} <= set(HANDLERS)
    assert status_of(errors.NotFound("x")) == 404


def test_not_found_body_is_pinned(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/meetings/999999")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "detail": "no meeting 999999"}}


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/nowhere", 404, "not_found"),
        ("delete", "/api/v1/members", 405, "method_not_allowed"),
        ("get", "/api/v1/meetings/not-a-number", 422, "invalid"),
        ("post", "/api/v1/meetings", 401, "unauthenticated"),
    ],
)
def test_errors_share_one_shape(client, method: str, url: str, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    response = getattr(client, method)(url)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["detail"]


def test_pages_render_errors_as_pages(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/meetings/999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("delete", "/api/v1/members", {"GET", "POST"}),
        ("put", "/api/v1/meetings/1", {"GET", "PATCH"}),
        ("post", "/healthz", {"GET"}),
        ("delete", "/commitments/new", {"GET", "POST"}),
    ],
)
def test_method_not_allowed_says_what_is(client, method: str, url: str, allowed: set[str]) -> None:  # type: ignore[no-untyped-def]
    response = client.request(method.upper(), url)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
