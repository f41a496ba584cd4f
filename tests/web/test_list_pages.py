"""Every list page pages and sorts through the one list layer (``_list.html``).

A list with more rows than a page shows "rows 1–2 of N" and a next link; following the
next links shows every row of the list exactly once, in the order of the whole list.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition.ceasefire.model import Incident
from coalition.commitments.model import Commitment
from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.decisions.model import Proposal
from coalition.forcegen.model import ForceOffer, ForceRequirement
from coalition.imports.model import ImportRun
from coalition.meetings.model import Meeting
from coalition.members.model import Member
from tests.marking_registry import BY_MODEL
from tests.world import World

LIST = re.compile(r"<table[^>]*\bdata-list\b.*?<tbody>(.*?)</tbody>", re.S)
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
SHOWN = re.compile(r"rows (\d+)–(\d+) of (\d+)")
SORTS = re.compile(r'<a class="sort" href="([^"]+)"')

# (page, table, reader): each page lists rows of its table the reader may see.
PAGES: list[tuple[str, Any, str | None]] = [
    ("/members", Member, None),
    ("/meetings", Meeting, None),
    ("/proposals", Proposal, None),
    ("/commitments", Commitment, None),
    ("/forcegen/requirements", ForceRequirement, "fra.planner"),
    ("/forcegen/offers", ForceOffer, "fra.planner"),
    ("/ceasefire/incidents", Incident, None),
    ("/imports", ImportRun, None),
]


def _rows(text: str) -> list[str]:
    match = LIST.search(text)
    assert match, "the list table is marked data-list"
    return ROW.findall(match.group(1))


def _walk(client: Any, path: str) -> list[str]:
    """Every row, page after page, following the next links."""
    rows: list[str] = []
    url: str | None = path
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        page = _rows(response.text)
        assert 0 < len(page) <= 2
        first, last, total = map(int, SHOWN.search(response.text).groups())  # type: ignore[union-attr]
        assert (first, last) == (len(rows) + 1, len(rows) + len(page))
        rows.extend(page)
        found = NEXT.search(response.text)
        url = html.unescape(found.group(1)) if found else None
    assert len(rows) == total
    return rows


@pytest.mark.parametrize(("path", "model", "reader"), PAGES, ids=[p[0] for p in PAGES])
def test_a_long_list_pages_and_the_pages_show_every_row(
    path: str, model: Any, reader: str | None, engine: Engine, world: World, client_for: Any
) -> None:
    factory = BY_MODEL[model]
    with transaction(engine) as session:
        for n in range(5):
            factory.create(session, "FRA", Marking.PUBLIC, [], f"listed-{n}")
    client = client_for(reader)
    whole = client.get(path)  # fewer rows than a page: one page
    assert whole.status_code == 200
    everything = _rows(whole.text)
    assert len(everything) >= 5
    assert "rows 1–" not in whole.text, "a list on one page shows no pager"
    assert _walk(client, f"{path}?limit=2") == everything
    for link in SORTS.findall(whole.text):
        sorted_whole = _rows(client.get(html.unescape(link)).text)
        walked = _walk(client, html.unescape(link) + "&limit=2")
        assert walked == sorted_whole
        assert sorted(walked) == sorted(everything), link


def test_the_accounts_page_pages(engine: Engine, world: World, client_for: Any) -> None:
    admin = client_for("sec.admin")
    everything = _rows(admin.get("/users?limit=500").text)
    assert len(everything) > 2
    assert _walk(admin, "/users?limit=2") == everything
    descending = _walk(admin, "/users?sort=-username&limit=2")
    assert descending == _rows(admin.get("/users?limit=500&sort=-username").text)
    assert sorted(descending) == sorted(everything) and descending != everything


def test_paging_links_keep_the_filters(engine: Engine, world: World, client_for: Any) -> None:
    with transaction(engine) as session:
        for n in range(3):
            BY_MODEL[Meeting].create(session, "FRA", Marking.PUBLIC, [], f"summit-{n}")
    text = client_for(None).get("/meetings?kind=summit&limit=1&sort=title").text
    link = html.unescape(NEXT.search(text).group(1))  # type: ignore[union-attr]
    assert "kind=summit" in link and "sort=title" in link and "offset=1" in link
    assert "rows 1–1 of 3" in text
    assert '<input type="hidden" name="sort" value="title">' in text, "filtering keeps the order"
    assert 'aria-sort="ascending"' in text
