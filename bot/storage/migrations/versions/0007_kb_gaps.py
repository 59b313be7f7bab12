"""Unanswered knowledge-base questions for editors (no user id; 90-day retention).

Revision ID: 0007_kb_gaps
Revises: 0006_cluster
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_kb_gaps"
down_revision = "0006_cluster"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_gaps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_gaps")),
    )
    op.create_index("ix_kb_gaps_day", "kb_gaps", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_kb_gaps_day", table_name="kb_gaps")
    op.drop_table("kb_gaps")
