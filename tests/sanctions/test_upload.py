"""A sanctions list sent through the API's upload, previewed, and run in the background."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tests.imports.conftest import finish, uploads  # noqa: F401 - the fixture, shared
from tests.world import World

UPLOADS = "/api/v1/uploads"


def test_an_entity_file_is_uploaded_previewed_and_imported(
    engine: Engine,
    world: World,
    uploads: Path,  # noqa: F811 - the fixture imported above
    client_for: Any,
) -> None:
    body = b"".join(
        json.dumps(e).encode() + b"\n"
        for e in (
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ivan"]}},
            {"id": "x1", "schema": "Starship", "properties": {}},
        )
    )
    admin = client_for("sec.admin")
    sent = admin.post(
        UPLOADS, params={"importer": "sanctions", "name": "entities.ftm.json"}, content=body
    )
    assert sent.status_code == 201, sent.text
    shown = sent.json()
    assert shown["layout"] == "ftm" and shown["preview"]["problems"] == [
        [2, "unknown schema 'Starship'"]
    ]
    started = admin.post(
        f"{UPLOADS}/{shown['token']}/runs",
        json={
            "importer": "sanctions",
            "layout": "ftm",
            "marking": "PUBLIC",
            "options": {"list": "eu_fsf", "snapshot_date": "2025-02-24"},
        },
    )
    assert started.status_code == 202, started.text
    finish(engine)
    key = started.json()["key"]
    progress = admin.get(f"/api/v1/imports/{key}/progress").json()
    assert progress["state"] == "done", progress
    assert progress["counts"]["inserted"] == 1 and progress["counts"]["rejected"] == 1
    rows = client_for(None).get("/api/v1/sanctions/entities", params={"list": "eu_fsf"}).json()
    assert [r["entity_id"] for r in rows["items"]] == ["p1"]
