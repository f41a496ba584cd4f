"""The proposals pages: tabling from the form, stating a position, the meeting's link."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.meetings.model import Meeting
from tests.world import World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client, path: str) -> str:  # type: ignore[no-untyped-def]
    match = TOKEN.search(client.get(path).text)
    assert match, path
    return match.group(1)


def test_table_from_the_form_and_state_from_the_page(  # type: ignore[no-untyped-def]
    engine: Engine, world: World, client_for
) -> None:
    with transaction(engine) as session:
        meeting = Meeting(
            title="Chiefs' meeting",
            kind="military_chiefs",
            held_on=dt.date(2025, 3, 20),
            format="in_person",
            level="chiefs_of_defence",
            owner_code="SEC",
            marking="COALITION",
        )
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    staff = client_for("sec.contributor")
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = staff.post(
        "/proposals",
        data={
            "title": "Operational-phase planning cells",
            "rule": "qualified_majority",
            "deadline": deadline,
            "meeting_id": str(meeting_id),
            "marking": "COALITION",
            "csrf_token": _token(staff, "/proposals/new"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    url = response.headers["location"]

    liaison = client_for("gbr.contributor")
    page = liaison.get(url).text
    assert 'data-member="GBR"' in page and "no position" in page
    assert "State GBR" in page
    stated = liaison.post(
        f"{url}/positions",
        data={"stance": "object", "text": "Not yet", "csrf_token": _token(liaison, url)},
        follow_redirects=False,
    )
    assert stated.status_code == 303
    page = liaison.get(url).text
    assert re.search(r'class="cell stance-object" data-member="GBR"', page)
    assert "objection" in page

    # Without the form token nothing is stated.
    refused = liaison.post(f"{url}/positions", data={"stance": "support"})
    assert refused.status_code == 403
    assert 'stance-object" data-member="GBR"' in liaison.get(url).text

    # The meeting's page links its proposals.
    assert "Operational-phase planning cells" in liaison.get(f"/meetings/{meeting_id}").text
    # A viewer sees the grid but no form.
    assert "State GBR" not in client_for("gbr.viewer").get(url).text


def test_only_the_members_spokespeople_see_the_position_form(  # type: ignore[no-untyped-def]
    engine: Engine, world: World, client_for
) -> None:
    staff = client_for("sec.contributor")
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    tabled = staff.post(
        "/proposals",
        data={
            "title": "Extend the ceasefire by thirty days",
            "rule": "consensus",
            "deadline": deadline,
            "marking": "COALITION",
            "csrf_token": _token(staff, "/proposals/new"),
        },
        follow_redirects=False,
    )
    url = tabled.headers["location"]
    for user in ("gbr.contributor", "gbr.admin"):
        page = client_for(user).get(url).text
        assert "State GBR" in page and 'id="state-note"' not in page, user
    for user in ("gbr.monitor", "gbr.planner", "gbr.viewer"):
        page = client_for(user).get(url).text
        assert "State GBR" not in page and 'action="/proposals/' not in page, user
        note = re.search(r'id="state-note">([^<]+)<', page)
        assert note, user
        assert "stated by its liaison officers" in note.group(1)
    # A monitor's form post is refused with the plain refusal page; nothing is stated.
    monitor = client_for("gbr.monitor")
    refused = monitor.post(
        f"{url}/positions",
        data={"stance": "object", "csrf_token": _token(monitor, url)},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "<h1>Not allowed</h1>" in refused.text and "your role (monitor)" in refused.text
    assert "no position" in monitor.get(url).text
    # The secretariat takes no part: no form and no note.
    page = staff.get(url).text
    assert "State SEC" not in page and 'id="state-note"' not in page
