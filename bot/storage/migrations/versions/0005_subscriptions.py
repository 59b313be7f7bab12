"""New-event subscriptions; an optional button on broadcasts.

Revision ID: 0005_subscriptions
Revises: 0004_complaints
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0005_subscriptions"
down_revision = "0004_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_subscriptions",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "scope"),
    )
    op.create_index("ix_event_subscriptions_scope", "event_subscriptions", ["scope"], unique=False)
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(sa.Column("button_event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("button_url", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_column("button_url")
        batch.drop_column("button_event_id")
    op.drop_index("ix_event_subscriptions_scope", table_name="event_subscriptions")
    op.drop_table("event_subscriptions")
