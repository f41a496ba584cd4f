"""The layouts sanctions lists are published in, each read into FollowTheMoney entities. Pure.

Every layout has a reader: a function taking the file (a binary stream, seekable: the file
as stored) and yielding :class:`~coalition.sanctions.reading.Entry` items, one per
FtM entity, in file order, the targeted person, company, vessel... first and then its
``Sanction`` entities (one per designation, ``entity`` naming the target); a record that
cannot be read yields one entry with its reason, and a file that breaks off yields a last
entry marked ``broken``. A layout may also say the day its file was published (from the
file's own header), and recognise its files from their first bytes.

The readers live in modules of their own, named here and imported when a file is read,
so that naming the layouts (the command line's ``--format``) costs nothing at start.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from coalition.sanctions.reading import Entry

HEAD_BYTES = 64 * 1024  # what :func:`recognise` reads of a file


@dataclass(frozen=True)
class Format:
    """One published layout: its name, what it is, the list its files are of, its reader."""

    name: str
    label: str
    list_code: str  # the list a file in this layout is a snapshot of, unless told otherwise
    reader: str  # "module:function", function(binary) -> Iterator[Entry]
    dater: str = ""  # "module:function", function(binary) -> dt.date | None
    recogniser: str = ""  # "module:function", function(head: bytes) -> bool


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "ftm",
            "FollowTheMoney entities, one JSON object per line (OpenSanctions and others)",
            "",
            "coalition.sanctions.reading:read_entities",
            recogniser="coalition.sanctions.reading:recognise",
        ),
        Format(
            "ofac-csv",
            "US OFAC SDN list, legacy CSV files (sdn.csv, or a zip of sdn, add and alt)",
            "us_ofac_sdn",
            "coalition.sanctions.formats.ofac:read_csv",
            recogniser="coalition.sanctions.formats.ofac:recognise_csv",
        ),
        Format(
            "ofac-xml",
            "US OFAC SDN list, SDN.XML",
            "us_ofac_sdn",
            "coalition.sanctions.formats.ofac:read_xml",
            dater="coalition.sanctions.formats.ofac:published_xml",
            recogniser="coalition.sanctions.formats.ofac:recognise_xml",
        ),
        Format(
            "eu-fsf",
            "EU Financial Sanctions File, XML (the full export) or CSV",
            "eu_fsf",
            "coalition.sanctions.formats.eu:read",
            dater="coalition.sanctions.formats.eu:published",
            recogniser="coalition.sanctions.formats.eu:recognise",
        ),
        Format(
            "uk",
            "UK Sanctions List (FCDO), CSV or XML",
            "gb_fcdo_sanctions",
            "coalition.sanctions.formats.uk:read",
            dater="coalition.sanctions.formats.uk:published",
            recogniser="coalition.sanctions.formats.uk:recognise",
        ),
        Format(
            "ch-seco",
            "Swiss SECO sanctions list, SESAM XML export (the whole list)",
            "ch_seco_sanctions",
            "coalition.sanctions.formats.ch:read",
            dater="coalition.sanctions.formats.ch:published",
            recogniser="coalition.sanctions.formats.ch:recognise",
        ),
        Format(
            "ca-sema",
            "Canada's Consolidated Canadian Autonomous Sanctions List (SEMA and JVCFOA), XML",
            "ca_dfatd_sema_sanctions",
            "coalition.sanctions.formats.ca:read",
            recogniser="coalition.sanctions.formats.ca:recognise",
        ),
        Format(
            "au-dfat",
            "Australia's DFAT Consolidated List, Excel workbook (.xlsx)",
            "au_dfat_sanctions",
            "coalition.sanctions.formats.au:read",
            recogniser="coalition.sanctions.formats.au:recognise",
        ),
    )
}

FORMAT_NAMES = tuple(FORMATS)


def _function(path: str) -> Callable[..., Any]:
    module, name = path.split(":")
    return cast(Callable[..., Any], getattr(importlib.import_module(module), name))


def format_named(name: str) -> Format:
    """The layout ``name``; ValueError naming the layouts there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(
            f"no sanctions layout {name!r}: one of {', '.join(FORMAT_NAMES)}"
        ) from None


def read(name: str, binary: IO[bytes]) -> Iterator[Entry]:
    """The entries of ``binary`` read as layout ``name``."""
    return cast("Iterator[Entry]", _function(format_named(name).reader)(binary))


def published(name: str, binary: IO[bytes]) -> dt.date | None:
    """The day the file says it was published, if its layout says; the stream rewound."""
    fmt = format_named(name)
    if not fmt.dater:
        return None
    try:
        return cast("dt.date | None", _function(fmt.dater)(binary))
    finally:
        binary.seek(0)


def recognise(head: bytes) -> str | None:
    """The layout a file starting with ``head`` is in, when one recognises it."""
    for fmt in FORMATS.values():
        if fmt.recogniser and _function(fmt.recogniser)(head):
            return fmt.name
    return None
