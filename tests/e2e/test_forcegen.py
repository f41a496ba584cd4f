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


def _solve_reassurance_force(tab: Tab, *, signed_in: bool = False) -> None:
    if not signed_in:
        tab.sign_in("fra.planner", "demo-planner-pass")
    tab.goto("/forcegen")
    tab.page.click("button[data-scenario='reassurance-force']")
    tab.page.wait_for_url(tab.base + "/forcegen/plans/*")


def test_the_gap_list_says_why_each_offer_stayed_out(tab: Tab) -> None:
    _solve_reassurance_force(tab)
    hospital = tab.page.locator("tr.fg-gap", has_text="Field hospital for the force")
    reasons = tab.page.locator(
        f"tr.fg-kept-out[data-requirement='{hospital.get_attribute('data-requirement')}']"
    ).inner_text()
    assert "POL" in reasons and "a caveat: it may not go to western Ukraine" in reasons
    training = tab.page.locator("tr.fg-gap", has_text="Training teams for Ukrainian brigades")
    reasons = tab.page.locator(
        f"tr.fg-kept-out[data-requirement='{training.get_attribute('data-requirement')}']"
    ).inner_text()
    assert "DEU" in reasons and "may not go to western Ukraine" in reasons
    assert "went to other lines: Training in coalition territory" in reasons
    # Sweden's NATIONAL offer was never the French planner's to see, so it is never named.
    assert "SWE" not in tab.page.inner_text("#gaps")


def test_an_allocation_leads_to_its_offer(tab: Tab) -> None:
    _solve_reassurance_force(tab)
    link = tab.page.locator("#allocations a", has_text="Ground-based air defence battery").first
    href = link.get_attribute("href")
    assert href is not None and href.startswith("/forcegen/offers/")
    link.click()
    tab.page.wait_for_url(tab.base + href)
    assert "Ground-based air defence battery" in tab.page.inner_text("h1")


def test_the_solve_button_says_which_marking_the_plan_takes(tab: Tab) -> None:
    tab.sign_in("fra.planner", "demo-planner-pass")
    tab.goto("/forcegen")
    button = tab.page.locator("button[data-scenario='reassurance-force']")
    note = tab.page.locator("#" + str(button.get_attribute("aria-describedby"))).inner_text()
    assert "The plan will be marked REL TO FRA, GBR." in note
    assert "every member but FRA, GBR will no longer see it" in note
    _solve_reassurance_force(tab, signed_in=True)
    assert "REL TO FRA, GBR" in tab.page.inner_text("main")


def test_capabilities_read_as_words_with_their_codes_in_titles(tab: Tab) -> None:
    tab.sign_in("fra.planner", "demo-planner-pass")
    tab.goto("/forcegen/requirements")
    table = tab.page.inner_text("table")
    assert "Strategic airlift" in table and "STRAT_AIRLIFT" not in table
    assert tab.page.locator("span[title='STRAT_AIRLIFT']").count() >= 1
    tab.goto("/forcegen/offers")
    offers = tab.page.inner_text("table")
    assert "needs Air-to-air refuelling from the backstop" in offers and "AAR" not in offers


def test_a_plan_says_when_a_requirement_changed_after_it_was_solved(
    tab: Tab, browser: object, live_server: str
) -> None:
    _solve_reassurance_force(tab)
    plan_url = tab.page.url.split("?")[0]
    assert tab.page.locator("#stale").count() == 0
    # The secretariat, which owns the statement of requirements, edits a line.
    secretariat = Tab(browser, live_server)
    try:
        secretariat.sign_in("sec.admin", "demo-admin-pass")
        secretariat.goto("/forcegen/requirements")
        secretariat.page.click("table >> text=Air defence of Kyiv")
        secretariat.page.fill("textarea[name=notes]", "Two batteries now expected in June.")
        secretariat.page.click("form.stack button:has-text('Save')")
        secretariat.page.wait_for_url(secretariat.base + "/forcegen/requirements/*")
        assert secretariat.offsite == []
    finally:
        secretariat.context.close()
    tab.page.goto(plan_url)
    stale = tab.page.inner_text("#stale")
    assert "This plan may be out of date" in stale
    assert "Requirement 'Air defence of Kyiv' changed on" in stale and "Solve again" in stale
