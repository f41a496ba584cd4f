"""Reading the UK Sanctions List, CSV and XML: what each record becomes, what is refused, why.

Files are built here in the published layouts (the CSV's Report Date line and header in
the FCDO's column order; the XML's <Designations> tree) with three realistic records: a
Russian bank, a person with aliases and a non-Latin name, a shadow-fleet tanker. The same
records written in either layout must give the same entities.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.formats import uk
from coalition.sanctions.formats.uk import list_csv
from coalition.sanctions.reading import Entry

FILES = Path(__file__).parent / "files" / "uk"
COLUMNS = [
    "Last Updated",
    "Unique ID",
    "OFSI Group ID",
    "UN Reference Number",
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name type",
    "Alias strength",
    "Title",
    "Name non-latin script",
    "Non-latin script type",
    "Non-latin script language",
    "Regime Name",
    "Designation Type",
    "Designation source",
    "Sanctions Imposed",
    "Other Information",
    "UK Statement of Reasons",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Address Line 4",
    "Address Line 5",
    "Address Line 6",
    "Address Postal Code",
    "Address Country",
    "Phone number",
    "Website",
    "Email address",
    "Date Designated",
    "D.O.B",
    "Nationality(/ies)",
    "National Identifier number",
    "National Identifier additional information",
    "Passport number",
    "Passport additional information",
    "Position",
    "Gender",
    "Town of birth",
    "Country of birth",
    "Type of entity",
    "Subsidiaries",
    "Parent company",
    "Business registration number (s)",
    "IMO number",
    "Current owner/operator (s)",
    "Previous owner/operator (s)",
    "Current believed flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year Built",
    "Hull identification number (HIN)",
]

BANK = {
    "Last Updated": "24/02/2022",
    "Unique ID": "RUS0251",
    "OFSI Group ID": "14180",
    "Regime Name": "Russia",
    "Designation Type": "Entity",
    "Designation source": "UK",
    "Sanctions Imposed": "Asset freeze|Trust services sanctions",
    "UK Statement of Reasons": "A Russian bank carrying on business in the financial sector.",
    "Other Information": "Subsidiary of a state-owned bank.",
    "Address Line 1": "12 Vavilova Street",
    "Address Line 6": "Moscow",
    "Address Postal Code": "117997",
    "Address Country": "Russia",
    "Phone number": "+7 495 500 5550",
    "Website": "www.example-bank.ru",
    "Email address": "info@example-bank.ru; press@example-bank.ru",
    "Date Designated": "24/02/2022",
    "Type of entity": "Public Joint Stock Company",
    "Parent company": "Example Holding JSC",
    "Subsidiaries": "Example Leasing LLC",
    "Business registration number (s)": "SWIFT/BIC: EXBKRUMM; INN: 7707083893; OGRN: 1027700132195",
}
BANK_NAMES = [
    {"Name 6": "PUBLIC JOINT STOCK COMPANY EXAMPLE BANK", "Name type": "Primary Name"},
    {"Name 6": "EXAMPLE BANK PJSC", "Name type": "Primary Name Variation"},
]
PERSON = {
    "Last Updated": "15/03/2022",
    "Unique ID": "RUS0312",
    "Regime Name": "Russia",
    "Designation Type": "Individual",
    "Designation source": "UK",
    "Sanctions Imposed": "Asset freeze|Travel Ban",
    "Title": "Mr",
    "Date Designated": "15/03/2022",
    "D.O.B": "00/00/1965",
    "Nationality(/ies)": "Russia",
    "Passport number": "722706541",
    "Passport additional information": "Russian foreign travel passport",
    "National Identifier number": "4507 123456",
    "National Identifier additional information": "Russian internal passport",
    "Position": "Member of the State Duma",
    "Gender": "Male",
    "Town of birth": "Perm",
    "Country of birth": "Russia",
    "UK Statement of Reasons": "A member of the State Duma who voted for recognition.",
}
PERSON_NAMES = [
    {
        "Name 6": "IVANOV",
        "Name 1": "Pyotr",
        "Name 2": "Sergeyevich",
        "Name type": "Primary Name",
        "Name non-latin script": "Иванов Пётр Сергеевич",
        "Non-latin script type": "Cyrillic",
        "Non-latin script language": "Russian",
    },
    {"Name 6": "IVANOFF", "Name 1": "Petr", "Name type": "Alias", "Alias strength": ""},
    {"Name 6": "PETYA", "Name type": "Alias", "Alias strength": "Low quality a.k.a"},
]
TANKER = {
    "Last Updated": "09/05/2024",
    "Unique ID": "RUS1900",
    "Regime Name": "Russia",
    "Designation Type": "Ship",
    "Designation source": "UK",
    "Sanctions Imposed": "Ship specification|Prohibition of port entry",
    "Date Designated": "09/05/2024",
    "IMO number": "9321483",
    "Current owner/operator (s)": "Example Tankers Ltd",
    "Previous owner/operator (s)": "Old Shipping Corp",
    "Current believed flag of ship": "Gabon",
    "Previous flags": "Panama|Liberia",
    "Type of ship": "Crude Oil Tanker",
    "Tonnage of ship": "81380",
    "Length of ship": "244",
    "Year Built": "2006",
    "Hull identification number (HIN)": "HIN-EX-123",
}
TANKER_NAMES = [{"Name 6": "EXAMPLE SPIRIT", "Name type": "Primary Name"}]
RECORDS = [(BANK, BANK_NAMES), (PERSON, PERSON_NAMES), (TANKER, TANKER_NAMES)]


def _rows(records: list[tuple[dict[str, str], list[dict[str, str]]]]) -> list[dict[str, str]]:
    return [{**fields, **name} for fields, names in records for name in names]


def _csv(
    rows: list[dict[str, str]],
    report: str = "Report Date: 01/12/2026",
    end: str = "\r\n",
    header: list[str] = COLUMNS,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=end)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return (report + end if report else "") + out.getvalue()


def _read(body: bytes) -> list[Entry]:
    return list(uk.read(io.BytesIO(body)))


def _by_id(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    return {e.entity["id"]: e.entity for e in entries if e.entity is not None}


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in entity["properties"].items()}


NORMAL = _csv(_rows(RECORDS)).encode()


def test_the_csv_gives_each_designation_its_target_then_its_sanction() -> None:
    entries = _read(NORMAL)
    assert [(e.line, e.entity["id"] if e.entity else e.reason) for e in entries] == [
        (3, "gb-fcdo-RUS0251"),
        (3, "gb-fcdo-RUS0251-sanction"),
        (5, "gb-fcdo-RUS0312"),
        (5, "gb-fcdo-RUS0312-sanction"),
        (8, "gb-fcdo-RUS1900"),
        (8, "gb-fcdo-RUS1900-sanction"),
    ]
    assert [e.entity["schema"] for e in entries if e.entity][::2] == [
        "Organization",
        "Person",
        "Vessel",
    ]


def test_a_bank_keeps_its_names_contacts_and_the_codes_its_registration_states() -> None:
    bank = _props(_by_id(_read(NORMAL))["gb-fcdo-RUS0251"])
    assert bank["name"] == ["PUBLIC JOINT STOCK COMPANY EXAMPLE BANK"]
    assert bank["alias"] == ["EXAMPLE BANK PJSC"]
    assert bank["swiftBic"] == ["EXBKRUMM"]
    assert bank["innCode"] == ["7707083893"]
    assert bank["ogrnCode"] == ["1027700132195"]
    assert bank["registrationNumber"] == [BANK["Business registration number (s)"]]
    assert bank["legalForm"] == ["Public Joint Stock Company"]
    assert bank["email"] == ["info@example-bank.ru", "press@example-bank.ru"]
    assert bank["phone"] == ["+74955005550"]
    assert bank["website"] == ["http://www.example-bank.ru/"]
    assert bank["address"] == ["12 Vavilova Street, Moscow, 117997, Russia"]
    assert bank["country"] == ["ru"]
    assert bank["notes"] == [
        "Parent company: Example Holding JSC",
        "Subsidiaries: Example Leasing LLC",
    ]


def test_a_designation_becomes_a_sanction_naming_its_target() -> None:
    sanction = _props(_by_id(_read(NORMAL))["gb-fcdo-RUS0251-sanction"])
    assert sanction == {
        "entity": ["gb-fcdo-RUS0251"],
        "authority": [uk.AUTHORITY],
        "authorityId": ["RUS0251"],
        "country": ["gb"],
        "sourceUrl": [uk.SOURCE_URL],
        "program": ["Russia"],
        "provisions": ["Asset freeze", "Trust services sanctions"],
        "listingDate": ["2022-02-24"],
        "startDate": ["2022-02-24"],
        "modifiedAt": ["2022-02-24"],
        "reason": [BANK["UK Statement of Reasons"]],
        "summary": [BANK["Other Information"]],
        "description": ["Designation source: UK", "OFSI Group ID: 14180"],
    }


def test_a_person_keeps_aliases_weak_aliases_non_latin_names_and_papers() -> None:
    person = _props(_by_id(_read(NORMAL))["gb-fcdo-RUS0312"])
    assert person["name"] == ["Pyotr Sergeyevich IVANOV"]
    assert person["firstName"] == ["Pyotr"]
    assert person["lastName"] == ["IVANOV"]
    assert person["alias"] == ["Petr IVANOFF", "Иванов Пётр Сергеевич"]
    assert person["weakAlias"] == ["PETYA"]
    assert person["birthDate"] == ["1965"]
    assert person["birthPlace"] == ["Perm"]
    assert person["birthCountry"] == ["ru"]
    assert person["nationality"] == ["ru"]
    assert person["passportNumber"] == ["722706541"]
    assert person["idNumber"] == ["4507 123456"]
    assert person["gender"] == ["male"]
    assert person["title"] == ["Mr"]
    assert person["position"] == ["Member of the State Duma"]
    assert person["notes"] == [
        "Name Иванов Пётр Сергеевич: script Cyrillic, Russian",
        "National identifier 4507 123456: Russian internal passport",
        "Passport 722706541: Russian foreign travel passport",
    ]


def test_a_tanker_keeps_its_imo_flags_and_what_vessel_has_no_property_for() -> None:
    entries = _by_id(_read(NORMAL))
    ship = _props(entries["gb-fcdo-RUS1900"])
    assert ship["imoNumber"] == ["IMO9321483"]
    assert ship["flag"] == ["ga"]
    assert ship["pastFlags"] == ["lr", "pa"]
    assert ship["type"] == ["Crude Oil Tanker"]
    assert ship["tonnage"] == ["81380"]
    assert ship["buildDate"] == ["2006"]
    assert ship["notes"] == [
        "Current owner/operator: Example Tankers Ltd",
        "Hull identification number: HIN-EX-123",
        "Length of ship: 244",
        "Previous owner/operator: Old Shipping Corp",
    ]
    sanction = entries["gb-fcdo-RUS1900-sanction"]["properties"]
    assert sanction["provisions"] == ["Ship specification", "Prohibition of port entry"]


def test_the_report_date_is_the_day_published() -> None:
    assert uk.published(io.BytesIO(NORMAL)) == dt.date(2026, 12, 1)
    named = _csv(_rows(RECORDS), report="Report Date: 13-Feb-2026,,,,").encode()
    assert uk.published(io.BytesIO(named)) == dt.date(2026, 2, 13)
    assert uk.published(io.BytesIO(_csv([], report="").encode())) is None


def test_a_bom_crlf_or_windows_1252_file_reads_the_same() -> None:
    expected = _read(NORMAL)
    assert _read(codecs.BOM_UTF8 + NORMAL) == expected
    assert _read(_csv(_rows(RECORDS), end="\n").encode()) == expected  # LF, not CRLF
    accented = {**BANK, "Address Line 1": "Café Street"}
    rows = _rows([(accented, BANK_NAMES)])
    entity = _by_id(_read(_csv(rows).encode("cp1252")))["gb-fcdo-RUS0251"]
    assert entity["properties"]["address"] == ["Café Street, Moscow, 117997, Russia"]


@pytest.mark.parametrize(
    ("published", "read"),
    [
        ("24/02/2022", "2022-02-24"),
        ("2022-02-24", "2022-02-24"),  # re-saved as ISO
        ("2/24/2022", "2022-02-24"),  # re-saved month first: 24 cannot be a month
        ("02/24/2022", "2022-02-24"),
        ("24/2/2022", "2022-02-24"),
        ("13-Feb-2026", "2026-02-13"),
        ("00/00/1965", "1965"),
        ("'00/00/1975", "1975"),
        ("dd/mm/1965", "1965"),
        ("00/05/1965", "1965-05"),
        ("dd/07/1978", "1978-07"),
        ("15/mm/1960", "1960"),  # a day without its month says only the year
        ("1965", "1965"),
        ("05/1965", "1965-05"),
        ("2026-02-13T10:15:00", "2026-02-13"),
        ("2026-02-13T10:15:00+00:00", "2026-02-13"),
        ("5/3/1960", None),  # 5 March or 3 May: kept as published
        ("31/02/1960", None),
        ("15/08/19yy", None),
        ("circa 1960", None),
        ("05/03/60", None),
    ],
)
def test_dates_are_read_only_when_certain(published: str, read: str | None) -> None:
    assert uk.read_date(published) == read


def test_an_ambiguous_re_saved_date_is_kept_as_published() -> None:
    rows = _rows([({**PERSON, "D.O.B": "5/3/1960", "Date Designated": "3/15/2022"}, PERSON_NAMES)])
    entries = _by_id(_read(_csv(rows).encode()))
    person = entries["gb-fcdo-RUS0312"]["properties"]
    assert "birthDate" not in person
    assert "Birth date as published: 5/3/1960" in person["notes"]
    assert entries["gb-fcdo-RUS0312-sanction"]["properties"]["listingDate"] == ["2022-03-15"]


def test_a_file_cut_mid_row_is_broken_and_its_last_designation_not_read() -> None:
    cut = NORMAL[: NORMAL.index(b"IVANOFF") + 3]
    entries = _read(cut)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "gb-fcdo-RUS0251",
        "gb-fcdo-RUS0251-sanction",
    ]
    last = entries[-1]
    assert last.broken
    assert last.line == 6
    assert last.reason == (
        "the file breaks off mid-row at line 6; designation RUS0312 (from line 5) is not read"
    )


def test_a_cut_after_a_whole_designation_keeps_it() -> None:
    cut = NORMAL[: NORMAL.index(b"EXAMPLE SPIRIT") + 7]
    entries = _read(cut)
    assert "gb-fcdo-RUS0312-sanction" in _by_id(entries)
    assert entries[-1].broken
    assert entries[-1].line == 8


def test_a_designation_without_a_name_is_refused_and_the_rest_read() -> None:
    nameless = {**PERSON, "Unique ID": "RUS0999"}
    rows = _rows([(BANK, BANK_NAMES), (nameless, [{"Name type": "Primary Name"}])])
    rows += _rows([(TANKER, TANKER_NAMES)])
    entries = _read(_csv(rows).encode())
    refusals = [(e.line, e.reason) for e in entries if e.entity is None]
    assert refusals == [(5, "designation RUS0999 (Russia) has no name: not read")]
    assert set(_by_id(entries)) == {
        "gb-fcdo-RUS0251",
        "gb-fcdo-RUS0251-sanction",
        "gb-fcdo-RUS1900",
        "gb-fcdo-RUS1900-sanction",
    }


def test_rows_apart_from_their_designation_are_refused_each_with_its_line() -> None:
    rows = _rows([(PERSON, PERSON_NAMES[:1]), (BANK, BANK_NAMES), (PERSON, PERSON_NAMES[1:])])
    entries = _read(_csv(rows).encode())
    person = _by_id(entries)["gb-fcdo-RUS0312"]["properties"]
    assert person["name"] == ["Pyotr Sergeyevich IVANOV"]
    assert "weakAlias" not in person
    refusals = [(e.line, e.reason) for e in entries if e.entity is None]
    assert [line for line, _ in refusals] == [6, 7]
    assert refusals[0][1].startswith(
        "row of designation RUS0312 is apart from its other rows (from line 3, already read)"
    )
    assert not any(e.broken for e in entries)


def test_a_row_of_the_wrong_width_or_type_or_without_id_is_refused() -> None:
    body = _csv(_rows([(BANK, BANK_NAMES)])) + "1,2,3\r\n"
    aircraft = _rows([({**TANKER, "Designation Type": "Aircraft"}, TANKER_NAMES)])
    body += _csv([*aircraft, {**TANKER, "Unique ID": ""}], report="").split("\r\n", 1)[1]
    entries = _read(body.encode())
    assert sorted((e.line, e.reason) for e in entries if e.entity is None) == [
        (5, "row has 3 cells, the header 58"),
        (
            6,
            "designation RUS1900 (Russia) has type 'Aircraft': expected Individual, Entity or Ship",
        ),
        (7, "row has no Unique ID: not read"),
    ]
    assert [e.entity["id"] for e in entries if e.entity] == [
        "gb-fcdo-RUS0251",
        "gb-fcdo-RUS0251-sanction",
    ]


def test_an_unknown_column_is_kept_in_notes() -> None:
    header = [*COLUMNS, "Designation Notes"]
    rows = [{**row, "Designation Notes": "added later"} for row in _rows([(BANK, BANK_NAMES)])]
    bank = _by_id(_read(_csv(rows, header=header).encode()))["gb-fcdo-RUS0251"]
    assert "Designation Notes: added later" in bank["properties"]["notes"]


def test_aliases_alone_give_the_first_strong_one_as_the_name() -> None:
    names = [
        {"Name 6": "ABU X", "Name type": "Alias", "Alias strength": "Low quality a.k.a"},
        {"Name 6": "EXAMPLE FRONT", "Name type": "Alias", "Alias strength": "Good quality a.k.a"},
    ]
    entity = _by_id(_read(_csv(_rows([(BANK, names)])).encode()))["gb-fcdo-RUS0251"]
    assert entity["properties"]["name"] == ["EXAMPLE FRONT"]
    assert entity["properties"]["weakAlias"] == ["ABU X"]


# -- The XML ---------------------------------------------------------------------------------

XML = (FILES / "designations.xml").read_text(encoding="utf-8")  # the published element tree


def test_the_xml_gives_the_same_entities_as_the_csv() -> None:
    from_xml = _read(XML.encode())
    assert [(e.line, e.entity["id"]) for e in from_xml if e.entity][::2] == [
        (4, "gb-fcdo-RUS0251"),
        (34, "gb-fcdo-RUS0312"),
        (71, "gb-fcdo-RUS1900"),
    ]
    from_csv = _by_id(_read(NORMAL))
    for entity_id, entity in _by_id(from_xml).items():
        expected = _props(from_csv[entity_id])
        if entity_id == "gb-fcdo-RUS0312-sanction":  # from the indicators, in their words
            expected["provisions"] = ["Asset freeze", "Travel ban"]
        assert _props(entity) == expected, entity_id


def test_the_xml_says_when_it_was_generated() -> None:
    assert uk.published(io.BytesIO(XML.encode())) == dt.date(2026, 12, 1)
    iso = XML.replace("01/12/2026", "2026-12-01T06:00:00")
    assert uk.published(io.BytesIO(iso.encode())) == dt.date(2026, 12, 1)


def test_a_truncated_xml_keeps_what_came_before_and_is_broken() -> None:
    cut = XML[: XML.index("<UniqueID>RUS1900") + 12].encode()
    entries = _read(cut)
    assert [e.entity["id"] for e in entries if e.entity][::2] == [
        "gb-fcdo-RUS0251",
        "gb-fcdo-RUS0312",
    ]
    assert entries[-1].broken
    assert entries[-1].line == 74
    assert entries[-1].reason.startswith("the XML breaks off or is malformed at line 74")


@pytest.mark.parametrize(
    "prologue",
    [
        '<!DOCTYPE Designations [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        '<!DOCTYPE Designations SYSTEM "http://example.org/evil.dtd">',
        '<!DOCTYPE Designations [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_an_xml_with_a_doctype_or_entities_is_refused_without_an_exception(
    prologue: str,
) -> None:
    body = XML.replace('<?xml version="1.0" encoding="utf-8"?>\n', prologue + "\n", 1)
    entries = _read(body.replace("<RegimeName>Russia", "<RegimeName>&b;", 1).encode())
    assert len(entries) == 1
    assert entries[0].broken
    assert entries[0].entity is None
    assert entries[0].reason.startswith("the XML declares a document type")
    assert uk.published(io.BytesIO(body.encode())) is None


def test_an_xml_designation_given_twice_is_refused_the_second_time() -> None:
    start = XML.index("  <Designation>")
    first = XML[start : XML.index("</Designation>") + len("</Designation>\n")]
    body = XML.replace("</Designations>", first + "</Designations>")
    entries = _read(body.encode())
    assert entries[-1].entity is None
    assert entries[-1].reason == (
        "designation RUS0251 appears again (first at line 4, already read): this one is not read"
    )


# -- Other files -----------------------------------------------------------------------------

OFAC_XML = b'<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd"><publshInformation>'
EU_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<export generationDate="2026-11-30" xmlns="http://eu.europa.ec/fpi/fsd/export">'
FTM = b'{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan"]}}\n'
OFAC_CSV = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
EU_CSV = b"fileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;Entity_UnitedNationId\n"
CEASEFIRE = b"reported_at,source,reliability,credibility,latitude,longitude,type\n"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (OFAC_XML, "its root is <sdnList>, the US OFAC SDN list (SDN.XML)"),
        (EU_XML, "its root is <export>, the EU Financial Sanctions File"),
        (FTM, "a JSON file (FollowTheMoney entities?)"),
        (OFAC_CSV, "a CSV without a header (US OFAC's sdn.csv?)"),
        (EU_CSV, "the EU Financial Sanctions File (CSV)"),
        (CEASEFIRE, "it starts 'reported_at,source,"),
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf  \r\n", "the file is empty"),
    ],
)
def test_another_layout_is_one_broken_entry_naming_what_was_expected(
    body: bytes, said: str
) -> None:
    (entry,) = _read(body)
    assert entry.broken
    assert entry.line == 1
    assert said in entry.reason
    assert "expected" in entry.reason


def test_recognise_knows_both_uk_layouts_and_no_other() -> None:
    assert uk.recognise(NORMAL[: 64 * 1024])
    assert uk.recognise(codecs.BOM_UTF8 + NORMAL)
    assert uk.recognise(_csv(_rows(RECORDS), report="").encode())  # a re-save without it
    assert uk.recognise(XML.encode())
    assert uk.recognise(b"<!-- list -->\n<Designations><DateGenerated>")
    for other in (OFAC_XML, EU_XML, FTM, OFAC_CSV, EU_CSV, CEASEFIRE, b"", b"Unique ID\n"):
        assert not uk.recognise(other), other


def test_a_semicolon_separated_re_save_reads_the_same() -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in _rows(RECORDS):
        writer.writerow([row.get(column, "") for column in COLUMNS])
    body = ("Report Date: 01/12/2026\r\n" + out.getvalue()).encode()
    assert _read(body) == _read(NORMAL)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", NORMAL[:400], XML.encode()[:400]]))
def test_no_input_raises_and_a_broken_entry_is_always_last(noise: bytes, prefix: bytes) -> None:
    entries = _read(prefix + noise)
    for entry in entries:
        assert (entry.entity is None) == bool(entry.reason)
    assert all(not e.broken for e in entries[:-1])


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_padded_day_month_year_reads_back(day: dt.date) -> None:
    assert uk.read_date(day.strftime("%d/%m/%Y")) == day.isoformat()
    assert uk.read_date(day.isoformat()) == day.isoformat()


def test_a_file_cut_inside_a_quoted_cell_is_broken_though_the_line_ends() -> None:
    person = {**PERSON, "UK Statement of Reasons": "A member of the State Duma.\nHe voted."}
    body = _csv(_rows([(BANK, BANK_NAMES), (person, PERSON_NAMES)]))
    cut = body[: body.index("He voted.")].encode()
    assert cut.endswith(b"Duma.\n")
    entries = _read(cut)
    assert entries[-1].broken
    assert entries[-1].line == 5
    assert entries[-1].reason == "the file breaks off mid-row at line 5"
    assert list(_by_id(entries)) == ["gb-fcdo-RUS0251", "gb-fcdo-RUS0251-sanction"]


def test_an_over_long_line_stops_the_reading_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_csv, "MAX_LINE_BYTES", 2000)
    body = NORMAL.replace(b"IVANOFF", b"IVAN" + b"O" * 3000)
    entries = _read(body)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "gb-fcdo-RUS0251",
        "gb-fcdo-RUS0251-sanction",
    ]
    assert entries[-1].broken
    assert entries[-1].line == 6
    assert entries[-1].reason == (
        "line 6 is longer than 2,000 bytes: nothing from it is read; "
        "designation RUS0312 (from line 5) is not read"
    )


def test_a_designation_named_only_in_another_script_keeps_that_name() -> None:
    names = [{"Name non-latin script": "Банк Пример", "Non-latin script language": "Russian"}]
    entity = _by_id(_read(_csv(_rows([(BANK, names)])).encode()))["gb-fcdo-RUS0251"]
    assert entity["properties"]["name"] == ["Банк Пример"]
    assert entity["properties"]["notes"][0] == "Name Банк Пример: Russian"


def test_a_un_designation_and_a_registration_on_several_lines_read_as_the_file_has_them() -> None:
    body = XML.replace(
        "<DesignationSource>UK</DesignationSource>\n    <SanctionsImposed>Ship",
        "<DesignationSource>UK|UN</DesignationSource>\n    <SanctionsImposed>Ship",
    ).replace("EXBKRUMM; INN: 7707083893; OGRN:", "EXBKRUMM\nINN: 7707083893\nOGRN:")
    entities = _by_id(_read(body.encode()))
    assert entities["gb-fcdo-RUS1900-sanction"]["properties"]["description"] == [
        "Designation source: UK",
        "Designation source: UN",
    ]
    assert "reason" not in entities["gb-fcdo-RUS1900-sanction"]["properties"]  # blank in the file
    bank = _props(entities["gb-fcdo-RUS0251"])
    assert (bank["swiftBic"], bank["innCode"], bank["ogrnCode"]) == (
        ["EXBKRUMM"],
        ["7707083893"],
        ["1027700132195"],
    )
    assert bank["registrationNumber"] == ["SWIFT/BIC: EXBKRUMM INN: 7707083893 OGRN: 1027700132195"]


def _many(count: int) -> list[tuple[dict[str, str], list[dict[str, str]]]]:
    return [({**BANK, "Unique ID": f"RUS{n:05d}"}, BANK_NAMES) for n in range(count)]


@pytest.mark.parametrize("layout", ["csv", "xml"])
def test_a_long_list_is_read_as_a_stream(layout: str) -> None:
    if layout == "csv":
        body = _csv(_rows(_many(3000))).encode()
    else:
        one = XML[XML.index("  <Designation>") : XML.index("</Designation>") + 15]
        many = "".join(one.replace("RUS0251", f"RUS{n:05d}") for n in range(3000))
        body = XML.replace(one, many).encode()
    stream = io.BytesIO(body)
    entries = uk.read(stream)
    first = next(entries)
    assert first.entity is not None
    assert stream.tell() < len(body) / 10  # the first designation came before the rest was read
    others = 4 if layout == "xml" else 0  # the file's person and tanker, with their sanctions
    assert 1 + sum(1 for e in entries if e.entity) == 3000 * 2 + others


def test_an_xml_in_utf_16_is_recognised_and_read() -> None:
    body = XML.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert uk.recognise(body[:4096])
    assert _by_id(_read(body)) == _by_id(_read(XML.encode()))
    assert uk.published(io.BytesIO(body)) == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        (_csv([]).encode(), 2, uk.NO_DESIGNATION),
        (
            b'<?xml version="1.0"?>\n<Designations>\n<DateGenerated>01/12/2026</DateGenerated>\n'
            b"</Designations>\n",
            1,
            uk.NO_DESIGNATION,
        ),
        (
            b"Report Date: 01/12/2026\nUnique ID,Regime Name,Name\nRUS1,Russia,X\n",
            2,
            "not the UK Sanctions List: its header lacks 'Designation Type', 'Name 6'",
        ),
        (
            b'<?xml version="1.0" encoding="bogus"?><Designations/>',
            1,
            "the XML cannot be decoded (unknown encoding: bogus): nothing after line 1 is read",
        ),
    ],
)
def test_a_list_with_no_designation_or_unreadable_is_broken_so_nothing_is_delisted(
    body: bytes, line: int, reason: str
) -> None:
    assert [(e.line, e.reason, e.broken) for e in _read(body)] == [(line, reason, True)]


def test_an_xml_element_the_reader_does_not_know_is_kept_in_notes() -> None:
    body = XML.replace(
        "<UniqueID>RUS1900</UniqueID>",
        "<UniqueID>RUS1900</UniqueID>\n    <CallSign>UBCD7</CallSign>",
    )
    entities = _by_id(_read(body.encode()))
    assert "CallSign: UBCD7" in entities["gb-fcdo-RUS1900"]["properties"]["notes"]
    person_notes = entities["gb-fcdo-RUS0312"]["properties"]["notes"]
    assert not any("AssetFreeze" in note for note in person_notes)  # read as provisions
