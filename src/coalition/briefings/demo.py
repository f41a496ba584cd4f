"""The briefings part of the illustrative scenario: public editions, drafted and issued.

The secretariat's staff issue the public edition of the daily report for the eighth day of
the illustrative ceasefire and the public summit pack for the last summit of the
scenario, each with one illustrative judgement; every account builds its own editions from
the pages or the command line.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.briefings import service
from coalition.briefings.model import PUBLIC_READER, Edition
from coalition.briefings.written import Written
from coalition.meetings import service as meetings
from coalition.meetings.model import MeetingKind
from coalition.members.acting import acting_user

DAY = dt.date(2025, 4, 1)
STAFF = "sec.staff"
JUDGEMENTS = {
    "daily": Written(
        "It is likely that violations stay below the level of the week before the ceasefire.",
        "moderate",
    ),
    "summit": Written(
        "It is highly likely that the force can be generated without the backstop's enablers "
        "only if the pledged air defence is delivered.",
        "low",
    ),
}


def _held(session: Session, kind: str, day: dt.date | None, meeting_id: int | None) -> bool:
    query = select(Edition.id).where(
        Edition.kind == kind,
        Edition.reader == PUBLIC_READER,
        Edition.day == day if day is not None else Edition.meeting_id == meeting_id,
    )
    return session.scalars(query).first() is not None


def _issue(session: Session, kind: str, about: dt.date | int) -> None:
    staff = acting_user(session, STAFF)
    edition = service.draft(session, staff, kind, about, public=True, judgements=[JUDGEMENTS[kind]])
    edition.illustrative = True
    session.flush()
    service.submit(session, staff, edition.id, edition.version)
    service.issue(session, staff, edition.id, edition.version)


def load(session: Session) -> None:
    """Issue the public daily report and summit pack, unless they are already held."""
    if not _held(session, "daily", DAY, None):
        _issue(session, "daily", DAY)
    summits = meetings.list_meetings(session, acting_user(session, STAFF), kind=MeetingKind.SUMMIT)
    if summits.items:
        last = max(summits.items, key=lambda m: (m.held_on, m.id))
        if not _held(session, "summit", None, last.id):
            _issue(session, "summit", last.id)
