"""Markings hold everywhere: the matrix of tables, routes, readers and markings.

1. Every marked table is declared by a registered capability and has a factory
   (``marking_registry``; ``test_registry`` names a missing one), so no new table escapes.
2. For every marked table, marking and reader, the API and page detail routes answer 200
   exactly when ``can_see`` says so and 404 otherwise, and the list routes show the record
   exactly then.
3. For every GET route of the API and the pages, adding records a reader may not see
   changes nothing that reader receives: not a row, not a count, not a chart.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coalition.core.capability import served_routes
from coalition.core.db import Base, transaction
from coalition.core.marking import Marking, can_see
from tests.marking_registry import EXTRA_PATH_VALUES, FACTORIES
from tests.world import World

READERS = [
    None,
    "gbr.viewer",
    "gbr.admin",
    "fra.viewer",
    "fra.planner",
    "sec.admin",
    "pol.contributor",
]

# (marking, release list) variants, all owned by FRA.
VARIANTS = [
    (Marking.PUBLIC, []),
    (Marking.COALITION, []),
    (Marking.REL_TO, ["GBR"]),
    (Marking.NATIONAL, []),
]

PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def test_every_marked_table_has_a_factory() -> None:
    marked = {m.class_ for m in Base.registry.mappers if getattr(m.class_, "__marked__", False)}
    covered = {f.model for f in FACTORIES}
    assert marked - covered == set(), (
        "declare the table in its capability's `marked` and register a factory in "
        "tests/marking_registry.py"
    )


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.model.__tablename__)
def test_detail_routes_follow_the_marking(factory, engine, world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    keys = {}
    with transaction(engine) as session:
        for marking, rel_to in VARIANTS:
            keys[marking] = factory.create(
                session, "FRA", marking, rel_to, f"canary-{marking.value}"
            )
    for reader in READERS:
        client: TestClient = client_for(reader)
        principal = world.principal(reader)
        for marking, rel_to in VARIANTS:
            key = keys[marking]
            rel = "|" + "|".join(rel_to) + "|" if rel_to else ""
            expected = can_see(principal, "FRA", marking, rel)
            for url in (factory.api_detail, factory.page_detail):
                if url is None:
                    continue
                response = client.get(url(key))
                assert response.status_code == (200 if expected else 404), (
                    reader,
                    marking,
                    url(key),
                )
                assert (f"canary-{marking.value}" in response.text) is expected


def _get_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    paths = []
    for path, methods, route in served_routes(app.routes):
        if isinstance(route, APIRoute) and "GET" in methods:
            if path.startswith(("/api/docs", "/healthz", "/readyz", "/login")):
                continue
            paths.append(path)
    return sorted(set(paths))


def test_hidden_records_change_nothing_a_reader_receives(  # type: ignore[no-untyped-def]
    app: FastAPI, engine: Engine, world: World, client_for
) -> None:
    # A user is not a marked record: any account of the world names one for /users/{user_id}.
    values = {**EXTRA_PATH_VALUES, "user_id": world.principal("gbr.viewer").user_id}
    with transaction(engine) as session:
        for factory in FACTORIES:
            values[factory.param] = factory.create(
                session, "GBR", Marking.PUBLIC, [], "public-record"
            )
    urls = []
    for path in _get_routes(app):
        missing = [p for p in PARAM.findall(path) if p not in values]
        assert not missing, f"{path}: register a value for {missing} in tests/marking_registry.py"
        urls.append(PARAM.sub(lambda m: str(values[m.group(1)]), path))

    readers = {
        reader: client_for(reader) for reader in (None, "gbr.viewer", "fra.viewer", "sec.admin")
    }
    before = {(r, u): readers[r].get(u) for r in readers for u in urls}
    with transaction(engine) as session:
        for factory in FACTORIES:
            factory.create(session, "POL", Marking.NATIONAL, [], "hidden-national")
            factory.create(session, "POL", Marking.REL_TO, ["DEU"], "hidden-release")
    for (reader, url), old in before.items():
        new = readers[reader].get(url)
        assert new.status_code == old.status_code, (reader, url)
        assert "hidden-" not in new.text, (reader, url)
        assert new.text == old.text, f"{url} as {reader} changed after hidden records were added"
