"""The briefings table: editions of the daily report and the summit pack.

An :class:`Edition` is one briefing as built for one reader (``reader``: the username it
was built for, or ``public`` for the public edition), with the analyst's written
judgements. It moves draft → review → issued; an issued edition is frozen: the document
as it was issued (``document``, the JSON of :func:`coalition.briefings.document.to_json`)
and the digest of the inputs it was built from are kept, so the edition can be reproduced
and compared with the next one. Its marking is the overall marking of the document it
holds, so an edition reaches exactly the readers who may read all it says.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.db import Base, UTCDateTime
from coalition.core.model import EditedRecord

PUBLIC_READER = "public"


class Edition(Base, EditedRecord):
    """One edition of a briefing, for one reader."""

    __tablename__ = "briefings_editions"
    __table_args__ = (Index("ix_briefings_editions_subject", "kind", "day", "meeting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # daily, summit
    day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # a daily report's day
    meeting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a summit's
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    reader: Mapped[str] = mapped_column(String(80))  # a username, or "public"
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    judgements: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    document: Mapped[str] = mapped_column(Text)  # JSON of the document as last built
    inputs_digest: Mapped[str] = mapped_column(String(64))
    drafted_by: Mapped[str] = mapped_column(String(80))
    reviewed_by: Mapped[str] = mapped_column(String(80), default="")
    issued_by: Mapped[str] = mapped_column(String(80), default="")
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
