"""At 390 px wide the navigation folds behind a menu and no page pushes sideways.

A phone held upright (390 × 844) must show the page, not the navigation: the header
stays small until the menu is opened, and tables reflow into labelled rows so the
Marking column is on screen without scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Tab

PAGES = ["/", "/commitments", "/members", "/meetings", "/proposals", "/ceasefire", "/forcegen"]


@pytest.fixture
def phone(tab: Tab) -> Iterator[Tab]:
    tab.page.set_viewport_size({"width": 390, "height": 844})
    yield tab


def _header_height(tab: Tab) -> float:
    return float(tab.page.eval_on_selector(".topbar", "e => e.getBoundingClientRect().height"))


def test_the_navigation_folds_behind_a_menu(phone: Tab) -> None:
    phone.sign_in("gbr.liaison", "demo-liaison-pass")
    phone.goto("/commitments")
    assert _header_height(phone) < 140
    assert not phone.page.is_visible(".topbar nav")
    phone.page.click(".menu-button")
    assert phone.page.is_visible(".topbar nav a[href='/ceasefire']")
    assert phone.page.get_attribute(".menu-button", "aria-expanded") == "true"
    phone.page.click(".topbar nav a[href='/ceasefire']")
    phone.page.wait_for_url(phone.base + "/ceasefire")


def test_no_page_is_wider_than_the_screen(phone: Tab) -> None:
    phone.sign_in("gbr.liaison", "demo-liaison-pass")
    for path in PAGES:
        phone.goto(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"


def test_the_marking_of_each_row_is_on_screen(phone: Tab) -> None:
    phone.goto("/commitments")
    cells = phone.page.query_selector_all("#commitments-table td[data-label='Marking']")
    assert cells, "the commitments table labels its marking cells"
    for cell in cells[:10]:
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_a_wide_screen_keeps_the_open_navigation(tab: Tab) -> None:
    tab.goto("/commitments")
    assert tab.page.is_visible(".topbar nav a[href='/ceasefire']")
    assert not tab.page.is_visible(".menu-button")


def test_chart_text_is_readable_on_a_laptop(tab: Tab) -> None:
    tab.goto("/commitments")
    heights = tab.page.eval_on_selector_all(
        "#chart-members svg text, #chart-cumulative svg text",
        "els => els.map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 11, f"chart text as small as {min(heights)} px"


def test_dates_are_typed_and_shown_as_iso_dates_whatever_the_browser_locale(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    for path in ("/commitments", "/commitments/new", "/ceasefire/report?date=2025-04-05"):
        tab.goto(path)
        kinds = tab.page.eval_on_selector_all(
            "input[placeholder='YYYY-MM-DD'], input[type=date]",
            "els => els.map(e => e.type)",
        )
        assert kinds and set(kinds) == {"text"}, (path, kinds)
    assert tab.page.eval_on_selector("input[name=date]", "e => e.value") == "2025-04-05"
