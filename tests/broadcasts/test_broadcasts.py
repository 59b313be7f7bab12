"""Composing, previewing, sending and controlling broadcasts through the real Dispatcher."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage
from sqlalchemy import select

from bot.broadcasts.callbacks import BcCb
from bot.context import AppContext
from bot.menu.callbacks import LangCb
from bot.outbox.repo import CANCELLED, PAUSED, PENDING
from bot.storage.tables import audit_log, outbox
from tests.conftest import STAFF, Feed
from tests.support import updates
from tests.support.session import FakeSession

KY_USERS, RU_USERS = (101, 102, 103), (201, 202)


async def people(feed: Feed) -> None:
    for user in (*KY_USERS, *RU_USERS, STAFF):
        await feed(updates.message(user, "/start"))
        await feed(updates.click(user, LangCb(code="ky" if user in KY_USERS else "ru").pack()))


async def rows(app: AppContext, *where: Any) -> list[Any]:
    async with app.db.connection() as conn:
        return list(await conn.execute(select(outbox).where(outbox.c.kind == "broadcast", *where)))


async def compose(feed: Feed, audience: str = "all") -> None:
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Биргелешкен кабыл алуу 28-ноябрда <Москва>"))
    await feed(updates.message(STAFF, "Совместный приём 28 ноября <Москва>"))
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    await feed(updates.click(STAFF, BcCb(action="nobutton").pack()))
    await feed(updates.click(STAFF, BcCb(action="aud", value=audience).pack()))


async def test_compose_preview_send_each_in_their_language(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    session.clear()
    await compose(feed)
    previews = [c.text for c in session.sent(SendMessage, STAFF)]
    assert any("Биргелешкен кабыл алуу" in p and "&lt;Москва&gt;" in p for p in previews)  # escaped
    assert any("Совместный приём" in p for p in previews)
    assert "Получателей: 6" in previews[-1]  # 5 people + the staff member, who chose Russian
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    recipients = await rows(app)
    assert len(recipients) == 6
    by_chat = {r.chat_id: r.payload["text"] for r in recipients}
    assert all("Биргелешкен" in by_chat[u] and "Жазылуудан чыгуу" in by_chat[u] for u in KY_USERS)
    assert all("Совместный" in by_chat[u] and "Отписаться" in by_chat[u] for u in RU_USERS)
    assert all(
        r.payload["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "bc:unsub::0"
        for r in recipients
    )
    # A second tap on "Send" creates nothing.
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    assert len(await rows(app)) == 6
    async with app.db.connection() as conn:
        audit = (await conn.execute(select(audit_log).where(audit_log.c.action == "broadcast.created"))).one()
    assert audit.actor_id == STAFF and audit.details["recipients"] == 6


async def test_audience_by_language(feed: Feed, app: AppContext) -> None:
    await people(feed)
    await compose(feed, "ky")
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    assert sorted(r.chat_id for r in await rows(app)) == list(KY_USERS)


async def test_pause_resume_stop(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await people(feed)
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    await feed(updates.click(STAFF, BcCb(action="pause", id=1).pack()))
    assert {r.status for r in await rows(app)} == {PAUSED}
    await feed(updates.click(STAFF, BcCb(action="resume", id=1).pack()))
    assert {r.status for r in await rows(app)} == {PENDING}
    await feed(updates.click(STAFF, BcCb(action="stop", id=1).pack()))
    assert {r.status for r in await rows(app)} == {CANCELLED}
    report = app.services["broadcasts_report"]
    await report()
    await feed(updates.message(STAFF, "/broadcasts"))
    assert "№ 1 · отменена" in session.sent(SendMessage, STAFF)[-1].text


async def test_only_staff_compose_or_control(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await people(feed)
    await feed(updates.message(KY_USERS[0], "/broadcast"))
    assert session.sent(SendMessage, KY_USERS[0])[-1].text == app.t("ky", "not-allowed")
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    await feed(updates.click(KY_USERS[0], BcCb(action="stop", id=1).pack()))
    assert session.sent(AnswerCallbackQuery)[-1].show_alert
    assert {r.status for r in await rows(app)} == {PENDING}


async def test_unsubscribe_from_a_notice(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await people(feed)
    await feed(updates.click(RU_USERS[0], BcCb(action="unsub").pack()))
    user = await app.users.get(RU_USERS[0])
    assert user is not None and not user.subscribed
    assert session.sent(EditMessageReplyMarkup)  # the notice stays, the button goes
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    assert RU_USERS[0] not in {r.chat_id for r in await rows(app)}


async def test_scheduled_broadcast_waits(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await people(feed)
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="schedule").pack()))
    await feed(updates.message(STAFF, "вчера"))
    assert "Пример" in session.sent(SendMessage, STAFF)[-1].text
    await feed(updates.message(STAFF, "25.11.2026 18:30"))  # Bishkek time = 12:30 UTC
    recipients = await rows(app)
    assert recipients and all(r.not_before.isoformat().startswith("2026-11-25T12:30") for r in recipients)


async def test_registrants_of_one_event(feed: Feed, app: AppContext) -> None:
    from bot.events import importer
    from bot.paths import DATA_DIR
    from tests.conftest import START

    await people(feed)
    items, _ = importer.load(DATA_DIR / "events" / "sample_events.yaml", START)
    [(webinar, _)] = [c for c in await app.services["events"].upsert(items) if c[0].kind == "webinar"]
    await app.services["events"].register(webinar.id, KY_USERS[1], None)
    await app.services["events"].register(webinar.id, RU_USERS[0], None)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Шилтеме өзгөрдү"))
    await feed(updates.message(STAFF, "Ссылка изменилась"))
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    await feed(updates.click(STAFF, BcCb(action="nobutton").pack()))
    await feed(updates.click(STAFF, BcCb(action="events").pack()))
    await feed(updates.click(STAFF, BcCb(action="aud", value="event", id=webinar.id).pack()))
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    assert sorted(r.chat_id for r in await rows(app)) == [KY_USERS[1], RU_USERS[0]]


async def test_audience_by_city(feed: Feed, app: AppContext) -> None:
    await people(feed)
    await app.users.set_place(KY_USERS[2], "novosibirsk", "Asia/Novosibirsk")
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Новосибирскиде кабыл алуу"))
    await feed(updates.click(STAFF, BcCb(action="same").pack()))
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    await feed(updates.click(STAFF, BcCb(action="nobutton").pack()))
    await feed(updates.click(STAFF, BcCb(action="city").pack()))
    await feed(updates.click(STAFF, BcCb(action="aud", value="city.novosibirsk").pack()))
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    assert [r.chat_id for r in await rows(app)] == [KY_USERS[2]]


async def test_progress_shows_rate_and_eta(
    feed: Feed, session: FakeSession, app: AppContext, clock: Any
) -> None:
    from aiogram.methods import EditMessageText

    await people(feed)
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    for row in (await rows(app))[:3]:
        await app.outbox.mark_sent(row.id, 1)
    clock.advance(timedelta(seconds=10))
    session.clear()
    await app.services["broadcasts_report"]()
    (edit,) = session.sent(EditMessageText)
    assert "Отправлено: 3" in edit.text and "осталось: 3" in edit.text
    assert "Скорость: 0.3 сообщ./с" in edit.text and "осталось ≈ 0 мин 10 с" in edit.text


async def test_a_final_report_when_done(feed: Feed, app: AppContext, clock: Any) -> None:
    await people(feed)
    await compose(feed)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    recipients = await rows(app)
    for row in recipients[:-1]:
        await app.outbox.mark_sent(row.id, 1)
    await app.outbox.mark_final(recipients[-1].id, "blocked", "Forbidden: bot was blocked by the user")
    clock.advance(timedelta(minutes=2))
    report = app.services["broadcasts_report"]
    await report()
    await report()  # the second run finds nothing active: still one report
    async with app.db.connection() as conn:
        reports = list(await conn.execute(select(outbox).where(outbox.c.kind == "broadcast_report")))
    assert len(reports) == 1 and reports[0].chat_id == STAFF
    assert (
        "№ 1" in reports[0].payload["text"]
        and "завершена за 2 мин: доставлено 5" in reports[0].payload["text"]
    )
    assert "заблокировали бота 1" in reports[0].payload["text"]
