"""Broadcasts: snapshot the audience into the outbox in one transaction, then control and report.

No aiogram here except for building the unsubscribe button's payload, which the translator's texts and
the callback format decide (see `message_payload`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update

from bot.broadcasts.tables import broadcasts
from bot.clock import Clock
from bot.events.models import KINDS, kind_scopes
from bot.outbox.repo import BLOCKED, CANCELLED, FAILED, PAUSED, PENDING, SENDING, SENT, OutboxRepo, Outgoing
from bot.places import CITY_BY_KEY
from bot.storage.database import Database
from bot.storage.tables import audit_log, users
from bot.users.repo import UserRepo

BULK_PRIORITY = 200  # after replies to people, reminders and the operators' queue
CHUNK = 500  # recipients stored per statement: memory stays flat whatever the audience size


class AudienceError(ValueError):
    pass


@dataclass(frozen=True)
class Broadcast:
    id: int
    author_id: int | None
    text_ky: str
    text_ru: str
    media_kind: str | None
    media_file_id: str | None
    button_event_id: int | None
    button_url: str | None
    audience: str
    status: str
    total: int
    scheduled_at: datetime
    created_at: datetime
    finished_at: datetime | None
    progress_chat_id: int | None
    progress_message_id: int | None

    def text(self, locale: str) -> str:
        return self.text_ky if locale == "ky" else self.text_ru


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    blocked: int
    remaining: int
    cancelled: int

    @property
    def finished(self) -> bool:
        return self.remaining == 0


def parse_audience(value: str) -> dict[str, str | None]:
    """all | ky | ru | city:<key> | kind:<event kind> | event:<key>  →  audience filters."""
    if value.startswith("event:") and value[6:]:
        return {"event": value[6:]}
    if value.startswith("kind:") and value[5:] in KINDS:
        return {"kind": value[5:]}
    if value == "all":
        return {}
    if value in {"ky", "ru"}:
        return {"locale": value}
    if value.startswith("city:") and value[5:] in CITY_BY_KEY:
        return {"city": value[5:]}
    raise AudienceError(
        f"unknown audience {value!r} (all, ky, ru, city:<{'|'.join(CITY_BY_KEY)}>, "
        f"kind:<{'|'.join(KINDS)}>, event:<key>)"
    )


def _row(row: Any) -> Broadcast:
    return Broadcast(**{field: getattr(row, field) for field in Broadcast.__dataclass_fields__})


# (locale, text) → Bot API parameters except chat_id; decided by the feature's presentation layer.
PayloadBuilder = Callable[[Broadcast, str], tuple[str, dict[str, Any]]]


class BroadcastService:
    def __init__(self, db: Database, outbox: OutboxRepo, users: UserRepo, clock: Clock) -> None:
        self._db, self._outbox, self._users, self._clock = db, outbox, users, clock

    async def recipients(self, audience: str) -> list[tuple[int, str]]:
        filters = parse_audience(audience)
        if "event" in filters:
            return await self._registrants(str(filters["event"]))
        if "kind" in filters:
            return await self._kind_subscribers(str(filters["kind"]))
        return await self._users.audience(**filters)

    async def _registrants(self, event_key: str) -> list[tuple[int, str]]:
        """People registered (or waitlisted) for one event who can still be reached."""
        from bot.events.tables import events, registrations  # the events feature owns these tables

        query = (
            select(users.c.id, users.c.locale)
            .join(registrations, registrations.c.user_id == users.c.id)
            .join(events, events.c.id == registrations.c.event_id)
            .where(
                and_(
                    events.c.key == event_key,
                    registrations.c.status.in_(["confirmed", "waitlisted"]),
                    users.c.locale.is_not(None),
                    users.c.blocked.is_(False),
                )
            )
            .order_by(users.c.id)
        )
        async with self._db.connection() as conn:
            return [(row.id, row.locale) for row in await conn.execute(query)]

    async def _kind_subscribers(self, kind: str) -> list[tuple[int, str]]:
        """People who asked for notices of all events or of this kind (the events feature's settings)."""
        from bot.events.repo import EventRepo

        return await EventRepo(self._db, self._clock).subscribers(kind_scopes(kind))

    async def count(self, audience: str) -> int:
        return len(await self.recipients(audience))

    async def create(
        self,
        *,
        author_id: int | None,
        text_ky: str,
        text_ru: str,
        audience: str,
        payload: PayloadBuilder,
        media_kind: str | None = None,
        media_file_id: str | None = None,
        button_event_id: int | None = None,
        button_url: str | None = None,
        at: datetime | None = None,
    ) -> Broadcast:
        """Store the broadcast and one outbox row per recipient, all or nothing."""
        recipients = await self.recipients(audience)
        now = self._clock.now()
        scheduled = at if at is not None and at > now else now
        async with self._db.begin() as conn:
            result = await conn.execute(
                insert(broadcasts)
                .values(
                    author_id=author_id,
                    text_ky=text_ky,
                    text_ru=text_ru,
                    media_kind=media_kind,
                    media_file_id=media_file_id,
                    button_event_id=button_event_id,
                    button_url=button_url,
                    audience=audience,
                    status="scheduled" if scheduled > now else "running",
                    total=len(recipients),
                    scheduled_at=scheduled,
                    created_at=now,
                )
                .returning(*broadcasts.c)
            )
            item = _row(result.one())
            rendered = {locale: payload(item, locale) for locale in ("ky", "ru")}
            for start in range(0, len(recipients), CHUNK):
                rows = [
                    Outgoing(
                        chat_id=user_id,
                        method=rendered[locale][0],
                        payload=rendered[locale][1],
                        kind="broadcast",
                        priority=BULK_PRIORITY,
                        not_before=scheduled,
                        dedupe_key=f"bc:{item.id}:{user_id}",
                        ref_type="broadcast",
                        ref_id=item.id,
                    )
                    for user_id, locale in recipients[start : start + CHUNK]
                ]
                await self._outbox.enqueue(rows, conn)
            await conn.execute(
                insert(audit_log).values(
                    at=now,
                    actor_id=author_id,
                    action="broadcast.created",
                    object_type="broadcast",
                    object_id=item.id,
                    details={
                        "audience": audience,
                        "recipients": len(recipients),
                        "scheduled_at": scheduled.isoformat(),
                    },
                )
            )
        return item

    async def get(self, broadcast_id: int) -> Broadcast | None:
        async with self._db.connection() as conn:
            row = (await conn.execute(select(broadcasts).where(broadcasts.c.id == broadcast_id))).first()
        return _row(row) if row else None

    async def recent(self, limit: int = 10) -> list[Broadcast]:
        async with self._db.connection() as conn:
            rows = await conn.execute(select(broadcasts).order_by(broadcasts.c.id.desc()).limit(limit))
            return [_row(row) for row in rows]

    async def active(self) -> list[Broadcast]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(broadcasts).where(broadcasts.c.status.in_(["scheduled", "running", "paused"]))
            )
            return [_row(row) for row in rows]

    async def progress(self, broadcast_id: int) -> Progress:
        counts = await self._outbox.counts("broadcast", broadcast_id)
        return Progress(
            total=sum(counts.values()),
            sent=counts.get(SENT, 0),
            failed=counts.get(FAILED, 0),
            blocked=counts.get(BLOCKED, 0),
            remaining=counts.get(PENDING, 0) + counts.get(SENDING, 0) + counts.get(PAUSED, 0),
            cancelled=counts.get(CANCELLED, 0),
        )

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        await self._update(broadcast_id, progress_chat_id=chat_id, progress_message_id=message_id)

    async def pause(self, broadcast_id: int, actor: int | None) -> int:
        moved = await self._outbox.set_status_for_ref("broadcast", broadcast_id, [PENDING], PAUSED)
        await self._update(broadcast_id, status="paused")
        await self._audit(actor, "broadcast.paused", broadcast_id, {"rows": moved})
        return moved

    async def resume(self, broadcast_id: int, actor: int | None) -> int:
        moved = await self._outbox.set_status_for_ref("broadcast", broadcast_id, [PAUSED], PENDING)
        await self._update(broadcast_id, status="running")
        await self._audit(actor, "broadcast.resumed", broadcast_id, {"rows": moved})
        return moved

    async def cancel(self, broadcast_id: int, actor: int | None) -> int:
        moved = await self._outbox.set_status_for_ref("broadcast", broadcast_id, [PENDING, PAUSED], CANCELLED)
        await self._update(broadcast_id, status="cancelled", finished_at=self._clock.now())
        await self._audit(actor, "broadcast.cancelled", broadcast_id, {"rows": moved})
        return moved

    async def tick(self, item: Broadcast) -> tuple[Broadcast, Progress]:
        """Advance the life cycle: scheduled → running when due; running → done when nothing is left."""
        now = self._clock.now()
        if item.status == "scheduled" and item.scheduled_at <= now:
            await self._update(item.id, status="running")
        progress = await self.progress(item.id)
        if item.status in {"scheduled", "running"} and progress.finished and item.scheduled_at <= now:
            await self._update(item.id, status="done", finished_at=now)
            await self._audit(
                None,
                "broadcast.done",
                item.id,
                {"sent": progress.sent, "failed": progress.failed, "blocked": progress.blocked},
            )
        refreshed = await self.get(item.id)
        return (refreshed or item), progress

    async def _update(self, broadcast_id: int, **values: Any) -> None:
        async with self._db.begin() as conn:
            await conn.execute(update(broadcasts).where(broadcasts.c.id == broadcast_id).values(**values))

    async def _audit(
        self, actor: int | None, action: str, broadcast_id: int, details: dict[str, Any]
    ) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                insert(audit_log).values(
                    at=self._clock.now(),
                    actor_id=actor,
                    action=action,
                    object_type="broadcast",
                    object_id=broadcast_id,
                    details=details,
                )
            )
