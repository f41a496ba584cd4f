"""Dates that cannot be true are refused everywhere; unusual ones are saved with a note.

A pledge announced after today, a delivery after today, and a delivery before its pledge
was announced are refused by the API, the page and the importer alike, and nothing is
stored; a pledge before the full-scale invasion is saved with a warning on the page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from coalition import cli
from coalition.commitments import commands as commitment_commands
from coalition.commitments.model import Commitment
from coalition.core.db import transaction
from tests.world import World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=400)).isoformat()
PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "marking": "PUBLIC",
}


def test_a_pledge_announced_in_the_future_is_refused(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    refused = gbr.post("/api/v1/commitments", json={**PLEDGE, "announced_on": NEXT_YEAR})
    assert refused.status_code == 422 and "in the future" in refused.text
    token = TOKEN.search(gbr.get("/commitments/new").text)
    assert token
    page = gbr.post(
        "/commitments/new", data={**PLEDGE, "announced_on": NEXT_YEAR, "csrf_token": token[1]}
    )
    assert page.status_code == 422 and "in the future" in page.text
    assert gbr.get("/api/v1/commitments").json()["total"] == 0
    made = gbr.post("/api/v1/commitments", json=PLEDGE).json()
    moved = gbr.patch(
        f"/api/v1/commitments/{made['id']}", json={"revision": 1, "announced_on": NEXT_YEAR}
    )
    assert moved.status_code == 422


def test_deliveries_in_the_future_or_before_the_pledge_are_refused(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    made = gbr.post("/api/v1/commitments", json=PLEDGE).json()
    path = f"/api/v1/commitments/{made['id']}/deliveries"
    future = gbr.post(path, json={"delivered_on": NEXT_YEAR, "quantity": "1"})
    assert future.status_code == 422 and "in the future" in future.text
    early = gbr.post(path, json={"delivered_on": "2020-03-02", "quantity": "1"})
    assert early.status_code == 422 and "before the pledge was announced" in early.text
    assert gbr.post(path, json={"delivered_on": "2025-03-02", "quantity": "1"}).status_code == 201
    assert len(gbr.get(path).json()) == 1


def test_an_unusual_date_is_saved_with_a_note(client_for: Any) -> None:
    gbr = client_for("gbr.contributor")
    token = TOKEN.search(gbr.get("/commitments/new").text)
    assert token
    saved = gbr.post(
        "/commitments/new",
        data={**PLEDGE, "announced_on": "2018-06-01", "csrf_token": token[1]},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Commitment recorded. Note: the pledge is dated 2018-06-01, before the" in saved.text


def test_the_importer_refuses_future_dates_by_line(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalition.members import acting

    monkeypatch.setattr(commitment_commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    source = tmp_path / "pledges.csv"
    source.write_text(
        "source_id,member,announced_on,category,item\n"
        "p-1,GBR,2025-03-02,military,Radars\n"
        f"p-2,GBR,{NEXT_YEAR},military,Drones\n",
        encoding="utf-8",
    )
    code = cli.main(
        ["import", "commitments", str(source), "--format", "csv", "--as", "sec.contributor"]
    )
    assert code == 0  # the file was read whole; its refused row is in the rejects file
    rejects = (tmp_path / "pledges.csv.rejects.csv").read_text(encoding="utf-8")
    assert '"3","p-2"' in rejects and "in the future" in rejects
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Commitment)) == 1
