"""Operations on the meeting record. Each takes a session and the acting principal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import Forbidden
from coalition.core.listing import Listing, ListQuery
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
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
    return MeetingSummary.of(
        meeting,
        id=meeting.id,
        title=meeting.title,
        kind=MeetingKind(meeting.kind),
        held_on=meeting.held_on,
        place=meeting.place,
        format=MeetingFormat(meeting.format),
        level=MeetingLevel(meeting.level),
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


def attended_by(member_code: str) -> ColumnElement[bool]:
    """Meetings ``member_code`` attended."""
    return Meeting.id.in_(
        select(Attendance.meeting_id).where(Attendance.member_code == member_code)
    )


MEETINGS = Listing(
    model=Meeting,
    sorts={
        "held_on": Meeting.held_on,
        "title": Meeting.title,
        "kind": Meeting.kind,
        "level": Meeting.level,
        "format": Meeting.format,
        "place": Meeting.place,
    },
    default=[Meeting.held_on.desc()],
    searched=(Meeting.title, Meeting.place, Meeting.summary),
    filters={
        "kind": lambda kind: Meeting.kind == kind.value,
        "level": lambda level: Meeting.level == level.value,
        "meeting_format": lambda fmt: Meeting.format == fmt.value,
        "attendee": attended_by,
        "since": lambda day: Meeting.held_on >= day,
        "until": lambda day: Meeting.held_on <= day,
    },
)


def list_meetings(
    session: Session,
    principal: Principal,
    *,
    kind: MeetingKind | None = None,
    level: MeetingLevel | None = None,
    meeting_format: MeetingFormat | None = None,
    attendee: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[MeetingSummary]:
    """The meetings the reader may see, narrowed by every filter given."""
    query = visible_select(principal, Meeting)
    if attendee is not None and attendee not in visible_codes(session, principal):
        # A member the reader may not see attended nothing the reader is told of: the
        # answer is the one an unknown code gets, so it reveals neither member nor meeting.
        query = query.where(false())
    rows = MEETINGS.fetch(
        session,
        query,
        ListQuery(limit, offset, sort, q),
        kind=kind,
        level=level,
        meeting_format=meeting_format,
        attendee=attendee,
        since=since,
        until=until,
    )
    return rows.page(to_summary)


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
        attendance=_attendance(session, data.attendees),
        outcomes=[Outcome(position=i, text=t) for i, t in enumerate(data.outcomes, 1)],
    )
    meeting.mark(session, principal, data.marking, data.rel_to, owner=SECRETARIAT)
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
