"""Tables of the complaints feature.

Attached to the shared MetaData; migrations live in bot/storage/migrations (0004_complaints).
Personal data lives only in complaints.name/phone/description/happened, complaint_files and
complaint_messages.text; `/forget` blanks them and keeps the anonymised case for statistics.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.storage.metadata import metadata
from bot.storage.types import UTCDateTime

complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the case number
    Column("user_id", BigInteger, nullable=True, index=True),  # NULL after /forget
    Column("submit_key", String(64), nullable=False, unique=True),  # same submit twice → one case
    Column("locale", String(2), nullable=False),
    Column("urgent", Boolean, nullable=False, server_default="0"),
    Column("category", String(32), nullable=False),
    Column("country", String(8), nullable=False),
    Column("city", String(64), nullable=True),
    Column("description", Text, nullable=True),
    Column("happened", String(200), nullable=True),
    Column("reply_via", String(8), nullable=False),  # chat | phone
    Column("phone", String(32), nullable=True),
    Column("name", String(120), nullable=True),
    Column("consent_version", String(16), nullable=False),
    Column("consent_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("assignee_id", BigInteger, nullable=True),
    Column("assignee_name", String(64), nullable=True),
    Column("card_message_id", BigInteger, nullable=True),  # the card in the operators' chat
    Column("thread_id", BigInteger, nullable=True),  # the case's topic when the group is a forum
    Column(
        "institution", String(8), nullable=False, server_default="kg"
    ),  # kg (Akyikatchy) | ru (Commissioner)
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("first_response_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("last_action", String(16), nullable=True),  # shown on the card (0008)
    Column("last_action_at", UTCDateTime, nullable=True),
)

complaint_files = Table(
    "complaint_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(16), nullable=False),  # photo | document | voice
    Column("chat_id", BigInteger, nullable=False),  # where the migrant sent it (for copyMessage)
    Column("message_id", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

complaint_messages = Table(
    "complaint_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("direction", String(8), nullable=False),  # in (migrant) | out (reply) | ask | note (internal)
    Column("author_id", BigInteger, nullable=True),  # operator for out/ask/note
    Column("text", Text, nullable=True),  # NULL after /forget
    Column("created_at", UTCDateTime, nullable=False),
)

# Every message the bot posted in the operators' chat about a case (0008): cards (and their copies
# from /case), copied attachments, relayed follow-ups, and the prompts operators reply to. Cards are
# redrawn on every change; on /forget those carrying personal data are redacted or deleted.
complaint_posts = Table(
    "complaint_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("chat_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),
    Column("kind", String(32), nullable=False),  # card | file | followup | prompt:<action>[:<status>]
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "message_id", name="uq_complaint_posts_message"),
)
