"""Pacing for outgoing traffic, as Telegram's Bot FAQ asks: about 30 messages per second overall,
one per second in a chat, twenty per minute in a group. One limiter serves the whole process.

Sends are given slots on a schedule kept in "virtual time" (GCRA): each slot is the previous slot plus
the spacing, not "now" plus the spacing, so the small lateness of every wake-up does not add up and the
achieved rate stays at the configured one. A headroom of a few per cent below the configured rate
absorbs the jitter between our clock and the moment a request reaches Telegram, so no one-second window
there sees more than the configured number."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

GROUP_PER_MINUTE = 20
PRIVATE_INTERVAL = 1.0
HEADROOM = 0.97


class Limiter(Protocol):
    """What the sender needs; RateLimiter (one process) and bot.cluster.limiter (Redis) provide it."""

    async def chat_delay(self, chat_id: int) -> float: ...

    async def acquire(self, chat_id: int) -> None: ...

    async def pause(self, seconds: float) -> None: ...


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        headroom: float = HEADROOM,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not 0 < rate <= 30:
            raise ValueError("rate must be in (0, 30] messages per second")
        if not 0 < headroom <= 1:
            raise ValueError("headroom must be in (0, 1]")
        self.rate = rate
        # A microsecond more per slot keeps float rounding from fitting one slot too many in a second.
        self.spacing = 1.0 / (rate * headroom) + 1e-6
        self._now = monotonic
        self._sleep = sleep
        self._next_slot = -math.inf
        self._paused_until = -math.inf
        self._chat_last: dict[int, float] = {}
        self._group_windows: dict[int, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def pause(self, seconds: float) -> None:
        """Stop all sending for `seconds` (Telegram answered 429 retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    async def chat_delay(self, chat_id: int) -> float:
        """Seconds until this chat may receive another message (0 when it may now)."""
        now = self._now()
        wait = self._chat_last.get(chat_id, -math.inf) + PRIVATE_INTERVAL - now
        if chat_id < 0:
            window = self._group_windows.get(chat_id)
            if window is not None:
                while window and window[0] <= now - 60.0:
                    window.popleft()
                if len(window) >= GROUP_PER_MINUTE:
                    wait = max(wait, window[0] + 60.0 - now)
        return max(0.0, wait)

    async def acquire(self, chat_id: int) -> None:
        """Wait for a global slot and record the send for `chat_id` (call chat_delay first)."""
        async with self._lock:
            while True:
                now = self._now()
                # An idle limiter starts from now: no credit is saved up for a burst later.
                slot = max(now, self._next_slot, self._paused_until)
                if slot <= now:
                    break
                await self._sleep(slot - now)
                if self._now() >= slot and self._paused_until <= slot:
                    break
            self._next_slot = slot + self.spacing
            sent_at = max(slot, self._now())
            self._chat_last[chat_id] = sent_at
            if chat_id < 0:
                self._group_windows.setdefault(chat_id, deque()).append(sent_at)
            if len(self._chat_last) > 50_000:
                self._forget_old(sent_at)

    def _forget_old(self, now: float) -> None:
        self._chat_last = {chat: at for chat, at in self._chat_last.items() if at > now - PRIVATE_INTERVAL}
