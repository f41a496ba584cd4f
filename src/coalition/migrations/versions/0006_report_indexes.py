"""drop the report and incident indexes and foreign keys that imports pay for per row

Revision ID: 0006_report_indexes
Revises: 0004_ceasefire
Create Date: 2026-11-26 17:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_report_indexes"
down_revision: str | Sequence[str] | None = "0004_ceasefire"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# index -> (table, columns)
INDEXES = {
    "ix_ceasefire_reports_import_batch": ("ceasefire_reports", ["import_batch"]),
    "ix_ceasefire_reports_marking": ("ceasefire_reports", ["marking"]),
    "ix_ceasefire_reports_owner_code": ("ceasefire_reports", ["owner_code"]),
    "ix_ceasefire_incidents_marking": ("ceasefire_incidents", ["marking"]),
    "ix_ceasefire_incidents_owner_code": ("ceasefire_incidents", ["owner_code"]),
}
# table -> (name, referred table, local columns, remote columns, on delete)
FOREIGN_KEYS: dict[str, list[tuple[str, str, list[str], list[str], str | None]]] = {
    "ceasefire_reports": [
        ("fk_ceasefire_reports_owner_code_members", "members", ["owner_code"], ["code"], None)
    ],
    "ceasefire_incidents": [
        ("fk_ceasefire_incidents_owner_code_members", "members", ["owner_code"], ["code"], None)
    ],
    "ceasefire_incident_members": [
        (
            "fk_ceasefire_incident_members_report_id_ceasefire_reports",
            "ceasefire_reports",
            ["report_id"],
            ["id"],
            "CASCADE",
        ),
        (
            "fk_ceasefire_incident_members_incident_id_ceasefire_incidents",
            "ceasefire_incidents",
            ["incident_id"],
            ["id"],
            "CASCADE",
        ),
    ],
}


def upgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table) as batch:
            for name, *_ in keys:
                batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table, keys in FOREIGN_KEYS.items():
        with op.batch_alter_table(table) as batch:
            for name, target, local, remote, ondelete in keys:
                batch.create_foreign_key(name, target, local, remote, ondelete=ondelete)
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)
