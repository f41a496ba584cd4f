"""Spreadsheet cells: a neutralised cell never starts a formula and loses nothing."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.cells import TRIGGERS, csv_writer, neutralise, sheet_text

# Text weighted towards the characters that matter: triggers, whitespace, quotes.
CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*sorted(TRIGGERS), " ", "\n", "'", '"', ",", ";", "|", "!"]),
        st.characters(),
    )
)


@given(CELL_TEXT)
def test_a_neutralised_cell_never_starts_a_formula(text: str) -> None:
    cell = neutralise(text)
    assert cell[:1] not in TRIGGERS and cell.lstrip()[:1] not in TRIGGERS
    # The original is the cell, or the cell without the one quote put in front.
    assert cell == text or cell == "'" + text


@given(CELL_TEXT)
def test_a_sheet_cell_is_neutralised_and_holds_only_xml_characters(text: str) -> None:
    cell = sheet_text(text)
    assert cell[:1] not in TRIGGERS
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in cell)


@given(st.lists(CELL_TEXT, min_size=1, max_size=6))
def test_csv_fields_read_back_as_written(row: list[str]) -> None:
    out = io.StringIO()
    csv_writer(out).writerow([neutralise(c) for c in row])
    text = out.getvalue()
    assert text.startswith('"')
    (back,) = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [neutralise(c) for c in row]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("\n@x", "'\n@x"),
        ("Bridging equipment", "Bridging equipment"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_known_payloads(text: str, cell: str) -> None:
    assert neutralise(text) == cell
