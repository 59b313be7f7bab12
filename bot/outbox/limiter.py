"""Pacing for outgoing traffic, as Telegram's Bot FAQ asks: about 30 messages per second overall,
one per second in a chat, twenty per minute in a group. One limiter serves the whole process."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

GROUP_PER_MINUTE = 20
PRIVATE_INTERVAL = 1.0


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not 0 < rate <= 30:
            raise ValueError("rate must be in (0, 30] messages per second")
        self.rate = rate
        self._capacity = max(1, math.floor(rate))  # sends allowed in any sliding one-second window
        self._spacing = 1.0 / rate  # spread sends evenly instead of bursting at the window start
        self._now = monotonic
        self._sleep = sleep
        self._window: deque[float] = deque()
        self._last = -math.inf
        self._paused_until = -math.inf
        self._chat_last: dict[int, float] = {}
        self._group_windows: dict[int, deque[float]] = {}
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Stop all sending for `seconds` (Telegram answered 429 retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def chat_delay(self, chat_id: int) -> float:
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
                while self._window and self._window[0] <= now - 1.0:
                    self._window.popleft()
                wait = max(self._paused_until - now, self._last + self._spacing - now)
                if len(self._window) >= self._capacity:
                    wait = max(wait, self._window[0] + 1.0 - now)
                if wait <= 0:
                    break
                await self._sleep(wait)
            self._window.append(now)
            self._last = now
            self._chat_last[chat_id] = now
            if chat_id < 0:
                self._group_windows.setdefault(chat_id, deque()).append(now)
            if len(self._chat_last) > 50_000:
                self._forget_old(now)

    def _forget_old(self, now: float) -> None:
        self._chat_last = {chat: at for chat, at in self._chat_last.items() if at > now - PRIVATE_INTERVAL}
