"""The real entry point, as a separate process, talking HTTP to the fake Bot API."""

from __future__ import annotations

import json

import pytest

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import WEBHOOK_SECRET, StartBot

pytestmark = pytest.mark.e2e
USER = 5001


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_start_language_menu_and_commands(tg: FakeTelegram, bot_process: StartBot, mode: str) -> None:
    bot = await bot_process(mode)
    # Commands are set per language at start-up.
    await tg.wait_for(lambda: len(tg.calls_of("setMyCommands")) >= 3)
    languages = {key[1] for key in tg.commands}
    assert {"ky", "ru", ""} <= languages
    if mode == "webhook":
        assert tg.webhook is not None and tg.webhook["secret"] == WEBHOOK_SECRET

    # Telegram says "ru", but most Kyrgyz speakers use Telegram in Russian: the bot asks first.
    mark = tg.checkpoint()
    tg.user_sends(USER, "/start", language_code="ru")
    question = await tg.wait_message(USER, button="Кыргызча", since=mark)
    assert question.button("Кыргызча") and question.button("Русский")

    mark = tg.checkpoint()
    query = tg.user_clicks(USER, question, "Кыргызча")
    menu = await tg.wait_message(USER, since=mark)
    assert len(menu.buttons) >= 6
    await tg.wait_for(lambda: tg.answered(query) is not None)
    # The chat's own commands follow the chosen language.
    await tg.wait_for(lambda: any(c.params.get("scope") for c in tg.calls_of("setMyCommands")))

    mark = tg.checkpoint()
    tg.user_sends_file(USER, "sticker", emoji="👍")
    unsupported = await tg.wait_message(USER, since=mark)
    assert unsupported.text

    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
    assert "e2e-test-token" not in bot.log()  # the token is a secret


async def test_webhook_refuses_requests_without_the_secret(tg: FakeTelegram, bot_process: StartBot) -> None:
    from aiohttp import ClientSession

    bot = await bot_process("webhook")
    assert tg.webhook is not None
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 9, "type": "private"},
            "from": {"id": 9, "is_bot": False, "first_name": "X"},
            "text": "/start",
        },
    }
    async with ClientSession() as http:
        async with http.post(
            tg.webhook["url"], data=json.dumps(update), headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 401
        async with http.post(
            tg.webhook["url"], json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        ) as response:
            assert response.status == 401
    assert tg.messages(9) == []
    assert await bot.stop() == 0


async def test_state_survives_restart_and_bad_config_is_explained(
    tg: FakeTelegram, bot_process: StartBot
) -> None:
    bot = await bot_process()
    mark = tg.checkpoint()
    tg.user_sends(USER, "/start")
    question = await tg.wait_message(USER, button="Русский", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, question, "Русский")
    await tg.wait_message(USER, since=mark)
    assert await bot.stop() == 0

    # The language choice is stored: after a restart /menu answers in Russian without asking again.
    bot = await bot_process()
    mark = tg.checkpoint()
    tg.user_sends(USER, "/menu")
    menu = await tg.wait_message(USER, since=mark)
    assert "Кыргызча" not in [b.text for b in menu.buttons]
    assert await bot.stop() == 0


async def test_bad_configuration_exits_with_clear_lines(tg: FakeTelegram, bot_process: StartBot) -> None:
    with pytest.raises(AssertionError, match="exited with 2") as failure:
        await bot_process(ADMIN_IDS="not-a-number", SEND_RATE="100")
    message = str(failure.value)
    assert "ADMIN_IDS" in message and "SEND_RATE" in message
    assert "Traceback" not in message
