"""Spreadsheet cells that no spreadsheet will run: the defence against CSV injection.

A spreadsheet opening a CSV or XLSX file treats a text cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula, and a formula can fetch a URL with the sheet's contents or,
through DDE, start a program (``=cmd|' /C calc'!A0``). OWASP's CSV Injection guidance
(and ASVS 5.0 requirement 1.2.10) is followed here for every text cell we export:

- a cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
  a NUL gets one single quote ``'`` in front, so the spreadsheet shows it as text;
- so does a cell where such a character follows leading whitespace, since some
  spreadsheets trim it on import;
- every CSV field is enclosed in double quotes, with inner quotes doubled (RFC 4180,
  sections 2.6 and 2.7), so a separator inside a value (a ``;`` for a spreadsheet set to a
  European locale) never starts a new cell.

Only text is neutralised: numbers written from a numeric column stay numbers (``-5`` is
a number, not a formula). JSON and GeoJSON are not spreadsheets and are left alone.
"""

from __future__ import annotations

import csv
import re
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Writer

# The characters that make a spreadsheet read a cell as a formula or a command.
TRIGGERS = frozenset("=+-@\t\r\x00")

# Characters XML 1.0 cannot hold: an XLSX cell containing one is refused by openpyxl.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates: ``'`` in front of a formula trigger.

    The text is returned unchanged unless its first character, or its first character
    after leading whitespace, is one of :data:`TRIGGERS`; then exactly one ``'`` is put in
    front, so the original is the cell without its first character.
    """
    if text[:1] in TRIGGERS or text.lstrip()[:1] in TRIGGERS:
        return "'" + text
    return text


def sheet_text(text: str) -> str:
    """A text cell for an XLSX sheet: neutralised, characters XML cannot hold as U+FFFD."""
    return neutralise(_NOT_XML.sub("\ufffd", text))


def csv_writer(out: IO[str]) -> Writer:
    """A CSV writer quoting every field (RFC 4180), with ``\\r\\n`` line ends."""
    return csv.writer(out, quoting=csv.QUOTE_ALL)


def csv_dict_writer(out: IO[str], fieldnames: list[str]) -> csv.DictWriter[str]:
    """A ``DictWriter`` quoting every field, as :func:`csv_writer`; unknown keys ignored."""
    return csv.DictWriter(out, fieldnames=fieldnames, quoting=csv.QUOTE_ALL, extrasaction="ignore")


def marking_line(label: str) -> str:
    """The first line of a CSV export: its overall marking, as a comment line.

    Readers that take ``#`` lines as comments (pandas' ``comment="#"``, R's
    ``comment.char``) skip it; a person opening the file reads it first.
    """
    return f"# marking: {label}\r\n"
