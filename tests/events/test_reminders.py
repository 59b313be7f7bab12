"""Reminders through the real outbox rows and the real sender: the events before-send hook gets the
stored item (with its dedupe key), lets a due reminder through and drops one made for an older version
of the event."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import SendMessage

from bot.clock import FrozenClock
from bot.context import AppContext
from bot.events import importer
from bot.events.repo import EventRepo
from bot.events.service import EventService
from tests.conftest import START
from tests.events.test_events import SAMPLES, load_samples
from tests.support.session import FakeSession

USER = 501


async def test_a_due_reminder_passes_the_hook_and_is_delivered_with_the_private_link(
    app: AppContext, clock: FrozenClock, session: FakeSession
) -> None:
    webinar = (await load_samples(app))["sample-webinar-registration-amina"]  # link for registrants
    repo: EventRepo = app.services["events"]
    service: EventService = app.services["event_service"]
    await repo.register(webinar.id, USER, None)
    clock.set(webinar.starts_at - timedelta(minutes=30))
    assert await service.remind() == 1
    [item] = await app.outbox.claim(10)  # the real OutboxItem, as the sender gets it
    assert item.kind == "reminder" and item.dedupe_key == f"rem:1:1h:v{webinar.version}"
    assert await service.still_due(item) == item
    await app.sender.deliver(item)
    [sent] = session.sent(SendMessage, USER)
    assert "example.org/sample-webinar" in sent.text
    assert await app.outbox.counts("event", webinar.id) == {"sent": 1}


async def test_a_reminder_for_an_older_version_is_dropped_and_the_new_time_gets_its_own(
    app: AppContext, clock: FrozenClock, session: FakeSession
) -> None:
    webinar = (await load_samples(app))["sample-webinar-registration-amina"]
    repo: EventRepo = app.services["events"]
    service: EventService = app.services["event_service"]
    await repo.register(webinar.id, USER, None)
    clock.set(webinar.starts_at - timedelta(hours=23))
    assert await service.remind() == 1  # the 24-hour reminder is queued...
    # ...then the event moves a day later before it is sent.
    items, problems = importer.load(SAMPLES, START)
    assert problems == []
    for item in items:
        item["starts_at"] += timedelta(days=1)
        item["ends_at"] += timedelta(days=1)
    changes = dict((event.key, change) for event, change in await repo.upsert(items))
    assert changes[webinar.key] == "rescheduled"
    [queued] = await app.outbox.claim(10)
    assert await service.still_due(queued) is None
    await app.sender.deliver(queued)
    assert session.sent(SendMessage, USER) == []
    assert await app.outbox.counts("event", webinar.id) == {"cancelled": 1}
    clock.set(webinar.starts_at + timedelta(days=1) - timedelta(hours=23))
    assert await service.remind() == 1  # the reminder for the new time, under the new version
