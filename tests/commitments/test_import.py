"""Importing files on both databases: the tracker sample, the plain layout, hostile input."""

from __future__ import annotations

import codecs
import csv
import io
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from coalition.commitments import importer
from coalition.commitments.model import Commitment, DatePrecision
from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Forbidden, Invalid
from coalition.members.model import Member
from tests.world import World

SAMPLE = files("coalition") / "data" / "kiel_sample.csv"


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def write_xlsx(path: Path, text: str) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Read me"
    sheet = book.create_sheet("Bilateral Assistance, MAIN DATA")
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    book.save(path)
    return path


def counts(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        rows = session.scalar(select(func.count()).select_from(Commitment)) or 0
        live = (
            session.scalar(
                select(func.count())
                .select_from(Commitment)
                .where(Commitment.superseded_at.is_(None))
            )
            or 0
        )
    return rows, live


def test_the_kiel_sample_loads_and_a_rerun_changes_nothing(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "kiel.csv"
    path.write_text(sample_text(), encoding="utf-8")
    analyst = world.principal("sec.contributor")
    first = importer.import_file(engine, analyst, path, "kiel")
    s = first.summary
    # The test world has GBR, FRA, POL, DEU and EU: the Netherlands and Denmark, donors
    # outside it, become partners.
    assert (s.read, s.inserted, s.updated, s.unchanged) == (10, 8, 0, 0)
    assert sorted(first.partners) == ["DNK", "NLD"]
    reasons = {r.line: r.reason for r in first.rejects}
    assert 7 not in reasons
    assert "without a currency" in reasons[10]
    assert "unreadable date" in reasons[11]
    with transaction(engine) as session:
        ids = set(session.scalars(select(Commitment.source_id)))
        assert {"S-001-1", "S-001-2"} <= ids  # one package, two items
        france = session.scalars(select(Commitment).where(Commitment.owner_code == "FRA")).one()
        assert france.date_precision == DatePrecision.BY and france.date_text == "until 3/10/2025"
        assert (france.currency, france.value) == ("EUR", 85000000)
        poland = session.scalars(select(Commitment).where(Commitment.owner_code == "POL")).one()
        assert poland.date_precision == DatePrecision.MONTH and poland.currency == "PLN"
        assert poland.value_eur is not None and poland.rate_date is not None
    again = importer.import_file(engine, analyst, path, "kiel")
    assert (again.summary.inserted, again.summary.updated, again.summary.unchanged) == (0, 0, 8)
    assert again.partners == []
    assert counts(engine) == (8, 8)
    with transaction(engine) as session:
        assert audit.verify(session).ok


KIEL_HEADER = (
    "ID,Donor,Aid type general,Aid type specific,Item,Explanation,Announcement date,"
    "Reporting date,Source of Financing,Quantity,Amount (in original currency),Currency,"
    "Converted Value in EUR,Tot. Value (EUR),Source\n"
)


def test_donors_outside_the_coalition_are_registered_as_partners(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    """A tracker sheet lists every donor; a third of its rows, tens of billions of euros,
    were rejected as "not in the member register"."""
    donors = [
        ("United States", "USA"),
        ("Japan", "JPN"),
        ("Austria", "AUT"),
        ("South Korea", "KOR"),
        ("Switzerland", "CHE"),
        ("Taiwan", "TWN"),
        ("European Investment Bank", "EIB"),
        ("United Kingdom", "GBR"),
    ]
    rows = [
        f"P-{i},{name},Financial,Budget support,Grant,Constructed,3/2/2025,3/10/2025,"
        f"Budget,,{(i + 1) * 100_000_000},EUR,,,Constructed\n"
        for i, (name, _code) in enumerate(donors)
    ]
    rows.append("P-99,Atlantis,Financial,Budget support,Grant,x,3/2/2025,,,,1,EUR,,,x\n")
    path = tmp_path / "tracker.csv"
    path.write_text(KIEL_HEADER + "".join(rows), encoding="utf-8")
    outcome = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    assert outcome.summary.inserted == 8
    assert sorted(outcome.partners) == sorted(code for _, code in donors[:-1])
    assert [r.line for r in outcome.rejects] == [10]  # Atlantis: no country we know
    with transaction(engine) as session:
        standing = dict(
            session.execute(
                select(Member.code, Member.standing).where(Member.code.in_(["EIB", "TWN", "GBR"]))
            ).all()
        )
        eib = session.get(Member, "EIB")
    assert standing == {"EIB": "partner", "TWN": "partner", "GBR": "member"}
    assert eib is not None and eib.name == "European Investment Bank" and eib.kind == "organisation"
    # Figures for members, partners, or both.
    from coalition.commitments import service
    from coalition.members.model import MemberStanding

    sec = world.principal("sec.contributor")
    with transaction(engine) as session:
        both = service.summary(session, sec)
        members_only = service.summary(
            session, sec, service.Filters(standing=MemberStanding.MEMBER)
        )
        partners = service.summary(session, sec, service.Filters(standing=MemberStanding.PARTNER))
    assert {m.member for m in members_only.by_member} == {"GBR"}
    assert len(partners.by_member) == 7
    assert both.pledged_eur == members_only.pledged_eur + partners.pledged_eur
    # A member of the secretariat may register partners; a member's officer may not.
    path.write_text(KIEL_HEADER + rows[0].replace("United States", "Norway"), encoding="utf-8")
    refused = importer.import_file(engine, world.principal("gbr.contributor"), path, "kiel")
    assert refused.partners == [] and "only the secretariat" in refused.rejects[0].reason


def test_a_real_tracker_extract_loads_each_package_once(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    """Thirteen rows of the tracker as published in January 2023 (see data/SOURCES.md):
    the 2022-23 column names, a package of five items whose value sits on its first row
    and repeats in "Monetary Value as Given by Source", "undisclosed" counts, '.' blanks."""
    from coalition.members.model import Member

    with transaction(engine) as session:
        session.add(Member(code="AUS", name="Australia", kind="state", owner_code="AUS"))
    path = tmp_path / "kiel-2023-01.csv"
    path.write_bytes((files("coalition") / "data" / "kiel_extract_2023-01.csv").read_bytes())
    first = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    s = first.summary
    assert (s.read, s.inserted, s.rejected) == (13, 13, 0), first.rejects
    with transaction(engine) as session:
        rows = {c.source_id: c for c in session.scalars(select(Commitment))}
        aud = sum(c.value for c in rows.values() if c.currency == "AUD" and c.value is not None)
        eur = sum(c.value_eur for c in rows.values() if c.value_eur is not None)
    # AUD 35 + 32.6 + 12 (humanitarian) + 70 + 21 + 25 + 49 + 26.5 (military) million:
    # each package counted once, not once per item.
    assert aud == 271_100_000
    assert 150_000_000 < eur < 190_000_000  # at ECB rates of March-April 2022
    package = sorted(k for k in rows if k.startswith("AUM3-"))
    assert package == [f"AUM3-{i}" for i in range(1, 6)]
    assert rows["AUM3-1"].value == 25_000_000 and rows["AUM3-2"].value is None
    assert rows["AUM3-1"].quantity is None  # "undisclosed" is unknown, not zero
    assert rows["AUH2-1"].quantity == 70_000
    assert rows["AUM4-1"].announced_on.isoformat() == "2022-04-08"
    assert rows["AUH1-1"].source_ref.startswith("https://pmtranscripts.pmc.gov.au/")
    again = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    assert again.summary.unchanged == 13


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "xlsx"])
def test_the_same_sheet_in_other_encodings_is_the_same_data(
    engine: Engine, world: World, tmp_path: Path, encoding: str
) -> None:
    analyst = world.principal("sec.contributor")
    plain = tmp_path / "kiel.csv"
    plain.write_text(sample_text(), encoding="utf-8")
    importer.import_file(engine, analyst, plain, "kiel")
    if encoding == "xlsx":
        other = write_xlsx(tmp_path / "kiel.xlsx", sample_text())
    else:
        other = tmp_path / f"kiel-{encoding}.csv"
        other.write_text(sample_text(), encoding=encoding)
        if encoding == "utf-16":
            assert other.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    s = importer.import_file(engine, analyst, other, "kiel").summary
    assert (s.inserted, s.updated, s.unchanged, s.rejected) == (0, 0, 8, 2)


def test_a_changed_row_supersedes_its_record(engine, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    analyst = world.principal("sec.contributor")
    path = tmp_path / "kiel.csv"
    path.write_text(sample_text(), encoding="utf-8")
    importer.import_file(engine, analyst, path, "kiel")
    path.write_text(sample_text().replace(",500000000,EUR", ",750000000,EUR"), encoding="utf-8")
    s = importer.import_file(engine, analyst, path, "kiel").summary
    assert (s.inserted, s.updated, s.unchanged) == (0, 1, 7)
    assert counts(engine) == (9, 8)
    with transaction(engine) as session:
        germany = session.scalars(
            select(Commitment).where(Commitment.owner_code == "DEU").order_by(Commitment.revision)
        ).all()
        assert [(g.revision, g.value) for g in germany] == [(1, 500000000), (2, 750000000)]
        assert germany[0].superseded_at is not None and germany[1].superseded_at is None
        assert audit.verify(session).ok


PLAIN_HEADER = (
    "source_id,member,announced_on,category,item,quantity,unit,"
    "value,currency,status,marking,rel_to\n"
)


def test_the_plain_layout_and_member_ownership(engine, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plain.csv"
    path.write_text(
        PLAIN_HEADER
        + "g1,GBR,2025-03-02,military,Vehicles,10,vehicles,5000000,GBP,announced,PUBLIC,\n"
        + "g2,GBR,2025-03,training,Instructors,40,people,,,confirmed,REL TO,FRA\n"
        + "f1,FRA,2025-03-02,military,Not ours,1,x,,,announced,PUBLIC,\n"
        + "g3,GBR,2025-03-02,military,Typo,-4,x,,,announced,PUBLIC,\n"
        + "g4,GBR,2025-03-02,military,Absurd,1,x,99999999999999999,EUR,announced,PUBLIC,\n",
        encoding="utf-8",
    )
    outcome = importer.import_file(engine, world.principal("gbr.contributor"), path, "csv")
    assert outcome.summary.inserted == 2
    reasons = {r.line: r.reason for r in outcome.rejects}
    assert "may not record for FRA" in reasons[4]
    assert "negative" in reasons[5]
    assert "implausibly large" in reasons[6]
    with pytest.raises(Forbidden):
        importer.import_file(engine, world.principal(None), path, "csv")
    rejects = tmp_path / "rejects.csv"
    importer.write_rejects(rejects, outcome.rejects)
    assert rejects.read_text().splitlines()[0] == '"line","source_id","reason"'


def test_wrong_columns_are_refused_before_anything_is_written(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    with pytest.raises(Invalid, match="needs column"):
        importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    assert counts(engine) == (0, 0)


def test_a_file_cut_off_mid_row_rejects_only_the_cut_row(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    text = sample_text()
    cut = text[: text.index("S-007") + 40]  # inside the EU row
    path = tmp_path / "cut.csv"
    path.write_text(cut, encoding="utf-8")
    outcome = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    assert outcome.rejects[-1].line == 9 and "cells" in outcome.rejects[-1].reason
    assert outcome.summary.inserted == 7
    # Cut inside a quoted field: the reader reports it and stops, still writing nothing of it.
    quoted = text[: text.index("unclear, 04") + 5]
    path.write_text(quoted, encoding="utf-8")
    outcome = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel")
    assert "malformed CSV" in outcome.rejects[-1].reason or "cells" in outcome.rejects[-1].reason
    assert outcome.broken is not None  # the command then fails: it read only part
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_windows_1252_resave_imports_every_row_with_its_letters(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    """A spreadsheet on Windows re-saves the sheet in Windows-1252: it was cut at the first
    curly apostrophe (16 of 1,190 rows read) and the command still succeeded."""
    lines = [PLAIN_HEADER.strip()]
    for i in range(300):
        item = "Grant for the mayor’s office – “winter” repairs" if i % 7 == 3 else f"Grant {i}"
        lines.append(f"w{i},GBR,2025-03-02,financial,{item},,,{i + 1}000,EUR,announced,PUBLIC,")
    path = tmp_path / "resaved.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    outcome = importer.import_file(engine, world.principal("gbr.contributor"), path, "csv")
    assert (outcome.summary.read, outcome.summary.inserted) == (300, 300)
    assert outcome.broken is None and outcome.encoding == "cp1252"
    with transaction(engine) as session:
        items = set(session.scalars(select(Commitment.item)))
    assert "Grant for the mayor’s office – “winter” repairs" in items


def test_a_file_in_no_readable_encoding_is_refused_whole(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(
        PLAIN_HEADER.encode()
        + b"x1,GBR,2025-03-02,financial,"
        + bytes([0x81, 0x98, 0x8D, 0x90, 0x9D, 0x01, 0xFF]) * 100
        + b",,,,,,,\n"
    )
    with pytest.raises(Invalid, match=r"not UTF-8.*line 2"):
        importer.import_file(engine, world.principal("gbr.contributor"), path, "csv")
    assert counts(engine) == (0, 0)


def test_a_reject_names_the_first_line_of_a_record_over_several(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    text = (
        PLAIN_HEADER
        + "m1,GBR,2025-03-02,financial,Grant,,,1000,EUR,announced,PUBLIC,\n"
        + 'm2,GBR,not a date,financial,"A grant\nover\nfour lines",,,1000,EUR,announced,PUBLIC,\n'
        + "m3,GBR,2025-03-02,financial,Grant,,,1000,EUR,announced,PUBLIC,\n"
    )
    path = tmp_path / "multiline.csv"
    path.write_text(text, encoding="utf-8")
    outcome = importer.import_file(engine, world.principal("gbr.contributor"), path, "csv")
    assert [(r.line, r.source_id) for r in outcome.rejects] == [(3, "m2")]
    assert outcome.summary.inserted == 2


def test_a_damaged_workbook_is_a_clear_error(engine, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    whole = write_xlsx(tmp_path / "whole.xlsx", sample_text()).read_bytes()
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Invalid, match="not a readable XLSX"):
        importer.import_file(engine, world.principal("sec.contributor"), damaged, "kiel")
    assert counts(engine) == (0, 0)


def test_a_100_mb_file_is_refused_before_it_is_read(world: World, engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(PLAIN_HEADER.encode())
        out.truncate(100 * 1024 * 1024)  # sparse: instant, yet 100 MB to the importer
    with pytest.raises(Invalid, match="over the import limit"):
        importer.import_file(engine, world.principal("sec.contributor"), path, "csv")
    assert counts(engine) == (0, 0)


def test_batches_are_atomic_and_rows_beyond_a_bad_one_still_load(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    lines = [PLAIN_HEADER.strip()]
    for i in range(25):
        date = "not a date" if i == 12 else "2025-03-02"
        lines.append(f"b{i},GBR,{date},financial,Grant {i},,,{i + 1}000,EUR,announced,PUBLIC,")
    path = tmp_path / "batches.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = importer.import_file(
        engine, world.principal("gbr.contributor"), path, "csv", batch_size=10
    )
    assert (outcome.summary.inserted, outcome.summary.rejected) == (24, 1)
    assert outcome.rejects[0].line == 14
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_title_row_above_the_header_is_skipped(engine, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Ukraine Support Tracker - main data,,,\n\n" + sample_text()
    path = write_xlsx(tmp_path / "titled.xlsx", text)
    s = importer.import_file(engine, world.principal("sec.contributor"), path, "kiel").summary
    assert (s.inserted, s.rejected) == (8, 2)
