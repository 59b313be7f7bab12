"""Cases in the database. Every change that must reach someone stores its messages in the outbox in
the same transaction, so nothing is sent for a change that was not saved, and nothing saved is lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.complaints.models import CONSENT_VERSION, FINAL, Attachment, Case
from bot.complaints.tables import complaint_files, complaint_messages, complaints
from bot.outbox.repo import OutboxRepo, Outgoing
from bot.storage.database import Database
from bot.storage.tables import audit_log
from bot.storage.upsert import insert_ignore

Notify = Callable[[Case], Sequence[Outgoing]]


def _case(row: Any) -> Case:
    return Case(**{field: getattr(row, field) for field in Case.__dataclass_fields__})


class ComplaintRepo:
    def __init__(self, db: Database, outbox: OutboxRepo, clock: Clock) -> None:
        self._db, self._outbox, self._clock = db, outbox, clock

    async def create(
        self,
        user_id: int,
        submit_key: str,
        draft: dict[str, Any],
        files: Sequence[Attachment],
        notify: Notify,
    ) -> tuple[Case, bool]:
        """Save a submitted form once (the same submit arriving twice returns the first case)."""
        now = self._clock.now()
        values = {
            "user_id": user_id,
            "submit_key": submit_key,
            "locale": draft["locale"],
            "urgent": bool(draft.get("urgent")),
            "category": draft["category"],
            "country": draft["country"],
            "city": draft.get("city"),
            "description": draft.get("description"),
            "happened": draft.get("happened"),
            "reply_via": draft.get("reply_via", "chat"),
            "phone": draft.get("phone"),
            "name": draft.get("name"),
            "consent_version": draft.get("consent_version", CONSENT_VERSION),
            "consent_at": now,
            "status": "received",
            "created_at": now,
            "updated_at": now,
        }
        async with self._db.begin() as conn:
            inserted = await conn.execute(insert_ignore(self._db, complaints, values, ["submit_key"]))
            row = (await conn.execute(select(complaints).where(complaints.c.submit_key == submit_key))).one()
            case = _case(row)
            if not inserted.rowcount:
                return case, False
            for file in files:
                await conn.execute(
                    insert(complaint_files).values(
                        complaint_id=case.id,
                        kind=file.kind,
                        chat_id=file.chat_id,
                        message_id=file.message_id,
                        created_at=now,
                    )
                )
            await self._audit(conn, user_id, "complaint.created", case.id, {"status": "received"})
            await self._outbox.enqueue(notify(case), conn)
        return case, True

    async def get(self, case_id: int) -> Case | None:
        async with self._db.connection() as conn:
            row = (await conn.execute(select(complaints).where(complaints.c.id == case_id))).first()
        return _case(row) if row else None

    async def by_card(self, message_id: int) -> Case | None:
        async with self._db.connection() as conn:
            row = (
                await conn.execute(select(complaints).where(complaints.c.card_message_id == message_id))
            ).first()
        return _case(row) if row else None

    async def for_user(self, user_id: int) -> list[Case]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(complaints).where(complaints.c.user_id == user_id).order_by(complaints.c.id.desc())
            )
            return [_case(row) for row in rows]

    async def queue(self, only_open: bool = True, limit: int = 30) -> list[Case]:
        query = select(complaints).order_by(complaints.c.urgent.desc(), complaints.c.id)
        if only_open:
            query = query.where(complaints.c.status.not_in(FINAL))
        async with self._db.connection() as conn:
            return [_case(row) for row in await conn.execute(query.limit(limit))]

    async def files(self, case_id: int) -> list[Attachment]:
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(complaint_files)
                .where(complaint_files.c.complaint_id == case_id)
                .order_by(complaint_files.c.id)
            )
            return [Attachment(row.kind, row.chat_id, row.message_id) for row in rows]

    async def set_card(self, case_id: int, message_id: int) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints).where(complaints.c.id == case_id).values(card_message_id=message_id)
            )

    async def set_thread(self, case_id: int, thread_id: int | None) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints).where(complaints.c.id == case_id).values(thread_id=thread_id)
            )

    async def transfer(self, case_id: int, institution: str, operator_id: int) -> Case | None:
        async with self._db.begin() as conn:
            row = (await conn.execute(select(complaints).where(complaints.c.id == case_id))).first()
            if row is None:
                return None
            await conn.execute(
                update(complaints)
                .where(complaints.c.id == case_id)
                .values(
                    institution=institution,
                    assignee_id=None,
                    assignee_name=None,
                    updated_at=self._clock.now(),
                )
            )
            details = {"from": row.institution, "to": institution}
            await self._audit(conn, operator_id, "complaint.transferred", case_id, details)
        return await self.get(case_id)

    async def take(self, case_id: int, operator_id: int, operator_name: str) -> Case:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints)
                .where(complaints.c.id == case_id)
                .values(
                    assignee_id=operator_id, assignee_name=operator_name[:64], updated_at=self._clock.now()
                )
            )
            await self._audit(conn, operator_id, "complaint.taken", case_id, {})
        case = await self.get(case_id)
        assert case is not None
        return case

    async def mark_urgent(self, case_id: int, operator_id: int) -> Case | None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints)
                .where(complaints.c.id == case_id)
                .values(urgent=True, updated_at=self._clock.now())
            )
            await self._audit(conn, operator_id, "complaint.urgent", case_id, {})
        return await self.get(case_id)

    async def set_status(
        self, case_id: int, status: str, actor_id: int | None, reason: str | None, notify: Notify
    ) -> Case | None:
        """Change the status (recorded in the audit log) and store the migrant's notice with it."""
        now = self._clock.now()
        async with self._db.begin() as conn:
            row = (await conn.execute(select(complaints).where(complaints.c.id == case_id))).first()
            if row is None:
                return None
            before = _case(row)
            values: dict[str, Any] = {"status": status, "updated_at": now}
            if status in FINAL:
                values["closed_at"] = now
            if before.first_response_at is None and actor_id != before.user_id:
                values["first_response_at"] = now
            await conn.execute(update(complaints).where(complaints.c.id == case_id).values(**values))
            # Audit details hold no personal data: statuses and the operator's reason only.
            details = {"from": before.status, "to": status, "reason": reason}
            await self._audit(conn, actor_id, "complaint.status", case_id, details)
            after = _case((await conn.execute(select(complaints).where(complaints.c.id == case_id))).one())
            await self._outbox.enqueue(notify(after), conn)
        return after

    async def add_message(
        self, case_id: int, direction: str, author_id: int | None, text: str, notify: Notify
    ) -> Case | None:
        now = self._clock.now()
        async with self._db.begin() as conn:
            row = (await conn.execute(select(complaints).where(complaints.c.id == case_id))).first()
            if row is None:
                return None
            await conn.execute(
                insert(complaint_messages).values(
                    complaint_id=case_id, direction=direction, author_id=author_id, text=text, created_at=now
                )
            )
            values: dict[str, Any] = {"updated_at": now}
            if direction in {"out", "ask"} and row.first_response_at is None:
                values["first_response_at"] = now
            await conn.execute(update(complaints).where(complaints.c.id == case_id).values(**values))
            await self._audit(conn, author_id, f"complaint.message.{direction}", case_id, {})
            case = _case((await conn.execute(select(complaints).where(complaints.c.id == case_id))).one())
            await self._outbox.enqueue(notify(case), conn)
        return case

    async def awaiting_info(self, case_id: int) -> bool:
        """The last operator message to the migrant was a request for information."""
        async with self._db.connection() as conn:
            row = (
                await conn.execute(
                    select(complaint_messages.c.direction)
                    .where(
                        and_(
                            complaint_messages.c.complaint_id == case_id,
                            complaint_messages.c.direction != "note",
                        )
                    )
                    .order_by(complaint_messages.c.id.desc())
                    .limit(1)
                )
            ).first()
        return row is not None and row.direction == "ask"

    async def untaken_since(self, urgent_before: datetime, normal_before: datetime) -> list[Case]:
        """Open cases nobody took in time: urgent ones after minutes, others after hours."""
        query = select(complaints).where(
            and_(
                complaints.c.status.not_in(FINAL),
                complaints.c.assignee_id.is_(None),
                or_(
                    and_(complaints.c.urgent.is_(True), complaints.c.created_at <= urgent_before),
                    complaints.c.created_at <= normal_before,
                ),
            )
        )
        async with self._db.connection() as conn:
            return [_case(row) for row in await conn.execute(query.order_by(complaints.c.id))]

    async def all_cases(self) -> list[Case]:
        async with self._db.connection() as conn:
            return [_case(row) for row in await conn.execute(select(complaints).order_by(complaints.c.id))]

    async def purge_files(self, closed_before: datetime) -> int:
        """Retention: attachments of cases closed long ago are forgotten."""
        async with self._db.begin() as conn:
            ids = select(complaints.c.id).where(
                and_(complaints.c.closed_at.is_not(None), complaints.c.closed_at <= closed_before)
            )
            result = await conn.execute(
                delete(complaint_files).where(complaint_files.c.complaint_id.in_(ids))
            )
            return int(result.rowcount or 0)

    async def erase_user(self, user_id: int) -> None:
        """`/forget`: personal data goes; category, place, status and times stay for statistics."""
        async with self._db.begin() as conn:
            ids = [
                r.id
                for r in await conn.execute(select(complaints.c.id).where(complaints.c.user_id == user_id))
            ]
            if not ids:
                return
            await conn.execute(delete(complaint_files).where(complaint_files.c.complaint_id.in_(ids)))
            await conn.execute(
                update(complaint_messages).where(complaint_messages.c.complaint_id.in_(ids)).values(text=None)
            )
            await conn.execute(
                update(complaints)
                .where(complaints.c.id.in_(ids))
                .values(user_id=None, description=None, happened=None, phone=None, name=None, city=None)
            )
            await self._audit(conn, None, "complaint.erased", None, {"cases": len(ids)})

    async def _audit(
        self,
        conn: AsyncConnection,
        actor: int | None,
        action: str,
        case_id: int | None,
        details: dict[str, Any],
    ) -> None:
        await conn.execute(
            insert(audit_log).values(
                at=self._clock.now(),
                actor_id=actor,
                action=action,
                object_type="complaint",
                object_id=case_id,
                details=details,
            )
        )
