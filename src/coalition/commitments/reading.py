"""Streaming rows out of pledge files: XLSX, and CSV in UTF-8, UTF-16 or a code page.

Rows come out one at a time with the line (CSV: the first line of the record, which may
span several) or sheet row (XLSX) they were read from, so memory stays bounded whatever
the file's length, and every rejected row can be named. A file over the size limit is
refused before a byte of it is parsed, and so is a file in no encoding that reads it
whole (:mod:`coalition.core.textfiles`). A file that breaks off part-way says so through
:attr:`Sheet.broken`, so the import that read only part of it can fail.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from coalition.core.errors import Invalid
from coalition.core.textfiles import detect_encoding

MAX_BYTES = 64 * 1024 * 1024
MAX_FIELD = 100_000  # characters in one cell; a longer one is a broken file, not a pledge
KIEL_SHEET_HINTS = ("main data", "bilateral assistance")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: list[object]


@dataclass
class Sheet:
    """The header of a file and a stream of its rows."""

    header: list[object]
    rows: Iterator[RawRow]
    total: int  # bytes (CSV) or rows (XLSX), for a progress bar
    closer: Callable[[], None]
    strict_width: bool = True  # CSV rows must have every cell; workbook rows may omit some
    encoding: str = ""  # the text encoding found (CSV only)
    broken: str | None = None  # where and why the file broke off, once it has


class _Counting(io.RawIOBase):
    """A binary reader that counts what has been read, to drive a progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def check_size(path: Path, max_bytes: int = MAX_BYTES) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Invalid(f"cannot read {path.name}: {exc.strerror}") from exc
    if size > max_bytes:
        raise Invalid(
            f"{path.name} is {size / 1_048_576:.1f} MB, over the import limit of "
            f"{max_bytes / 1_048_576:.0f} MB; split the file or raise the limit"
        )
    if size == 0:
        raise Invalid(f"{path.name} is empty")
    return size


def open_csv(path: Path, progress: Progress | None = None) -> Sheet:
    """A CSV file's header and rows, in the encoding that reads the whole file."""
    size = path.stat().st_size
    with path.open("rb") as probe:
        encoding = detect_encoding(probe, path.name)
        head = probe.read(8192)
    sample = head.decode(encoding, errors="ignore")
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    counting = _Counting(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(counting), encoding=encoding, newline="")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header: list[object] = list(next(reader))
    except (StopIteration, csv.Error, UnicodeDecodeError) as exc:
        text.close()
        raise Invalid(f"{path.name} has no readable header row: {exc}") from exc

    sheet = Sheet(header, iter(()), size, text.close, encoding=encoding)

    def rows() -> Iterator[RawRow]:
        while True:
            first = reader.line_num + 1  # a quoted cell may carry the record over lines
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                sheet.broken = f"line {first}: malformed CSV: {exc}"
                yield RawRow(first, [_Broken(f"malformed CSV: {exc}")])
                return
            if progress is not None:
                progress(counting.count, size)
            if any(c.strip() for c in cells):
                yield RawRow(first, list(cells))

    sheet.rows = rows()
    return sheet


class _Broken:
    """A row that could not be read at all; its reason travels as the only cell."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def broken_reason(row: RawRow) -> str | None:
    """The reason a row could not be read, if it could not."""
    if len(row.cells) == 1 and isinstance(row.cells[0], _Broken):
        return row.cells[0].reason
    return None


def open_xlsx(path: Path, progress: Progress | None = None) -> Sheet:
    """The tracker's main sheet (or the first sheet) of a workbook, read in streaming mode."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    names = book.sheetnames
    chosen = next(
        (n for n in names if any(h in n.lower() for h in KIEL_SHEET_HINTS[:1])),
        next((n for n in names if KIEL_SHEET_HINTS[1] in n.lower()), names[0]),
    )
    sheet = book[chosen]
    total = sheet.max_row or 0
    stream = sheet.iter_rows(values_only=True)
    try:
        header = list(next(stream))
    except StopIteration as exc:
        book.close()
        raise Invalid(f"sheet {chosen!r} of {path.name} is empty") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        book.close()
        raise Invalid(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    # Trailing empty header cells are formatting, not columns.
    while header and header[-1] in (None, ""):
        header.pop()

    sheet = Sheet(header, iter(()), total, book.close, strict_width=False)

    def rows() -> Iterator[RawRow]:
        line = 1
        try:
            for cells in stream:
                line += 1
                if progress is not None and line % 500 == 0:
                    progress(line, total)
                if any(c not in (None, "") for c in cells):
                    yield RawRow(line, list(cells))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            sheet.broken = f"row {line + 1}: the workbook is damaged: {exc}"
            yield RawRow(line + 1, [_Broken(f"the workbook is damaged: {exc}")])

    sheet.rows = rows()
    return sheet


def open_sheet(path: Path, progress: Progress | None = None) -> Sheet:
    """Open ``path`` by its content: a ZIP container is a workbook, anything else CSV."""
    with path.open("rb") as probe:
        is_zip = probe.read(4) == b"PK\x03\x04"
    return open_xlsx(path, progress) if is_zip else open_csv(path, progress)
