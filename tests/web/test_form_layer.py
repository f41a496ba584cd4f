"""Every page form refuses bad input the same way: the form again, not a dead end.

For each form, one bad value is posted with others that are fine. The answer is the form
again with status 422, a summary at the top, the reason beside the bad field in plain
words (never pydantic's wording nor a library's link), and every value as it was typed;
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from coalition.ceasefire.model import Ceasefire
from coalition.core.audit import AuditEntry
from coalition.core.db import transaction
from tests.world import World

ClientFor = Callable[[str | None], TestClient]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "PUBLIC",
}


@dataclass(frozen=True)
class Case:
    name: str
    user: str
    path: str  # may name {record}, made by ``setup``
    form: dict[str, Any]
    field: str  # the field refused
    message: str  # the reason beside it
    typed: tuple[str, ...]  # values the page must show again
    setup: Callable[[ClientFor, Engine], str] | None = None


def _commitment(client_for: ClientFor, _engine: Engine) -> str:
    made = client_for("gbr.contributor").post("/api/v1/commitments", json=PLEDGE)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _incident(client_for: ClientFor, engine: Engine) -> str:
    with transaction(engine) as session:
        session.add(
            Ceasefire(
                name="Test ceasefire",
                parties="Party A; Party B",
                scope="all_fronts",
                starts_on=dt.date(2025, 3, 25),
                duration_days=30,
                status="in_force",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )
    report = {
        "source_name": "Patrol 7",
        "source_id": "P7-001",
        "reliability": "A",
        "credibility": 2,
        "occurred_at": "2025-03-27T08:15:00Z",
        "latitude": 48.1,
        "longitude": 37.7,
        "type": "shelling",
        "marking": "COALITION",
    }
    made = client_for("gbr.monitor").post("/api/v1/reports", json=report)
    assert made.status_code == 201, made.text
    return str(made.json()["incident_id"])


def _proposal(client_for: ClientFor, _engine: Engine) -> str:
    made = client_for("sec.contributor").post(
        "/api/v1/proposals",
        json={
            "title": "Extend the ceasefire",
            "rule": "consensus",
            "deadline": DEADLINE + ":00Z",
            "marking": "COALITION",
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


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
OFFER = {
    "capability": "GBAD_BTY",
    "quantity": "1",
    "status": "offered",
    "starts_on": "2025-06-01",
    "ends_on": "2025-12-31",
    "marking": "NATIONAL",
}


def _requirement(client_for: ClientFor, _engine: Engine) -> str:
    body = {**REQUIREMENT, "quantity": 2, "priority": 1}
    made = client_for("fra.planner").post("/api/v1/forcegen/requirements", json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _offer(client_for: ClientFor, _engine: Engine) -> str:
    made = client_for("gbr.contributor").post(
        "/api/v1/forcegen/offers", json={**OFFER, "quantity": 1}
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _user(_client_for: ClientFor, _engine: Engine) -> str:
    return "{user}"


CASES = [
    Case(
        "commitment",
        "gbr.contributor",
        "/commitments/new",
        {**PLEDGE, "quantity": "twelve", "rel_to": "fra"},
        "quantity",
        "",
        ("twelve", "Bridging equipment", "bridges", "fra"),
    ),
    Case(
        "commitment-rel-to",
        "gbr.contributor",
        "/commitments/new",
        {**PLEDGE, "marking": "REL_TO", "rel_to": "FRA, 12"},
        "rel_to",
        "'12' is not a member code",
        ("FRA, 12", "Bridging equipment"),
    ),
    Case(
        "delivery",
        "gbr.contributor",
        "/commitments/{record}/deliveries",
        {"delivered_on": "soon", "quantity": "1", "note": "first batch"},
        "delivered_on",
        "",
        ("soon", "first batch"),
        _commitment,
    ),
    Case(
        "commitment-change",
        "gbr.contributor",
        "/commitments/{record}/edit",
        {"revision": "1", "status": "delivered", "quantity": "lots"},
        "quantity",
        "",
        ("lots",),
        _commitment,
    ),
    Case(
        "meeting",
        "sec.contributor",
        "/meetings/new",
        {
            "title": "Leaders' call",
            "kind": "summit",
            "held_on": "2025-02-30",
            "format": "virtual",
            "level": "leaders",
            "place": "London",
            "marking": "PUBLIC",
        },
        "held_on",
        "",
        ("2025-02-30", "London"),
    ),
    Case(
        "report",
        "gbr.monitor",
        "/ceasefire/reports",
        {
            "source_kind": "monitor_patrol",
            "source_name": "Patrol 7",
            "source_id": "p7-1",
            "reliability": "B",
            "credibility": "2",
            "occurred_at": "2025-03-26T10:00",
            "latitude": "north",
            "longitude": "37.5",
            "type": "shelling",
            "weapon": "mortar",
            "marking": "COALITION",
        },
        "latitude",
        "not a number",
        ("north", "Patrol 7", "mortar"),
    ),
    Case(
        "incident-status",
        "gbr.monitor",
        "/ceasefire/incidents/{record}/status",
        {"status": "verified", "reason": "ok", "assessed_attribution": "Party B"},
        "reason",
        "too short: at least 3 characters",
        ("ok", "Party B"),
        _incident,
    ),
    Case(
        "proposal",
        "sec.contributor",
        "/proposals",
        {"title": "Extend the ceasefire", "rule": "consensus", "deadline": "tomorrow"},
        "deadline",
        "",
        ("tomorrow", "Extend the ceasefire"),
    ),
    Case(
        "position",
        "gbr.contributor",
        "/proposals/{record}/positions",
        {"stance": "maybe", "text": "Not without a vote"},
        "stance",
        "not one of the choices",
        ("Not without a vote",),
        _proposal,
    ),
    Case(
        "scenario",
        "fra.planner",
        "/forcegen/scenarios",
        {"name": "Bad Name", "title": "Reassurance", "members": "GBR, FRA"},
        "name",
        "not in the expected form",
        ("Bad Name", "Reassurance", "GBR, FRA"),
    ),
    Case(
        "requirement",
        "fra.planner",
        "/forcegen/requirements",
        {**REQUIREMENT, "quantity": "two", "notes": "urgent"},
        "quantity",
        "not a whole number",
        ("two", "Air defence of Kyiv", "urgent"),
    ),
    Case(
        "requirement-change",
        "fra.planner",
        "/forcegen/requirements/{record}",
        {**REQUIREMENT, "version": "1", "priority": "9", "label": "Air defence, revised"},
        "priority",
        "",
        ("Air defence, revised",),
        _requirement,
    ),
    Case(
        "offer",
        "gbr.contributor",
        "/forcegen/offers",
        {**OFFER, "quantity": "0", "notes": "two crews"},
        "quantity",
        "",
        ("two crews",),
    ),
    Case(
        "offer-change",
        "gbr.contributor",
        "/forcegen/offers/{record}",
        {**OFFER, "version": "1", "quantity": "a few", "notes": "revised"},
        "quantity",
        "not a whole number",
        ("a few", "revised"),
        _offer,
    ),
    Case(
        "token",
        "sec.admin",
        "/users/{user}/tokens",
        {"name": "reporting", "days": "forever"},
        "days",
        "not a whole number",
        ("forever", "reporting"),
    ),
    Case(
        "unlock",
        "sec.admin",
        "/users/{user}/unlock",
        {"address": "nowhere"},
        "address",
        "",
        ("nowhere",),
    ),
]


def _audit_entries(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bad_value_shows_the_form_again_with_what_was_typed(
    case: Case, client_for: ClientFor, engine: Engine, world: World
) -> None:
    record = case.setup(client_for, engine) if case.setup else ""
    path = case.path.format(record=record, user=world.principals["gbr.viewer"].user_id)
    client = client_for(case.user)
    page_path = "/" if "{user}" not in case.path else path.rsplit("/", 1)[0]
    token = TOKEN.search(client.get(page_path).text)
    assert token
    before = _audit_entries(engine)
    answer = client.post(
        path, data={**case.form, "csrf_token": token.group(1)}, follow_redirects=False
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    text = html.unescape(answer.text)
    assert '<div class="alert" role="alert">' in text and "Nothing was saved" in text
    beside = re.search(rf'<span class="field-error" id="error-{case.field}">([^<]+)</span>', text)
    assert beside, f"no message beside {case.field}"
    assert case.message in beside.group(1)
    assert beside.group(1) in text.split("<ul>", 1)[1].split("</ul>", 1)[0]  # and in the summary
    assert "Input should" not in text and "pydantic" not in text
    for value in case.typed:
        assert value in text, f"{value!r} was not kept"
    assert '<form method="post"' in text or "<form class=" in text  # the form, not an error page
    assert _audit_entries(engine) == before  # nothing was written
