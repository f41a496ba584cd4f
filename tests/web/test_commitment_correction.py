"""A commitment's owner corrects it from its page; a change of marking is confirmed first.

The new-commitment form opens on COALITION, never PUBLIC. On the commitment's page its
owner may correct the item, the date, the source and the marking. A change of marking is
refused until it is confirmed, with a sentence saying who would lose sight of the record;
once confirmed it is a new revision, audited, and the record leaves the view of those who
may no longer see it.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from coalition.core.audit import AuditEntry
from coalition.core.db import transaction

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "PUBLIC",
    "source_title": "Press release",
}


def _token(client: TestClient, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    assert match, f"{path} carries a CSRF token"
    return match.group(1)


def _pledge(client_for: Any) -> str:
    made = client_for("gbr.contributor").post("/api/v1/commitments", json=PLEDGE)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _correct(client: TestClient, record: str, **changes: str) -> Any:
    form = {"csrf_token": _token(client, f"/commitments/{record}"), "revision": "1", **changes}
    return client.post(f"/commitments/{record}/edit", data=form, follow_redirects=False)


def test_the_new_commitment_form_opens_on_coalition(client_for: Any) -> None:
    page = client_for("gbr.contributor").get("/commitments/new").text
    selected = re.search(
        r'<option value="([A-Z_]+)" selected>', page[page.index('name="marking"') :]
    )
    assert selected and selected.group(1) == "COALITION"


def test_the_owner_corrects_item_date_and_source_from_the_page(client_for: Any) -> None:
    record = _pledge(client_for)
    client = client_for("gbr.contributor")
    page = client.get(f"/commitments/{record}").text
    assert 'name="item"' in page and 'value="Bridging equipment"' in page
    answer = _correct(
        client,
        record,
        item="Bridging equipment (corrected)",
        announced_on="2025-03-04",
        date_precision="day",
        source_title="Ministry of Defence statement",
        source_ref="https://example.org/statement",
    )
    assert answer.status_code == 303, answer.text
    now = client.get(f"/api/v1/commitments/{record}").json()
    assert now["item"] == "Bridging equipment (corrected)"
    assert now["announced_on"] == "2025-03-04"
    assert now["source_title"] == "Ministry of Defence statement"
    assert now["revision"] == 2
    assert now["marking"]["marking"] == "PUBLIC"  # a correction leaves the marking alone


def test_a_change_of_marking_is_refused_until_confirmed(client_for: Any, engine: Engine) -> None:
    record = _pledge(client_for)
    client = client_for("gbr.contributor")
    refused = _correct(client, record, marking="COALITION", item="Bridging equipment")
    assert refused.status_code == 422
    assert "will no longer see it" in refused.text
    assert "the public" in refused.text
    assert client_for(None).get(f"/api/v1/commitments/{record}").status_code == 200
    assert client.get(f"/api/v1/commitments/{record}").json()["revision"] == 1

    done = _correct(client, record, marking="COALITION", confirm_marking="yes")
    assert done.status_code == 303, done.text
    assert client_for(None).get(f"/api/v1/commitments/{record}").status_code == 404
    assert client.get(f"/api/v1/commitments/{record}").json()["marking"]["marking"] == "COALITION"
    with transaction(engine) as session:
        changes = session.scalars(
            select(AuditEntry.after).where(AuditEntry.entity == "commitments")
        ).all()
    assert any('"COALITION"' in (c or "") for c in changes), "the new marking is audited"
    history = client.get(f"/commitments/{record}").text
    assert "PUBLIC" in history[history.index("History") :]


def test_a_release_to_more_members_says_who_gains_sight(client_for: Any) -> None:
    record = _pledge(client_for)
    client = client_for("gbr.contributor")
    assert _correct(client, record, marking="NATIONAL", confirm_marking="yes").status_code == 303
    refused = client.post(
        f"/commitments/{record}/edit",
        data={
            "csrf_token": _token(client, f"/commitments/{record}"),
            "revision": "2",
            "marking": "REL_TO",
            "rel_to": "FRA",
        },
    )
    assert refused.status_code == 422
    assert "FRA will see it" in refused.text
    assert 'value="FRA"' in refused.text  # what was typed is kept


def test_another_member_cannot_correct_and_bad_input_changes_nothing(client_for: Any) -> None:
    record = _pledge(client_for)
    foreign = client_for("fra.contributor")
    assert _correct(foreign, record, item="Hijacked").status_code == 403
    client = client_for("gbr.contributor")
    for bad in (
        {"item": "   "},
        {"announced_on": "2025-02-30"},
        {"marking": "SECRET", "confirm_marking": "yes"},
        {"marking": "REL_TO", "rel_to": "FRA; <script>", "confirm_marking": "yes"},
        {"meeting_id": "999999"},
        {"item": "x" * 6000},
    ):
        answer = _correct(client, record, **bad)
        assert answer.status_code in (404, 422), (bad, answer.status_code)
        assert "<script>" not in answer.text
    assert client.get(f"/api/v1/commitments/{record}").json()["revision"] == 1


def test_a_link_to_a_meeting_the_editor_may_not_see_survives_an_edit(client_for: Any) -> None:
    sec = client_for("sec.contributor")
    meeting = {
        "title": "Planning cell",
        "kind": "summit",
        "held_on": "2025-03-02",
        "format": "virtual",
        "level": "leaders",
        "marking": "REL_TO",
        "rel_to": ["FRA"],
    }
    made_meeting = sec.post("/api/v1/meetings", json=meeting)
    assert made_meeting.status_code == 201, made_meeting.text
    meeting_id = made_meeting.json()["id"]
    made = sec.post("/api/v1/commitments", json={**PLEDGE, "meeting_id": meeting_id})
    assert made.status_code == 201, made.text
    record = made.json()["id"]
    gbr = client_for("gbr.contributor")
    page = gbr.get(f"/commitments/{record}").text
    assert "Planning cell" not in page  # the editor may not see the meeting
    token = TOKEN.search(page)
    assert token
    form = {
        "csrf_token": token.group(1),
        "revision": "1",
        "item": "Bridging equipment",
        "status": "confirmed",
        "meeting_id": "",
        "meeting_was": "",
        "marking": "PUBLIC",
    }
    saved = gbr.post(f"/commitments/{record}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert sec.get(f"/api/v1/commitments/{record}").json()["meeting_id"] == meeting_id
