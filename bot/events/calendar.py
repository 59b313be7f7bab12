"""A calendar file (RFC 5545) for an event: times in UTC, which every calendar app converts to the
phone's own zone, so the event lands at the right hour wherever the person is.

The UID is the event's lasting identity (its key), so a calendar app that imported the event before
updates it instead of adding a second one; SEQUENCE counts revisions (0 for the first), LAST-MODIFIED
is when the event last changed and DTSTAMP when this file was made (RFC 5545, 3.8.4.7, 3.8.7.4)."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar
from icalendar import Event as VEvent

from bot.events.models import Event

UID_DOMAIN = "migrant-rights-bot"


def ics(event: Event, locale: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//migrant-rights-bot//events//EN")
    calendar.add("version", "2.0")
    item = VEvent()
    item.add("uid", f"{event.key}@{UID_DOMAIN}")
    item.add("sequence", max(event.version - 1, 0))
    item.add("dtstamp", now)
    if event.updated_at is not None:
        item.add("last-modified", event.updated_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.text("title", locale))
    description = event.text("description", locale)
    if event.text("bring", locale):
        description += "\n\n" + event.text("bring", locale)
    item.add("description", description)
    if event.online:
        item.add("location", event.platform or "online")
        if event.link and event.link_public:
            item.add("url", event.link)
    else:
        address, _ = event.address_in(locale)
        if address:
            item.add("location", address)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()
