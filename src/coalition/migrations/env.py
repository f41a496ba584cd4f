"""Alembic environment: migrates the engine handed in by ``coalition.core.migrate``."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Engine

import coalition.models  # noqa: F401 - registers every table on the metadata
from coalition.core.db import Base, get_engine
from coalition.core.migrate import schema_filter

config = context.config
engine: Engine = config.attributes.get("engine") or get_engine(
    config.get_main_option("sqlalchemy.url")
)
sqlite = engine.dialect.name == "sqlite"

with engine.connect() as connection:
    raw: Any = connection.connection.driver_connection
    if sqlite:
        # SQLite alters a table by copying it and dropping the old one; with foreign keys
        # enforced, that drop would run ON DELETE CASCADE on every referring row (or fail).
        # The pragma only takes effect outside a transaction, so set it before ours begins,
        # and check every key once the migrations are done.
        raw.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_object=schema_filter(engine.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        raw.execute("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(
                f"migrations left rows whose foreign keys point nowhere: {broken[:5]}"
            )
