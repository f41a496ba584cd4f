"""The marking matrix, for briefings: for each reader, a briefing built with records hidden
from them present is identical (JSON, printable HTML) to one built without them.

One PUBLIC record of every marked table of every capability is written, the briefings
are read by each reader; then a NATIONAL (POL) and a REL TO (POL, DEU) record of every
table are added, and each reader must receive exactly what they received before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.core.marking import Marking
from tests.marking_registry import FACTORIES
from tests.world import World

READERS = (None, "gbr.viewer", "fra.viewer", "sec.admin")
# The days the factories' records fall on (snapshots, the meeting, claims, reports).
DAYS = ("2025-03-01", "2025-03-02", "2025-03-10", "2025-03-13")


def test_hidden_records_change_no_briefing(engine: Engine, world: World, client_for: Any) -> None:
    keys: dict[str, Any] = {}
    with transaction(engine) as session:
        for factory in FACTORIES:
            keys[factory.param] = factory.create(
                session, "GBR", Marking.PUBLIC, [], "public-record"
            )
    urls = [f"/api/v1/briefings/daily?day={day}" for day in DAYS]
    urls.append(f"/api/v1/briefings/summit/{keys['meeting_id']}")
    urls += [f"{url}{'&' if '?' in url else '?'}format=html" for url in list(urls)]
    readers = {reader: client_for(reader) for reader in READERS}
    before = {(r, u): readers[r].get(u) for r in readers for u in urls}
    for (reader, url), response in before.items():
        assert response.status_code == 200, (reader, url, response.text)
    with transaction(engine) as session:
        for factory in FACTORIES:
            factory.create(session, "POL", Marking.NATIONAL, [], "hidden-national")
            factory.create(session, "POL", Marking.REL_TO, ["DEU"], "hidden-release")
    for (reader, url), old in before.items():
        new = readers[reader].get(url)
        assert new.status_code == old.status_code, (reader, url)
        assert "hidden-" not in new.text, (reader, url)
        assert new.text == old.text, f"{url} as {reader} changed after hidden records were added"
