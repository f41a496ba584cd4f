"""Force generation over HTTP, on SQLite and PostgreSQL: who writes, bad input, plans.

Each test builds its statement of requirements and offers through the API as the users
of the test world (``fra.planner``, ``gbr.contributor`` and so on) and solves it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from coalition.core.audit import AuditEntry
from coalition.core.db import transaction
from tests.world import World

WINDOW = {"starts_on": "2025-06-01", "ends_on": "2025-12-31"}


def requirement(**changes: Any) -> dict[str, Any]:
    return {
        "label": "Air policing over Ukraine",
        "capability": "FTR_SQN",
        "quantity": 2,
        "phase": "reassurance",
        "region": "ukrainian_airspace",
        "task": "air_policing",
        "priority": 1,
        **WINDOW,
        **changes,
    }


def offer(**changes: Any) -> dict[str, Any]:
    return {"capability": "FTR_SQN", "quantity": 1, "status": "offered", **WINDOW, **changes}


def scenario(**changes: Any) -> dict[str, Any]:
    return {"name": "base", "title": "Base case", **changes}


def test_planners_write_requirements_and_others_may_not(client_for) -> None:  # type: ignore[no-untyped-def]
    planner = client_for("fra.planner")
    created = planner.post("/api/v1/forcegen/requirements", json=requirement())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["marking"]["owner"] == "FRA" and body["enablers"] == []

    assert (
        client_for("fra.contributor")
        .post("/api/v1/forcegen/requirements", json=requirement())
        .status_code
        == 403
    )
    url = f"/api/v1/forcegen/requirements/{body['id']}"
    other = client_for("gbr.planner").patch(url, json={"version": 1, "quantity": 5})
    assert other.status_code == 403
    edited = planner.patch(url, json={"version": 1, "quantity": 5, "enablers": ["AAR"]})
    assert edited.status_code == 200 and edited.json()["quantity"] == 5
    assert edited.json()["enablers"] == ["AAR"]
    stale = planner.patch(url, json={"version": 1, "quantity": 6})
    assert stale.status_code == 409
    listed = client_for("gbr.viewer").get("/api/v1/forcegen/requirements").json()
    assert listed["total"] == 1


def test_a_member_enters_its_own_offers_and_caveats(client_for) -> None:  # type: ignore[no-untyped-def]
    liaison = client_for("gbr.contributor")
    created = liaison.post(
        "/api/v1/forcegen/offers",
        json=offer(
            excluded_regions=["eastern_ukraine"],
            excluded_tasks=["training"],
            needs_enablers=["AAR"],
            approval_pending=True,
            marking="REL_TO",
            rel_to=["FRA"],
        ),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["member"] == "GBR" and body["marking"]["label"] == "REL TO GBR, FRA"
    assert body["excluded_regions"] == ["eastern_ukraine"] and body["approval_pending"]
    url = f"/api/v1/forcegen/offers/{body['id']}"
    assert client_for("fra.admin").patch(url, json={"version": 1, "quantity": 3}).status_code == 403
    assert client_for("sec.admin").get(url).status_code == 404  # not released to SEC
    confirmed = liaison.patch(
        url, json={"version": 1, "status": "confirmed", "marking": "COALITION"}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["marking"]["label"] == "COALITION"
    assert client_for("sec.admin").get(url).status_code == 200
    assert client_for("gbr.viewer").post("/api/v1/forcegen/offers", json=offer()).status_code == 403


def test_bad_input_gets_a_clear_error(client_for) -> None:  # type: ignore[no-untyped-def]
    planner = client_for("fra.planner")
    cases = [
        ("/api/v1/forcegen/requirements", requirement(quantity=-3), "greater than or equal to 1"),
        (
            "/api/v1/forcegen/requirements",
            requirement(ends_on="2025-05-01"),
            "ends before it starts",
        ),
        (
            "/api/v1/forcegen/requirements",
            requirement(capability="BATTLESHIP"),
            "unknown capability",
        ),
        (
            "/api/v1/forcegen/requirements",
            requirement(enablers=["HQ_STAFF"]),
            "unknown backstop enabler",
        ),
        ("/api/v1/forcegen/offers", offer(quantity=-1), "greater than or equal to 1"),
        ("/api/v1/forcegen/offers", offer(ends_on="2025-01-01"), "ends before it starts"),
        ("/api/v1/forcegen/offers", offer(capability="UNICORN"), "unknown capability"),
        (
            "/api/v1/forcegen/scenarios",
            scenario(statuses=["withdrawn"]),
            "withdrawn offers never count",
        ),
    ]
    for url, body, message in cases:
        response = planner.post(url, json=body)
        assert response.status_code == 422, (url, body, response.text)
        assert message in response.json()["error"]["detail"], response.text

    made = planner.post("/api/v1/forcegen/scenarios", json=scenario(phase="monitoring"))
    assert made.status_code == 201
    infeasible = planner.post("/api/v1/forcegen/plans", json={"scenario_id": made.json()["id"]})
    assert infeasible.status_code == 422
    assert "no requirement to fill in phase monitoring" in infeasible.json()["error"]["detail"]


def test_a_plan_uses_only_offers_its_planner_may_see(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    fra, gbr = client_for("fra.planner"), client_for("gbr.planner")
    assert (
        fra.post("/api/v1/forcegen/requirements", json=requirement(quantity=3)).status_code == 201
    )
    shared = client_for("fra.contributor").post("/api/v1/forcegen/offers", json=offer())
    national = client_for("gbr.contributor").post(
        "/api/v1/forcegen/offers", json=offer(quantity=2, marking="NATIONAL")
    )
    shared_id, national_id = shared.json()["id"], national.json()["id"]
    sid = fra.post("/api/v1/forcegen/scenarios", json=scenario()).json()["id"]

    fra_plan = fra.post("/api/v1/forcegen/plans", json={"scenario_id": sid}).json()
    assert fra_plan["offer_ids"] == [shared_id]
    assert {a["offer_id"] for a in fra_plan["allocations"]} == {shared_id}
    assert fra_plan["filled"] == 1 and fra_plan["marking"]["label"] == "COALITION"
    assert national_id not in fra_plan["offer_ids"]

    gbr_plan = gbr.post("/api/v1/forcegen/plans", json={"scenario_id": sid}).json()
    assert gbr_plan["filled"] == 3 and sorted(gbr_plan["offer_ids"]) == [shared_id, national_id]
    # The plan shows GBR's NATIONAL offer, so it is NATIONAL to GBR by default ...
    assert gbr_plan["marking"]["label"] == "NATIONAL (GBR)"
    assert fra.get(f"/api/v1/forcegen/plans/{gbr_plan['id']}").status_code == 404
    # ... and may not be marked wider.
    wider = gbr.post("/api/v1/forcegen/plans", json={"scenario_id": sid, "marking": "COALITION"})
    assert wider.status_code == 422 and "at most NATIONAL (GBR)" in wider.text

    listed = fra.get("/api/v1/forcegen/plans").json()
    assert [p["id"] for p in listed["items"]] == [fra_plan["id"]]
    with transaction(world.engine) as session:
        audited = session.scalar(select(func.count()).where(AuditEntry.entity == "forcegen_plans"))
    assert audited == 2


def test_a_plan_shows_what_rests_on_the_backstop(client_for) -> None:  # type: ignore[no-untyped-def]
    fra = client_for("fra.planner")
    fra.post("/api/v1/forcegen/requirements", json=requirement(enablers=["AAR"]))
    fra.post(
        "/api/v1/forcegen/requirements",
        json=requirement(label="Air defence", capability="GBAD_BTY", quantity=1, priority=2),
    )
    client_for("gbr.contributor").post("/api/v1/forcegen/offers", json=offer(quantity=2))
    client_for("gbr.contributor").post(
        "/api/v1/forcegen/offers",
        json=offer(capability="GBAD_BTY", needs_enablers=["STRAT_AIRLIFT"]),
    )
    sid = fra.post("/api/v1/forcegen/scenarios", json=scenario(backstop=False)).json()["id"]
    made = fra.post("/api/v1/forcegen/plans", json={"scenario_id": sid})
    assert made.status_code == 201, made.text
    plan = made.json()
    assert plan["status"] == "optimal" and plan["backstop"] is False
    assert (plan["filled"], plan["filled_without"], plan["required"]) == (3, 0, 3)
    lines = {line["label"]: line for line in plan["lines"]}
    assert lines["Air policing over Ukraine"]["filled_without"] == 0
    page = fra.get(f"/forcegen/plans/{plan['id']}")
    assert page.status_code == 200
    assert "What rests on the backstop" in page.text and "Air defence" in page.text


def test_a_short_line_says_which_offers_stayed_out_and_why(client_for) -> None:  # type: ignore[no-untyped-def]
    fra = client_for("fra.planner")
    fra.post(
        "/api/v1/forcegen/requirements",
        json=requirement(quantity=5, enablers=["AAR"], region="kyiv"),
    )
    gbr, pol = client_for("gbr.contributor"), client_for("pol.contributor")
    used = gbr.post("/api/v1/forcegen/offers", json=offer()).json()["id"]
    caveat = gbr.post("/api/v1/forcegen/offers", json=offer(excluded_regions=["kyiv"])).json()
    late = gbr.post(
        "/api/v1/forcegen/offers", json=offer(starts_on="2026-03-01", ends_on="2026-06-30")
    ).json()
    needs = pol.post("/api/v1/forcegen/offers", json=offer(needs_enablers=["STRAT_AIRLIFT"]))
    indicated = pol.post("/api/v1/forcegen/offers", json=offer(status="indicated")).json()
    # Not counted, and released to FRA only: the planner sees it, but the COALITION plan
    # may not name it to every member.
    hidden = gbr.post(
        "/api/v1/forcegen/offers",
        json=offer(status="indicated", marking="REL_TO", rel_to=["FRA"]),
    ).json()
    sid = fra.post("/api/v1/forcegen/scenarios", json=scenario()).json()["id"]
    plan = fra.post("/api/v1/forcegen/plans", json={"scenario_id": sid}).json()
    assert plan["marking"]["label"] == "COALITION" and plan["explained"] is True
    (line,) = plan["lines"]
    why = {k["offer_id"]: [(r["code"], r["text"]) for r in k["reasons"]] for k in line["kept_out"]}
    assert used not in why  # it gave the line all it had
    assert why[caveat["id"]] == [("region", "a caveat: it may not go to Kyiv")]
    assert why[late["id"]] == [
        (
            "window",
            "available 2026-03-01 to 2026-06-30, outside the line's window "
            "2025-06-01 to 2025-12-31",
        )
    ]
    assert needs.json()["id"] not in why  # the backstop is assumed: it fills the line
    assert why[indicated["id"]] == [
        ("status", "only indicated: this scenario counts offered and confirmed offers")
    ]
    assert hidden["id"] not in why
    narrow = fra.post(
        "/api/v1/forcegen/plans", json={"scenario_id": sid, "marking": "REL_TO", "rel_to": ["GBR"]}
    ).json()
    named = {k["offer_id"] for k in narrow["lines"][0]["kept_out"]}
    assert hidden["id"] in named  # every reader of a plan REL TO FRA, GBR may see it

    without = fra.post(
        "/api/v1/forcegen/scenarios", json=scenario(name="alone", backstop=False)
    ).json()["id"]
    bare = fra.post("/api/v1/forcegen/plans", json={"scenario_id": without}).json()
    reasons = {
        k["offer_id"]: [r["code"] for r in k["reasons"]] for k in bare["lines"][0]["kept_out"]
    }
    assert reasons[used] == ["line_needs_backstop"]
    assert reasons[needs.json()["id"]] == ["line_needs_backstop", "offer_needs_backstop"]

    # The reasons are kept with the plan: editing the offer later does not rewrite them.
    gbr.patch(
        f"/api/v1/forcegen/offers/{caveat['id']}", json={"version": 1, "excluded_regions": []}
    )
    again = fra.get(f"/api/v1/forcegen/plans/{plan['id']}").json()
    assert again["lines"][0]["kept_out"] == line["kept_out"]


def test_a_plan_says_when_its_inputs_changed_after_it_was_solved(client_for) -> None:  # type: ignore[no-untyped-def]
    fra = client_for("fra.planner")
    line = fra.post(
        "/api/v1/forcegen/requirements", json=requirement(label="Air defence of Kyiv")
    ).json()
    gbr = client_for("gbr.contributor")
    first = gbr.post("/api/v1/forcegen/offers", json=offer()).json()
    dormant = gbr.post("/api/v1/forcegen/offers", json=offer(status="indicated")).json()
    sid = fra.post("/api/v1/forcegen/scenarios", json=scenario()).json()["id"]
    plan = fra.post("/api/v1/forcegen/plans", json={"scenario_id": sid}).json()
    url = f"/api/v1/forcegen/plans/{plan['id']}"
    fresh = fra.get(url).json()
    assert fresh["stale"] is False and fresh["stale_reasons"] == []

    fra.patch(f"/api/v1/forcegen/requirements/{line['id']}", json={"version": 1, "quantity": 4})
    gbr.patch(f"/api/v1/forcegen/offers/{first['id']}", json={"version": 1, "quantity": 2})
    added = gbr.post("/api/v1/forcegen/offers", json=offer()).json()
    gbr.post("/api/v1/forcegen/offers", json=offer(status="withdrawn"))  # would not count
    gbr.post("/api/v1/forcegen/offers", json=offer(marking="NATIONAL"))  # FRA may not see it
    indicated = gbr.post("/api/v1/forcegen/offers", json=offer(status="indicated")).json()
    later = fra.get(url).json()["stale_reasons"]
    assert len(later) == 3, later  # an indicated offer does not count in this scenario ...
    gbr.patch(
        f"/api/v1/forcegen/offers/{indicated['id']}", json={"version": 1, "status": "offered"}
    )
    stale = fra.get(url).json()
    assert stale["stale"] is True
    reasons = stale["stale_reasons"]
    assert len(reasons) == 4, reasons  # ... until it is offered
    assert f"(offer {indicated['id']}) was added on " in reasons[3]
    gbr.patch(f"/api/v1/forcegen/offers/{dormant['id']}", json={"version": 1, "status": "offered"})
    woken = fra.get(url).json()["stale_reasons"]
    assert f"(offer {dormant['id']}) changed on " in woken[2] and woken[2].endswith("now counts.")
    assert reasons[0].startswith("Requirement 'Air defence of Kyiv' changed on ")
    assert reasons[1].startswith(
        f"GBR's offer of Fighter squadron (air policing) (offer {first['id']}) changed on "
    )
    assert reasons[2].startswith(
        f"GBR's offer of Fighter squadron (air policing) (offer {added['id']}) was added on "
    )
    page = client_for("fra.planner").get(f"/forcegen/plans/{plan['id']}")
    assert "This plan may be out of date" in page.text
