"""Event vocabulary and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.places import CITIES

KINDS = ("joint_reception", "reception", "webinar", "info_session")
ORGANISERS = ("akyikatchy", "rf_commissioner", "kg_embassy", "kg_labour_ministry")
RECEPTIONS = frozenset({"joint_reception", "reception"})  # a note about the person's issue is useful here
UPCOMING = ("scheduled", "rescheduled")
CONSENT_VERSION = "2026-11"
MAX_NOTE = 500


def subscription_scopes() -> list[str]:
    """Every new-event notice scope a person may choose: "all", "kind:<kind>", "city:<key>"."""
    return ["all", *(f"kind:{kind}" for kind in KINDS), *(f"city:{city.key}" for city in CITIES)]


def kind_scopes(kind: str) -> list[str]:
    """Who hears of events of one kind."""
    return ["all", f"kind:{kind}"]


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

    def notice_scopes(self) -> list[str]:
        """Who hears of this event: its kind, its city, or any city when it is online."""
        cities = [c.key for c in CITIES] if self.online else [self.city] if self.city else []
        return [*kind_scopes(self.kind), *(f"city:{city}" for city in cities)]


@dataclass(frozen=True)
class Registration:
    id: int
    event_id: int
    user_id: int
    status: str  # confirmed | waitlisted | cancelled
    reference: str
