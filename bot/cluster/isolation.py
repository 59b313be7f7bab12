"""Per-person event isolation across instances, and form state in Redis, in fewer round trips.

aiogram's FSM middleware takes the person's lock (RedisEventIsolation: SET NX, then a release script)
and then reads their form state (GET): three round trips on every update. `StateIsolation` sends the
lock's SET NX and the state's GET in one pipeline and hands the state it read to `SharedRedisStorage`,
whose next `get_state` for that key (the FSM middleware's, right after the lock) returns it without a
trip. The state is read after the lock was taken, as aiogram requires (aiogram issue 1317); a person
whose lock is held elsewhere waits as with redis-py's lock (polling every 0.1 s), and any write of the
state in between drops what was read.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage

LOCK_TIMEOUT_MS = 60_000  # aiogram's default for RedisEventIsolation: a crashed holder's lock expires
POLL_SECONDS = 0.1  # redis-py's lock polls as often

# KEYS: lock. ARGV: token. Deletes the lock only if it is still ours (it may have expired meanwhile).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class SharedRedisStorage(RedisStorage):
    """aiogram's RedisStorage that can be handed a state just read (by `StateIsolation`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read: dict[StorageKey, str | None] = {}

    def remember_read(self, key: StorageKey, state: str | None) -> None:
        self._read[key] = state

    def forget_read(self, key: StorageKey) -> None:
        self._read.pop(key, None)

    async def get_state(self, key: StorageKey) -> str | None:
        if key in self._read:
            return self._read.pop(key)  # once: later reads go to Redis
        return await super().get_state(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        self._read.pop(key, None)
        await super().set_state(key, state.state if isinstance(state, State) else state)

    async def close(self) -> None:
        # The Dispatcher closes its storage first at shutdown, while the sender still sends through the
        # same client: Cluster.close closes it, last.
        return None


class StateIsolation(BaseEventIsolation):
    def __init__(self, redis: Any, key_builder: KeyBuilder, storage: SharedRedisStorage) -> None:
        self._redis = redis
        self._keys = key_builder
        self._storage = storage
        self._release = redis.register_script(_RELEASE)

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        name = self._keys.build(key, "lock")
        token = uuid.uuid4().hex
        while True:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.set(name, token, nx=True, px=LOCK_TIMEOUT_MS)
                pipe.get(self._keys.build(key, "state"))
                taken, state = await pipe.execute()
            if taken:
                break
            await asyncio.sleep(POLL_SECONDS)
        self._storage.remember_read(key, state.decode() if isinstance(state, bytes) else state)
        try:
            yield None
        finally:
            self._storage.forget_read(key)
            await self._release(keys=[name], args=[token])

    async def close(self) -> None:
        return None
