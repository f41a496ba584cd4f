"""Who is acting: roles and the principal every service call takes. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    VIEWER = "viewer"
    CONTRIBUTOR = "contributor"
    PLANNER = "planner"
    MONITOR = "monitor"
    ADMIN = "admin"


# The roles that may enter records on behalf of their own member. An admin may do
# whatever any other role may.
WRITING_ROLES = frozenset({Role.CONTRIBUTOR, Role.PLANNER, Role.MONITOR, Role.ADMIN})

SECRETARIAT = "SEC"


@dataclass(frozen=True)
class Principal:
    """The reader or writer of a request: a signed-in user or the anonymous public."""

    username: str | None = None
    member: str | None = None
    role: Role | None = None
    user_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.username is None

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        return "anonymous" if self.username is None else f"{self.username}@{self.member}"

    def has_role(self, *roles: Role) -> bool:
        """True when the principal holds one of ``roles``; admin holds them all."""
        if self.role is None:
            return False
        return self.role is Role.ADMIN or self.role in roles

    @property
    def is_secretariat(self) -> bool:
        return self.member == SECRETARIAT

    def may_write_for(self, member: str) -> bool:
        """A user enters records for their own member only, and only with a writing role."""
        return self.role in WRITING_ROLES and self.member == member


ANONYMOUS = Principal()
SYSTEM = Principal(username="system", member=SECRETARIAT, role=Role.ADMIN)
