"""Tables of the complaints feature.

Revision ID: 0004_complaints
Revises: 0003_broadcasts
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0004_complaints"
down_revision = "0003_broadcasts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("submit_key", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=2), nullable=False),
        sa.Column("urgent", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("city", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("happened", sa.String(length=200), nullable=True),
        sa.Column("reply_via", sa.String(length=8), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("consent_version", sa.String(length=16), nullable=False),
        sa.Column("consent_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.BigInteger(), nullable=True),
        sa.Column("assignee_name", sa.String(length=64), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("institution", sa.String(length=8), server_default="kg", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("first_response_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("submit_key", name=op.f("uq_complaints_submit_key")),
    )
    op.create_index(op.f("ix_complaints_user_id"), "complaints", ["user_id"])
    op.create_index(op.f("ix_complaints_status"), "complaints", ["status"])
    op.create_table(
        "complaint_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_files_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_files")),
    )
    op.create_index(op.f("ix_complaint_files_complaint_id"), "complaint_files", ["complaint_id"])
    op.create_table(
        "complaint_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_messages_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_messages")),
    )
    op.create_index(op.f("ix_complaint_messages_complaint_id"), "complaint_messages", ["complaint_id"])


def downgrade() -> None:
    op.drop_table("complaint_messages")
    op.drop_table("complaint_files")
    op.drop_table("complaints")
