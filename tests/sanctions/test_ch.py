"""Reading the Swiss SECO sanctions list (the SESAM XML export): what each target becomes,
what is refused, why.

The file under files/ch/ is built in the published layout (programmes, then targets, then
the places they name by id) with four realistic targets: a person listed under the
Ukraine ordinance with aliases, a Cyrillic spelling, documents and an earlier state kept
in a modification; a Belarusian bank; a North Korean vessel; and a person since de-listed.
Variants of it are made here by replacing text, so each test says what it changes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.sanctions.formats import ch
from coalition.sanctions.reading import Entry

FILES = Path(__file__).parent / "files"
XML = (FILES / "ch" / "sanctions.xml").read_text(encoding="utf-8")
BODY = XML.encode()


def _read(body: bytes) -> list[Entry]:
    return list(ch.read(io.BytesIO(body)))


def _by_id(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    return {e.entity["id"]: e.entity for e in entries if e.entity is not None}


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in entity["properties"].items()}


def _target(ssid: str, inner: str, sets: str = "4387") -> str:
    return (
        f'  <target ssid="{ssid}">\n    <sanctions-set-id>{sets}</sanctions-set-id>\n'
        f"    {inner}\n"
        '    <modification modification-type="listed" effective-date="2024-01-10"/>\n'
        "  </target>\n"
    )


def _with(*targets: str) -> bytes:
    return XML.replace('  <place ssid="7001">', "".join(targets) + '  <place ssid="7001">').encode()


ENTRIES = _read(BODY)
ENTITIES = _by_id(ENTRIES)


def test_each_listed_target_gives_its_entity_then_one_sanction_per_programme() -> None:
    assert [(e.line, e.entity["id"] if e.entity else e.reason) for e in ENTRIES] == [
        (25, "ch-seco-50012"),
        (25, "ch-seco-50012-sanction-1"),
        (76, "ch-seco-46130"),
        (76, "ch-seco-46130-sanction-20"),
        (94, "ch-seco-34461"),
        (94, "ch-seco-34461-sanction-900"),
    ]
    assert [e.entity["schema"] for e in ENTRIES if e.entity][::2] == [
        "Person",
        "Organization",
        "Vessel",
    ]


def test_a_target_whose_last_modification_de_lists_it_gives_nothing() -> None:
    assert not any("5142" in entity_id for entity_id in ENTITIES)
    relisted = XML.replace(
        '<modification modification-type="de-listed" enactment-date="2016-02-29"',
        '<modification modification-type="listed" effective-date="2024-05-02"/>\n'
        '    <modification modification-type="de-listed" enactment-date="2016-02-29"',
    )
    assert "ch-seco-5142" in _by_id(_read(relisted.encode()))


def test_a_person_keeps_names_dates_places_documents_and_addresses() -> None:
    person = _props(ENTITIES["ch-seco-50012"])
    assert person["name"] == ["Pyotr Sergeyevich Ivanov"]
    assert (person["firstName"], person["fatherName"], person["lastName"]) == (
        ["Pyotr"],
        ["Sergeyevich"],
        ["Ivanov"],
    )
    assert person["title"] == ["General"]
    assert person["alias"] == ["Petr Ivanoff", "Pyotr Ivanovsky", "Пётр Сергеевич Иванов"]
    assert person["weakAlias"] == ["Petya"]
    assert person["gender"] == ["male"]
    assert person["birthDate"] == ["1965-03-12", "1966"]
    assert person["birthPlace"] == ["Perm, Russian Federation"]
    assert person["birthCountry"] == ["ru"]
    assert person["nationality"] == ["ru"]
    assert person["address"] == ["12 Tverskaya Street, 125009, Moscow, Russian Federation"]
    assert person["country"] == ["ru"]
    assert person["passportNumber"] == ["722706541"]
    assert person["idNumber"] == ["4507 123456"]
    assert person["notes"] == [
        "Id card 4507 123456: Internal passport",
        "Name Пётр Сергеевич Иванов: script CYRL, language rus",
        "Passport 722706541: issued by Russian Federation (RU); issued 2015-04-01; "
        "Foreign travel passport",
        "Position: Member of the State Duma",
    ]


def test_the_history_a_modification_repeats_is_not_read_as_the_listing() -> None:
    person = ENTITIES["ch-seco-50012"]["properties"]
    assert not any("History Only Name" in v for values in person.values() for v in values)


def test_an_organisation_and_a_vessel() -> None:
    bank = _props(ENTITIES["ch-seco-46130"])
    assert bank["name"] == ["Belagroprombank"]
    assert bank["previousName"] == ["Belarusian Agricultural Bank"]
    assert bank["address"] == ["3 Zhukova Avenue, P.O. Box 12, Minsk, Belarus"]
    assert bank["country"] == ["by"]
    assert bank["notes"] == ["Date of registration: 1.2.1991", "Related to: ch-seco-50012"]
    vessel = _props(ENTITIES["ch-seco-34461"])
    assert vessel["name"] == ["Hui Chon"]
    assert vessel["alias"] == ["Hwang Gum San 2"]
    assert vessel["imoNumber"] == ["IMO8405270"]


def test_a_sanction_names_its_programme_sets_dates_and_reasons() -> None:
    sanction = _props(ENTITIES["ch-seco-50012-sanction-1"])
    assert sanction == {
        "entity": ["ch-seco-50012"],
        "authority": [ch.AUTHORITY],
        "authorityId": ["50012"],
        "country": ["ch"],
        "sourceUrl": [ch.SOURCE_URL],
        "program": ["Ukraine"],
        "provisions": ["annex 8 -- Natural persons, companies and organisations"],
        "listingDate": ["2022-03-16"],
        "startDate": ["2022-03-16"],
        "modifiedAt": ["2023-06-29"],
        "reason": [
            "Member of the State Duma who voted for the recognition of the so-called republics."
        ],
        "description": [
            "Origin: EU",
            "Programme: Ordinance of 4 March 2022 on measures related to the situation in "
            "Ukraine (SR 946.231.176.72)",
        ],
    }
    bank = _props(ENTITIES["ch-seco-46130-sanction-20"])
    assert (bank["listingDate"], bank["startDate"]) == (["2021-08-11"], ["2021-08-12"])
    assert _props(ENTITIES["ch-seco-34461-sanction-900"])["unscId"] == ["KPi.077"]


def test_a_target_under_two_programmes_or_an_unknown_set_gets_a_sanction_for_each() -> None:
    person = (
        '<individual><identity main="true"><name name-type="primary-name">'
        '<name-part order="1" name-part-type="whole-name"><value>Anna Example</value>'
        "</name-part></name></identity></individual>"
    )
    both = _target("8001", person, sets="101</sanctions-set-id><sanctions-set-id>4387")
    unknown = _target("8002", person, sets="999")
    entities = _by_id(_read(_with(both, unknown)))
    assert entities["ch-seco-8001-sanction-1"]["properties"]["program"] == ["Ukraine"]
    assert entities["ch-seco-8001-sanction-20"]["properties"]["program"] == ["Belarus"]
    assert entities["ch-seco-8002-sanction"]["properties"]["description"] == [
        "Sanctions set 999: not among the file's programmes"
    ]


def test_places_read_the_same_before_the_targets() -> None:
    places = XML[XML.index('  <place ssid="7001">') : XML.index("</swiss-sanctions-list>")]
    moved = XML.replace(places, "").replace(
        '  <target ssid="50012">', places + '  <target ssid="50012">'
    )
    assert _by_id(_read(moved.encode())) == ENTITIES


def test_a_value_ftm_refuses_is_kept_as_published() -> None:
    body = XML.replace('day="12" month="3" year="1965"', 'day="31" month="2" year="1965"').replace(
        '<country iso-code="RU">Russian Federation</country></nationality>',
        '<country iso-code="QQ">Atlantis</country></nationality>',
    )
    notes = _by_id(_read(body.encode()))["ch-seco-50012"]["properties"]["notes"]
    assert "Date of birth as published: 31.2.1965" in notes
    assert "Nationality as published: qq" in notes


def test_an_element_the_reader_does_not_know_is_kept_in_notes() -> None:
    body = XML.replace(
        '<other-information ssid="34465">',
        '<call-sign ssid="1">HMYX</call-sign><other-information ssid="34465">',
    )
    notes = _by_id(_read(body.encode()))["ch-seco-34461"]["properties"]["notes"]
    assert "object/call-sign: HMYX" in notes


@pytest.mark.parametrize(
    ("inner", "reason"),
    [
        (
            '<individual><identity main="true"><day-month-year year="1970"/></identity>'
            "</individual>",
            "target 8003 (Belarus) has no name: not read",
        ),
        (
            '<object object-type="aircraft"><identity main="true"><name><name-part order="1">'
            "<value>RA-1</value></name-part></name></identity></object>",
            "target 8003 (Belarus) is an object of type 'aircraft': only vessels are read",
        ),
        (
            "<remark>nothing else</remark>",
            "target 8003 (Belarus) has no individual, entity or object: not read",
        ),
    ],
)
def test_a_target_that_cannot_be_read_is_refused_with_its_reason(inner: str, reason: str) -> None:
    entries = _read(_with(_target("8003", inner)))
    refused = [e for e in entries if e.reason]
    assert [(e.line, e.reason, e.broken) for e in refused] == [(119, reason, False)]
    assert len(_by_id(entries)) == 6  # the others are read


def test_a_target_given_twice_is_refused_the_second_time() -> None:
    start = XML.index('  <target ssid="34461">')
    vessel = XML[start : XML.index("</target>", start) + len("</target>\n")]
    entries = _read(_with(vessel))
    assert entries[-1].reason == (
        "target 34461 appears again (first at line 94, already read): this one is not read"
    )


def test_the_file_says_when_it_was_exported() -> None:
    assert ch.published(io.BytesIO(BODY)) == dt.date(2026, 11, 27)
    assert ch.published(io.BytesIO(BODY.replace(b'date="2026-11-27"', b'date="soon"'))) is None
    assert ch.published(io.BytesIO((FILES / "uk" / "designations.xml").read_bytes())) is None
    assert ch.published(io.BytesIO(b"")) is None


def test_recognise_knows_the_list_and_no_other_layout() -> None:
    assert ch.recognise(BODY[:4096])
    assert ch.recognise(codecs.BOM_UTF8 + BODY[:4096])
    assert ch.recognise(XML.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert ch.recognise(b"<!-- SECO -->\n<swiss-sanctions-list date='2026-11-27'>")
    for other in (
        (FILES / "uk" / "designations.xml").read_bytes(),
        (FILES / "eu" / "fsf.xml").read_bytes(),
        (FILES / "eu" / "header.csv").read_bytes(),
        b'{"id": "p1"}\n',
        b"",
    ):
        assert not ch.recognise(other[:4096])


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("uk/designations.xml", "its root is <Designations>, the UK Sanctions List"),
        ("eu/fsf.xml", "its root is <export>, the EU Financial Sanctions File"),
        ("eu/header.csv", "the EU Financial Sanctions File (CSV)"),
    ],
)
def test_another_list_is_one_broken_entry_naming_it(path: str, said: str) -> None:
    (entry,) = _read((FILES / path).read_bytes())
    assert (entry.line, entry.broken, entry.entity) == (1, True, None)
    assert said in entry.reason
    assert "expected" in entry.reason


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        (b"", 1, "the file is empty: " + "expected the Swiss SECO sanctions list"),
        (b"\xef\xbb\xbf \r\n", 1, "the file is empty: "),
        (b'{"id": "p1", "schema": "Person"}\n', 1, "a JSON file (FollowTheMoney entities?)"),
        (
            b'<?xml version="1.0"?>\n<swiss-sanctions-list date="2026-11-27">\n'
            b"</swiss-sanctions-list>\n",
            1,
            ch.NO_TARGET,
        ),
        (
            XML[: XML.index('  <target ssid="50012">')].encode()
            + XML[XML.index('  <target ssid="5142">') :].encode(),
            1,
            ch.NO_TARGET,
        ),
        (
            BODY.replace(b'list-type="whole-list"', b'list-type="search-result"'),
            1,
            "the file is a 'search-result' export, not the whole list (list-type 'whole-list')",
        ),
        (
            b'<?xml version="1.0" encoding="bogus"?><swiss-sanctions-list/>',
            1,
            "the XML cannot be decoded (unknown encoding: bogus): nothing after line 1 is read",
        ),
    ],
)
def test_an_empty_or_unreadable_file_is_broken_so_nothing_is_delisted(
    body: bytes, line: int, reason: str
) -> None:
    (entry,) = _read(body)
    assert (entry.line, entry.broken) == (line, True)
    assert entry.reason.startswith(reason)


def test_a_truncated_file_keeps_what_came_before_and_is_broken() -> None:
    cut = XML[: XML.index('<target ssid="34461">') + 40].encode()
    entries = _read(cut)
    assert list(_by_id(entries)) == [
        "ch-seco-50012",
        "ch-seco-50012-sanction-1",
        "ch-seco-46130",
        "ch-seco-46130-sanction-20",
    ]
    assert entries[-1].broken
    assert entries[-1].reason.startswith("the XML breaks off or is malformed at line 95")


def test_a_file_in_the_wrong_encoding_breaks_where_it_goes_wrong() -> None:
    latin = XML.replace("Пётр", "Pjotr").replace("Сергеевич", "S").replace("Иванов", "I")
    body = latin.replace("Verordnung vom 4. März", "Verordnung vom 4. M\x00rz").encode("utf-8")
    body = body.replace(b"M\x00rz", "März".encode("latin-1"))  # a Latin-1 byte in UTF-8
    (entry,) = _read(body)
    assert entry.broken
    assert entry.line == 7
    assert entry.reason.startswith("the XML breaks off or is malformed at line 7")


@pytest.mark.parametrize(
    "prologue",
    [
        '<!DOCTYPE swiss-sanctions-list [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>',
        '<!DOCTYPE swiss-sanctions-list SYSTEM "http://example.org/evil.dtd">',
        '<!DOCTYPE swiss-sanctions-list [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_a_doctype_or_an_entity_is_refused_without_an_exception(prologue: str) -> None:
    body = XML.replace('standalone="yes"?>\n', 'standalone="yes"?>\n' + prologue + "\n", 1)
    body = body.replace("<value>Hui Chon</value>", "<value>&b;</value>")
    (entry,) = _read(body.encode())
    assert entry.broken
    assert entry.entity is None
    assert entry.reason.startswith("the XML declares a document type")
    assert ch.published(io.BytesIO(body.encode())) is None


def test_a_long_list_is_read_whole() -> None:
    start = XML.index('  <target ssid="34461">')
    vessel = XML[start : XML.index("</target>", start) + len("</target>\n")]
    many = "".join(vessel.replace('"34461"', f'"{90000 + n}"') for n in range(3000))
    entries = _read(_with(many))
    assert sum(1 for e in entries if e.entity) == 6 + 3000 * 2
    assert not any(e.reason for e in entries)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", BODY[:600], BODY[:2400]]))
def test_no_input_raises_and_a_broken_entry_is_always_last(noise: bytes, prefix: bytes) -> None:
    entries = _read(prefix + noise)
    for entry in entries:
        assert (entry.entity is None) == bool(entry.reason)
    assert all(not e.broken for e in entries[:-1])
    assert entries  # a file always says something: its targets, or why it gives none
    published = ch.published(io.BytesIO(prefix + noise))
    assert published is None or published == dt.date(2026, 11, 27)
    ch.recognise(prefix + noise)
