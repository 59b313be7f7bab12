"""Outbox rows across instances on PostgreSQL: SKIP LOCKED claims, leases, and recovery only on
expiry (never because another instance started)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import FrozenClock
from bot.outbox.repo import PENDING, SENDING, OutboxRepo, Outgoing
from bot.storage.database import Database
from tests.cluster.conftest import needs_servers

pytestmark = needs_servers
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_two_instances_claim_disjoint_rows(pg_url: str) -> None:
    clock = FrozenClock(START)
    db_a, db_b = Database.connect(pg_url), Database.connect(pg_url)
    try:
        a, b = OutboxRepo(db_a, clock, owner="a"), OutboxRepo(db_b, clock, owner="b")
        await a.enqueue(
            Outgoing(chat_id=1000 + n, payload={"text": "x"}, kind="broadcast") for n in range(200)
        )
        claimed: list[list[int]] = [[], []]

        async def drain(repo: OutboxRepo, into: list[int]) -> None:
            while items := await repo.claim(3):
                into.extend(item.id for item in items)

        await asyncio.gather(drain(a, claimed[0]), drain(b, claimed[1]))
        assert sorted(claimed[0] + claimed[1]) == list(range(1, 201))  # each row once, none left
        assert claimed[0] and claimed[1]  # both instances worked, neither waited for the other
    finally:
        await db_a.close()
        await db_b.close()


async def test_a_starting_instance_leaves_a_live_instances_rows_alone(pg_url: str) -> None:
    clock = FrozenClock(START)
    db = Database.connect(pg_url)
    try:
        a, b = OutboxRepo(db, clock, owner="a"), OutboxRepo(db, clock, owner="b")
        assert not a.single_process
        await a.enqueue([Outgoing(chat_id=5, payload={"text": "x"}, kind="notice")])
        [item] = await a.claim(1)
        assert await b.reclaim_expired() == 0  # b just started: a's row is not touched
        clock.advance(timedelta(seconds=50))
        assert await a.renew_leases() == 1  # a is alive and renews
        clock.advance(timedelta(seconds=50))
        assert await b.reclaim_expired() == 0
        assert (await a.counts()) == {SENDING: 1}
        clock.advance(timedelta(seconds=61))  # a died: no renewal for longer than the lease
        assert await b.reclaim_expired() == 1
        [again] = await b.claim(1)
        assert again.id == item.id and again.attempts == 2
        assert (await b.counts()) == {SENDING: 1}
        assert await a.renew_leases() == 0  # the row is b's now
    finally:
        await db.close()


async def test_sqlite_keeps_the_single_process_reset(tmp_path: object) -> None:
    clock = FrozenClock(START)
    db = Database.connect(f"sqlite+aiosqlite:///{tmp_path}/o.sqlite3")
    try:
        from bot.storage import migrate

        await migrate.upgrade(db)
        repo = OutboxRepo(db, clock)
        assert repo.single_process
        await repo.enqueue([Outgoing(chat_id=5, payload={"text": "x"}, kind="notice")])
        await repo.claim(1)
        assert await OutboxRepo(db, clock).reset_inflight() == 1
        assert (await repo.counts()) == {PENDING: 1}
    finally:
        await db.close()
