"""Reading FollowTheMoney entity files line by line: what is kept, what is refused, why."""

from __future__ import annotations

import io
import json

from coalition.sanctions.reading import MAX_LINE_BYTES, check_entity, read_entities


def _line(data: object) -> bytes:
    return json.dumps(data).encode() + b"\n"


PERSON = {"id": "p1", "schema": "Person", "properties": {"name": ["Ivan"]}}


def _read(body: bytes) -> list[tuple[int, str, str]]:
    return [
        (e.line, e.entity["id"] if e.entity else "", e.reason)
        for e in read_entities(io.BytesIO(body))
    ]


def test_an_entity_is_kept_as_ftm_cleans_it() -> None:
    vessel = {
        "id": "v1",
        "schema": "Vessel",
        "properties": {"name": ["EXAMPLE"], "imoNumber": ["IMO 1000007"], "flag": ["GA"]},
        "caption": "ignored",
        "datasets": ["ignored"],
    }
    (entry,) = list(read_entities(io.BytesIO(_line(vessel))))
    assert entry.entity == {
        "id": "v1",
        "schema": "Vessel",
        "properties": {"name": ["EXAMPLE"], "imoNumber": ["IMO1000007"], "flag": ["ga"]},
    }
    assert entry.caption == "EXAMPLE"


def test_hostile_lines_are_refused_with_their_line_and_reason() -> None:
    body = b"".join(
        [
            b"\xef\xbb\xbf" + _line(PERSON).replace(b"\n", b"\r\n"),  # BOM and CRLF: fine
            b"{not json\n",
            _line({"id": "x", "schema": "Starship"}),
            _line({"schema": "Person", "properties": {"name": ["No id"]}}),
            _line({"id": 7, "schema": "Person"}),
            _line({"id": "t", "schema": "Thing"}),
            _line({"id": "w", "schema": "Person", "properties": {"birthDate": ["not a date"]}}),
            _line({"id": "y", "schema": "Person", "properties": {"imoNumber": ["IMO1"]}}),
            _line({"id": "z", "schema": "Person", "properties": {"name": [{"a": 1}]}}),
            _line({"id": "q", "schema": "Person", "properties": ["name"]}),
            b"[1, 2]\n",
            b"\n",  # blank: skipped, not counted
            b'{"id": "big", "schema": "Person", "properties": {"notes": ["'
            + b"x" * (MAX_LINE_BYTES + 10)
            + b'"]}}\r\n',
            b"\xff\xfe bad bytes\n",
            _line({**PERSON, "id": "p2"}),
        ]
    )
    read = _read(body)
    assert read[0] == (1, "p1", "")
    reasons = {line: reason for line, _id, reason in read}
    assert reasons[2].startswith("not JSON")
    assert reasons[3] == "unknown schema 'Starship'"
    assert reasons[4] == "no id"
    assert reasons[5] == "id is not text"
    assert "abstract" in reasons[6]
    assert "birthDate: 'not a date' is not a valid date" in reasons[7]
    assert "Person has no property 'imoNumber'" in reasons[8]
    assert "is not text" in reasons[9]
    assert reasons[10] == "properties is not a JSON object"
    assert reasons[11] == "not a JSON object"
    assert 12 not in reasons
    assert reasons[13].startswith("line longer than")
    assert reasons[14].startswith("not UTF-8")
    assert read[-1] == (15, "p2", "")


def test_a_file_cut_mid_line_breaks_off_there() -> None:
    body = _line(PERSON) + b'{"id": "p2", "schema": "Per'
    entries = list(read_entities(io.BytesIO(body)))
    assert entries[0].entity is not None
    assert entries[1].broken and entries[1].line == 2


def test_a_last_line_without_newline_is_read_when_whole() -> None:
    body = _line(PERSON).rstrip(b"\n")
    assert _read(body) == [(1, "p1", "")]


def test_a_sanction_links_its_entity_by_id() -> None:
    proxy, reason = check_entity(
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "program": ["X"]}}
    )
    assert proxy is not None and reason == ""
    assert proxy.get("entity") == ["p1"]


def test_the_schema_names_written_out_are_ftms_own() -> None:
    from followthemoney import model

    from coalition.sanctions import vocabulary

    concrete = tuple(sorted(n for n, s in model.schemata.items() if not s.abstract))
    assert concrete == vocabulary.SCHEMA_NAMES


def test_the_application_starts_without_loading_ftms_model() -> None:
    """FtM's model costs a process some 40 MB: an import of reports must not pay for it."""
    import subprocess
    import sys

    probe = "import sys, coalition.models, coalition.api; print('followthemoney' in sys.modules)"
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
