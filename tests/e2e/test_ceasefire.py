"""The ceasefire map in a real browser: nothing leaves 127.0.0.1, an incident opens."""

from __future__ import annotations

import json

from tests.e2e.conftest import Tab


def test_map_loads_offline_and_opens_an_incident(tab: Tab) -> None:
    tab.goto("/api/v1/incidents?limit=1")
    incident = json.loads(tab.page.inner_text("body"))["items"][0]
    tab.goto("/ceasefire/map")
    tab.page.wait_for_selector("path.grid-cell")
    assert "reports in view" in tab.page.inner_text("#map-status")
    tab.page.evaluate(
        "([lat, lon]) => window.ceasefireMap.setView([lat, lon], 13)",
        [incident["latitude"], incident["longitude"]],
    )
    tab.page.wait_for_selector("path.incident")
    tab.page.locator("path.incident").first.click(force=True)
    tab.page.locator("a.incident-link").first.click()
    tab.page.wait_for_url("**/ceasefire/incidents/*")
    assert "Incident" in tab.page.inner_text("h1")
    assert "Reports" in tab.page.inner_text("main")


def test_ceasefire_page_shows_the_day_count(tab: Tab) -> None:
    tab.goto("/ceasefire")
    text = tab.page.inner_text("main")
    assert "30-day ceasefire" in text
    assert "Day" in text or "Outside the ceasefire period" in text
    tab.goto("/ceasefire/report?date=2025-04-05")
    assert "day 12 of 30" in tab.page.inner_text("h1")
