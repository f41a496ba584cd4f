"""The sanctions commands: import in a published layout, lists, apply, resolve, judge,
gap, matrix and export, each with bad input refused clearly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.sanctions.test_alignment import EU, UK
from tests.world import World

OFAC_CSV = (
    b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"Havana, Cuba."\r\n'
    b'47193,"SOVCOMBANK",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"SWIFT/BIC SOMRRUMM; Tax ID No. 4401116480 (Russia)."\r\n'
)


@pytest.fixture
def cli_on(engine: Engine, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from coalition import cli
    from coalition.members import acting
    from coalition.sanctions import commands

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    return cli.main


def ftm(path: Path, entities: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities))
    return path


def test_each_command_works_end_to_end(
    cli_on, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    ofac = tmp_path / "sdn.csv"
    ofac.write_bytes(OFAC_CSV)
    # The layout is recognised and the list is the layout's own.
    assert (
        cli_on(["import", "sanctions", str(ofac), "--date", "2025-02-24", "--as", "sec.admin"]) == 0
    )
    assert "read 4, inserted 4, unchanged 0, rejected 0" in capsys.readouterr().out
    eu = ftm(tmp_path / "eu.json", EU)
    uk = ftm(tmp_path / "uk.json", UK)
    for path, code in ((eu, "eu_fsf"), (uk, "gb_fcdo_sanctions")):
        argv = ["import", "sanctions", str(path), "--format", "ftm", "--authority", code]
        assert cli_on([*argv, "--date", "2025-02-24", "--as", "sec.admin"]) == 0
    capsys.readouterr()
    assert cli_on(["sanctions", "lists", "--format", "json"]) == 0
    lists = {x["code"]: x for x in json.loads(capsys.readouterr().out)}
    ofac_snap = lists["us_ofac_sdn"]["snapshots"][0]
    assert ofac_snap["by_program"] == {"CUBA": 1, "RUSSIA-EO14024": 1}
    assert ofac_snap["by_kind"] == {"bank": 1, "entity": 1}
    for member, code in (("FRA", "eu_fsf"), ("GBR", "gb_fcdo_sanctions")):
        argv = ["sanctions", "apply", member, code, "--since", "2022-01-01", "--as", "sec.admin"]
        assert cli_on(argv) == 0
    assert cli_on(["sanctions", "resolve", "--as", "sec.admin"]) == 0
    assert "judged by rule 2" in capsys.readouterr().out  # tanker by IMO, bank by BIC
    argv = ["sanctions", "judge", "eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3", "same"]
    assert cli_on([*argv, "--as", "gbr.contributor"]) == 0
    capsys.readouterr()
    argv = ["sanctions", "gap", "GBR", "FRA", "--as-of", "2025-03-01", "--format", "csv"]
    assert cli_on([*argv, "--as", "gbr.viewer"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# marking: COALITION")  # the judgement the clusters rest on
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    # One target, with its listing on each list: the UK's and OFAC's (joined by BIC).
    assert {r["caption"] for r in rows} == {"Sovcombank"}
    assert {(r["list_code"], r["authority_id"]) for r in rows} == {
        ("gb_fcdo_sanctions", "RUS0257"),
        ("us_ofac_sdn", "47193"),
    }
    argv = ["sanctions", "gap", "us_ofac_sdn", "GBR", "--as-of", "2025-03-01", "--format", "json"]
    assert cli_on(argv) == 0
    gap = json.loads(capsys.readouterr().out)
    assert [r["caption"] for r in gap["rows"]] == ["AEROCARIBBEAN AIRLINES"]
    assert cli_on(["sanctions", "matrix", "--as-of", "2025-03-01", "--format", "json"]) == 0
    matrix = json.loads(capsys.readouterr().out)
    assert {r["party"]: r["total"] for r in matrix["rows"]} == {"FRA": 2, "GBR": 3, "COALITION": 4}
    assert cli_on(["sanctions", "export", "--format", "ftm", "--list", "us_ofac_sdn"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert sorted(x["schema"] for x in lines) == [
        "LegalEntity",
        "LegalEntity",
        "Sanction",
        "Sanction",
    ]
    assert all(x["datasets"] == ["us_ofac_sdn"] and x["marking"] == "PUBLIC" for x in lines)
    assert cli_on(["sanctions", "export", "--format", "csv", "--as-of", "2025-03-01"]) == 0
    assert capsys.readouterr().out.startswith("# marking: PUBLIC")


def test_bad_input_is_refused_with_a_reason(
    cli_on, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "reports.csv"
    other.write_text("source_kind,source_name\nmonitor,x\n")
    assert cli_on(["import", "sanctions", str(other), "--as", "sec.admin"]) != 0
    assert "--format" in capsys.readouterr().err
    assert cli_on(["import", "sanctions", str(other), "--format", "nope", "--as", "sec.admin"]) != 0
    assert "no sanctions layout" in capsys.readouterr().err
    # An OFAC file given as the EU's layout breaks off at once, delisting nothing.
    ofac = tmp_path / "sdn.csv"
    ofac.write_bytes(OFAC_CSV)
    assert (
        cli_on(["import", "sanctions", str(ofac), "--format", "eu-fsf", "--as", "sec.admin"]) != 0
    )
    for argv in (
        ["sanctions", "gap", "GBR", "FRA", "--as-of", "2025-01-01", "--since", "2025-02-01"],
        ["sanctions", "gap", "GBR", "FRA", "--theme", "weather"],
        ["sanctions", "gap", "GBR", "FRA", "--as-of", "1/3/2025"],
        ["sanctions", "gap", "GBR", "FRA", "--format", "xml"],
        ["sanctions", "matrix", "--format", "xml"],
        ["sanctions", "judge", "a:1", "b:2", "maybe", "--as", "gbr.contributor"],
        ["sanctions", "apply", "FRA", "nolist", "--since", "2025-01-01", "--as", "sec.admin"],
        ["sanctions", "export", "--format", "xml"],
    ):
        assert cli_on(argv) != 0, argv
        assert capsys.readouterr().err.strip(), argv
