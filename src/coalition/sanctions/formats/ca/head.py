"""Telling Canada's consolidated list from a file's first bytes, and saying what else
it is. Pure."""

from __future__ import annotations

import codecs
import re

_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_FIELD = re.compile(rb"<(?:Country|Item)(?:-[A-Za-z]+)?>")

EXPECTED = (
    "expected Canada's Consolidated Canadian Autonomous Sanctions List: XML with the "
    "root <data-set> and one <record> per listing"
)


def start_of(head: bytes) -> bytes:
    """The head past its byte-order mark and leading blanks, as UTF-8 (UTF-16 decoded)."""
    for mark, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(mark):
            head = head[len(mark) :].decode(codec, "ignore").encode()
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def xml_root(head: bytes) -> str:
    """The first element's name in an XML head, past its declaration and comments."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", start_of(head), flags=re.DOTALL).lstrip()
    if text.startswith(b"<!"):
        return ""  # a DOCTYPE: the reader refuses it, and it is no list we know
    found = _ROOT.match(text)
    return found.group(2).decode() if found else ""


def not_ca(head: bytes) -> str:
    """Why a file starting with ``head`` is not the list, naming what it looks like."""
    start = start_of(head)
    if not start:
        return "the file is empty: " + EXPECTED
    if start.startswith(b"PK\x03\x04"):
        return f"a zip archive or a spreadsheet (.xlsx), {EXPECTED}"
    if start.startswith(b"{"):
        return f"a JSON file (FollowTheMoney entities?), {EXPECTED}"
    if not start.startswith(b"<"):
        shown = start.split(b"\n", 1)[0][:60].decode("utf-8", "replace").strip()
        return f"not XML: it starts {shown!r}; {EXPECTED}"
    root = xml_root(head)
    return f"not Canada's list: its root is <{root}>; {EXPECTED}"


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is Canada's consolidated list.

    Its root ``<data-set>`` is a generic name, so the head must also show a ``<record>``
    and a ``<Country>`` or ``<Item>`` element (in either naming)."""
    start = start_of(head)
    return (
        start.startswith(b"<")
        and xml_root(head) == "data-set"
        and b"<record" in start
        and bool(_FIELD.search(start))
    )
