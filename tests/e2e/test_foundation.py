"""The real entry point, as a separate process, talking HTTP to the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import TOKEN, WEBHOOK_SECRET, BotProcess, StartBot, free_port

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


async def _wait_log(bot: BotProcess, text: str, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in bot.log():
        if loop.time() > deadline:
            raise AssertionError(f"{text!r} not logged; log:\n{bot.log()}")
        await asyncio.sleep(0.1)


def _clean_exit(log: str) -> None:
    assert "Traceback" not in log, log
    assert "Unclosed" not in log, log  # aiohttp's "Unclosed client session" / "Unclosed connector"


async def test_rejected_token_is_one_line_and_a_non_zero_exit(
    tg: FakeTelegram, bot_process: StartBot
) -> None:
    # FakeTelegram answers 401 to any other token, as Telegram does to a revoked one.
    with pytest.raises(AssertionError, match="exited with 2") as failure:
        await bot_process(BOT_TOKEN="999999:RevokedTokenSecret")
    log = str(failure.value)
    assert "Telegram rejected the token (401" in log
    assert "RevokedTokenSecret" not in log
    _clean_exit(log)


async def test_unreachable_telegram_is_retried_until_it_answers(tmp_path: Path) -> None:
    tg = FakeTelegram(token=TOKEN)
    tg.port = free_port()  # nothing listens there yet: connection refused
    bot = BotProcess(tg, tmp_path, "polling", {"TELEGRAM_TIMEOUT": "2"})
    starting = asyncio.ensure_future(bot.start(timeout=60))
    try:
        await _wait_log(bot, f"cannot reach TELEGRAM_API_URL {tg.url} (connection refused), retrying in 1 s")
        assert not starting.done() and TOKEN.split(":")[1] not in bot.log()
        await tg.start(tg.port)  # Telegram is back
        await starting
        mark = tg.checkpoint()
        tg.user_sends(USER, "/start")
        await tg.wait_message(USER, button="Кыргызча", since=mark)
        assert await bot.stop() == 0
        _clean_exit(bot.log())
    finally:
        starting.cancel()
        bot.kill()
        await tg.stop()


async def test_telegram_that_never_answers_is_retried_and_stop_is_clean(tmp_path: Path) -> None:
    """A firewall that drops packets: the connection opens, no answer ever comes."""
    held: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tg = FakeTelegram(token=TOKEN)
    tg.port = port
    bot = BotProcess(tg, tmp_path, "polling", {"TELEGRAM_TIMEOUT": "1"})
    starting = asyncio.ensure_future(bot.start(timeout=60))
    try:
        await _wait_log(
            bot, f"cannot reach TELEGRAM_API_URL {tg.url} (no answer within 1 s), retrying in 1 s"
        )
        await _wait_log(bot, "retrying in 2 s")  # back-off
        assert not starting.done()
        assert await bot.stop(timeout=10) == 0  # SIGTERM while waiting for Telegram
        _clean_exit(bot.log())
    finally:
        starting.cancel()
        bot.kill()
        for writer in held:
            writer.close()
        server.close()


async def test_outage_while_polling_is_survived(tg: FakeTelegram, bot_process: StartBot) -> None:
    bot = await bot_process(TELEGRAM_TIMEOUT="2")
    port = tg.port
    await tg.stop()  # Telegram goes away while the bot is polling
    await _wait_log(bot, "Failed to fetch updates")
    assert bot.process is not None and bot.process.returncode is None  # still running
    tg._closing = False  # the same fake server comes back on the same port
    await tg.start(port)
    mark = tg.checkpoint()
    tg.user_sends(USER, "/start")
    await tg.wait_message(USER, button="Кыргызча", since=mark, timeout=30)
    assert await bot.stop() == 0
    _clean_exit(bot.log())


async def test_webhook_answers_400_to_malformed_bodies(tg: FakeTelegram, bot_process: StartBot) -> None:
    from aiohttp import ClientSession

    marker = "BodyContentMarker"
    bodies = {
        "truncated JSON": b'{"update_id": 5, "message": {"text": "' + marker.encode(),
        "empty body": b"",
        "null": b"null",
        "array": b'["' + marker.encode() + b'"]',
        "update_id as text": json.dumps({"update_id": marker}).encode(),
        "invalid UTF-8": b'{"update_id": 1, "text": "\xff\xfe' + marker.encode() + b'"}',
        "deep nesting": b'{"update_id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    }
    bot = await bot_process("webhook", LOG_LEVEL="DEBUG")
    assert tg.webhook is not None
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with ClientSession() as http:
        for case, body in bodies.items():
            before = bot.log().count("malformed update")
            async with http.post(tg.webhook["url"], data=body, headers=headers) as response:
                assert response.status == 400, case
            await _wait_log_count(bot, "malformed update", before + 1)
    # The bot still works afterwards.
    mark = tg.checkpoint()
    tg.user_sends(USER, "/start")
    await tg.wait_message(USER, button="Кыргызча", since=mark)
    assert await bot.stop() == 0
    log = bot.log()
    assert log.count("malformed update") == len(bodies)
    assert marker not in log
    _clean_exit(log)
    # LOG_LEVEL=DEBUG: still no secret in the log.
    assert TOKEN.split(":")[1] not in log and WEBHOOK_SECRET not in log


async def _wait_log_count(bot: BotProcess, text: str, count: int, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while bot.log().count(text) < count:
        if loop.time() > deadline:
            raise AssertionError(f"{text!r} not logged {count} times; log:\n{bot.log()}")
        await asyncio.sleep(0.05)


async def _throwaway_postgres() -> str | None:
    """A new database on the local PostgreSQL (trust auth), or None if there is none."""
    try:
        import asyncpg
    except ImportError:
        return None
    name = f"bot_e2e_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def _drop_postgres(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def test_no_secret_in_debug_logs(tg: FakeTelegram, bot_process: StartBot) -> None:
    """LOG_LEVEL=DEBUG, a database password in DATABASE_URL: the log holds neither it nor the token,
    nor what people wrote (SQL parameters)."""
    password = "PgDebugPassw0rd"
    name = await _throwaway_postgres()
    if name is None:
        pytest.skip("no local PostgreSQL on 127.0.0.1:5432")
    try:
        bot = await bot_process(
            LOG_LEVEL="DEBUG", DATABASE_URL=f"postgresql+asyncpg://postgres:{password}@127.0.0.1:5432/{name}"
        )
        mark = tg.checkpoint()
        tg.user_sends(USER, "/start")
        question = await tg.wait_message(USER, button="Русский", since=mark)
        mark = tg.checkpoint()
        tg.user_clicks(USER, question, "Русский")
        await tg.wait_message(USER, since=mark)
        mark = tg.checkpoint()
        tg.user_sends(USER, "мой телефон 0555123456 DebugPersonalText")
        await tg.wait_message(USER, since=mark)
        assert await bot.stop() == 0
        log = bot.log()
        assert "DEBUG" in log  # the level took effect
        for secret in (password, TOKEN.split(":")[1], "0555123456", "DebugPersonalText"):
            assert secret not in log, secret
        _clean_exit(log)
    finally:
        await _drop_postgres(name)


async def test_token_revoked_while_running_stops_with_one_line(
    tg: FakeTelegram, bot_process: StartBot
) -> None:
    bot = await bot_process()
    tg.token = "111111:SomeOtherToken"  # from now on the bot's token gets 401, as after a revocation
    assert bot.process is not None
    async with asyncio.timeout(40):
        code = await bot.process.wait()
    assert code == 2
    log = bot.log()
    assert "Telegram rejected the token (401" in log
    _clean_exit(log)
