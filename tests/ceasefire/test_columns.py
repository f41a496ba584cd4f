"""Reading a batch column by column gives exactly what the one-record rule gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.ceasefire.columns import read_batch
from coalition.ceasefire.fields import FieldError, read_report
from coalition.ceasefire.ingest import FIELDS_SCHEMA

NOW = dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC)
SPACE = st.sampled_from(["", " ", "\t", "\x1f", "\xa0", "\u3000"])


def _padded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(SPACE, values, SPACE).map("".join)


TIMES = st.one_of(
    st.datetimes(dt.datetime(1988, 12, 31), dt.datetime(2025, 4, 2)).map(
        lambda t: t.strftime("%Y-%m-%dT%H:%M:%S")
    ),
    st.sampled_from(
        [
            "2025-03-14T10:00:00Z",
            "2025-03-14 10:00:00.5",
            "2025-03-14T10:00:00+00:00",
            "2025-03-14T10:00:00+02:00",
            "14/03/2025 10:00",
            "03/04/2025",
            "2025-03-14",
            "2025-03-14T10",
            "2025-02-30T10:00:00",
            "2025-03-14T24:00:00",
            "2026-01-01T00:00:00",
            "",
            "soon",
        ]
    ),
)
NUMBERS = st.one_of(
    st.floats(-200, 200).map(lambda f: f"{f:.5f}"),
    st.sampled_from(["48,5", "1e1", "nan", "inf", "", "-0", "90", "90.0000001", " 12 "]),
)
COUNTS = st.one_of(
    st.integers(-5, 2_000_000).map(str),
    st.sampled_from(["", "3.0", "x", "0007", "1e3"]),
)
TEXTS = st.one_of(st.text(max_size=30), st.sampled_from(["a\x00b", "x" * 90, "Donetsk"]))


@st.composite
def records(draw: st.DrawFn) -> dict[str, str]:
    return {
        "source_kind": draw(
            _padded(st.sampled_from(["uav", "Monitor patrol", "open-source", "x"]))
        ),
        "source_name": draw(_padded(st.sampled_from(["SMM", "", "Camera"]))),
        "source_id": draw(_padded(st.text(max_size=8))),
        "reliability": draw(_padded(st.sampled_from(["a", "B", "F", "G", ""]))),
        "credibility": draw(_padded(st.sampled_from(["1", "6", "7", "0", "x"]))),
        "occurred_at": draw(_padded(TIMES)),
        "received_at": draw(st.one_of(st.just(""), _padded(TIMES))),
        "latitude": draw(NUMBERS),
        "longitude": draw(NUMBERS),
        "precision_m": draw(COUNTS),
        "region": draw(_padded(TEXTS)),
        "type": draw(_padded(st.sampled_from(["shelling", "Drone strike", "air-strike", "bomb"]))),
        "weapon": draw(TEXTS),
        "attribution": draw(TEXTS),
        "casualties": draw(COUNTS),
        "text": draw(TEXTS),
        "time_precision": draw(_padded(st.sampled_from(["", "minute", "Hour", "day", "week"]))),
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(records(), max_size=12))
def test_a_batch_reads_as_each_record_would(batch: list[dict[str, str]]) -> None:
    numbered = list(enumerate(batch, start=2))
    frame, rejects = read_batch(numbered, NOW)
    assert list(frame.schema) == list(FIELDS_SCHEMA)
    got = {row["line"]: row for row in frame.to_dicts()}
    assert len(got) + len(rejects) == len(batch)
    for line, record in numbered:
        try:
            want = vars(read_report(record, NOW))
        except FieldError as exc:
            assert (line, str(exc)) in rejects
            continue
        row = got[line]
        for name, value in want.items():
            assert row[name] == value, name


def test_plain_records_take_the_fast_path_and_odd_ones_are_still_read() -> None:
    plain = {
        "source_kind": "uav",
        "source_name": "Monitor UAV",
        "source_id": "1",
        "reliability": "B",
        "credibility": "2",
        "occurred_at": "2025-03-14T10:00:00Z",
        "latitude": "48.1",
        "longitude": "37.5",
        "type": "shelling",
    }
    odd = {**plain, "source_id": "2", "occurred_at": "14/03/2025 10:00", "latitude": "48,1"}
    bad = {**plain, "source_id": "3", "occurred_at": "03/04/2025"}
    frame, rejects = read_batch([(2, plain), (3, odd), (4, bad)], NOW)
    assert frame["line"].to_list() == [2, 3]
    assert frame["latitude"].to_list() == [48.1, 48.1]
    assert [line for line, _ in rejects] == [4]
    assert rejects[0][1].startswith("ambiguous date '03/04/2025'")
