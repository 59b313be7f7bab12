"""Fixtures for end-to-end tests: a FakeTelegram on 127.0.0.1 and the bot as a separate process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import TOKEN, BotProcess, StartBot


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot_process(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[StartBot]:
    started: list[BotProcess] = []

    async def start(mode: str = "polling", **env: str) -> BotProcess:
        process = await BotProcess(tg, tmp_path, mode, env).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        if process.process is not None:
            await process.process.wait()
