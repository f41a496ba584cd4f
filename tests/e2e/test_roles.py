"""Roles that mean something, tried in the browser as each demonstration account.

Only a member's liaison officers and administrators state its position; a form a user
could not submit is not shown, and asking for it answers the one refusal page, which
keeps the signed-in header and leads back to the page above. Wrong passwords typed from
one address never keep an officer out from another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from coalition.api import create_app
from coalition.core import migrate
from coalition.core.db import get_engine, transaction
from coalition.core.settings import Settings
from coalition.demo import service as demo
from tests.e2e.conftest import Tab, _free_port

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


def test_a_viewer_gets_no_pledge_form_and_the_plain_refusal(tab: Tab) -> None:
    tab.sign_in("deu.viewer", "demo-viewer-pass")
    tab.goto("/commitments")
    assert tab.page.locator("a[href='/commitments/new']").count() == 0
    response = tab.page.goto(tab.base + "/commitments/new")
    assert response is not None and response.status == 403
    assert tab.page.inner_text("h1") == "Not allowed"
    assert "your role (viewer) records none" in tab.page.inner_text("#error")
    assert tab.page.locator("main form").count() == 0  # no form with an empty member list
    # The refusal keeps the signed-in header and leads back to the page above.
    assert "deu.viewer" in tab.page.inner_text("header .who")
    assert tab.page.locator("header button:has-text('Sign out')").count() == 1
    tab.page.click("#back")
    tab.page.wait_for_url(tab.base + "/commitments")


def test_refusals_look_the_same_on_every_page(tab: Tab) -> None:
    tab.sign_in("fra.planner", "demo-planner-pass")
    for form, back in [("/proposals/new", "/proposals"), ("/meetings/new", "/meetings")]:
        response = tab.page.goto(tab.base + form)
        assert response is not None and response.status == 403, form
        assert tab.page.inner_text("h1") == "Not allowed", form
        assert tab.page.locator("main form").count() == 0, form
        assert tab.page.get_attribute("#back", "href") == back, form
        assert "fra.planner" in tab.page.inner_text("header .who"), form
    tab.goto("/proposals")
    assert tab.page.locator("a[href='/proposals/new']").count() == 0


def test_an_address_nobody_serves_keeps_the_signed_in_header(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    response = tab.page.goto(tab.base + "/proposals/999999/annexes")
    assert response is not None and response.status == 404
    assert "gbr.liaison" in tab.page.inner_text("header .who")
    assert tab.page.locator("header button:has-text('Sign out')").count() == 1
    tab.page.click("#back")  # never a dead end
    assert tab.page.url.startswith(tab.base + "/proposals")


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second demo server that believes ``X-Forwarded-For`` from 127.0.0.1, as behind a
    reverse proxy, so two browsers can sign in from two client addresses."""
    path: Path = tmp_path_factory.mktemp("proxied") / "demo.db"
    engine = get_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(engine, actor="demo") as session:
        demo.load(session)
    app = create_app(engine, Settings(trusted_proxies="127.0.0.1"))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("the proxied server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _from(browser: object, base: str, address: str) -> Tab:
    tab = Tab(browser, base)
    tab.context.set_extra_http_headers({"X-Forwarded-For": address})
    return tab


def test_wrong_passwords_from_one_address_never_lock_the_officer_out(
    browser: object, behind_proxy: str
) -> None:
    guesser = _from(browser, behind_proxy, "198.51.100.66")
    officer = _from(browser, behind_proxy, "198.51.100.7")
    try:
        for _ in range(5):
            guesser.goto("/login")
            guesser.page.fill("input[name=username]", "gbr.liaison")
            guesser.page.fill("input[name=password]", "not the password")
            guesser.page.click("button[type=submit]")
            assert "wrong username or password" in guesser.page.inner_text("main")
        guesser.goto("/login")
        guesser.page.fill("input[name=username]", "gbr.liaison")
        guesser.page.fill("input[name=password]", "demo-liaison-pass")
        guesser.page.click("button[type=submit]")
        assert "too many failed sign-ins" in guesser.page.inner_text("main")

        officer.sign_in("gbr.liaison", "demo-liaison-pass")
        assert "gbr.liaison" in officer.page.inner_text("header .who")
    finally:
        guesser.context.close()
        officer.context.close()
    assert guesser.offsite == [] and officer.offsite == []
