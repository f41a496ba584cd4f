"""Column mixins shared by every capability's tables.

- :class:`Marked`: owner member and marking; every query of such a table goes through
  :func:`coalition.core.visibility.visible`.
- :class:`Provenance`: where a fact comes from, or that it is illustrative.
- :class:`Versioned`: a version counter; a stale write is a conflict.
- :class:`Audited`: every insert, update and delete is written to the audit chain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from coalition.core.db import UTCDateTime, utcnow
from coalition.core.marking import Marking, can_see, describe
from coalition.core.principal import Principal


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
