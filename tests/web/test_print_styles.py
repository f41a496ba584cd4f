"""Any page of the site prints with its marking at the top and bottom of every page.

base.html links print.css for print media only, and writes the page's marking banner
twice, at the start and at the end of the body; print.css makes the two the header and
footer of the printed body, which a browser repeats on every printed page, and leaves the
navigation, the buttons and the footer's links off paper. The pages are fetched through
the application; the last test has Debian's Chromium print one (its requests answered by
the application, nothing served or fetched over a network) and reads every sheet back.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

PRINT_LINK = re.compile(r'<link rel="stylesheet" href="/static/print.css" media="print">')
BANNER = re.compile(r'<div class="page-marking page-marking-(top|bottom) [^"]*"[^>]*>([^<]+)</div>')


def test_every_page_links_the_print_stylesheet_and_writes_both_banners(
    client_for: Any,
) -> None:
    for path in ("/", "/commitments", "/login"):
        page = client_for(None).get(path).text
        assert len(PRINT_LINK.findall(page)) == 1, path
        assert page.index("/static/app.css") < page.index("/static/print.css"), path
        banners = [(m.group(1), m.group(2).strip()) for m in BANNER.finditer(page)]
        assert banners == [("top", "PUBLIC"), ("bottom", "PUBLIC")], path
        body = page[page.index("<body") :]
        assert body.index("page-marking-top") < body.index("<main")
        assert body.index("page-marking-bottom") > body.index("</main>")


def test_the_print_stylesheet_repeats_the_banners_and_hides_the_controls(
    client_for: Any,
) -> None:
    response = client_for(None).get("/static/print.css")
    assert response.status_code == 200
    sheet = re.sub(r"/\*.*?\*/", "", response.text, flags=re.S)
    assert re.search(r"body\s*{[^}]*display:\s*table;", sheet)
    assert re.search(r"\.page-marking-top\s*{\s*display:\s*table-header-group;", sheet)
    assert re.search(r"\.page-marking-bottom\s*{\s*display:\s*table-footer-group;", sheet)
    assert re.search(r"position:\s*static\s*!important", sheet)  # not app.css's fixed box
    hidden = sheet[: sheet.index("display: none !important")]
    for selector in (".topbar", "nav", ".footer a", "button", ".button", 'input[type="submit"]'):
        assert selector in hidden, selector
    assert "http" not in sheet and "url(" not in sheet  # printing fetches nothing


PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "NATIONAL",
}


def _print_in_chromium(browser: Any, reader: Any, path: str) -> bytes:
    """The page at ``path``, as ``reader`` gets it, printed by Chromium on short sheets.

    The browser's requests are answered by the application through ``reader`` (no server,
    no network); sheets 100 mm tall make an ordinary page run over several of them.
    """

    def answer(route: Any) -> None:
        response = reader.get(urlsplit(route.request.url).path)
        route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type=response.headers.get("content-type", "text/html"),
        )

    page = browser.new_page()
    try:
        page.route("http://coalition.test/**", answer)
        page.goto(f"http://coalition.test{path}")
        return bytes(page.pdf(width="210mm", height="100mm", prefer_css_page_size=False))
    finally:
        page.close()


@pytest.mark.e2e
def test_a_printed_page_carries_its_marking_at_the_top_and_bottom_of_every_sheet(
    client_for: Any, browser: Any
) -> None:
    gbr = client_for("gbr.contributor")
    for quantity in range(1, 9):
        pledge = {**PLEDGE, "quantity": str(quantity)}
        assert gbr.post("/api/v1/commitments", json=pledge).status_code == 201
    printed = PdfReader(BytesIO(_print_in_chromium(browser, gbr, "/commitments")))
    assert len(printed.pages) >= 2
    for number, sheet in enumerate(printed.pages, start=1):
        lines = [line.strip() for line in sheet.extract_text().splitlines() if line.strip()]
        assert lines[0] == lines[-1] == "NATIONAL (GBR)", (number, lines[:2], lines[-2:])
        assert "Sign out" not in lines and "Sign in" not in lines
