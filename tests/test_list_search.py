"""Every main list searches its text: literally, case-folded, within what the reader may see.

The same ``q`` works in the API and on the page; ``%`` and ``_`` are matched as themselves,
a search longer than 200 characters is refused with its reason, and a hidden record is
never found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "marking": "PUBLIC",
}
MEETING = {
    "title": "Leaders' call",
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
    "place": "London",
    "marking": "PUBLIC",
}


def _seed(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    sec = client_for("sec.contributor")
    for body in (
        PLEDGE,
        {**PLEDGE, "item": "Air defence 100% funded"},
        {**PLEDGE, "item": "Secret bridging plan", "marking": "NATIONAL"},
    ):
        assert gbr.post("/api/v1/commitments", json=body).status_code == 201
    assert sec.post("/api/v1/meetings", json=MEETING).status_code == 201
    assert (
        sec.post(
            "/api/v1/meetings", json={**MEETING, "title": "Chiefs", "place": "Paris"}
        ).status_code
        == 201
    )
    proposal = {
        "title": "Extend the ceasefire",
        "text": "by thirty days",
        "rule": "consensus",
        "deadline": DEADLINE.isoformat().replace("+00:00", "Z"),
        "marking": "COALITION",
    }
    assert sec.post("/api/v1/proposals", json=proposal).status_code == 201


CASES = [
    ("/api/v1/commitments", "BRIDGING", ["Bridging equipment"], "item"),
    ("/api/v1/commitments", "100%", ["Air defence 100% funded"], "item"),
    ("/api/v1/commitments", "_", [], "item"),
    ("/api/v1/meetings", "paris", ["Chiefs"], "title"),
    ("/api/v1/members", "kingdom", ["United Kingdom"], "name"),
    ("/api/v1/proposals", "THIRTY", ["Extend the ceasefire"], "title"),
]


@pytest.mark.parametrize(("path", "q", "found", "field"), CASES)
def test_a_list_finds_its_text_literally(
    client_for: Any, path: str, q: str, found: list[str], field: str
) -> None:
    _seed(client_for)
    reader = client_for("fra.viewer")
    items = reader.get(path, params={"q": q}).json()["items"]
    assert [i[field] for i in items] == found


def test_a_search_never_finds_what_the_reader_may_not_see(client_for: Any) -> None:
    _seed(client_for)
    assert (
        client_for("fra.viewer").get("/api/v1/commitments", params={"q": "secret"}).json()["total"]
        == 0
    )
    assert (
        client_for("gbr.viewer").get("/api/v1/commitments", params={"q": "secret"}).json()["total"]
        == 1
    )
    assert client_for(None).get("/api/v1/proposals", params={"q": "ceasefire"}).json()["total"] == 0


def test_pages_search_and_keep_what_was_typed(client_for: Any) -> None:
    _seed(client_for)
    page = client_for(None).get("/commitments", params={"q": "bridging"}).text
    table = page.split('id="commitments-table"')[1]
    assert "Bridging equipment" in table and "Air defence" not in table
    assert 'name="q" maxlength="200" value="bridging"' in page
    for path in ("/meetings", "/members", "/proposals"):
        assert (
            client_for("fra.viewer").get(path, params={"q": "'; DROP TABLE x; --"}).status_code
            == 200
        )


def test_a_search_too_long_is_refused_with_its_reason(client_for: Any) -> None:
    for path in ("/api/v1/commitments", "/api/v1/meetings", "/api/v1/members", "/api/v1/proposals"):
        refused = client_for(None).get(path, params={"q": "x" * 201})
        assert refused.status_code == 422, path
        assert "q" in refused.json()["error"]["detail"]
