"""The one database module: engines, sessions, shared column types.

A session opened with :func:`transaction` is the single commit boundary: services add,
change and flush, and the transaction commits once at the end or rolls back whole. The
same code runs on SQLite (the embedded default) and PostgreSQL (the server).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from coalition.core.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on both databases.

    SQLite has no time zones, so values are stored as naive UTC and given their zone back
    on the way out; a naive datetime coming in is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Coalition stores aware UTC times only")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC, to the microsecond both databases keep."""
    return dt.datetime.now(dt.UTC)


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "sqlite"


def is_postgres(engine_or_session: Engine | Session) -> bool:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "postgresql"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE below
        # takes the write lock at the start and two writers queue instead of deadlocking.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured database), created once per process."""
    return _engine(url or get_settings().database_url)


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(url: str) -> Engine:
    # Kept until forgotten, never evicted: an engine dropped while its pool holds
    # connections would leave them to the garbage collector.
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = _create_engine(url)
        return engine


def forget_engine(url: str) -> None:
    """Close the pool of ``url``'s engine and drop it, so the next use builds a new one."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        _sessionmaker.cache_clear()
        engine.dispose()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool if ":memory:" not in url else None)
        _configure_sqlite(engine)
    else:
        settings = get_settings()
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            # Requests wait in the admission line, not here; this bounds any other wait.
            pool_timeout=settings.db_wait_seconds,
            # An unreachable server is reported in seconds, not after the system's timeout.
            connect_args={"connect_timeout": max(2, math.ceil(settings.db_wait_seconds))},
        )
    return engine


def settle(engine: Engine, tables: Iterable[str]) -> None:
    """After a bulk write to ``tables``, committed: on PostgreSQL, vacuum and analyse them
    now rather than when autovacuum comes round, so that the rows just written are marked
    visible to all (index-only scans then read no heap) and the planner knows their
    numbers. SQLite keeps no visibility map: nothing to do."""
    if engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer.quote
    named = ", ".join(quote(table) for table in tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM (ANALYZE) {named}")


@lru_cache(maxsize=8)
def _sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(
    engine: Engine | None = None, actor: str = "system", *, snapshot: bool = False
) -> Iterator[Session]:
    """Open a session that commits once when the block ends, or rolls back on error.

    ``actor`` names who is acting; the audit log records it against every change made in
    the block. ``snapshot`` makes every statement of the block read the database as it
    was at the first one (PostgreSQL's REPEATABLE READ; SQLite's transactions already
    do), for a reader that compares tables with one another while others write.
    """
    session = _sessionmaker(engine or get_engine())()
    session.info["actor"] = actor
    if snapshot and is_postgres(session):
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def savepoint(session: Session) -> Iterator[Session]:
    """A nested transaction: kept if the block ends, rolled back whole if it raises.

    The one way to try a write that may be refused without ending the transaction around
    it (a page form shown again with its reason, one statement of several that may fail).
    The exception propagates; the audit entries of the rolled-back rows go with them.
    """
    with session.begin_nested():
        yield session
