"""Roles that mean something, tried in the browser as each demonstration account.

Only a member's liaison officers and administrators state its position; a form a user
could not submit is not shown, and asking for it answers the one refusal page, which
keeps the signed-in header and leads back to the page above.
"""

from __future__ import annotations

from tests.e2e.conftest import Tab

OPEN = "Endorse the statement of requirements for the reassurance force"


def _open_proposal(tab: Tab) -> str:
    tab.goto("/proposals?status=open")
    tab.page.click(f"text={OPEN}")
    tab.page.wait_for_load_state()
    return tab.page.url


def _token(tab: Tab) -> str:
    return tab.page.get_attribute("header input[name=csrf_token]", "value") or ""


def test_a_ceasefire_monitor_cannot_state_polands_position(tab: Tab) -> None:
    tab.sign_in("pol.monitor", "demo-monitor-pass")
    url = _open_proposal(tab)
    assert tab.page.locator("#state").count() == 0
    assert tab.page.locator("form.position-form").count() == 0
    note = tab.page.inner_text("#state-note")
    assert "POL's position is stated by its liaison officers" in note
    assert "your role (monitor)" in note
    # Posting the form anyway is refused by the service, and nothing is stated.
    refused = tab.page.request.post(
        url + "/positions",
        form={
            "stance": "reserve",
            "text": "Poland reserves its position.",
            "condition": "after consultation",
            "csrf_token": _token(tab),
        },
        max_redirects=0,
    )
    assert refused.status == 403
    assert "your role (monitor)" in refused.text()
    tab.page.reload()
    assert "no position" in tab.page.inner_text(".position-grid li[data-member=POL]")


def test_a_planner_reads_positions_but_states_none(tab: Tab) -> None:
    tab.sign_in("fra.planner", "demo-planner-pass")
    _open_proposal(tab)
    assert tab.page.locator("#state").count() == 0
    assert "FRA's position is stated by" in tab.page.inner_text("#state-note")
    assert "support" in tab.page.inner_text(".position-grid li[data-member=FRA]")


def test_a_liaison_officer_gets_the_form_and_no_note(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    _open_proposal(tab)
    assert tab.page.locator("form.position-form").count() == 1
    assert tab.page.locator("#state-note").count() == 0
