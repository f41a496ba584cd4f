"""Reading the EU Financial Sanctions File, XML and CSV: what is kept, what is refused, why.

The XML fixture (``files/eu/fsf.xml``) is written to the published export's shapes: a
Russian bank listed under RUS with its SWIFT BIC, OGRN and INN, a person listed twice
under UKR with names in three languages, a year of birth only and two passports, and a
tanker operator with an IMO company number. The CSV versions are built here, row by row,
under the published 118-column header, so that each untidy variant (BOM, day-first dates,
commas, a cut, a wrong encoding) differs from the clean one in just that respect.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.formats import eu
from coalition.sanctions.reading import Entry

FILES = Path(__file__).parent / "files" / "eu"
XML = (FILES / "fsf.xml").read_bytes()

# The FSF CSV header row (v1.1, 118 columns), as the published files have it.
HEADER = (FILES / "header.csv").read_text(encoding="utf-8").strip().split(";")

BANK = {
    "fileGenerationDate": "2026-11-28",
    "Entity_LogicalId": "172311",
    "Entity_EU_ReferenceNumber": "EU.7744.21",
    "Entity_DesignationDate": "2024-06-24",
    "Entity_DesignationDetails": (
        "Bank of systemic importance to the Government of the Russian Federation."
    ),
    "Entity_Remark": "Date of listing: 24.6.2024.",
    # As the published CSV has them: the letter first, the word in the classification.
    "Entity_SubjectType": "E",
    "Entity_SubjectType_ClassificationCode": "enterprise",
    "Entity_Regulation_Type": "amendment",
    "Entity_Regulation_OrganisationType": "council",
    "Entity_Regulation_PublicationDate": "2024-06-24",
    "Entity_Regulation_EntryIntoForceDate": "2024-06-24",
    "Entity_Regulation_NumberTitle": "2024/1739 (OJ L 2024/1739)",
    "Entity_Regulation_Programme": "RUS",
    "Entity_Regulation_PublicationUrl": (
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202401739"
    ),
}
BANK_ROWS = [
    BANK
    | {
        "NameAlias_WholeName": "Public Joint Stock Company Sberbank of Russia",
        "NameAlias_LogicalId": "172312",
        "NameAlias_RegulationLanguage": "en",
        "NameAlias_Regulation_NumberTitle": "2024/1739 (OJ L 2024/1739)",
    },
    BANK
    | {
        "NameAlias_WholeName": "ПАО Сбербанк",
        "NameAlias_NameLanguage": "RU",
        "NameAlias_LogicalId": "172313",
    },
    BANK
    | {
        "Address_City": "Moscow",
        "Address_Street": "19 Vavilova Street",
        "Address_ZipCode": "117312",
        "Address_CountryIso2Code": "RU",
        "Address_CountryDescription": "RUSSIAN FEDERATION",
        "Address_LogicalId": "172315",
    },
    BANK
    | {
        "Identification_Number": "SABRRUMM",
        "Identification_TypeCode": "swiftbic",
        "Identification_TypeDescription": "SWIFT BIC",
        "Identification_CountryIso2Code": "RU",
        "Identification_LogicalId": "172316",
    },
    BANK
    | {
        "Identification_Number": "1027700132195",
        "Identification_TypeCode": "regnumber",
        "Identification_TypeDescription": "Registration Number",
        "Identification_Remark": "OGRN",
        "Identification_LogicalId": "172317",
    },
]
PERSON = {
    "fileGenerationDate": "2026-11-28",
    "Entity_LogicalId": "139001",
    "Entity_EU_ReferenceNumber": "EU.6123.45",
    "Entity_SubjectType": "P",
    "Entity_SubjectType_ClassificationCode": "person",
    "Entity_Regulation_Type": "amendment",
    "Entity_Regulation_OrganisationType": "council",
    "Entity_Regulation_PublicationDate": "2022-02-23",
    "Entity_Regulation_EntryIntoForceDate": "2022-02-23",
    "Entity_Regulation_NumberTitle": "2022/260 (OJ L42 I)",
    "Entity_Regulation_Programme": "UKR",
    "Entity_Regulation_PublicationUrl": (
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022R0260"
    ),
}
PERSON_LATER = PERSON | {
    "Entity_Regulation_PublicationDate": "2023-03-14",
    "Entity_Regulation_EntryIntoForceDate": "2023-03-15",
    "Entity_Regulation_NumberTitle": "2023/571 (OJ L75 I)",
}
PERSON_ROWS = [
    PERSON
    | {
        "NameAlias_FirstName": "Ivan",
        "NameAlias_MiddleName": "Petrovich",
        "NameAlias_LastName": "SIDOROV",
        "NameAlias_WholeName": "Ivan Petrovich SIDOROV",
        "NameAlias_Gender": "M",
        "NameAlias_Function": "Member of the State Duma",
        "NameAlias_LogicalId": "139003",
    },
    PERSON
    | {
        "NameAlias_FirstName": "Иван",
        "NameAlias_LastName": "СИДОРОВ",
        "NameAlias_WholeName": "Иван Петрович СИДОРОВ",
        "NameAlias_NameLanguage": "RU",
        "NameAlias_LogicalId": "139004",
    },
    PERSON_LATER
    | {
        "BirthDate_Year": "1961",
        "BirthDate_City": "Kursk",
        "BirthDate_CountryIso2Code": "RU",
        "BirthDate_LogicalId": "139008",
    },
    PERSON_LATER
    | {
        "Identification_Number": "751234567",
        "Identification_TypeCode": "passport",
        "Identification_TypeDescription": "National passport",
        "Identification_ValidFrom": "2019-05-01",
        "Identification_LogicalId": "139009",
    },
    PERSON
    | {
        "Citizenship_CountryIso2Code": "RU",
        "Citizenship_CountryDescription": "RUSSIAN FEDERATION",
        "Citizenship_LogicalId": "139007",
    },
]


def _csv(rows: list[dict[str, str]], sep: str = ";", header: list[str] = HEADER) -> bytes:
    def cell(value: str) -> str:
        return f'"{value}"' if sep in value or '"' in value else value

    lines = [sep.join(header)]
    lines += [sep.join(cell(row.get(name, "")) for name in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _read(body: bytes) -> list[Entry]:
    return list(eu.read(io.BytesIO(body)))


def _by_id(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    return {e.entity["id"]: e.entity for e in entries if e.entity}


def _props(entries: list[Entry], entity_id: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = _by_id(entries)[entity_id]["properties"]
    return found


# -- XML ------------------------------------------------------------------------------------


def test_xml_gives_each_target_then_one_sanction_per_regulation() -> None:
    entries = _read(XML)
    assert [(e.line, e.entity["id"] if e.entity else e.reason) for e in entries] == [
        (3, "eu-fsf-172311"),
        (3, "eu-fsf-172311-2024-1739-oj-l-2024-1739"),
        (24, "eu-fsf-139001"),
        (24, "eu-fsf-139001-2022-260-oj-l42-i"),
        (24, "eu-fsf-139001-2023-571-oj-l75-i"),
        (44, "eu-fsf-180555"),
        (44, "eu-fsf-180555-2025-965-oj-l-2025-965"),
    ]
    assert not any(e.reason or e.broken for e in entries)
    assert entries[0].caption == "Public Joint Stock Company Sberbank of Russia"


def test_xml_bank_keeps_its_identifiers_address_and_contacts() -> None:
    bank = _props(_read(XML), "eu-fsf-172311")
    assert _by_id(_read(XML))["eu-fsf-172311"]["schema"] == "Organization"
    assert bank["name"] == ["Public Joint Stock Company Sberbank of Russia"]
    assert bank["alias"] == ["ПАО Сбербанк"]
    assert bank["weakAlias"] == ["Sber"]
    assert bank["swiftBic"] == ["SABRRUMM"]
    assert bank["registrationNumber"] == ["1027700132195"]
    assert bank["ogrnCode"] == ["1027700132195"]  # the remark names the register
    assert bank["taxNumber"] == ["7707083893"]
    assert bank["innCode"] == ["7707083893"]  # so does the type's description
    assert bank["address"] == ["19 Vavilova Street, 117312, Moscow, RUSSIAN FEDERATION"]
    assert bank["country"] == ["ru"]
    assert bank["website"] == ["https://www.sberbank.ru/"]
    assert bank["phone"] == ["+74955005550"]
    assert "Date of listing: 24.6.2024." in bank["notes"]


def test_xml_sanction_carries_the_regulation() -> None:
    sanction = _props(_read(XML), "eu-fsf-172311-2024-1739-oj-l-2024-1739")
    assert sanction == {
        "entity": ["eu-fsf-172311"],
        "authority": ["European Union"],
        "country": ["eu"],
        "authorityId": ["EU.7744.21"],
        "program": ["RUS"],
        "provisions": ["2024/1739 (OJ L 2024/1739)"],
        "summary": ["Council amendment: 2024/1739 (OJ L 2024/1739)"],
        "listingDate": ["2024-06-24"],
        "date": ["2024-06-24"],
        "startDate": ["2024-06-24"],
        "reason": ["Bank of systemic importance to the Government of the Russian Federation."],
        "sourceUrl": ["https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202401739"],
    }


def test_xml_person_keeps_names_in_each_language_birth_year_and_passports() -> None:
    entries = _read(XML)
    person = _props(entries, "eu-fsf-139001")
    assert person["name"] == ["Ivan Petrovich SIDOROV"]
    assert person["alias"] == ["Иван Петрович СИДОРОВ", "Ivan Petrovitch SIDOROV"]
    assert person["weakAlias"] == ["Vanya Sidorov"]
    assert person["firstName"] == ["Ivan", "Иван"]
    assert person["lastName"] == ["SIDOROV", "СИДОРОВ"]
    assert person["gender"] == ["male"]
    assert person["position"] == ["Member of the State Duma"]
    assert person["nationality"] == ["ru"]
    assert person["birthDate"] == ["1961"]
    assert person["birthPlace"] == ["Kursk"]
    assert person["birthCountry"] == ["ru"]
    assert person["passportNumber"] == ["751234567", "200123456"]
    assert "Diplomatic passport: 200123456 (RU; diplomatic)" in person["notes"]
    assert (
        "National passport: 751234567 (RU; issued by Ministry of Internal Affairs; "
        "valid from 2019-05-01; valid to 2029-05-01)"
    ) in person["notes"]
    assert "Name Vanya Sidorov: low quality alias" in person["notes"]
    later = _props(entries, "eu-fsf-139001-2023-571-oj-l75-i")
    assert later["listingDate"] == ["2023-03-14"]
    assert later["startDate"] == ["2023-03-15"]
    assert "date" not in later  # this older record states no designationDate


def test_xml_imo_company_number_is_kept_on_the_organization() -> None:
    operator = _props(_read(XML), "eu-fsf-180555")
    assert operator["imoNumber"] == ["IMO6354972"]
    assert operator["address"] == ["P.O. Box 12345, Dubai, UNITED ARAB EMIRATES"]


def _xml(*entities: str, generated: str = "2026-11-28T17:26:53.906+01:00") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<export xmlns="{eu.NAMESPACE}" generationDate="{generated}">\n'
        + "".join(entities)
        + "</export>\n"
    ).encode()


def _entity(logical_id: str, body: str, subject: str = "enterprise") -> str:
    return (
        f'<sanctionEntity euReferenceNumber="EU.1.{logical_id}" logicalId="{logical_id}">\n'
        f'<regulation programme="RUS" numberTitle="2024/1739 (OJ L 2024/1739)" logicalId="9"/>\n'
        f'<subjectType code="{subject}"/>\n'
        f"{body}</sanctionEntity>\n"
    )


def _name(name: str) -> str:
    return f'<nameAlias wholeName="{name}" strong="true"/>\n'


def test_xml_entity_without_a_name_is_refused_and_the_rest_read() -> None:
    body = _xml(_entity("1", _name("First LLC")), _entity("2", ""), _entity("3", _name("Third")))
    entries = _read(body)
    refused = [e for e in entries if e.reason]
    assert [(e.line, e.reason) for e in refused] == [(8, "Organization eu-fsf-2: no name")]
    assert [e.entity["id"] for e in entries if e.entity and e.entity["schema"] != "Sanction"] == [
        "eu-fsf-1",
        "eu-fsf-3",
    ]
    assert "eu-fsf-2-2024-1739-oj-l-2024-1739" not in _by_id(entries)


def test_xml_truncated_mid_entity_reads_what_came_before_then_breaks() -> None:
    cut = XML[: XML.index(b"<birthdate")]
    entries = _read(cut)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "eu-fsf-172311",
        "eu-fsf-172311-2024-1739-oj-l-2024-1739",
    ]
    last = entries[-1]
    assert last.broken
    assert last.line == 39
    assert last.reason.startswith("the file breaks off")


def test_xml_with_a_doctype_is_refused_without_expanding_it() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE export [<!ENTITY boom "boom">]>\n'
        b'<export xmlns="http://eu.europa.ec/fpi/fsd/export">'
        b'<sanctionEntity logicalId="1"><subjectType code="person"/>'
        b'<nameAlias wholeName="&boom;" strong="true"/></sanctionEntity></export>\n'
    )
    (entry,) = _read(body)
    assert entry.broken
    assert entry.line == 2
    assert "DTD" in entry.reason and "refused" in entry.reason


def test_xml_of_an_unknown_subject_type_is_refused() -> None:
    (entry,) = _read(_xml(_entity("5", _name("Someone"), subject="aircraft")))
    assert entry.reason == (
        "designation 5: unknown subject type 'aircraft' (person or enterprise expected)"
    )


def test_xml_subject_type_vessel_is_read_as_a_vessel() -> None:
    ident = '<identification identificationTypeCode="imo" number="9187629"/>\n'
    entries = _read(_xml(_entity("7", _name("EXAMPLE STAR") + ident, subject="vessel")))
    vessel = _by_id(entries)["eu-fsf-7"]
    assert vessel["schema"] == "Vessel"
    assert vessel["properties"]["imoNumber"] == ["IMO9187629"]


def test_xml_identification_of_another_type_is_an_id_number_with_its_type_noted() -> None:
    ident = (
        '<identification identificationTypeCode="drivinglicence" '
        'identificationTypeDescription="Driving licence" number="77 12 345678"/>\n'
    )
    entries = _read(_xml(_entity("8", _name("Petr Ivanov") + ident, subject="person")))
    person = _props(entries, "eu-fsf-8")
    assert person["idNumber"] == ["77 12 345678"]
    assert "Driving licence: 77 12 345678" in person["notes"]


def test_xml_birthdates_circa_range_and_other_calendars_are_noted() -> None:
    births = (
        '<birthdate circa="true" year="1953" yearRangeFrom="1953" yearRangeTo="1958" '
        'city="Tirin Kot" countryIso2Code="AF" countryDescription="AFGHANISTAN"/>\n'
        '<birthdate calendarType="ISLAMIC" birthdate="1380-01-01" countryIso2Code="00" '
        'countryDescription="UNKNOWN"/>\n'
        '<birthdate birthdate="1961-04-12" monthOfYear="4" dayOfMonth="12" year="1961"/>\n'
    )
    entries = _read(_xml(_entity("9", _name("Mullah Example") + births, subject="P")))
    person = _props(entries, "eu-fsf-9")
    assert person["birthDate"] == ["1953", "1961-04-12"]
    assert person["birthCountry"] == ["af"]
    assert "Date of birth as published: 1953, circa, between 1953 and 1958" in person["notes"]
    assert "Date of birth (ISLAMIC calendar): 1380-01-01" in person["notes"]


def test_another_layout_is_refused_naming_what_was_expected() -> None:
    ofac = (
        b'<?xml version="1.0"?>\n<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov'
        b'/api/PublicationPreview/exports/XML"><publshInformation/></sdnList>\n'
    )
    uk_csv = b"Last Updated,28/11/2026\nName 6,Name 1,Name 2\n"
    ftm = json.dumps({"id": "p1", "schema": "Person", "properties": {}}).encode() + b"\n"
    for body, line, found in (
        (ofac, 2, "its root element is <sdnList>"),
        (uk_csv, 1, "its first line is 'Last Updated,28/11/2026'"),
        (ftm, 1, "its first line is JSON (FollowTheMoney entities?)"),
    ):
        (entry,) = _read(body)
        assert entry.broken and entry.line == line
        assert entry.reason.startswith(f"not the EU Financial Sanctions File: {found}")
        assert "expected the FSF XML export" in entry.reason


def test_empty_files_are_refused() -> None:
    for body in (b"", b"\n\n  \n", b"\xef\xbb\xbf"):
        assert [(e.line, e.reason, e.broken) for e in _read(body)] == [
            (1, "the file is empty", True)
        ]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(XML) - 1))
def test_xml_cut_anywhere_never_raises_and_ends_broken(at: int) -> None:
    entries = _read(XML[:at])
    complete = XML[:at].rstrip().endswith(b"</export>")
    assert entries and entries[-1].broken != complete
    whole = _by_id(_read(XML))
    for entity_id, entity in _by_id(entries).items():
        assert entity == whole[entity_id]  # never a target read in part


# -- CSV ------------------------------------------------------------------------------------

ROWS = BANK_ROWS + PERSON_ROWS


def test_csv_reads_the_same_designations_as_the_xml() -> None:
    entries = _read(_csv(ROWS))
    assert [(e.line, e.entity["id"] if e.entity else e.reason) for e in entries] == [
        (2, "eu-fsf-172311"),
        (2, "eu-fsf-172311-2024-1739-oj-l-2024-1739"),
        (7, "eu-fsf-139001"),
        (7, "eu-fsf-139001-2022-260-oj-l42-i"),
        (7, "eu-fsf-139001-2023-571-oj-l75-i"),
    ]
    xml = _by_id(_read(XML))
    bank = _props(entries, "eu-fsf-172311")
    for prop in ("name", "swiftBic", "registrationNumber", "ogrnCode", "address", "country"):
        assert bank[prop] == xml["eu-fsf-172311"]["properties"][prop]
    assert bank["alias"] == ["ПАО Сбербанк"]
    sanction = "eu-fsf-172311-2024-1739-oj-l-2024-1739"
    assert _by_id(entries)[sanction] == xml[sanction]
    person = _props(entries, "eu-fsf-139001")
    assert person["name"] == ["Ivan Petrovich SIDOROV"]
    assert person["alias"] == ["Иван Петрович СИДОРОВ"]
    assert person["birthDate"] == ["1961"]
    assert person["birthPlace"] == ["Kursk"]
    assert person["nationality"] == ["ru"]
    assert person["passportNumber"] == ["751234567"]
    assert person["gender"] == ["male"]
    later = _props(entries, "eu-fsf-139001-2023-571-oj-l75-i")
    assert later["startDate"] == ["2023-03-15"]


def test_csv_with_a_bom_reads_the_same() -> None:
    assert _read(b"\xef\xbb\xbf" + _csv(ROWS)) == _read(_csv(ROWS))


def test_csv_resaved_with_day_first_dates_and_commas_reads_the_same() -> None:
    def day_first(row: dict[str, str]) -> dict[str, str]:
        def flip(value: str) -> str:
            return eu.iso_date(value) and dt.date.fromisoformat(value).strftime("%d/%m/%Y")

        dated = ("Date", "fileGenerationDate", "ValidFrom")
        return {k: flip(v) if k.endswith(dated) and v else v for k, v in row.items()}

    resaved = [day_first(row) for row in ROWS]
    assert resaved[0]["Entity_DesignationDate"] == "24/06/2024"
    assert _read(_csv(resaved, sep=",")) == _read(_csv(ROWS))
    assert eu.published(io.BytesIO(_csv(resaved, sep=","))) == dt.date(2026, 11, 28)


def test_csv_cut_mid_row_reads_whole_designations_then_breaks() -> None:
    body = _csv(ROWS)
    cut = body[: body.index(b"Kursk")]
    entries = _read(cut)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "eu-fsf-172311",
        "eu-fsf-172311-2024-1739-oj-l-2024-1739",
    ]
    last = entries[-1]
    assert last.broken and last.line == 9
    assert last.reason.startswith("the file breaks off mid-row (")
    assert last.reason.endswith("; designation 139001 is not read")


def test_csv_row_in_another_encoding_refuses_its_designation_only() -> None:
    body = _csv(ROWS).replace("Иван Петрович СИДОРОВ".encode(), "Iván Sidorov".encode("cp1252"))
    entries = _read(body)
    assert [e.entity["id"] for e in entries if e.entity][:1] == ["eu-fsf-172311"]
    (refused,) = [e for e in entries if e.reason]
    assert refused.line == 7
    assert refused.reason.startswith(
        "designation 139001 (lines 7-11) refused: line 8: not UTF-8 text (byte 0xE1"
    )
    assert "eu-fsf-139001" not in _by_id(entries)


def test_csv_rows_of_a_designation_not_consecutive_are_refused() -> None:
    rows = [*BANK_ROWS[:2], *PERSON_ROWS, BANK_ROWS[2]]
    entries = _read(_csv(rows))
    (refused,) = [e for e in entries if e.reason]
    assert refused.line == 9
    assert refused.reason == (
        "designation 172311 (line 9): its rows already ended at line 3; "
        "a designation's rows must be consecutive"
    )
    assert "eu-fsf-139001" in _by_id(entries)


def test_csv_row_of_the_wrong_width_refuses_its_designation() -> None:
    body = _csv(ROWS).decode().splitlines()
    body[3] = body[3] + ";extra"
    entries = _read(("\n".join(body) + "\n").encode())
    (refused,) = [e for e in entries if e.reason]
    assert refused.reason == (
        f"designation 172311 (lines 2-6) refused: line 4: {len(HEADER) + 1} fields "
        f"where the header has {len(HEADER)}"
    )


# -- recognising and dating -----------------------------------------------------------------


def test_recognise_both_layouts_and_nothing_else() -> None:
    assert eu.recognise(XML[: 64 * 1024])
    assert eu.recognise(_csv(ROWS))
    assert eu.recognise(b"\xef\xbb\xbf" + _csv(ROWS, sep=","))
    assert eu.recognise(b'<export><sanctionEntity logicalId="1"></sanctionEntity></export>')
    for head in (
        b'<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd">',
        b'<?xml version="1.0"?>\n<Designations><DateGenerated>28/11/2026</DateGenerated>',
        b"Last Updated,28/11/2026\nName 6,Name 1,Name 2,Name 3\n",
        b'{"id": "p1", "schema": "Person", "properties": {}}\n',
        b"report_id,reported_at,source,reliability,credibility,latitude,longitude,type\n",
        b"<export><item/></export>",
        b"",
    ):
        assert not eu.recognise(head), head


def test_published_reads_the_generation_date() -> None:
    assert eu.published(io.BytesIO(XML)) == dt.date(2026, 11, 28)
    assert eu.published(io.BytesIO(_csv(ROWS))) == dt.date(2026, 11, 28)
    without = [name for name in HEADER if name != "fileGenerationDate"]
    assert eu.published(io.BytesIO(_csv(ROWS, header=without))) is None
    assert eu.published(io.BytesIO(_xml(generated="not a date"))) is None
    assert eu.published(io.BytesIO(b"<!DOCTYPE x><export/>")) is None
    assert eu.published(io.BytesIO(b"")) is None


@given(st.dates(min_value=dt.date(1900, 1, 1)))
def test_iso_date_reads_both_orders(day: dt.date) -> None:
    assert eu.iso_date(day.isoformat()) == day.isoformat()
    assert eu.iso_date(day.strftime("%d/%m/%Y")) == day.isoformat()
    assert eu.iso_date(day.isoformat() + "T10:00:00+01:00") == day.isoformat()


def test_xml_same_act_listed_twice_gives_distinct_sanction_ids() -> None:
    act = 'numberTitle="2022/260 (OJ L42 I)"'
    twice = (
        f'<regulation programme="UKR" {act} publicationDate="2022-02-23"/>\n'
        f'<regulation programme="RUS" {act}/>\n'
        f'<regulation programme="RUS" {act} publicationDate="2024-01-01"/>\n'
    )
    entries = _read(_xml(_entity("11", _name("Twice Listed LLC") + twice)))
    assert [e.entity["id"] for e in entries if e.entity][1:] == [
        "eu-fsf-11-2024-1739-oj-l-2024-1739",
        "eu-fsf-11-2022-260-oj-l42-i-ukr",
        "eu-fsf-11-2022-260-oj-l42-i-rus",
        "eu-fsf-11-2022-260-oj-l42-i-rus-2",
    ]


def test_xml_logical_id_that_is_no_identifier_is_refused() -> None:
    body = _xml(_entity("1", _name("Good LLC")).replace('logicalId="1"', 'logicalId="a b/c"', 1))
    (entry,) = _read(body)
    assert entry.line == 3
    assert entry.reason == "a designation whose logicalId is not an identifier: 'a b/c'"


def test_xml_is_streamed_in_flat_memory() -> None:
    import tracemalloc

    def peak(count: int) -> int:
        body = _xml(*(_entity(str(n), _name(f"Company {n} LLC")) for n in range(count)))
        tracemalloc.start()
        try:
            read = sum(1 for _ in eu.read(io.BytesIO(body)))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert read == 2 * count

    small, large = peak(100), peak(1000)
    assert large < small * 2  # ten times the designations, not ten times the memory


def test_csv_tab_separated_reads_the_same() -> None:
    assert _read(_csv(ROWS, sep="\t")) == _read(_csv(ROWS))


def test_xml_with_a_bom_and_a_namespace_prefix_reads_the_same() -> None:
    body = (
        "\ufeff" + XML.decode().replace("<", "<f:").replace("<f:/", "</f:").replace("<f:?", "<?")
    ).replace('xmlns="', 'xmlns:f="')
    assert body.count("<f:sanctionEntity") == 3
    assert _read(body.encode()) == _read(XML)
    assert eu.published(io.BytesIO(body.encode())) == dt.date(2026, 11, 28)


def test_xml_not_well_formed_mid_file_keeps_what_came_before() -> None:
    body = XML.replace(b'<nameAlias firstName="Ivan"', b'<nameAlias firstName="Ivan" <', 1)
    entries = _read(body)
    assert [e.entity["id"] for e in entries if e.entity][:1] == ["eu-fsf-172311"]
    assert entries[-1].broken and entries[-1].line == 32
    assert entries[-1].reason.startswith("not well-formed XML: not well-formed (invalid token)")


def test_utf16_file_is_refused_whole() -> None:
    (entry,) = _read(_csv(ROWS).decode().encode("utf-16"))
    assert entry.broken
    assert entry.reason == "the file is UTF-16 text: the FSF is published in UTF-8"


def test_long_regulation_title_gives_a_short_stable_id() -> None:
    title = "Council Implementing Regulation " * 6
    regulation = f'<regulation programme="RUS" numberTitle="{title}"/>\n'
    entries = _read(_xml(_entity("12", _name("Long Title LLC") + regulation)))
    sanction_id = [e.entity["id"] for e in entries if e.entity][-1]
    assert sanction_id.startswith("eu-fsf-12-council-implementing-regulation-council-")
    assert len(sanction_id) == len("eu-fsf-12-") + 80
    assert (
        sanction_id
        == [e.entity["id"] for e in _read(_xml(_entity("12", _name("X") + regulation)))][-1]
    )


def test_a_zip_given_as_the_eu_layout_is_broken_not_an_error() -> None:
    import zipfile

    from coalition.sanctions.formats import eu

    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as z:
        z.writestr("sdn.csv", '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n')
    entries = list(eu.read(io.BytesIO(body.getvalue())))
    assert len(entries) == 1 and entries[0].broken
