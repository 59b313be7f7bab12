"""Cases in the database. Every change that must reach someone stores its messages in the outbox in
the same transaction, so nothing is sent for a change that was not saved, and nothing saved is lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.complaints.models import CONSENT_VERSION, FINAL, Attachment, Case
from bot.complaints.tables import complaint_files, complaint_messages, complaint_posts, complaints
from bot.outbox.repo import CANCELLED, PENDING, SENDING, OutboxRepo, Outgoing
from bot.storage.database import Database
from bot.storage.tables import audit_log, outbox
from bot.storage.upsert import insert_ignore

Notify = Callable[[Case], Sequence[Outgoing]]
# Outbox kinds that carry the migrant's own words or files into the operators' chat: dropped on /forget.
PERSONAL_KINDS = ("case_file", "case_followup")


@dataclass(frozen=True)
class Post:
    """A message the bot posted in the operators' chat about a case."""

    id: int
    case_id: int
    chat_id: int
    message_id: int
    kind: str


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

    async def set_card(self, case_id: int, message_id: int, chat_id: int = 0) -> None:
        """The case card was posted (chat 0: the operators' chat, whatever its id is now)."""
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints).where(complaints.c.id == case_id).values(card_message_id=message_id)
            )
        await self.add_post(case_id, chat_id, message_id, "card")

    async def add_post(self, case_id: int, chat_id: int, message_id: int, kind: str) -> None:
        async with self._db.begin() as conn:
            await conn.execute(
                insert_ignore(
                    self._db,
                    complaint_posts,
                    {
                        "complaint_id": case_id,
                        "chat_id": chat_id,
                        "message_id": message_id,
                        "kind": kind,
                        "created_at": self._clock.now(),
                    },
                    ["chat_id", "message_id"],
                )
            )

    async def posts(self, case_id: int, kinds: Sequence[str] | None = None) -> list[Post]:
        query = select(complaint_posts).where(complaint_posts.c.complaint_id == case_id)
        if kinds is not None:
            query = query.where(complaint_posts.c.kind.in_(list(kinds)))
        async with self._db.connection() as conn:
            rows = await conn.execute(query.order_by(complaint_posts.c.id))
            return [Post(r.id, r.complaint_id, r.chat_id, r.message_id, r.kind) for r in rows]

    async def post(self, chat_id: int, message_id: int) -> Post | None:
        """The post a message in the operators' chat replies to (chat 0 rows are from before 0008)."""
        async with self._db.connection() as conn:
            row = (
                await conn.execute(
                    select(complaint_posts)
                    .where(
                        complaint_posts.c.message_id == message_id,
                        complaint_posts.c.chat_id.in_([chat_id, 0]),
                    )
                    .order_by(complaint_posts.c.chat_id)
                    .limit(1)
                )
            ).first()
        return Post(row.id, row.complaint_id, row.chat_id, row.message_id, row.kind) if row else None

    async def forget_posts(self, post_ids: Sequence[int]) -> None:
        if post_ids:
            async with self._db.begin() as conn:
                await conn.execute(delete(complaint_posts).where(complaint_posts.c.id.in_(list(post_ids))))

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
                    last_action="transfer",
                    last_action_at=self._clock.now(),
                )
            )
            details = {"from": row.institution, "to": institution}
            await self._audit(conn, operator_id, "complaint.transferred", case_id, details)
        return await self.get(case_id)

    async def take(self, case_id: int, operator_id: int, operator_name: str) -> Case | None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints)
                .where(complaints.c.id == case_id)
                .values(
                    assignee_id=operator_id,
                    assignee_name=operator_name[:64],
                    updated_at=self._clock.now(),
                    last_action="take",
                    last_action_at=self._clock.now(),
                )
            )
            await self._audit(conn, operator_id, "complaint.taken", case_id, {})
        return await self.get(case_id)

    async def mark_urgent(self, case_id: int, operator_id: int) -> Case | None:
        async with self._db.begin() as conn:
            await conn.execute(
                update(complaints)
                .where(complaints.c.id == case_id)
                .values(
                    urgent=True,
                    updated_at=self._clock.now(),
                    last_action="urgent",
                    last_action_at=self._clock.now(),
                )
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
            values: dict[str, Any] = {
                "status": status,
                "updated_at": now,
                "last_action": "status",
                "last_action_at": now,
                # Reopening a closed case clears its closing time.
                "closed_at": now if status in FINAL else None,
            }
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
            values: dict[str, Any] = {"updated_at": now, "last_action": direction, "last_action_at": now}
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

    async def erase_user(self, user_id: int) -> list[Case]:
        """`/forget`: personal data goes; category, place, status and times stay for statistics.

        Attachments and follow-ups not yet posted to the operators' chat are cancelled; a card not yet
        posted is drawn from the erased case when it is sent. Returns the erased cases: the messages
        already posted about them (`posts`) are redacted by the caller, which can reach Telegram."""
        async with self._db.begin() as conn:
            ids = [
                r.id
                for r in await conn.execute(select(complaints.c.id).where(complaints.c.user_id == user_id))
            ]
            if not ids:
                return []
            await conn.execute(
                update(outbox)
                .where(
                    outbox.c.ref_type == "complaint",
                    outbox.c.ref_id.in_(ids),
                    outbox.c.kind.in_(PERSONAL_KINDS),
                    outbox.c.status == PENDING,
                )
                .values(status=CANCELLED, error="erased by /forget")
            )
            # Delivered or failed messages keep no copy of what they said.
            await conn.execute(
                update(outbox)
                .where(
                    outbox.c.ref_type == "complaint",
                    outbox.c.ref_id.in_(ids),
                    outbox.c.status.not_in([PENDING, SENDING]),
                )
                .values(payload={})
            )
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
            rows = await conn.execute(select(complaints).where(complaints.c.id.in_(ids)))
            return [_case(row) for row in rows]

    async def record_leftovers(self, case_id: int, message_ids: Sequence[int]) -> None:
        """Messages in the operators' chat that could not be redacted after /forget (ids only)."""
        async with self._db.begin() as conn:
            await self._audit(
                conn, None, "complaint.erase_incomplete", case_id, {"message_ids": list(message_ids)}
            )

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
