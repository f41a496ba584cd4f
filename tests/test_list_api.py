"""Every API list pages and sorts through the one list layer.

For each GET list route the document gives a ``sort`` parameter, and for each key it
declares in either direction, reading the list two rows at a time gives every row once,
with the same total on every page; an undeclared key is refused with a 422.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.core.marking import Marking
from tests.marking_registry import FACTORIES
from tests.world import World

KEYS = re.compile(r"^\^-\?\(\?:(.*)\)\$$")


def _sorted_lists(document: dict[str, Any]) -> dict[str, list[str]]:
    """Each list path without path parameters, and the sort keys it declares."""
    found = {}
    for path, item in document["paths"].items():
        get = item.get("get")
        if get is None or "{" in path or path.endswith("/export") or "/export/" in path:
            continue  # an export takes a list's sort but answers a file, not a page
        for param in get.get("parameters", []):
            if param["name"] == "sort":
                pattern = param["schema"]["anyOf"][0]["pattern"]
                match = KEYS.match(pattern)
                assert match, pattern
                found[path] = match.group(1).split("|")
    return found


def _walk(client: Any, path: str, sort: str) -> tuple[list[Any], int]:
    seen: list[Any] = []
    totals = set()
    offset = 0
    while True:
        response = client.get(path, params={"sort": sort, "limit": 2, "offset": offset})
        assert response.status_code == 200, (path, sort, response.text)
        body = response.json()
        assert set(body) >= {"items", "total", "limit", "offset"}
        totals.add(body["total"])
        if not body["items"]:
            break
        seen.extend(i.get("id", i.get("code")) for i in body["items"])
        offset += 2
    assert len(totals) == 1, (path, sort, totals)
    return seen, totals.pop()


def test_every_list_sorts_and_pages(engine: Engine, world: World, client_for: Any) -> None:
    with transaction(engine) as session:
        for factory in FACTORIES:
            for n in range(3):
                factory.create(session, "FRA", Marking.PUBLIC, [], f"listed-{n}")
    admin = client_for("sec.admin")
    lists = _sorted_lists(admin.get("/api/openapi.json").json())
    assert {"/api/v1/members", "/api/v1/meetings", "/api/v1/commitments"} <= set(lists)
    assert len(lists) >= 10, sorted(lists)
    for path, keys in lists.items():
        whole = admin.get(path, params={"limit": 500}).json()
        everything = sorted(map(str, (i.get("id", i.get("code")) for i in whole["items"])))
        assert whole["total"] == len(everything)
        for key in keys:
            for sort in (key, f"-{key}"):
                seen, total = _walk(admin, path, sort)
                assert total == len(seen) == len(set(map(str, seen))), (path, sort)
                assert sorted(map(str, seen)) == everything, (path, sort)
        refused = admin.get(path, params={"sort": "no_such_key"})
        assert refused.status_code == 422, path
