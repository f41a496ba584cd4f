"""The alignment and resolution pages: the matrix, the gap (its export, and a proposal
tabled from it), the review queue, and every listing of a target on its entity page.

The lists are those of ``test_alignment``: the EU's (applied by FRA), the UK's (by GBR);
the same tanker is on both under other ids, a bank is on the UK's alone, a person on both
by name alone. Pages are read as the public, a viewer and a contributor; a form is posted
with the token its page gave.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.meetings.model import Meeting
from coalition.sanctions import alignment, ingest, resolution
from tests.sanctions.test_alignment import D1, EU, UK, load
from tests.world import World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
AS_OF = "2025-03-01"
READERS = (None, "fra.viewer", "gbr.contributor")


@pytest.fixture
def loaded(engine: Engine, world: World) -> World:
    load(engine, world, "eu_fsf", D1, EU)
    load(engine, world, "gb_fcdo_sanctions", D1, UK)
    sec = world.principal("sec.admin")
    with transaction(engine) as session:
        alignment.apply_list(session, sec, "FRA", "eu_fsf", D1)
        alignment.apply_list(session, sec, "GBR", "gb_fcdo_sanctions", D1)
    return world


def _token(client: TestClient, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    assert match, path
    return match.group(1)


def _gap_url(**params: str) -> str:
    query = {"a": "GBR", "b": "FRA", "as_of": AS_OF, **params}
    return "/sanctions/gap?" + "&".join(f"{k}={v}" for k, v in query.items())


@pytest.mark.parametrize("reader", READERS)
def test_each_page_renders_for_every_reader(
    client_for: Any, loaded: World, reader: str | None
) -> None:
    client = client_for(reader)
    for path in (
        "/sanctions",
        "/sanctions/matrix",
        f"/sanctions/matrix?as_of={AS_OF}",
        "/sanctions/gap",
        _gap_url(),
        "/sanctions/review",
        "/sanctions/entities/gb_fcdo_sanctions/uk-2",
    ):
        page = client.get(path)
        assert page.status_code == 200, (reader, path, page.text[:500])
        assert 'aria-label="Sanctions pages"' in page.text
        for tab in ("Lists", "Entities", "Matrix", "Gap", "Review"):
            assert f">{tab}</a>" in page.text


def test_the_matrix_links_each_members_gap_and_its_lists(client_for: Any, loaded: World) -> None:
    page = client_for("fra.viewer").get(f"/sanctions/matrix?as_of={AS_OF}")
    assert page.status_code == 200
    text = page.text
    assert f"/sanctions/gap?a=COALITION&amp;b=FRA&amp;theme=russia&amp;as_of={AS_OF}" in text
    fra = re.search(r'<tr data-party="FRA">(.*?)</tr>', text, re.DOTALL)
    assert fra and "eu_fsf" in fra.group(1) and "gb_fcdo_sanctions" not in fra.group(1)
    refused = client_for("fra.viewer").get("/sanctions/matrix?as_of=01/03/2025")
    assert refused.status_code == 422
    assert "YYYY-MM-DD" in refused.text and 'value="01/03/2025"' in refused.text


def test_the_gap_shows_its_ranked_rows_and_their_evidence(client_for: Any, loaded: World) -> None:
    page = client_for("fra.viewer").get(_gap_url())
    assert page.status_code == 200, page.text
    rows = re.findall(r'<tr data-target="([^"]+)">(.*?)</details>', page.text, re.DOTALL)
    captions = [re.search(r'">([^<]+)</a> <span class="muted">', r[1]).group(1) for r in rows]  # type: ignore[union-attr]
    # Unresolved, the tanker the EU lists under another id is a target of its own: vessels
    # first, then banks, then persons.
    assert captions == ["Eagle S.", "Sovcombank", "Ivan Petrov"]
    bank = rows[1][1]
    assert "RUS0257" in bank and "gb_fcdo_sanctions" in bank and "GBR" in bank
    assert "2022-02-24" in bank
    # Without "since", no badge; the last summit before the day is offered.
    assert 'tag-opened">opened' not in page.text


def test_since_marks_what_opened_and_the_last_summit_is_offered(
    engine: Engine, client_for: Any, loaded: World
) -> None:
    with transaction(engine) as session:
        session.add(
            Meeting(
                title="Paris summit",
                kind="summit",
                held_on=dt.date(2022, 1, 10),
                format="in_person",
                level="leaders",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )
    page = client_for("fra.viewer").get(_gap_url())
    assert "since the last summit (Paris summit, 2022-01-10)" in page.text
    assert "since=2022-01-10" in page.text
    since = client_for("fra.viewer").get(_gap_url(since="2022-01-10"))
    assert since.status_code == 200
    assert since.text.count('<span class="tag tag-opened">opened</span>') >= 2


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"as_of": "2025-13-01"}, "as_of", "YYYY-MM-DD"),
        ({"theme": "weather"}, "theme", "not one of the choices"),
        ({"b": "XXX"}, "b", "no member XXX"),
        ({"since": "2026-01-01"}, "as_of", "earlier than since"),
    ],
)
def test_a_refused_question_keeps_the_form_and_says_why(
    client_for: Any, loaded: World, params: dict[str, str], field: str | None, reason: str
) -> None:
    page = client_for("fra.viewer").get(_gap_url(**params))
    assert page.status_code == 422, page.text
    assert "The list was not filtered" in page.text and reason in page.text
    if field is not None:
        assert f'id="error-{field}"' in page.text
    for value in params.values():
        assert f'value="{value}"' in page.text  # kept as typed
    assert 'data-target="' not in page.text


def test_the_gap_as_a_file_holds_the_rows_shown_with_its_marking(
    client_for: Any, loaded: World
) -> None:
    client = client_for("fra.viewer")
    page = client.get(_gap_url())
    link = re.search(r'href="(/api/v1/sanctions/gap/export\?[^"]*format=csv[^"]*)"', page.text)
    assert link
    answer = client.get(link.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200, answer.text
    lines = answer.text.splitlines()
    assert lines[0] == "# marking: PUBLIC"
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert [r["caption"] for r in rows] == ["Eagle S.", "Sovcombank", "Ivan Petrov"]
    assert rows[1]["authority_id"] == "RUS0257" and rows[1]["rank"] == "2"
    as_json = client.get(
        "/api/v1/sanctions/gap/export",
        params={"a": "GBR", "b": "FRA", "as_of": AS_OF, "format": "json"},
    ).json()
    assert as_json["marking"] == "PUBLIC"
    assert {r["caption"] for r in as_json["rows"]} == {r["caption"] for r in rows}
    bad = client.get("/api/v1/sanctions/gap/export", params={"a": "GBR", "b": "XXX"})
    assert bad.status_code == 404


def test_a_cell_a_spreadsheet_would_run_is_neutralised(engine: Engine, world: World) -> None:
    hostile = [
        {"id": "x-1", "schema": "Company", "properties": {"name": ["=HYPERLINK(1)"]}},
        {
            "id": "x-1-s",
            "schema": "Sanction",
            "properties": {"entity": ["x-1"], "program": ["RUS"], "reason": ["+cmd"]},
        },
    ]
    load(engine, world, "eu_fsf", D1, hostile)
    with transaction(engine) as session:
        alignment.apply_list(session, world.principal("sec.admin"), "FRA", "eu_fsf", D1)
    from fastapi.testclient import TestClient as _Client  # noqa: F401 - type only

    # Read through the API's own client fixture-free: the app of this engine.
    from coalition.api import create_app

    with TestClient(create_app(engine), base_url="http://127.0.0.1") as client:
        answer = client.get(
            "/api/v1/sanctions/gap/export", params={"a": "eu_fsf", "b": "GBR", "as_of": AS_OF}
        )
    assert answer.status_code == 200, answer.text
    assert '"\'=HYPERLINK(1)"' in answer.text and '"\'+cmd"' in answer.text


def _table(client: TestClient, **changes: str) -> Any:
    token = _token(client, _gap_url())
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    form = {
        "csrf_token": token,
        "a": "GBR",
        "b": "FRA",
        "as_of": AS_OF,
        "title": "Align on what the UK lists",
        "text": "The secretariat proposes that members align.",
        "rule": "consensus",
        "deadline": deadline,
        "marking": "COALITION",
        "limit": "10",
        **changes,
    }
    return client.post(
        f"/sanctions/gap/proposals?a=GBR&b=FRA&as_of={AS_OF}", data=form, follow_redirects=False
    )


def test_tabling_a_proposal_from_the_gap(client_for: Any, loaded: World) -> None:
    sec = client_for("sec.contributor")
    page = sec.get(_gap_url())
    assert "Table a proposal to align on these targets" in page.text
    for reader in (None, "fra.viewer", "gbr.contributor"):
        assert "Table a proposal" not in client_for(reader).get(_gap_url()).text
    made = _table(sec)
    assert made.status_code == 303, made.text[:2000]
    location = made.headers["location"]
    assert re.fullmatch(r"/proposals/\d+", location)
    proposal = sec.get(f"/api/v1{location}").json()
    assert "Sovcombank" in proposal["text"] and "RUS0257" in proposal["text"]
    assert "Ivan Petrov" in proposal["text"]
    assert proposal["title"] == "Align on what the UK lists"
    assert "Proposal tabled" in sec.get(location).text


def test_a_refused_proposal_is_shown_beside_its_form(client_for: Any, loaded: World) -> None:
    sec = client_for("sec.contributor")
    refused = _table(sec, title="", deadline="next week", limit="900")
    assert refused.status_code == 422, refused.text[:2000]
    text = refused.text
    assert "Nothing was saved" in text
    assert 'id="error-title"' in text and 'id="error-deadline"' in text
    assert 'id="error-limit"' in text
    assert 'value="next week"' in text and 'value="900"' in text
    assert 'data-target="' in text  # the gap is shown again as asked
    assert client_for("fra.viewer").get("/api/v1/proposals").json()["total"] == 0
    viewer = client_for("fra.viewer")
    forbidden = viewer.post(
        "/sanctions/gap/proposals", data={"csrf_token": _token(viewer, "/sanctions/gap")}
    )
    assert forbidden.status_code == 403


def _queue(client: TestClient) -> str:
    page = client.get("/sanctions/review")
    assert page.status_code == 200
    return page.text


def test_judging_from_the_review_page(engine: Engine, client_for: Any, loaded: World) -> None:
    analyst = client_for("gbr.contributor")
    token = _token(analyst, "/sanctions/review")
    found = analyst.post(
        "/sanctions/review/find", data={"csrf_token": token}, follow_redirects=False
    )
    assert found.status_code == 303
    queue = analyst.get(found.headers["location"]).text
    assert "Found 2 candidate pairs among 5 targets; 1 judged the same by rule" in queue
    assert "candidate pairs among" in queue
    assert 'data-left="eu_fsf:eu-2" data-right="gb_fcdo_sanctions:uk-3"' in queue
    assert "Birth date" in queue  # properties labelled as FtM labels them
    assert 'class="ev-' in queue
    assert ">Same</button>" in queue and ">Different</button>" in queue
    viewer_queue = _queue(client_for("fra.viewer"))
    assert "eu_fsf:eu-2" in viewer_queue and ">Same</button>" not in viewer_queue
    assert ">Find candidates</button>" not in viewer_queue

    pair = {"left": "eu_fsf:eu-2", "right": "gb_fcdo_sanctions:uk-3"}
    judged = analyst.post(
        "/sanctions/review/judgements",
        data={"csrf_token": token, **pair, "judgement": "positive", "note": "same birth year"},
        follow_redirects=False,
    )
    assert judged.status_code == 303, judged.text[:2000]
    back = analyst.get(judged.headers["location"]).text
    assert "Judged: Same." in back
    assert "same birth year" in back and ">Revisit</button>" in back
    assert 'data-left="eu_fsf:eu-2"' not in back  # settled: out of the queue
    # A "different" inside the cluster is refused, with its reason, on the page.
    refused = analyst.post(
        "/sanctions/review/judgements",
        data={"csrf_token": token, **pair, "judgement": "negative"},
    )
    assert refused.status_code == 422
    assert "Nothing was saved" in refused.text and "revisit" in refused.text
    revisited = analyst.post(
        "/sanctions/review/revisit", data={"csrf_token": token, **pair}, follow_redirects=False
    )
    assert revisited.status_code == 303
    again = analyst.get(revisited.headers["location"]).text
    assert "Judgement ended" in again and 'data-left="eu_fsf:eu-2"' in again
    forbidden = client_for("fra.viewer").post(
        "/sanctions/review/judgements",
        data={"csrf_token": _token(client_for("fra.viewer"), "/"), **pair, "judgement": "unsure"},
    )
    assert forbidden.status_code == 403


def test_the_entity_page_lists_the_target_on_every_list(
    engine: Engine, client_for: Any, loaded: World
) -> None:
    with transaction(engine) as session:
        resolution.find_candidates(session, loaded.principal("sec.admin"))
    page = client_for("fra.viewer").get("/sanctions/entities/eu_fsf/eu-1")
    assert page.status_code == 200
    section = page.text[page.text.index('id="across-members"') :]
    assert "gb_fcdo_sanctions" in section and "eu_fsf" in section
    assert "RUS1900" in section and "EU.1.1" in section
    assert section.index("2024-12-20") < section.index("2025-05-20")  # earliest first
    assert "/sanctions/entities/gb_fcdo_sanctions/uk-1" in section


def test_a_national_list_never_reaches_another_members_pages(
    engine: Engine, client_for: Any, world: World
) -> None:
    body = b"".join(json.dumps(e).encode() + b"\n" for e in UK)
    ingest.import_snapshot(
        engine,
        world.principal("gbr.admin"),
        io.BytesIO(body),
        list_code="gb_watch",
        taken_on=D1,
        sha256="w" * 64,
        run_key="",
        marking=Marking.NATIONAL,
    )
    load(engine, world, "eu_fsf", D1, EU)
    with transaction(engine) as session:
        alignment.apply_list(session, world.principal("gbr.admin"), "GBR", "gb_watch", D1)
        alignment.apply_list(session, world.principal("sec.admin"), "FRA", "eu_fsf", D1)
        resolution.find_candidates(session, world.principal("gbr.admin"))
    own = client_for("gbr.viewer").get(_gap_url())
    assert "Sovcombank" in own.text and "NATIONAL" in own.text
    for reader in (None, "fra.viewer", "fra.admin"):
        client = client_for(reader)
        for path in (
            "/sanctions",
            f"/sanctions/matrix?as_of={AS_OF}",
            _gap_url(),
            _gap_url(a="COALITION"),
            "/sanctions/review",
            "/sanctions/entities/eu_fsf/eu-2",
            "/api/v1/sanctions/gap/export?a=COALITION&b=FRA&as_of=" + AS_OF,
        ):
            page = client.get(path)
            assert page.status_code in (200, 422), (reader, path)
            for secret in ("gb_watch", "Sovcombank", "RUS0257", "NATIONAL"):
                assert secret not in page.text, (reader, path, secret)
        matrix = client.get(f"/sanctions/matrix?as_of={AS_OF}").text
        assert 'data-party="GBR"' not in matrix
        watch = client.get(_gap_url(a="gb_watch"))
        assert watch.status_code == 422 and "no list gb_watch" in watch.text
