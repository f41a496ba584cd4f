"""The words an import run is described in. Pure: no database, no web."""

from __future__ import annotations

import enum


class RunState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def ended(self) -> bool:
        return self in (RunState.DONE, RunState.FAILED, RunState.CANCELLED)


class Imported(enum.StrEnum):
    """What a run imports: the capability its importer belongs to."""

    REPORTS = "reports"
    COMMITMENTS = "commitments"
    SANCTIONS = "sanctions"
    TERRITORY = "territory"


# Rejects kept per run: enough to correct a file, never unbounded. The rest are counted.
MAX_STORED_REJECTS = 10_000
