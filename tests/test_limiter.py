"""The rate limiter on a fake clock: slots never closer than the spacing, lateness does not add up,
429 pauses everyone, chats and groups keep Telegram's own limits."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.outbox.limiter import GROUP_PER_MINUTE, RateLimiter


class FakeTime:
    """A monotonic clock whose sleeps wake a little late, like a busy event loop does."""

    def __init__(self, lateness: float = 0.0) -> None:
        self.now = 1000.0
        self.lateness = lateness

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.lateness
        await asyncio.sleep(0)


def most_in_one_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def test_late_wakeups_do_not_lower_the_rate() -> None:
    clock = FakeTime(lateness=0.005)  # 5 ms late on every sleep: 12 % of a 40 ms spacing
    limiter = RateLimiter(25, monotonic=clock.monotonic, sleep=clock.sleep)
    times = []
    for chat in range(1, 501):
        await limiter.acquire(chat)
        times.append(clock.now)
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert 24.0 <= achieved <= 25.0
    assert most_in_one_second(times) <= 25


async def test_never_above_the_rate_in_any_second() -> None:
    clock = FakeTime()
    limiter = RateLimiter(30, headroom=1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    times = []
    for chat in range(1, 301):
        await limiter.acquire(chat)
        times.append(clock.now)
    assert most_in_one_second(times) <= 30


async def test_idle_time_is_not_saved_up_for_a_burst() -> None:
    clock = FakeTime()
    limiter = RateLimiter(10, headroom=1.0, monotonic=clock.monotonic, sleep=clock.sleep)
    await limiter.acquire(1)
    clock.now += 60  # a quiet minute
    times = []
    for chat in range(2, 12):
        await limiter.acquire(chat)
        times.append(clock.now)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.1 - 1e-9


async def test_a_429_pauses_every_sender() -> None:
    clock = FakeTime()
    limiter = RateLimiter(25, monotonic=clock.monotonic, sleep=clock.sleep)
    await limiter.acquire(1)
    await limiter.pause(3)
    paused_at = clock.now
    await limiter.acquire(2)
    assert clock.now >= paused_at + 3


async def test_one_message_a_second_per_chat_and_twenty_a_minute_per_group() -> None:
    clock = FakeTime()
    limiter = RateLimiter(25, monotonic=clock.monotonic, sleep=clock.sleep)
    await limiter.acquire(7)
    assert await limiter.chat_delay(7) == pytest.approx(1.0)
    assert await limiter.chat_delay(8) == 0
    for _ in range(GROUP_PER_MINUTE):
        clock.now += await limiter.chat_delay(-100)
        await limiter.acquire(-100)
    assert await limiter.chat_delay(-100) > 1.0  # the 21st group message waits for the minute to roll


def test_the_rate_must_be_one_telegram_allows() -> None:
    with pytest.raises(ValueError):
        RateLimiter(31)
    with pytest.raises(ValueError):
        RateLimiter(0)
