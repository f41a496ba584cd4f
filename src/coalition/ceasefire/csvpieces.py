"""Reading a report file in the canonical CSV layout a batch at a time, as columns. Pure.

:func:`~coalition.ceasefire.layouts.read` reads a file record by record with Python's
``csv`` module and hands each record on as a dictionary: exact, and a few microseconds a
record. A UTF-8 file is read here instead, in *pieces* of whole lines, each as many
records as an import batch holds. A piece without quotation marks, bare carriage
returns or NUL bytes has one record per line, its cells between the commas: it is split
into columns at once (polars), blank lines dropped and lines with the wrong number of
cells refused as the record reader refuses them, every record keeping the line it began
on. Any other piece is read by the record reader itself, so each record of the file is
read exactly as :func:`~coalition.ceasefire.layouts.read` reads it, whichever way it
went; a test holds the two to that on files of every shape.

The last line read is always held back for the next piece, so a file that breaks off
inside its last record has the record before it refused too, as the record reader does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import polars as pl

from coalition.ceasefire import layouts
from coalition.ceasefire.columns import SPACE
from coalition.core.textfiles import UnreadableText, detect_encoding

_BOM = b"\xef\xbb\xbf"
_LIMIT = csv.field_size_limit()


@dataclass(frozen=True)
class Piece:
    """Whole lines of a file, from line ``line`` on."""

    line: int
    data: bytes

    @property
    def plain(self) -> bool:
        """One record per line, the cells between the commas: no quoting, no bare
        carriage return (which the record reader takes as a line's end), no NUL."""
        data = self.data
        return (
            b'"' not in data
            and b"\x00" not in data
            and data.count(b"\r") == data.count(b"\r\n")
            # a cell past the record reader's limit breaks the file there
            and (len(data) <= _LIMIT or max(map(len, data.split(b"\n"))) <= _LIMIT)
        )


@dataclass(frozen=True)
class Header:
    """The header line as read (text) and its column names, trimmed and lower-case."""

    text: str
    names: list[str]


def open_pieces(binary: IO[bytes], name: str = "the file") -> Header | None:
    """The header of a file this module reads, the stream left just after it; ``None``
    (the stream at its start) for one it leaves to the record reader: not a seekable
    UTF-8 file, compressed, or with a header the record reader would refuse."""
    if not binary.seekable():
        return None
    start = binary.read(2)
    binary.seek(0)
    if start == b"\x1f\x8b":
        return None
    try:
        encoding = detect_encoding(binary, name)
    except UnreadableText:
        binary.seek(0)
        return None
    if encoding not in ("utf-8", "utf-8-sig"):
        binary.seek(0)
        return None
    if not _plain_file(binary):
        binary.seek(0)
        return None
    binary.seek(0)
    if encoding == "utf-8-sig":
        binary.read(len(_BOM))
    first = binary.readline()
    text = first.decode("utf-8")
    try:
        cells = next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration):
        cells = []
    names = [c.strip().lower() for c in cells]
    given = [n for n in names if n]
    if not given or len(set(given)) != len(given) or first.count(b'"') % 2:
        binary.seek(0)
        return None
    return Header(text, names)


def pieces(binary: IO[bytes], lines: int) -> Iterator[Piece]:
    """The rest of the file after its header, in pieces of about ``lines`` lines that
    end where a record ends (quotation marks even), the last line held back each time."""
    number = 2
    held: list[bytes] = []
    while True:
        while len(held) <= lines:
            line = binary.readline()
            if not line:
                break
            held.append(line)
        if len(held) <= lines:  # the end of the file: all that is left
            if held:
                yield Piece(number, b"".join(held))
            return
        take = _cut(held, lines)
        if take is None:  # no place to cut yet: read further
            more = binary.readline()
            if more:
                held.append(more)
                continue
            yield Piece(number, b"".join(held))
            return
        data = b"".join(held[:take])
        yield Piece(number, data)
        number += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
        held = held[take:]


def _plain_file(binary: IO[bytes]) -> bool:
    """Whether no line of the file holds a quotation mark, a bare carriage return or a
    NUL: then every line is one record, its cells between the commas."""
    last = b""
    while chunk := binary.read(1 << 20):
        joined = last + chunk
        if b'"' in chunk or b"\x00" in chunk:
            return False
        if joined[:-1].count(b"\r") != joined.count(b"\r\n"):
            return False
        last = chunk[-1:]
    return not last.endswith(b"\r")


def _cut(held: list[bytes], lines: int) -> int | None:
    """Where to cut ``held`` (how many lines go), at most ``lines``: before a line that
    is a record the reader reads whole (not blank, no cell past its limit). A record that
    breaks the file then never opens a piece, so the record before it is read with it
    (and refused with it, as the record reader refuses it)."""
    for take in range(lines, 0, -1):
        line = held[take]
        if len(line) <= _LIMIT and line.decode("utf-8").replace(",", "").strip():
            return take
    return None


def columns(
    piece: Piece, header: Header, wanted: list[str]
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """A plain piece's records as string columns ``wanted`` (``""`` where the header has
    no such column) with the line each is on, and the lines refused for their number of
    cells. Blank lines are skipped, as the record reader skips them."""
    text = piece.data.decode("utf-8")
    rows = pl.Series("raw", text.split("\n"), dtype=pl.String)
    if text.endswith("\n"):
        rows = rows.head(-1)
    width = len(header.names)
    found = (
        pl.DataFrame({"raw": rows})
        .with_row_index("line", offset=piece.line)
        .select(
            pl.col("line").cast(pl.Int64),
            pl.col("raw").str.strip_suffix("\r"),
        )
    )
    found = found.with_columns(
        cells=pl.col("raw").str.count_matches(",", literal=True) + 1,
        blank=pl.col("raw").str.replace_all(",", "", literal=True).str.strip_chars(SPACE) == "",
    ).filter(~pl.col("blank"))
    wrong = found.filter(pl.col("cells") != width)
    refused = [
        (line, f"{cells} cells where the header has {width}")
        for line, cells in wrong.select("line", "cells").iter_rows()
    ]
    good = found.filter(pl.col("cells") == width)
    split = good.select(
        "line",
        pl.col("raw")
        .str.split_exact(",", width - 1)
        .struct.rename_fields([f"_{i}" for i in range(width)]),
    ).unnest("raw")
    index = {n: i for i, n in enumerate(header.names) if n}
    frame = split.select(
        "line",
        *((pl.col(f"_{index[n]}") if n in index else pl.lit("")).alias(n) for n in wanted),
    )
    return frame, refused


def records(piece: Piece, header: Header) -> Iterator[layouts.Record]:
    """A piece read by the record reader, each record at its line in the file."""
    shift = piece.line - 2
    text = io.StringIO(header.text + piece.data.decode("utf-8"), newline="")
    for record in layouts.read_canonical_csv(text):
        if record.line == 1 and record.fields is None:
            continue  # the header was read once already
        yield layouts.Record(
            record.line + shift, record.fields, record.error, record.broken, record.skipped
        )
