"""The dashboard: the tiles and sections the capabilities register, for the reader."""

from __future__ import annotations

import re

from markupsafe import escape

from tests.meetings.test_meetings_api import MEETING


def _figures(page: str) -> list[str]:
    return re.findall(r'<span class="figure">(\d+)</span>', page)


def test_the_dashboard_shows_what_members_and_meetings_register(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    empty = client_for(None).get("/")
    assert empty.status_code == 200
    assert _figures(empty.text) == ["6", "0"] and "4 states" in empty.text
    assert "No meetings you may see have been held yet." in empty.text

    assert sec.post("/api/v1/meetings", json=MEETING).status_code == 201
    hidden = {**MEETING, "title": "Planning cell", "marking": "REL_TO", "rel_to": ["GBR"]}
    assert sec.post("/api/v1/meetings", json=hidden).status_code == 201

    for reader, total, shown in (("fra.viewer", "1", False), ("gbr.viewer", "2", True)):
        page = client_for(reader).get("/").text
        assert _figures(page)[:2] == ["6", total]
        assert "Recent meetings" in page and str(escape(MEETING["title"])) in page
        assert ("Planning cell" in page) is shown


def test_the_dashboard_shows_pledged_and_delivered_as_each_reader_may_see(client_for) -> None:  # type: ignore[no-untyped-def]
    gbr = client_for("gbr.contributor")
    pledge = {
        "member": "GBR",
        "announced_on": "2025-03-02",
        "category": "military",
        "item": "Bridging equipment",
        "value": "2000000",
        "currency": "EUR",
    }
    made = gbr.post("/api/v1/commitments", json={**pledge, "marking": "PUBLIC"})
    assert made.status_code == 201, made.text
    delivered = {"delivered_on": "2025-03-10", "value": "500000"}
    assert (
        gbr.post(f"/api/v1/commitments/{made.json()['id']}/deliveries", json=delivered).status_code
        == 201
    )
    secret = {**pledge, "value": "7000000", "marking": "NATIONAL"}
    assert gbr.post("/api/v1/commitments", json=secret).status_code == 201

    def tile(reader: str | None) -> str:
        page = client_for(reader).get("/").text
        match = re.search(r'<a class="tile" id="tile-pledges".*?</a>', page, re.DOTALL)
        assert match, "the pledges tile is on the dashboard"
        return match.group(0)

    assert "€2.0m" in tile(None) and "€500k delivered (25%)" in tile(None)
    assert "€9.0m" in tile("gbr.viewer") and "2 commitments" in tile("gbr.viewer")
    assert "€2.0m" in tile("fra.viewer")  # France sees nothing of the NATIONAL pledge
    assert 'href="/commitments"' in tile(None)
    plan = re.search(r'id="tile-plan"[^>]*>', client_for("fra.viewer").get("/").text)
    assert plan and 'href="/forcegen"' in plan.group(0)  # no plan yet: the tile says so


def test_a_meeting_planned_years_ahead_never_heads_recent_meetings(client_for) -> None:  # type: ignore[no-untyped-def]
    sec = client_for("sec.contributor")
    assert sec.post("/api/v1/meetings", json=MEETING).status_code == 201
    future = {**MEETING, "title": "Summit of 2031", "held_on": "2031-05-01"}
    assert sec.post("/api/v1/meetings", json=future).status_code == 201
    page = client_for(None).get("/").text
    recent = page.split('id="recent-meetings"')[1]
    coming = page.split('id="upcoming-meetings"')[1].split('id="recent-meetings"')[0]
    assert "Summit of 2031" not in recent and str(escape(MEETING["title"])) in recent
    assert "Summit of 2031" in coming


def test_the_dashboard_counts_proposals_awaiting_the_readers_member(client_for) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
    proposal = {
        "title": "Extend the ceasefire",
        "rule": "consensus",
        "deadline": deadline.isoformat().replace("+00:00", "Z"),
        "marking": "COALITION",
    }
    made = client_for("sec.contributor").post("/api/v1/proposals", json=proposal)
    assert made.status_code == 201, made.text

    def tile(reader: str) -> str:
        found = re.search(
            r'id="tile-proposals".*?</a>', client_for(reader).get("/").text, re.DOTALL
        )
        assert found, reader
        return found.group(0)

    assert '<span class="figure">1</span>' in tile("gbr.viewer")
    assert f'href="/proposals/{made.json()["id"]}"' in tile("gbr.viewer")
    stated = client_for("gbr.contributor").post(
        f"/api/v1/proposals/{made.json()['id']}/positions", json={"stance": "support"}
    )
    assert stated.status_code in (200, 201), stated.text
    assert '<span class="figure">0</span>' in tile("gbr.viewer")
    assert '<span class="figure">1</span>' in tile("fra.viewer")
    assert 'id="tile-proposals"' not in client_for(None).get("/").text
    # Two awaiting: the tile leads to the list of just those.
    second = {**proposal, "title": "Fund the monitors"}
    assert client_for("sec.contributor").post("/api/v1/proposals", json=second).status_code == 201
    assert 'href="/proposals?awaiting=true"' in tile("fra.viewer")
    listed = client_for("fra.viewer").get("/proposals?awaiting=true").text
    assert "Extend the ceasefire" in listed and "Fund the monitors" in listed
    assert "Fund the monitors" in client_for("gbr.viewer").get("/proposals?awaiting=true").text
    assert (
        "Extend the ceasefire" not in client_for("gbr.viewer").get("/proposals?awaiting=true").text
    )
