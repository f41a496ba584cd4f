"""Claims and reviews through the API on both databases: recording, status as each reader
sees it, edits guarded by their version, ClaimReview out and in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition.situation import claimreview
from tests.world import World

CLAIM = {
    "summary": "Ukrainian forces in the Kursk region are encircled",
    "claimant": "A head of state",
    "claimant_type": "person",
    "kind": "encirclement",
    "claimed_at": "2025-03-13T18:00:00Z",
    "appeared_in": "televised remarks",
    "place": "Kursk region",
    "area": {"type": "Point", "coordinates": [35.3, 51.2]},
    "marking": "PUBLIC",
}


def review(rating: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "reviewer": extra.pop("reviewer", "An analytic body"),
        "reviewer_kind": extra.pop("reviewer_kind", "analytic_body"),
        "reviewed_at": at,
        "rating": rating,
        "confidence": extra.pop("confidence", "high"),
        "summary": "No geolocated evidence of an encirclement",
        "evidence": [
            {
                "kind": "open_source_analysis",
                "source": "Daily assessment",
                "url": "https://example.org/assessment",
                "dated": "2025-03-14",
            }
        ],
        "marking": extra.pop("marking", "PUBLIC"),
        **extra,
    }


def test_a_claim_is_recorded_reviewed_and_its_status_follows(
    engine: Engine, world: World, client_for: Any, client: Any
) -> None:
    monitor = client_for("gbr.monitor")
    made = monitor.post("/api/v1/situation/claims", json=CLAIM)
    assert made.status_code == 201, made.text
    claim = made.json()
    assert claim["status"] == "unreviewed" and claim["area"]["type"] == "Point"
    cid = claim["id"]
    added = monitor.post(
        f"/api/v1/situation/claims/{cid}/reviews", json=review("false", "2025-03-14T20:00:00Z")
    )
    assert added.status_code == 201, added.text
    assert added.json()["rating_label"] == "False"
    # A member's intelligence, NATIONAL, rates it otherwise: GBR reads it disputed, the
    # public and France read it refuted, and neither sees the review.
    national = review(
        "mostly_true",
        "2025-03-15T09:00:00Z",
        reviewer="GBR defence intelligence",
        reviewer_kind="member_intelligence",
        marking="NATIONAL",
    )
    assert monitor.post(f"/api/v1/situation/claims/{cid}/reviews", json=national).status_code == 201
    seen = {
        who: client_for(who).get(f"/api/v1/situation/claims/{cid}").json()
        for who in ("gbr.viewer", "fra.viewer")
    }
    assert seen["gbr.viewer"]["status"] == "disputed" and len(seen["gbr.viewer"]["reviews"]) == 2
    assert seen["fra.viewer"]["status"] == "refuted" and len(seen["fra.viewer"]["reviews"]) == 1
    public = client.get(f"/api/v1/situation/claims/{cid}").json()
    assert public["status"] == "refuted" and "GBR defence" not in json.dumps(public)
    assert [h[1] for h in public["history"]] == ["refuted"]
    listed = client.get("/api/v1/situation/claims", params={"status": "refuted"}).json()
    assert [c["id"] for c in listed["items"]] == [cid]
    gbr_list = client_for("gbr.viewer").get(
        "/api/v1/situation/claims", params={"status": "refuted"}
    )
    assert gbr_list.json()["total"] == 0
    # ClaimReview out: one document per review the reader may see, each valid.
    documents = client.get(f"/api/v1/situation/claims/{cid}/claimreview")
    assert documents.headers["content-type"].startswith("application/ld+json")
    assert [claimreview.validate(d) for d in documents.json()] == [[]]
    assert documents.json()[0]["url"].startswith("http://127.0.0.1/situation/claims/")


def test_edits_are_guarded_and_bad_input_refused(
    engine: Engine, world: World, client_for: Any
) -> None:
    monitor = client_for("gbr.monitor")
    claim = monitor.post("/api/v1/situation/claims", json=CLAIM).json()
    cid, version = claim["id"], claim["version"]
    edited = monitor.patch(
        f"/api/v1/situation/claims/{cid}", json={"version": version, "place": "Sudzha"}
    )
    assert edited.status_code == 200 and edited.json()["place"] == "Sudzha"
    nulls = monitor.patch(
        f"/api/v1/situation/claims/{cid}",
        json={"version": version + 1, "kind": None, "summary": None},
    )
    assert nulls.status_code == 200 and nulls.json()["kind"] == "encirclement"
    stale = monitor.patch(
        f"/api/v1/situation/claims/{cid}", json={"version": version, "place": "x"}
    )
    assert stale.status_code == 409
    assert client_for("gbr.viewer").post("/api/v1/situation/claims", json=CLAIM).status_code == 403
    for bad in (
        {**CLAIM, "kind": "rumour"},
        {**CLAIM, "claimed_at": "2025-03-13T18:00:00"},
        {**CLAIM, "area": {"type": "LineString", "coordinates": [[35, 51], [36, 52]]}},
        {
            **CLAIM,
            "area": {"type": "Polygon", "coordinates": [[[500, 0], [1, 1], [0, 1], [500, 0]]]},
        },
        {**CLAIM, "summary": ""},
    ):
        refused = monitor.post("/api/v1/situation/claims", json=bad)
        assert refused.status_code == 422, (bad, refused.text)
    early = review("false", "2025-03-01T00:00:00Z")
    assert monitor.post(f"/api/v1/situation/claims/{cid}/reviews", json=early).status_code == 422
    assert client_for("fra.monitor").get("/api/v1/situation/claims/999999").status_code == 404


def test_hostile_claimreview_is_reported_not_crashed_on(
    engine: Engine, world: World, client_for: Any
) -> None:
    monitor = client_for("gbr.monitor")
    for body in ([], {"@type": "ClaimReview"}, [[[[[[1]]]]]], "x" * 100_000, {"@graph": [None, 3]}):
        answer = monitor.post("/api/v1/situation/claimreview", json=body)
        assert answer.status_code == 201, answer.text
        assert answer.json()["claims"] == 0


@pytest.mark.parametrize("user", [None, "gbr.viewer"])
def test_readers_without_the_role_cannot_import(
    user: str | None, client_for: Any, world: World
) -> None:
    answer = client_for(user).post("/api/v1/situation/claimreview", json=[])
    assert answer.status_code in (401, 403)
