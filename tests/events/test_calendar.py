"""The .ics file: one lasting UID per event (RFC 5545 3.8.4.7), SEQUENCE counting revisions, DTSTAMP
and LAST-MODIFIED, so a calendar app updates the event it imported before instead of adding another."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from bot.clock import FrozenClock
from bot.context import AppContext
from bot.events import importer
from bot.events.calendar import ics
from bot.events.repo import EventRepo
from tests.conftest import START
from tests.events.test_events import SAMPLES, load_samples


def vevent(data: bytes) -> Calendar:
    [item] = Calendar.from_ical(data).walk("VEVENT")
    return item


async def test_uid_stays_and_sequence_counts_revisions(app: AppContext, clock: FrozenClock) -> None:
    repo: EventRepo = app.services["events"]
    first = (await load_samples(app))["sample-reception-almaty"]
    before = vevent(ics(first, "ru", START))
    assert str(before["uid"]) == "sample-reception-almaty@migrant-rights-bot"
    assert before.decoded("sequence") == 0
    assert before.decoded("dtstamp") == START and before.decoded("last-modified") == START

    clock.set(START + timedelta(hours=2))
    items, problems = importer.load(SAMPLES, START)
    assert problems == []
    for item in items:
        if item["key"] == first.key:
            item["starts_at"] += timedelta(days=1)
            item["ends_at"] += timedelta(days=1)
    moved = next(event for event, _ in await repo.upsert(items) if event.key == first.key)
    later = START + timedelta(hours=3)
    after = vevent(ics(moved, "ky", later))
    assert str(after["uid"]) == str(before["uid"])  # the same event for the calendar app
    assert after.decoded("sequence") == 1
    assert after.decoded("dtstart") == first.starts_at + timedelta(days=1)
    assert after.decoded("dtstamp") == later and after.decoded("last-modified") == START + timedelta(hours=2)

    [(cancelled, _)] = await repo.set_status(first.id, "cancelled")
    last = vevent(ics(cancelled, "ru", later))
    assert str(last["uid"]) == str(before["uid"]) and last.decoded("sequence") == 2
    assert str(last["status"]) == "CANCELLED"
