"""partition the reports by month on PostgreSQL, their natural key kept in a table of its own

Revision ID: 0016_report_partitions
Revises: 0015_cell_rollup_indexes
Create Date: 2026-12-02 15:40:00.000000

PostgreSQL enforces a unique constraint on a partitioned table only when it holds the
partition key, so the natural key (source_name, source_id) moves to
``ceasefire_report_keys``, filled by statement-level triggers from each statement's
transition table: an insert of a key already held fails exactly as the unique constraint
did, and the incident decisions' foreign key now points at the keys' ``report_id``.
SQLite is left as it is.
"""

import datetime as dt
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from coalition.ceasefire import partitions

revision: str = "0016_report_partitions"
down_revision: str | Sequence[str] | None = "0015_cell_rollup_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORTS = "ceasefire_reports"
KEYS = "ceasefire_report_keys"
DECISION_KEY = "fk_ceasefire_incident_status_report_id_ceasefire_reports"
NATURAL_KEY = "uq_ceasefire_reports_source_name_source_id"

TRIGGERS = f"""
CREATE FUNCTION {KEYS}_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {KEYS} (source_name, source_id, report_id)
    SELECT source_name, source_id, id FROM inserted;
    RETURN NULL;
END $$;
CREATE FUNCTION {KEYS}_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {KEYS} k USING before_update b WHERE k.report_id = b.id;
    INSERT INTO {KEYS} (source_name, source_id, report_id)
    SELECT source_name, source_id, id FROM after_update;
    RETURN NULL;
END $$;
CREATE FUNCTION {KEYS}_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {KEYS} k USING deleted d WHERE k.report_id = d.id;
    RETURN NULL;
END $$;
CREATE FUNCTION {KEYS}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {KEYS};
    RETURN NULL;
END $$;
CREATE TRIGGER {KEYS}_insert AFTER INSERT ON {REPORTS}
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {KEYS}_insert();
CREATE TRIGGER {KEYS}_update AFTER UPDATE ON {REPORTS}
    REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
    FOR EACH STATEMENT EXECUTE FUNCTION {KEYS}_update();
CREATE TRIGGER {KEYS}_delete AFTER DELETE ON {REPORTS}
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION {KEYS}_delete();
CREATE TRIGGER {KEYS}_truncate AFTER TRUNCATE ON {REPORTS}
    FOR EACH STATEMENT EXECUTE FUNCTION {KEYS}_truncate();
"""  # noqa: S608 - our own names


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    run = op.execute
    sequence = bind.execute(text(f"SELECT pg_get_serial_sequence('{REPORTS}', 'id')")).scalar()
    run(
        f"CREATE TABLE {REPORTS}_new (LIKE {REPORTS} INCLUDING DEFAULTS) "
        "PARTITION BY RANGE (occurred_at)"
    )
    run(f"CREATE TABLE {partitions.DEFAULT} PARTITION OF {REPORTS}_new DEFAULT")
    run(f"INSERT INTO {REPORTS}_new SELECT * FROM {REPORTS}")  # noqa: S608
    run(f"ALTER SEQUENCE {sequence} OWNED BY {REPORTS}_new.id")
    run(f"ALTER TABLE ceasefire_incident_status DROP CONSTRAINT {DECISION_KEY}")
    run(f"DROP TABLE {REPORTS}")
    run(f"ALTER TABLE {REPORTS}_new RENAME TO {REPORTS}")
    run(f"ALTER TABLE {REPORTS} ADD CONSTRAINT pk_{REPORTS} PRIMARY KEY (id, occurred_at)")
    run(f"CREATE INDEX ix_{REPORTS}_occurred ON {REPORTS} (occurred_at)")
    run(
        f"CREATE TABLE {KEYS} (source_name varchar(120) NOT NULL, "
        "source_id varchar(120) NOT NULL, report_id integer NOT NULL, "
        f"CONSTRAINT pk_{KEYS} PRIMARY KEY (source_name, source_id), "
        f"CONSTRAINT uq_{KEYS}_report_id UNIQUE (report_id))"
    )
    run(f"INSERT INTO {KEYS} SELECT source_name, source_id, id FROM {REPORTS}")  # noqa: S608
    run(
        f"ALTER TABLE ceasefire_incident_status ADD CONSTRAINT {DECISION_KEY} "
        f"FOREIGN KEY (report_id) REFERENCES {KEYS} (report_id)"
    )
    run(TRIGGERS)
    # The months held and the next few, each report moved out of the default.
    partitions.ensure(bind, dt.datetime.now(dt.UTC).date())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    run = op.execute
    sequence = bind.execute(text(f"SELECT pg_get_serial_sequence('{REPORTS}', 'id')")).scalar()
    run(f"CREATE TABLE {REPORTS}_plain (LIKE {REPORTS} INCLUDING DEFAULTS)")
    run(f"INSERT INTO {REPORTS}_plain SELECT * FROM {REPORTS}")  # noqa: S608
    run(f"ALTER SEQUENCE {sequence} OWNED BY {REPORTS}_plain.id")
    run(f"ALTER TABLE ceasefire_incident_status DROP CONSTRAINT {DECISION_KEY}")
    run(f"DROP TABLE {REPORTS}")  # and its partitions and triggers
    run(f"DROP TABLE {KEYS}")
    for event in ("insert", "update", "delete", "truncate"):
        run(f"DROP FUNCTION {KEYS}_{event}()")
    run(f"ALTER TABLE {REPORTS}_plain RENAME TO {REPORTS}")
    run(f"ALTER TABLE {REPORTS} ADD CONSTRAINT pk_{REPORTS} PRIMARY KEY (id)")
    run(f"ALTER TABLE {REPORTS} ADD CONSTRAINT {NATURAL_KEY} UNIQUE (source_name, source_id)")
    run(f"CREATE INDEX ix_{REPORTS}_occurred ON {REPORTS} (occurred_at)")
    run(
        f"ALTER TABLE ceasefire_incident_status ADD CONSTRAINT {DECISION_KEY} "
        f"FOREIGN KEY (report_id) REFERENCES {REPORTS} (id)"
    )
