"""Tables of the events feature (migration 0002_events).

Times are stored in UTC with the event's IANA zone; registrations are unique per (event, person).
Reminders are outbox rows with a dedupe key per registration and hour mark, so never sent twice.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.storage.metadata import metadata
from bot.storage.types import UTCDateTime

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # stable id from the YAML file
    Column("kind", String(24), nullable=False),  # joint_reception | reception | webinar | info_session
    Column("organisers", String(64), nullable=False),  # comma-separated: akyikatchy, rf_commissioner, ...
    Column("title_ky", String(200), nullable=False),
    Column("title_ru", String(200), nullable=False),
    Column("description_ky", Text, nullable=False),
    Column("description_ru", Text, nullable=False),
    Column("bring_ky", Text, nullable=True),
    Column("bring_ru", Text, nullable=True),
    Column("starts_at", UTCDateTime, nullable=False, index=True),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("city", String(32), nullable=True),
    Column("address", String(300), nullable=True),  # in Russian
    Column("address_ky", String(300), nullable=True),  # in Kyrgyz (migration 0009_events_i18n)
    Column("map_url", String(300), nullable=True),
    Column("online", Boolean, nullable=False, server_default="0"),
    Column("platform", String(64), nullable=True),
    Column("link", String(300), nullable=True),
    Column("link_public", Boolean, nullable=False, server_default="0"),
    Column("capacity", Integer, nullable=True),
    Column("registration", Boolean, nullable=False, server_default="1"),
    Column("status", String(16), nullable=False),  # scheduled | rescheduled | cancelled | finished
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

registrations = Table(
    "event_registrations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", BigInteger, nullable=False, index=True),
    Column("status", String(16), nullable=False),  # confirmed | waitlisted | cancelled
    Column("note", String(500), nullable=True),
    Column("consent_version", String(16), nullable=False),
    Column("consent_at", UTCDateTime, nullable=False),
    Column("reference", String(16), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("event_id", "user_id"),
)

# New-event notices: scope is "all", "city:<key>" or "kind:<kind>" (migration 0005_subscriptions).
subscriptions = Table(
    "event_subscriptions",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("scope", String(40), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_event_subscriptions_scope", subscriptions.c.scope)
