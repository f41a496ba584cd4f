"""What kind of file an upload is, from its first bytes. Pure.

The importers find a file's encoding and read it themselves; this says, before anything is
read in earnest, what the file is (delimited text, JSON, a spreadsheet, XML, or something
no importer reads), so the user confirms the format and a file of another kind is caught
before a run starts. A gzip-compressed file is looked at through its compression.
"""

from __future__ import annotations

import codecs
import csv
import enum
import json
import zlib
from dataclasses import dataclass, field, replace

HEAD_BYTES = 64 * 1024  # how much of a file the sniffer reads


class Kind(enum.StrEnum):
    DELIMITED = "delimited"  # CSV and its relatives
    JSON = "json"
    GEOJSON = "geojson"
    JSON_LINES = "jsonl"
    SPREADSHEET = "xlsx"
    XML = "xml"
    OTHER = "other"  # binary, or text no importer reads
    EMPTY = "empty"


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    compressed: bool = False
    encoding: str = ""  # of a text file, as far as its first bytes tell
    delimiter: str = ""  # of a delimited file
    header: list[str] = field(default_factory=list)  # a delimited file's first row
    # The first bytes themselves (decompressed), for an importer that tells its layouts
    # apart by what they say (a sanctions list's XML root, its CSV's first line).
    head: bytes = field(default=b"", repr=False, compare=False)

    def describe(self) -> str:
        parts = {
            Kind.DELIMITED: f"delimited text (separator {self.delimiter!r})",
            Kind.JSON: "JSON",
            Kind.GEOJSON: "GeoJSON",
            Kind.JSON_LINES: "JSON lines",
            Kind.SPREADSHEET: "an Excel workbook (.xlsx)",
            Kind.XML: "XML",
            Kind.OTHER: "not a file any importer reads",
            Kind.EMPTY: "empty",
        }[self.kind]
        if self.encoding:
            parts += f", {self.encoding}"
        return f"gzip-compressed {parts}" if self.compressed else parts


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
    except zlib.error:
        return b""


def _decode(head: bytes) -> tuple[str, str] | None:
    """The text of ``head`` and its encoding, or None for binary."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(name, errors="ignore"), name
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return head.decode("utf-16-le", errors="ignore"), "utf-16-le"
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return head[: exc.start].decode("utf-8"), "utf-8"
    # A single-byte code page (a spreadsheet's re-save): text if it is mostly printable.
    text = head.decode("cp1252", errors="replace")
    printable = sum(c.isprintable() or c in "\r\n\t" for c in text)
    return (text, "cp1252") if printable >= 0.95 * len(text) else None


def _json_kind(text: str) -> Kind | None:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    first_line = stripped.split("\n", 1)[0].strip()
    if stripped.startswith("{") and "\n" in stripped:
        try:
            json.loads(first_line)
            return Kind.JSON_LINES
        except ValueError:
            pass
    if '"FeatureCollection"' in stripped[:4096] or '"Feature"' in stripped[:4096]:
        return Kind.GEOJSON
    return Kind.JSON


def sniff(head: bytes) -> Sniffed:
    """What the file whose first bytes are ``head`` is (see the module)."""
    compressed = head[:2] == b"\x1f\x8b"
    if compressed:
        head = _gunzip_head(head)
    return replace(_sniff(head, compressed), head=head)


def _sniff(head: bytes, compressed: bool) -> Sniffed:
    if not head.strip():
        return Sniffed(Kind.EMPTY, compressed)
    if head[:4] == b"PK\x03\x04":
        return Sniffed(
            Kind.SPREADSHEET if b"xl/" in head or b"[Content_Types]" in head else Kind.OTHER,
            compressed,
        )
    decoded = _decode(head)
    if decoded is None:
        return Sniffed(Kind.OTHER, compressed)
    text, encoding = decoded
    if (kind := _json_kind(text)) is not None:
        return Sniffed(kind, compressed, encoding)
    if text.lstrip().startswith("<"):
        return Sniffed(Kind.XML, compressed, encoding)
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return Sniffed(Kind.EMPTY, compressed, encoding)
    sample = "\n".join(lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        if not any(sep in lines[0] for sep in ",;\t|"):
            return Sniffed(Kind.OTHER, compressed, encoding)
        dialect = csv.excel
    header = next(csv.reader([lines[0]], delimiter=dialect.delimiter), [])
    return Sniffed(
        Kind.DELIMITED,
        compressed,
        encoding,
        dialect.delimiter,
        [cell.strip() for cell in header],
    )
