"""The ceasefire map and incidents table in a real browser; nothing leaves 127.0.0.1.

The map: its base layer names places, its legend is there, the status filter changes the
grid at the zoom the map opens at, a popup gives the date, fatalities and a link, and a
marker is reached with Tab and opened with Enter. The table: search, sort, pages, exports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Tab


def _an_incident(tab: Tab) -> dict[str, Any]:
    tab.goto("/api/v1/incidents?limit=1")
    return json.loads(tab.page.inner_text("body"))["items"][0]  # type: ignore[no-any-return]


def _zoom_to(tab: Tab, incident: dict[str, Any]) -> None:
    tab.page.evaluate(
        "([lat, lon]) => window.ceasefireMap.setView([lat, lon], 13)",
        [incident["latitude"], incident["longitude"]],
    )
    tab.page.wait_for_selector(".incident-marker")


def test_map_loads_offline_and_opens_an_incident(tab: Tab) -> None:
    incident = _an_incident(tab)
    tab.goto("/ceasefire/map")
    tab.page.wait_for_selector("path.grid-cell")
    assert "reports in view" in tab.page.inner_text("#map-status")
    _zoom_to(tab, incident)
    tab.page.locator(".incident-marker").first.click()
    tab.page.locator("a.incident-link").first.click()
    tab.page.wait_for_url("**/ceasefire/incidents/*")
    assert "Incident" in tab.page.inner_text("h1")
    assert "Reports" in tab.page.inner_text("main")


def test_the_map_names_places_and_has_a_legend(tab: Tab) -> None:
    tab.goto("/ceasefire/map")
    tab.page.wait_for_selector(".place-label")
    labels = tab.page.locator(".place-label").all_inner_texts()
    assert {"Donetsk", "Kharkiv"} <= set(labels), labels
    assert tab.page.locator("path.river").count() > 0
    legend = tab.page.inner_text("#map-legend")
    for words in ("verified", "reported", "Reports on the grid", "State border", "Main river"):
        assert words in legend
    tab.page.wait_for_selector("path.grid-cell")
    assert "reports a cell" in tab.page.inner_text("#legend-high")
    assert "GeoNames" in tab.page.inner_text("main")


def test_the_status_filter_changes_the_grid_at_the_opening_zoom(tab: Tab) -> None:
    asked: list[str] = []
    tab.page.on("request", lambda r: asked.append(r.url) if "/api/v1/map/grid" in r.url else None)
    tab.goto("/ceasefire/map")
    tab.page.wait_for_selector("path.grid-cell")
    before = tab.page.inner_text("#map-status")
    assert tab.page.evaluate("window.ceasefireMap.getZoom()") == 7
    tab.page.select_option("select[name=status]", "verified")
    tab.page.click("#map-filters button[type=submit]")
    tab.page.wait_for_function(
        "before => document.getElementById('map-status').textContent !== before", arg=before
    )
    assert "status=verified" in asked[-1]
    expected = tab.page.evaluate(
        "url => fetch(url).then(r => r.json()).then(g => g.total)", asked[-1]
    )
    assert tab.page.inner_text("#map-status").startswith(f"{expected} reports in view")
    assert before != tab.page.inner_text("#map-status")
    assert "status=verified" in tab.page.url
    assert "status=verified" in (tab.page.get_attribute("#incident-list-link", "href") or "")


def test_a_popup_gives_date_fatalities_status_and_a_link(tab: Tab) -> None:
    incident = _an_incident(tab)
    tab.goto("/ceasefire/map")
    _zoom_to(tab, incident)
    tab.page.locator(".incident-marker").first.click()
    text = tab.page.inner_text(".incident-popup")
    assert re.search(r"When\s+\d{4}-\d{2}-\d{2}", text), text
    assert re.search(r"Fatalities\s+\d+ fatalit", text), text
    assert "Status" in text and "Oblast" in text
    href = tab.page.get_attribute(".incident-popup a.incident-link", "href") or ""
    assert re.fullmatch(r"/ceasefire/incidents/\d+", href)


def test_a_date_only_incident_shows_its_date_never_midnight(tab: Tab) -> None:
    feature = {
        "type": "Feature",
        "id": 999,
        "geometry": {"type": "Point", "coordinates": [37.8, 48.0]},
        "properties": {
            "type": "shelling",
            "first_at": "2025-03-27T00:00:00Z",
            "time_precision": "day",
            "casualties": 3,
            "casualties_low": 1,
            "casualties_high": 3,
            "status": "corroborated",
            "region": "Donetsk",
            "report_count": 2,
            "claimed_attribution": "",
            "assessed_attribution": "",
            "marking": {"label": "PUBLIC"},
        },
    }
    body = json.dumps({"type": "FeatureCollection", "next_cursor": None, "features": [feature]})
    tab.page.route(
        "**/api/v1/incidents/geojson*",
        lambda route: route.fulfill(body=body, content_type="application/json"),
    )
    tab.goto("/ceasefire/map")
    tab.page.evaluate("() => window.ceasefireMap.setView([48.0, 37.8], 13)")
    tab.page.wait_for_selector(".incident-marker")
    tab.page.locator(".incident-marker").first.click()
    text = tab.page.inner_text(".incident-popup")
    assert "2025-03-27 (time not given)" in text and "00:00" not in text
    assert "3 fatalities (sources give 1–3)" in text and "corroborated" in text


def test_a_marker_is_reached_with_tab_and_opened_with_enter(tab: Tab) -> None:
    incident = _an_incident(tab)
    tab.goto("/ceasefire/map")
    _zoom_to(tab, incident)
    tab.page.focus("#ceasefire-map")
    for _ in range(40):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement.classList.contains('incident-marker')"):
            break
    else:
        raise AssertionError("Tab never reached an incident marker")
    label = tab.page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Incident ") and "fatalit" in label
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_selector(".incident-popup")
    assert tab.page.evaluate("document.activeElement.className") == "incident-link"


def test_the_incidents_table_searches_sorts_pages_and_exports(tab: Tab) -> None:
    tab.goto("/ceasefire/map")
    tab.page.click("#incident-list-link")
    tab.page.wait_for_url("**/ceasefire/incidents*")
    total = int(tab.page.inner_text("h1 .count"))
    assert total > 50
    tab.page.click("a[rel=next]")
    assert "offset=50" in tab.page.url and "rows 51–" in tab.page.inner_text(".pager")
    tab.goto("/ceasefire/incidents")
    tab.page.click("th a.sort:has-text('Fatalities')")
    tab.page.click("th a.sort:has-text('Fatalities')")
    assert "sort=-casualties" in tab.page.url
    cells = tab.page.locator("#incidents tbody tr td:nth-child(5)").all_inner_texts()
    figures = [int(c.split()[0]) for c in cells]
    assert figures == sorted(figures, reverse=True)
    tab.page.fill("input[name=q]", "Donetsk")
    tab.page.click("form.filters button[type=submit]")
    found = int(tab.page.inner_text("h1 .count"))
    assert 0 < found < total and "sort=-casualties" in tab.page.url
    regions = tab.page.locator("#incidents tbody tr td:nth-child(3)").all_inner_texts()
    assert set(regions) == {"Donetsk"}
    with tab.page.expect_download() as download:
        tab.page.click("#export-csv")
    body = Path(download.value.path()).read_text(encoding="utf-8")
    lines = body.splitlines()
    assert lines[0].startswith("# marking: ") and len(lines) == found + 2
    with tab.page.expect_download() as download:
        tab.page.click("#export-geojson")
    fc = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(fc["features"]) == found
    assert {f["properties"]["region"] for f in fc["features"]} == {"Donetsk"}


def test_ceasefire_page_shows_the_day_count(tab: Tab) -> None:
    tab.goto("/ceasefire")
    text = tab.page.inner_text("main")
    assert "30-day ceasefire" in text
    assert "Day" in text or "Not in force" in text
    tab.goto("/ceasefire/report?date=2025-04-05")
    assert "day 12 of 30" in tab.page.inner_text("h1")
