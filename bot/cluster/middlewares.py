"""Update dedupe and flood control shared by all instances through Redis, with TTLs (no clean-up job).

Both run before anything is written to the database: a repeated update or a flooding person costs one
Redis round trip, not a transaction."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.middlewares.throttling import Verdict

log = logging.getLogger(__name__)
DEDUPE_TTL = 2 * 24 * 3600  # Telegram keeps undelivered updates for at most 24 hours


class RedisDedupeMiddleware(BaseMiddleware):
    """Same contract as bot.middlewares.dedupe.DedupeMiddleware: an update id is handled once, by
    whichever instance claims it first (SET NX)."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:update"

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        first = await self._redis.set(f"{self._prefix}:{event.update_id}", 1, nx=True, ex=DEDUPE_TTL)
        if not first:
            log.info("update %d already processed; dropped", event.update_id)
            return None
        return await handler(event, data)


# Sliding window per person. KEYS: hits (zset), warned. ARGV: limit, window ms, member.
# Returns 1 = go on, 0 = over the limit and already warned, -1 = over the limit, warn now.
_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 1
end
if redis.call('SET', KEYS[2], 1, 'NX', 'PX', window) then return -1 end
return 0
"""


class RedisFloodCounter:
    """bot.middlewares.throttling's flood counter, counted across all instances (a sliding window per
    person in a Redis sorted set, with TTLs)."""

    def __init__(self, redis: Any, prefix: str, limit: int, window: float) -> None:
        self._limit = limit
        self._window_ms = int(window * 1000)
        self._prefix = f"{prefix}:flood"
        self._hit = redis.register_script(_HIT)

    async def hit(self, user_id: int) -> Verdict:
        verdict = await self._hit(
            keys=[f"{self._prefix}:{user_id}", f"{self._prefix}:{user_id}:warned"],
            args=[self._limit, self._window_ms, f"{time.time_ns()}-{uuid.uuid4().hex[:6]}"],
        )
        return Verdict(int(verdict))
