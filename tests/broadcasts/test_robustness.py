"""Broadcast buttons pressed on messages Telegram no longer shows (InaccessibleMessage), forged or
out-of-range button data, failed prompts, and event titles on buttons — through the real Dispatcher."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Chat, InaccessibleMessage, Update
from sqlalchemy import select

from bot.broadcasts.callbacks import BcCb
from bot.context import AppContext
from bot.events import importer
from bot.paths import DATA_DIR
from bot.storage.tables import outbox
from tests.broadcasts.test_broadcasts import people
from tests.conftest import STAFF, START, Feed
from tests.support import updates
from tests.support.session import FakeSession

_ids = itertools.count(900_000)


def click_gone(user_id: int, data: str, *, chat_id: int | None = None, chat_type: str = "private") -> Update:
    """A button press on a message that is too old or deleted: Telegram sends it with date 0."""
    chat = Chat(id=chat_id if chat_id is not None else user_id, type=chat_type)
    query = CallbackQuery(
        id=str(next(_ids)),
        from_user=updates.tg_user(user_id),
        chat_instance="ci",
        message=InaccessibleMessage(chat=chat, message_id=1, date=0),
        data=data,
    )
    return Update(update_id=next(_ids), callback_query=query)


def answers(session: FakeSession) -> list[AnswerCallbackQuery]:
    return session.sent(AnswerCallbackQuery)


async def import_events(app: AppContext, **changes: Any) -> list[Any]:
    items, problems = importer.load(DATA_DIR / "events" / "sample_events.yaml", START)
    assert not problems
    for item in items:
        item.update(changes)
    return [event for event, _ in await app.services["events"].upsert(items)]


async def test_the_whole_dialog_works_on_inaccessible_messages(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    await import_events(app)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Кабыл алуу"))
    session.clear()
    for action in ("same", "nomedia", "btnevents"):
        await feed(click_gone(STAFF, BcCb(action=action).pack()))
    await feed(click_gone(STAFF, BcCb(action="btnlink").pack()))
    await feed(updates.message(STAFF, "https://example.org/info"))
    for action in ("city", "kinds", "events"):
        await feed(click_gone(STAFF, BcCb(action=action).pack()))
    await feed(click_gone(STAFF, BcCb(action="aud", value="all").pack()))
    await feed(click_gone(STAFF, BcCb(action="schedule").pack()))
    assert not session.sent(EditMessageText)  # nothing to edit: every screen is a new message
    texts = session.texts(STAFF)
    for key in ("bc-ask-media", "bc-ask-button", "bc-ask-button-event", "bc-ask-link", "bc-ask-audience"):
        assert app.t("ru", key) in texts, key
    assert app.t("ru", "bc-ask-time") == texts[-1]
    await feed(updates.message(STAFF, "25.11.2026 18:30"))
    async with app.db.connection() as conn:
        rows = list(await conn.execute(select(outbox).where(outbox.c.kind == "broadcast")))
    assert len(rows) == 6 and all(r.payload["text"].startswith("Кабыл алуу") for r in rows)

    session.clear()
    await feed(click_gone(STAFF, BcCb(action="pause", id=1).pack()))
    (answer,) = answers(session)
    assert answer.show_alert and (answer.text or "").startswith("№ 1 · на паузе")


async def test_send_cancel_and_notify_from_event_on_inaccessible_messages(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    [event, *_] = await import_events(app)
    session.clear()
    await feed(click_gone(STAFF, BcCb(action="fromevent", id=event.id).pack()))
    assert app.t("ru", "bc-ask-audience") == session.last_text(STAFF)
    await feed(click_gone(STAFF, BcCb(action="cancel").pack()))
    assert app.t("ru", "bc-cancelled-draft") == session.last_text(STAFF)

    await feed(click_gone(STAFF, BcCb(action="fromevent", id=event.id).pack()))
    await feed(click_gone(STAFF, BcCb(action="aud", value="ru").pack()))
    await feed(click_gone(STAFF, BcCb(action="send").pack()))
    assert "№ 1" in session.last_text(STAFF)  # the progress message, sent anew
    async with app.db.connection() as conn:
        rows = list(await conn.execute(select(outbox).where(outbox.c.kind == "broadcast")))
    assert len(rows) == 3  # two Russian speakers and the staff member


async def test_a_button_on_a_notice_from_long_ago_unsubscribes(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    await feed(click_gone(201, BcCb(action="unsub").pack()))
    user = await app.users.get(201)
    assert user is not None and not user.subscribed


OUT_OF_RANGE = (
    "bc:pause::99999999999999999999999999999999",
    "bc:stop::99999999999999999999",
    "bc:resume::-1",
    "bc:fromevent::99999999999999999999999999",
    "bc:pause::1e9",
    "bc:nonsense::1",
    "bc:pause",
    "bc:pause::1:2:3",
    "bc:aud:" + "x" * 60 + ":0",
    "bc:aud:CITY:0",
    "m:nowhere",
    "lang:" + "k" * 100,
    "set:setcity:" + "y" * 57,
    "set:nothing:",
    "cstart:maybe::",
)


@pytest.mark.parametrize("data", OUT_OF_RANGE)
async def test_forged_or_out_of_range_buttons_say_expired(
    data: str, feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    session.clear()
    await feed(updates.click(STAFF, data))
    (answer,) = answers(session)
    assert answer.text == app.t("ru", "button-expired") and answer.show_alert


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("button", "bc:btnevent::99999999999999999999999"),
        ("audience", "bc:aud:event:99999999999999999999999"),
        ("audience", "bc:aud:city.nowhere:0"),
    ],
)
async def test_out_of_range_ids_inside_the_dialog(
    step: str, data: str, feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await people(feed)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Кабыл алуу"))
    await feed(updates.click(STAFF, BcCb(action="same").pack()))
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    if step == "audience":
        await feed(updates.click(STAFF, BcCb(action="nobutton").pack()))
    session.clear()
    await feed(updates.click(STAFF, data))
    (answer,) = answers(session)
    assert answer.text == app.t("ru", "button-expired") and answer.show_alert


async def test_no_step_begins_before_its_question_is_shown(
    app: AppContext, session: FakeSession, feed: Feed, caplog: pytest.LogCaptureFixture
) -> None:
    await people(feed)
    assert app.dispatcher is not None
    state = app.dispatcher.fsm.get_context(app.bot, STAFF, STAFF)
    session.fail_next(SendMessage, 400, "Bad Request: chat not found")
    with caplog.at_level(logging.CRITICAL):  # the error handler reports the failure; expected here
        await app.dispatcher.feed_update(app.bot, updates.message(STAFF, "/broadcast"))
    assert await state.get_state() is None
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Кабыл алуу"))
    session.fail_next(SendMessage, 400, "Bad Request: chat not found")
    with caplog.at_level(logging.CRITICAL):
        await app.dispatcher.feed_update(app.bot, updates.click(STAFF, BcCb(action="same").pack()))
    assert await state.get_state() == "Compose:ru"  # still on the step whose question was seen


async def test_event_titles_on_buttons_end_at_a_word(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    long_title = "ОБРАЗЕЦ: совместный приём Акыйкатчы и Уполномоченного по правам человека в Москве"
    await people(feed)
    await import_events(app, title_ru=long_title)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Кабыл алуу"))
    await feed(updates.click(STAFF, BcCb(action="same").pack()))
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    await feed(updates.click(STAFF, BcCb(action="btnevents").pack()))
    markup = session.sent(SendMessage, STAFF)[-1].reply_markup
    labels = [row[0].text for row in markup.inline_keyboard]
    assert labels and all(len(label) <= 60 and label.endswith("…") for label in labels)
    assert all(long_title.startswith(label[:-1]) and long_title[len(label) - 1] == " " for label in labels)


def test_event_notice_gives_each_reader_the_address_in_their_language() -> None:
    from datetime import UTC, datetime

    from bot.broadcasts.render import event_notice
    from bot.events.models import Event
    from bot.i18n import Translator
    from bot.paths import LOCALES_DIR

    t = Translator.load(LOCALES_DIR)
    start = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
    fields = dict(
        id=1, key="k", kind="reception", organisers="o", title_ky="Кабыл алуу", title_ru="Приём",
        description_ky="", description_ru="", bring_ky=None, bring_ru=None, starts_at=start,
        ends_at=start, timezone="Europe/Moscow", city=None, map_url=None, online=False, platform=None,
        link=None, link_public=False, capacity=None, registration=True, status="scheduled", version=1,
    )  # fmt: skip
    both = Event(**fields, address="ул. Примерная, 1", address_ky="Примерная көчөсү, 1")
    assert "Примерная көчөсү, 1" in event_notice(t, "ky", both)
    assert "ул. Примерная, 1" in event_notice(t, "ru", both)
    russian_only = Event(**fields, address="ул. Примерная, 1", address_ky=None)
    assert "ул. Примерная, 1" in event_notice(t, "ky", russian_only)  # shown, marked as Russian
