"""Reading Australia's Consolidated List workbook: what each designation becomes, what is
refused, why.

Workbooks are built here with openpyxl in the published layout (one sheet, the header row
in DFAT's column order, one row per name: ``8001`` for the primary name, ``8001a`` for
an alias) with three realistic designations: a Duma member with aliases, a Russian bank
and a shadow-fleet tanker. Hostile files (cut short, a zip bomb, another list's file, a
damaged sheet) are built from them.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from coalition.sanctions.formats import au
from coalition.sanctions.formats.au import workbook
from coalition.sanctions.reading import Entry

FILES = Path(__file__).parent / "files"
HEADER = [
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Alias Strength",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "IMO Number",
    "Committees",
    "Control Date",
    "Instrument of Designation",
    "Targeted Financial Sanction",
    "Travel Ban",
    "Arms Embargo",
    "Maritime Restriction",
]
INSTRUMENT = (
    "Autonomous Sanctions (Designated Persons and Entities and Declared Persons - Russia "
    "and Ukraine) Amendment (No. 2) Instrument 2022"
)
PERSON = {
    "Type": "Individual",
    "Date of Birth": dt.datetime(1965, 5, 31),
    "Place of Birth": "Perm, Russia",
    "Citizenship": "Russian",
    "Additional Information": "Member of the State Duma",
    "Listing Information": dt.datetime(2022, 2, 25),
    "Committees": "Autonomous (Russia)",
    "Control Date": dt.datetime(2022, 3, 1),
    "Instrument of Designation": INSTRUMENT,
    "Targeted Financial Sanction": "Yes",
    "Travel Ban": "Yes",
}
PERSON_NAMES = [
    {"Reference": "8001", "Name of Individual or Entity": "Pyotr Sergeyevich IVANOV",
     "Name Type": "Primary Name"},
    {"Reference": "8001a", "Name of Individual or Entity": "Petr IVANOFF", "Name Type": "aka",
     "Alias Strength": "Strong"},
    {"Reference": "8001b", "Name of Individual or Entity": "PETYA", "Name Type": "aka",
     "Alias Strength": "Weak"},
    {"Reference": "8001c", "Name of Individual or Entity": "Пётр Сергеевич Иванов",
     "Name Type": "Original Script"},
]  # fmt: skip
BANK = {
    "Type": "Entity",
    "Address": "12 Vavilova Street, Moscow, 117997, Russia",
    "Citizenship": "Russia",
    "Listing Information": "Listed on 25 February 2022 by the Minister for Foreign Affairs",
    "Committees": "Autonomous (Russia)",
    "Control Date": "25/02/2022",
    "Targeted Financial Sanction": True,
    "Travel Ban": False,
}
BANK_NAMES = [
    {"Reference": 8002, "Name of Individual or Entity": "PUBLIC JOINT STOCK COMPANY EXAMPLE BANK",
     "Name Type": "Primary Name"},
    {"Reference": "8002a", "Name of Individual or Entity": "EXAMPLE SAVINGS BANK",
     "Name Type": "Formerly known as"},
]  # fmt: skip
TANKER = {
    "Type": "Vessel",
    "IMO Number": 9321483,
    "Listing Information": dt.datetime(2024, 5, 9),
    "Committees": "Autonomous (Russia)",
    "Maritime Restriction": "Yes",
    "Date of Birth": "2006",
}
TANKER_NAMES = [
    {"Reference": "8003", "Name of Individual or Entity": "EXAMPLE SPIRIT",
     "Name Type": "Primary Name"},
]  # fmt: skip
RECORDS = [(PERSON, PERSON_NAMES), (BANK, BANK_NAMES), (TANKER, TANKER_NAMES)]


def _rows(records: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    return [{**fields, **name} for fields, names in records for name in names]


def _xlsx(rows: list[dict[str, Any]], header: list[str] = HEADER, title: str = "Consolidated List",
          path: Path | None = None) -> bytes:  # fmt: skip
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    if path is not None:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def _read(body: bytes) -> list[Entry]:
    return list(au.read(io.BytesIO(body)))


def _by_id(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    return {e.entity["id"]: e.entity for e in entries if e.entity is not None}


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in entity["properties"].items()}


@pytest.fixture
def normal(tmp_path: Path) -> bytes:
    """The three designations, written to a file as DFAT publishes it."""
    path = tmp_path / "regulation8_consolidated.xlsx"
    _xlsx(_rows(RECORDS), path=path)
    return path.read_bytes()


def test_each_designation_gives_its_target_then_its_sanction_on_its_first_row(
    normal: bytes,
) -> None:
    entries = _read(normal)
    assert [(e.line, e.entity["id"] if e.entity else e.reason) for e in entries] == [
        (2, "au-dfat-8001"),
        (2, "au-dfat-8001-sanction"),
        (6, "au-dfat-8002"),
        (6, "au-dfat-8002-sanction"),
        (8, "au-dfat-8003"),
        (8, "au-dfat-8003-sanction"),
    ]
    assert [e.entity["schema"] for e in entries if e.entity][::2] == [
        "Person",
        "Organization",
        "Vessel",
    ]


def test_a_person_keeps_every_name_by_its_type_and_strength(normal: bytes) -> None:
    person = _props(_by_id(_read(normal))["au-dfat-8001"])
    assert person == {
        "name": ["Pyotr Sergeyevich IVANOV"],
        "alias": ["Petr IVANOFF", "Пётр Сергеевич Иванов"],
        "weakAlias": ["PETYA"],
        "birthDate": ["1965-05-31"],
        "birthPlace": ["Perm, Russia"],
        "citizenship": ["ru"],
        "notes": ["Member of the State Duma"],
    }


def test_a_designation_becomes_a_sanction_with_its_committee_measures_and_dates(
    normal: bytes,
) -> None:
    sanction = _props(_by_id(_read(normal))["au-dfat-8001-sanction"])
    assert sanction == {
        "entity": ["au-dfat-8001"],
        "authority": [au.AUTHORITY],
        "authorityId": ["8001"],
        "country": ["au"],
        "sourceUrl": [au.SOURCE_URL],
        "program": ["Autonomous (Russia)"],
        "provisions": ["Targeted financial sanction", "Travel ban"],
        "listingDate": ["2022-02-25"],
        "startDate": ["2022-02-25"],
        "modifiedAt": ["2022-03-01"],
        "description": [f"Instrument of designation: {INSTRUMENT}"],
    }


def test_an_entity_and_a_vessel_keep_what_their_schema_has_and_note_the_rest(
    normal: bytes,
) -> None:
    entities = _by_id(_read(normal))
    bank = _props(entities["au-dfat-8002"])
    assert bank == {
        "name": ["PUBLIC JOINT STOCK COMPANY EXAMPLE BANK"],
        "previousName": ["EXAMPLE SAVINGS BANK"],
        "address": ["12 Vavilova Street, Moscow, 117997, Russia"],
        "country": ["ru"],
    }
    bank_sanction = _props(entities["au-dfat-8002-sanction"])
    assert bank_sanction["summary"] == [BANK["Listing Information"]]
    assert bank_sanction["provisions"] == ["Targeted financial sanction"]
    assert bank_sanction["modifiedAt"] == ["2022-02-25"]
    assert "listingDate" not in bank_sanction
    ship = _props(entities["au-dfat-8003"])
    assert ship == {
        "name": ["EXAMPLE SPIRIT"],
        "imoNumber": ["IMO9321483"],
        "notes": ["Date of birth: 2006"],
    }
    assert entities["au-dfat-8003-sanction"]["properties"]["provisions"] == ["Maritime restriction"]


def test_a_value_ftm_refuses_is_kept_as_published() -> None:
    person = {**PERSON, "Date of Birth": "Approximately 1958", "Citizenship": "Ruritanian"}
    entity = _by_id(_read(_xlsx(_rows([(person, PERSON_NAMES[:1])]))))["au-dfat-8001"]
    notes = entity["properties"]["notes"]
    assert "Date of birth as published: Approximately 1958" in notes
    assert "Citizenship as published: Ruritanian" in notes
    assert "birthDate" not in entity["properties"]


@pytest.mark.parametrize(
    ("published", "read"),
    [
        ("31/05/1965", ["1965-05-31"]),
        ("1 Jan. 1960", ["1960-01-01"]),
        ("1 January 1960", ["1960-01-01"]),
        ("Jan. 1960", ["1960-01"]),
        ("05/1965", ["1965-05"]),
        ("1965", ["1965"]),
        ("1 Jan. 1960; 2 Feb. 1961", ["1960-01-01", "1961-02-02"]),
        ("Approximately 1958", None),
        ("1970-1973", None),
        ("March 16, 1972", None),
        ("31/02/1960", None),
    ],
)
def test_dates_are_read_only_when_certain(published: str, read: list[str] | None) -> None:
    from coalition.sanctions.formats.au.dates import read_dates

    assert read_dates(published) == read


def test_names_without_a_primary_give_the_first_strong_one_as_the_name() -> None:
    names = [
        {"Reference": "8001", "Name of Individual or Entity": "ABU X", "Name Type": "aka",
         "Alias Strength": "Weak"},
        {"Reference": "8001a", "Name of Individual or Entity": "EXAMPLE FRONT",
         "Name Type": "aka", "Alias Strength": "Strong"},
    ]  # fmt: skip
    entity = _by_id(_read(_xlsx(_rows([(PERSON, names)]))))["au-dfat-8001"]
    assert entity["properties"]["name"] == ["EXAMPLE FRONT"]
    assert entity["properties"]["weakAlias"] == ["ABU X"]


def test_a_designation_with_a_program_but_no_name_is_refused_and_the_rest_read() -> None:
    nameless = [{"Reference": "8009", "Name Type": "Primary Name"}]
    rows = _rows([(PERSON, PERSON_NAMES), (BANK, nameless), (TANKER, TANKER_NAMES)])
    entries = _read(_xlsx(rows))
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (6, "designation 8009 (Autonomous (Russia)) has no name: not read"),
    ]
    assert set(_by_id(entries)) == {
        "au-dfat-8001",
        "au-dfat-8001-sanction",
        "au-dfat-8003",
        "au-dfat-8003-sanction",
    }


def test_rows_apart_from_their_designation_or_without_a_reference_are_refused() -> None:
    rows = _rows([(PERSON, PERSON_NAMES[:1]), (TANKER, TANKER_NAMES), (PERSON, PERSON_NAMES[1:2])])
    rows += [{**TANKER, "Reference": None, "Name of Individual or Entity": "STRAY"}]
    rows += [{**TANKER, "Reference": "A-17", "Name of Individual or Entity": "ODD"}]
    entries = _read(_xlsx(rows))
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (
            4,
            "row of designation 8001 (8001a) is apart from its other rows (from row 2, already "
            "read): a designation's rows come one after another; this row is not read",
        ),
        (5, "row has no Reference: not read"),
        (6, "Reference 'A-17' is not a number with letters for an alias: not read"),
    ]
    person = _by_id(entries)["au-dfat-8001"]["properties"]
    assert "alias" not in person
    assert not any(e.broken for e in entries)


def test_a_designation_of_an_unknown_type_or_none_is_refused() -> None:
    aircraft = {**TANKER, "Type": "Aircraft"}
    untyped = {**BANK, "Type": None}
    names = [{**TANKER_NAMES[0], "Reference": "8004"}]
    entries = _read(_xlsx(_rows([(aircraft, TANKER_NAMES), (untyped, names)])))
    assert [(e.line, e.reason) for e in entries] == [
        (2, "designation 8003 (Autonomous (Russia)) has type 'Aircraft': expected "
            "Individual, Entity or Vessel"),
        (3, "designation 8004 (Autonomous (Russia)) has no type: expected Individual, "
            "Entity or Vessel"),
    ]  # fmt: skip


def test_an_unknown_column_is_kept_in_notes_and_a_moved_column_still_read() -> None:
    header = [*HEADER[:2], "Designation Notes", *reversed(HEADER[2:])]
    rows = [{**row, "Designation Notes": "added later"} for row in _rows([(BANK, BANK_NAMES)])]
    bank = _by_id(_read(_xlsx(rows, header=header)))["au-dfat-8002"]
    assert bank["properties"]["notes"] == ["Designation Notes: added later"]
    assert bank["properties"]["country"] == ["ru"]


# -- Hostile files ---------------------------------------------------------------------------


def test_a_file_cut_short_is_one_broken_entry(normal: bytes) -> None:
    (entry,) = _read(normal[: len(normal) // 2])
    assert entry.broken
    assert entry.reason == (
        "not DFAT's Consolidated List: a zip archive (.xlsx) that is cut short or damaged: "
        "no directory"
    )


def _rezip(body: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook ``body`` with the parts named in ``replace`` swapped for new bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info))
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in replace.items():
            if name not in source.namelist():
                target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_is_inflated(normal: bytes) -> None:
    bomb = _rezip(normal, {"xl/media/image1.png": b"\0" * (4 * 1024 * 1024)})
    (entry,) = _read(bomb)
    assert entry.broken
    assert "xl/media/image1.png would unpack" in entry.reason
    assert entry.reason.endswith("refused as a zip bomb")


def test_a_part_over_the_size_limit_is_refused(
    normal: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook, "MAX_PART_BYTES", 1000)
    (entry,) = _read(normal)
    assert entry.broken
    assert "bytes unpacked, over 1,000: refused" in entry.reason


def test_a_sheet_that_breaks_off_keeps_what_came_before_and_is_broken(normal: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(normal)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    cut = sheet[: sheet.index(b'<row r="7"')]  # the bank's second row, then nothing
    entries = _read(_rezip(normal, {"xl/worksheets/sheet1.xml": cut}))
    assert [e.entity["id"] for e in entries if e.entity] == [
        "au-dfat-8001",
        "au-dfat-8001-sanction",
    ]
    assert entries[-1].broken
    assert entries[-1].line == 6
    assert entries[-1].reason.startswith(
        "the workbook is damaged after row 6 of sheet 'Consolidated List'"
    )


def test_a_workbook_of_another_layout_names_its_sheets() -> None:
    kiel = _xlsx(
        [{"Country": "Germany", "Value": 3}], header=["Country", "Value"], title="Bilateral"
    )
    (entry,) = _read(kiel)
    assert entry.broken
    assert entry.reason == (
        "not DFAT's Consolidated List: no sheet has a header row naming 'Reference' and "
        "'Name of Individual or Entity' in its first 10 rows; sheets: 'Bilateral' (first "
        "row: 'Country', 'Value')"
    )


def test_a_header_without_rows_is_not_taken_as_the_list() -> None:
    (entry,) = _read(_xlsx([]))
    assert entry.broken
    assert entry.reason == au.NO_DESIGNATION


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ((FILES / "uk" / "designations.xml").read_bytes(), "an XML file"),
        ((FILES / "eu" / "fsf.xml").read_bytes(), "an XML file"),
        ((FILES / "eu" / "header.csv").read_bytes(), "it starts 'fileGenerationDate"),
        ((FILES / "ca" / "sema-lmes.xml").read_bytes(), "an XML file"),
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "an Excel 97-2003 workbook (.xls)"),
    ],
)
def test_another_layout_is_one_broken_entry(body: bytes, said: str) -> None:
    (entry,) = _read(body)
    assert entry.broken
    assert entry.line == 1
    assert said in entry.reason
    assert "expected DFAT's Consolidated List" in entry.reason


def test_a_zip_that_is_no_workbook_is_broken() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("sdn.csv", '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n')
    (entry,) = _read(out.getvalue())
    assert entry.broken
    assert "a zip archive, not an Excel workbook: it holds no xl/workbook.xml" in entry.reason


def test_recognise_is_sure_or_says_no(normal: bytes) -> None:
    assert au.recognise(normal[: 64 * 1024])
    kiel = _xlsx([{"Country": "Germany"}], header=["Country"], title="Bilateral")
    assert not au.recognise(kiel)
    assert not au.recognise(normal[:200])  # the head ends before the text parts: unsure
    for other in (
        (FILES / "uk" / "designations.xml").read_bytes(),
        (FILES / "eu" / "header.csv").read_bytes(),
        (FILES / "ca" / "sema-lmes.xml").read_bytes(),
        b"",
        b"PK\x03\x04",
    ):
        assert not au.recognise(other)


def test_a_part_packed_by_a_method_excel_does_not_use_is_refused(normal: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(normal)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            method = zipfile.ZIP_BZIP2 if info.filename == "xl/styles.xml" else info.compress_type
            target.writestr(info.filename, source.read(info), compress_type=method)
    (entry,) = _read(out.getvalue())
    assert entry.broken
    assert entry.reason.endswith(
        "xl/styles.xml is packed by method 12, which Excel does not use: refused"
    )
