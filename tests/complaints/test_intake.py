"""The complaint form through the real Dispatcher: both languages, validation, urgency, idempotency,
a restart in the middle, and what the operators' group gets."""

from __future__ import annotations

from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Document, PhotoSize
from sqlalchemy import func, select

from bot.app import close, create_app
from bot.clock import FrozenClock
from bot.complaints.callbacks import IntakeCb
from bot.complaints.tables import complaints
from bot.config import Settings
from bot.context import AppContext
from bot.menu.callbacks import ComplainCb, LangCb
from bot.storage.tables import outbox
from tests.conftest import OPERATORS_CHAT, Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 8001


def last_text(session: FakeSession) -> str:
    return [c for c in session.calls if isinstance(c, (SendMessage, EditMessageText))][-1].text


async def press(feed: Feed, step: str, value: str = "", user: int = USER) -> None:
    await feed(updates.click(user, IntakeCb(step=step, value=value).pack()))


async def start(feed: Feed, locale: str = "ru", user: int = USER) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))
    await feed(updates.message(user, "/complaint"))


async def rows(app: AppContext, table: Any, *where: Any) -> list[Any]:
    async with app.db.connection() as conn:
        return list(await conn.execute(select(table).where(*where)))


async def fill_to_summary(feed: Feed, user: int = USER) -> None:
    await press(feed, "country", "ru", user)
    await feed(updates.message(user, "Москва"))
    await press(feed, "category", "wages", user)
    await feed(updates.message(user, "Работодатель не платит зарплату два месяца, стройка в Химках."))
    await press(feed, "done", user=user)
    await feed(updates.message(user, "с сентября"))
    await press(feed, "via", "chat", user)
    await press(feed, "noname", user=user)
    await press(feed, "agree", user=user)


async def test_full_intake_in_russian_gives_a_case_number_and_queues_the_card(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, "ru")
    assert "Где это произошло" in last_text(session)
    await fill_to_summary(feed)
    summary = last_text(session)
    assert "Проверьте обращение" in summary and "Москва" in summary and "с сентября" in summary
    await press(feed, "send")
    assert "Номер: <b>00001</b>" in last_text(session)
    [case] = await rows(app, complaints)
    assert case.category == "wages" and case.country == "ru" and case.status == "received"
    assert case.consent_version and case.consent_at is not None and case.name is None
    cards = await rows(app, outbox, outbox.c.kind == "case_card")
    assert len(cards) == 1 and cards[0].chat_id == OPERATORS_CHAT and "00001" in cards[0].payload["text"]


async def test_double_send_saves_one_case(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await start(feed, "ky")
    await fill_to_summary(feed)
    data = IntakeCb(step="send").pack()
    await feed(updates.click(USER, data))
    await feed(updates.click(USER, data))  # the second tap finds the form closed
    async with app.db.connection() as conn:
        assert (await conn.execute(select(func.count()).select_from(complaints))).scalar() == 1
    answers = session.sent(AnswerCallbackQuery)
    assert answers[-1].show_alert  # explained, not silent


async def test_kyrgyz_texts_and_validation(feed: Feed, session: FakeSession) -> None:
    await start(feed, "ky")
    assert "Бул кайсы өлкөдө болду" in last_text(session)
    await press(feed, "country", "kz")
    await press(feed, "skip")
    await press(feed, "category", "documents")
    await feed(updates.message(USER, "ж" * 3001))
    assert "өтө узун: 3\xa0001" in last_text(session)  # CLDR grouping
    await press(feed, "done")
    assert "Адегенде эмне болгонун" in (session.sent(AnswerCallbackQuery)[-1].text or "")
    await feed(updates.message(USER, "паспортумду кожоюн алып алды"))
    await feed(
        updates.message(
            USER,
            sticker={
                "file_id": "s",
                "file_unique_id": "u",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
    )
    assert "кошууга болбойт" in last_text(session)
    await press(feed, "done")
    await press(feed, "skip")
    await press(feed, "via", "phone")
    await feed(updates.message(USER, "позвоните мне"))
    assert "телефон номерине окшобойт" in last_text(session)
    await feed(updates.message(USER, "+7 900 123-45-67"))
    assert "Атыңыз ким" in last_text(session)


async def test_attachments_are_limited_and_copied_to_operators(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, "ru")
    await press(feed, "country", "ru")
    await press(feed, "skip")
    await press(feed, "category", "housing")
    await feed(updates.message(USER, "Хозяин выгоняет, вот договор"))
    photo = [PhotoSize(file_id="p", file_unique_id="pu", width=10, height=10, file_size=1000)]
    for _ in range(5):
        await feed(updates.message(USER, photo=photo))
    await feed(updates.message(USER, document=Document(file_id="d", file_unique_id="du", file_size=10)))
    assert "не больше 5 файлов" in last_text(session)
    await feed(
        updates.message(USER, document=Document(file_id="big", file_unique_id="bu", file_size=30 * 2**20))
    )
    assert "слишком большой" in last_text(session)
    await press(feed, "done")
    await press(feed, "skip")
    await press(feed, "via", "chat")
    await press(feed, "noname")
    await press(feed, "agree")
    await press(feed, "send")
    copies = await rows(app, outbox, outbox.c.kind == "case_file")
    assert len(copies) == 5 and all(c.method == "copyMessage" for c in copies)


async def test_urgent_start_skips_optional_steps(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    await feed(
        updates.click(USER, ComplainCb(urgent=True, category="police", topic="detention_rights").pack())
    )
    await press(feed, "country", "ru")
    assert "Опишите, что произошло" in last_text(session)  # no city, no category
    await feed(updates.message(USER, "Брата задержали у метро, держат в отделе"))
    await press(feed, "done")
    assert "Как с вами связаться" in last_text(session)  # no "when"
    await press(feed, "via", "chat")
    assert "Согласие" in last_text(session)  # no name
    await press(feed, "agree")
    await press(feed, "send")
    [case] = await rows(app, complaints)
    assert case.urgent and case.category == "police"
    [card] = await rows(app, outbox, outbox.c.kind == "case_card")
    assert card.priority < 20 and "СРОЧНО" in card.payload["text"]


async def test_story_describing_an_emergency_makes_the_case_urgent(feed: Feed, app: AppContext) -> None:
    await start(feed, "ru")
    await press(feed, "country", "ru")
    await press(feed, "skip")
    await press(feed, "category", "other")
    await feed(updates.message(USER, "нас заперли на складе и не выпускают"))
    await press(feed, "done")
    await press(feed, "via", "chat")
    await press(feed, "agree")
    await press(feed, "send")
    [case] = await rows(app, complaints)
    assert case.urgent


async def test_back_cancel_and_outdated_buttons(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await start(feed, "ru")
    await press(feed, "country", "ru")
    await press(feed, "back")
    assert "Где это произошло" in last_text(session)
    await press(feed, "category", "wages")  # a button of another step
    assert session.sent(AnswerCallbackQuery)[-1].show_alert
    await press(feed, "cancel")
    assert "отменено" in last_text(session)
    assert await rows(app, complaints) == []


async def test_form_survives_a_restart(
    settings: Settings, session: FakeSession, clock: FrozenClock, app: AppContext, feed: Feed
) -> None:
    await start(feed, "ru")
    await press(feed, "country", "ru")
    await feed(updates.message(USER, "Казань"))
    # A new process: same database, new dispatcher and FSM storage objects.
    second = create_app(settings, session=session, clock=clock)
    try:
        assert second.dispatcher is not None
        await second.dispatcher.feed_update(
            second.bot, updates.click(USER, IntakeCb(step="category", value="police").pack())
        )
        assert "Опишите, что произошло" in last_text(session)
    finally:
        await close(second)
