"""Briefings on the wire: a built briefing, an edition, and what changes one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from coalition.briefings.document import Change
from coalition.briefings.model import Edition
from coalition.briefings.written import Written, loads
from coalition.core.schemas import MarkedPublic, MarkingOut
from coalition.core.wiretypes import IsoDate, WireIn

Kind = Literal["daily", "summit"]
Confidence = Literal["low", "moderate", "high"]


class JudgementIn(WireIn):
    """One written judgement: a sentence in the yardstick's terms, and its confidence."""

    text: Annotated[str, Field(min_length=1, max_length=600)]
    confidence: Confidence

    def written(self) -> Written:
        return Written(self.text, self.confidence)


class JudgementOut(BaseModel):
    text: str
    confidence: str


class EditionIn(WireIn):
    """A new draft: a daily report's ``day`` or a summit pack's ``meeting_id``."""

    kind: Kind
    day: IsoDate | None = None
    meeting_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    public: bool = False
    judgements: list[JudgementIn] = Field(default_factory=list, max_length=12)


class EditionPatch(WireIn):
    version: int
    judgements: list[JudgementIn] = Field(max_length=12)


class VersionIn(WireIn):
    version: int


class EditionSummary(MarkedPublic):
    id: int
    kind: str
    day: dt.date | None
    meeting_id: int | None
    number: int
    title: str
    reader: str
    status: str
    inputs_digest: str
    drafted_by: str
    issued_by: str
    issued_at: dt.datetime | None
    version: int
    marking: MarkingOut

    @classmethod
    def from_row(cls, row: Edition) -> EditionSummary:
        return cls.of(row, **_fields(row))


class EditionOut(EditionSummary):
    reviewed_by: str
    judgements: list[JudgementOut]
    document: dict[str, Any]

    @classmethod
    def from_row(cls, row: Edition) -> EditionOut:
        return cls.of(
            row,
            **_fields(row),
            reviewed_by=row.reviewed_by,
            judgements=[
                JudgementOut(text=j.text, confidence=j.confidence) for j in loads(row.judgements)
            ],
            document=json.loads(row.document),
        )


def _fields(row: Edition) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "day": row.day,
        "meeting_id": row.meeting_id,
        "number": row.number,
        "title": row.title,
        "reader": row.reader,
        "status": row.status,
        "inputs_digest": row.inputs_digest,
        "drafted_by": row.drafted_by,
        "issued_by": row.issued_by,
        "issued_at": row.issued_at,
        "version": row.version,
    }


class BriefingOut(BaseModel):
    """A briefing built now for the reader: its overall marking, inputs' digest, document."""

    marking: str
    inputs_digest: str
    document: dict[str, Any]


class ChangeOut(BaseModel):
    key: str
    label: str
    status: str
    misquoted: bool
    text: str

    @classmethod
    def of(cls, change: Change) -> ChangeOut:
        return cls(
            key=change.key,
            label=change.label,
            status=change.status,
            misquoted=change.misquoted,
            text=change.text,
        )


class ReproductionOut(BaseModel):
    same_inputs: bool
    same_document: bool
    changes: list[ChangeOut]

    @classmethod
    def of(cls, same_inputs: bool, same_document: bool, changes: list[Change]) -> ReproductionOut:
        return cls(
            same_inputs=same_inputs,
            same_document=same_document,
            changes=[ChangeOut.of(c) for c in changes],
        )


class ComparisonOut(BaseModel):
    previous_id: int | None
    changes: list[ChangeOut]
