"""Editions of a briefing through the API: drafted for one reader, judged in the
yardstick's terms, reviewed, issued only if nothing moved since review, frozen, and
reproduced; the live builds and their markings; refusals of malformed requests.

The world holds the members and a user of every role; a claim made on the reported day
(PUBLIC, or NATIONAL to FRA) is what moves a daily report here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.situation import claims
from tests.world import World

DAY = dt.date(2025, 3, 10)
GOOD = {"text": "It is likely that the line holds through the week.", "confidence": "moderate"}


def claim(engine: Engine, world: World, owner: str, marking: Marking, summary: str) -> int:
    author = world.principal(f"{owner.lower()}.monitor")
    with transaction(engine, actor=author.actor) as session:
        made = claims.record_claim(
            session,
            author,
            claims.ClaimIn(
                summary=summary,
                claimant="A spokesman",
                kind="encirclement",
                claimed_at=dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC),
                place="Donetsk",
                marking=marking,
            ),
        )
        return made.id


def draft(client: Any, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/briefings/editions", json={"kind": "daily", "day": DAY.isoformat(), **fields}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def step(client: Any, edition: dict[str, Any], name: str) -> Any:
    return client.post(
        f"/api/v1/briefings/editions/{edition['id']}/{name}", json={"version": edition["version"]}
    )


def test_an_edition_goes_from_draft_through_review_to_issue_and_then_is_frozen(
    engine: Engine, world: World, client_for: Any
) -> None:
    analyst = client_for("gbr.contributor")
    edition = draft(analyst)
    assert edition["status"] == "draft"
    assert edition["reader"] == "gbr.contributor"
    assert edition["document"]["kind"] == "daily"
    assert len(edition["inputs_digest"]) == 64

    refused = analyst.patch(
        f"/api/v1/briefings/editions/{edition['id']}",
        json={
            "version": edition["version"],
            "judgements": [{"text": "The line will possibly hold.", "confidence": "high"}],
        },
    )
    assert refused.status_code == 422
    assert "judgement 1" in refused.json()["error"]["detail"]

    revised = analyst.patch(
        f"/api/v1/briefings/editions/{edition['id']}",
        json={"version": edition["version"], "judgements": [GOOD]},
    )
    assert revised.status_code == 200, revised.text
    edition = revised.json()
    assert edition["judgements"] == [GOOD]
    printed = str(edition["document"])
    assert "We have moderate confidence in this judgement." in printed

    stale = analyst.post(f"/api/v1/briefings/editions/{edition['id']}/review", json={"version": 1})
    assert stale.status_code == 409
    reviewed = step(analyst, edition, "review")
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "review"
    issued = step(analyst, reviewed.json(), "issue")
    assert issued.status_code == 200, issued.text
    edition = issued.json()
    assert edition["status"] == "issued"
    assert edition["issued_by"] == "gbr.contributor@GBR"

    frozen = analyst.patch(
        f"/api/v1/briefings/editions/{edition['id']}",
        json={"version": edition["version"], "judgements": []},
    )
    assert frozen.status_code == 409
    again = analyst.get(f"/api/v1/briefings/editions/{edition['id']}/reproduce")
    assert again.json() == {"same_inputs": True, "same_document": True, "changes": []}

    claim(engine, world, "GBR", Marking.PUBLIC, "A village is encircled")
    moved = analyst.get(f"/api/v1/briefings/editions/{edition['id']}/reproduce").json()
    assert moved["same_inputs"] is False
    stored = analyst.get(f"/api/v1/briefings/editions/{edition['id']}").json()
    assert stored["document"] == edition["document"]


def test_an_edition_is_not_issued_when_its_records_moved_since_review(
    engine: Engine, world: World, client_for: Any
) -> None:
    analyst = client_for("gbr.contributor")
    reviewed = step(analyst, draft(analyst), "review").json()
    claim(engine, world, "GBR", Marking.PUBLIC, "A bridge is destroyed")
    refused = step(analyst, reviewed, "issue")
    assert refused.status_code == 409
    assert "changed since it went to review" in refused.json()["error"]["detail"]
    back = step(analyst, reviewed, "return")
    assert back.json()["status"] == "draft"


def test_each_reader_gets_an_edition_of_what_they_may_see(
    engine: Engine, world: World, client_for: Any
) -> None:
    claim(engine, world, "FRA", Marking.NATIONAL, "hidden-claim of the French")
    french = draft(client_for("fra.contributor"))
    british = draft(client_for("gbr.contributor"))
    public = draft(client_for("fra.contributor"), public=True)
    assert french["marking"]["label"] == "NATIONAL (FRA)"
    assert "hidden-claim" in str(french["document"])
    assert british["marking"]["label"] == "PUBLIC"
    assert "hidden-claim" not in str(british["document"])
    assert public["reader"] == "public"
    assert public["marking"]["label"] == "PUBLIC"
    assert "hidden-claim" not in str(public["document"])

    gbr = client_for("gbr.viewer")
    assert gbr.get(f"/api/v1/briefings/editions/{french['id']}").status_code == 404
    assert gbr.get(f"/api/v1/briefings/editions/{french['id']}?format=pdf").status_code == 404
    listed = {e["id"] for e in gbr.get("/api/v1/briefings/editions").json()}
    assert french["id"] not in listed
    assert {british["id"], public["id"]} <= listed
    anonymous = client_for(None)
    assert {e["id"] for e in anonymous.get("/api/v1/briefings/editions").json()} == {
        british["id"],
        public["id"],
    }
    # Another analyst of the same member may not rebuild an edition built for a colleague.
    other = client_for("gbr.planner")
    assert step(other, british, "review").status_code == 403


def test_live_builds_are_the_readers_own_in_json_html_and_pdf(
    engine: Engine, world: World, client_for: Any
) -> None:
    claim(engine, world, "FRA", Marking.NATIONAL, "hidden-claim of the French")
    url = f"/api/v1/briefings/daily?day={DAY.isoformat()}"
    french = client_for("fra.viewer").get(url).json()
    assert french["marking"] == "NATIONAL (FRA)"
    public = client_for(None).get(url)
    assert public.json()["marking"] == "PUBLIC"
    assert "hidden-claim" not in public.text
    html = client_for(None).get(url + "&format=html")
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert "PUBLIC" in html.text and "hidden-claim" not in html.text
    # One policy, the pages' own, that lets the briefing's inlined stylesheet through by hash.
    policies = html.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "style-src 'self' 'sha256-" in policies[0]
    assert "script-src 'self'" in policies[0]
    pdf = client_for(None).get(url + "&format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "weekly", "day": "2025-03-10"}, 422),
        ({"kind": "daily", "day": "2025-13-01"}, 422),
        ({"kind": "daily"}, 422),
        ({"kind": "summit"}, 422),
        ({"kind": "summit", "meeting_id": 987654}, 404),
        ({"kind": "daily", "day": "2025-03-10", "judgements": [GOOD] * 13}, 422),
        ({"kind": "daily", "day": "2025-03-10", "judgements": [{**GOOD, "text": "x" * 601}]}, 422),
        (
            {"kind": "daily", "day": "2025-03-10", "judgements": [{**GOOD, "confidence": "sure"}]},
            422,
        ),
        ({"kind": "daily", "day": "2025-03-10", "owner": "FRA"}, 422),
        ({"kind": "daily", "day": "2025-03-10", "public": "yes"}, 422),
    ],
)
def test_malformed_and_hostile_drafts_are_refused_and_save_nothing(
    client_for: Any, body: dict[str, Any], status: int
) -> None:
    analyst = client_for("gbr.contributor")
    response = analyst.post("/api/v1/briefings/editions", json=body)
    assert response.status_code == status, response.text
    assert analyst.get("/api/v1/briefings/editions").json() == []


def test_readers_without_a_writing_role_may_read_but_not_draft(client_for: Any) -> None:
    viewer = client_for("gbr.viewer")
    assert (
        viewer.post(
            "/api/v1/briefings/editions", json={"kind": "daily", "day": "2025-03-10"}
        ).status_code
        == 403
    )
    assert (
        client_for(None)
        .post("/api/v1/briefings/editions", json={"kind": "daily", "day": "2025-03-10"})
        .status_code
        == 401
    )
    assert viewer.get("/api/v1/briefings/daily?day=2025-03-10").status_code == 200
    assert viewer.get("/api/v1/briefings/daily?day=not-a-day").status_code == 422
