"""Distinct values found by seeking along an index rather than by reading every row.

A few distinct markings among half a million designations, or among a third of a million
judgements, are found by asking for the least value after the last found, a column at a
time: a handful of index seeks however many rows share each value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session


def distinct_values(
    session: Session,
    columns: Sequence[Any],
    where: Sequence[ColumnElement[bool]],
    held: tuple[Any, ...] = (),
) -> Iterator[tuple[Any, ...]]:
    """The distinct combinations of ``columns`` (none of them NULL) among the rows
    ``where`` selects.

    Each seek is fast when an index leads with the columns ``where`` fixes, then
    ``columns`` in order; a filter no index serves (the reader's visibility) belongs
    after, on the few combinations found, lest each seek read every row."""
    column = columns[len(held)]
    is_last = len(held) == len(columns) - 1
    query = select(func.min(column)).where(
        *where, *(c == value for c, value in zip(columns, held, strict=False))
    )
    found = session.scalar(query)
    while found is not None:
        if is_last:
            yield (*held, found)
        else:
            yield from distinct_values(session, columns, where, (*held, found))
        found = session.scalar(query.where(column > found))
