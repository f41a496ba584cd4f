"""Territory snapshots on both databases: storing, areas, changes, comparisons, the map,
and markings holding in every one of them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import shapely
from sqlalchemy import Engine, func, select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.marking import Marking
from coalition.situation import geometry, territory
from coalition.situation.model import Shape, Snapshot
from tests.world import World

D1, D2, D3 = dt.date(2025, 3, 1), dt.date(2025, 3, 6), dt.date(2025, 3, 11)
# Ground in Donetsk oblast, then more of it reaching into Zaporizhzhia, then some given up.
HELD_1 = shapely.box(37.5, 47.8, 38.2, 48.4)
HELD_2 = shapely.union(HELD_1, shapely.box(36.6, 47.3, 37.6, 47.9))
HELD_3 = shapely.difference(HELD_2, shapely.box(37.9, 48.1, 38.3, 48.5))


def put(
    engine: Engine,
    world: World,
    shape: Any,
    day: dt.date,
    *,
    source: str = "osint",
    user: str = "gbr.monitor",
    marking: Marking = Marking.COALITION,
    layer: str = "held",
    method: str = "",
) -> territory.Stored:
    with transaction(engine) as session:
        stored = territory.store(
            session,
            world.principal(user),
            source,
            day,
            layer,
            shape,
            territory.Labels(method=method, marking=marking),
        )
        session.expunge(stored.snapshot)
        return stored


def test_a_snapshot_stores_its_true_area_and_its_regions_once(engine: Engine, world: World) -> None:
    first = put(engine, world, HELD_1, D1)
    assert first.outcome == "inserted"
    assert first.snapshot.area_km2 == pytest.approx(geometry.area_km2(HELD_1), abs=0.001)
    with transaction(engine) as session:
        row = session.get(Snapshot, first.snapshot.id)
        assert row is not None
        regions = {r.region_code: r.area_km2 for r in row.regions}
    assert set(regions) == {"UA-14"}  # Donetsk
    assert sum(regions.values()) == pytest.approx(row.area_km2, rel=1e-6)
    # The same polygon again (rings turned the other way) changes nothing.
    again = put(engine, world, shapely.orient_polygons(HELD_1, exterior_cw=True), D1)
    assert again.outcome == "unchanged"
    # Another polygon for the same source, day and layer replaces it, audited.
    replaced = put(engine, world, HELD_2, D1)
    assert replaced.outcome == "updated" and replaced.snapshot.id == first.snapshot.id
    with transaction(engine) as session:
        shapes = session.scalar(select(func.count(func.distinct(Shape.sha256))))
        assert shapes == 2
        assert audit.verify(session).ok


def test_only_analysts_record_and_a_hidden_source_is_not_overwritten(
    engine: Engine, world: World
) -> None:
    with pytest.raises(Forbidden):
        put(engine, world, HELD_1, D1, user="gbr.viewer")
    put(engine, world, HELD_1, D1, source="gbr-assessment", marking=Marking.NATIONAL)
    with pytest.raises(Conflict):
        put(engine, world, HELD_2, D1, source="gbr-assessment", user="fra.monitor")
    with pytest.raises(Invalid):
        put(engine, world, HELD_1, D1, source="Bad Name")


def test_area_change_and_series_follow_the_snapshots(engine: Engine, world: World) -> None:
    for shape, day in ((HELD_1, D1), (HELD_2, D2), (HELD_3, D3)):
        put(engine, world, shape, day)
    reader = world.principal("fra.viewer")
    with transaction(engine) as session:
        # A day without its own snapshot reads the latest before it.
        on = territory.snapshot_on(session, reader, "osint", D2 + dt.timedelta(days=2))
        assert on.taken_on == D2
        with pytest.raises(NotFound):
            territory.snapshot_on(session, reader, "osint", D1 - dt.timedelta(days=1))
        found = territory.change(session, reader, "osint", D1, D3)
        points = territory.series(session, reader, "osint")
    assert found.later_km2 == pytest.approx(
        found.earlier_km2 + found.gained_km2 - found.lost_km2, abs=0.01
    )
    assert found.gained_km2 > 0 and found.lost_km2 > 0
    by_code = {r.code: r for r in found.regions}
    assert by_code["UA-23"].gained_km2 > 0  # Zaporizhzhia gained
    assert by_code["UA-14"].lost_km2 > 0  # Donetsk partly given up
    assert sum(r.gained_km2 for r in found.regions) == pytest.approx(found.gained_km2, rel=1e-3)
    assert [p.day for p in points] == [D1, D2, D3]


def test_a_national_assessment_reaches_no_other_nation(engine: Engine, world: World) -> None:
    put(engine, world, HELD_1, D1, source="gbr-assessment", marking=Marking.NATIONAL)
    put(engine, world, HELD_2, D2, source="gbr-assessment", marking=Marking.NATIONAL)
    put(engine, world, HELD_1, D1)
    gbr, fra = world.principal("gbr.viewer"), world.principal("fra.viewer")
    with transaction(engine) as session:
        assert {s.source for s in territory.sources(session, gbr)} == {"gbr-assessment", "osint"}
        assert {s.source for s in territory.sources(session, fra)} == {"osint"}
        assert territory.series(session, fra, "gbr-assessment") == []
        for ask in (
            lambda: territory.snapshot_on(session, fra, "gbr-assessment", D2),
            lambda: territory.change(session, fra, "gbr-assessment", D1, D2),
            lambda: territory.compare(session, fra, "osint", "gbr-assessment", D1),
        ):
            with pytest.raises(NotFound):
                ask()
        assert territory.change(session, gbr, "gbr-assessment", D1, D2).gained_km2 > 0


def test_two_sources_side_by_side(engine: Engine, world: World) -> None:
    put(engine, world, HELD_1, D1, source="osint")
    put(engine, world, HELD_2, D1, source="analytic")
    with transaction(engine) as session:
        found = territory.compare(session, world.principal("fra.viewer"), "osint", "analytic", D1)
    assert found.only_a_km2 == pytest.approx(0, abs=0.01)
    assert found.only_b_km2 == pytest.approx(
        geometry.area_km2(HELD_2) - geometry.area_km2(HELD_1), rel=1e-4
    )


def front(vertices: int) -> shapely.Polygon:
    """A jagged held area of ``vertices`` points along a 600 km front."""
    import math

    east = [
        (
            37.0 + 2.5 * math.sin(i / vertices * math.pi) + 0.02 * math.sin(i * 1.7),
            46.5 + 3.5 * i / vertices,
        )
        for i in range(vertices)
    ]
    return shapely.Polygon([(39.5, 49.5), (39.5, 46.5), *east[::-1]]).buffer(0)


def test_the_api_answers_in_km2_and_the_map_stays_small(
    engine: Engine, world: World, client_for: Any
) -> None:
    put(engine, world, front(30_000), D1)
    put(engine, world, HELD_2, D2)
    client = client_for("fra.viewer")
    area = client.get("/api/v1/situation/area", params={"source": "osint", "date": "2025-03-03"})
    assert area.status_code == 200, area.text
    body = area.json()
    assert body["taken_on"] == "2025-03-01" and body["area_km2"] > 10_000
    assert {"code", "area_km2"} <= set(body["regions"][0])
    change = client.get(
        "/api/v1/situation/change",
        params={"source": "osint", "from": "2025-03-01", "to": "2025-03-06", "geometry": "true"},
    ).json()
    assert {"gained_km2", "lost_km2", "net_km2", "regions", "gained", "lost"} <= set(change)
    assert change["gained"]["type"] in {"Polygon", "MultiPolygon", "GeometryCollection"}
    sid = body["id"]
    for zoom in (3, 5, 7, 9, 11, 13):
        shape = client.get(f"/api/v1/situation/snapshots/{sid}/geojson", params={"zoom": zoom})
        assert shape.status_code == 200
        assert shape.headers["content-type"].startswith("application/geo+json")
        assert len(shape.content) < 300_000, (zoom, len(shape.content))
        assert json.loads(shape.content)["properties"]["area_km2"] == body["area_km2"]
    cut = client.get(
        f"/api/v1/situation/snapshots/{sid}/geojson", params={"zoom": 12, "bbox": "37,47,37.5,47.5"}
    )
    assert cut.status_code == 200
    minx, _, maxx, _ = shapely.from_geojson(json.dumps(json.loads(cut.content)["geometry"])).bounds
    assert minx >= 37 - 1e-6 and maxx <= 37.5 + 1e-6


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/situation/area", {"source": "osint", "date": "01/03/2025"}),
        ("/api/v1/situation/area", {"source": "Bad Source", "date": "2025-03-01"}),
        ("/api/v1/situation/area", {"source": "osint", "date": "2025-03-01", "layer": "x"}),
        ("/api/v1/situation/change", {"source": "osint", "from": "2025-03-06", "to": "2025-03-01"}),
        ("/api/v1/situation/snapshots/1/geojson", {"zoom": 40}),
        ("/api/v1/situation/snapshots/1/geojson", {"bbox": "1,2,3"}),
    ],
)
def test_bad_questions_are_refused_with_their_reason(
    engine: Engine, world: World, client: Any, path: str, params: dict[str, Any]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["detail"]


def test_a_hidden_snapshot_is_not_found(engine: Engine, world: World, client_for: Any) -> None:
    sid = put(
        engine, world, HELD_1, D1, source="gbr-assessment", marking=Marking.NATIONAL
    ).snapshot.id
    for path in (
        f"/api/v1/situation/snapshots/{sid}",
        f"/api/v1/situation/snapshots/{sid}/geojson",
    ):
        assert client_for("fra.viewer").get(path).status_code == 404
        assert client_for("gbr.viewer").get(path).status_code == 200


def test_the_line_of_contact_comes_from_the_latest_held_snapshot_the_reader_may_see(
    engine: Engine, world: World, client_for: Any
) -> None:
    assert client_for("fra.viewer").get("/api/v1/situation/line").status_code == 404
    put(engine, world, HELD_1, D1)
    put(engine, world, HELD_2, D2, source="gbr-assessment", marking=Marking.NATIONAL)
    fra = client_for("fra.viewer").get("/api/v1/situation/line", params={"zoom": 8})
    gbr = client_for("gbr.viewer").get("/api/v1/situation/line", params={"zoom": 8})
    assert fra.status_code == gbr.status_code == 200
    assert fra.headers["content-type"].startswith("application/geo+json")
    assert json.loads(fra.content)["properties"]["source"] == "osint"
    assert json.loads(gbr.content)["properties"]["source"] == "gbr-assessment"
    assert json.loads(fra.content)["geometry"]["type"] in {"LineString", "MultiLineString"}
    early = client_for("gbr.viewer").get(
        "/api/v1/situation/line", params={"date": "2025-03-02", "source": "gbr-assessment"}
    )
    assert early.status_code == 404
