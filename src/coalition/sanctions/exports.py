"""Writing what the reader may see of the lists: FtM entities or designations as CSV.

``write_ftm`` writes the entities listed on a day (every schema, the ``Sanction``
entities included) as FollowTheMoney JSON lines, one entity per line as FtM's
``to_dict()`` has it (with the publisher's keys FtM readers pass over: ``datasets``,
``first_seen``, ``last_seen``, and each entity's ``marking``), so the file loads back into
this platform or any FtM tool.
``write_csv`` writes the designations listed on a day, one row per program, its first
line the file's marking.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.cells import csv_writer, marking_line, neutralise
from coalition.core.db import utcnow
from coalition.core.principal import Principal
from coalition.core.visibility import markings_of, visible
from coalition.sanctions.model import Designation, Entity

CSV_COLUMNS = [
    "list",
    "ref",
    "target_id",
    "schema",
    "kind",
    "caption",
    "program",
    "theme",
    "authority_id",
    "listing_date",
    "un_listed",
    "first_seen",
    "listed_until",
    "reason",
    "marking",
]


def _listed(model: type[Entity] | type[Designation], day: dt.date | None) -> object:
    if day is None:
        return model.listed_until.is_(None)
    return (model.first_seen <= day) & (model.listed_until.is_(None) | (model.listed_until > day))


def write_ftm(
    session: Session,
    principal: Principal,
    out: IO[str],
    list_code: str | None = None,
    as_of: dt.date | None = None,
) -> int:
    """The entities listed on ``as_of`` (default: now), as FtM JSON lines; how many."""
    query = select(Entity).where(visible(principal, Entity), _listed(Entity, as_of))  # type: ignore[arg-type]
    if list_code is not None:
        query = query.where(Entity.list_code == list_code)
    n = 0
    for row in session.scalars(
        query.order_by(Entity.list_code, Entity.entity_id).execution_options(yield_per=2000)
    ):
        line = {
            "id": row.entity_id,
            "schema": row.schema,
            "properties": row.properties,
            "datasets": [row.list_code],
            "first_seen": row.first_seen.isoformat(),
            "last_seen": row.last_seen.isoformat(),
            "marking": row.marking_label,
        }
        out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def write_csv(
    session: Session,
    principal: Principal,
    out: IO[str],
    list_code: str | None = None,
    as_of: dt.date | None = None,
) -> int:
    """The designations listed on ``as_of`` (default: today), one row per program."""
    day = as_of or utcnow().date()
    query = select(Designation).where(
        visible(principal, Designation),
        _listed(Designation, day),  # type: ignore[arg-type]
    )
    if list_code is not None:
        query = query.where(Designation.list_code == list_code)
    out.write(marking_line(markings_of(session, query).label))
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for d in session.scalars(
        query.order_by(Designation.list_code, Designation.ref).execution_options(yield_per=2000)
    ):
        writer.writerow(
            [
                d.list_code,
                neutralise(d.ref),
                neutralise(d.target_id),
                d.schema,
                d.kind,
                neutralise(d.caption),
                neutralise(d.program),
                d.theme,
                neutralise(d.authority_id),
                d.listing_date or "",
                d.un_listed,
                d.first_seen,
                d.listed_until or "",
                neutralise(d.reason),
                d.marking_label,
            ]
        )
        n += 1
    return n
