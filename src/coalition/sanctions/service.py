"""Sanctions operations: the lists, the entities listed on a day, one entity's history.

Every query starts from ``visible_select``: a list, a snapshot or an entity the reader may
not see is neither listed nor counted, and answers as a missing one does.
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from coalition.core.errors import NotFound
from coalition.core.listing import Listing, ListQuery
from coalition.core.principal import Principal
from coalition.core.schemas import Page
from coalition.core.visibility import note_aggregated, visible, visible_select
from coalition.sanctions import alignment
from coalition.sanctions.designations import TARGET_SCHEMAS
from coalition.sanctions.model import Application, Entity, ListSnapshot, SanctionsList
from coalition.sanctions.schemas import EntityPublic, EntitySummary, ListPublic, Period


def listed_on(day: dt.date) -> ColumnElement[bool]:
    """Entities listed on ``day``: first seen by then, and not delisted on or before it."""
    return and_(
        Entity.first_seen <= day, or_(Entity.listed_until.is_(None), Entity.listed_until > day)
    )


def listed_now() -> ColumnElement[bool]:
    return Entity.listed_until.is_(None)


ENTITIES = Listing(
    model=Entity,
    sorts={
        "caption": Entity.caption,
        "schema": Entity.schema,
        "list": Entity.list_code,
        "first_seen": Entity.first_seen,
        "entity_id": Entity.entity_id,
    },
    default=[Entity.caption.asc()],
    searched=(Entity.caption, Entity.entity_id),
    filters={
        "list": lambda code: Entity.list_code == code,
        "schema_name": lambda name: Entity.schema == name,
        "as_of": listed_on,
    },
)


def to_summary(row: Entity) -> EntitySummary:
    return EntitySummary.of(
        row,
        id=row.id,
        list_code=row.list_code,
        entity_id=row.entity_id,
        schema_name=row.schema,
        caption=row.caption,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        listed_until=row.listed_until,
    )


def list_lists(session: Session, principal: Principal) -> list[ListPublic]:
    """The lists the reader may see, each with what it lists now and its latest snapshot."""
    lists = session.scalars(visible_select(principal, SanctionsList).order_by(SanctionsList.code))
    listed = dict(
        session.execute(
            select(Entity.list_code, func.count())
            .where(
                visible(principal, Entity),
                listed_now(),
                Entity.schema.in_(sorted(TARGET_SCHEMAS)),  # not its Sanction entities
            )
            .group_by(Entity.list_code)
        ).all()
    )
    snapshots = {
        code: (count, latest)
        for code, count, latest in session.execute(
            select(ListSnapshot.list_code, func.count(), func.max(ListSnapshot.taken_on))
            .where(visible(principal, ListSnapshot), ListSnapshot.complete.is_(True))
            .group_by(ListSnapshot.list_code)
        )
    }
    return [
        ListPublic.of(
            row,
            code=row.code,
            name=row.name,
            authority=row.authority,
            url=row.url,
            listed=listed.get(row.code, 0),
            snapshots=snapshots.get(row.code, (0, None))[0],
            latest_snapshot=snapshots.get(row.code, (0, None))[1],
        )
        for row in lists
    ]


def list_entities(
    session: Session,
    principal: Principal,
    *,
    list: str | None = None,
    schema_name: str | None = None,
    as_of: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[EntitySummary]:
    """The entities the reader may see listed on ``as_of`` (default: listed now)."""
    query = visible_select(principal, Entity)
    if as_of is None:
        query = query.where(listed_now())
    rows = ENTITIES.fetch(
        session,
        query,
        ListQuery(limit, offset, sort, q),
        list=list,
        schema_name=schema_name,
        as_of=as_of,
    )
    return rows.page(to_summary)


def get_entity(
    session: Session, principal: Principal, list_code: str, entity_id: str
) -> EntityPublic:
    """One entity of one list: its latest listing period, with every period it had."""
    rows = list(
        session.scalars(
            visible_select(principal, Entity)
            .where(Entity.list_code == list_code, Entity.entity_id == entity_id)
            .order_by(Entity.first_seen)
        )
    )
    if not rows:
        raise NotFound(f"no entity {entity_id} on list {list_code}")
    latest = rows[-1]
    summary = to_summary(latest)
    return EntityPublic(
        **summary.model_dump(),
        properties=latest.properties,
        periods=[
            Period(
                first_seen=r.first_seen,
                last_seen=r.last_seen,
                listed_until=r.listed_until,
                changes=r.changes,
            )
            for r in rows
        ],
    )


def gaps_against_coalition(
    session: Session, principal: Principal, *, as_of: dt.date, limit: int = 10
) -> dict[str, list[alignment.Gap]]:
    """For each member the reader may see applying a list on ``as_of``, the gap of the
    coalition against it: the targets other members' lists designate that its own do not.

    Each member's list holds first the whole gap (its ``limit`` highest-ranked rows and its
    total), then one gap per theme the coalition designates under (totals, no rows). What a
    briefing's "gaps to close" rests on, the applications behind it noted with the rest.
    """
    found = alignment.matrix(session, principal, as_of=as_of)
    themes = [
        theme
        for party, counts, _ in found.rows
        if party == alignment.COALITION
        for theme in found.themes
        if counts.get(theme)
    ]
    note_aggregated(
        session, visible_select(principal, Application).where(alignment.applied_on(as_of))
    )
    gaps: dict[str, list[alignment.Gap]] = {}
    for member, _, _ in found.rows:
        if member == alignment.COALITION:
            continue
        against = functools.partial(
            alignment.gap, session, principal, alignment.COALITION, member, as_of=as_of
        )
        try:
            gaps[member] = [against(limit=limit), *(against(theme=t, limit=0) for t in themes)]
        except NotFound:  # a member the reader may not see, though a list it applies is seen
            continue
    return gaps
