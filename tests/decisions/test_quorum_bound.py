"""A quorum larger than the members taking part is refused: such a decision could only lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
PROPOSAL = {
    "title": "Extend the ceasefire",
    "rule": "consensus",
    "deadline": DEADLINE.isoformat().replace("+00:00", "Z"),
    "marking": "COALITION",
}


def test_a_quorum_no_electorate_can_meet_is_refused(client_for: Any) -> None:
    sec = client_for("sec.contributor")
    refused = sec.post("/api/v1/proposals", json={**PROPOSAL, "quorum": 999})
    assert refused.status_code == 422
    assert "can never be stated by the" in refused.json()["error"]["detail"]
    assert sec.get("/api/v1/proposals").json()["total"] == 0
    assert sec.post("/api/v1/proposals", json={**PROPOSAL, "quorum": 2}).status_code == 201
