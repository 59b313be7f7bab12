"""Events and registrations in the database. Capacity is enforced inside one write transaction that
starts by locking the event row, so simultaneous registrations can never overbook (SQLite: the
first write takes the database write lock; PostgreSQL: the row lock)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from bot.clock import Clock
from bot.events.models import CONSENT_VERSION, UPCOMING, Event, Registration
from bot.events.tables import events, registrations, subscriptions
from bot.storage.database import Database
from bot.storage.tables import users

FIELDS = tuple(Event.__dataclass_fields__)


def _event(row: Any) -> Event:
    return Event(**{field: getattr(row, field) for field in FIELDS})


def _registration(row: Any) -> Registration:
    return Registration(row.id, row.event_id, row.user_id, row.status, row.reference)


class EventRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    async def upsert(self, items: Sequence[dict[str, Any]]) -> list[tuple[Event, str]]:
        """Create or update events by key, all in one transaction. Returns (event, change) with change
        one of created, updated, rescheduled, cancelled, unchanged."""
        now = self._clock.now()
        out: list[tuple[Event, str]] = []
        async with self._db.begin() as conn:
            for item in items:
                row = (await conn.execute(select(events).where(events.c.key == item["key"]))).first()
                if row is None:
                    values = {
                        **item,
                        "status": item.get("status", "scheduled"),
                        "created_at": now,
                        "updated_at": now,
                    }
                    result = await conn.execute(insert(events).values(**values).returning(*events.c))
                    out.append((_event(result.one()), "created"))
                    continue
                before = _event(row)
                changes = {k: v for k, v in item.items() if getattr(before, k) != v}
                # A file says "scheduled" for an event that takes place; once moved, it stays
                # "rescheduled", so importing the same file again changes nothing.
                if changes.get("status") == "scheduled" and before.status == "rescheduled":
                    del changes["status"]
                if not changes:
                    out.append((before, "unchanged"))
                    continue
                change = "updated"
                if item.get("status") == "cancelled" and before.status != "cancelled":
                    change = "cancelled"
                elif "starts_at" in changes or "ends_at" in changes:
                    change = "rescheduled"
                    changes.setdefault("status", "rescheduled")
                result = await conn.execute(
                    update(events)
                    .where(events.c.id == before.id)
                    .values(**changes, version=events.c.version + 1, updated_at=now)
                    .returning(*events.c)
                )
                out.append((_event(result.one()), change))
        return out

    async def set_status(self, event_id: int, status: str) -> list[tuple[Event, str]]:
        """Cancel (or otherwise change the status of) one event; returns the change for notices."""
        async with self._db.begin() as conn:
            result = await conn.execute(
                update(events)
                .where(and_(events.c.id == event_id, events.c.status != status))
                .values(status=status, version=events.c.version + 1, updated_at=self._clock.now())
                .returning(*events.c)
            )
            row = result.first()
        return [(_event(row), status)] if row else []

    async def get(self, event_id: int) -> Event | None:
        async with self._db.connection() as conn:
            row = (await conn.execute(select(events).where(events.c.id == event_id))).first()
        return _event(row) if row else None

    async def upcoming(self, now: datetime, kind: str | None = None) -> list[Event]:
        query = select(events).where(and_(events.c.status.in_(UPCOMING), events.c.ends_at > now))
        if kind:
            query = query.where(events.c.kind == kind)
        async with self._db.connection() as conn:
            return [_event(row) for row in await conn.execute(query.order_by(events.c.starts_at))]

    async def counts(self, event_id: int) -> dict[str, int]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(registrations.c.status, func.count())
                .where(registrations.c.event_id == event_id)
                .group_by(registrations.c.status)
            )
            return {status: int(n) for status, n in rows}

    async def registration(self, event_id: int, user_id: int) -> Registration | None:
        async with self._db.connection() as conn:
            row = (
                await conn.execute(
                    select(registrations).where(
                        and_(registrations.c.event_id == event_id, registrations.c.user_id == user_id)
                    )
                )
            ).first()
        return _registration(row) if row else None

    async def register(self, event_id: int, user_id: int, note: str | None) -> Registration:
        """Confirmed while places are left, else waitlisted; registering again re-activates."""
        now = self._clock.now()
        async with self._db.begin() as conn:
            # Lock first: every other registration for this event waits here until we commit.
            await conn.execute(update(events).where(events.c.id == event_id).values(version=events.c.version))
            capacity = (
                await conn.execute(select(events.c.capacity).where(events.c.id == event_id))
            ).scalar_one()
            confirmed = (
                await conn.execute(
                    select(func.count()).where(
                        and_(registrations.c.event_id == event_id, registrations.c.status == "confirmed")
                    )
                )
            ).scalar_one()
            status = "confirmed" if capacity is None or confirmed < capacity else "waitlisted"
            existing = (
                await conn.execute(
                    select(registrations).where(
                        and_(registrations.c.event_id == event_id, registrations.c.user_id == user_id)
                    )
                )
            ).first()
            if existing is not None and existing.status != "cancelled":
                return _registration(existing)
            values = {"status": status, "note": note, "consent_version": CONSENT_VERSION, "consent_at": now}
            if existing is not None:
                await conn.execute(
                    update(registrations).where(registrations.c.id == existing.id).values(**values)
                )
                row = (
                    await conn.execute(select(registrations).where(registrations.c.id == existing.id))
                ).one()
            else:
                reference = secrets.token_hex(3).upper()
                result = await conn.execute(
                    insert(registrations)
                    .values(event_id=event_id, user_id=user_id, reference=reference, created_at=now, **values)
                    .returning(*registrations.c)
                )
                row = result.one()
            return _registration(row)

    async def cancel(self, event_id: int, user_id: int) -> Registration | None:
        """Cancel a registration; if it held a place, the first waitlisted person gets it (returned)."""
        async with self._db.begin() as conn:
            await conn.execute(update(events).where(events.c.id == event_id).values(version=events.c.version))
            row = (
                await conn.execute(
                    select(registrations).where(
                        and_(registrations.c.event_id == event_id, registrations.c.user_id == user_id)
                    )
                )
            ).first()
            if row is None or row.status == "cancelled":
                return None
            await conn.execute(
                update(registrations).where(registrations.c.id == row.id).values(status="cancelled")
            )
            if row.status != "confirmed":
                return None
            first = (
                await conn.execute(
                    select(registrations)
                    .where(and_(registrations.c.event_id == event_id, registrations.c.status == "waitlisted"))
                    .order_by(registrations.c.id)
                    .limit(1)
                )
            ).first()
            if first is None:
                return None
            await conn.execute(
                update(registrations).where(registrations.c.id == first.id).values(status="confirmed")
            )
            return Registration(first.id, first.event_id, first.user_id, "confirmed", first.reference)

    async def registrants(
        self, event_id: int, statuses: Sequence[str] = ("confirmed",)
    ) -> list[Registration]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(registrations)
                .where(and_(registrations.c.event_id == event_id, registrations.c.status.in_(statuses)))
                .order_by(registrations.c.id)
            )
            return [_registration(row) for row in rows]

    async def for_user(self, user_id: int) -> list[tuple[Event, Registration]]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(
                    events,
                    registrations.c.id.label("rid"),
                    registrations.c.status.label("rstatus"),
                    registrations.c.reference,
                )
                .join(registrations, registrations.c.event_id == events.c.id)
                .where(and_(registrations.c.user_id == user_id, registrations.c.status != "cancelled"))
                .order_by(events.c.starts_at)
            )
            return [
                (_event(row), Registration(row.rid, row.id, user_id, row.rstatus, row.reference))
                for row in rows
            ]

    async def subscriptions(self, user_id: int) -> set[str]:
        """The person's new-event notice scopes: "all", "city:<key>", "kind:<kind>"."""
        async with self._db.connection() as conn:
            rows = await conn.execute(select(subscriptions.c.scope).where(subscriptions.c.user_id == user_id))
            return {row.scope for row in rows}

    async def toggle_subscription(self, user_id: int, scope: str) -> bool:
        """Switch one scope on or off; returns whether it is now on."""
        async with self._db.begin() as conn:
            removed = await conn.execute(
                delete(subscriptions).where(
                    and_(subscriptions.c.user_id == user_id, subscriptions.c.scope == scope)
                )
            )
            if removed.rowcount:
                return False
            await conn.execute(
                insert(subscriptions).values(user_id=user_id, scope=scope, created_at=self._clock.now())
            )
            return True

    async def subscribers(self, scopes: Sequence[str]) -> list[tuple[int, str]]:
        """(user id, locale) of reachable people subscribed to any of `scopes`, each once."""
        query = (
            select(users.c.id, users.c.locale)
            .where(
                and_(
                    users.c.locale.is_not(None),
                    users.c.subscribed.is_(True),
                    users.c.blocked.is_(False),
                    users.c.id.in_(
                        select(subscriptions.c.user_id).where(subscriptions.c.scope.in_(list(scopes)))
                    ),
                )
            )
            .order_by(users.c.id)
        )
        async with self._db.connection() as conn:
            return [(row.id, row.locale) for row in await conn.execute(query)]

    async def erase_user(self, user_id: int) -> None:
        """`/forget`: the person's registrations and subscriptions go."""
        async with self._db.begin() as conn:
            await conn.execute(delete(registrations).where(registrations.c.user_id == user_id))
            await conn.execute(delete(subscriptions).where(subscriptions.c.user_id == user_id))
