"""Every page states the highest marking of what it shows, at its top and its bottom.

A page's records, and the records behind its counts and charts, decide its marking: a
reader who sees a NATIONAL pledge in a list, or in a total, reads a NATIONAL page.
"""

from __future__ import annotations

import re
from typing import Any

BANNER = re.compile(
    r'<div class="page-marking page-marking-(top|bottom) marking-([a-z_]+)"[^>]*>([^<]+)</div>'
)

PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
}


def _banners(text: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2), m.group(3).strip()) for m in BANNER.finditer(text)]


def test_the_public_view_is_marked_public_top_and_bottom(client_for: Any) -> None:
    client_for("gbr.contributor").post(
        "/api/v1/commitments", json={**PLEDGE, "marking": "NATIONAL"}
    )
    page = client_for(None).get("/commitments").text
    assert _banners(page) == [("top", "public", "PUBLIC"), ("bottom", "public", "PUBLIC")]


def test_a_national_record_in_a_list_marks_the_page_national(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    assert gbr.post("/api/v1/commitments", json={**PLEDGE, "marking": "PUBLIC"}).status_code == 201
    assert gbr.get("/commitments").text.count("PUBLIC</div>") == 2
    assert (
        gbr.post("/api/v1/commitments", json={**PLEDGE, "marking": "NATIONAL"}).status_code == 201
    )
    assert [b[2] for b in _banners(gbr.get("/commitments").text)] == ["NATIONAL (GBR)"] * 2
    # France sees neither the NATIONAL pledge nor anything resting on it.
    fra = client_for("fra.contributor").get("/commitments").text
    assert [b[2] for b in _banners(fra)] == ["PUBLIC"] * 2


def test_a_total_over_records_not_on_the_page_still_marks_it(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    assert (
        gbr.post(
            "/api/v1/commitments", json={**PLEDGE, "marking": "REL_TO", "rel_to": ["FRA"]}
        ).status_code
        == 201
    )
    for n in range(3):
        body = {
            **PLEDGE,
            "item": f"Item {n}",
            "announced_on": "2025-04-0" + str(n + 1),
            "marking": "PUBLIC",
        }
        assert gbr.post("/api/v1/commitments", json=body).status_code == 201
    # Newest first, one row per page: the REL TO pledge is not on the page, but in the totals.
    page = gbr.get("/commitments?limit=1&sort=-announced_on").text
    assert "Bridging equipment" not in page.split('id="commitments-table"')[1]
    assert [b[2] for b in _banners(page)] == ["REL TO FRA, GBR"] * 2


def test_error_pages_carry_a_marking_too(client_for: Any) -> None:
    page = client_for(None).get("/commitments/nope")
    assert page.status_code == 404
    assert [b[2] for b in _banners(page.text)] == ["PUBLIC"] * 2


def test_an_api_list_states_its_marking(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    assert gbr.post("/api/v1/commitments", json={**PLEDGE, "marking": "PUBLIC"}).status_code == 201
    assert gbr.get("/api/v1/commitments").json()["marking"] == "PUBLIC"
    body = {**PLEDGE, "marking": "NATIONAL", "announced_on": "2025-01-01"}
    assert gbr.post("/api/v1/commitments", json=body).status_code == 201
    # The NATIONAL pledge sorts last: on the second page only, yet counted in the total.
    listed = gbr.get("/api/v1/commitments", params={"limit": 1, "sort": "-announced_on"}).json()
    assert listed["total"] == 2 and listed["marking"] == "NATIONAL (GBR)"
    assert client_for(None).get("/api/v1/commitments").json()["marking"] == "PUBLIC"
    assert client_for("fra.viewer").get("/api/v1/commitments").json()["marking"] == "PUBLIC"
