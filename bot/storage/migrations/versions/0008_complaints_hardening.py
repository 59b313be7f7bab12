"""Complaints: the messages posted about each case (redraw, /forget), the last action on the card.

Revision ID: 0008_complaints_hardening
Revises: 0007_kb_gaps
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0008_complaints_hardening"
down_revision = "0007_kb_gaps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_complaint_posts_message"),
    )
    op.create_index("ix_complaint_posts_complaint_id", "complaint_posts", ["complaint_id"], unique=False)
    # Cards posted before this revision: their message id was kept on the case itself.
    op.execute(
        "INSERT INTO complaint_posts (complaint_id, chat_id, message_id, kind, created_at) "
        "SELECT id, 0, card_message_id, 'card', created_at FROM complaints WHERE card_message_id IS NOT NULL"
    )
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("last_action", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("last_action_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.drop_column("last_action_at")
        batch.drop_column("last_action")
    op.drop_index("ix_complaint_posts_complaint_id", table_name="complaint_posts")
    op.drop_table("complaint_posts")
