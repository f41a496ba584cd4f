"""The HTTP API, the pages' forms and the command line, on both databases."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from coalition import cli
from coalition.commitments import commands
from tests.world import World

PLEDGE = {
    "member": "GBR",
    "announced_on": "2025-03-02",
    "category": "military",
    "item": "Bridging equipment",
    "quantity": "12",
    "unit": "bridges",
    "value": "24000000",
    "currency": "GBP",
    "marking": "PUBLIC",
}


def test_record_deliver_and_read_back(client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    officer = client_for("gbr.contributor")
    created = officer.post("/api/v1/commitments", json=PLEDGE)
    assert created.status_code == 201, created.text
    body = created.json()
    record = body["id"]
    assert body["value_eur"] is not None and body["rate_date"] == "2025-02-28"
    delivered = officer.post(
        f"/api/v1/commitments/{record}/deliveries",
        json={"delivered_on": "2025-04-01", "quantity": "5", "value": "10000000"},
    )
    assert delivered.status_code == 201, delivered.text
    too_much = officer.post(
        f"/api/v1/commitments/{record}/deliveries",
        json={"delivered_on": "2025-04-02", "quantity": "8"},
    )
    assert too_much.status_code == 422
    assert "beyond the 12" in too_much.json()["error"]["detail"]
    public = client_for(None)
    assert public.get(f"/api/v1/commitments/{record}").json()["delivered_quantity"] == "5.000"
    assert len(public.get(f"/api/v1/commitments/{record}/deliveries").json()) == 1
    # The delivery moved the status on: part of it has arrived.
    moved = public.get(f"/api/v1/commitments/{record}").json()
    assert (moved["status"], moved["revision"]) == ("in_delivery", 2)
    early = officer.patch(
        f"/api/v1/commitments/{record}", json={"revision": 2, "status": "delivered"}
    )
    assert early.status_code == 422 and "come to 42%" in early.text
    changed = officer.patch(
        f"/api/v1/commitments/{record}", json={"revision": 2, "item": "Bridging kits"}
    )
    assert changed.json()["revision"] == 3
    stale = officer.patch(f"/api/v1/commitments/{record}", json={"revision": 1, "item": "x"})
    assert stale.status_code == 409
    revisions = public.get(f"/api/v1/commitments/{record}/revisions").json()
    assert [r["revision"] for r in revisions] == [1, 2, 3]
    assert client_for("fra.contributor").post("/api/v1/commitments", json=PLEDGE).status_code == 403
    assert public.post("/api/v1/commitments", json=PLEDGE).status_code == 401


def test_filters_pages_and_summary(client_for) -> None:  # type: ignore[no-untyped-def]
    officer = client_for("gbr.contributor")
    for i, category in enumerate(["military", "financial", "training"]):
        officer.post(
            "/api/v1/commitments",
            json={**PLEDGE, "category": category, "item": f"Item {i}", "value": f"{i + 1}000"},
        )
    public = client_for(None)
    page = public.get("/api/v1/commitments", params={"limit": 2}).json()
    assert (page["total"], len(page["items"])) == (3, 2)
    assert public.get("/api/v1/commitments", params={"category": "training"}).json()["total"] == 1
    assert public.get("/api/v1/commitments", params={"member": "FRA"}).json()["total"] == 0
    assert public.get("/api/v1/commitments", params={"since": "2025-04-01"}).json()["total"] == 0
    summary = public.get("/api/v1/commitments/summary").json()
    assert summary["commitments"] == 3
    assert [m["member"] for m in summary["by_member"]] == ["GBR"]
    assert public.get("/api/v1/commitments/not-an-id").status_code == 404
    overflow = public.get("/api/v1/commitments", params={"as_of": "0001-01-01T00:00:00+01:00"})
    assert overflow.status_code == 422
    past = public.get("/api/v1/commitments", params={"as_of": "2020-01-01T00:00:00Z"})
    assert past.json()["total"] == 0


def test_the_anonymous_export_is_public_records_only(client_for) -> None:  # type: ignore[no-untyped-def]
    officer = client_for("gbr.contributor")
    officer.post("/api/v1/commitments", json={**PLEDGE, "item": "open item"})
    officer.post(
        "/api/v1/commitments", json={**PLEDGE, "item": "coalition item", "marking": "COALITION"}
    )
    public = client_for(None)
    csv_body = public.get("/api/v1/commitments/export", params={"format": "csv"}).text
    assert "open item" in csv_body and "coalition item" not in csv_body
    data = public.get("/api/v1/commitments/export", params={"format": "json"}).json()
    assert [c["item"] for c in data["commitments"]] == ["open item"]
    xlsx = public.get("/api/v1/commitments/export", params={"format": "xlsx"}).content
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames == ["Marking", "Commitments"]
    assert next(book["Marking"].iter_rows(values_only=True)) == ("Marking", "PUBLIC")
    sheet = book["Commitments"]
    items = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert items == ["open item"]
    signed_in = client_for("fra.viewer").get("/api/v1/commitments/export?format=json").json()
    assert len(signed_in["commitments"]) == 2
    assert data["marking"] == "PUBLIC" and signed_in["marking"] == "COALITION"
    assert csv_body.startswith("# marking: PUBLIC\r\n")
    fra_csv = client_for("fra.viewer").get("/api/v1/commitments/export?format=csv").text
    assert fra_csv.startswith("# marking: COALITION\r\n")


def test_the_page_form_records_a_commitment(client_for) -> None:  # type: ignore[no-untyped-def]
    officer = client_for("gbr.contributor")
    form_page = officer.get("/commitments/new")
    assert form_page.status_code == 200
    token = form_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    bad = officer.post(
        "/commitments/new",
        data={**PLEDGE, "rel_to": "", "csrf_token": token, "value": "-5"},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "alert" in bad.text
    good = officer.post(
        "/commitments/new",
        data={**PLEDGE, "rel_to": "", "csrf_token": token, "date_precision": "day"},
        follow_redirects=False,
    )
    assert good.status_code == 303, good.text
    detail = officer.get(good.headers["location"])
    assert "Bridging equipment" in detail.text
    record = good.headers["location"].rsplit("/", 1)[1]
    over = officer.post(
        f"/commitments/{record}/deliveries",
        data={"csrf_token": token, "delivered_on": "2025-04-01", "quantity": "13"},
    )
    assert over.status_code == 422 and "beyond the 12" in over.text
    listing = officer.get("/commitments")
    assert "Bridging equipment" in listing.text and "<svg" in listing.text


def test_the_command_line_imports_and_exports(
    engine: Engine,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from importlib.resources import files

    from coalition.members import acting

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)  # who --as names
    sample = tmp_path / "kiel.csv"
    sample.write_text((files("coalition") / "data" / "kiel_sample.csv").read_text("utf-8"))
    argv = ["import", "commitments", str(sample), "--format", "kiel", "--as", "sec.contributor"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "read 10, inserted 8" in out and "rejects.csv" in out
    assert "registered 2 donors outside the coalition as partners" in out
    assert (tmp_path / "kiel.csv.rejects.csv").exists()
    assert cli.main(argv) == 0
    assert "inserted 0, updated 0, unchanged 8" in capsys.readouterr().out
    assert cli.main(["import", "commitments", str(sample), "--format", "kiel"]) != 0
    target = tmp_path / "open.json"
    assert cli.main(["export", "commitments", "--format", "json", "-o", str(target)]) == 0
    assert all(
        c["marking"]["marking"] == "PUBLIC" for c in json.loads(target.read_text())["commitments"]
    )
    assert (
        cli.main(
            [
                "import",
                "commitments",
                str(tmp_path / "missing.csv"),
                "--format",
                "csv",
                "--as",
                "sec.contributor",
            ]
        )
        == 2
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_exports_are_deterministic(client_for, fmt: str) -> None:  # type: ignore[no-untyped-def]
    client_for("gbr.contributor").post("/api/v1/commitments", json=PLEDGE)
    public = client_for(None)
    url = f"/api/v1/commitments/export?format={fmt}"
    assert public.get(url).content == public.get(url).content


def test_hidden_commitments_change_no_export_figure_or_chart(engine, client_for) -> None:  # type: ignore[no-untyped-def]
    from coalition.core.db import transaction
    from coalition.core.marking import Marking
    from tests.marking_registry import _commitment

    with transaction(engine) as session:
        _commitment(session, "GBR", Marking.PUBLIC, [], "seen")
        _commitment(session, "FRA", Marking.COALITION, [], "seen too")
    urls = [
        *(f"/api/v1/commitments/export?format={f}" for f in ("csv", "json", "xlsx")),
        "/api/v1/commitments/summary?category=military",
        "/api/v1/commitments?member=POL",
        "/commitments?category=military",
        "/commitments?member=POL",
    ]
    readers = {r: client_for(r) for r in (None, "gbr.viewer", "fra.viewer", "sec.admin")}
    before = {(r, u): c.get(u).content for r, c in readers.items() for u in urls}
    with transaction(engine) as session:
        _commitment(session, "POL", Marking.NATIONAL, [], "hidden-national")
        _commitment(session, "POL", Marking.REL_TO, ["DEU"], "hidden-release")
    for (reader, url), old in before.items():
        assert readers[reader].get(url).content == old, (reader, url)
