"""The incidents table, its exports, the API's search and the grid filtered by status.

Every figure is checked as two readers see it: the public, and Poland, which also sees
its own NATIONAL reports. Hostile input (wildcards, quotes, very long text, bad dates,
unknown orders) is a clear 422 or is matched literally, never an error page or every row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, update

from coalition.ceasefire.grid import coarsen
from coalition.ceasefire.model import Incident
from coalition.core.db import transaction
from coalition.core.listing import ESCAPE, like_pattern
from coalition.core.marking import Marking
from tests.ceasefire.test_api import _seed
from tests.world import World

Clients = Callable[[str | None], TestClient]


def _world(engine: Engine) -> None:
    _seed(engine, "GBR", Marking.PUBLIC, "", 7, "pub")
    _seed(engine, "POL", Marking.NATIONAL, "", 5, "pol")
    with transaction(engine) as session:
        first = session.scalars(
            Incident.__table__.select().with_only_columns(Incident.id).order_by(Incident.id)
        ).first()
        session.execute(
            update(Incident)
            .where(Incident.id == first)
            .values(status="verified", claimed_attribution="50%_off 'Party'")
        )


def _ids(html: str) -> list[str]:
    return [
        part.split('"', 1)[0]
        for part in html.split('href="/ceasefire/incidents/')[1:]
        if part.split('"', 1)[0].isdigit()
    ]


def test_the_table_lists_pages_and_sorts_only_what_the_reader_may_see(
    engine: Engine, world: World, client_for: Clients
) -> None:
    _world(engine)
    anonymous, pol = client_for(None), client_for("pol.contributor")
    page = anonymous.get("/ceasefire/incidents")
    assert page.status_code == 200
    assert '<span class="count">7</span>' in page.text
    assert "PUBLIC" in page.text and "NATIONAL" not in page.text
    assert '<span class="count">12</span>' in pol.get("/ceasefire/incidents").text
    first = anonymous.get("/ceasefire/incidents", params={"limit": 3})
    assert len(_ids(first.text)) == 3 and 'rel="next"' in first.text
    rest = anonymous.get("/ceasefire/incidents", params={"limit": 3, "offset": 3}).text
    last = anonymous.get("/ceasefire/incidents", params={"limit": 3, "offset": 6}).text
    everything = _ids(first.text) + _ids(rest) + _ids(last)
    assert len(everything) == len(set(everything)) == 7
    by_fatalities = anonymous.get("/ceasefire/incidents", params={"sort": "-casualties"})
    assert by_fatalities.status_code == 200 and 'aria-sort="descending"' in by_fatalities.text
    verified = anonymous.get("/ceasefire/incidents", params={"status": "verified"}).text
    assert '<span class="count">1</span>' in verified
    shelling = anonymous.get("/ceasefire/incidents", params={"type": "shelling"}).text
    assert '<span class="count">3</span>' in shelling
    dated = anonymous.get(
        "/ceasefire/incidents", params={"since": "2025-03-27", "until": "2025-03-27"}
    )
    assert '<span class="count">2</span>' in dated.text


def test_search_is_literal_and_hostile_input_is_refused_clearly(
    engine: Engine, world: World, client_for: Clients
) -> None:
    _world(engine)
    anonymous = client_for(None)

    def count(**params: str) -> str:
        got = anonymous.get("/ceasefire/incidents", params=params)
        assert got.status_code == 200, got.text
        return str(got.text.split('<span class="count">', 1)[1].split("<", 1)[0])

    assert count(q="drone strike") == "4"  # the type read with spaces
    assert count(q="DONETSK") == "7"
    assert count(q="%") == count(q="50%") == count(q="_off") == count(q="'party'") == "1"
    assert count(q="x%y") == count(q="\\") == count(q='"; DROP TABLE x; --') == "0"
    assert count(q="!") == "0"
    for params in (
        {"q": "a" * 10_000},
        {"since": "2025-02-30"},
        {"until": "yesterday"},
        {"since": "2025-04-01", "until": "2025-03-01"},
        {"sort": "password"},
        {"sort": "-"},
        {"status": "sure"},
        {"q": "a\x00b"},
        {"limit": "0"},
    ):
        got = anonymous.get("/ceasefire/incidents", params=params)
        assert got.status_code == 422, (params, got.status_code)
    api = anonymous.get("/api/v1/incidents", params={"q": "%"}).json()["items"]
    assert [i["claimed_attribution"] for i in api] == ["50%_off 'Party'"]
    assert anonymous.get("/api/v1/incidents", params={"q": "a" * 10_000}).status_code == 422
    assert (
        len(anonymous.get("/api/v1/incidents", params={"region": "Donetsk"}).json()["items"]) == 7
    )
    assert anonymous.get("/api/v1/incidents", params={"region": "Nowhere"}).json()["items"] == []


def test_exports_hold_exactly_the_filtered_rows_with_their_marking(
    engine: Engine, world: World, client_for: Clients
) -> None:
    _world(engine)
    anonymous, pol = client_for(None), client_for("pol.contributor")
    url = "/api/v1/incidents/export"
    body = anonymous.get(url, params={"format": "csv", "type": "shelling"}).text
    first, rest = body.split("\r\n", 1)
    assert first == "# marking: PUBLIC"
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert len(rows) == 3 and {r["type"] for r in rows} == {"shelling"}
    own = pol.get(url, params={"format": "csv"}).text
    assert own.startswith("# marking: NATIONAL") and len(list(csv.reader(io.StringIO(own)))) == 14
    fc = json.loads(anonymous.get(url, params={"format": "geojson", "q": "%"}).text)
    assert fc["marking"] == "PUBLIC" and len(fc["features"]) == 1
    assert fc["features"][0]["properties"]["status"] == "verified"
    assert anonymous.get(url, params={"format": "xlsx"}).status_code == 422
    assert anonymous.get(url, params={"since": "2025-13-01"}).status_code == 422
    page = anonymous.get("/ceasefire/incidents", params={"type": "shelling"}).text
    assert "/api/v1/incidents/export?type=shelling&amp;format=csv" in page


def test_the_grid_is_filtered_by_status_for_its_reader(
    engine: Engine, world: World, client_for: Clients
) -> None:
    _world(engine)
    anonymous, pol = client_for(None), client_for("pol.contributor")
    grid = "/api/v1/map/grid?bbox=30,44,41,53"
    assert anonymous.get(grid).json()["total"] == 7
    assert anonymous.get(grid + "&status=verified").json()["total"] == 1
    assert anonymous.get(grid + "&status=reported").json()["total"] == 6
    assert pol.get(grid + "&status=reported").json()["total"] == 11
    assert anonymous.get(grid + "&status=unfounded").json()["cells"] == []
    by_region = anonymous.get(grid + "&region=Donetsk&type=shelling").json()
    assert by_region["total"] == 3
    same = anonymous.get(grid + "&type=shelling").json()
    assert sum(c["reports"] for c in same["cells"]) == 3
    assert anonymous.get(grid + "&status=maybe").status_code == 422


def test_the_base_layer_is_small_public_and_named(client_for: Clients) -> None:
    got = client_for(None).get("/ceasefire/basemap.geojson")
    assert got.status_code == 200 and got.headers["content-type"] == "application/geo+json"
    assert len(got.content) < 300_000
    kinds: dict[str, int] = {}
    for f in got.json()["features"]:
        kinds[f["properties"]["kind"]] = kinds.get(f["properties"]["kind"], 0) + 1
    names = {f["properties"].get("name") for f in got.json()["features"]}
    assert {"Kyiv", "Donetsk", "Kharkiv", "Mariupol"} <= names
    assert kinds["place"] > 300 and kinds["river"] > 0


@given(st.text(max_size=40))
def test_a_search_pattern_escapes_every_wildcard(text: str) -> None:
    pattern = like_pattern(text)
    assert pattern.startswith("%") and pattern.endswith("%")
    inner, literal, i = pattern[1:-1], [], 0
    while i < len(inner):
        if inner[i] == ESCAPE:
            assert inner[i + 1] in "%_" + ESCAPE
            literal.append(inner[i + 1])
            i += 2
        else:
            assert inner[i] not in "%_"
            literal.append(inner[i])
            i += 1
    assert "".join(literal) == text.strip().lower()


@given(
    st.lists(st.tuples(st.integers(-2000, 2000), st.integers(-2000, 2000), st.integers(0, 9))),
    st.sampled_from([1, 2, 4, 16, 64]),
    st.sampled_from([1, 2, 4]),
)
def test_coarsening_at_once_equals_coarsening_in_steps(
    fine: list[tuple[int, int, int]], a: int, b: int
) -> None:
    once = coarsen(fine, a * b)
    steps = coarsen([(y, x, n) for (y, x), n in coarsen(fine, a).items()], b)
    assert once == steps
    assert sum(once.values()) == sum(n for _, _, n in fine)
