"""A liaison officer records a pledge and a delivery, and the charts move."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def _chart(tab: Tab, which: str) -> str:
    return tab.page.inner_html(f"#{which} desc")


def test_a_liaison_records_a_pledge_and_sees_the_chart_change(tab: Tab) -> None:
    tab.goto("/commitments")
    assert "Air defence missiles" in tab.page.inner_text("#commitments-table")
    assert "Brigade headquarters" not in tab.page.inner_text("#commitments-table")  # NATIONAL

    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/commitments?member=GBR")
    bars_before = _chart(tab, "chart-members")
    lines_before = _chart(tab, "chart-cumulative")

    tab.page.click("text=Record a commitment")
    tab.page.wait_for_url(tab.base + "/commitments/new")
    tab.page.fill("input[name=item]", "Counter-drone systems")
    tab.page.select_option("select[name=category]", "military")
    tab.page.fill("input[name=announced_on]", "2025-03-20")
    tab.page.fill("input[name=quantity]", "30")
    tab.page.fill("input[name=unit]", "systems")
    tab.page.fill("input[name=value]", "450000000")
    tab.page.fill("input[name=currency]", "GBP")
    tab.page.fill("input[name=source_title]", "Illustrative entry from the browser test")
    tab.page.click("button[type=submit] >> text=Record the commitment")
    assert tab.page.inner_text("h1").startswith("Counter-drone systems")

    tab.page.fill("input[name=delivered_on]", "2025-04-10")
    tab.page.fill(".delivery-form input[name=quantity]", "40")
    tab.page.click("text=Record delivery")
    assert "beyond the 30" in tab.page.inner_text(".alert")
    tab.page.fill("input[name=delivered_on]", "2025-04-10")
    tab.page.fill(".delivery-form input[name=quantity]", "10")
    tab.page.click("text=Record delivery")
    assert "33%" in tab.page.inner_text("#delivered-share")

    tab.goto("/commitments?member=GBR")
    assert "Counter-drone systems" in tab.page.inner_text("#commitments-table")
    assert _chart(tab, "chart-members") != bars_before
    assert _chart(tab, "chart-cumulative") != lines_before


def test_a_pledge_is_coalition_unless_chosen_and_its_marking_is_changed_with_confirmation(
    tab: Tab,
) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/commitments/new")
    assert tab.page.eval_on_selector("select[name=marking]", "e => e.value") == "COALITION"
    tab.page.fill("input[name=item]", "Mine-clearing vehicles")
    tab.page.select_option("select[name=category]", "military")
    tab.page.fill("input[name=announced_on]", "2025-03-21")
    tab.page.fill("input[name=quantity]", "8")
    tab.page.click("button[type=submit] >> text=Record the commitment")
    assert tab.page.inner_text("h1").startswith("Mine-clearing vehicles")
    assert "COALITION" in tab.page.inner_text("h1")
    record = tab.page.url.rsplit("/", 1)[1]

    # The owner corrects the item and, on second thought, makes it public.
    tab.page.fill(".update-form input[name=item]", "Mine-clearing vehicles (armoured)")
    tab.page.select_option(".update-form select[name=marking]", "PUBLIC")
    tab.page.click("text=Save as new revision")
    assert "The public (readers who are not signed in) will see it" in tab.page.inner_text(
        "#error-confirm_marking"
    )
    assert "COALITION" in tab.page.inner_text("h1")  # nothing changed yet
    assert (
        tab.page.eval_on_selector(".update-form input[name=item]", "e => e.value")
        == "Mine-clearing vehicles (armoured)"
    )
    tab.page.check(".update-form input[name=confirm_marking]")
    tab.page.click("text=Save as new revision")
    assert tab.page.inner_text("h1").startswith("Mine-clearing vehicles (armoured)")
    assert "PUBLIC" in tab.page.inner_text("h1")

    anonymous = tab.context.browser.new_context()
    try:
        page = anonymous.new_page()
        page.goto(f"{tab.base}/commitments/{record}")
        assert page.inner_text("h1").startswith("Mine-clearing vehicles (armoured)")
    finally:
        anonymous.close()


def test_dates_that_cannot_be_true_are_refused_beside_their_field(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/commitments/new")
    tab.page.fill("input[name=item]", "Field hospitals")
    tab.page.select_option("select[name=category]", "humanitarian")
    tab.page.fill("input[name=announced_on]", "2031-06-01")
    tab.page.click("button[type=submit] >> text=Record the commitment")
    assert "in the future" in tab.page.inner_text("#error-announced_on")
    assert tab.page.eval_on_selector("input[name=item]", "e => e.value") == "Field hospitals"
    tab.page.fill("input[name=announced_on]", "2025-03-22")
    tab.page.fill("input[name=quantity]", "4")
    tab.page.click("button[type=submit] >> text=Record the commitment")
    assert "Commitment recorded." in tab.page.inner_text("#notice")

    tab.page.fill("input[name=delivered_on]", "2020-01-10")
    tab.page.fill(".delivery-form input[name=quantity]", "1")
    tab.page.click("text=Record delivery")
    assert "before the pledge was announced" in tab.page.inner_text("#error-delivered_on")
    assert "Nothing delivered yet." in tab.page.inner_text("#deliveries")
