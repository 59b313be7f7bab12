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

from bot.middlewares.throttling import CLAIMED_UPDATE, Verdict

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
        if not isinstance(event, Update) or data.get(CLAIMED_UPDATE) == event.update_id:
            return await handler(event, data)  # flood control claimed it already (RedisFloodCounter)
        first = await self._redis.set(f"{self._prefix}:{event.update_id}", 1, nx=True, ex=DEDUPE_TTL)
        if not first:
            log.info("update %d already processed; dropped", event.update_id)
            return None
        return await handler(event, data)


# Sliding window per person. KEYS: hits (zset), warned[, update id claim]. ARGV: limit, window ms,
# member[, claim TTL s]. Returns 1 = go on, 0 = over the limit and already warned, -1 = over the limit,
# warn now, 2 = the update id was claimed before (not counted).
_HIT = """
if KEYS[3] and not redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[4]) then return 2 end
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
    person in a Redis sorted set, with TTLs). Given the update id, the same round trip claims it for
    dedupe (the key RedisDedupeMiddleware would set), so a person's message costs one trip for both."""

    claims_updates = True

    def __init__(self, redis: Any, prefix: str, limit: int, window: float) -> None:
        self._limit = limit
        self._window_ms = int(window * 1000)
        self._prefix = f"{prefix}:flood"
        self._updates = f"{prefix}:update"
        self._hit = redis.register_script(_HIT)

    async def hit(self, user_id: int, update_id: int | None = None) -> Verdict:
        keys = [f"{self._prefix}:{user_id}", f"{self._prefix}:{user_id}:warned"]
        args: list[Any] = [self._limit, self._window_ms, f"{time.time_ns()}-{uuid.uuid4().hex[:6]}"]
        if update_id is not None:
            keys.append(f"{self._updates}:{update_id}")
            args.append(DEDUPE_TTL)
        return Verdict(int(await self._hit(keys=keys, args=args)))
