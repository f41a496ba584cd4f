"""Loading territory snapshots from a GeoJSON file, one snapshot per day and layer.

The driver: the file is read as a stream (:mod:`coalition.situation.layouts`), its
features of one day and layer repaired and united, and each such snapshot written in a
transaction of its own with its audit entry (:func:`coalition.situation.territory.store`).
A re-run finds each snapshot unchanged; a file that breaks off keeps the snapshots before
the break, says where it broke, and never counts as read whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from coalition.core.db import transaction
from coalition.situation import layouts, territory

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from coalition.core.principal import Principal


@dataclass
class Summary:
    """What an import did: snapshots read, and features refused (``rejected``)."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    repairs: list[str] = field(default_factory=list)
    broken: str = ""  # why the file was not read to its end ("" when it was)
    days: list[dt.date] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def import_territory(
    engine: Engine,
    principal: Principal,
    binary: IO[bytes],
    source: str,
    labels: territory.Labels,
    *,
    day: dt.date | None = None,
    name: str = "",
    on_reject: Callable[[int, str], None] = lambda index, reason: None,
    between: Callable[[Summary], None] = lambda summary: None,
) -> Summary:
    """Store every snapshot of ``binary`` as ``source``'s; ``day`` is a one-day file's."""
    territory.require_analyst(principal)
    territory.check_source(source)
    summary = Summary()
    for item in layouts.grouped(layouts.read(binary, day=day, name=name)):
        if isinstance(item, layouts.Refused):
            summary.read += 1
            summary.rejected += 1
            on_reject(item.index, item.reason)
            if item.broken:
                where = "the file" if item.index == 0 else f"feature {item.index}"
                summary.broken = (
                    f"{name or 'the file'} was not read to its end ({where}: {item.reason}); "
                    "the snapshots before it were imported"
                )
                break
            continue
        summary.read += 1
        with transaction(engine, actor=principal.actor) as session:
            stored = territory.store(
                session,
                principal,
                source,
                item.day,
                item.layer.value,
                item.geometry,
                labels,
                repairs=item.notes,
            )
            outcome = stored.outcome
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        summary.repairs.extend(f"{item.day} {item.layer.value}: {note}" for note in item.notes)
        summary.days.append(item.day)
        between(summary)
    return summary
