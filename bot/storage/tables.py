"""Tables of the foundation: users, processed updates, FSM state, the outbox, audit log, settings."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from bot.storage.metadata import metadata
from bot.storage.types import UTCDateTime

users = Table(
    "users",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # Telegram user id
    Column("locale", String(2), nullable=True),  # chosen interface language; NULL until chosen
    Column("telegram_language", String(16), nullable=True),  # what Telegram reported (for statistics)
    Column("roles", String(64), nullable=False, server_default=""),  # synced from configuration
    Column("subscribed", Boolean, nullable=False, server_default="1"),  # notices / broadcasts opt-in
    Column("city", String(32), nullable=True),  # city key for local time and regional notices
    Column("timezone", String(64), nullable=True),  # IANA zone chosen by the user
    Column("blocked", Boolean, nullable=False, server_default="0"),  # the user blocked the bot (403)
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
)

processed_updates = Table(
    "processed_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
)

fsm_states = Table(
    "fsm_states",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("state", String(128), nullable=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Every bulk or must-not-be-lost outgoing message: broadcasts, reminders, operators' group posts.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),  # broadcast, reminder, notice, case_card, ...
    Column("chat_id", BigInteger, nullable=False),
    Column("method", String(32), nullable=False),  # sendMessage, sendPhoto, sendDocument, copyMessage
    Column("payload", JSON, nullable=False),  # Bot API parameters except chat_id
    Column(
        "status", String(16), nullable=False
    ),  # pending, sending, sent, failed, blocked, paused, cancelled
    Column("priority", Integer, nullable=False, server_default="100"),  # lower goes first
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("not_before", UTCDateTime, nullable=False),
    Column("dedupe_key", String(128), nullable=True, unique=True),  # enqueue twice -> stored once
    Column("ref_type", String(32), nullable=True),  # e.g. broadcast, complaint, event
    Column("ref_id", Integer, nullable=True),
    Column("result_message_id", BigInteger, nullable=True),
    Column("error", String(300), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    # While 'sending': which instance holds the row and until when (renewed while it sends). A row
    # whose lease ran out goes back to pending: its instance died.
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
)
Index("ix_outbox_due", outbox.c.status, outbox.c.priority, outbox.c.not_before)
Index("ix_outbox_lease", outbox.c.status, outbox.c.lease_until)
Index("ix_outbox_ref", outbox.c.ref_type, outbox.c.ref_id, outbox.c.status)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", BigInteger, nullable=True),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=True),
    Column("object_id", Integer, nullable=True),
    Column("details", JSON, nullable=False),
)
Index("ix_audit_object", audit_log.c.object_type, audit_log.c.object_id)

# Small runtime values that outlive a restart (e.g. the operators' chat id after a supergroup migration).
kv = Table(
    "kv",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
