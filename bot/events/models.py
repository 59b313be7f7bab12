"""Event vocabulary and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

KINDS = ("joint_reception", "reception", "webinar", "info_session")
ORGANISERS = ("akyikatchy", "rf_commissioner", "kg_embassy", "kg_labour_ministry")
RECEPTIONS = frozenset({"joint_reception", "reception"})  # a note about the person's issue is useful here
UPCOMING = ("scheduled", "rescheduled")
CONSENT_VERSION = "2026-11"
MAX_NOTE = 500


@dataclass(frozen=True)
class Event:
    id: int
    key: str
    kind: str
    organisers: str
    title_ky: str
    title_ru: str
    description_ky: str
    description_ru: str
    bring_ky: str | None
    bring_ru: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    city: str | None
    address: str | None
    map_url: str | None
    online: bool
    platform: str | None
    link: str | None
    link_public: bool
    capacity: int | None
    registration: bool
    status: str
    version: int

    def text(self, field: str, locale: str) -> str:
        return str(getattr(self, f"{field}_{'ky' if locale == 'ky' else 'ru'}") or "")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Registration:
    id: int
    event_id: int
    user_id: int
    status: str  # confirmed | waitlisted | cancelled
    reference: str
