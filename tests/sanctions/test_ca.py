"""Reading Canada's consolidated list XML: what each record becomes, what is refused, why.

The file under files/ca/ is written to the published layout as it has been since 25
August 2026 (bilingual element names, ``Russia / Russie`` values) with four realistic
records: a Duma member with aliases, a Belarusian company, a tanker, and a JVCFOR listing
with a date of birth that cannot be read. The same records in the older English-only
element names must give the same entities.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from coalition.sanctions.formats import ca
from coalition.sanctions.reading import Entry

FILES = Path(__file__).parent / "files" / "ca"
UK_FILES = Path(__file__).parent / "files" / "uk"
EU_FILES = Path(__file__).parent / "files" / "eu"
XML = (FILES / "sema-lmes.xml").read_text(encoding="utf-8")


def _read(body: bytes | str) -> list[Entry]:
    data = body.encode() if isinstance(body, str) else body
    return list(ca.read(io.BytesIO(data)))


def _by_id(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    return {e.entity["id"]: e.entity for e in entries if e.entity is not None}


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in entity["properties"].items()}


def _english_only(xml: str) -> str:
    """The file as it was until 24 August 2026: elements named in English alone."""
    renamed = re.sub(r"<(/?)([A-Z][A-Za-z]+)-[A-Z][A-Za-z]+>", r"<\1\2>", xml)
    return renamed.replace("TitleOrShipType>", "TitleOrShip>")


def _record(**fields: str) -> str:
    body = "".join(f"<{tag}>{value}</{tag}>" for tag, value in fields.items())
    return f"<record>{body}</record>"


def _file(*records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<data-set>\n'
        + "\n".join(records)
        + "\n</data-set>\n"
    )


def test_each_record_gives_its_target_then_its_sanction_on_its_line() -> None:
    entries = _read(XML)
    assert [(e.line, e.entity["id"]) for e in entries if e.entity] == [
        (3, "ca-sema-russia-1-part-1-94"),
        (3, "ca-sema-russia-1-part-1-94-sanction"),
        (14, "ca-sema-belarus-1-part-2-1"),
        (14, "ca-sema-belarus-1-part-2-1-sanction"),
        (22, "ca-sema-russia-1-1-1"),
        (22, "ca-sema-russia-1-1-1-sanction"),
        (32, "ca-sema-jvcfor-12"),
        (32, "ca-sema-jvcfor-12-sanction"),
    ]
    assert [e.entity["schema"] for e in entries if e.entity][::2] == [
        "Person",
        "Organization",
        "Vessel",
        "Person",
    ]
    assert all(e.entity for e in entries)


def test_a_person_keeps_names_aliases_title_and_birth_date() -> None:
    person = _props(_by_id(_read(XML))["ca-sema-russia-1-part-1-94"])
    assert person == {
        "name": ["Pyotr Sergeyevich IVANOV"],
        "firstName": ["Pyotr Sergeyevich"],
        "lastName": ["IVANOV"],
        "alias": ["Petr IVANOFF", "Пётр Сергеевич Иванов"],
        "title": ["Député de la Douma d'État", "Member of the State Duma"],
        "birthDate": ["1965-05-31"],
    }


def test_a_record_becomes_a_sanction_with_its_regime_schedule_and_listing_date() -> None:
    sanction = _props(_by_id(_read(XML))["ca-sema-russia-1-part-1-94-sanction"])
    assert sanction == {
        "entity": ["ca-sema-russia-1-part-1-94"],
        "authority": [ca.AUTHORITY],
        "authorityId": ["Schedule 1, Part 1, item 94"],
        "country": ["ca"],
        "sourceUrl": [ca.SOURCE_URL],
        "program": ["Russia / Russie"],
        "listingDate": ["2022-02-24"],
        "startDate": ["2022-02-24"],
    }


def test_an_entity_splits_its_aliases_and_a_ship_keeps_imo_type_and_build_year() -> None:
    entities = _by_id(_read(XML))
    company = _props(entities["ca-sema-belarus-1-part-2-1"])
    assert company == {
        "name": ["Example Potash Company OJSC"],
        "alias": ["Example Kali", 'ОАО "Пример"'],
    }
    ship = _props(entities["ca-sema-russia-1-1-1"])
    assert ship == {
        "name": ["Example Spirit"],
        "type": ["Crude Oil Tanker", "Pétrolier"],
        "imoNumber": ["IMO9321483"],
        "buildDate": ["2006"],
    }


def test_a_date_that_cannot_be_read_is_kept_as_published_and_no_schedule_is_left_out() -> None:
    entities = _by_id(_read(XML))
    person = entities["ca-sema-jvcfor-12"]["properties"]
    assert "birthDate" not in person
    assert person["notes"] == [
        "Date of birth or ship build date as published: born in the early 1970s"
    ]
    assert entities["ca-sema-jvcfor-12-sanction"]["properties"]["authorityId"] == ["Item 12"]


def test_the_english_only_element_names_read_the_same() -> None:
    old = _english_only(XML)
    assert "<LastName>IVANOV</LastName>" in old
    assert _read(old) == _read(XML)


@pytest.mark.parametrize(
    ("published", "read"),
    [
        ("1965-05-31", ["1965-05-31"]),
        ("1965", ["1965"]),
        ("31-05-1965", ["1965-05-31"]),
        ("1972-08-10 or 1972-08-11", ["1972-08-10", "1972-08-11"]),
        ("Sep-99", None),
        ("29283", None),
        ("1975-19-25", None),
        ("born in the early 1970s", None),
    ],
)
def test_dates_are_read_only_when_certain(published: str, read: list[str] | None) -> None:
    from coalition.sanctions.formats.ca.dates import read_dates

    assert read_dates(published) == read


def test_a_record_with_a_program_but_no_name_is_refused_and_the_rest_read() -> None:
    body = _file(
        _record(
            **{
                "Country-Pays": "Russia / Russie",
                "Schedule-Annexe": "1, Part 1",
                "Item-NumeroDarticle": "400",
            }
        ),
        _record(
            **{
                "Country-Pays": "Russia / Russie",
                "LastName-NomDeFamille": "SIDOROV",
                "Item-NumeroDarticle": "401",
                "Schedule-Annexe": "1, Part 1",
            }
        ),
        _record(**{"Country-Pays": "Russia / Russie", "LastName-NomDeFamille": "NOITEM"}),
        _record(**{"LastName-NomDeFamille": "NOREGIME", "Item-NumeroDarticle": "3"}),
    )
    entries = _read(body)
    assert [(e.line, e.reason) for e in entries if e.entity is None] == [
        (3, "record Schedule 1, Part 1, item 400 (Russia / Russie) has no name: not read"),
        (5, "record (Russia / Russie) has no Item: not read"),
        (6, "record Item 3 has no Country (its regime): not read"),
    ]
    assert set(_by_id(entries)) == {
        "ca-sema-russia-1-part-1-401",
        "ca-sema-russia-1-part-1-401-sanction",
    }
    assert not any(e.broken for e in entries)


def test_a_record_given_twice_keeps_both_and_says_so() -> None:
    twice = _record(
        **{
            "Country-Pays": "Iran",
            "EntityOrShip-EntiteOuNavire": "Example Trading",
            "Schedule-Annexe": "1, Part 2",
            "Item-NumeroDarticle": "7",
        }
    )
    entries = _by_id(_read(_file(twice, twice.replace("Example Trading", "Other Trading"))))
    assert entries["ca-sema-iran-1-part-2-7"]["properties"]["name"] == ["Example Trading"]
    assert entries["ca-sema-iran-1-part-2-7-2"]["properties"]["name"] == ["Other Trading"]
    assert entries["ca-sema-iran-1-part-2-7-2-sanction"]["properties"]["description"] == [
        "Schedule 1, Part 2, item 7 of Iran is given more than once in the file: "
        "this is its record number 2"
    ]


def test_an_unknown_element_is_kept_in_notes() -> None:
    body = _file(
        _record(
            **{
                "Country-Pays": "Iran",
                "EntityOrShip-EntiteOuNavire": "X Co",
                "Item-NumeroDarticle": "8",
                "Remarks-Remarques": "added later",
            }
        )
    )
    entity = _by_id(_read(body))["ca-sema-iran-8"]
    assert entity["properties"]["notes"] == ["Remarks-Remarques: added later"]


def test_a_truncated_file_keeps_what_came_before_and_is_broken() -> None:
    cut = XML[: XML.index("Example Spirit")]
    entries = _read(cut)
    assert [e.entity["id"] for e in entries if e.entity][::2] == [
        "ca-sema-russia-1-part-1-94",
        "ca-sema-belarus-1-part-2-1",
    ]
    assert entries[-1].broken
    assert entries[-1].line == 24
    assert entries[-1].reason.startswith("the XML breaks off or is malformed at line 24")


def test_a_file_in_the_wrong_encoding_is_broken_where_it_goes_wrong() -> None:
    latin = XML.replace("Pétrolier", "Pétrolier").encode("latin-1", "replace")
    entries = _read(latin)
    assert entries[-1].broken
    assert "malformed at line" in entries[-1].reason
    unknown = XML.replace('encoding="UTF-8"', 'encoding="x-unknown"').encode()
    (entry,) = _read(unknown)
    assert entry.broken
    assert entry.reason.startswith("the XML cannot be decoded")


@pytest.mark.parametrize(
    "prologue",
    [
        '<!DOCTYPE data-set [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        '<!DOCTYPE data-set SYSTEM "http://example.org/evil.dtd">',
    ],
)
def test_a_doctype_or_entities_are_refused_without_an_exception(prologue: str) -> None:
    body = XML.replace('standalone="yes"?>\n', 'standalone="yes"?>\n' + prologue + "\n", 1)
    (entry,) = _read(body.replace("Russia / Russie", "&b;", 1))
    assert entry.broken
    assert entry.reason.startswith("the XML declares a document type")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ((UK_FILES / "designations.xml").read_bytes(), "its root is <Designations>, the UK"),
        ((EU_FILES / "fsf.xml").read_bytes(), "its root is <export>, the EU Financial"),
        ((EU_FILES / "header.csv").read_bytes(), "not XML: it starts"),
        (b'{"id": "p1", "schema": "Person"}\n', "a JSON file"),
        (b"PK\x03\x04rest", "a zip archive or a spreadsheet"),
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \n", "the file is empty"),
        (b"<data-set></data-set>", "the file holds no record"),
    ],
)
def test_another_layout_or_nothing_is_one_broken_entry(body: bytes, said: str) -> None:
    (entry,) = _read(body)
    assert entry.broken
    assert entry.line == 1
    assert said in entry.reason


def test_recognise_knows_the_list_in_either_naming_and_no_other() -> None:
    assert ca.recognise(XML.encode()[: 64 * 1024])
    assert ca.recognise(_english_only(XML).encode())
    assert ca.recognise(b"\xef\xbb\xbf" + XML.encode())
    for other in (
        (UK_FILES / "designations.xml").read_bytes(),
        (EU_FILES / "fsf.xml").read_bytes(),
        (EU_FILES / "header.csv").read_bytes(),
        b"<data-set><record><Name>x</Name></record></data-set>",  # another data-set
        b"",
        b"PK\x03\x04",
    ):
        assert not ca.recognise(other)
