"""How the marking matrix makes one record of each marked table.

Every marked table registers a factory here; ``test_marking_matrix`` fails for a marked
table without one, and for a GET route whose path parameters nobody knows how to fill.
A factory writes one record with the given owner, marking and release list, with
``canary`` in a text field a reader would see, and returns the record's key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.ceasefire import ingest
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import (
    Ceasefire,
    CellRollup,
    Incident,
    IncidentMember,
    Report,
    ReportRollup,
)
from coalition.core.marking import Marking, encode_release
from coalition.meetings.model import Attendance, Meeting
from coalition.members.model import Member


@dataclass(frozen=True)
class MarkedFactory:
    model: type[Any]
    param: str  # the path parameter naming one record in routes, e.g. "meeting_id"
    create: Callable[[Session, str, Marking, list[str], str], Any]
    api_detail: Callable[[Any], str] | None
    page_detail: Callable[[Any], str] | None


_codes = count()


def _member(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> str:
    n = next(_codes)
    code = "Q" + chr(ord("A") + n // 26 % 26) + chr(ord("A") + n % 26)
    session.add(
        Member(
            code=code,
            name=canary,
            kind="organisation",
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.flush()
    return code


def _meeting(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    meeting = Meeting(
        title=canary,
        kind="summit",
        held_on=dt.date(2025, 3, 2),
        format="virtual",
        level="leaders",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
        attendance=[Attendance(member_code="GBR")],
    )
    session.add(meeting)
    session.flush()
    return meeting.id


def _ceasefire(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    ceasefire = Ceasefire(
        name=canary,
        parties="Party A; Party B",
        scope="all_fronts",
        starts_on=dt.date(2025, 3, 25),
        duration_days=30,
        status="in_force",
        owner_code=owner,
        marking=marking.value,
        rel_to=encode_release(rel_to),
    )
    session.add(ceasefire)
    session.flush()
    return ceasefire.id


_reports = count()


def _report(session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str) -> int:
    """One report through the import path, so incidents and rollups include it too."""
    n = next(_reports)
    raw = {
        "source_kind": "monitor_patrol",
        "source_name": "matrix",
        "source_id": f"{canary}-{n}",
        "reliability": "B",
        "credibility": "2",
        "occurred_at": f"2025-03-{26 + n % 4}T10:00:00Z",
        "latitude": f"{46 + (n % 40) * 0.2:.2f}",
        "longitude": "36.5",
        "region": "Donetsk",
        "type": "shelling",
        "attribution": "Party A",
        "casualties": "1",
        "text": canary,
    }
    fields = read_report(raw, dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    stamp = ingest.Stamp(owner, marking.value, encode_release(rel_to))
    ingest.store_batch(session, stamp, [(1, fields)], f"matrix:{n}", "matrix")
    return int(session.scalar(select(Report.id).where(Report.source_id == f"{canary}-{n}")))


def _incident(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> int:
    report_id = _report(session, owner, marking, rel_to, canary)
    return int(
        session.scalar(
            select(IncidentMember.incident_id).where(IncidentMember.report_id == report_id)
        )
    )


def _rollup_of(model: Any) -> Callable[[Session, str, Marking, list[str], str], int]:
    def create(
        session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
    ) -> int:
        _report(session, owner, marking, rel_to, canary)
        return int(
            session.scalar(
                select(model.id)
                .where(model.owner_code == owner, model.marking == marking.value)
                .order_by(model.id.desc())
            )
        )

    return create


FACTORIES: list[MarkedFactory] = [
    MarkedFactory(
        Member, "code", _member, lambda k: f"/api/v1/members/{k}", lambda k: f"/members/{k}"
    ),
    MarkedFactory(
        Meeting,
        "meeting_id",
        _meeting,
        lambda k: f"/api/v1/meetings/{k}",
        lambda k: f"/meetings/{k}",
    ),
    MarkedFactory(Ceasefire, "ceasefire_id", _ceasefire, lambda k: f"/api/v1/ceasefires/{k}", None),
    MarkedFactory(
        Report,
        "report_id",
        _report,
        lambda k: f"/api/v1/reports/{k}",
        None,
    ),
    MarkedFactory(
        Incident,
        "incident_id",
        _incident,
        lambda k: f"/api/v1/incidents/{k}",
        lambda k: f"/ceasefire/incidents/{k}",
    ),
    MarkedFactory(ReportRollup, "rollup_id", _rollup_of(ReportRollup), None, None),
    MarkedFactory(CellRollup, "cell_rollup_id", _rollup_of(CellRollup), None, None),
]


# Path parameters that name something other than a marked record, with a value every
# signed-in reader may use. Capabilities add theirs as they add routes.
EXTRA_PATH_VALUES: dict[str, Any] = {}
