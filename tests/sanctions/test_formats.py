"""The registry of layouts: each sample file is recognised as its own layout, and as no
other, from its first bytes; every registered layout's list is known and themed."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition.sanctions import formats
from coalition.sanctions.themes import theme_of
from coalition.sanctions.vocabulary import KNOWN_LISTS

FILES = Path(__file__).parent / "files"
SAMPLES = {
    "ch/sanctions.xml": "ch-seco",
    "ca/sema-lmes.xml": "ca-sema",
    "eu/fsf.xml": "eu-fsf",
    "uk/designations.xml": "uk",
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_each_sample_is_recognised_as_its_own_layout(sample: str) -> None:
    head = (FILES / sample).read_bytes()[: formats.HEAD_BYTES]
    claimed = [
        f.name
        for f in formats.FORMATS.values()
        if f.recogniser and formats._function(f.recogniser)(head)
    ]
    assert claimed == [SAMPLES[sample]]


@pytest.mark.parametrize("name", [n for n in formats.FORMAT_NAMES if formats.FORMATS[n].list_code])
def test_each_layout_names_a_known_list(name: str) -> None:
    assert formats.FORMATS[name].list_code in KNOWN_LISTS


@pytest.mark.parametrize(
    ("code", "program"),
    [
        ("ch_seco_sanctions", "Ukraine"),
        ("ca_dfatd_sema_sanctions", "Russia / Russie"),
        ("au_dfat_sanctions", "Autonomous (Russia)"),
    ],
)
def test_the_new_lists_russia_programs_are_themed(code: str, program: str) -> None:
    assert theme_of(code, program) == "russia"
