"""The secretariat opens the gap between two members' sanctions lists and tables a
proposal to align on it, landing on the proposal with the targets listed.

A server of its own serves the demo scenario with two lists added through the sanctions
services (as an import and an application would add them): the EU's, applied by France,
and the UK's, applied by the United Kingdom; the UK lists a bank and a tanker the EU does
not.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from coalition.api import create_app
from coalition.core import migrate
from coalition.core.db import get_engine, transaction
from coalition.demo import service as demo
from coalition.members.accounts import principal_of
from coalition.members.model import User
from coalition.sanctions import alignment, ingest
from tests.e2e.conftest import Tab, _free_port

D1 = dt.date(2025, 2, 24)
EU = [
    {"id": "e2e-eu-1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}},
    {
        "id": "e2e-eu-1-s",
        "schema": "Sanction",
        "properties": {"entity": ["e2e-eu-1"], "program": ["UKR"], "listingDate": ["2022-02-25"]},
    },
]
UK = [
    {
        "id": "e2e-uk-1",
        "schema": "Company",
        "properties": {"name": ["Sovcombank"], "swiftBic": ["SOMRRUMM"]},
    },
    {
        "id": "e2e-uk-1-s",
        "schema": "Sanction",
        "properties": {
            "entity": ["e2e-uk-1"],
            "program": ["Russia"],
            "listingDate": ["2022-02-24"],
            "authorityId": ["RUS0257"],
        },
    },
    {
        "id": "e2e-uk-2",
        "schema": "Vessel",
        "properties": {"name": ["Eagle S."], "imoNumber": ["9329760"]},
    },
    {
        "id": "e2e-uk-2-s",
        "schema": "Sanction",
        "properties": {
            "entity": ["e2e-uk-2"],
            "program": ["Russia"],
            "listingDate": ["2024-12-20"],
            "authorityId": ["RUS1900"],
        },
    },
]


@pytest.fixture(scope="module")
def sanctions_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("e2e-sanctions") / "demo.db"
    engine = get_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(engine, actor="demo") as session:
        demo.load(session)
    with transaction(engine) as session:
        user = session.scalars(select(User).where(User.username == "sec.admin")).one()
        sec = principal_of(user)
    for code, entities in (("e2e_eu", EU), ("e2e_uk", UK)):
        body = b"".join(json.dumps(e).encode() + b"\n" for e in entities)
        ingest.import_snapshot(
            engine,
            sec,
            io.BytesIO(body),
            list_code=code,
            taken_on=D1,
            sha256=code.ljust(64, "0"),
            run_key="",
        )
    with transaction(engine) as session:
        alignment.apply_list(session, sec, "FRA", "e2e_eu", D1)
        alignment.apply_list(session, sec, "GBR", "e2e_uk", D1)
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("the sanctions server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def sanctions_tab(browser: object, sanctions_server: str) -> Iterator[Tab]:
    t = Tab(browser, sanctions_server)
    yield t
    t.context.close()
    assert t.offsite == [], f"requests left 127.0.0.1: {t.offsite}"


def test_the_secretariat_tables_a_proposal_from_a_gap(sanctions_tab: Tab) -> None:
    tab = sanctions_tab
    tab.sign_in("sec.staff", "demo-staff-pass")
    tab.goto("/sanctions/matrix?as_of=2025-03-01")
    assert "e2e_eu" in tab.page.inner_text("tr[data-party=FRA]")
    tab.page.click("nav[aria-label='Sanctions pages'] >> text=Gap")
    tab.page.fill("input[name=a]", "GBR")
    tab.page.fill("input[name=b]", "FRA")
    tab.page.fill("input[name=as_of]", "2025-03-01")
    tab.page.click("text=Show the gap")
    tab.page.wait_for_url("**/sanctions/gap?*")
    assert "Listed by GBR, not by FRA" in tab.page.inner_text("h1")
    # The demo's own illustrative list may add rows of its own: these two are ours.
    table = tab.page.inner_text("table#gap")
    assert table.index("Eagle S.") < table.index("Sovcombank")  # vessels before banks
    bank = tab.page.locator("tr[data-target='e2e_uk:e2e-uk-1']")
    bank.locator("summary").click()
    assert "RUS0257" in bank.locator("table.evidence").inner_text()

    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    form = tab.page.locator("#table-proposal form")
    form.locator("input[name=title]").fill("Align on the UK's Russia listings")
    form.locator("textarea[name=text]").fill("The secretariat asks members to align.")
    form.locator("input[name=deadline]").fill(deadline)
    form.locator("button[type=submit]").click()
    tab.page.wait_for_url("**/proposals/*")
    assert "Align on the UK's Russia listings" in tab.page.inner_text("h1")
    text = tab.page.inner_text(".proposal-text")
    assert "Sovcombank" in text and "Eagle S." in text and "RUS0257" in text
