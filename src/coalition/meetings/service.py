"""Operations on the meeting record. Each takes a session and the acting principal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import Forbidden
from coalition.core.marking import check_marking
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
from coalition.core.wire import marking_out
from coalition.meetings.model import (
    Attendance,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingLevel,
    Outcome,
)
from coalition.meetings.schemas import MeetingCreate, MeetingPublic, MeetingSummary, MeetingUpdate
from coalition.members.service import require_member, visible_codes


def to_summary(meeting: Meeting) -> MeetingSummary:
    return MeetingSummary(
        id=meeting.id,
        title=meeting.title,
        kind=MeetingKind(meeting.kind),
        held_on=meeting.held_on,
        place=meeting.place,
        format=MeetingFormat(meeting.format),
        level=MeetingLevel(meeting.level),
        illustrative=meeting.illustrative,
        marking=marking_out(meeting),
    )


def to_public(session: Session, principal: Principal, meeting: Meeting) -> MeetingPublic:
    # Attendance of a member the reader may not see is itself hidden: a public meeting
    # must not reveal a participant whose membership is not public.
    seen = visible_codes(session, principal)
    return MeetingPublic(
        **to_summary(meeting).model_dump(),
        summary=meeting.summary,
        attendees=sorted(a.member_code for a in meeting.attendance if a.member_code in seen),
        outcomes=[o.text for o in meeting.outcomes],
        source_title=meeting.source_title,
        source_ref=meeting.source_ref,
        version=meeting.version,
    )


def list_meetings(
    session: Session,
    principal: Principal,
    *,
    kind: MeetingKind | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[MeetingSummary]:
    query = visible_select(principal, Meeting)
    if kind is not None:
        query = query.where(Meeting.kind == kind.value)
    if since is not None:
        query = query.where(Meeting.held_on >= since)
    if until is not None:
        query = query.where(Meeting.held_on <= until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Meeting.held_on.desc(), Meeting.id).limit(limit).offset(offset)
    )
    return Page(items=[to_summary(m) for m in rows], total=total, limit=limit, offset=offset)


def get_meeting(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    return get_visible(session, principal, Meeting, meeting_id)


def _require_recorder(principal: Principal) -> None:
    if not (principal.member == SECRETARIAT and principal.has_role(Role.CONTRIBUTOR)):
        raise Forbidden("the secretariat keeps the meeting record")


def _attendance(session: Session, codes: list[str]) -> list[Attendance]:
    for code in codes:
        require_member(session, code)
    return [Attendance(member_code=code) for code in codes]


def create_meeting(session: Session, principal: Principal, data: MeetingCreate) -> Meeting:
    _require_recorder(principal)
    rel_to = check_marking(data.marking, SECRETARIAT, data.rel_to)
    for code in data.rel_to:
        require_member(session, code)
    meeting = Meeting(
        title=data.title,
        kind=data.kind.value,
        held_on=data.held_on,
        place=data.place,
        format=data.format.value,
        level=data.level.value,
        summary=data.summary,
        source_title=data.source_title,
        source_ref=data.source_ref,
        illustrative=data.illustrative,
        owner_code=SECRETARIAT,
        marking=data.marking.value,
        rel_to=rel_to,
        attendance=_attendance(session, data.attendees),
        outcomes=[Outcome(position=i, text=t) for i, t in enumerate(data.outcomes, 1)],
    )
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(
    session: Session, principal: Principal, meeting_id: int, data: MeetingUpdate
) -> Meeting:
    meeting = get_meeting(session, principal, meeting_id)
    _require_recorder(principal)
    check_version(meeting, data.version)
    patch = data.model_dump(exclude={"version", "attendees", "outcomes"})
    for key in ("format", "level"):
        if patch[key] is not None:
            patch[key] = patch[key].value
    apply_patch(meeting, patch)
    if data.attendees is not None:
        # Keep rows for members still present, so the unique (meeting, member) pair is
        # never inserted before its old row is deleted.
        wanted = set(data.attendees)
        kept = [a for a in meeting.attendance if a.member_code in wanted]
        have = {a.member_code for a in kept}
        meeting.attendance = kept + _attendance(
            session, [c for c in data.attendees if c not in have]
        )
    if data.outcomes is not None:
        meeting.outcomes = [
            Outcome(position=i, text=t.strip()) for i, t in enumerate(data.outcomes, 1) if t.strip()
        ]
    # Child rows changed without touching the meeting's own columns still make a new
    # version, so a concurrent editor of the attendance list gets a conflict too.
    meeting.updated_at = dt.datetime.now(dt.UTC)
    session.flush()
    return meeting


def meetings_attended(
    session: Session, principal: Principal, member_code: str
) -> list[MeetingSummary]:
    """The meetings ``principal`` may see that ``member_code`` attended, newest first."""
    query = (
        visible_select(principal, Meeting)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Attendance.member_code == member_code)
        .order_by(Meeting.held_on.desc())
    )
    return [to_summary(m) for m in session.scalars(query)]
