"""Events with a frozen clock: import validation, capacity under concurrency, waitlist promotion,
reminders across a restart and never after the start, time zones, .ics, and the migrant's screens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage
from icalendar import Calendar
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.context import AppContext
from bot.events import importer
from bot.events.calendar import ics
from bot.events.callbacks import EvCb
from bot.events.repo import EventRepo
from bot.events.service import EventService
from bot.menu.callbacks import LangCb
from bot.paths import DATA_DIR
from bot.storage.tables import outbox
from tests.conftest import START, Feed
from tests.support import updates
from tests.support.session import FakeSession

SAMPLES = DATA_DIR / "events" / "sample_events.yaml"


async def load_samples(app: AppContext) -> dict[str, Any]:
    items, problems = importer.load(SAMPLES, START)
    assert problems == []
    changes = await app.services["events"].upsert(items)
    return {event.key: event for event, _ in changes}


def test_sample_file_imports_and_times_are_in_the_right_zones() -> None:
    items, problems = importer.load(SAMPLES, START)
    assert problems == [] and len(items) == 5
    by_key = {i["key"]: i for i in items}
    # 11:00 Moscow (UTC+3), 19:00 Bishkek (UTC+6), 10:00 Novosibirsk (UTC+7), 10:00 Almaty (UTC+5).
    assert by_key["sample-joint-reception-moscow"]["starts_at"] == datetime(2026, 12, 12, 8, tzinfo=UTC)
    assert by_key["sample-webinar-registration-amina"]["starts_at"] == datetime(2026, 12, 5, 13, tzinfo=UTC)
    assert by_key["sample-reception-novosibirsk"]["starts_at"] == datetime(2026, 12, 19, 3, tzinfo=UTC)
    assert by_key["sample-reception-almaty"]["starts_at"] == datetime(2026, 12, 15, 5, tzinfo=UTC)


def test_bad_files_import_nothing_and_list_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        """
- key: a
  kind: party
  organisers: [akyikatchy]
  title: {ky: "Аталышы", ru: ""}
  description: {ky: "x", ru: "y"}
  starts: 2020-01-01T10:00
  ends: 2019-01-01T10:00
  timezone: Mars/Olympus
  address: somewhere
  capacity: 0
- key: b
  kind: webinar
  organisers: [akyikatchy]
  title: {ky: "ок", ru: "ok"}
  description: {ky: "x", ru: "y"}
  starts: 2027-01-01T10:00
  ends: 2027-01-01T11:00
  timezone: Europe/Moscow
  online: true
""",
        encoding="utf-8",
    )
    items, problems = importer.load(bad, START)
    text = "\n".join(problems)
    assert items == []
    for expected in (
        "kind must be",
        "title.ru is missing",
        "unknown time zone",
        "capacity must be",
        "needs a link",
    ):
        assert expected in text, text


async def test_no_overbooking_under_concurrency_and_waitlist_promotion(app: AppContext) -> None:
    events = await load_samples(app)
    novosibirsk = events["sample-reception-novosibirsk"]  # capacity 20
    repo: EventRepo = app.services["events"]
    results = await asyncio.gather(*(repo.register(novosibirsk.id, 1000 + n, None) for n in range(35)))
    statuses = [r.status for r in results]
    assert statuses.count("confirmed") == 20 and statuses.count("waitlisted") == 15
    first_waiting = min((r for r in results if r.status == "waitlisted"), key=lambda r: r.id)
    service: EventService = app.services["event_service"]
    confirmed = next(r for r in results if r.status == "confirmed")
    await service.cancel(novosibirsk, confirmed.user_id)
    assert (await repo.counts(novosibirsk.id))["confirmed"] == 20
    promoted = await repo.registration(novosibirsk.id, first_waiting.user_id)
    assert promoted is not None and promoted.status == "confirmed"
    async with app.db.connection() as conn:
        notice = (await conn.execute(select(outbox).where(outbox.c.kind == "event_notice"))).one()
    assert notice.chat_id == first_waiting.user_id


async def test_reminders_once_across_restart_and_never_after_start(
    app: AppContext, clock: FrozenClock
) -> None:
    events = await load_samples(app)
    webinar = events["sample-webinar-registration-amina"]  # 05.12 13:00 UTC, online
    repo: EventRepo = app.services["events"]
    await repo.register(webinar.id, 501, None)
    service: EventService = app.services["event_service"]
    assert await service.remind() == 0  # 12 days before
    clock.set(webinar.starts_at - timedelta(hours=23))
    assert await service.remind() == 1
    assert await service.remind() == 0  # the same reminder is stored once
    # A second process (restart) finds it already stored.
    again = EventService(repo, app.users, app.outbox, app.t, clock, (24, 1))
    assert await again.remind() == 0
    # Down from 23 h to 30 min before: only the 1-hour reminder, with the link, not a second 24-h one.
    clock.set(webinar.starts_at - timedelta(minutes=30))
    assert await service.remind() == 1
    async with app.db.connection() as conn:
        rows = list(
            await conn.execute(select(outbox).where(outbox.c.kind == "reminder").order_by(outbox.c.id))
        )
    assert "example.org/sample-webinar" not in rows[0].payload["text"]
    assert "example.org/sample-webinar" in rows[1].payload["text"]
    # A reminder still queued at the start is dropped by the sender's before-send hook.
    clock.set(webinar.starts_at + timedelta(minutes=1))
    item = (await app.outbox.claim(10))[0]
    assert await service.still_due(item) is None
    assert await service.remind() == 0


async def test_cancellation_notifies_registrants(app: AppContext) -> None:
    events = await load_samples(app)
    moscow = events["sample-joint-reception-moscow"]
    await app.services["events"].register(moscow.id, 601, "зарплата")
    items, _ = importer.load(SAMPLES, START)
    for item in items:
        if item["key"] == moscow.key:
            item["status"] = "cancelled"
    changes = await app.services["events"].upsert(items)
    assert "cancelled" in [c for _, c in changes]
    assert await app.services["event_service"].announce_changes(changes) == 1


def test_calendar_file_is_valid_rfc5545(tmp_path: Path) -> None:
    items, _ = importer.load(SAMPLES, START)
    from bot.events.models import Event

    event = Event(id=1, version=1, **{k: v for k, v in items[0].items()})
    parsed = Calendar.from_ical(ics(event, "ky", START))
    [vevent] = parsed.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2026, 12, 12, 8, tzinfo=UTC)
    assert "Москвада" in str(vevent.get("summary"))


def last(session: FakeSession) -> Any:
    return [c for c in session.calls if isinstance(c, (SendMessage, EditMessageText))][-1]


@pytest.mark.parametrize("locale", ["ky", "ru"])
async def test_browse_register_and_calendar_in_both_languages(
    feed: Feed, session: FakeSession, app: AppContext, locale: str
) -> None:
    events = await load_samples(app)
    moscow = events["sample-joint-reception-moscow"]
    user = 7701
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))
    await app.users.set_place(user, "bishkek", "Asia/Bishkek")
    await feed(updates.message(user, "/events"))
    assert EvCb(action="show", id=moscow.id).pack() in [
        b.callback_data for row in last(session).reply_markup.inline_keyboard for b in row
    ]
    await feed(updates.click(user, EvCb(action="show", id=moscow.id).pack()))
    card = last(session).text
    assert "12.12.2026 11:00" in card  # Moscow time
    assert "12.12.2026 14:00" in card  # and the person's Bishkek time
    await feed(updates.click(user, EvCb(action="reg", id=moscow.id).pack()))
    await feed(updates.message(user, "айлык маселеси" if locale == "ky" else "вопрос о зарплате"))
    await feed(updates.click(user, EvCb(action="agree", id=moscow.id).pack()))
    assert ("катталдыңыз" if locale == "ky" else "зарегистрированы") in last(session).text
    await feed(updates.click(user, EvCb(action="ics", id=moscow.id).pack()))
    assert session.sent(SendDocument)[-1].document.filename == f"{moscow.key}.ics"  # type: ignore[union-attr]
    await feed(updates.click(user, EvCb(action="show", id=99999).pack()))
    assert session.sent(AnswerCallbackQuery)[-1].show_alert


async def test_staff_counts_csv_and_cancel(feed: Feed, session: FakeSession, app: AppContext) -> None:
    from tests.conftest import STAFF

    events = await load_samples(app)
    moscow = events["sample-joint-reception-moscow"]
    await app.users.touch(801, "ru", "")
    await app.users.set_locale(801, "ky")
    await app.services["events"].register(moscow.id, 801, "айлык маселеси")
    await feed(updates.message(801, "/events_admin"))
    assert last(session).text == app.t("ky", "not-allowed")
    await feed(updates.message(STAFF, "/events_admin"))
    assert "подтверждено 1" in last(session).text and "мест 40" in last(session).text
    await feed(updates.click(STAFF, EvCb(action="csv", id=moscow.id).pack()))
    content = session.sent(SendDocument)[-1].document.data.decode("utf-8-sig")  # type: ignore[union-attr]
    header, row = content.splitlines()[:2]
    assert header == "reference,status,language,note,registered_at"
    assert row.split(",")[1:4] == ["confirmed", "ky", "айлык маселеси"] and "801" not in row
    await feed(updates.click(STAFF, EvCb(action="drop", id=moscow.id).pack()))
    assert "(1)" in last(session).text
    async with app.db.connection() as conn:
        notice = (await conn.execute(select(outbox).where(outbox.c.kind == "event_notice"))).one()
    assert notice.chat_id == 801 and "жокко чыгарылды" in notice.payload["text"]
