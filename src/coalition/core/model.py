"""Column mixins shared by every capability's tables, and the marked-record bases.

A table of marked records derives from one base, which bundles the mixins it carries:

- :class:`MarkedRecord`: owner and marking, audited (a plan computed from other records);
- :class:`SourcedRecord`: that, and its provenance (a report, a commitment revision);
- :class:`EditedRecord`: that, edited in place under a version counter, with timestamps.

A derived table (recomputed from marked records, checked by ``coalition audit verify``)
carries :class:`Marked` alone. The mixins:

- :class:`Marked`: owner member and marking; every query of such a table goes through
  :func:`coalition.core.visibility.visible`, and every write of a marking through
  :meth:`Marked.mark` (or :func:`checked_release` for a record written as a new revision).
- :class:`Provenance`: where a fact comes from, or that it is illustrative.
- :class:`Versioned`: a version counter; a stale write is a conflict.
- :class:`Audited`: every insert, update and delete is written to the audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, String, column, select, table
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from coalition.core.db import UTCDateTime, utcnow
from coalition.core.errors import Forbidden, Invalid
from coalition.core.marking import Marking, can_see, check_marking, decode_release, describe
from coalition.core.principal import Principal

# The member register as the core sees it: a table of codes (the members capability owns it).
_REGISTER = table("members", column("code", String))


class Audited:
    """Marks a table whose every mutation is written to the audit chain."""

    __audited__: ClassVar[bool] = True


class Marked:
    """Owner and marking columns; see :mod:`coalition.core.marking` for the rules."""

    __marked__: ClassVar[bool] = True

    @declared_attr
    def owner_code(cls) -> Mapped[str]:
        return mapped_column(String(4), ForeignKey("members.code"), index=True)

    marking: Mapped[Marking] = mapped_column(String(12), default=Marking.COALITION, index=True)
    rel_to: Mapped[str] = mapped_column(String(400), default="")

    def visible_to(self, principal: Principal) -> bool:
        return can_see(principal, self.owner_code, Marking(self.marking), self.rel_to)

    @property
    def marking_label(self) -> str:
        return describe(Marking(self.marking), self.owner_code, self.rel_to)

    def mark(
        self,
        session: Session,
        principal: Principal,
        marking: Marking,
        rel_to: Iterable[str],
        *,
        owner: str | None = None,
    ) -> None:
        """Check a marking as entered and set it, with its owner, on this record.

        The owner is ``owner``, else the record's own, else the principal's member; the
        rules are :func:`checked_release`'s.
        """
        owner = owner or self.owner_code or principal.member
        if owner is None:
            raise Forbidden("a record is marked by a user of a member")
        stored = checked_release(session, principal, owner, marking, rel_to)
        self.owner_code = owner
        self.marking = marking
        self.rel_to = stored


def checked_release(
    session: Session, principal: Principal, owner: str, marking: Marking, rel_to: Iterable[str]
) -> str:
    """The stored release list of a marking as entered, once every rule holds.

    A user marks records of their own member only, the secretariat's of any; REL TO names
    at least one member besides the owner and the other markings none
    (:func:`~coalition.core.marking.check_marking`); every member named is in the register.
    """
    if owner != principal.member and not principal.is_secretariat:
        raise Forbidden(f"only the secretariat writes records for another member ({owner})")
    stored = check_marking(marking, owner, rel_to)
    require_members(session, decode_release(stored))
    return stored


def require_members(session: Session, codes: Iterable[str]) -> None:
    """Refuse a code the member register does not hold."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return
    held = set(session.scalars(select(_REGISTER.c.code).where(_REGISTER.c.code.in_(wanted))))
    for code in wanted:
        if code not in held:
            raise Invalid(f"unknown member code: {code}")


class Provenance:
    """Where a record comes from: a public source, or a flag that it is illustrative."""

    source_title: Mapped[str] = mapped_column(String(300), default="")
    source_ref: Mapped[str] = mapped_column(String(500), default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class Versioned:
    """A version counter SQLAlchemy checks on every UPDATE (optimistic locking)."""

    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MarkedRecord(Audited, Marked):
    """A record written under a marking: owner and marking columns, every change audited."""


class SourcedRecord(MarkedRecord, Provenance):
    """A marked record that says where it comes from (or that it is illustrative)."""


class EditedRecord(SourcedRecord, Versioned, Timestamped):
    """A sourced marked record edited in place: a stale edit is a conflict."""
