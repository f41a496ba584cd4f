"""Summits and meetings, who attended, and what they produced."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.db import Base
from coalition.core.model import Audited, EditedRecord


class MeetingKind(enum.StrEnum):
    SUMMIT = "summit"
    MINISTERIAL = "ministerial"
    MILITARY_CHIEFS = "military_chiefs"
    ADVISERS = "advisers"


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class MeetingLevel(enum.StrEnum):
    LEADERS = "leaders"
    MINISTERS = "ministers"
    CHIEFS_OF_DEFENCE = "chiefs_of_defence"
    NATIONAL_SECURITY_ADVISERS = "national_security_advisers"
    OFFICIALS = "officials"


class Meeting(EditedRecord, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeetingKind] = mapped_column(String(20))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[MeetingFormat] = mapped_column(String(20))
    level: Mapped[MeetingLevel] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")

    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.member_code"
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Outcome.position"
    )


class Attendance(Audited, Base):
    """A member present at a meeting. Seen by whoever may see the meeting and the member."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    member_code: Mapped[str] = mapped_column(String(4), ForeignKey("members.code"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")


class Outcome(Audited, Base):
    """One outcome of a meeting, as text; later capabilities link records to meetings."""

    __tablename__ = "meeting_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="outcomes")
