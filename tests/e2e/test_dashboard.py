"""The dashboard is worth opening: each tile gives a figure and leads to its page."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_each_tile_gives_a_figure_and_leads_to_its_page(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/")
    pledges = tab.page.inner_text("#tile-pledges")
    assert "pledged" in pledges and "delivered" in pledges and "€" in pledges
    assert "awaiting GBR's position" in tab.page.inner_text("#tile-proposals")
    assert "yesterday" in tab.page.inner_text("#tile-ceasefire")
    assert tab.page.is_visible("#tile-plan")
    tab.page.click("#tile-pledges")
    tab.page.wait_for_url(tab.base + "/commitments")
    tab.goto("/")
    tab.page.click("#tile-ceasefire")
    tab.page.wait_for_url("**/ceasefire/report?date=*")
    assert "Daily report" in tab.page.inner_text("h1")
