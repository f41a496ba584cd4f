"""The situation's commands end to end on both databases: territory files of each layout
imported (and refused clearly), areas and changes read, fact-checks imported and exported."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import Engine, func, select

from coalition.core.db import transaction
from coalition.situation import claimreview
from coalition.situation.model import Claim, Review, Snapshot
from tests.situation.test_territory import HELD_1, HELD_2, HELD_3
from tests.world import World


@pytest.fixture
def cli_on(engine: Engine, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from coalition import cli
    from coalition.members import acting
    from coalition.situation import commands

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    return cli.main


def history(*days: tuple[str, Any], layer: str | None = None) -> bytes:
    features = []
    for day, shape in days:
        properties: dict[str, Any] = {"date": day}
        if layer:
            properties["status"] = layer
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(shape)})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def run(cli_on: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_on(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_read_and_change_end_to_end(
    cli_on: Any, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "history.geojson.gz"
    path.write_bytes(
        gzip.compress(
            history(("2025-03-01", HELD_1), ("2025-03-06", HELD_2), ("2025-03-11", HELD_3))
        )
    )
    argv = ["import", "territory", str(path), "--source", "osint", "--as", "gbr.monitor"]
    code, out, _ = run(cli_on, capsys, *argv)
    assert code == 0 and "read 3, inserted 3, unchanged 0, rejected 0" in out
    code, out, _ = run(cli_on, capsys, *argv)
    assert code == 0 and "read 3, inserted 0, unchanged 3, rejected 0" in out
    code, out, _ = run(
        cli_on, capsys, "territory", "area", "--source", "osint", "--date", "2025-03-08",
        "--format", "json", "--as", "fra.viewer",
    )  # fmt: skip
    assert code == 0
    area = json.loads(out)
    assert area["taken_on"] == "2025-03-06" and area["area_km2"] > 0
    code, out, _ = run(
        cli_on, capsys, "territory", "change", "--source", "osint", "--from", "2025-03-01",
        "--to", "2025-03-11", "--format", "json", "--as", "fra.viewer",
    )  # fmt: skip
    assert code == 0
    change = json.loads(out)
    assert change["later_km2"] == pytest.approx(
        change["earlier_km2"] + change["gained_km2"] - change["lost_km2"], abs=0.01
    )
    assert {"UA-14", "UA-23"} <= {r["code"] for r in change["regions"]}
    code, out, _ = run(cli_on, capsys, "territory", "series", "--source", "osint")
    assert code == 0 and out.count("km²") == 0  # COALITION snapshots: the public sees none
    code, out, _ = run(
        cli_on, capsys, "territory", "series", "--source", "osint", "--as", "fra.viewer"
    )
    assert code == 0 and out.count("km²") == 3


def test_a_one_day_file_takes_its_day_from_the_option_or_its_name(
    cli_on: Any, engine: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = tmp_path / "deepstate-2025-03-01.geojson"
    named.write_text(json.dumps(mapping(shapely.MultiPolygon([HELD_1]))))
    code, out, _ = run(
        cli_on,
        capsys,
        "import",
        "territory",
        str(named),
        "--source",
        "deepstate",
        "--as",
        "gbr.monitor",
    )
    assert code == 0 and "inserted 1" in out
    undated = tmp_path / "today.geojson"
    undated.write_text(json.dumps(mapping(HELD_2)))
    argv = ["import", "territory", str(undated), "--source", "deepstate", "--as", "gbr.monitor"]
    code, _, err = run(cli_on, capsys, *argv)
    assert code != 0 and "date" in err
    code, out, _ = run(cli_on, capsys, *argv, "--date", "2025-03-02")
    assert code == 0 and "inserted 1" in out
    with transaction(engine) as session:
        days = sorted(session.scalars(select(Snapshot.taken_on)))
    assert [d.isoformat() for d in days] == ["2025-03-01", "2025-03-02"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "empty"),
        (b"not json at all", "JSON"),
        ('{"type":"Polygon"}'.encode("utf-16"), "UTF"),
        (
            b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"date":"2025-03-01"},"geometry":{"type":"Point","coordinates":[37,48]}}]}',
            "point",
        ),
        (gzip.compress(b"\0" * 10), ""),
    ],
)
def test_bad_files_fail_with_a_reason_and_never_exit_0(
    cli_on: Any,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    says: str,
) -> None:
    path = tmp_path / "bad-2025-03-01.geojson"
    path.write_bytes(body)
    argv = ["import", "territory", str(path), "--source", "osint", "--as", "gbr.monitor"]
    code, out, err = run(cli_on, capsys, *argv)
    assert code != 0, out
    assert says.lower() in (out + err).lower()
    assert "Traceback" not in err


def test_a_file_cut_short_keeps_the_days_before_and_fails(
    cli_on: Any, engine: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = history(("2025-03-01", HELD_1), ("2025-03-06", HELD_2), ("2025-03-11", HELD_3))
    path = tmp_path / "cut.geojson"
    path.write_bytes(whole[: int(len(whole) * 0.8)])
    code, _, err = run(
        cli_on, capsys, "import", "territory", str(path), "--source", "osint", "--as", "gbr.monitor"
    )
    assert code != 0 and "not read to its end" in err
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Snapshot)) >= 1


def test_fact_checks_import_once_and_export_as_valid_claimreview(
    cli_on: Any, engine: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from coalition.situation.verdicts import Rating

    doc = claimreview.to_claimreview(
        claimreview.ClaimFacts(
            summary="Ukrainian forces in Kursk are encircled",
            claimant="A head of state",
            claimed_at=dt.datetime(2025, 3, 13, 18, tzinfo=dt.UTC),
        ),
        claimreview.ReviewFacts(
            reviewer="An analytic body",
            reviewed_at=dt.datetime(2025, 3, 14, 22, tzinfo=dt.UTC),
            rating=Rating.FALSE,
            url="https://example.org/review",
        ),
        "https://example.org/review",
    )
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([doc, {"@type": "ClaimReview"}]))
    argv = ["import", "claimreview", str(path), "--as", "gbr.monitor"]
    code, out, err = run(cli_on, capsys, *argv)
    assert code == 0 and "claims added 1, reviews added 1" in out and "not read" in err
    code, out, _ = run(cli_on, capsys, *argv)
    assert code == 0 and "claims added 0, reviews added 0" in out
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 1
        claim_id = session.scalar(select(Claim.id))
    code, out, _ = run(cli_on, capsys, "claims", "list")
    assert code == 0 and "refuted" in out  # PUBLIC: the public reads it
    code, out, _ = run(cli_on, capsys, "claims", "export", str(claim_id))
    exported = json.loads(out)
    assert len(exported) == 1 and claimreview.validate(exported[0]) == []
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(cli_on, capsys, "import", "claimreview", str(bad), "--as", "gbr.monitor")
    assert code != 0 and "not JSON" in err
