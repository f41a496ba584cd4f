"""Distinct values found by seeking along an index rather than by reading every row.

A few distinct markings among half a million designations, or among a third of a million
judgements, are found by asking for the least value after the last found, a column at a
time: a handful of index seeks however many rows share each value. Several such walks
(one per list) advance together, one statement carrying each walk's next seek.
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

K = TypeVar("K", bound=Hashable)
Walk = Generator[Select[Any], Any, list[tuple[Any, ...]]]


def _walk(
    columns: Sequence[Any], where: Sequence[ColumnElement[bool]], held: tuple[Any, ...] = ()
) -> Walk:
    """Yield each seek in turn, be sent its answer; return the combinations found."""
    column = columns[len(held)]
    query = select(func.min(column)).where(
        *where, *(c == value for c, value in zip(columns, held, strict=False))
    )
    found_rows: list[tuple[Any, ...]] = []
    found = yield query
    while found is not None:
        if len(held) == len(columns) - 1:
            found_rows.append((*held, found))
        else:
            found_rows += yield from _walk(columns, where, (*held, found))
        found = yield query.where(column > found)
    return found_rows


def distinct_values_of(
    session: Session, columns: Sequence[Any], wheres: Mapping[K, Sequence[ColumnElement[bool]]]
) -> dict[K, list[tuple[Any, ...]]]:
    """For each key of ``wheres``, the distinct combinations of ``columns`` (none of them
    NULL) among the rows its clauses select.

    Each seek is fast when an index leads with the columns a key's clauses fix, then
    ``columns`` in order; a filter no index serves (the reader's visibility) belongs
    after, on the few combinations found, lest each seek read every row."""
    walks = {key: _walk(columns, where) for key, where in wheres.items()}
    asked = {key: next(walk) for key, walk in walks.items()}
    found: dict[K, list[tuple[Any, ...]]] = {}
    while asked:
        keys = list(asked)
        answers = session.execute(select(*(asked[k].scalar_subquery() for k in keys))).one()
        for key, answer in zip(keys, answers, strict=True):
            try:
                asked[key] = walks[key].send(answer)
            except StopIteration as done:
                found[key] = done.value
                del asked[key]
    return found


def distinct_values(
    session: Session, columns: Sequence[Any], where: Sequence[ColumnElement[bool]]
) -> list[tuple[Any, ...]]:
    """:func:`distinct_values_of` for one set of clauses."""
    return distinct_values_of(session, columns, {0: where})[0]
