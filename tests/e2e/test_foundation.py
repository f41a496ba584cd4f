"""A person signs in, reads members and meetings, and nothing loads from outside."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_sign_in_and_read_members_and_meetings(tab: Tab) -> None:
    tab.goto("/")
    assert "Illustrative data" in tab.page.inner_text(".demo-banner")
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    assert "gbr.liaison" in tab.page.inner_text(".who")

    tab.page.click("nav >> text=Members")
    tab.page.wait_for_url(tab.base + "/members")
    assert "United Kingdom" in tab.page.inner_text("table")
    tab.page.click("table >> text=France")
    assert tab.page.inner_text("h1").startswith("France")

    tab.page.click("nav >> text=Meetings")
    tab.page.wait_for_url(tab.base + "/meetings")
    text = tab.page.inner_text("table")
    assert "Lancaster House" in text
    assert "UK–France planning cell" in text  # REL TO FRA, GBR: a GBR user sees it
    assert "Secretariat preparatory meeting" not in text  # NATIONAL (SEC)
    tab.page.click("text=London Leaders' Summit on Ukraine (Lancaster House)")
    assert "Attending" in tab.page.inner_text("main")
    assert "Source:" in tab.page.inner_text("main")


def test_public_reader_sees_public_meetings_only(tab: Tab) -> None:
    tab.goto("/meetings")
    text = tab.page.inner_text("table")
    assert "Lancaster House" in text
    assert "Military chiefs" not in text  # COALITION
    assert "planning cell" not in text


def test_wrong_password_is_refused(tab: Tab) -> None:
    tab.goto("/login")
    tab.page.fill("input[name=username]", "deu.viewer")
    tab.page.fill("input[name=password]", "not-the-password")
    tab.page.click("button[type=submit]")
    assert "wrong username or password" in tab.page.inner_text(".alert")
