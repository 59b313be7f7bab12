"""A broadcast enqueued from the CLI while the bot runs: each person in their language, a 429 waited
out, a user who blocked the bot marked and skipped, counts reported by `broadcast status`."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import ROOT, BotProcess, StartBot

pytestmark = pytest.mark.e2e
KY, RU, BLOCKER = (6201, 6202), (6203,), 6204


async def cli(bot: BotProcess, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "broadcast", *args, cwd=ROOT, env=bot.env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


async def test_cli_broadcast_reaches_everyone_once(tg: FakeTelegram, bot_process: StartBot) -> None:
    bot = await bot_process()
    for user in (*KY, *RU, BLOCKER):
        mark = tg.checkpoint()
        tg.user_sends(user, "/start")
        question = await tg.wait_message(user, button="Русский", since=mark)
        mark = tg.checkpoint()
        tg.user_clicks(user, question, "Кыргызча" if user in KY else "Русский")
        await tg.wait_message(user, since=mark)
    tg.block(BLOCKER)
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)

    broadcast_id = await cli(
        bot, "send", "--text-ky", "Кабыл алуу 28-ноябрда", "--text-ru", "Приём 28 ноября"
    )
    assert broadcast_id == "1"
    for user in KY:
        await tg.wait_message(user, "Кабыл алуу 28-ноябрда", timeout=30)
    for user in RU:
        await tg.wait_message(user, "Приём 28 ноября", timeout=30)

    async def finished() -> dict[str, int]:
        while True:
            status = json.loads(await cli(bot, "status", "1", "--json"))
            if status["remaining"] == 0:
                return status
            await asyncio.sleep(0.5)

    status = await asyncio.wait_for(finished(), 60)
    assert (status["sent"], status["blocked"], status["failed"]) == (3, 1, 0)
    assert any(c.error and "Too Many Requests" in c.error for c in tg.calls)
    # Exactly one notice per person, despite the 429.
    for user in (*KY, *RU):
        notices = [s for s in tg.outputs if s.chat_id == user and "28" in s.text]
        assert len(notices) == 1
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
