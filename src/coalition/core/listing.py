"""The one list layer: paging, sorting and filtering, declared once per list.

A capability declares each of its lists once, as a :class:`Listing`: the sort keys a
reader may choose (a whitelist), the order used when none is chosen, and the filters it
accepts, each a function from a value to a WHERE clause. A list function starts from
``visible_select`` (so the markings hold), and :meth:`Listing.fetch` applies the filters,
the order and the page, and counts the rows of that same query: a total never includes a
record its reader may not see. Every order ends with a unique tie-breaker (the table's
primary key), so pages partition the rows: reading every page gives each row exactly once.

The API and the pages read the same :class:`ListQuery` (``limit``, ``offset``, ``sort``);
``sort`` is a declared key, with a leading ``-`` for descending. NULLs sort last in both
directions, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, UnaryExpression, func, or_, select
from sqlalchemy.orm import Session

from coalition.core.marking import Marking, note_shown, overall, shown
from coalition.core.schemas import Page

T = TypeVar("T")
U = TypeVar("U")

Filter = Callable[[Any], ColumnElement[bool]]
SORT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ListQuery:
    """What a reader asks of a list: a page (``limit`` rows from ``offset``) and an order."""

    limit: int = 100
    offset: int = 0
    sort: str | None = None
    q: str | None = None  # free text, matched literally in the list's searched columns

    def at(self, offset: int) -> ListQuery:
        return ListQuery(self.limit, max(0, offset), self.sort, self.q)


@dataclass(frozen=True)
class Rows(Generic[T]):
    """One page of a list's rows and the number of rows in the whole list."""

    items: list[T]
    total: int
    limit: int
    offset: int

    def page(self, public: Callable[[T], U]) -> Page[U]:
        """The API's page: each row in its public shape."""
        return self.publish(lambda rows: [public(r) for r in rows])

    def publish(self, public: Callable[[list[T]], list[U]]) -> Page[U]:
        """The API's page, the rows turned public all at once (for lookups shared by rows)."""
        items = public(self.items)  # each item's marking is noted as it is made public
        return Page(
            items=items,
            total=self.total,
            limit=self.limit,
            offset=self.offset,
            marking=overall(shown()).label,
        )


@dataclass(frozen=True)
class Listing:
    """A list's declaration: its sort keys, default order, filters and tie-breaker.

    ``sorts`` maps each key a reader may name to a column or expression; ``default`` is the
    order when none is named (each term with its direction). ``tiebreak`` defaults to the
    primary key of ``model`` and ends every order.
    """

    model: Any
    sorts: Mapping[str, Any]
    default: Sequence[Any]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    tiebreak: Any = None
    # The columns a free-text search (``ListQuery.q``) looks in; none: the list has none.
    searched: Sequence[Any] = ()

    def __post_init__(self) -> None:
        for key in self.sorts:
            if not SORT_KEY.match(key):
                raise ValueError(f"sort key {key!r} must be lower-case letters, digits and _")

    @property
    def keys(self) -> list[str]:
        """Every value ``sort`` may take: each key, ascending then descending."""
        return [k for key in self.sorts for k in (key, f"-{key}")]

    @property
    def pattern(self) -> str:
        return "^-?(?:" + "|".join(self.sorts) + ")$"

    def sort_param(self) -> Any:
        """The ``sort`` query parameter of this list, its keys declared in the document."""
        from fastapi import Query  # the web's alone: a command listing rows does without it

        return Query(
            pattern=self.pattern,
            description="Order by " + ", ".join(self.sorts) + "; a leading '-' sorts descending",
        )

    def order(self, sort: str | None) -> list[Any]:
        """ORDER BY terms: the named key (or the default), then the unique tie-breaker."""
        if sort:
            descending = sort.startswith("-")
            key = sort.removeprefix("-")
            if key not in self.sorts:
                raise ValueError(f"unknown sort key {key!r}")
            column = self.sorts[key]
            terms: list[Any] = [direction(column, descending=descending)]
        else:
            terms = list(self.default)
        tiebreak = self.tiebreak
        if tiebreak is None:
            tiebreak = self.model.__mapper__.primary_key[0]
        return [*terms, tiebreak.asc()]

    def filter(self, query: Select[Any], **values: Any) -> Select[Any]:
        """``query`` narrowed by each declared filter given a value (``None``: not applied)."""
        for name, value in values.items():
            if name not in self.filters:
                raise TypeError(f"{name!r} is not a filter of this list")
            if value is not None:
                query = query.where(self.filters[name](value))
        return query

    def fetch(self, session: Session, query: Select[T], ask: ListQuery, **filters: Any) -> Rows[T]:
        """The page ``ask`` names of ``query`` filtered and ordered, and its total."""
        query = self.filter(query, **filters)
        if ask.q and ask.q.strip() and self.searched:
            query = query.where(matching(self.searched, ask.q))
        return page_of(session, query, self.order(ask.sort), ask)


# --- free-text search -------------------------------------------------------------------

ESCAPE = "!"
MAX_SEARCH = 200  # characters a search may hold


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``!``) finding ``text`` anywhere, lower-cased.

    What a reader types is matched literally: ``%`` and ``_`` (LIKE's wildcards) and the
    escape character itself are escaped, so ``50%`` finds "50%" and never every row.
    """
    escaped = (
        text.strip()
        .lower()
        .replace(ESCAPE, ESCAPE * 2)
        .replace("%", ESCAPE + "%")
        .replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def matching(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Rows where any of ``columns`` holds ``text`` (case folded, matched literally)."""
    pattern = like_pattern(text)
    return or_(*(func.lower(c).like(pattern, escape=ESCAPE) for c in columns))


def direction(column: Any, *, descending: bool) -> UnaryExpression[Any]:
    """``column`` ascending or descending, NULLs last either way."""
    ordered: UnaryExpression[Any] = column.desc() if descending else column.asc()
    return ordered.nulls_last()


_MARKING_COLUMNS = ("marking", "owner_code", "rel_to")


def _count(session: Session, query: Select[Any]) -> int:
    """The rows of ``query``; for a marked table, the markings the total rests on are noted.

    A total speaks of every row it counts, not only of the page shown: one grouped count
    gives both the total and the distinct markings behind it.
    """
    sub = query.order_by(None).subquery()
    if not all(name in sub.c for name in _MARKING_COLUMNS):
        return session.scalar(select(func.count()).select_from(sub)) or 0
    keys = [sub.c[name] for name in _MARKING_COLUMNS]
    total = 0
    for row in session.execute(select(*keys, func.count()).group_by(*keys)):
        note_shown(Marking(row[0]), row[1], row[2])
        total += int(row[3])
    return total


def page_of(session: Session, query: Select[T], order: Sequence[Any], ask: ListQuery) -> Rows[T]:
    """The one count-plus-page query: the rows of one page and the count of the same query.

    When the whole list fits on its first page the count is known without asking the
    database again; a later page counts, since its total speaks of rows it does not show.
    """
    items = list(
        session.scalars(query.order_by(None).order_by(*order).limit(ask.limit).offset(ask.offset))
        .unique()
        .all()
    )
    # When the whole list is on this page, its rows are its total and their markings its own.
    whole = ask.offset == 0 and len(items) < ask.limit
    total = len(items) if whole else _count(session, query)
    return Rows(items=items, total=total, limit=ask.limit, offset=ask.offset)
