"""Schema migrations with Alembic, run programmatically on the configured engine."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from coalition.core.db import Base

SCRIPT_LOCATION = str(files("coalition") / "migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database at ``engine`` up to ``revision`` (default: every branch's newest).

    Each capability keeps its own branch of revisions off the foundation, so "heads"
    (plural) is the newest schema.
    """
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database at ``engine`` back to ``revision``."""
    command.downgrade(alembic_config(engine), revision)


def current_heads(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


NOT_MIGRATED = "the database is not migrated; run coalition db upgrade"
# PostgreSQL's codes for a missing table and a missing column.
_UNDEFINED = {"42P01", "42703"}


def is_unmigrated(exc: DBAPIError) -> bool:
    """Whether ``exc`` says a table or column is missing: the schema is behind the code."""
    if getattr(exc.orig, "sqlstate", None) in _UNDEFINED:
        return True
    message = str(exc.orig).lower()
    return message.startswith(("no such table", "no such column"))


def schema_filter(dialect: str) -> Callable[..., bool]:
    """Autogenerate's ``include_object`` for ``dialect``: on PostgreSQL, leave out what a
    partitioned table's model cannot state, as the table's ``info["postgresql"]`` names
    it: its partitions (``partitions``, their names' prefix), the tables kept beside it
    (``companions``) and the constraints those replace (``replaced``)."""
    if dialect != "postgresql":
        return lambda *args: True
    prefixes: list[str] = []
    skipped: set[str] = set()
    for table in Base.metadata.tables.values():
        held = table.info.get("postgresql", {})
        prefixes.extend([held["partitions"]] if "partitions" in held else [])
        skipped.update(held.get("companions", ()), held.get("replaced", ()))
    known = set(Base.metadata.tables)

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if name in skipped:
            return False
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
        if table in skipped:
            return False
        return not (table not in known and table and table.startswith(tuple(prefixes)))

    return include
