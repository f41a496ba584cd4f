"""Telling the UK Sanctions List from a file's first bytes, and saying what else it is. Pure."""

from __future__ import annotations

import codecs
import re

HEADER_SEARCH_LINES = 5  # the header row is looked for among the first lines


def start_of(head: bytes) -> bytes:
    """The head past its byte-order mark and leading blanks, as UTF-8 (UTF-16 decoded)."""
    for mark, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(mark):
            head = head[len(mark) :].decode(codec, "ignore").encode()
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _xml_root(head: bytes) -> str:
    """The first element's name in an XML head, past its declaration and comments."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", start_of(head), flags=re.DOTALL).lstrip()
    found = _XML_ROOT.match(text)
    return found.group(2).decode() if found else ""


def not_uk(head: bytes) -> str:
    """Why a file starting with ``head`` is not the list, naming what it looks like."""
    start = start_of(head)
    expected = (
        "expected the UK Sanctions List: a CSV with a 'Report Date' line and a header "
        "naming 'Unique ID', or XML with the root <Designations>"
    )
    if not start:
        return "the file is empty: " + expected
    first = start.split(b"\n", 1)[0]
    if start.startswith(b"{"):
        return f"a JSON file (FollowTheMoney entities?), {expected}"
    if b"Entity_LogicalId" in first or b"fileGenerationDate" in first:
        return f"the EU Financial Sanctions File (CSV), {expected}"
    if re.match(rb'^"?\d+"?,', first):
        return f"a CSV without a header (US OFAC's sdn.csv?), {expected}"
    shown = first[:60].decode("utf-8", "replace").strip()
    return f"it starts {shown!r}: {expected}"


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is the UK Sanctions List, CSV or XML."""
    start = start_of(head)
    if start.startswith(b"<"):
        return _xml_root(head) == "Designations"
    lines = start[:8192].decode("utf-8", "replace").lower().splitlines()[:HEADER_SEARCH_LINES]
    for text in lines:
        if "unique id" in text:
            return "regime name" in text or "name 6" in text
    return False
