"""Outbox leases: the instance sending a row and until when (several instances on PostgreSQL).

Revision ID: 0006_cluster
Revises: 0005_subscriptions
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0006_cluster"
down_revision = "0005_subscriptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", UTCDateTime(), nullable=True))
    op.create_index("ix_outbox_lease", "outbox", ["status", "lease_until"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_lease", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
