"""The rows of OFAC's legacy CSV files, read whatever shape a file is in. Pure.

OFAC's CSV files have no header row, write ``-0-`` for an empty cell and may be in
Windows-1252 rather than UTF-8; a copy may be cut mid-row or hold a line too long to hold.
:func:`rows_of` gives each row with its line and the problem it has, if any, and marks the
row a file breaks off in.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MAX_LINE_CHARS = 1024 * 1024  # a longer line of a CSV file is refused, never held whole
_CHUNK = 1024 * 1024


def cell_text(value: str) -> str:
    """A CSV cell as text: ``-0-``, OFAC's empty value, as ''."""
    value = value.replace("\x1a", "").strip()
    return "" if value == "-0-" else value


def _encoding(binary: IO[bytes]) -> str:
    """The encoding of the rest of ``binary`` (UTF-8, else Windows-1252), rewound after."""
    start = binary.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(_CHUNK):
            decoder.decode(chunk)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        binary.seek(start)
    return "utf-8-sig"  # a file cut mid-character stays UTF-8: its last row is broken


class _Lines:
    """The lines of a text file for :mod:`csv`, counted, each over
    :data:`MAX_LINE_CHARS` replaced by a blank line and noted."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.number = 0
        self.ended = True  # the last line read ended with a line break
        self.done = False  # the file's end was reached
        self.taken: list[str] = []  # the lines read since :meth:`row_start`
        self.too_long: list[int] = []

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.text.readline(MAX_LINE_CHARS + 1)
            if not line:
                self.done = True
                return
            self.number += 1
            if len(line) > MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                while line and not line.endswith(("\n", "\r")):
                    line = self.text.readline(MAX_LINE_CHARS)
                self.too_long.append(self.number)
                line = "\n"
            self.ended = line.endswith(("\n", "\r"))
            self.taken.append(line)
            yield line

    def row_start(self) -> int:
        self.taken = []
        return self.number + 1


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]
    problem: str = ""
    cut: bool = False  # the file breaks off in this row
    raw: tuple[str, ...] = ()  # the cells as written, spaces and all


def rows_of(binary: IO[bytes], name: str, columns: int) -> Iterator[Row]:
    """The rows of the CSV file ``binary`` named ``name``, each of ``columns`` cells or
    with the problem it has; a last row cut off is marked so and ends the rows."""
    text = io.TextIOWrapper(binary, encoding=_encoding(binary), errors="replace", newline="")
    try:
        lines = _Lines(text)
        reader = csv.reader(lines)
        while True:
            start = lines.row_start()
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Row(start, [], f"{name} line {start}: not CSV ({exc})")
                continue
            if lines.too_long and lines.too_long[-1] >= start:
                lines.too_long.clear()
                yield Row(
                    start, [], f"{name} line {start}: longer than {MAX_LINE_CHARS:,} characters"
                )
                continue
            cells = [cell_text(value) for value in raw]
            if not any(cells):
                continue  # a blank line, or the control-Z old files end with
            # A quoted cell left open runs to the end of the file: the file was cut in it.
            unclosed = lines.done and "".join(lines.taken).count('"') % 2 == 1
            if unclosed or (not lines.ended and len(cells) != columns):
                yield Row(start, cells, f"{name} breaks off in the row of line {start}", True)
                return
            if len(cells) != columns:
                yield Row(
                    start,
                    cells,
                    f"{name} line {start}: {len(cells)} columns, expected {columns}",
                )
                continue
            yield Row(start, cells, raw=tuple(raw))
    finally:
        text.detach()  # the stream is the caller's, not closed with the wrapper
