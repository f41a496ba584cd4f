"""Finding a file's encoding before parsing it: a re-saved CSV is read whole or refused."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.textfiles import UnreadableText, detect_encoding

WESTERN = (
    "source_id,location,text\n"
    "r1,Kupiansk,Shelling reported by the mayor’s office – “heavy”, façade damaged\n"
    "r2,Zaporizhzhia,Café and crèche near the square; no casualties\n"
)
CYRILLIC = "source_id,oblast,text\nr1,Харківська,Обстріл у Куп’янську\nr2,Київ,Тиша\n"


def _read(data: bytes) -> tuple[str, str]:
    binary = io.BytesIO(data)
    encoding = detect_encoding(binary)
    assert binary.tell() == 0
    return encoding, binary.read().decode(encoding)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (WESTERN.encode("utf-8"), "utf-8"),
        (WESTERN.encode("utf-8-sig"), "utf-8-sig"),
        (WESTERN.encode("utf-16"), "utf-16"),
        (WESTERN.encode("utf-16-le"), "utf-16-le"),
        (CYRILLIC.encode("utf-8"), "utf-8"),
    ],
)
def test_unicode_files_are_read_as_they_say(data: bytes, encoding: str) -> None:
    assert _read(data)[0] == encoding


def test_a_windows_1252_resave_is_read_with_its_own_letters() -> None:
    found, text = _read((WESTERN * 40).encode("cp1252"))
    assert found == "cp1252"
    assert text == WESTERN * 40


def test_a_windows_1251_resave_is_read_with_its_own_letters() -> None:
    found, text = _read((CYRILLIC * 40).encode("cp1251"))
    assert found == "cp1251"
    assert text == CYRILLIC * 40


def test_a_windows_1250_resave_is_read_with_its_own_letters() -> None:
    polish = "source_id,location,text\nr1,Łódź,Zażółć gęślą jaźń – pomoc dla Ukrainy\n"
    found, text = _read((polish * 40).encode("cp1250"))
    assert found == "cp1250"
    assert text == polish * 40


def test_a_single_byte_file_whose_first_odd_byte_is_far_in_is_read_whole() -> None:
    data = ("x,y\n" + "a,b\n" * 600_000).encode("ascii") + "r,Café’s\n".encode("cp1252")
    found, text = _read(data)
    assert found == "cp1252"
    assert text.endswith("r,Café’s\n")


def test_bytes_no_encoding_reads_are_refused_naming_the_line() -> None:
    data = b"a,b\n1,2\n" + bytes([0x81, 0x98, 0x8D, 0x90, 0x9D, 0x00, 0x01, 0x02, 0xFF]) * 200
    with pytest.raises(UnreadableText, match="line 3"):
        detect_encoding(io.BytesIO(data), "feed.csv")


@given(st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=["Cs"])))
def test_any_utf8_text_is_utf8(text: str) -> None:
    assert _read(text.encode("utf-8")) == ("utf-8", text)
