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
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from coalition.commitments.model import Commitment, Delivery
from coalition.commitments.service import record_id_for
from coalition.core.db import utcnow
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


def _commitment(
    session: Session, owner: str, marking: Marking, rel_to: list[str], canary: str
) -> str:
    # A pledge with a value and a delivery, so totals, charts and exports all see it.
    record_id = record_id_for("manual", None)
    session.add(
        Commitment(
            record_id=record_id,
            revision=1,
            recorded_at=utcnow(),
            announced_on=dt.date(2025, 3, 2),
            category="military",
            item=canary,
            quantity=Decimal("10"),
            unit="vehicles",
            value=Decimal("1000000.00"),
            currency="EUR",
            value_eur=Decimal("1000000.00"),
            rate=Decimal("1"),
            rate_date=dt.date(2025, 3, 2),
            owner_code=owner,
            marking=marking.value,
            rel_to=encode_release(rel_to),
        )
    )
    session.add(
        Delivery(
            record_id=record_id,
            delivered_on=dt.date(2025, 4, 1),
            quantity=Decimal("4"),
            value=Decimal("400000.00"),
            currency="EUR",
            value_eur=Decimal("400000.00"),
            rate=Decimal("1"),
            rate_date=dt.date(2025, 4, 1),
            note=canary,
        )
    )
    session.flush()
    return record_id


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
    MarkedFactory(
        Commitment,
        "commitment_id",
        _commitment,
        lambda k: f"/api/v1/commitments/{k}",
        lambda k: f"/commitments/{k}",
    ),
]


# Path parameters that name something other than a marked record, with a value every
# signed-in reader may use. Capabilities add theirs as they add routes.
EXTRA_PATH_VALUES: dict[str, Any] = {}
