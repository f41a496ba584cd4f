"""The members, meetings and proposals lists as files: exactly the rows the list shows.

Each export reads its list through the list function, so filters, search and markings
hold; the CSV states its marking on its first line and neutralises formulas; the JSON
carries ``"marking"``. The list pages link to both files with their filters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
MEETING = {
    "title": '=HYPERLINK("http://x")',
    "kind": "summit",
    "held_on": "2025-03-15",
    "format": "virtual",
    "level": "leaders",
    "place": "London",
    "marking": "PUBLIC",
}


def _rows(body: str) -> tuple[str, list[dict[str, str]]]:
    first, rest = body.split("\r\n", 1)
    return first, list(csv.DictReader(io.StringIO(rest, newline="")))


def test_meetings_export_what_the_reader_sees_with_its_marking(client_for: Any) -> None:
    sec = client_for("sec.contributor")
    assert sec.post("/api/v1/meetings", json=MEETING).status_code == 201
    hidden = {**MEETING, "title": "Planning cell", "marking": "REL_TO", "rel_to": ["GBR"]}
    assert sec.post("/api/v1/meetings", json=hidden).status_code == 201
    first, rows = _rows(client_for(None).get("/api/v1/export/meetings").text)
    assert first == "# marking: PUBLIC" and len(rows) == 1
    assert rows[0]["title"].startswith("'=")  # no formula reaches a spreadsheet
    assert rows[0]["marking"] == "PUBLIC"
    first, rows = _rows(client_for("gbr.viewer").get("/api/v1/export/meetings").text)
    assert first == "# marking: REL TO GBR, SEC" and len(rows) == 2
    data = client_for("fra.viewer").get("/api/v1/export/meetings?format=json").json()
    assert data["marking"] == "PUBLIC" and len(data["meetings"]) == 1
    searched = client_for("gbr.viewer").get("/api/v1/export/meetings", params={"q": "planning"})
    assert len(_rows(searched.text)[1]) == 1


def test_members_and_proposals_export_with_their_filters(client_for: Any) -> None:
    first, rows = _rows(client_for(None).get("/api/v1/export/members?kind=state").text)
    assert first == "# marking: PUBLIC" and rows and {r["kind"] for r in rows} == {"state"}
    proposal = {
        "title": "Extend the ceasefire",
        "rule": "consensus",
        "deadline": DEADLINE.isoformat().replace("+00:00", "Z"),
        "marking": "COALITION",
    }
    assert client_for("sec.contributor").post("/api/v1/proposals", json=proposal).status_code == 201
    assert json.loads(client_for(None).get("/api/v1/export/proposals?format=json").text) == {
        "marking": "PUBLIC",
        "proposals": [],
    }
    body = client_for("fra.viewer").get("/api/v1/export/proposals").text
    first, rows = _rows(body)
    assert first == "# marking: COALITION" and [r["title"] for r in rows] == [proposal["title"]]


@pytest.mark.parametrize("path", ["/meetings", "/members", "/proposals"])
def test_list_pages_link_their_files_with_their_filters(client_for: Any, path: str) -> None:
    page = client_for(None).get(path, params={"q": "x", "offset": "50"}).text
    assert f'href="/api/v1/export{path}?q=x&amp;format=csv"' in page
    assert f'href="/api/v1/export{path}?q=x&amp;format=json"' in page


def test_bad_export_requests_are_refused(client_for: Any) -> None:
    for path in ("/api/v1/export/meetings", "/api/v1/export/members", "/api/v1/export/proposals"):
        assert client_for(None).get(path, params={"format": "xlsx"}).status_code == 422
        assert client_for(None).get(path, params={"q": "x" * 500}).status_code == 422
        assert client_for(None).get(path, params={"sort": "password"}).status_code == 422
