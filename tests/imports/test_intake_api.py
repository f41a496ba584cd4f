"""Files sent to the API: streamed in, sniffed, previewed, run in the background, followed,
and refused whole when too large, of another kind or not the sender's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coalition.api import create_app
from coalition.core.settings import get_settings
from tests.imports.conftest import finish, report_file
from tests.world import World

UPLOADS = "/api/v1/uploads"


def test_upload_preview_start_and_follow_a_run(
    engine: Engine, world: World, uploads: Path, client_for
) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("gbr.monitor")
    sent = monitor.post(
        UPLOADS,
        params={"importer": "reports", "name": "week.csv"},
        content=report_file(40, frozenset({3})),
    )
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert (body["guessed"], body["layout"], body["kind"], body["refused"]) == (
        "csv",
        "csv",
        "delimited",
        None,
    )
    assert body["preview"]["problems"][0][0] == 5 and len(body["preview"]["rows"]) == 10
    assert body["preview"]["mapping"]["source_id"] == "source_id"
    token = body["token"]
    # Read as ACLED, the preview names the columns it lacks; nobody else sees the upload.
    acled = monitor.get(f"{UPLOADS}/{token}", params={"importer": "reports", "layout": "acled"})
    assert "event_id_cnty" in acled.json()["refused"]
    other = client_for("fra.monitor").get(f"{UPLOADS}/{token}", params={"importer": "reports"})
    assert other.status_code == 404
    started = monitor.post(
        f"{UPLOADS}/{token}/runs",
        json={"importer": "reports", "layout": "csv", "marking": "NATIONAL"},
    )
    assert started.status_code == 202, started.text
    key = started.json()["key"]
    assert started.json()["state"] == "queued"
    finish(engine)
    progress = monitor.get(f"/api/v1/imports/{key}/progress").json()
    assert progress["state"] == "done" and progress["counts"]["inserted"] == 39
    assert progress["counts"]["rejected"] == 1 and progress["fraction"] == 1.0
    rejects = monitor.get(f"/api/v1/imports/{key}/rejects").json()
    assert [r["line"] for r in rejects["items"]] == [5]
    # A NATIONAL run is its member's: its progress and counts are nobody else's.
    assert client_for("fra.monitor").get(f"/api/v1/imports/{key}/progress").status_code == 404
    # The same file again is recognised before it runs.
    again = monitor.post(
        UPLOADS,
        params={"importer": "reports", "name": "week.csv"},
        content=report_file(40, frozenset({3})),
    )
    assert key in again.json()["earlier"]


def test_a_member_system_imports_in_one_call(
    engine: Engine, world: World, uploads: Path, client_for
) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("gbr.monitor")
    sent = monitor.post(
        "/api/v1/imports",
        params={
            "importer": "reports",
            "layout": "csv",
            "name": "feed.csv",
            "option": "date_order=dmy",
        },
        content=report_file(12),
    )
    assert sent.status_code == 202, sent.text
    finish(engine)
    key = sent.json()["key"]
    run = monitor.get(f"/api/v1/imports/{key}").json()
    assert run["inserted"] == 12 and run["options"]["date_order"] == "dmy"
    # A file sent with a layout its importer does not read is refused, and not kept.
    refused = monitor.post(
        "/api/v1/imports",
        params={"importer": "commitments", "layout": "acled"},
        content=report_file(2),
    )
    assert refused.status_code == 422 and list(uploads.glob("*.json")) == []


def test_files_of_another_kind_are_caught_at_the_preview(
    engine: Engine, world: World, uploads: Path, client_for
) -> None:  # type: ignore[no-untyped-def]
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    sent = client_for("gbr.monitor").post(UPLOADS, params={"importer": "reports"}, content=png)
    body = sent.json()
    assert sent.status_code == 201 and body["guessed"] is None and body["preview"] is None
    assert "not a file any importer reads" in body["refused"]
    pledges = client_for("gbr.contributor").post(
        UPLOADS, params={"importer": "commitments"}, content=report_file(3)
    )
    assert pledges.json()["refused"] and "member" in pledges.json()["refused"]


@pytest.mark.parametrize(
    ("user", "params", "status"),
    [
        ("gbr.viewer", {"importer": "reports"}, 403),
        (None, {"importer": "reports"}, 403),
        ("gbr.monitor", {"importer": "nothing"}, 404),
        ("gbr.monitor", {"importer": "Reports; DROP"}, 422),
        ("gbr.monitor", {"importer": "reports", "name": "x" * 301}, 422),
        ("gbr.monitor", {"importer": "reports", "layout": "../../etc"}, 422),
    ],
)
def test_refused_senders_and_hostile_parameters_store_nothing(
    engine: Engine,
    world: World,
    uploads: Path,
    client_for,
    user: str | None,
    params: dict[str, str],
    status: int,
) -> None:  # type: ignore[no-untyped-def]
    sent = client_for(user).post(UPLOADS, params=params, content=report_file(2))
    assert sent.status_code == status, sent.text
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_bad_tokens_and_keys(engine: Engine, world: World, uploads: Path, client_for) -> None:  # type: ignore[no-untyped-def]
    monitor = client_for("gbr.monitor")
    assert monitor.get(f"{UPLOADS}/..%2F..%2Fetc", params={"importer": "reports"}).status_code in (
        404,
        422,
    )
    assert monitor.get(f"{UPLOADS}/{'a' * 22}", params={"importer": "reports"}).status_code == 404
    assert monitor.post("/api/v1/imports/0123456789abcdef/cancel").status_code == 404
    assert monitor.post("/api/v1/imports/not-a-key/resume").status_code == 422


def test_an_oversized_upload_is_refused_before_it_fills_the_disk(
    engine: Engine, world: World, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_MAX_UPLOAD_BYTES", "4096")
    get_settings.cache_clear()
    app = create_app(engine)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        client.headers["Authorization"] = f"Bearer {world.tokens['gbr.monitor']}"
        big = report_file(200)
        assert len(big) > 4096
        sent = client.post(UPLOADS, params={"importer": "reports"}, content=big)
        assert sent.status_code == 413 and sent.json()["error"]["code"] == "too_large"

        def pieces() -> Iterator[bytes]:  # no declared length: refused as it streams
            for start in range(0, len(big), 1000):
                yield big[start : start + 1000]

        streamed = client.post(UPLOADS, params={"importer": "reports"}, content=pieces())
        assert streamed.status_code == 413
        # Other paths keep the ordinary limit; the upload path takes up to its own.
        small = client.post(UPLOADS, params={"importer": "reports"}, content=report_file(5))
        assert small.status_code == 201
    files = [p for p in uploads.iterdir() if not p.name.endswith(".json")]
    assert len(files) == 1  # the one accepted; nothing of the refused two
