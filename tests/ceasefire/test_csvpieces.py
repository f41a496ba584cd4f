"""A CSV file read in pieces as columns gives every record the record reader gives,
at the same line, refused for the same reason; what it cannot read plainly it leaves to
the record reader."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire import csvpieces, layouts
from coalition.ceasefire.columns import NAMES

HEADER = "source_name,source_id,Latitude, text ,extra\n"
Outcome = tuple[int, object]


def _by_records(data: bytes) -> list[Outcome]:
    out: list[Outcome] = []
    for r in layouts.read(layouts.Layout.CSV, io.BytesIO(data)):
        if r.fields is None:
            out.append((r.line, (r.error, r.broken)))
        else:
            out.append((r.line, {n: r.fields.get(n) or "" for n in NAMES}))
    return out


def _by_pieces(data: bytes, lines: int) -> list[Outcome]:
    binary = io.BytesIO(data)
    header = csvpieces.open_pieces(binary)
    if header is None:
        return _by_records(data)
    out: list[Outcome] = []
    for piece in csvpieces.pieces(binary, lines):
        if piece.plain:
            raw, refused = csvpieces.columns(piece, header, NAMES)
            out += [(row.pop("line"), row) for row in raw.iter_rows(named=True)]
            out += [(line, (reason, False)) for line, reason in refused]
        else:
            broken = False
            for r in csvpieces.records(piece, header):
                if r.fields is None:
                    out.append((r.line, (r.error, r.broken)))
                    broken |= r.broken
                else:
                    out.append((r.line, {n: r.fields.get(n) or "" for n in NAMES}))
            if broken:
                break
    return sorted(out, key=lambda o: o[0])


cell = st.text(alphabet='ab1 ,"\r\né\t', max_size=6)
line = st.lists(cell, min_size=0, max_size=7).map(",".join)
ending = st.sampled_from(["\n", "\n", "\n", "\r\n", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(line, ending), max_size=25), st.integers(1, 6), st.booleans())
def test_pieces_read_every_record_as_the_record_reader(
    rows: list[tuple[str, str]], lines: int, bom: bool
) -> None:
    text = HEADER + "".join(cells + end for cells, end in rows)
    data = ("\ufeff" if bom else "").encode() + text.encode()
    assert _by_pieces(data, lines) == _by_records(data)


def test_a_plain_file_is_read_as_columns_with_its_lines() -> None:
    data = (HEADER + "a,1,50.1,x,y\n\n , ,,,\nb,2,50.2\r\nc,3,50.3,z,w").encode()
    binary = io.BytesIO(data)
    header = csvpieces.open_pieces(binary)
    assert header is not None
    (piece,) = list(csvpieces.pieces(binary, 10))
    assert piece.plain
    raw, refused = csvpieces.columns(piece, header, ["source_id", "latitude", "text", "type"])
    assert raw.rows() == [(2, "1", "50.1", "x", ""), (6, "3", "50.3", "z", "")]
    assert refused == [(5, "3 cells where the header has 5")]


def test_files_left_to_the_record_reader() -> None:
    for data in (b"\x1f\x8b\x08", "a,b\n\xe9\n".encode("latin-1"), b"a,a\n1,2\n", b""):
        assert csvpieces.open_pieces(io.BytesIO(data)) is None


plain_cell = st.text(alphabet="ab1 ,\r\né\t", max_size=6)
plain_line = st.lists(plain_cell, min_size=0, max_size=7).map(",".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(plain_line, ending), max_size=25), st.integers(1, 6))
def test_pieces_of_a_file_without_quotes_read_as_the_record_reader(
    rows: list[tuple[str, str]], lines: int
) -> None:
    data = (HEADER + "".join(cells + end for cells, end in rows)).encode()
    assert _by_pieces(data, lines) == _by_records(data)


def test_a_cell_past_the_readers_limit_breaks_the_file_where_the_record_reader_breaks() -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    lines = [f"a,{n},50.{n},t,e\n" for n in range(12)]
    lines[7] = f"a,7,50.7,{huge},e\n"
    data = (HEADER + "".join(lines)).encode()
    expected = _by_records(data)
    assert expected[-1][1] == (expected[-1][1][0], True)  # the record reader breaks there
    for size in (1, 3, 5, 20):
        assert _by_pieces(data, size) == expected
