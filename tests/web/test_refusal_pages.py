"""One refusal page everywhere, no form a user could not submit, and the signed-in header.

Every 403 of the pages is ``error.html`` through ``render_error``: a title, the reason in
plain words, and a link up to the page above, never a dead end. A form its reader could
not submit is neither linked nor served. An error page shows who is signed in even when
it was raised before any route asked (an address no route serves, a method none allows).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from tests.browser import browser, sign_in
from tests.world import World

BACK = re.compile(r'<a href="([^"]+)" id="back" rel="up">Back to ([^<]+)</a>')


def _signed_in(app: FastAPI, username: str) -> TestClient:
    client = browser(app)
    assert sign_in(client, username).status_code == 303
    return client


def _is_refusal_page(response: Any, reason: str, back: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not allowed</h1>" in response.text
    assert reason in response.text
    link = BACK.search(response.text)
    assert link and link.group(1) == back, response.text
    assert "<form" not in response.text.split("<main", 1)[1]  # no form in the page body


# (user, form address, words of the reason, the page it leads back to, that page's button)
FORMS = [
    ("gbr.viewer", "/commitments/new", "your role (viewer) records none", "/commitments"),
    ("gbr.viewer", "/proposals/new", "your role (viewer) may not", "/proposals"),
    ("gbr.contributor", "/proposals/new", "your role (contributor) may not", "/proposals"),
    ("gbr.planner", "/meetings/new", "the secretariat keeps the meeting record", "/meetings"),
    (
        "gbr.contributor",
        "/ceasefire/reports/new",
        "only monitors file ceasefire reports",
        "/ceasefire",
    ),
]


@pytest.mark.parametrize(("user", "form", "reason", "back"), FORMS)
def test_a_form_the_user_could_not_submit_answers_the_refusal_page(
    app: FastAPI, world: World, user: str, form: str, reason: str, back: str
) -> None:
    client = _signed_in(app, user)
    _is_refusal_page(client.get(form), reason, back)
    assert f'href="{form}"' not in client.get(back).text  # and nothing links to it


def test_the_forms_are_served_to_those_who_may_submit_them(app: FastAPI, world: World) -> None:
    for user, form, back in [
        ("gbr.contributor", "/commitments/new", "/commitments"),
        ("gbr.monitor", "/commitments/new", "/commitments"),
        ("sec.contributor", "/proposals/new", "/proposals"),
        ("gbr.admin", "/proposals/new", "/proposals"),
        ("sec.contributor", "/meetings/new", "/meetings"),
    ]:
        client = _signed_in(app, user)
        assert client.get(form).status_code == 200, (user, form)
        assert f'href="{form}"' in client.get(back).text, (user, back)


def test_force_generation_shows_its_forms_to_writers_only(app: FastAPI, world: World) -> None:
    viewer, planner = _signed_in(app, "gbr.viewer"), _signed_in(app, "gbr.planner")
    for page, action in [
        ("/forcegen", 'method="post" action="/forcegen/scenarios"'),
        ("/forcegen/requirements", 'method="post" action="/forcegen/requirements"'),
        ("/forcegen/offers", 'method="post" action="/forcegen/offers"'),
    ]:
        assert action not in viewer.get(page).text, page
        assert action in planner.get(page).text, page


def test_a_refused_form_post_leads_back_to_its_page(app: FastAPI, world: World) -> None:
    viewer = _signed_in(app, "gbr.viewer")
    token = re.search(r'name="csrf_token" value="([^"]+)"', viewer.get("/").text)
    assert token
    refused = viewer.post("/proposals", data={"title": "x", "csrf_token": token.group(1)})
    _is_refusal_page(refused, "your role (viewer) may not", "/proposals")
    stale = viewer.post("/meetings/new", data={"title": "x", "csrf_token": "stale"})
    _is_refusal_page(stale, "security token", "/meetings")


def _raising(error: Exception) -> Any:
    def route() -> None:
        raise error

    return route


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no-such-page", 404),
        ("/proposals/999999", 404),
        ("/proposals/not-a-number", 422),
        ("/users", 403),
        ("/raised/forbidden", 403),
        ("/raised/missing", 404),
        ("/raised/conflict", 409),
        ("/raised/invalid", 422),
    ],
)
def test_an_error_page_keeps_the_signed_in_header(
    app: FastAPI, world: World, path: str, status: int
) -> None:
    # Routes that raise before any dependency asks who is signed in.
    for name, error in [
        ("forbidden", Forbidden("not for you")),
        ("missing", NotFound("no such thing")),
        ("conflict", Conflict("changed by someone else")),
        ("invalid", Invalid("not a date")),
    ]:
        app.add_api_route(f"/raised/{name}", _raising(error), include_in_schema=False)
    client = _signed_in(app, "gbr.viewer")
    page = client.get(path)
    assert page.status_code == status
    assert "<strong>gbr.viewer</strong>" in page.text and "Sign out" in page.text
    assert "Public view" not in page.text
    assert BACK.search(page.text)  # never a dead end
    # The public still sees the public header on the same page.
    anonymous = browser(app).get(path)
    assert "Public view" in anonymous.text and "Sign out" not in anonymous.text


def test_a_method_no_route_allows_keeps_the_header(app: FastAPI, world: World) -> None:
    client = _signed_in(app, "gbr.viewer")
    page = client.request("PATCH", "/proposals")
    assert page.status_code == 405
    assert "<strong>gbr.viewer</strong>" in page.text


@pytest.mark.parametrize(
    ("user", "form", "fields", "reason"),
    [
        ("gbr.viewer", "/commitments/new", {"item": "", "value": "-5"}, "records none"),
        ("gbr.planner", "/meetings/new", {"title": "", "held_on": "2025-02-30"}, "secretariat"),
        ("gbr.contributor", "/ceasefire/reports", {"latitude": "north"}, "only monitors"),
    ],
)
def test_a_bad_post_by_someone_without_the_right_is_refused_not_shown_again(
    app: FastAPI, world: World, user: str, form: str, fields: dict[str, str], reason: str
) -> None:
    client = _signed_in(app, user)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    refused = client.post(form, data={"csrf_token": token.group(1), **fields})
    assert refused.status_code == 403 and reason in refused.text
