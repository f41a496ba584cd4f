"""A proposal's statuses. Pure: the ORM model, the schemas and the display read them here."""

from __future__ import annotations

import enum


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"

    @property
    def closed(self) -> bool:
        return self not in (ProposalStatus.DRAFT, ProposalStatus.OPEN)
