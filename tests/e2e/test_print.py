"""Printed, a page keeps its content and its marking and drops the site's chrome."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_a_printed_page_drops_the_navigation_and_keeps_its_marking(tab: Tab) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/ceasefire/daily")
    assert tab.page.is_visible(".topbar")
    tab.page.emulate_media(media="print")
    assert not tab.page.is_visible(".topbar")
    assert not tab.page.is_visible("text=Sign out")
    assert tab.page.is_visible(".page-marking-top")
    assert tab.page.is_visible(".page-marking-bottom")
    assert tab.page.is_visible("h1")
    pdf = tab.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_every_page_states_its_marking(tab: Tab) -> None:
    tab.goto("/commitments")
    assert tab.page.inner_text(".page-marking-top") == "PUBLIC"
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.goto("/commitments")
    top = tab.page.inner_text(".page-marking-top")
    assert top == tab.page.inner_text(".page-marking-bottom")
    assert top != "PUBLIC"  # the liaison sees the coalition's and the nation's pledges
