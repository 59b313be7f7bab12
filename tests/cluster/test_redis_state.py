"""Shared short-lived state in Redis: one send rate for all instances, 429 pauses everyone, leader
election with takeover, update dedupe and flood control across instances."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.cluster.leader import LeaderScheduler, Leadership
from bot.cluster.limiter import RedisRateLimiter
from tests.cluster.conftest import needs_servers

pytestmark = needs_servers


def max_in_window(stamps: list[float], window: float = 1.0) -> int:
    stamps = sorted(stamps)
    best, start = 0, 0
    for end, at in enumerate(stamps):
        while at - stamps[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_two_limiters_share_one_rate(redis: Any, prefix: str) -> None:
    # Two "instances" (separate limiter objects, as in two processes), four senders each as the
    # outbox sender has, together sending 60 messages at a configured 25/s.
    a, b = RedisRateLimiter(redis, prefix, 25), RedisRateLimiter(redis, prefix, 25)
    chats = iter(range(1000, 1060))
    stamps: list[float] = []

    async def worker(limiter: RedisRateLimiter) -> None:
        for chat in chats:
            await limiter.acquire(chat)
            stamps.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(worker(limiter) for limiter in (a, b) for _ in range(4)))
    assert len(stamps) == 60 and max_in_window(stamps) <= 25
    assert time.monotonic() - started >= 59 / 25  # the two together, not 25/s each


async def test_one_chat_gets_one_message_a_second_across_instances(redis: Any, prefix: str) -> None:
    a, b = RedisRateLimiter(redis, prefix, 25), RedisRateLimiter(redis, prefix, 25)
    await a.acquire(7)
    assert await b.chat_delay(7) == pytest.approx(1.0, abs=0.1)
    assert await b.chat_delay(8) == 0
    started = time.monotonic()
    await b.acquire(7)  # waits for the chat's second even though b never sent to it
    assert time.monotonic() - started >= 0.85


async def test_twenty_a_minute_per_group(redis: Any, prefix: str) -> None:
    limiter = RedisRateLimiter(redis, prefix, 25)
    key = f"{prefix}:rate:group:-100"
    now = await redis.time()
    now_us = now[0] * 1_000_000 + now[1]
    await redis.zadd(key, {f"m{n}": now_us - (59 - n) * 1_000_000 for n in range(20)})
    assert await limiter.chat_delay(-100) == pytest.approx(1.0, abs=0.1)  # the oldest rolls out in 1 s


async def test_a_429_seen_by_one_instance_pauses_the_other(redis: Any, prefix: str) -> None:
    a, b = RedisRateLimiter(redis, prefix, 25), RedisRateLimiter(redis, prefix, 25)
    await a.pause(1.5)
    started = time.monotonic()
    await b.acquire(9)
    assert time.monotonic() - started >= 1.3


async def test_one_leader_and_takeover_after_its_lease(redis: Any, prefix: str) -> None:
    a = Leadership(redis, prefix, "a", lease=1.0, renew=0.2)
    b = Leadership(redis, prefix, "b", lease=1.0, renew=0.2)
    assert await a.refresh() and not await b.refresh()
    assert await a.holds() and not await b.holds()
    token = a.token
    await asyncio.sleep(1.1)  # a died: no renewal
    assert await b.refresh() and b.token is not None and token is not None and b.token > token
    # a wakes up from a long pause: its lease is gone, the fenced check says no.
    assert not await a.holds()
    assert not await a.refresh()


async def test_jobs_run_on_the_leader_only(redis: Any, prefix: str) -> None:
    runs: list[str] = []
    schedulers = []
    for name in ("a", "b"):
        leadership = Leadership(redis, prefix, name, lease=2.0, renew=0.2)
        scheduler = LeaderScheduler(leadership, timezone="UTC")

        async def job(name: str = name) -> None:
            runs.append(name)

        scheduler.add_job(job, "interval", seconds=0.1, id="job")
        schedulers.append(scheduler)
    await schedulers[0].leadership.refresh()
    for scheduler in schedulers:
        scheduler.start()
    try:
        await asyncio.sleep(1.0)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=False)
            await scheduler.leadership.stop()
    assert runs and set(runs) == {"a"}


async def test_update_dedupe_across_instances(redis: Any, prefix: str) -> None:
    from aiogram.types import Update

    from bot.cluster.middlewares import RedisDedupeMiddleware

    handled: list[int] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        handled.append(event.update_id)

    a, b = RedisDedupeMiddleware(redis, prefix), RedisDedupeMiddleware(redis, prefix)
    update = Update(update_id=77)
    await asyncio.gather(a(handler, update, {}), b(handler, update, {}))
    assert handled == [77]
    assert 0 < await redis.ttl(f"{prefix}:update:77") <= 2 * 24 * 3600


async def test_form_state_in_redis_expires_and_is_erased_by_forget(redis: Any, prefix: str) -> None:
    from aiogram.fsm.storage.base import StorageKey

    from bot.cluster import FSM_TTL, Cluster

    cluster = Cluster(redis, prefix, "a")
    storage = cluster.fsm_storage()
    mine, other = StorageKey(bot_id=42, chat_id=5, user_id=5), StorageKey(bot_id=42, chat_id=55, user_id=55)
    for key in (mine, other):
        await storage.set_state(key, "Intake:city")
        await storage.set_data(key, {"city": "Екатеринбург"})
    # Another instance's storage sees the same form.
    assert await Cluster(redis, prefix, "b").fsm_storage().get_state(mine) == "Intake:city"
    keys = [key async for key in redis.scan_iter(match=f"{prefix}:fsm:*")]
    ttls = [await redis.ttl(key) for key in keys]
    assert ttls and all(0 < ttl <= FSM_TTL for ttl in ttls)
    await cluster.erase_user(5)
    assert await storage.get_state(mine) is None and await storage.get_data(mine) == {}
    assert await storage.get_state(other) == "Intake:city"


async def test_flood_control_claims_the_update_in_the_same_trip(redis: Any, prefix: str) -> None:
    from aiogram.types import Update

    from bot.cluster.middlewares import RedisDedupeMiddleware, RedisFloodCounter
    from bot.middlewares.throttling import CLAIMED_UPDATE, Verdict

    a, b = RedisFloodCounter(redis, prefix, 10, 60), RedisFloodCounter(redis, prefix, 10, 60)
    # Two instances get the same update: one claims it, the other is told it was seen (not counted).
    verdicts = await asyncio.gather(a.hit(5, 90), b.hit(5, 90))
    assert sorted(verdicts) == [Verdict.GO, Verdict.REPEATED]
    assert await redis.zcard(f"{prefix}:flood:5") == 1
    assert 0 < await redis.ttl(f"{prefix}:update:90") <= 2 * 24 * 3600
    # The dedupe middleware does not claim again what flood control claimed for this update...
    handled: list[int] = []

    async def handler(event: Any, data: dict[str, Any]) -> None:
        handled.append(event.update_id)

    dedupe = RedisDedupeMiddleware(redis, prefix)
    await dedupe(handler, Update(update_id=90), {CLAIMED_UPDATE: 90})
    # ...but an update it claimed on its own is seen by flood control, and the reverse.
    await dedupe(handler, Update(update_id=91), {})
    assert await a.hit(5, 91) is Verdict.REPEATED
    await dedupe(handler, Update(update_id=90), {})
    assert handled == [90, 91]


async def test_taking_a_persons_lock_reads_their_state_in_the_same_trip(redis: Any, prefix: str) -> None:
    from aiogram.fsm.storage.base import StorageKey

    from bot.cluster import Cluster

    a, b = Cluster(redis, prefix, "a"), Cluster(redis, prefix, "b")
    key = StorageKey(bot_id=42, chat_id=5, user_id=5)
    order: list[str] = []

    async def update(cluster: Cluster, name: str, new_state: str) -> str | None:
        storage = cluster.fsm_storage()
        async with cluster.events_isolation().lock(key):
            seen = await storage.get_state(key)  # what aiogram's FSM middleware reads first
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            await storage.set_state(key, new_state)
            order.append(f"{name} out")
        return seen

    # One person's updates on two instances run one after the other, each seeing the other's state.
    first, second = await asyncio.gather(update(a, "a", "Intake:city"), update(b, "b", "Intake:story"))
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert {first, second} == {None, "Intake:city" if order[0] == "a in" else "Intake:story"}
    assert await redis.exists(f"{prefix}:fsm:42:5:5:default:lock") == 0  # released
    # The state read with the lock is used once: a later read goes to Redis.
    async with a.events_isolation().lock(key):
        await redis.delete(f"{prefix}:fsm:42:5:5:default:state")
        assert await a.fsm_storage().get_state(key) in ("Intake:city", "Intake:story")
        assert await a.fsm_storage().get_state(key) is None
