"""Events: the address in Kyrgyz too (shown to Kyrgyz readers; the Russian one is the fallback).

Revision ID: 0009_events_i18n
Revises: 0008_complaints_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_events_i18n"
down_revision = "0008_complaints_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("address_ky", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("address_ky")
