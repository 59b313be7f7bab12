"""Tables of the events feature.

Revision ID: 0002_events
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0002_events"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("organisers", sa.String(length=64), nullable=False),
        sa.Column("title_ky", sa.String(length=200), nullable=False),
        sa.Column("title_ru", sa.String(length=200), nullable=False),
        sa.Column("description_ky", sa.Text(), nullable=False),
        sa.Column("description_ru", sa.Text(), nullable=False),
        sa.Column("bring_ky", sa.Text(), nullable=True),
        sa.Column("bring_ru", sa.Text(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("map_url", sa.String(length=300), nullable=True),
        sa.Column("online", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=True),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("link_public", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("registration", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("key", name=op.f("uq_events_key")),
    )
    op.create_index(op.f("ix_events_starts_at"), "events", ["starts_at"])
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("consent_version", sa.String(length=16), nullable=False),
        sa.Column("consent_at", UTCDateTime(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_registrations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_registrations_event_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_event_registrations_reference")),
    )
    op.create_index(op.f("ix_event_registrations_event_id"), "event_registrations", ["event_id"])
    op.create_index(op.f("ix_event_registrations_user_id"), "event_registrations", ["user_id"])


def downgrade() -> None:
    op.drop_table("event_registrations")
    op.drop_table("events")
