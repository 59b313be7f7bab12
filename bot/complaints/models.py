"""Complaint vocabulary: categories, places, statuses, limits, and the case record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

CATEGORIES = (
    "wages",
    "documents",
    "police",
    "violence",
    "expulsion",
    "health",
    "children",
    "housing",
    "trafficking",
    "other",
)
COUNTRIES = ("ru", "kg", "kz", "other")
# received → registered → review → referred → answered → closed; rejected (outside the mandate) and
# withdrawn (by the migrant) end a case too.
STATUSES = ("received", "registered", "review", "referred", "answered", "closed", "rejected", "withdrawn")
FINAL = frozenset({"closed", "rejected", "withdrawn"})
NEEDS_REASON = frozenset({"closed", "rejected"})
INSTITUTIONS = ("kg", "ru")  # the Akyikatchy of Kyrgyzstan, the RF Human Rights Commissioner
OPERATOR_STATUSES = ("registered", "review", "referred", "answered", "closed", "rejected")
CONSENT_VERSION = "2026-11"

MAX_TEXT = 3000
MAX_SHORT = 200
MAX_NAME = 120
MAX_FILES = 5
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot can download through the Bot API
MAX_ID = 2**31 - 1  # INTEGER in PostgreSQL: a larger number in a button or command is forged or mistyped
MAX_STATS_DAYS = 3660
REOPENABLE = frozenset({"closed", "rejected"})  # a withdrawn case belongs to the migrant
REOPEN_STATUS = "review"

_ASCII_NUMBER = re.compile(r"[0-9]{1,19}")  # str.isdigit() would accept "²" or Arabic-Indic digits


def parse_number(text: str | None, low: int, high: int) -> int | None:
    """A number typed by a person: ASCII digits only, within [low, high]; None otherwise."""
    text = (text or "").strip().lstrip("№#").strip()
    if not _ASCII_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


@dataclass(frozen=True)
class Case:
    id: int
    user_id: int | None
    locale: str
    urgent: bool
    category: str
    country: str
    city: str | None
    description: str | None
    happened: str | None
    reply_via: str
    phone: str | None
    name: str | None
    status: str
    assignee_id: int | None
    assignee_name: str | None
    card_message_id: int | None
    thread_id: int | None
    institution: str
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    last_action: str | None = None  # what an operator or the migrant did last, shown on the card
    last_action_at: datetime | None = None

    @property
    def number(self) -> str:
        return f"{self.id:05d}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL

    @property
    def erased(self) -> bool:
        return self.user_id is None


@dataclass(frozen=True)
class Attachment:
    kind: str
    chat_id: int
    message_id: int
