"""The alignment through the API: applications, resolution, judgements, the gap, the
matrix, and a proposal tabled from a gap with its list attached."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.sanctions import alignment
from tests.sanctions.test_alignment import D1, EU, UK, load
from tests.world import World


@pytest.fixture
def loaded(engine: Engine, world: World) -> World:
    load(engine, world, "eu_fsf", D1, EU)
    load(engine, world, "gb_fcdo_sanctions", D1, UK)
    with transaction(engine) as session:
        alignment.apply_list(session, world.principal("sec.admin"), "FRA", "eu_fsf", D1)
    return world


def test_applications_are_recorded_by_the_member_or_the_secretariat(
    client_for: Any, loaded: World
) -> None:
    body = {"member": "GBR", "list": "gb_fcdo_sanctions", "since": "2025-01-01"}
    assert (
        client_for("fra.admin").post("/api/v1/sanctions/applications", json=body).status_code == 403
    )
    made = client_for("gbr.contributor").post("/api/v1/sanctions/applications", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["marking"]["label"] == "PUBLIC"
    again = client_for("gbr.contributor").post("/api/v1/sanctions/applications", json=body)
    assert again.status_code == 422 and "already applies" in again.text
    listed = client_for(None).get("/api/v1/sanctions/applications").json()
    assert {(a["member_code"], a["list_code"]) for a in listed} == {
        ("FRA", "eu_fsf"),
        ("GBR", "gb_fcdo_sanctions"),
    }


def test_resolve_judge_gap_and_table_a_proposal(client_for: Any, loaded: World) -> None:
    sec = client_for("sec.admin")
    body = {"member": "GBR", "list": "gb_fcdo_sanctions", "since": "2025-01-01"}
    assert sec.post("/api/v1/sanctions/applications", json=body).status_code == 201
    assert client_for("gbr.viewer").post("/api/v1/sanctions/resolve", json={}).status_code == 403
    found = sec.post("/api/v1/sanctions/resolve", json={}).json()
    assert found["judged_by_rule"] == 1 and found["candidates"] >= 2
    queue = client_for("gbr.contributor").get("/api/v1/sanctions/candidates").json()
    assert [(c["left_ref"], c["right_ref"]) for c in queue["items"]] == [
        ("eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3")
    ]
    assert queue["items"][0]["left"]["caption"] == "Ivan Petrov"
    gap = client_for("gbr.viewer").get(
        "/api/v1/sanctions/gap", params={"a": "GBR", "b": "FRA", "as_of": "2025-03-01"}
    )
    assert gap.status_code == 200, gap.text
    assert [r["caption"] for r in gap.json()["rows"]] == ["Sovcombank", "Ivan Petrov"]
    bank = gap.json()["rows"][0]
    assert bank["kind"] == "bank" and bank["listings"][0]["authority_id"] == "RUS0257"
    judged = client_for("gbr.contributor").post(
        "/api/v1/sanctions/judgements",
        json={"left": "eu_fsf:eu-2", "right": "gb_fcdo_sanctions:uk-3", "judgement": "positive"},
    )
    assert judged.status_code == 201, judged.text
    assert client_for("gbr.contributor").get("/api/v1/sanctions/candidates").json()["total"] == 0
    same = client_for("gbr.viewer").get("/api/v1/sanctions/gap", params={"a": "GBR", "b": "GBR"})
    assert same.status_code == 200 and same.json()["total"] == 0
    for bad in (
        {"a": "GBR", "b": "FRA", "as_of": "2025-01-01", "since": "2025-02-01"},
        {"a": "GBR", "b": "FRA", "theme": "weather"},
        {"a": "G-B", "b": "FRA"},
        {"a": "GBR", "b": "FRA", "as_of": "03/01/2025"},
        {"a": "GBR" * 40, "b": "FRA"},
    ):
        assert client_for("gbr.viewer").get("/api/v1/sanctions/gap", params=bad).status_code == 422
    # A lower-case party is a list's code: one nobody published is not found.
    unknown = client_for("gbr.viewer").get("/api/v1/sanctions/gap", params={"a": "gbr", "b": "FRA"})
    assert unknown.status_code == 404
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).isoformat()
    tabled = sec.post(
        "/api/v1/sanctions/gap/proposals",
        json={
            "a": "GBR",
            "b": "FRA",
            "as_of": "2025-03-01",
            "title": "Align on the banks the UK lists",
            "rule": "consensus",
            "deadline": deadline,
            "marking": "COALITION",
            "kind": "bank",
        },
    )
    assert tabled.status_code == 201, tabled.text
    proposal = sec.get(f"/api/v1/proposals/{tabled.json()['proposal_id']}").json()
    assert "Sovcombank" in proposal["text"] and "RUS0257" in proposal["text"]
    assert tabled.json()["targets"] == 1
    matrix = client_for(None).get("/api/v1/sanctions/matrix", params={"as_of": "2025-03-01"})
    totals = {r["party"]: r["total"] for r in matrix.json()["rows"]}
    assert totals == {"FRA": 2, "GBR": 3, "COALITION": 4}  # public: no coalition judgement
