"""Tables of the broadcasts feature.

A broadcast row keeps what staff composed and its life cycle; its recipients are outbox rows
(ref_type="broadcast"), snapshotted at creation, so progress and resumption come from the outbox.
Migration: bot/storage/migrations/versions/0003_broadcasts.py.
"""

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from bot.storage.metadata import metadata
from bot.storage.types import UTCDateTime

broadcasts = Table(
    "broadcasts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("author_id", BigInteger, nullable=True),  # NULL: from the command line
    Column("text_ky", Text, nullable=False),
    Column("text_ru", Text, nullable=False),
    Column("media_kind", String(16), nullable=True),  # photo | document
    Column("media_file_id", String(256), nullable=True),
    Column("button_event_id", Integer, nullable=True),  # a button opening this event's card
    Column("button_url", String(300), nullable=True),  # or a button opening this https link
    Column("audience", String(64), nullable=False),  # all | ky | ru | city:<key> | kind:<k> | event:<key>
    Column("status", String(16), nullable=False, index=True),  # scheduled, running, paused, cancelled, done
    Column("total", Integer, nullable=False),
    Column("scheduled_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("progress_chat_id", BigInteger, nullable=True),
    Column("progress_message_id", BigInteger, nullable=True),
)
