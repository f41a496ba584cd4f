"""import runs in the background: the stored upload, the progress table; the job queue

Revision ID: 0018_import_queue
Revises: 0017_import_runs
Create Date: 2026-12-02 15:40:00.000000

On PostgreSQL, also the job queue's own schema (procrastinate's tables and functions),
which `coalition worker` and the web processes share.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_import_queue"
down_revision: str | Sequence[str] | None = "0017_import_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)


def upgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("upload_token", sa.String(length=32), nullable=True))
    op.create_table(
        "import_progress",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["import_runs.id"], name=op.f("fk_import_progress_run_id_import_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_import_progress")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # Through the driver itself: the schema's text holds '%' signs, which a call
        # with parameters (as SQLAlchemy makes every call) would take for its markers.
        driver = bind.connection.driver_connection
        assert driver is not None  # a connection in use has its driver's
        driver.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in QUEUE_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        functions = bind.execute(
            sa.text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'"
            )
        ).scalars()
        for function in list(functions):
            op.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
        types = bind.execute(
            sa.text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                # The tables' own row types went with them: what is left was created.
                "WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%' "
                "AND t.typtype IN ('e', 'c')"
            )
        ).scalars()
        for name in list(types):
            op.execute(f"DROP TYPE IF EXISTS {name} CASCADE")
    op.drop_table("import_progress")
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("upload_token")
