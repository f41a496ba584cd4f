"""Import runs and the rows each one refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Audited, MarkedRecord
from coalition.imports.enums import RunState


class ImportRun(MarkedRecord, Base):
    """One import of one file: who, what file, how, when, and what came of it.

    ``key`` is the run's public name, the token the importer stamps on what it writes
    (a report's ``import_batch`` is ``key:n``). The run is marked like the records it
    imports, so its counts are seen by those who may see them.
    """

    __tablename__ = "import_runs"
    # On PostgreSQL the job queue's tables sit beside it (migration 0018_import_queue).
    __table_args__ = (
        {
            "info": {
                "postgresql": {
                    "companions": (
                        "procrastinate_events",
                        "procrastinate_periodic_defers",
                        "procrastinate_jobs",
                        "procrastinate_workers",
                    )
                }
            }
        },
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    capability: Mapped[str] = mapped_column(String(20), index=True)
    layout: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(300))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_by: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(12), default=RunState.QUEUED.value, index=True)
    read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    # Rejects past the stored limit: counted in ``rejected``, not kept line by line.
    rejects_dropped: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # A run from the browser or the API: the stored upload it reads (see imports/upload.py).
    upload_token: Mapped[str | None] = mapped_column(String(32), nullable=True)

    rejects: Mapped[list[ImportReject]] = relationship(
        back_populates="run", order_by="ImportReject.id", cascade="all, delete-orphan"
    )


class ImportReject(Audited, Base):
    """One row a run refused: where it was in the file, and why."""

    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(Text)

    run: Mapped[ImportRun] = relationship(back_populates="rejects")


class ImportProgress(Base):
    """How far a background run has got, and whether its starter asked it to stop.

    Written every second or so while the run works, so not audited row by row: it is
    the worker's heartbeat, not a record. What a run did is in :class:`ImportRun`, audited
    at each change of state. Read only through a run the reader may see.
    """

    __tablename__ = "import_progress"

    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), primary_key=True)
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)  # read so far
    position: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes of the file read
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
