"""The fake Bot API behaves like Telegram for what the bot uses, through aiogram's real HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web

from bot.simulator.server import FakeTelegram

TOKEN = "123:simulated"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession()
    session.api = TelegramAPIServer.from_base(tg.url)
    client = Bot(TOKEN, session=session)
    yield client
    await session.close()


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=f"cb:{label}")] for label in labels]
    )


async def test_get_me_and_wrong_token(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "test_bot"
    session = AiohttpSession()
    session.api = TelegramAPIServer.from_base(tg.url)
    with pytest.raises(TelegramUnauthorizedError):
        await Bot("999:other", session=session).get_me()
    await session.close()


async def test_send_and_edit_message_with_buttons(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(
        42, "<b>Салам</b> &lt;дос&gt;", parse_mode="HTML", reply_markup=keyboard("Ок")
    )
    message = tg.messages(42)[0]
    assert message.text == "Салам <дос>"
    assert message.button("ок").callback_data == "cb:Ок"
    await bot.edit_message_text("Жаңы", chat_id=42, message_id=sent.message_id)
    assert tg.messages(42)[0].text == "Жаңы" and tg.messages(42)[0].buttons == []
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Жаңы", chat_id=42, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)


@pytest.mark.parametrize("text", ["a < b", "<x>tag</x>", "<b>open", "</i>", ""])
async def test_refuses_what_telegram_refuses(bot: Bot, text: str) -> None:
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(42, text, parse_mode="HTML")


async def test_refuses_long_text_and_bad_buttons(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(42, "а" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(42, "x", reply_markup=keyboard("ы" * 40))


async def test_errors_as_telegram_documents_them(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(42, "x")
    assert retry.value.retry_after == 3
    await bot.send_message(42, "x")  # only the next call failed
    tg.block(42)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(42, "x")
    tg.migrate(-5, -1005)
    with pytest.raises(TelegramMigrateToChat) as migrated:
        await bot.send_message(-5, "x")
    assert migrated.value.migrate_to_chat_id == -1005
    tg.forget_chat(43)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(43, "x")
    with pytest.raises(TelegramNotFound):
        await bot(_Unknown())


class _Unknown(TelegramMethod[bool]):
    __returning__ = bool
    __api_method__ = "noSuchMethod"


async def test_enforced_flood_limits(bot: Bot) -> None:
    tg_limited = FakeTelegram(enforce_limits=True)
    async with tg_limited:
        session = AiohttpSession()
        session.api = TelegramAPIServer.from_base(tg_limited.url)
        limited = Bot(TOKEN, session=session)
        await limited.send_message(1, "a")
        await limited.send_message(1, "b")
        with pytest.raises(TelegramRetryAfter):
            await limited.send_message(1, "c")  # a burst into one chat
        for chat in range(100, 128):
            await limited.send_message(chat, "x")
        with pytest.raises(TelegramRetryAfter):
            await limited.send_message(999, "over 30 per second")
        await session.close()


async def test_long_polling_delivers_user_messages_and_clicks(tg: FakeTelegram, bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == []
    tg.user_sends(42, "/start", language_code="ru")
    updates = await bot.get_updates(timeout=5)
    assert updates[0].message is not None and updates[0].message.text == "/start"
    await bot.send_message(42, "menu", reply_markup=keyboard("Темы"))
    query_id = tg.user_clicks(42, tg.messages(42)[0], "Темы")
    updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=5)
    assert updates[0].callback_query is not None and updates[0].callback_query.data == "cb:Темы"
    await bot.answer_callback_query(query_id)
    assert tg.answered(query_id) is not None
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)


async def test_documents_copies_and_commands(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_document(42, BufferedInputFile(b"BEGIN:VCALENDAR", filename="event.ics"), caption="ics")
    document = tg.messages(42)[0].document
    assert document is not None and document["file_name"] == "event.ics"
    assert tg.files[document["file_id"]] == b"BEGIN:VCALENDAR"
    user_message = tg.user_sends(42, "менин арызым")
    await bot.copy_message(-100, from_chat_id=42, message_id=user_message["message_id"])
    assert tg.messages(-100)[0].text == "менин арызым"
    await bot.set_my_commands([BotCommand(command="start", description="Баштоо")], language_code="ky")
    assert [c.command for c in await bot.get_my_commands(language_code="ky")] == ["start"]
    with pytest.raises(TelegramBadRequest):
        await bot.set_my_commands([BotCommand(command="Bad-Command", description="x")])
    tg.forums.add(-100)
    assert (await bot.get_chat(-100)).is_forum
    topic = await bot.create_forum_topic(-100, name="№ 00001")
    await bot.send_message(-100, "в теме", message_thread_id=topic.message_thread_id)
    tg.delete_topic(-100, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="thread not found"):
        await bot.send_message(-100, "в теме", message_thread_id=topic.message_thread_id)


async def test_webhook_push_with_secret_and_conflict(tg: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    answers = iter([500, 200, 200])

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.json_response({}, status=next(answers))

    server = web.Application()
    server.router.add_post("/hook", hook)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(TelegramConflictError):
            await bot.get_updates()
        tg.user_sends(42, "салам")
        await tg.wait_for(lambda: len(received) == 2)  # the first answer was 500: redelivered
        assert received[0] == received[1]
        assert received[1][0] == "s3cret"
    finally:
        await bot.delete_webhook()
        await runner.cleanup()


async def test_the_bots_session_sends_json_and_files_as_multipart(tg: FakeTelegram) -> None:
    """bot/telegram/json_session.py: what the form would send, as one JSON body (files: multipart)."""
    import json

    from aiogram.methods import SendDocument, SendMessage
    from aiohttp import BytesPayload, FormData

    from bot.telegram.json_session import JsonSession

    session = JsonSession()
    session.api = TelegramAPIServer.from_base(tg.url)
    client = Bot(TOKEN, session=session)
    try:
        markup = keyboard("Ок")
        method = SendMessage(chat_id=42, text="Салам", reply_markup=markup, disable_notification=False)
        body = session.build_form_data(client, method)
        assert isinstance(body, BytesPayload) and body.content_type == "application/json"
        assert json.loads(body._value) == {
            "chat_id": 42,
            "text": "Салам",
            "disable_notification": False,
            "reply_markup": {"inline_keyboard": [[{"text": "Ок", "callback_data": "cb:Ок"}]]},
        }
        upload = SendDocument(chat_id=42, document=BufferedInputFile(b"BEGIN:VCALENDAR", filename="e.ics"))
        assert isinstance(session.build_form_data(client, upload), FormData)
        await client.send_message(42, "<b>Салам</b>", parse_mode="HTML", reply_markup=keyboard("Ок"))
        await client.send_document(42, BufferedInputFile(b"BEGIN:VCALENDAR", filename="e.ics"), caption="ics")
        text, document = tg.messages(42)
        assert text.text == "Салам" and text.button("ок").callback_data == "cb:Ок"
        assert document.document is not None and tg.files[document.document["file_id"]] == b"BEGIN:VCALENDAR"
    finally:
        await session.close()


async def test_a_shared_keyboard_is_prepared_once_and_sent_unchanged(tg: FakeTelegram) -> None:
    import json

    from aiogram.methods import SendMessage

    from bot.telegram.json_session import JsonSession, shared

    session = JsonSession()
    session.api = TelegramAPIServer.from_base(tg.url)
    client = Bot(TOKEN, session=session)
    try:
        menu = shared(keyboard("Суроо", "Арыз"))

        def body(markup: InlineKeyboardMarkup) -> object:
            payload = session.build_form_data(client, SendMessage(chat_id=42, text="x", reply_markup=markup))
            return json.loads(payload._value)

        assert body(menu) == body(keyboard("Суроо", "Арыз")) == body(menu)
        for _ in range(2):
            await client.send_message(42, "Меню", reply_markup=menu)
        assert [m.button("арыз").callback_data for m in tg.messages(42)] == ["cb:Арыз", "cb:Арыз"]
    finally:
        await session.close()
