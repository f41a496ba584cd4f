"""Any page of the site prints with its marking at the top and bottom of every page.

base.html links print.css for print media only, and writes the page's marking banner
twice, at the start and at the end of the body; print.css makes the two the header and
footer of the printed body, which a browser repeats on every printed page, and leaves the
navigation, the buttons and the footer's links off paper. The pages are fetched through
the application, as a browser would.
"""

from __future__ import annotations

import re
from typing import Any

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
