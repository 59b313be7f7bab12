"""Complaint tests click through long forms quickly: a higher flood limit than a person would hit."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.config import Settings
from bot.outbox.limiter import RateLimiter


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"flood_limit": 200})


@pytest.fixture
def deliver(app: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Awaitable[int]]:
    """Deliver every due outbox row through the real Sender (and its hooks) against the fake session;
    the limiter's clock jumps ahead, so a test never waits for Telegram's pacing."""
    ticks = itertools.count(step=100)
    monkeypatch.setattr(app.sender, "_limiter", RateLimiter(30, monotonic=lambda: float(next(ticks))))

    async def run() -> int:
        delivered = 0
        while items := await app.outbox.claim(10):
            for item in items:
                await app.sender.deliver(item)
                delivered += 1
        return delivered

    return run
