"""An analyst drafts the daily report, writes a judgement, sends it to review, issues it
and downloads its PDF, on the demo scenario's server."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.e2e.conftest import Tab


def test_an_analyst_drafts_issues_and_downloads_a_daily_report(tab: Tab, tmp_path: Path) -> None:
    tab.sign_in("gbr.liaison", "demo-liaison-pass")
    tab.page.click("nav >> text=Briefings")
    tab.page.wait_for_url("**/briefings")
    tab.page.select_option("#draft-form select[name=kind]", "daily")
    tab.page.fill("#draft-form input[name=day]", "2025-04-02")
    tab.page.click("text=Build the draft")
    tab.page.wait_for_url("**/briefings/editions/*")
    assert "draft" in tab.page.inner_text("[data-status]")

    # A term outside the yardstick is refused with its reason, and what was typed is kept.
    tab.page.fill("textarea[name=text_1]", "The line will possibly hold.")
    tab.page.click("text=Save the judgements")
    assert "Nothing was saved" in tab.page.inner_text(".alert")
    assert tab.page.input_value("textarea[name=text_1]") == "The line will possibly hold."

    tab.page.fill("textarea[name=text_1]", "It is likely that the line holds through the week.")
    tab.page.select_option("select[name=confidence_1]", "moderate")
    tab.page.click("text=Save the judgements")
    tab.page.wait_for_selector("text=Judgements saved.")
    tab.page.click("text=Send to review")
    tab.page.wait_for_selector("text=Sent to review.")
    tab.page.click("button:has-text('Issue')")
    tab.page.wait_for_selector("text=Issued.")
    assert "issued" in tab.page.inner_text("[data-status]")

    with tab.page.expect_download() as download:
        tab.page.click("[data-pdf]")
    saved = tmp_path / "daily.pdf"
    download.value.save_as(saved)
    reader = PdfReader(saved)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "It is likely that the line holds through the week." in " ".join(text.split())
    marking = tab.page.inner_text("#edition-marking").strip()
    for page in reader.pages:
        assert marking in (page.extract_text() or "")
