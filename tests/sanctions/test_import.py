"""Importing list snapshots: idempotent, delisting by date, as-of answers, markings.

Every test runs on SQLite and PostgreSQL (the ``engine`` fixture); the importer is driven
as the browser and the job queue drive it (``importer_named("sanctions")``) or as the
command line does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Forbidden, Invalid, NotFound
from coalition.core.importing import Cancelled, Hooks, importer_named
from coalition.core.sniff import sniff
from coalition.sanctions import ingest, service
from coalition.sanctions.model import Entity, ListSnapshot
from tests.world import World

D1, D2, D3 = dt.date(2025, 2, 24), dt.date(2025, 3, 14), dt.date(2025, 4, 1)


def person(n: int, name: str | None = None) -> dict[str, Any]:
    return {
        "id": f"p{n}",
        "schema": "Person",
        "properties": {"name": [name or f"Person {n}"], "nationality": ["ru"]},
    }


def vessel(n: int) -> dict[str, Any]:
    return {
        "id": f"v{n}",
        "schema": "Vessel",
        "properties": {"name": [f"VESSEL {n}"], "imoNumber": ["IMO 1000007"]},
    }


def write(path: Path, *entities: dict[str, Any], tail: bytes = b"") -> Path:
    path.write_bytes(b"".join(json.dumps(e).encode() + b"\n" for e in entities) + tail)
    return path


def run(
    engine: Engine,
    world: World,
    path: Path,
    day: dt.date,
    *,
    user: str = "sec.admin",
    code: str = "us_ofac_sdn",
    marking: str = "PUBLIC",
    key: str = "0123456789abcdef",
    hooks: Hooks | None = None,
    rel_to: str = "",
) -> Any:
    options = {"list": code, "snapshot_date": day.isoformat(), "marking": marking}
    if rel_to:
        options["rel_to"] = rel_to
    return importer_named("sanctions").run(
        engine, world.principal(user), path, "ftm", options, key, hooks or Hooks()
    )


def listed(engine: Engine, world: World, user: str | None, **filters: Any) -> list[str]:
    with transaction(engine) as session:
        page = service.list_entities(session, world.principal(user), **filters)
    return sorted(e.entity_id for e in page.items)


def test_the_importer_is_registered_guessed_and_previews_without_writing(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = write(tmp_path / "entities.ftm.json", person(1), {"id": "x", "schema": "Nope"})
    sanctions = importer_named("sanctions")
    assert sanctions.guess(sniff(path.read_bytes())) == "ftm"
    assert sanctions.guess(sniff(b"a,b\n1,2\n")) is None
    with transaction(engine) as session:
        seen = sanctions.preview(session, world.principal("sec.admin"), path, "ftm", {})
        with pytest.raises(Invalid):
            sanctions.preview(session, world.principal("sec.admin"), path, "csv", {})
    assert seen.rows == [(1, ["p1", "Person", "Person 1", "name, nationality"])]
    assert seen.problems == [(2, "unknown schema 'Nope'")]
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Entity)) == 0
    with pytest.raises(Invalid, match="list"):
        sanctions.run(engine, world.principal("sec.admin"), path, "ftm", {}, "0" * 16, Hooks())


def test_a_reimport_changes_nothing_and_a_later_snapshot_delists(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.json", person(1), person(2), vessel(1))
    outcome = run(engine, world, first, D1)
    assert dict(outcome.counts) == {
        "read": 3,
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    again = run(engine, world, first, D1, key="fedcba9876543210")
    assert again.counts["inserted"] == 0 and again.counts["unchanged"] == 3
    # The next snapshot drops p2 and renames p1.
    second = write(tmp_path / "b.json", person(1, "Renamed One"), vessel(1))
    later = run(engine, world, second, D2, key="1111111111111111")
    assert later.counts["updated"] == 1 and later.counts["unchanged"] == 1
    assert later.found["delisted"] == 1
    assert listed(engine, world, None) == ["p1", "v1"]
    assert listed(engine, world, None, as_of=D1) == ["p1", "p2", "v1"]
    assert listed(engine, world, None, as_of=D2) == ["p1", "v1"]
    assert listed(engine, world, None, as_of=D1 - dt.timedelta(days=1)) == []
    # p2 listed again: a new period, and the past answers stay as they were.
    third = write(tmp_path / "c.json", person(1, "Renamed One"), person(2), vessel(1))
    run(engine, world, third, D3, key="2222222222222222")
    assert listed(engine, world, None, as_of=D2) == ["p1", "v1"]
    assert listed(engine, world, None, as_of=D3) == ["p1", "p2", "v1"]
    with transaction(engine) as session:
        p1 = service.get_entity(session, world.principal(None), "us_ofac_sdn", "p1")
        p2 = service.get_entity(session, world.principal(None), "us_ofac_sdn", "p2")
        assert audit.verify(session).ok
    assert p1.properties["name"] == ["Renamed One"] and p1.caption == "Renamed One"
    assert p1.periods[0].changes[0]["properties"]["name"] == ["Person 1"]
    assert [(p.first_seen, p.listed_until) for p in p2.periods] == [(D1, D2), (D3, None)]


def test_snapshots_go_in_date_order_and_a_day_has_one_file(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    run(engine, world, write(tmp_path / "a.json", person(1)), D2)
    with pytest.raises(Invalid, match="date order"):
        run(engine, world, write(tmp_path / "b.json", person(2)), D1)
    with pytest.raises(Invalid, match="another file"):
        run(engine, world, write(tmp_path / "c.json", person(3)), D2)


def test_a_file_cut_mid_line_keeps_its_whole_lines_and_delists_nothing(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    run(engine, world, write(tmp_path / "a.json", person(1), person(2)), D1)
    cut = write(tmp_path / "cut.json", person(1), tail=b'{"id": "p2", "sche')
    outcome = run(engine, world, cut, D2)
    assert outcome.broken and "line 2" in outcome.broken
    assert listed(engine, world, None) == ["p1", "p2"]  # p2 is not delisted by half a file
    with transaction(engine) as session:
        snapshot = session.scalars(select(ListSnapshot).where(ListSnapshot.taken_on == D2)).one()
        assert not snapshot.complete


def test_rejects_name_their_lines_and_a_stopped_run_keeps_whole_batches(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BATCH", 2)
    path = tmp_path / "a.json"
    path.write_bytes(
        b"".join(json.dumps(person(i)).encode() + b"\n" for i in range(3))
        + b"{bad\n"
        + json.dumps({"id": "x", "schema": "Starship"}).encode()
        + b"\n"
        + json.dumps(person(1, "Other")).encode()
        + b"\n"
    )
    refused: list[tuple[int, str, str]] = []
    with pytest.raises(Cancelled):
        run(engine, world, path, D1, hooks=Hooks(stop_requested=lambda: True))
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Entity)) == 2  # one batch
    outcome = run(engine, world, path, D1, hooks=Hooks(reject=lambda *r: refused.append(r)))
    assert [r[0] for r in refused] == [4, 5, 6]
    assert "other properties" in refused[2][1]
    assert outcome.counts["inserted"] == 1 and outcome.counts["unchanged"] == 2


def test_a_national_list_is_seen_by_its_member_only(
    engine: Engine, world: World, tmp_path: Path, client_for: Any
) -> None:
    path = write(tmp_path / "a.json", person(1), vessel(1))
    run(engine, world, path, D1, user="gbr.contributor", code="gb_national", marking="NATIONAL")
    assert listed(engine, world, "gbr.viewer") == ["p1", "v1"]
    assert listed(engine, world, "fra.viewer") == []
    with transaction(engine) as session:
        with pytest.raises(NotFound):
            service.get_entity(session, world.principal("fra.viewer"), "gb_national", "p1")
        assert service.list_lists(session, world.principal("fra.viewer")) == []
        (mine,) = service.list_lists(session, world.principal("gbr.viewer"))
    assert mine.listed == 2 and mine.latest_snapshot == D1
    fra, gbr = client_for("fra.viewer"), client_for("gbr.viewer")
    assert fra.get("/api/v1/sanctions/entities/gb_national/p1").status_code == 404
    assert fra.get("/api/v1/sanctions/entities").json()["total"] == 0
    assert fra.get("/api/v1/sanctions/lists").json() == []
    assert gbr.get("/api/v1/sanctions/entities").json()["total"] == 2
    assert "VESSEL 1" not in fra.get("/sanctions/entities").text
    # Released as the upload form sends it (codes as typed): FRA sees, GBR does not.
    run(engine, world, path, D1, code="eu_fsf", marking="REL_TO", rel_to="FRA, DEU")
    assert listed(engine, world, "fra.viewer", list="eu_fsf") == ["p1", "v1"]
    assert listed(engine, world, "gbr.viewer", list="eu_fsf") == []
    # Only the list's member (or the secretariat) imports into it.
    with pytest.raises(Forbidden):
        run(engine, world, path, D2, user="pol.contributor", code="gb_national")


def test_the_api_filters_and_names_a_bad_parameter(
    engine: Engine, world: World, tmp_path: Path, client: Any
) -> None:
    run(engine, world, write(tmp_path / "a.json", person(1), vessel(1)), D1)
    run(engine, world, write(tmp_path / "b.json", vessel(1)), D2, key="1" * 16)
    lists = client.get("/api/v1/sanctions/lists").json()
    assert [(x["code"], x["listed"], x["latest_snapshot"]) for x in lists] == [
        ("us_ofac_sdn", 1, "2025-03-14")
    ]
    rows = client.get("/api/v1/sanctions/entities", params={"schema": "Vessel"}).json()
    assert [r["entity_id"] for r in rows["items"]] == ["v1"]
    old = client.get("/api/v1/sanctions/entities", params={"as_of": "2025-02-24", "q": "person"})
    assert [r["entity_id"] for r in old.json()["items"]] == ["p1"]
    for name, value in (("as_of", "24/02/2025"), ("schema", "Starship"), ("list", "Bad Code")):
        response = client.get("/api/v1/sanctions/entities", params={name: value})
        assert response.status_code == 422 and name in response.text, (name, response.text)
    detail = client.get("/api/v1/sanctions/entities/us_ofac_sdn/p1").json()
    assert detail["listed_until"] == "2025-03-14"
    assert client.get("/api/v1/sanctions/entities/us_ofac_sdn/nope").status_code == 404
    page = client.get("/sanctions/entities/us_ofac_sdn/v1")
    assert page.status_code == 200 and "IMO Number" in page.text
    assert client.get("/sanctions/entities", params={"as_of": "yesterday"}).status_code == 422
    assert "us_ofac_sdn" in client.get("/sanctions").text


def test_the_command_imports_prints_the_summary_and_fails_on_a_cut_file(
    engine: Engine,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from coalition import cli
    from coalition.members import acting
    from coalition.sanctions import commands

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    whole = write(tmp_path / "a.json", person(1), {"id": "x", "schema": "Nope"})
    argv = ["import", "sanctions", str(whole), "--list", "eu_fsf", "--date", "2025-02-24"]
    assert cli.main([*argv, "--as", "sec.admin"]) == 0
    out = capsys.readouterr().out
    assert "read 2, inserted 1, unchanged 0, rejected 1" in out
    assert (tmp_path / "a.json.rejects.csv").read_text().splitlines()[1].startswith('"2",')
    cut = write(tmp_path / "cut.json", person(1), tail=b'{"id": ')
    argv = ["import", "sanctions", str(cut), "--list", "eu_fsf", "--date", "2025-03-01"]
    assert cli.main([*argv, "--as", "sec.admin"]) != 0
    captured = capsys.readouterr()
    assert "breaks off at line 2" in captured.out + captured.err
    assert cli.main(["sanctions", "entities", "--list", "eu_fsf", "--format", "json"]) == 0
    assert [e["entity_id"] for e in json.loads(capsys.readouterr().out)] == ["p1"]


def test_a_list_counts_its_targets_not_the_sanctions_that_designate_them(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    designation = {
        "id": "p1-s",
        "schema": "Sanction",
        "properties": {"entity": ["p1"], "program": ["RUSSIA-EO14024"]},
    }
    run(engine, world, write(tmp_path / "a.json", person(1), designation, vessel(1)), D1)
    with transaction(engine) as session:
        (counted,) = service.list_lists(session, world.principal("gbr.viewer"))
    assert counted.listed == 2
