"""Event texts: local time with the event's city or zone, and the person's own time when different."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.events.models import Event
from bot.i18n import Translator
from bot.places import CITIES, CITY_BY_KEY

ZONE_CITY = {}
for _city in CITIES:
    ZONE_CITY.setdefault(_city.timezone, _city.key)


def zone_label(t: Translator, locale: str, zone: str) -> str:
    """A city people know ("Москва", "Бишкек") instead of a zone id; Babel's zone names are unreliable."""
    key = ZONE_CITY.get(zone)
    return t(locale, f"city-{key}") if key else zone


def when(moment: datetime, zone: str, locale: str) -> str:
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "dd.MM.yyyy HH:mm", locale=locale)


def user_zone(city: str | None, timezone: str | None) -> str | None:
    if timezone:
        return timezone
    return CITY_BY_KEY[city].timezone if city in CITY_BY_KEY else None


def address(t: Translator, locale: str, event: Event) -> str:
    """The address in the reader's language, or in the other one marked as such ("… (орусча)")."""
    text, written_in = event.address_in(locale)
    if text and written_in is not None:
        text += " " + t(locale, f"ev-written-in-{written_in}")
    return text


def card(t: Translator, locale: str, event: Event, free: int | None, user_tz: str | None, link: bool) -> str:
    lines = [f"<b>{t(locale, f'ev-kind-{event.kind}')}</b>", f"<b>{_esc(event.text('title', locale))}</b>"]
    if event.status in {"rescheduled", "cancelled"}:
        lines.append(t(locale, f"ev-status-{event.status}"))
    lines.append(
        t(
            locale,
            "ev-when",
            local=when(event.starts_at, event.timezone, locale),
            zone=zone_label(t, locale, event.timezone),
        )
    )
    if user_tz and user_tz != event.timezone:
        lines.append(
            t(
                locale,
                "ev-when-yours",
                yours=when(event.starts_at, user_tz, locale),
                zone=zone_label(t, locale, user_tz),
            )
        )
    if event.online:
        lines.append(t(locale, "ev-online", platform=event.platform or "—"))
        lines.append(
            t(locale, "ev-link", link=event.link) if link and event.link else t(locale, "ev-link-later")
        )
    else:
        if address(t, locale, event):
            lines.append(t(locale, "ev-where", address=_esc(address(t, locale, event))))
        if event.map_url:
            lines.append(t(locale, "ev-map", url=event.map_url))
    lines.append("")
    lines.append(_esc(event.text("description", locale)))
    if event.text("bring", locale):
        lines.append(t(locale, "ev-bring", bring=event.text("bring", locale)))
    organisers = ", ".join(t(locale, f"ev-org-{o}") for o in event.organisers.split(","))
    lines.append(t(locale, "ev-organisers", organisers=organisers))
    if event.capacity is not None and free is not None:
        lines.append(t(locale, "ev-seats", free=max(free, 0), capacity=event.capacity))
    return "\n".join(lines)


def short(text: str, limit: int) -> str:
    """`text` in at most `limit` characters for a button: cut at a word boundary with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # keep a whole word unless that would leave too little
        cut = cut[:space]
    return cut.rstrip(" ·,.;:-—–") + "…"


def _esc(text: str) -> str:
    from html import escape

    return escape(text, quote=False)
