"""The sniffer names what a file is from its first bytes, whatever shape it comes in."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from coalition.core.sniff import HEAD_BYTES, Kind, sniff

CSV = "source_id,occurred_at,latitude\nP-1,2025-03-10,48.1\nP-2,2025-03-11,48.2\n"


def test_delimited_files_in_every_encoding_and_separator() -> None:
    plain = sniff(CSV.encode())
    assert (plain.kind, plain.delimiter, plain.encoding) == (Kind.DELIMITED, ",", "utf-8")
    assert plain.header == ["source_id", "occurred_at", "latitude"]
    resaved = sniff(CSV.replace(",", ";").replace("P-1", "Zoë").encode("cp1252"))
    assert (resaved.kind, resaved.delimiter, resaved.encoding) == (Kind.DELIMITED, ";", "cp1252")
    utf16 = sniff(CSV.replace(",", "\t").encode("utf-16"))
    assert (utf16.kind, utf16.delimiter, utf16.encoding) == (Kind.DELIMITED, "\t", "utf-16")
    bom = sniff(CSV.encode("utf-8-sig"))
    assert bom.encoding == "utf-8-sig" and bom.header[0] == "source_id"


def test_compressed_json_geojson_lines_xml_and_workbooks() -> None:
    zipped = sniff(gzip.compress(CSV.encode()))
    assert zipped.compressed and zipped.kind is Kind.DELIMITED
    assert "gzip-compressed" in zipped.describe()
    feature = {"type": "FeatureCollection", "features": []}
    assert sniff(json.dumps(feature).encode()).kind is Kind.GEOJSON
    assert sniff(b'[{"a": 1}]').kind is Kind.JSON
    assert sniff(b'{"id": 1}\n{"id": 2}\n').kind is Kind.JSON_LINES
    assert sniff(b'<?xml version="1.0"?><sdnList/>').kind is Kind.XML
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff(book.getvalue()[:HEAD_BYTES]).kind is Kind.SPREADSHEET


def test_binary_empty_and_a_character_cut_at_the_end() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").kind is Kind.OTHER
    assert sniff(b"").kind is Kind.EMPTY and sniff(b"  \n").kind is Kind.EMPTY
    cut = ("a,b\n" + "é" * 10).encode()[:-1]  # the last character's second byte missing
    assert sniff(cut).encoding == "utf-8"


@given(st.binary(max_size=2048))
def test_any_bytes_get_an_answer(head: bytes) -> None:
    assert sniff(head).kind in Kind
