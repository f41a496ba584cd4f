"""A reader narrows the meetings list by two filters and downloads exactly what it shows."""

from __future__ import annotations

from tests.e2e.conftest import Tab

VIRTUAL = "Virtual leaders' meeting of the coalition of the willing"


def test_filter_meetings_by_kind_and_attendee_and_download_them(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/meetings")
    assert tab.page.locator("table[data-list] tbody tr").count() >= 4
    tab.page.select_option("select[name=kind]", "summit")
    tab.page.select_option("select[name=attendee]", "NZL")  # at the virtual summit only
    tab.page.click("form.filters button[type=submit]")
    tab.page.wait_for_load_state()

    rows = tab.page.locator("table[data-list] tbody tr")
    assert rows.count() == 1
    assert VIRTUAL in rows.first.inner_text()
    # The form keeps both choices.
    assert tab.page.eval_on_selector("select[name=kind]", "e => e.value") == "summit"
    assert tab.page.eval_on_selector("select[name=attendee]", "e => e.value") == "NZL"

    href = tab.page.locator(".downloads a", has_text="CSV").get_attribute("href") or ""
    assert href.startswith("/api/v1/export/meetings?")
    assert {"kind=summit", "attendee=NZL", "format=csv"} <= set(href.split("?", 1)[1].split("&"))
    body = tab.page.request.get(tab.base + href).text()
    lines = body.strip().splitlines()
    assert lines[0].startswith("# marking: ")
    assert len(lines) == 3 and VIRTUAL in lines[2]  # marking, header, the one meeting

    # Ordering the filtered list keeps its filters.
    tab.page.click("table[data-list] th >> text=Meeting")
    tab.page.wait_for_load_state()
    assert "sort=title" in tab.page.url and "attendee=NZL" in tab.page.url
    assert tab.page.locator("table[data-list] tbody tr").count() == 1
