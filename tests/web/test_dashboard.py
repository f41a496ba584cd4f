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
    assert "No meetings you may see are on record yet." in empty.text

    assert sec.post("/api/v1/meetings", json=MEETING).status_code == 201
    hidden = {**MEETING, "title": "Planning cell", "marking": "REL_TO", "rel_to": ["GBR"]}
    assert sec.post("/api/v1/meetings", json=hidden).status_code == 201

    for reader, total, shown in (("fra.viewer", "1", False), ("gbr.viewer", "2", True)):
        page = client_for(reader).get("/").text
        assert _figures(page) == ["6", total]
        assert "Recent meetings" in page and str(escape(MEETING["title"])) in page
        assert ("Planning cell" in page) is shown
