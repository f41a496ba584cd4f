"""A monitor reads the daily report: it opens on the latest day with reports, any day can
be picked, and a day before the ceasefire is never called a day of violations."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_the_daily_report_opens_on_data_and_lets_the_reader_pick_a_day(tab: Tab) -> None:
    tab.goto("/ceasefire/report")
    opened = tab.page.eval_on_selector("input[name=date]", "e => e.value")
    assert opened.startswith("2025-"), "the demo's reports are in 2025, not today"
    assert "0 reports" not in tab.page.inner_text(".daily-report")
    tab.page.fill("input[name=date]", "2025-04-05")
    tab.page.click("text=Show")
    tab.page.wait_for_url("**/ceasefire/report?date=2025-04-05")
    assert "day 12 of 30" in tab.page.inner_text("h1")
    tab.page.click("a[rel=prev]")
    assert "day 11 of 30" in tab.page.inner_text("h1")
    tab.page.click("a[rel=next]")
    assert "day 12 of 30" in tab.page.inner_text("h1")


def test_a_day_before_the_ceasefire_is_not_a_day_of_violations(tab: Tab) -> None:
    tab.goto("/ceasefire/report?date=2025-03-10")
    heading = tab.page.inner_text("h1")
    assert "not in force" in heading
    assert "Ceasefire violations by type" not in tab.page.inner_text(".daily-report")
    assert "not counted as ceasefire violations" in tab.page.inner_text(".daily-report")


def test_the_ceasefire_card_never_says_in_force_outside_its_days(tab: Tab) -> None:
    tab.goto("/ceasefire")
    countdown = tab.page.inner_text(".countdown")
    standing = tab.page.inner_text("#ceasefire-standing")
    assert (standing == "in force") is countdown.startswith("Day")
    assert "not a quiet day" in tab.page.inner_text("#coverage")
