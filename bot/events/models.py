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
    address: str | None  # in Russian (or the local language of the place)
    address_ky: str | None  # in Kyrgyz; either may be missing, the other is shown marked
    map_url: str | None
    online: bool
    platform: str | None
    link: str | None
    link_public: bool
    capacity: int | None
    registration: bool
    status: str
    version: int
    updated_at: datetime | None = None

    def text(self, field: str, locale: str) -> str:
        return str(getattr(self, f"{field}_{'ky' if locale == 'ky' else 'ru'}") or "")

    def address_in(self, locale: str) -> tuple[str, str | None]:
        """The address in `locale`; when only the other language has one, that one and its locale
        (to be shown with a mark such as "(орусча)")."""
        own, other, other_locale = (
            (self.address_ky, self.address, "ru") if locale == "ky" else (self.address, self.address_ky, "ky")
        )
        if own:
            return own, None
        return (other, other_locale) if other else ("", None)

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
