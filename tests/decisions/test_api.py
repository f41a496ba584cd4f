"""The proposals API: tabling, stating positions, reading outcomes, and the errors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from coalition.decisions import service
from tests.decisions.helpers import AFTER
from tests.world import World


def _table(client_for, **kw):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    body = {
        "title": "Open a coalition liaison office in Kyiv",
        "rule": "consensus",
        "deadline": (now + dt.timedelta(days=2)).isoformat(),
        **kw,
    }
    return client_for("sec.contributor").post("/api/v1/proposals", json=body)


def test_table_state_and_read_the_outcome(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = _table(client_for)
    assert response.status_code == 201, response.text
    proposal = response.json()
    pid = proposal["id"]
    assert proposal["status"] == "open"
    assert [v["member"] for v in proposal["voters"]] == ["DEU", "EU", "FRA", "GBR", "POL"]

    gbr = client_for("gbr.contributor")
    stated = gbr.post(f"/api/v1/proposals/{pid}/positions", json={"stance": "support"})
    assert stated.status_code == 201, stated.text
    assert stated.json()["member"] == "GBR"
    changed = gbr.post(
        f"/api/v1/proposals/{pid}/positions",
        json={"stance": "reserve", "text": "Needs a budget line", "condition": "budget agreed"},
    )
    assert changed.status_code == 201
    live = gbr.get(f"/api/v1/proposals/{pid}/positions").json()
    assert [(p["member"], p["stance"]) for p in live] == [("GBR", "reserve")]
    history = gbr.get(f"/api/v1/proposals/{pid}/positions?history=true").json()
    assert [p["live"] for p in history] == [False, True]

    outcome = client_for("fra.viewer").get(f"/api/v1/proposals/{pid}/outcome").json()
    assert outcome["result"] is None
    assert outcome["standing"].startswith("rejected: reservation by GBR")
    assert outcome["tally"] == {
        "support": 0,
        "abstain": 0,
        "object": 0,
        "reserve": 1,
        "no_position": 4,
    }

    closed = service.close_due(engine, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    assert [c.id for c in closed] == [pid]
    outcome = client_for("fra.viewer").get(f"/api/v1/proposals/{pid}/outcome").json()
    assert outcome["result"] == "rejected"
    assert outcome["reason"].startswith("rejected: reservation by GBR")

    late = gbr.post(f"/api/v1/proposals/{pid}/positions", json={"stance": "support"})
    assert late.status_code == 409
    assert "positions are closed" in late.json()["error"]["detail"]


def test_errors_are_clear_and_change_nothing(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    pid = _table(client_for).json()["id"]
    url = f"/api/v1/proposals/{pid}/positions"
    cases = [
        ("gbr.viewer", {"stance": "support"}, 403),
        ("gbr.contributor", {"stance": "support", "member": "FRA"}, 403),
        ("gbr.contributor", {"stance": "maybe"}, 422),
        ("gbr.contributor", {"stance": "reserve", "text": "no condition"}, 422),
        (None, {"stance": "support"}, 401),
    ]
    for user, body, status in cases:
        response = client_for(user).post(url, json=body)
        assert response.status_code == status, (user, body, response.text)
        assert response.json()["error"]["detail"]
    assert client_for("gbr.viewer").get(url).json() == []
    assert (
        client_for("gbr.contributor")
        .post("/api/v1/proposals/999999/positions", json={"stance": "support"})
        .status_code
        == 404
    )
    # Tabling: only the secretariat's staff or a member's administrator.
    refused = client_for("gbr.contributor").post(
        "/api/v1/proposals",
        json={"title": "x", "rule": "consensus", "deadline": AFTER.isoformat()},
    )
    assert refused.status_code == 403
    naive = _table(client_for, deadline="2030-01-01T00:00:00")
    assert naive.status_code == 422


def test_public_reader_sees_public_proposals_only(engine: Engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    public = _table(client_for, marking="PUBLIC").json()["id"]
    coalition = _table(client_for).json()["id"]
    anonymous = client_for(None)
    ids = [p["id"] for p in anonymous.get("/api/v1/proposals").json()["items"]]
    assert ids == [public]
    assert anonymous.get(f"/api/v1/proposals/{coalition}/outcome").status_code == 404
    assert anonymous.get(f"/proposals/{coalition}").status_code == 404
    page = client_for("gbr.contributor").get(f"/proposals/{public}")
    assert page.status_code == 200
    assert "State GBR" in page.text


def test_outcome_never_names_a_member_the_reader_may_not_see(  # type: ignore[no-untyped-def]
    engine: Engine, world: World, client_for
) -> None:
    from coalition.core.db import transaction
    from coalition.members.model import Member

    pid = _table(client_for, marking="PUBLIC").json()["id"]
    objected = client_for("pol.contributor").post(
        f"/api/v1/proposals/{pid}/positions", json={"stance": "object", "text": "Not yet"}
    )
    assert objected.status_code == 201, objected.text
    with transaction(engine) as session:
        session.get(Member, "POL").marking = "COALITION"  # POL's membership is not public
    public = client_for(None).get(f"/api/v1/proposals/{pid}/outcome")
    assert public.status_code == 200
    assert "POL" not in public.text and "a member" in public.json()["standing"]
    assert "POL" in client_for("gbr.viewer").get(f"/api/v1/proposals/{pid}/outcome").text


def test_only_a_members_liaison_officers_and_administrators_state_its_position(  # type: ignore[no-untyped-def]
    world: World, client_for
) -> None:
    pid = _table(client_for).json()["id"]
    url = f"/api/v1/proposals/{pid}/positions"
    for user in ("gbr.monitor", "gbr.planner", "gbr.viewer"):
        refused = client_for(user).post(
            url, json={"stance": "reserve", "text": "t", "condition": "c"}
        )
        assert refused.status_code == 403, user
        detail = refused.json()["error"]["detail"]
        assert "liaison officers (contributor role) and administrators" in detail
        assert f"your role ({user.split('.')[1]})" in detail
    assert client_for("gbr.viewer").get(url).json() == []  # nothing was stated
    assert client_for("gbr.admin").post(url, json={"stance": "support"}).status_code == 201
    assert client_for("gbr.contributor").post(url, json={"stance": "abstain"}).status_code == 201
