"""The conversation skeleton through the real Dispatcher: language first, then the menu."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery, SendMessage, SetMyCommands

from bot.context import AppContext
from bot.menu.callbacks import Area, LangCb, MenuCb, SettingsAction, SettingsCb
from tests.conftest import Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 5001


def buttons(call: SendMessage) -> list[str]:
    assert call.reply_markup is not None
    return [b.callback_data or "" for row in call.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]


async def test_first_start_asks_language_even_for_russian_telegram(feed: Feed, session: FakeSession) -> None:
    await feed(updates.message(USER, "/start", language_code="ru"))
    call = session.sent(SendMessage, USER)[-1]
    assert "Тилди тандаңыз" in call.text and "Выберите язык" in call.text
    assert buttons(call) == [LangCb(code="ky").pack(), LangCb(code="ru").pack()]


async def test_choosing_kyrgyz_shows_kyrgyz_menu_and_sets_chat_commands(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await feed(updates.message(USER, "/start", language_code="ru"))
    await feed(updates.click(USER, LangCb(code="ky").pack(), language_code="ru"))
    assert "Саламатсызбы" in session.last_text(USER)
    user = await app.users.get(USER)
    assert user is not None and user.locale == "ky"
    chat_commands = [c for c in session.sent(SetMyCommands) if c.scope and c.scope.type == "chat"]
    assert chat_commands and chat_commands[-1].commands[0].description == "Кайра баштоо"
    assert "broadcast" not in {c.command for c in chat_commands[-1].commands}  # not staff
    # From now on the stored choice wins over Telegram's "ru".
    await feed(updates.message(USER, "/menu", language_code="ru"))
    assert "Башкы меню" in session.last_text(USER)


async def test_russian_choice_and_switching_back(feed: Feed, session: FakeSession) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    assert "Здравствуйте" in session.last_text(USER)
    await feed(updates.message(USER, "/language"))
    await feed(updates.click(USER, LangCb(code="ky").pack()))
    assert "кыргызча" in session.last_text(USER)


async def test_every_menu_area_answers(feed: Feed, session: FakeSession) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    for area in Area:
        session.clear()
        await feed(updates.click(USER, MenuCb(area=area).pack()))
        assert session.texts(USER), f"no answer for {area}"


async def test_settings_city_and_notifications(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    await feed(updates.click(USER, SettingsCb(action=SettingsAction.SET_CITY, value="novosibirsk").pack()))
    assert "Новосибирск" in session.last_text(USER)
    await feed(updates.click(USER, SettingsCb(action=SettingsAction.NOTIFY, value="0").pack()))
    user = await app.users.get(USER)
    assert user is not None and user.city == "novosibirsk" and user.timezone == "Asia/Novosibirsk"
    assert not user.subscribed
    assert "выключены" in session.last_text(USER)


async def test_forged_and_outdated_buttons_do_nothing_but_explain(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    session.clear()
    for data in ("m:nonexistent", "set:setcity:atlantis", "garbage", "lang:en"):
        await feed(updates.click(USER, data))
    answers = session.sent(AnswerCallbackQuery)
    assert len(answers) == 4 and all(a.show_alert for a in answers)
    user = await app.users.get(USER)
    assert user is not None and user.city is None and user.locale == "ru"


async def test_unsupported_content_and_unknown_command(feed: Feed, session: FakeSession) -> None:
    from aiogram.types import Location

    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ky").pack()))
    await feed(updates.message(USER, None, location=Location(latitude=55.7, longitude=37.6)))
    assert "стикер" in session.last_text(USER)
    await feed(updates.message(USER, "/nosuchcommand"))
    assert "Мындай буйрук жок" in session.last_text(USER)


async def test_duplicate_update_is_handled_once(feed: Feed, session: FakeSession) -> None:
    update = updates.message(USER, "/start")
    await feed(update)
    await feed(update)
    assert len(session.sent(SendMessage, USER)) == 1


async def test_flood_gets_one_friendly_warning(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    session.clear()
    for _ in range(app.settings.flood_limit + 5):
        await feed(updates.message(USER, "/help"))
    texts = session.texts(USER)
    assert sum("слишком часто" in text for text in texts) == 1
    assert len(texts) <= app.settings.flood_limit + 1
    # Another person is not affected.
    await feed(updates.message(USER + 1, "/start"))
    assert "Тилди тандаңыз" in session.last_text(USER + 1)


async def test_forget_deletes_the_user(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ru").pack()))
    await feed(updates.message(USER, "/forget"))
    await feed(updates.click(USER, SettingsCb(action=SettingsAction.FORGET_YES).pack()))
    assert "удалены" in session.last_text(USER)
    assert await app.users.get(USER) is None


async def test_handler_error_gets_an_apology_in_the_users_language(
    feed: Feed, session: FakeSession, app: AppContext, caplog: object
) -> None:
    await feed(updates.message(USER, "/start"))
    await feed(updates.click(USER, LangCb(code="ky").pack()))

    async def broken(_user_id: int) -> None:
        raise RuntimeError("boom")

    app.eraser.register(broken)
    assert app.dispatcher is not None  # fed directly: `feed` refuses handler errors
    await app.dispatcher.feed_update(
        app.bot, updates.click(USER, SettingsCb(action=SettingsAction.FORGET_YES).pack())
    )
    assert "Кечиресиз" in session.last_text(USER)
    # The log names the update and the error type only, never the user's data.
    record = next(r for r in caplog.records if r.name == "bot.menu.fallback")  # type: ignore[attr-defined]
    assert "RuntimeError" in record.getMessage() and str(USER) not in record.getMessage()


async def test_blocked_while_answering_marks_user_and_sends_no_apology(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await feed(updates.message(USER, "/start"))
    session.clear()
    session.fail_next(SendMessage, 403, "Forbidden: bot was blocked by the user")
    await feed(updates.message(USER, "/help"))
    assert len(session.sent(SendMessage)) == 1  # the refused answer, and no apology after it
    user = await app.users.get(USER)
    assert user is not None and user.blocked


async def test_staff_see_their_commands_in_their_own_chat(feed: Feed, session: FakeSession) -> None:
    from tests.conftest import STAFF

    await feed(updates.message(STAFF, "/start"))
    await feed(updates.click(STAFF, LangCb(code="ru").pack()))
    (menu,) = [c for c in session.sent(SetMyCommands) if c.scope and c.scope.type == "chat"]
    names = {c.command for c in menu.commands}
    assert {"broadcast", "event_new", "events_admin", "events"} <= names and "kb_reload" not in names
    assert menu.scope.chat_id == STAFF


async def test_the_operators_group_gets_the_queue_commands(app: AppContext, session: FakeSession) -> None:
    from bot.app import prepare
    from tests.conftest import OPERATORS_CHAT

    await prepare(app)
    app.scheduler.remove_all_jobs()
    group = [c for c in session.sent(SetMyCommands) if c.scope and c.scope.type == "chat"]
    assert [c.scope.chat_id for c in group] == [OPERATORS_CHAT]
    assert [c.command for c in group[0].commands] == ["queue", "case", "stats", "export"]
