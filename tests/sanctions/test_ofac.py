"""The OFAC SDN readers, on small files written in OFAC's published layouts.

Each test builds its file in memory (rows as OFAC writes them: every text cell quoted,
``-0-`` for empty, CRLF line ends) and asserts what the reader makes of it: the entities'
ids and properties, the line each entry names, and the reason of each refusal or break.
No database: the readers are pure.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.formats import ofac, recognise
from coalition.sanctions.formats.ofac import sdn_csv, sdn_rows
from coalition.sanctions.reading import Entry

NULL = "-0- "
IMO_TANKER = "9179830"  # a valid IMO number: 9*7+1*6+7*5+9*4+8*3+3*2 = 170, check digit 0
IMO_OTHER = "9187629"  # 9*7+1*6+8*5+7*4+6*3+2*2 = 159, check digit 9


def sdn_row(
    ent_num: int | str,
    name: str,
    kind: str = NULL,
    program: str = "RUSSIA-EO14024",
    remarks: str = NULL,
    *,
    title: str = NULL,
    vessel: tuple[str, str, str, str, str, str] = (NULL,) * 6,
) -> str:
    """One sdn.csv row as OFAC writes it, with its CRLF."""
    cells = [name, kind, program, title, *vessel, remarks]
    return f"{ent_num}," + ",".join(f'"{cell}"' for cell in cells) + "\r\n"


BANK = sdn_row(
    17018,
    "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA",
    program="UKRAINE-EO13662] [RUSSIA-EO14024",
    remarks=(
        "SWIFT/BIC SABRRUMM; Website www.sberbank.ru; Email Address sberbank@sberbank.ru; "
        "Tax ID No. 7707083893 (Russia); Registration Number 1027700132195 (Russia); "
        "Listing Date (EO 14024 Directive 3): 24 Feb 2022; "
        "Effective Date (EO 14024 Directive 3): 26 Mar 2022; "
        "Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Organization Established Date 20 Jun 1991; a.k.a. 'SBERBANK INDIA'."
    ),
)
PERSON = sdn_row(
    35096,
    "IVANOV, Pyotr Sergeyevich",
    "individual",
    remarks=(
        "DOB 07 Oct 1952; alt. DOB 1953; POB Leningrad, Russia; nationality Russia; "
        "citizen Russia; Gender Male; Passport 7512345 (Russia) expires 01 Jan 2030; "
        "National ID No. 4500123456 (Russia); f.k.a. 'PETROV, Pyotr'."
    ),
    title="Deputy Minister of Defense",
)
TANKER = sdn_row(
    52001,
    "SEA GLORY",
    "vessel",
    remarks=(
        f"Vessel Registration Identification IMO {IMO_TANKER}; MMSI 613123456; "
        "Linked To: EXAMPLE SHIPPING LLC."
    ),
    vessel=("TJMC2", "Crude Oil Tanker", "159,000", "81,479", "Cameroon", "EXAMPLE SHIPPING LLC"),
)


def read_csv(data: bytes) -> list[Entry]:
    return list(ofac.read_csv(io.BytesIO(data)))


def entities(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    """The entities of ``entries`` by id."""
    return {e.entity["id"]: e.entity for e in entries if e.entity is not None}


def props(entries: list[Entry], entity_id: str) -> dict[str, list[str]]:
    return dict(entities(entries)[entity_id]["properties"])


def zipped(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- sdn.csv alone ---------------------------------------------------------------------


def test_a_bare_sdn_csv_gives_each_target_then_its_sanction() -> None:
    entries = read_csv((BANK + PERSON + TANKER).encode())
    assert [(e.line, e.entity["id"] if e.entity else None) for e in entries] == [
        (1, "ofac-17018"),
        (1, "ofac-17018-sanction"),
        (2, "ofac-35096"),
        (2, "ofac-35096-sanction"),
        (3, "ofac-52001"),
        (3, "ofac-52001-sanction"),
    ]
    schemas = {k: v["schema"] for k, v in entities(entries).items()}
    assert schemas["ofac-17018"] == "LegalEntity"
    assert schemas["ofac-35096"] == "Person"
    assert schemas["ofac-52001"] == "Vessel"
    assert entries[0].caption == "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"


def test_a_bank_gets_its_swift_code_tax_and_registration_numbers() -> None:
    bank = props(read_csv(BANK.encode()), "ofac-17018")
    assert bank["swiftBic"] == ["SABRRUMM"]
    assert bank["taxNumber"] == ["7707083893"]
    assert bank["innCode"] == ["7707083893"]  # a Russian tax number is an INN
    assert bank["registrationNumber"] == ["1027700132195"]
    assert bank["ogrnCode"] == ["1027700132195"]
    assert bank["website"] == ["http://www.sberbank.ru/"]
    assert bank["email"] == ["sberbank@sberbank.ru"]
    assert bank["incorporationDate"] == ["1991-06-20"]
    assert bank["weakAlias"] == ["SBERBANK INDIA"]  # a.k.a.s in remarks are the weak ones
    assert bank["notes"][0].startswith("SWIFT/BIC SABRRUMM; Website")  # remarks kept whole


def test_the_sanction_holds_each_program_and_what_the_remarks_say_of_the_listing() -> None:
    sanction = props(read_csv(BANK.encode()), "ofac-17018-sanction")
    assert sanction["entity"] == ["ofac-17018"]
    assert sanction["authority"] == ["US Treasury, Office of Foreign Assets Control"]
    assert sanction["authorityId"] == ["17018"]
    assert sanction["program"] == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert sanction["country"] == ["us"]
    assert sanction["sourceUrl"][0].startswith("https://ofac.treasury.gov/")
    assert sanction["listingDate"] == ["2022-02-24"]
    assert sanction["startDate"] == ["2022-03-26"]
    assert (
        "Additional Sanctions Information - Subject to Secondary Sanctions"
        in (sanction["provisions"])
    )


def test_a_person_gets_names_birth_nationality_and_papers() -> None:
    person = props(read_csv(PERSON.encode()), "ofac-35096")
    assert person["name"] == ["Pyotr Sergeyevich IVANOV"]
    assert person["firstName"] == ["Pyotr Sergeyevich"]
    assert person["lastName"] == ["IVANOV"]
    assert person["position"] == ["Deputy Minister of Defense"]
    assert person["birthDate"] == ["1952-10-07", "1953"]
    assert person["birthPlace"] == ["Leningrad, Russia"]
    assert person["nationality"] == ["ru"]
    assert person["citizenship"] == ["ru"]
    assert person["gender"] == ["male"]
    assert person["passportNumber"] == ["7512345"]
    assert person["idNumber"] == ["4500123456"]
    assert person["previousName"] == ["PETROV, Pyotr"]


def test_a_tanker_gets_its_imo_mmsi_flag_and_tonnage() -> None:
    tanker = props(read_csv(TANKER.encode()), "ofac-52001")
    assert tanker["imoNumber"] == [f"IMO{IMO_TANKER}"]
    assert tanker["mmsi"] == ["613123456"]
    assert tanker["callSign"] == ["TJMC2"]
    assert tanker["type"] == ["Crude Oil Tanker"]
    assert tanker["flag"] == ["cm"]
    assert tanker["tonnage"] == ["159,000"]
    assert tanker["grossRegisteredTonnage"] == ["81,479"]
    assert "Vessel owner: EXAMPLE SHIPPING LLC" in tanker["notes"]


def test_a_fact_the_schema_has_no_property_for_is_kept_in_notes_under_its_label() -> None:
    row = sdn_row(
        61001,
        "EXAMPLE SHIPPING LLC",
        remarks=f"Vessel Registration Identification IMO {IMO_OTHER}; MMSI 613000001.",
    )
    company = props(read_csv(row.encode()), "ofac-61001")
    assert "imoNumber" not in company  # LegalEntity has no IMO number in FtM
    assert f"Vessel Registration Identification: IMO {IMO_OTHER}" in company["notes"]
    assert "MMSI: 613000001" in company["notes"]


def test_a_value_ftm_refuses_is_kept_as_published() -> None:
    row = sdn_row(
        61002, "BAD CHECK", "vessel", remarks="Vessel Registration Identification IMO 9179834."
    )
    vessel = props(read_csv(row.encode()), "ofac-61002")
    assert "imoNumber" not in vessel  # the check digit is wrong
    assert "IMO Number as published: IMO 9179834" in vessel["notes"]


def test_empty_cells_written_as_null_are_empty() -> None:
    entries = read_csv(sdn_row(70001, "NULL CELLS LTD", remarks=NULL).encode())
    company = props(entries, "ofac-70001")
    assert company == {"name": ["NULL CELLS LTD"]}
    assert all("-0-" not in str(e.entity) for e in entries)


def test_windows_1252_is_read_when_the_file_is_not_utf8() -> None:
    row = sdn_row(
        70002, "BANCO MERCANTIL DE MÉXICO", remarks="Website www.example.mx; a.k.a. 'CAFÉ ÑANDÚ'."
    )
    company = props(read_csv(row.encode("cp1252")), "ofac-70002")
    assert company["name"] == ["BANCO MERCANTIL DE MÉXICO"]
    assert company["weakAlias"] == ["CAFÉ ÑANDÚ"]


def test_utf8_with_accents_is_read_as_utf8() -> None:
    row = sdn_row(70003, "ŽELEZNIČNÍ SPOLEČNOST", remarks=NULL)
    assert props(read_csv(row.encode("utf-8")), "ofac-70003")["name"] == ["ŽELEZNIČNÍ SPOLEČNOST"]


def test_line_ends_crlf_lf_or_cr_alone_all_read() -> None:
    rows = BANK + PERSON
    for ending in ("\r\n", "\n", "\r"):
        entries = read_csv(rows.replace("\r\n", ending).encode())
        assert [e.line for e in entries if e.entity] == [1, 1, 2, 2], ending


def test_the_control_z_old_files_end_with_is_ignored() -> None:
    entries = read_csv((BANK + PERSON).encode() + b"\x1a")
    assert [e.reason for e in entries] == ["", "", "", ""]
    assert len(entities(entries)) == 4


def test_a_row_with_programs_but_no_name_is_refused_and_the_rest_read() -> None:
    data = BANK + sdn_row(80001, "", program="SDGT") + PERSON
    entries = read_csv(data.encode())
    refusals = [(e.line, e.reason) for e in entries if e.entity is None]
    assert refusals == [(2, "ent_num 80001: no name, so nothing to list")]
    assert "ofac-80001-sanction" not in entities(entries)
    assert {"ofac-17018", "ofac-35096"} <= set(entities(entries))
    assert [e.line for e in entries if e.entity and e.entity["id"] == "ofac-35096"] == [3]


def test_a_row_with_the_wrong_number_of_columns_is_refused_with_its_line() -> None:
    data = BANK + '80002,"SHORT ROW","-0- ","SDGT"\r\n' + PERSON
    entries = read_csv(data.encode())
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (2, "sdn.csv line 2: 4 columns, expected 12")
    ]
    assert "ofac-35096" in entities(entries)


def test_a_line_over_the_limit_is_refused_without_being_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sdn_rows, "MAX_LINE_CHARS", 1200)
    long_row = sdn_row(80004, "LONG", remarks="x" * 5000)
    entries = read_csv((BANK + long_row + PERSON).encode())
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (2, "sdn.csv line 2: longer than 1,200 characters")
    ]
    assert {"ofac-17018", "ofac-35096"} <= set(entities(entries))


def test_a_repeated_ent_num_and_an_unknown_type_are_refused() -> None:
    data = BANK + sdn_row(17018, "AGAIN") + sdn_row(80003, "X", "ship")
    entries = read_csv(data.encode())
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (2, "ent_num 17018 appears again (first on line 1)"),
        (3, "SDN_Type 'ship' is none of individual, vessel, aircraft or blank (entity)"),
    ]


def test_a_file_cut_mid_row_reads_the_rows_before_and_then_breaks() -> None:
    data = (BANK + PERSON + TANKER).encode()
    cut = data[: len(BANK + PERSON) + 60]  # inside the tanker's quoted cells
    entries = read_csv(cut)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "ofac-17018",
        "ofac-17018-sanction",
        "ofac-35096",
        "ofac-35096-sanction",
    ]
    last = entries[-1]
    assert last.broken and last.line == 3
    assert last.reason == "sdn.csv breaks off in the row of line 3"


def test_a_file_cut_between_cells_breaks_too() -> None:
    entries = read_csv((BANK + '52001,"SEA GLORY","vessel",').encode())
    assert entries[-1].broken and entries[-1].line == 2


def test_a_last_row_without_a_line_break_is_whole() -> None:
    entries = read_csv((BANK + PERSON.rstrip("\r\n")).encode())
    assert not any(e.broken for e in entries)
    assert "ofac-35096" in entities(entries)


def test_an_empty_file_breaks_so_it_never_passes_for_an_empty_list() -> None:
    for data in (b"", b"\r\n", b"\x1a"):
        entries = read_csv(data)
        assert len(entries) == 1 and entries[0].broken
        assert entries[0].reason == "the file is empty: expected the rows of OFAC's sdn.csv"


def test_another_csv_is_not_taken_for_sdn_csv() -> None:
    entries = read_csv(b"date,region,type,casualties\r\n2025-03-12,Zaporizhzhia,shelling,2\r\n")
    assert len(entries) == 1 and entries[0].broken and entries[0].line == 1
    assert entries[0].reason.startswith("not OFAC's sdn.csv: its first row")


def test_sdn_xml_given_as_csv_is_refused_naming_what_was_expected() -> None:
    entries = read_csv(sdn_xml(XML_BANK, count=1))
    assert len(entries) == 1 and entries[0].broken and entries[0].line == 1
    assert "expected 12 starting with a number (ent_num, SDN_Name, ...)" in entries[0].reason


def test_a_header_row_some_copies_carry_is_skipped() -> None:
    header = ",".join(ofac.SDN_COLUMNS) + "\r\n"
    entries = read_csv((header + BANK).encode())
    assert [e.line for e in entries] == [2, 2]


# -- the zip with add.csv, alt.csv and sdn_comments.csv ----------------------------------


ADD = (
    '17018,25001,"19 Vavilova St.","Moscow 117997","Russia","-0- "\r\n'
    '35096,25002,"-0- ","Moscow","Russia","Former residence"\r\n'
)
ALT = (
    '17018,30001,"a.k.a.","SBERBANK","-0- "\r\n'
    '17018,30002,"f.k.a.","SAVINGS BANK OF THE RUSSIAN FEDERATION","-0- "\r\n'
    '35096,30003,"a.k.a.","IVANOV, Petr","-0- "\r\n'
)


def test_a_zip_joins_addresses_and_names_to_the_right_entity() -> None:
    data = zipped(
        {"sdn.csv": (BANK + PERSON).encode(), "add.csv": ADD.encode(), "alt.csv": ALT.encode()}
    )
    entries = read_csv(data)
    bank, person = props(entries, "ofac-17018"), props(entries, "ofac-35096")
    assert bank["address"] == ["19 Vavilova St., Moscow 117997, Russia"]
    assert bank["country"] == ["ru"]
    assert bank["alias"] == ["SBERBANK"]
    assert bank["previousName"] == ["SAVINGS BANK OF THE RUSSIAN FEDERATION"]
    assert person["alias"] == ["Petr IVANOV"]
    assert person["address"] == ["Moscow, Russia"]
    assert "Remarks on the address Moscow, Russia: Former residence" in person["notes"]
    assert "SBERBANK" not in person.get("alias", [])


def test_a_zip_may_hold_its_files_in_a_folder_and_in_any_case() -> None:
    data = zipped({"sdall/SDN.CSV": BANK.encode(), "sdall/ALT.CSV": ALT.encode()})
    assert props(read_csv(data), "ofac-17018")["alias"] == ["SBERBANK"]


def test_remarks_continued_in_sdn_comments_are_joined_where_they_were_cut() -> None:
    head = "SWIFT/BIC SABRRUMM; Tax ID No. 77070"
    row = sdn_row(17018, "SBERBANK", remarks=head)
    comments = "17018,\"83893 (Russia); a.k.a. 'SBERBANK MUMBAI'.\"\r\n"
    entries = read_csv(zipped({"sdn.csv": row.encode(), "sdn_comments.csv": comments.encode()}))
    bank = props(entries, "ofac-17018")
    assert bank["taxNumber"] == ["7707083893"]
    assert bank["weakAlias"] == ["SBERBANK MUMBAI"]


def test_remarks_cut_after_a_space_keep_the_space_when_joined() -> None:
    row = sdn_row(17018, "SBERBANK", remarks="SWIFT/BIC SABRRUMM; Tax ID No. ")
    comments = '17018,"7707083893 (Russia)."\r\n'
    entries = read_csv(zipped({"sdn.csv": row.encode(), "sdn_comments.csv": comments.encode()}))
    bank = props(entries, "ofac-17018")
    assert bank["taxNumber"] == ["7707083893"]
    assert bank["notes"] == ["SWIFT/BIC SABRRUMM; Tax ID No. 7707083893 (Russia)."]


def test_side_rows_of_an_unknown_entity_or_the_wrong_shape_are_reported() -> None:
    add = ADD + '99999,25009,"Somewhere","-0- ","Iran","-0- "\r\n' + '17018,"bad"\r\n'
    entries = read_csv(zipped({"sdn.csv": BANK.encode(), "add.csv": add.encode()}))
    reasons = [e.reason for e in entries if e.entity is None]
    assert "add.csv line 4: 2 columns, expected 6" in reasons
    assert "add.csv: rows of 2 ent_num not in sdn.csv (35096, 99999)" in reasons
    assert "ofac-17018" in entities(entries)


def test_a_zip_without_sdn_csv_breaks() -> None:
    entries = read_csv(zipped({"add.csv": ADD.encode()}))
    assert len(entries) == 1 and entries[0].broken
    assert entries[0].reason == "the zip holds no sdn.csv (it holds add.csv)"


def test_a_zip_bomb_is_refused_unread() -> None:
    bomb = zipped({"sdn.csv": BANK.encode() + b" " * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # twenty megabytes packed into a few kilobytes
    entries = read_csv(bomb)
    assert len(entries) == 1 and entries[0].broken
    assert "refused as a zip bomb" in entries[0].reason


def test_a_zip_member_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdn_csv, "MAX_MEMBER_BYTES", 1000)
    entries = read_csv(zipped({"sdn.csv": (BANK * 10).encode()}, zipfile.ZIP_STORED))
    assert len(entries) == 1 and entries[0].broken
    assert "unpacked, over 1,000: refused" in entries[0].reason


def test_a_zip_cut_short_breaks() -> None:
    data = zipped({"sdn.csv": (BANK + PERSON).encode()})
    entries = read_csv(data[: len(data) // 2])
    assert len(entries) == 1 and entries[0].broken
    assert "zip archive" in entries[0].reason


# -- SDN.XML -----------------------------------------------------------------------------

OLD_NS = "http://tempuri.org/sdnList.xsd"
NEW_NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def sdn_xml(entries: str, namespace: str = OLD_NS, count: int = 3) -> bytes:
    return f"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{namespace}">
  <publshInformation>
    <Publish_Date>03/14/2025</Publish_Date>
    <Record_Count>{count}</Record_Count>
  </publshInformation>
{entries}</sdnList>
""".encode()


XML_PERSON = """  <sdnEntry>
    <uid>35096</uid>
    <firstName>Pyotr Sergeyevich</firstName>
    <lastName>IVANOV</lastName>
    <title>Deputy Minister of Defense</title>
    <sdnType>Individual</sdnType>
    <programList>
      <program>UKRAINE-EO13661</program>
      <program>RUSSIA-EO14024</program>
    </programList>
    <idList>
      <id><uid>1</uid><idType>Passport</idType><idNumber>7512345</idNumber>
        <idCountry>Russia</idCountry><expirationDate>01 Jan 2030</expirationDate></id>
      <id><uid>2</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
      <id><uid>3</uid><idType>Secondary sanctions risk:</idType>
        <idNumber>Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>4</uid><type>a.k.a.</type><category>strong</category>
        <lastName>IVANOV</lastName><firstName>Petr</firstName></aka>
      <aka><uid>5</uid><type>a.k.a.</type><category>weak</category><lastName>PETYA</lastName></aka>
      <aka>
        <uid>6</uid>
        <type>f.k.a.</type>
        <category>strong</category>
        <lastName>PETROV</lastName>
      </aka>
    </akaList>
    <addressList>
      <address><uid>7</uid><city>Moscow</city><country>Russia</country></address>
    </addressList>
    <nationalityList>
      <nationality><uid>8</uid><country>Russia</country><mainEntry>true</mainEntry></nationality>
    </nationalityList>
    <citizenshipList>
      <citizenship><uid>9</uid><country>Russia</country><mainEntry>true</mainEntry></citizenship>
    </citizenshipList>
    <dateOfBirthList>
      <dateOfBirthItem>
        <uid>10</uid>
        <dateOfBirth>07 Oct 1952</dateOfBirth>
        <mainEntry>true</mainEntry>
      </dateOfBirthItem>
      <dateOfBirthItem>
        <uid>11</uid>
        <dateOfBirth>circa 1950</dateOfBirth>
        <mainEntry>false</mainEntry>
      </dateOfBirthItem>
    </dateOfBirthList>
    <placeOfBirthList>
      <placeOfBirthItem>
        <uid>12</uid>
        <placeOfBirth>Leningrad, Russia</placeOfBirth>
        <mainEntry>true</mainEntry>
      </placeOfBirthItem>
    </placeOfBirthList>
  </sdnEntry>
"""
XML_BANK = """  <sdnEntry>
    <uid>17018</uid>
    <lastName>PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA</lastName>
    <sdnType>Entity</sdnType>
    <remarks>For more information on directives, please visit the following link.</remarks>
    <programList><program>RUSSIA-EO14024</program></programList>
    <idList>
      <id><uid>20</uid><idType>SWIFT/BIC</idType><idNumber>SABRRUMM</idNumber></id>
      <id>
        <uid>21</uid>
        <idType>Tax ID No.</idType>
        <idNumber>7707083893</idNumber>
        <idCountry>Russia</idCountry>
      </id>
      <id>
        <uid>22</uid>
        <idType>Digital Currency Address - XBT</idType>
        <idNumber>1ExampleAddress</idNumber>
      </id>
    </idList>
    <addressList>
      <address><uid>23</uid><address1>19 Vavilova St.</address1><city>Moscow</city>
        <postalCode>117997</postalCode><country>Russia</country></address>
    </addressList>
  </sdnEntry>
"""
XML_TANKER = f"""  <sdnEntry>
    <uid>52001</uid>
    <lastName>SEA GLORY</lastName>
    <sdnType>Vessel</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <idList>
      <id>
        <uid>30</uid>
        <idType>Vessel Registration Identification</idType>
        <idNumber>IMO {IMO_TANKER}</idNumber>
      </id>
      <id><uid>31</uid><idType>MMSI</idType><idNumber>613123456</idNumber></id>
    </idList>
    <vesselInfo>
      <callSign>TJMC2</callSign>
      <vesselType>Crude Oil Tanker</vesselType>
      <vesselFlag>Cameroon</vesselFlag>
      <vesselOwner>EXAMPLE SHIPPING LLC</vesselOwner>
      <tonnage>159000</tonnage>
      <grossRegisteredTonnage>81479</grossRegisteredTonnage>
    </vesselInfo>
  </sdnEntry>
"""
XML_ALL = XML_PERSON + XML_BANK + XML_TANKER


def read_xml(data: bytes) -> list[Entry]:
    return list(ofac.read_xml(io.BytesIO(data)))


@pytest.mark.parametrize("namespace", [OLD_NS, NEW_NS, ""])
def test_sdn_xml_gives_each_target_then_its_sanction_whatever_the_namespace(
    namespace: str,
) -> None:
    data = (
        sdn_xml(XML_ALL, namespace)
        if namespace
        else sdn_xml(XML_ALL).replace(f' xmlns="{OLD_NS}"'.encode(), b"")
    )
    entries = read_xml(data)
    assert [(e.entity["id"] if e.entity else e.reason) for e in entries] == [
        "ofac-35096",
        "ofac-35096-sanction",
        "ofac-17018",
        "ofac-17018-sanction",
        "ofac-52001",
        "ofac-52001-sanction",
    ]
    start = data.decode().splitlines().index("  <sdnEntry>") + 1
    assert entries[0].line == start  # the line the entry starts on


def test_an_xml_person_gets_names_birth_papers_and_aliases() -> None:
    entries = read_xml(sdn_xml(XML_ALL))
    person = props(entries, "ofac-35096")
    assert person["name"] == ["Pyotr Sergeyevich IVANOV"]
    assert person["position"] == ["Deputy Minister of Defense"]
    assert person["passportNumber"] == ["7512345"]
    assert "Passport 7512345 (Russia, expires 01 Jan 2030)" in person["notes"]
    assert person["gender"] == ["male"]
    assert person["alias"] == ["Petr IVANOV"]
    assert person["weakAlias"] == ["PETYA"]
    assert person["previousName"] == ["PETROV"]
    assert person["address"] == ["Moscow, Russia"]
    assert person["nationality"] == ["ru"] and person["citizenship"] == ["ru"]
    assert person["birthDate"] == ["1952-10-07"]
    assert "Birth date as published: circa 1950" in person["notes"]
    assert person["birthPlace"] == ["Leningrad, Russia"]
    sanction = props(entries, "ofac-35096-sanction")
    assert sanction["program"] == ["UKRAINE-EO13661", "RUSSIA-EO14024"]
    assert sanction["provisions"] == [
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201"
    ]


def test_an_xml_bank_and_tanker_get_their_identifiers() -> None:
    entries = read_xml(sdn_xml(XML_ALL))
    bank = props(entries, "ofac-17018")
    assert bank["swiftBic"] == ["SABRRUMM"]
    assert bank["taxNumber"] == ["7707083893"] and bank["innCode"] == ["7707083893"]
    assert bank["address"] == ["19 Vavilova St., Moscow, 117997, Russia"]
    assert "Digital Currency Address - XBT: 1ExampleAddress" in bank["notes"]
    assert "For more information on directives, please visit the following link." in bank["notes"]
    tanker = props(entries, "ofac-52001")
    assert tanker["imoNumber"] == [f"IMO{IMO_TANKER}"]
    assert tanker["mmsi"] == ["613123456"]
    assert tanker["flag"] == ["cm"]
    assert tanker["callSign"] == ["TJMC2"]
    assert tanker["tonnage"] == ["159000"] and tanker["grossRegisteredTonnage"] == ["81479"]
    assert "Vessel owner: EXAMPLE SHIPPING LLC" in tanker["notes"]


def test_csv_and_xml_of_one_listing_agree_on_what_both_say() -> None:
    from_csv = props(read_csv(TANKER.encode()), "ofac-52001")
    from_xml = props(read_xml(sdn_xml(XML_TANKER, count=1)), "ofac-52001")
    for name in ("name", "imoNumber", "mmsi", "flag", "callSign", "type"):
        assert from_csv[name] == from_xml[name], name


def test_a_truncated_xml_gives_the_entries_before_the_break_then_breaks() -> None:
    data = sdn_xml(XML_ALL)
    cut = data[: data.index(b"<uid>52001</uid>") + 20]
    entries = read_xml(cut)
    assert [e.entity["id"] for e in entries if e.entity] == [
        "ofac-35096",
        "ofac-35096-sanction",
        "ofac-17018",
        "ofac-17018-sanction",
    ]
    assert entries[-1].broken
    assert entries[-1].reason.startswith("the file breaks off: ")
    assert entries[-1].line == cut.count(b"\n") + 1


def test_an_xml_with_a_doctype_and_entities_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<sdnList><sdnEntry><uid>1</uid>'
        b"<lastName>&lol2;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>"
    )
    entries = read_xml(bomb)
    assert len(entries) == 1 and entries[0].broken
    assert entries[0].reason.startswith("refused: the file declares a DTD or entities")


def test_another_xml_layout_is_not_taken_for_sdn_xml() -> None:
    eu = b'<?xml version="1.0"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export"><sanctionEntity/></export>'
    entries = read_xml(eu)
    assert len(entries) == 1 and entries[0].broken
    assert (
        entries[0].reason == "not OFAC's SDN.XML: its root element is <export>, expected <sdnList>"
    )


def test_a_csv_given_as_xml_is_refused_naming_what_was_expected() -> None:
    entries = read_xml(BANK.encode())
    assert len(entries) == 1 and entries[0].broken and entries[0].line == 1
    assert "expected OFAC's SDN.XML, root element <sdnList>" in entries[0].reason


def test_an_empty_xml_file_breaks() -> None:
    entries = read_xml(b"")
    assert [(e.line, e.reason, e.broken) for e in entries] == [
        (1, "the file is empty: expected OFAC's SDN.XML", True)
    ]


def test_a_record_count_the_file_does_not_hold_is_reported() -> None:
    entries = read_xml(sdn_xml(XML_BANK, count=2))
    assert entries[-1].reason == "the file says it holds 2 entries (Record_Count), 1 read"
    assert not entries[-1].broken


def test_an_xml_entry_without_a_name_is_refused_and_the_rest_read() -> None:
    nameless = "  <sdnEntry><uid>80001</uid><sdnType>Entity</sdnType>" + (
        "<programList><program>SDGT</program></programList></sdnEntry>\n"
    )
    entries = read_xml(sdn_xml(nameless + XML_BANK, count=2))
    assert entries[0].reason == "ent_num 80001: no name, so nothing to list"
    assert "ofac-17018" in entities(entries)


def test_published_xml_reads_the_publish_date() -> None:
    import datetime as dt

    assert ofac.published_xml(io.BytesIO(sdn_xml(XML_ALL))) == dt.date(2025, 3, 14)
    assert ofac.published_xml(io.BytesIO(BANK.encode())) is None
    assert ofac.published_xml(io.BytesIO(b"")) is None


# -- recognising the files -----------------------------------------------------------------

FTM = b'{"id": "NK-1", "schema": "Person", "properties": {"name": ["X"]}}\n'
EU_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export"'
    b' generationDate="2025-03-14T10:00:00"><sanctionEntity/></export>'
)
UK_XML = b'<?xml version="1.0" encoding="utf-8"?>\n<Designations><Designation/></Designations>'
CEASEFIRE_CSV = (
    b"report_id,observed_at,lat,lon,type\r\nR-1,2025-03-12T04:00:00Z,47.1,35.4,shelling\r\n"
)


def test_each_recogniser_knows_its_own_files_and_no_others() -> None:
    csv_head = (BANK + PERSON).encode()
    zip_head = zipped({"sdn.csv": csv_head, "add.csv": ADD.encode()})[:65536]
    xml_head = sdn_xml(XML_ALL)
    new_xml_head = sdn_xml(XML_ALL, NEW_NS)
    assert ofac.recognise_csv(csv_head) and ofac.recognise_csv(zip_head)
    assert ofac.recognise_csv(TANKER.encode("cp1252"))
    assert ofac.recognise_xml(xml_head) and ofac.recognise_xml(new_xml_head)
    assert ofac.recognise_xml(b"\xef\xbb\xbf<!-- SDN -->\n<sdnList></sdnList>")
    for other in (FTM, EU_XML, UK_XML, CEASEFIRE_CSV, b"", xml_head):
        assert not ofac.recognise_csv(other)
    for other in (FTM, EU_XML, UK_XML, CEASEFIRE_CSV, b"", csv_head, zip_head):
        assert not ofac.recognise_xml(other)


def test_the_registry_names_the_ofac_layouts_from_their_heads() -> None:
    assert recognise(sdn_xml(XML_ALL)) == "ofac-xml"
    assert recognise((BANK + PERSON).encode()) == "ofac-csv"


# -- what no file can do -------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_no_bytes_make_the_readers_raise(data: bytes) -> None:
    for reader in (ofac.read_csv, ofac.read_xml):
        entries = list(reader(io.BytesIO(data)))
        assert all(isinstance(e, Entry) for e in entries)
        assert sum(e.broken for e in entries) <= 1
        if entries and entries[-1].broken:
            assert entries[-1].reason


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=len(BANK + PERSON + TANKER) - 1))
def test_a_csv_cut_anywhere_keeps_the_whole_rows_before_the_cut(at: int) -> None:
    data = (BANK + PERSON + TANKER).encode()
    entries = read_csv(data[:at])
    whole_rows = data[:at].count(b"\r\n")
    ids = [e.entity["id"] for e in entries if e.entity and "sanction" not in e.entity["id"]]
    assert ids[:whole_rows] == ["ofac-17018", "ofac-35096", "ofac-52001"][:whole_rows]
    assert all(not e.entity or e.line <= whole_rows + 1 for e in entries)
