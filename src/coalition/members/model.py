"""Members of the coalition and the accounts of their people."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Audited, EditedRecord, Versioned
from coalition.core.principal import Role


class MemberKind(enum.StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"
    SECRETARIAT = "secretariat"


class MemberStanding(enum.StrEnum):
    """A register entry's place in the coalition."""

    MEMBER = "member"  # takes part: votes, holds accounts, counts in the coalition's figures
    PARTNER = "partner"  # gives support without membership: no vote, no account unless invited


class Member(EditedRecord, Base):
    """A participating state (ISO 3166 alpha-3) or organisation, the secretariat, or a
    partner: a state or institution that supports Ukraine outside the coalition."""

    __tablename__ = "members"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[MemberKind] = mapped_column(String(20))
    standing: Mapped[MemberStanding] = mapped_column(
        String(10), default=MemberStanding.MEMBER.value, server_default="member"
    )
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    population: Mapped[int | None] = mapped_column(BigInteger)
    population_year: Mapped[int | None] = mapped_column(Integer)
    gdp_usd: Mapped[int | None] = mapped_column(BigInteger)
    gdp_year: Mapped[int | None] = mapped_column(Integer)

    def is_active_on(self, day: dt.date) -> bool:
        """A member of the coalition on ``day``: joined by then and not yet left. A partner
        never is."""
        if self.standing == MemberStanding.PARTNER.value:
            return False
        joined = self.joined_on is None or self.joined_on <= day
        return joined and (self.left_on is None or day < self.left_on)


class MemberFigure(Audited, Base):
    """A member's population and GDP (current US$) for one year, and where they come from.

    Kept per year, so a figure of a given year (a 2022 pledge's share of 2022's GDP) never
    changes when a later year is added. Read through a member the reader may see.
    """

    __tablename__ = "member_figures"
    __table_args__ = (UniqueConstraint("member_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_code: Mapped[str] = mapped_column(String(4), ForeignKey("members.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(BigInteger)
    gdp_usd: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(500), default="")


class User(Audited, Versioned, Base):
    """An account: one person, belonging to one member, holding one role."""

    __tablename__ = "users"
    __audit_redact__ = ("password_hash",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    member_code: Mapped[str] = mapped_column(String(4), ForeignKey("members.code"), index=True)
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship(lazy="joined")


class ApiToken(Audited, Base):
    """A bearer token for the API; stored as its digest only, revoked by writing ``revoked_at``.

    A revoked token stays revoked: reactivating its account does not bring it back.
    """

    __tablename__ = "api_tokens"
    __audit_redact__ = ("digest",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A signed-in browser. Operational state, not a coalition record: not audited."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """One sign-in attempt, kept for throttling. Operational state: not audited."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean, default=False)


class SignInClearance(Audited, Base):
    """An administrator's clearing of an account's sign-in throttling, from one address or all.

    Failures before it no longer slow the account down, and the account counts as known
    at that address (or everywhere) for the wider slow-downs. Audited: who cleared what
    is on the record; the failures themselves are kept as they were.
    """

    __tablename__ = "sign_in_clearances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
