"""Telling the SECO sanctions list from a file's first bytes, and saying what else it is. Pure.

The list is XML whose root element is ``<swiss-sanctions-list>``; an XML declaration,
comments, a byte-order mark and leading blanks may come before it.
"""

from __future__ import annotations

import codecs
import re

ROOT = "swiss-sanctions-list"
EXPECTED = "expected the Swiss SECO sanctions list: XML with the root <swiss-sanctions-list>"

_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)


def start_of(head: bytes) -> bytes:
    """The head past its byte-order mark and leading blanks, as UTF-8 (UTF-16 decoded)."""
    for mark, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(mark):
            head = head[len(mark) :].decode(codec, "ignore").encode()
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def root_of(head: bytes) -> str:
    """The first element's local name in an XML head, past its declaration and comments."""
    text = _PROLOGUE.sub(b"", start_of(head)).lstrip()
    found = _XML_ROOT.match(text)
    return found.group(2).decode() if found else ""


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is the SECO list's XML export."""
    return root_of(head) == ROOT


def not_seco(head: bytes) -> str:
    """Why a file starting with ``head`` is not the list, naming what it looks like."""
    start = start_of(head)
    if not start:
        return "the file is empty: " + EXPECTED
    if start.startswith(b"{"):
        return f"a JSON file (FollowTheMoney entities?), {EXPECTED}"
    first = start.split(b"\n", 1)[0]
    if b"Entity_LogicalId" in first or b"fileGenerationDate" in first:
        return f"the EU Financial Sanctions File (CSV), {EXPECTED}"
    if b"Report Date" in first or b"Unique ID" in first:
        return f"the UK Sanctions List (CSV), {EXPECTED}"
    shown = first[:60].decode("utf-8", "replace").strip()
    return f"it starts {shown!r}: {EXPECTED}"
