"""One send rate for the whole cluster, kept in Redis: every instance takes its slots from the same
schedule, so two instances at 25/s do not make 50/s.

The same GCRA as the in-process limiter (bot/outbox/limiter.py): the next free slot ("theoretical
arrival time") advances by a fixed spacing, with headroom below the configured rate (HEADROOM).
Per chat: one message a second; per group: twenty a minute. A 429's retry_after is a Redis key that
every instance's next slot waits for. Times are Redis's own clock (TIME), in microseconds, so the
instances' clocks need not agree. Each reservation is one Lua script: atomic across instances."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from bot.outbox.limiter import GROUP_PER_MINUTE, PRIVATE_INTERVAL

US = 1_000_000
# More headroom than in one process (0.97): a slot is granted by Redis, then slept for and sent by
# another process, and the jitter of that hand-over must still leave every one-second window at
# Telegram with at most the configured number (25 slots of 1/22.5 s span 1.07 s: 70 ms of slack).
HEADROOM = 0.9
LATE_TOLERANCE = 0.025
MAX_LATE_RETRIES = 5  # an overloaded instance still sends, rather than starve
GROUP_WINDOW = 60 * US

# KEYS: global TAT, pause-until, chat next-allowed, group window (zset).
# ARGV: spacing, chat interval, group limit, group window (all µs), is_group, member.
# Returns the microseconds to wait until the reserved slot.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local spacing, interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local limit, window = tonumber(ARGV[3]), tonumber(ARGV[4])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0),
  tonumber(redis.call('GET', KEYS[2]) or 0), tonumber(redis.call('GET', KEYS[3]) or 0))
if ARGV[5] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', string.format('%.0f', now - window))
  local recent = redis.call('ZRANGEBYSCORE', KEYS[4], string.format('%.0f', slot - window), '+inf')
  if #recent >= limit then
    slot = math.max(slot, tonumber(redis.call('ZSCORE', KEYS[4], recent[#recent - limit + 1])) + window)
  end
end
local function put(key, value, ttl_us)
  redis.call('SET', key, string.format('%.0f', value), 'PX', math.floor(ttl_us / 1000) + 1000)
end
put(KEYS[1], slot + spacing, slot + spacing - now)
put(KEYS[3], slot + interval, slot + interval - now)
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[4], string.format('%.0f', slot), ARGV[6])
  redis.call('PEXPIRE', KEYS[4], math.floor((slot - now + window) / 1000) + 1000)
end
return string.format('%.0f', slot - now)
"""

# KEYS: chat next-allowed, group window. ARGV: group limit, group window, is_group. Returns µs.
_CHAT_DELAY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = tonumber(redis.call('GET', KEYS[1]) or 0) - now
if ARGV[3] == '1' then
  local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
  local recent = redis.call('ZRANGEBYSCORE', KEYS[2], string.format('%.0f', now - window), '+inf')
  if #recent >= limit then
    wait = math.max(wait, tonumber(redis.call('ZSCORE', KEYS[2], recent[#recent - limit + 1])) + window - now)
  end
end
return string.format('%.0f', math.max(0, wait))
"""

# KEYS: pause-until. ARGV: seconds (µs) or 0 to read. Returns the µs of pause left.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
local wanted = now + tonumber(ARGV[1])
if tonumber(ARGV[1]) > 0 and wanted > current then
  redis.call('SET', KEYS[1], string.format('%.0f', wanted), 'PX', math.floor(tonumber(ARGV[1]) / 1000) + 1000)
  current = wanted
end
return string.format('%.0f', math.max(0, current - now))
"""


class RedisRateLimiter:
    """The cluster-wide counterpart of RateLimiter (same methods, see bot.outbox.limiter.Limiter)."""

    def __init__(self, redis: Any, prefix: str, rate: float, *, headroom: float = HEADROOM) -> None:
        if not 0 < rate <= 30:
            raise ValueError("rate must be in (0, 30] messages per second")
        self.rate = rate
        self.spacing_us = int(US / (rate * headroom)) + 1
        self._redis = redis
        self._prefix = f"{prefix}:rate"
        self._acquire = redis.register_script(_ACQUIRE)
        self._chat_delay = redis.register_script(_CHAT_DELAY)
        self._pause = redis.register_script(_PAUSE)

    def _chat_keys(self, chat_id: int) -> list[str]:
        return [f"{self._prefix}:chat:{chat_id}", f"{self._prefix}:group:{chat_id}"]

    async def chat_delay(self, chat_id: int) -> float:
        waited = await self._chat_delay(
            keys=self._chat_keys(chat_id), args=[GROUP_PER_MINUTE, GROUP_WINDOW, int(chat_id < 0)]
        )
        return int(waited) / US

    async def acquire(self, chat_id: int) -> None:
        chat_key, group_key = self._chat_keys(chat_id)
        keys = [f"{self._prefix}:global", f"{self._prefix}:pause", chat_key, group_key]
        for attempt in range(1, MAX_LATE_RETRIES + 2):
            asked = time.monotonic()
            wait = int(
                await self._acquire(
                    keys=keys,
                    args=[
                        self.spacing_us,
                        int(PRIVATE_INTERVAL * US),
                        GROUP_PER_MINUTE,
                        GROUP_WINDOW,
                        int(chat_id < 0),
                        uuid.uuid4().hex,
                    ],
                )
            )
            if wait > 0:
                await asyncio.sleep(wait / US)
            # A 429 seen by any instance while we waited: our slot is void, queue up after the pause.
            paused = int(await self._pause(keys=[keys[1]], args=[0]))
            if paused > 0:
                await asyncio.sleep(paused / US)
                continue
            # Woken too late (a busy event loop): sending now could bunch up with the next slots, so
            # take a fresh slot. Every send then happens within LATE_TOLERANCE of its slot, which
            # bounds any one-second window to (1 + tolerance) / spacing + 1 sends (24 at 25/s).
            late = time.monotonic() - asked - wait / US
            if late <= LATE_TOLERANCE or attempt > MAX_LATE_RETRIES:
                return

    async def pause(self, seconds: float) -> None:
        await self._pause(keys=[f"{self._prefix}:pause"], args=[int(seconds * US)])
