"""A liaison officer states a position from the web and sees the grid change."""

from __future__ import annotations

from tests.e2e.conftest import Tab

OPEN = "Endorse the statement of requirements for the reassurance force"


def test_state_a_position_and_see_the_grid_change(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.page.click("nav >> text=Proposals")
    tab.page.wait_for_url(tab.base + "/proposals")
    rows = tab.page.inner_text("table")
    assert rows.index(OPEN) < rows.index("Invite observer states")  # open ones first
    assert "left" in tab.page.inner_text("table tbody tr:first-child")

    tab.page.click(f"text={OPEN}")
    gbr = tab.page.locator(".position-grid li[data-member=GBR]")
    assert "no position" in gbr.inner_text()
    assert "reservation" in tab.page.locator(".position-grid li[data-member=DEU]").inner_text()

    tab.page.check("input[name=stance][value=support]")
    tab.page.fill("textarea[name=text]", "The United Kingdom endorses the statement.")
    tab.page.click("text=State position")
    tab.page.wait_for_load_state()
    gbr = tab.page.locator(".position-grid li[data-member=GBR]")
    assert "support" in gbr.inner_text()
    assert "stance-support" in (gbr.get_attribute("class") or "")
    assert "The United Kingdom endorses" in tab.page.inner_text("table.history")


def test_closed_proposal_shows_its_reason_and_meeting_links_it(tab: Tab) -> None:
    tab.sign_in("deu.viewer", "demo-viewer-pass")
    tab.goto("/proposals?status=rejected")
    tab.page.click("text=Invite observer states to the coalition's leaders' calls")
    assert "rejected: objection by POL on 18 March 2025" in tab.page.inner_text("#outcome")
    assert tab.page.locator("#state").count() == 0  # a viewer states no position
    tab.goto("/meetings")
    tab.page.click("text=Military chiefs' meeting on the operational phase (Northwood)")
    tab.page.click("text=Operational-phase planning: air, maritime, land and regeneration cells")
    assert "adopted by consensus" in tab.page.inner_text("#outcome")
