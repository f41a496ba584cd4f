"""Telling DFAT's Consolidated List from a file's first bytes, conservatively. Pure.

An ``.xlsx`` file is a zip archive, and a zip's first bytes say only which parts come
first: every workbook starts alike. The list is recognised only when the head also holds
the start of a part that names its columns: the shared strings (where Excel keeps a
sheet's text) or a sheet with its text inline, inflated here from the head alone, at most
:data:`INFLATE_BYTES` of it, and found to name ``Reference`` and ``Name of Individual or
Entity``. In a large workbook those parts may begin after the head (:data:`HEAD_BYTES` of
it is all that is looked at), and then the answer is False: the user names the layout.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator

HEAD_BYTES = 64 * 1024
INFLATE_BYTES = 1024 * 1024  # at most this much of a part is inflated from the head
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # a zip local file header
_TEXT_PARTS = re.compile(rb"^xl/(?:sharedStrings\.xml|worksheets/sheet\d+\.xml)$")
_NAMES = (b"Name of Individual or Entity", b"Reference")


def _parts(head: bytes) -> Iterator[tuple[bytes, int, bytes]]:
    """(name, compression method, the bytes after its header) of each part the head
    shows the start of."""
    at = head.find(b"PK\x03\x04")
    while at >= 0 and at + _LOCAL.size <= len(head):
        fields = _LOCAL.unpack_from(head, at)
        method, name_length, extra_length = fields[3], fields[9], fields[10]
        start = at + _LOCAL.size
        name = head[start : start + name_length]
        yield name, method, head[start + name_length + extra_length :]
        at = head.find(b"PK\x03\x04", at + 4)


def _text(method: int, data: bytes) -> bytes:
    if method == 0:
        return data[:INFLATE_BYTES]
    if method != 8:
        return b""
    try:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, INFLATE_BYTES)
    except zlib.error:
        return b""


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is surely DFAT's Consolidated List (False
    when unsure: see the module's docstring)."""
    if not is_zip(head):
        return False
    for name, method, data in _parts(head):
        if _TEXT_PARTS.match(name):
            text = _text(method, data)
            if all(wanted in text for wanted in _NAMES):
                return True
    return False


def not_xlsx(head: bytes) -> str:
    """Why a file starting with ``head`` is not the list, naming what it looks like."""
    expected = (
        "expected DFAT's Consolidated List: an Excel workbook (.xlsx) with a header row "
        "naming 'Reference' and 'Name of Individual or Entity'"
    )
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        return f"the file is empty: {expected}"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"an Excel 97-2003 workbook (.xls) or a password-protected one: {expected}"
    if start.startswith(b"<"):
        return f"an XML file, {expected}"
    if start.startswith(b"{"):
        return f"a JSON file, {expected}"
    shown = start.split(b"\n", 1)[0][:60].decode("utf-8", "replace").strip()
    return f"it starts {shown!r}: {expected}"
