"""The force-generation pages: a planner edits requirements, a liaison officer offers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.world import PASSWORD


def _token(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def _signed_in(client: TestClient, username: str) -> TestClient:
    data = {"username": username, "password": PASSWORD, "csrf_token": _token(client, "/login")}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_planner_and_liaison_work_through_the_forms(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    planner = _signed_in(client, "fra.planner")
    token = _token(planner, "/forcegen/requirements")
    made = planner.post(
        "/forcegen/requirements",
        data={
            "csrf_token": token,
            "label": "Air defence of Kyiv",
            "capability": "GBAD_BTY",
            "quantity": "2",
            "phase": "reassurance",
            "region": "kyiv",
            "task": "air_defence",
            "starts_on": "2025-06-01",
            "ends_on": "2025-12-31",
            "priority": "1",
            "enablers": ["STRAT_AIRLIFT"],
            "marking": "COALITION",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = planner.get(made.headers["location"])
    assert "Air defence of Kyiv" in page.text and "STRAT_AIRLIFT" in page.text
    bad = planner.post(
        "/forcegen/requirements",
        data={
            "csrf_token": token,
            "label": "x",
            "capability": "GBAD_BTY",
            "quantity": "-1",
            "phase": "reassurance",
            "region": "kyiv",
            "task": "air_defence",
            "starts_on": "2025-06-01",
            "ends_on": "2025-12-31",
        },
    )
    assert bad.status_code == 422 and "quantity" in bad.text
    planner.post("/logout", data={"csrf_token": _token(planner, "/")})

    liaison = _signed_in(planner, "gbr.contributor")
    token = _token(liaison, "/forcegen/offers")
    offered = liaison.post(
        "/forcegen/offers",
        data={
            "csrf_token": token,
            "capability": "GBAD_BTY",
            "quantity": "1",
            "status": "offered",
            "starts_on": "2025-06-01",
            "ends_on": "2025-12-31",
            "excluded_regions": ["eastern_ukraine"],
            "approval_pending": "1",
            "marking": "NATIONAL",
        },
        follow_redirects=False,
    )
    assert offered.status_code == 303, offered.text
    url = offered.headers["location"]
    assert "NATIONAL (GBR)" in liaison.get(url).text
    edited = liaison.post(
        url,
        data={
            "csrf_token": token,
            "version": "1",
            "quantity": "2",
            "status": "confirmed",
            "starts_on": "2025-06-01",
            "ends_on": "2025-11-30",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    text = liaison.get(url).text
    assert "confirmed" in text and "2025-11-30" in text
    backwards = liaison.post(
        url,
        data={
            "csrf_token": token,
            "version": "2",
            "starts_on": "2025-12-01",
            "ends_on": "2025-06-01",
        },
    )
    assert backwards.status_code == 422 and "ends before it starts" in backwards.text


def test_a_planner_defines_a_scenario_from_the_page(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    planner = _signed_in(client, "fra.planner")
    token = _token(planner, "/forcegen")
    made = planner.post(
        "/forcegen/scenarios",
        data={
            "csrf_token": token,
            "name": "without-germany",
            "title": "Without Germany",
            "members": "GBR, FRA",
            "statuses": ["confirmed"],
            "phase": "reassurance",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    scenarios = planner.get("/api/v1/forcegen/scenarios").json()["items"]
    assert [(s["name"], s["members"], s["backstop"], s["statuses"]) for s in scenarios] == [
        ("without-germany", ["FRA", "GBR"], False, ["confirmed"])
    ]
    again = planner.post(
        "/forcegen/scenarios",
        data={
            "csrf_token": token,
            "name": "without-germany",
            "title": "Again",
            "statuses": ["offered"],
        },
    )
    assert again.status_code == 409 and "already has a scenario" in again.text
    viewer = _signed_in(TestClient(client.app, base_url="http://127.0.0.1"), "fra.viewer")
    assert "Define a scenario" not in viewer.get("/forcegen").text
    # The Solve button posts its token in the form body and reaches the solver (which
    # finds nothing to fill: this world has no requirement lines).
    solved = planner.post(
        f"/forcegen/scenarios/{scenarios[0]['id']}/solve",
        data={"csrf_token": _token(planner, "/forcegen")},
        follow_redirects=False,
    )
    assert solved.status_code == 422 and "has no requirement to fill" in solved.text


def test_plan_pages_name_capabilities_link_offers_and_announce_the_marking(client_for) -> None:  # type: ignore[no-untyped-def]
    fra = client_for("fra.planner")
    window = {"starts_on": "2025-06-01", "ends_on": "2025-12-31"}
    line = {
        "label": "Air defence of Kyiv",
        "capability": "GBAD_BTY",
        "quantity": 3,
        "phase": "reassurance",
        "region": "kyiv",
        "task": "air_defence",
        "enablers": ["STRAT_AIRLIFT"],
        **window,
    }
    req = fra.post("/api/v1/forcegen/requirements", json=line).json()
    gbr = client_for("gbr.contributor")
    shared = gbr.post(
        "/api/v1/forcegen/offers",
        json={"capability": "GBAD_BTY", "quantity": 1, "status": "offered", **window},
    ).json()
    released = gbr.post(
        "/api/v1/forcegen/offers",
        json={
            "capability": "GBAD_BTY",
            "quantity": 1,
            "status": "offered",
            "excluded_regions": ["kyiv"],
            "needs_enablers": ["AAR"],
            "marking": "REL_TO",
            "rel_to": ["FRA"],
            **window,
        },
    ).json()
    sid = fra.post("/api/v1/forcegen/scenarios", json={"name": "base", "title": "Base"}).json()[
        "id"
    ]

    # Labels, with the codes kept in title attributes.
    text = fra.get(f"/forcegen/requirements/{req['id']}").text
    assert 'title="STRAT_AIRLIFT">Strategic airlift<' in text
    assert 'title="GBAD_BTY">Ground-based air defence battery<' in text
    assert ">STRAT_AIRLIFT<" not in text and "<code>GBAD_BTY</code>" not in text
    offers = fra.get("/forcegen/offers").text
    assert 'title="AAR">Air-to-air refuelling<' in offers and 'title="kyiv">Kyiv<' in offers

    # Before solving: the marking the plan will take and who will no longer see it.
    overview = fra.get("/forcegen").text
    assert "The plan will be marked <strong>REL TO FRA, GBR</strong>" in overview
    assert "every member but FRA, GBR will no longer see it" in overview
    assert "The plan will be marked" not in client_for("fra.viewer").get("/forcegen").text
    plan = fra.post("/api/v1/forcegen/plans", json={"scenario_id": sid}).json()
    assert plan["marking"]["label"] == "REL TO FRA, GBR"  # what the page announced

    page = fra.get(f"/forcegen/plans/{plan['id']}").text
    assert f'<a href="/forcegen/offers/{shared["id"]}">' in page  # the allocation links its offer
    assert f'<li data-offer="{released["id"]}"><a href="/forcegen/offers/{released["id"]}">' in page
    assert "a caveat: it may not go to Kyiv" in page
    assert "This plan may be out of date" not in page
