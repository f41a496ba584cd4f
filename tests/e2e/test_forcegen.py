"""A planner solves the demo's reassurance force in the browser and reads the gaps."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_a_planner_solves_the_demo_scenario_and_sees_the_gap_list(tab: Tab) -> None:
    tab.sign_in("fra.planner", "demo-planner-pass")
    tab.page.click("nav >> text=Force generation")
    tab.page.wait_for_url(tab.base + "/forcegen")
    assert "Reassurance force, offers on the table" in tab.page.inner_text("main")
    tab.page.click("button[data-scenario='reassurance-force']")
    tab.page.wait_for_url(tab.base + "/forcegen/plans/*")

    gaps = tab.page.inner_text("#gaps")
    assert "Gap list" in gaps and "Field hospital for the force" in gaps
    assert "units" in tab.page.inner_text("#with-backstop")
    assert "units" in tab.page.inner_text("#without-backstop")
    rests = tab.page.inner_text("#backstop-dependency")
    assert "Air policing over Ukraine" in rests
    assert tab.page.locator("svg.fg-chart").count() == 1

    if path := __import__("os").environ.get("FORCEGEN_SCREENSHOT"):
        tab.page.screenshot(path=path, full_page=True)

    tab.goto("/forcegen/requirements")
    assert "Mine clearance of the Odesa approaches" in tab.page.inner_text("table")
    tab.page.click("nav.fg-tabs >> text=National offers")
    offers = tab.page.inner_text("table")
    assert "DEU" in offers  # released to FRA
    assert "SWE" not in offers  # NATIONAL to Sweden
