"""The one visibility filter: every query of a marked table goes through here.

:func:`visible` is the SQL form of :func:`coalition.core.marking.can_see`; a property test
keeps them in agreement. Aggregates, exports and maps select from ``visible_select`` so
that a count never includes a record its reader may not see.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session

from coalition.core.errors import NotFound
from coalition.core.marking import MEMBER_CODE, Marking, Overall, note_shown, overall
from coalition.core.principal import Principal

T = TypeVar("T")


def visible(principal: Principal, model: Any) -> ColumnElement[bool]:
    """A WHERE clause selecting the rows of ``model`` that ``principal`` may see."""
    if not getattr(model, "__marked__", False):
        raise TypeError(f"{model!r} carries no marking")
    public: ColumnElement[bool] = model.marking == Marking.PUBLIC.value
    member = principal.member
    if principal.is_anonymous or member is None:
        return public
    if not MEMBER_CODE.match(member):  # never let a malformed code into a LIKE pattern
        return public
    clause: ColumnElement[bool] = or_(
        model.marking.in_([Marking.PUBLIC.value, Marking.COALITION.value]),
        model.owner_code == member,
        and_(model.marking == Marking.REL_TO.value, model.rel_to.like(f"%|{member}|%")),
    )
    return clause


def visible_select(principal: Principal, model: type[T]) -> Select[T]:
    """``SELECT model WHERE visible``: the start of every list, count and export."""
    return select(model).where(visible(principal, model))


def markings_of(session: Session, statement: Select[Any]) -> Overall:
    """The overall marking of the records ``statement`` selects, before any is read.

    An export states its marking on its first line, so it must know it before it streams.
    """
    sub = statement.order_by(None).subquery()
    rows = session.execute(select(sub.c.marking, sub.c.owner_code, sub.c.rel_to).distinct())
    return overall((Marking(m), owner, rel_to) for m, owner, rel_to in rows)


def note_aggregated(session: Session, statement: Select[Any]) -> None:
    """Note the markings of the records an aggregate (a count, a total, a chart) rests on.

    ``statement`` selects those records (already through :func:`visible`). A figure shows
    no record, yet it says something of each one it counts: the page carrying it takes
    the highest of their markings.
    """
    sub = statement.order_by(None).subquery()
    rows = session.execute(select(sub.c.marking, sub.c.owner_code, sub.c.rel_to).distinct())
    for marking, owner, rel_to in rows:
        note_shown(Marking(marking), owner, rel_to)


def get_visible(session: Session, principal: Principal, model: type[T], ident: Any) -> T:
    """The record ``ident`` of ``model`` if ``principal`` may see it, else :class:`NotFound`.

    A record that exists but is hidden is reported exactly like one that does not exist.
    """
    pk = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    row = session.scalars(visible_select(principal, model).where(pk == ident)).first()
    if row is None:
        raise NotFound(f"no {model.__tablename__.rstrip('s')} {ident}")  # type: ignore[attr-defined]
    return row


def always(flag: bool) -> ColumnElement[bool]:
    """A constant clause, for filters that do not apply."""
    return true() if flag else false()
