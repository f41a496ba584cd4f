"""A monitor compares two days of a territory source on the map, then opens a disputed
claim and reads its reviews, on the demo scenario's server."""

from __future__ import annotations

import json

from tests.e2e.conftest import Tab


def test_a_monitor_compares_two_days_and_opens_a_claim(tab: Tab) -> None:
    tab.sign_in("pol.monitor", "demo-monitor-pass")
    tab.goto("/situation/change")
    tab.page.select_option("select[name=source]", "illustrative-osint")
    tab.page.fill("input[name=from]", "2025-03-01")
    tab.page.fill("input[name=to]", "2025-03-11")
    tab.page.click("text=Compare the two days")
    tab.page.wait_for_url("**/situation/change?*")
    assert "km²" in tab.page.inner_text("#gained-km2")
    assert "km²" in tab.page.inner_text("#lost-km2")
    assert tab.page.locator("#change-regions tr[data-region]").count() >= 2
    # The map draws what was gained and lost, fetched from the API.
    tab.page.wait_for_selector(
        "#situation-map path.change-gained", state="attached", timeout=15_000
    )
    tab.page.wait_for_selector("#situation-map path.change-lost", state="attached", timeout=15_000)

    tab.page.click("nav >> text=Claims")
    tab.page.click("text=completely surrounded")
    tab.page.wait_for_url("**/situation/claims/*")
    assert "completely surrounded" in tab.page.inner_text("h1")
    assert "refuted" in tab.page.inner_text("#status-history").lower()
    reviews = tab.page.inner_text("#reviews")
    assert "Institute for the Study of War" in reviews or "ISW" in reviews
    link = tab.page.get_attribute("#claimreview-link", "href")
    assert link is not None
    exported = json.loads(tab.page.request.get(tab.base + link).text())
    assert exported and all(d["@type"] == "ClaimReview" for d in exported)
