"""Reading runs: the API, the pages and the command line, as markings allow.

A NATIONAL run of one member is invisible to every other member everywhere: in the
list and its total, the run, its rejects and their file, the pages and the command line.
Filters are declared once (``RunFilters``) and a bad value is a 422 naming its parameter;
hostile keys and oversized values are refused with a reason, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import Engine

from coalition import cli
from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.imports import commands
from coalition.imports.model import ImportRun
from coalition.members import acting
from tests.marking_registry import BY_MODEL
from tests.world import World

make_run = BY_MODEL[ImportRun].create


def _runs(engine: Engine) -> dict[str, str]:
    """A NATIONAL run of FRA and a COALITION run of GBR, by name."""
    with transaction(engine) as session:
        return {
            "fra": make_run(session, "FRA", Marking.NATIONAL, [], "fra-national"),
            "gbr": make_run(session, "GBR", Marking.COALITION, [], "gbr-coalition"),
        }


def _files(page: dict[str, Any]) -> list[str]:
    return sorted(r["file_name"] for r in page["items"])


def test_a_national_run_and_its_counts_are_its_members_alone(
    engine: Engine, world: World, client_for: Any
) -> None:
    keys = _runs(engine)
    france, britain = client_for("fra.viewer"), client_for("gbr.viewer")
    seen = france.get("/api/v1/imports").json()
    assert _files(seen) == ["fra-national.csv", "gbr-coalition.csv"] and seen["total"] == 2
    assert seen["marking"] == "NATIONAL (FRA)"
    hidden = britain.get("/api/v1/imports").json()
    assert _files(hidden) == ["gbr-coalition.csv"] and hidden["total"] == 1
    assert britain.get("/api/v1/imports", params={"member": "FRA"}).json()["total"] == 0
    assert britain.get("/api/v1/imports", params={"state": "done"}).json()["total"] == 1
    fra = keys["fra"]
    for url in (
        f"/api/v1/imports/{fra}",
        f"/api/v1/imports/{fra}/rejects",
        f"/api/v1/export/imports/{fra}/rejects",
        f"/imports/{fra}",
    ):
        assert france.get(url).status_code == 200, url
        refused = britain.get(url)
        assert refused.status_code == 404, url
        assert "fra-national" not in refused.text
    assert "fra-national" not in britain.get("/imports").text
    assert "fra-national" not in britain.get("/api/v1/export/imports").text
    assert "fra-national" in france.get("/api/v1/export/imports").text
    assert client_for(None).get("/api/v1/imports").json()["total"] == 0


def test_a_run_its_rejects_and_their_file(engine: Engine, world: World, client_for: Any) -> None:
    keys = _runs(engine)
    reader = client_for("gbr.viewer")
    run = reader.get(f"/api/v1/imports/{keys['gbr']}").json()
    assert (run["state"], run["read"], run["inserted"], run["rejected"]) == ("done", 3, 2, 1)
    assert run["rejects_stored"] == 1 and run["options"] == {"date_order": "dmy"}
    assert run["marking"]["label"] == "COALITION"
    rejects = reader.get(f"/api/v1/imports/{keys['gbr']}/rejects").json()
    assert rejects["items"] == [
        {"line": 3, "column": "latitude", "reason": "gbr-coalition: no latitude"}
    ]
    assert rejects["marking"] == "COALITION"
    assert reader.get(f"/api/v1/imports/{keys['gbr']}/rejects?q=LATITUDE").json()["total"] == 1
    assert reader.get(f"/api/v1/imports/{keys['gbr']}/rejects?q=50%25").json()["total"] == 0
    file = reader.get(f"/api/v1/export/imports/{keys['gbr']}/rejects")
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/csv")
    lines = file.text.splitlines()
    assert lines[0] == "# marking: COALITION"
    assert list(csv.reader(io.StringIO("\n".join(lines[1:])))) == [
        ["line", "column", "reason"],
        ["3", "latitude", "gbr-coalition: no latitude"],
    ]
    page = reader.get(f"/imports/{keys['gbr']}")
    assert page.status_code == 200
    assert "gbr-coalition: no latitude" in page.text
    assert f"/api/v1/export/imports/{keys['gbr']}/rejects?format=csv" in page.text
    assert "no latitude" not in reader.get(f"/imports/{keys['gbr']}?q=elsewhere").text


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"capability": "weather"}, "capability"),
        ({"state": "exploded"}, "state"),
        ({"layout": "x" * 41}, "layout"),
        ({"layout": "csv' OR 1=1 --"}, "layout"),
        ({"member": "FRANCE"}, "member"),
        ({"sort": "file_sha256"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"limit": 10**9}, "limit"),
    ],
)
def test_bad_filters_are_a_422_naming_the_parameter(
    world: World, client_for: Any, params: dict[str, Any], named: str
) -> None:
    response = client_for("gbr.viewer").get("/api/v1/imports", params=params)
    assert response.status_code == 422, params
    assert named in response.json()["error"]["detail"]


def test_the_list_page_filters_and_says_what_it_refused(
    engine: Engine, world: World, client_for: Any
) -> None:
    _runs(engine)
    reader = client_for("fra.viewer")
    page = reader.get("/imports", params={"capability": "reports", "member": "GBR"})
    assert page.status_code == 200
    assert "gbr-coalition.csv" in page.text and "fra-national.csv" not in page.text
    refused = reader.get("/imports", params={"state": "exploded"})
    assert refused.status_code == 422 and "gbr-coalition.csv" not in refused.text
    assert "The list was not filtered" in refused.text


@pytest.mark.parametrize(
    "key", ["not-a-key", "0123456789ABCDEF", "a" * 5000, "0123456789abcde%27", "..%2F..%2Fetc"]
)
def test_hostile_keys_are_refused_with_a_reason(world: World, client_for: Any, key: str) -> None:
    reader = client_for("gbr.viewer")
    for url in (
        f"/api/v1/imports/{key}",
        f"/api/v1/imports/{key}/rejects",
        f"/api/v1/export/imports/{key}/rejects",
    ):
        response = reader.get(url)
        assert response.status_code in (404, 422), url
        assert set(response.json()) == {"error"}, url
    assert reader.get(f"/imports/{key}").status_code in (404, 422)


def test_an_unknown_key_is_not_found(world: World, client_for: Any) -> None:
    response = client_for("gbr.viewer").get("/api/v1/imports/0123456789abcdef")
    assert response.status_code == 404
    assert response.json()["error"]["detail"] == "no import run 0123456789abcdef"


def test_the_command_line_lists_and_shows_what_the_reader_may_see(
    engine: Engine,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    keys = _runs(engine)
    assert cli.main(["imports", "list", "--as", "fra.viewer", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 2 and listed["marking"] == "NATIONAL (FRA)"
    assert cli.main(["imports", "list", "--as", "gbr.viewer", "--state", "done"]) == 0
    out = capsys.readouterr().out
    assert keys["gbr"] in out and keys["fra"] not in out and "1 run (COALITION)" in out
    assert cli.main(["imports", "show", keys["fra"], "--as", "fra.viewer"]) == 0
    shown = capsys.readouterr().out
    assert "state: done" in shown and "read 3, inserted 2" in shown
    assert "line 3 [latitude]: fra-national: no latitude" in shown
    assert cli.main(["imports", "show", keys["fra"], "--as", "gbr.viewer"]) == 3
    assert f"no import run {keys['fra']}" in capsys.readouterr().err
    assert cli.main(["imports", "show", "nonsense"]) == 2
    assert "sixteen hexadecimal digits" in capsys.readouterr().err
