"""The open-data feed: what the reader may see, as CSV, JSON or XLSX.

Exports select through the same visibility filter as every list, so an anonymous export
holds PUBLIC records only. Rows are streamed in pages; the XLSX writer runs in write-only
mode, so memory stays flat however large the ledger grows. Every text cell of the CSV and
XLSX files is neutralised against formula injection (``coalition.core.cells``); numeric
columns are written as numbers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from sqlalchemy.orm import Session

from coalition.commitments.model import Commitment
from coalition.commitments.schemas import CommitmentPublic
from coalition.commitments.service import Filters, publish, visible_commitments
from coalition.core.cells import csv_dict_writer, marking_line, neutralise, sheet_text
from coalition.core.marking import Overall
from coalition.core.principal import Principal
from coalition.core.visibility import markings_of

ExportFormat = Literal["csv", "json", "xlsx"]
PAGE = 1_000

FIELDS = [
    "id",
    "revision",
    "member",
    "announced_on",
    "date_precision",
    "date_text",
    "category",
    "item",
    "explanation",
    "quantity",
    "unit",
    "value",
    "currency",
    "value_eur",
    "rate",
    "rate_date",
    "status",
    "delivered_quantity",
    "delivered_value",
    "delivered_value_eur",
    "source",
    "source_id",
    "source_title",
    "source_ref",
    "illustrative",
    "marking",
]

# Columns holding numbers: written as numbers, never neutralised as text.
NUMBERS = frozenset(
    {
        "revision",
        "quantity",
        "value",
        "value_eur",
        "rate",
        "delivered_quantity",
        "delivered_value",
        "delivered_value_eur",
    }
)

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def records(
    session: Session, principal: Principal, filters: Filters = Filters()
) -> Iterator[CommitmentPublic]:
    """Every commitment the reader may see, in a stable order, a page at a time."""
    query = visible_commitments(principal, filters).order_by(Commitment.record_id, Commitment.id)
    offset = 0
    while True:
        rows = list(session.scalars(query.limit(PAGE).offset(offset)))
        if not rows:
            return
        yield from publish(session, principal, rows)
        offset += PAGE


def flat(record: CommitmentPublic) -> dict[str, str]:
    """A record as text cells; the marking is its label (``PUBLIC``, ``REL TO FRA, GBR``)."""
    data = record.model_dump(mode="json")
    data["marking"] = record.marking.label
    return {f: "" if data.get(f) is None else str(data[f]) for f in FIELDS}


def csv_row(record: CommitmentPublic) -> dict[str, str]:
    """A record as CSV fields: numbers as written, text neutralised."""
    return {f: v if f in NUMBERS else neutralise(v) for f, v in flat(record).items()}


def sheet_row(record: CommitmentPublic) -> list[str | Decimal | None]:
    """A record as XLSX cells: numbers as number cells, text neutralised, blanks empty."""
    cells = flat(record)
    return [
        (Decimal(cells[f]) if cells[f] else None) if f in NUMBERS else sheet_text(cells[f])
        for f in FIELDS
    ]


def marking(session: Session, principal: Principal, filters: Filters = Filters()) -> Overall:
    """The export's overall marking: the highest of the records it holds."""
    return markings_of(session, visible_commitments(principal, filters))


def to_csv(session: Session, principal: Principal, filters: Filters = Filters()) -> bytes:
    out = io.StringIO()
    out.write(marking_line(marking(session, principal, filters).label))
    writer = csv_dict_writer(out, FIELDS)
    writer.writeheader()
    for record in records(session, principal, filters):
        writer.writerow(csv_row(record))
    return out.getvalue().encode("utf-8")


def to_json(session: Session, principal: Principal, filters: Filters = Filters()) -> bytes:
    label = marking(session, principal, filters).label
    items = [r.model_dump(mode="json") for r in records(session, principal, filters)]
    body = {"marking": label, "commitments": items}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(session: Session, principal: Principal, filters: Filters = Filters()) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    label = marking(session, principal, filters).label
    cover = book.create_sheet("Marking")
    cover.append(["Marking", label])
    cover.append(["", "The highest marking of the commitments in this workbook."])
    sheet = book.create_sheet("Commitments")
    sheet.append(FIELDS)
    for record in records(session, principal, filters):
        sheet.append(sheet_row(record))
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The workbook with fixed timestamps, so the same records give the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _strip_times(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
    return out.getvalue()


def _strip_times(core: bytes) -> bytes:
    import re

    return re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>2025-01-01T00:00:00Z\3",
        core,
    )


def export(
    session: Session, principal: Principal, fmt: ExportFormat, filters: Filters = Filters()
) -> bytes:
    """The reader's visible commitments in ``fmt``."""
    writer = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}[fmt]
    return writer(session, principal, filters)
