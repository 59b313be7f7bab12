"""Periodic jobs run on one instance at a time: the leader, elected through a Redis lease.

Each instance's APScheduler still fires every job, but a job body runs only where the leader lease is
held. The lease lives LEASE seconds and is renewed every RENEW seconds; when the leader dies, another
instance takes it within LEASE + RENEW seconds (40 s), well inside a minute. Every new leadership gets
a fencing token (a Redis counter): right before a job runs, the instance checks that the lease still
carries its own token, so a leader that stalled past its lease (GC pause, network split) and was
replaced does not run jobs alongside the new one.

The heartbeat job is not gated: it is this container's own liveness file (`python -m bot health`)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

LEASE = 30.0
RENEW = 10.0
LOCAL_JOBS = frozenset({"heartbeat"})

# KEYS: lease, epoch counter. ARGV: owner, lease ms. Returns the fencing token, or -1 (someone else).
_TAKE_OR_RENEW = """
local value = redis.call('GET', KEYS[1])
if not value then
  local token = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
  return token
end
local sep = string.find(value, '|', 1, true)
if string.sub(value, 1, sep - 1) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(string.sub(value, sep + 1))
end
return -1
"""

# KEYS: lease. ARGV: owner|token. Deletes the lease only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Leadership:
    def __init__(
        self, redis: Any, prefix: str, owner: str, *, lease: float = LEASE, renew: float = RENEW
    ) -> None:
        self._redis = redis
        self._key = f"{prefix}:leader"
        self._epoch = f"{prefix}:leader:epoch"
        self.owner = owner
        self.lease, self.renew = lease, renew
        self.token: int | None = None
        self._valid_until = 0.0
        self._take = redis.register_script(_TAKE_OR_RENEW)
        self._release = redis.register_script(_RELEASE)
        self._task: asyncio.Task[None] | None = None

    async def refresh(self) -> bool:
        """Take the lease if free, renew it if ours; returns whether we lead now."""
        started = time.monotonic()
        keys, args = [self._key, self._epoch], [self.owner, int(self.lease * 1000)]
        token = int(await self._take(keys=keys, args=args))
        if token < 0:
            if self.token is not None:
                log.warning("leadership lost to another instance")
            self.token = None
            return False
        if self.token != token:
            log.info("this instance now runs the periodic jobs (fencing token %d)", token)
        self.token = token
        # Counted from before the request: our view of the lease ends no later than Redis's.
        self._valid_until = started + self.lease
        return True

    async def holds(self) -> bool:
        """Fenced check before a job: the lease in Redis still carries our token."""
        if self.token is None or time.monotonic() >= self._valid_until:
            return False
        value = await self._redis.get(self._key)
        if isinstance(value, bytes):
            value = value.decode()
        return bool(value == f"{self.owner}|{self.token}")

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="leadership")

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:  # Redis briefly gone: we stop leading when our lease runs out
                log.exception("leadership: Redis unavailable")
            await asyncio.sleep(self.renew)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.token is not None:
            # Hand over at once instead of making the others wait for the lease to run out.
            with contextlib.suppress(Exception):
                await self._release(keys=[self._key], args=[f"{self.owner}|{self.token}"])
            self.token = None


class LeaderScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose jobs (except LOCAL_JOBS) run only on the leader. Features keep
    calling `app.scheduler.add_job(...)` exactly as in the single-process mode."""

    def __init__(self, leadership: Leadership, **options: Any) -> None:
        super().__init__(**options)
        self.leadership = leadership

    def add_job(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("id") in LOCAL_JOBS:
            return super().add_job(func, *args, **kwargs)
        leadership = self.leadership

        async def on_leader(*call_args: Any, **call_kwargs: Any) -> Any:
            if not await leadership.holds():
                return None
            result = func(*call_args, **call_kwargs)
            return await result if inspect.isawaitable(result) else result

        on_leader.__name__ = getattr(func, "__name__", "job")
        return super().add_job(on_leader, *args, **kwargs)

    def start(self, *args: Any, **kwargs: Any) -> None:
        super().start(*args, **kwargs)
        self.leadership.start()  # stopped (and the lease handed over) by Cluster.close
