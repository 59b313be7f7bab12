"""The outbox: every bulk or must-not-be-lost outgoing message is a row before it is sent."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.tables import outbox
from bot.storage.upsert import insert_ignore

PENDING, SENDING, SENT, FAILED, BLOCKED, PAUSED, CANCELLED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "blocked",
    "paused",
    "cancelled",
)
# Telegram answered "ok" but the result could not be parsed: the message was delivered, we only lack
# its id. Never sent again (re-sending it was how one message became three).
UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Outgoing:
    """A message to store now and send later through the rate-limited sender."""

    chat_id: int
    payload: dict[str, Any]
    kind: str
    method: str = "sendMessage"
    priority: int = 100  # lower first: replies to a person before bulk notices
    not_before: datetime | None = None
    dedupe_key: str | None = None
    ref_type: str | None = None
    ref_id: int | None = None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    chat_id: int
    method: str
    payload: dict[str, Any]
    attempts: int
    ref_type: str | None
    ref_id: int | None
    extra: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None  # before-send hooks compare it (e.g. the event version in a reminder)


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        kind=row.kind,
        chat_id=row.chat_id,
        method=row.method,
        payload=dict(row.payload),
        attempts=row.attempts,
        ref_type=row.ref_type,
        ref_id=row.ref_id,
        dedupe_key=row.dedupe_key,
    )


LEASE = timedelta(seconds=60)


def instance_id() -> str:
    """Names this process in outbox leases: host, pid and a random part (a restart is a new owner)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class OutboxRepo:
    def __init__(
        self, db: Database, clock: Clock, *, owner: str | None = None, lease: timedelta = LEASE
    ) -> None:
        self._db = db
        self._clock = clock
        self.owner = owner or instance_id()
        self.lease = lease

    @property
    def single_process(self) -> bool:
        """SQLite: one process owns the outbox, so whatever is 'sending' at start-up was its own."""
        return self._db.is_sqlite

    async def enqueue(self, items: Iterable[Outgoing], conn: AsyncConnection | None = None) -> int:
        """Store messages; with `conn` inside the caller's transaction. Returns rows inserted."""
        if conn is None:
            async with self._db.begin() as own:
                return await self.enqueue(items, own)
        now = self._clock.now()
        inserted = 0
        rows = [
            {
                "kind": item.kind,
                "chat_id": item.chat_id,
                "method": item.method,
                "payload": item.payload,
                "status": PENDING,
                "priority": item.priority,
                "attempts": 0,
                "not_before": item.not_before or now,
                "dedupe_key": item.dedupe_key,
                "ref_type": item.ref_type,
                "ref_id": item.ref_id,
                "created_at": now,
            }
            for item in items
        ]
        for row in rows:
            if row["dedupe_key"] is None:
                continue
            result = await conn.execute(insert_ignore(self._db, outbox, row, ["dedupe_key"]))
            inserted += result.rowcount or 0
        plain = [row for row in rows if row["dedupe_key"] is None]
        if plain:
            await conn.execute(outbox.insert(), plain)
            inserted += len(plain)
        return inserted

    async def claim(self, limit: int) -> list[OutboxItem]:
        """Atomically move up to `limit` due rows from pending to sending under this instance's lease.

        On PostgreSQL the due rows are locked with SKIP LOCKED, so instances claiming at the same
        moment take different rows instead of waiting for each other."""
        now = self._clock.now()
        due = (
            select(outbox.c.id)
            .where(and_(outbox.c.status == PENDING, outbox.c.not_before <= now))
            .order_by(outbox.c.priority, outbox.c.not_before, outbox.c.id)
            .limit(limit)
        )
        claimed = {
            "status": SENDING,
            "attempts": outbox.c.attempts + 1,
            "lease_owner": self.owner,
            "lease_until": now + self.lease,
        }
        if self._db.is_sqlite:  # one writer at a time: the subquery and update are atomic already
            condition = outbox.c.id.in_(due.scalar_subquery())
        else:
            locked = due.with_for_update(skip_locked=True).cte("due")
            condition = outbox.c.id == locked.c.id
        statement = (
            update(outbox)
            .where(and_(condition, outbox.c.status == PENDING))
            .values(**claimed)
            .returning(*outbox.c)
        )
        async with self._db.begin() as conn:
            rows = (await conn.execute(statement)).all()
        return sorted((_item(row) for row in rows), key=lambda item: item.id)

    async def reset_inflight(self) -> int:
        """SQLite only (one process): after a crash, rows left 'sending' go back to pending (the one
        in flight may repeat). Several instances use leases instead (renew_leases, reclaim_expired)."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(outbox)
                .where(outbox.c.status == SENDING)
                .values(status=PENDING, lease_owner=None, lease_until=None)
            )
            return result.rowcount or 0

    async def renew_leases(self) -> int:
        """Extend this instance's lease on the rows it is sending (called well within the lease)."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(outbox)
                .where(and_(outbox.c.status == SENDING, outbox.c.lease_owner == self.owner))
                .values(lease_until=self._clock.now() + self.lease)
            )
            return result.rowcount or 0

    async def reclaim_expired(self) -> int:
        """Rows whose lease ran out (their instance died) go back to pending. Never rows another
        live instance is sending: it keeps renewing their lease."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    and_(
                        outbox.c.status == SENDING,
                        or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < self._clock.now()),
                    )
                )
                .values(status=PENDING, lease_owner=None, lease_until=None)
            )
            return result.rowcount or 0

    async def depth(self) -> dict[int, int]:
        """Messages waiting to be sent, by priority (for /metrics)."""
        statement = (
            select(outbox.c.priority, func.count())
            .where(outbox.c.status.in_([PENDING, SENDING]))
            .group_by(outbox.c.priority)
        )
        async with self._db.connection() as conn:
            return {int(priority): int(count) for priority, count in (await conn.execute(statement)).all()}

    async def mark_sent(self, item_id: int, message_id: int | None) -> None:
        await self._set(
            item_id, status=SENT, result_message_id=message_id, sent_at=self._clock.now(), error=None
        )

    async def mark_unconfirmed(self, item_id: int, error: str) -> None:
        await self._set(item_id, status=UNCONFIRMED, sent_at=self._clock.now(), error=error[:300])

    async def mark_final(self, item_id: int, status: str, error: str) -> None:
        await self._set(item_id, status=status, error=error[:300])

    async def retry_at(
        self, item_id: int, when: datetime, error: str | None, *, count_attempt: bool = True
    ) -> None:
        values: dict[str, Any] = {
            "status": PENDING,
            "not_before": when,
            "error": error[:300] if error else None,
        }
        if not count_attempt:
            values["attempts"] = outbox.c.attempts - 1
        await self._set(item_id, **values)

    async def change_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(outbox)
                .where(and_(outbox.c.chat_id == old_chat_id, outbox.c.status.in_([PENDING, SENDING, PAUSED])))
                .values(chat_id=new_chat_id)
            )

    async def set_status_for_ref(
        self, ref_type: str, ref_id: int, from_statuses: Sequence[str], to: str
    ) -> int:
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    and_(
                        outbox.c.ref_type == ref_type,
                        outbox.c.ref_id == ref_id,
                        outbox.c.status.in_(from_statuses),
                    )
                )
                .values(status=to)
            )
            return result.rowcount or 0

    async def counts(self, ref_type: str | None = None, ref_id: int | None = None) -> dict[str, int]:
        statement = select(outbox.c.status, func.count()).group_by(outbox.c.status)
        if ref_type is not None:
            statement = statement.where(outbox.c.ref_type == ref_type)
        if ref_id is not None:
            statement = statement.where(outbox.c.ref_id == ref_id)
        async with self._db.connection() as conn:
            return {status: int(count) for status, count in (await conn.execute(statement)).all()}

    async def next_due(self) -> datetime | None:
        async with self._db.connection() as conn:
            return (
                await conn.execute(select(func.min(outbox.c.not_before)).where(outbox.c.status == PENDING))
            ).scalar_one_or_none()

    async def _set(self, item_id: int, **values: Any) -> None:
        async with self._db.begin() as conn:
            await conn.execute(update(outbox).where(outbox.c.id == item_id).values(**values))
