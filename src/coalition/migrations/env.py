"""Alembic environment: migrates the engine handed in by ``coalition.core.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import coalition.models  # noqa: F401 - registers every table on the metadata
from coalition.core.db import Base, get_engine

config = context.config
engine: Engine = config.attributes.get("engine") or get_engine(
    config.get_main_option("sqlalchemy.url")
)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
