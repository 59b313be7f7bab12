"""A calendar file (RFC 5545) for an event: times in UTC, which every calendar app converts to the
phone's own zone, so the event lands at the right hour wherever the person is."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar
from icalendar import Event as VEvent

from bot.events.models import Event


def ics(event: Event, locale: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//migrant-rights-bot//events//EN")
    calendar.add("version", "2.0")
    item = VEvent()
    item.add("uid", f"{event.key}-v{event.version}@migrant-rights-bot")
    item.add("dtstamp", now)
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
    elif event.address:
        item.add("location", event.address)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    item.add("sequence", event.version)
    calendar.add_component(item)
    return calendar.to_ical()
