"""Importing from the browser's pages, without script: choose a file, see its preview,
start it, follow it, stop it; every form checks its token and its sender."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from tests.browser import browser, csrf, sign_in
from tests.imports.conftest import finish
from tests.world import World

PLEDGES = (
    "source_id,member,announced_on,category,item,quantity,unit,value,currency,status,"
    "marking,rel_to\n"
    "p1,GBR,2025-03-02,military,Vehicles,10,vehicles,5000000,GBP,announced,PUBLIC,\n"
    "p2,FRA,2025-03-02,military,Not ours,1,x,,,announced,PUBLIC,\n"
    "p3,GBR,2025-03-02,training,Instructors,40,people,,,confirmed,NATIONAL,\n"
)


def test_a_liaison_uploads_previews_starts_and_follows_a_pledge_sheet(
    app: FastAPI, engine: Engine, world: World, uploads: Path
) -> None:
    client = browser(app)
    sign_in(client, "gbr.contributor")
    page = client.get("/imports/new?importer=commitments")
    assert page.status_code == 200 and 'value="commitments" selected' in page.text
    token = csrf(client, "/imports/new")
    sent = client.post(
        "/imports/uploads",
        data={"csrf_token": token, "importer": "commitments"},
        files={"file": ("pledges.csv", PLEDGES.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    preview = client.get(sent.headers["location"])
    assert preview.status_code == 200
    assert "Vehicles" in preview.text and "may not record for FRA" in preview.text
    assert "Start the import" in preview.text
    upload_token = re.search(r"/imports/uploads/([A-Za-z0-9_-]{22})/start", preview.text)
    assert upload_token
    started = client.post(
        f"/imports/uploads/{upload_token.group(1)}/start",
        data={
            "csrf_token": csrf(client, sent.headers["location"]),
            "importer": "commitments",
            "layout": "csv",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    run_page = started.headers["location"]
    following = client.get(run_page).text  # the worker may have finished it already
    assert 'id="progress"' in following and "/static/imports.js" in following
    finish(engine)
    done = client.get(run_page).text
    assert "Progress" in done and "may not record for FRA" in done
    assert re.search(r"<dt>Inserted</dt><dd>2</dd>", done)
    # Each revision the file wrote leads back to its run, on the API and the page.
    key = run_page.rsplit("/", 1)[1]
    vehicles = [
        c for c in client.get("/api/v1/commitments").json()["items"] if c["item"] == "Vehicles"
    ]
    assert [c["import_run"] for c in vehicles] == [key]
    detail = client.get(f"/commitments/{vehicles[0]['id']}").text
    assert f'href="/imports/{key}"' in detail
    # Another member's liaison sees neither the run nor its counts.
    other = browser(app, "203.0.113.9")
    sign_in(other, "fra.contributor")
    assert other.get(run_page).status_code == 404


def test_the_forms_refuse_without_their_token_and_for_readers(
    app: FastAPI, engine: Engine, world: World, uploads: Path
) -> None:
    client = browser(app)
    sign_in(client, "gbr.contributor")
    no_token = client.post(
        "/imports/uploads",
        data={"importer": "commitments"},
        files={"file": ("p.csv", PLEDGES.encode(), "text/csv")},
    )
    assert no_token.status_code == 403
    empty = client.post(
        "/imports/uploads",
        data={"csrf_token": csrf(client, "/imports/new"), "importer": "commitments"},
        files={"file": ("", b"", "text/csv")},
    )
    assert empty.status_code == 422
    reader = browser(app, "203.0.113.7")
    sign_in(reader, "gbr.viewer")
    assert reader.get("/imports/new").status_code == 403
    public = browser(app, "203.0.113.8")
    assert public.get("/imports/new").status_code == 403
    assert not uploads.exists() or list(uploads.iterdir()) == []
