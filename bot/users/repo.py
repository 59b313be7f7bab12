"""Users: chosen language, notice subscription, city/time zone, blocked flag. No names are stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update

from bot.clock import Clock
from bot.storage.batch import GroupCommit
from bot.storage.database import Database
from bot.storage.tables import processed_updates, users
from bot.storage.upsert import claim_update, upsert


@dataclass(frozen=True)
class User:
    id: int
    locale: str | None
    telegram_language: str | None
    subscribed: bool
    city: str | None
    timezone: str | None
    blocked: bool
    first_seen: datetime
    last_seen: datetime

    @property
    def has_chosen_language(self) -> bool:
        return self.locale is not None


def _user(row: Any) -> User:
    return User(
        id=row.id,
        locale=row.locale,
        telegram_language=row.telegram_language,
        subscribed=bool(row.subscribed),
        city=row.city,
        timezone=row.timezone,
        blocked=bool(row.blocked),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
    )


@dataclass(frozen=True)
class Touch:
    """Refresh of a person's row that every private update makes (see `UserRepo.touch`)."""

    user_id: int
    telegram_language: str | None
    roles: str


@dataclass(frozen=True)
class Admission:
    """One incoming update's writes: its id claimed for dedupe (None: no dedupe here) and the touch."""

    update_id: int | None
    touch: Touch | None


def _admission_keys(request: Admission) -> list[tuple[str, int]]:
    keys = [] if request.update_id is None else [("update", request.update_id)]
    if request.touch is not None:
        keys.append(("user", request.touch.user_id))
    return keys


class UserRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        # Built once (they run on every update); the values are bound per execution. One statement
        # each: INSERT ... ON CONFLICT ... RETURNING (SQLite >= 3.35 and PostgreSQL), and a batch of
        # rows goes as one multi-row INSERT (SQLAlchemy's "insertmanyvalues").
        names = ("id", "telegram_language", "roles", "blocked", "first_seen", "last_seen")
        self._touch = upsert(
            db,
            users,
            {name: bindparam(name, type_=users.c[name].type) for name in names},
            ["id"],
            update=["telegram_language", "roles", "blocked", "last_seen"],
        ).returning(*users.c)
        self._claim = claim_update(db).returning(processed_updates.c.update_id)
        self._admissions: GroupCommit[Admission, tuple[bool, User | None]] = GroupCommit(
            self._admit_batch, keys=_admission_keys
        )

    async def admit(self, update_id: int | None, touch: Touch | None) -> tuple[bool, User | None]:
        """An incoming update's writes, committed when this returns: claim its id (False: it was
        handled before, nothing else is written) and create or refresh its sender's row. Concurrent
        updates share one transaction (bot/storage/batch.py)."""
        return await self._admissions.submit(Admission(update_id, touch))

    async def touch(self, user_id: int, telegram_language: str | None, roles: str) -> User:
        """Create or refresh the user on every update; an active user is no longer 'blocked'."""
        _, user = await self.admit(None, Touch(user_id, telegram_language, roles))
        if user is None:  # pragma: no cover - a touch without an update id always returns the row
            raise RuntimeError("the user row was not returned")
        return user

    async def _admit_batch(self, batch: Sequence[Admission]) -> list[tuple[bool, User | None]]:
        now = self._clock.now()
        claims = [{"update_id": a.update_id, "received_at": now} for a in batch if a.update_id is not None]
        async with self._db.begin() as conn:
            claimed: set[int] = set()
            if claims:
                claimed = set((await conn.execute(self._claim, claims)).scalars())
            first = [a.update_id is None or a.update_id in claimed for a in batch]
            touches = [
                {
                    "id": a.touch.user_id,
                    "telegram_language": (a.touch.telegram_language or "")[:16] or None,
                    "roles": a.touch.roles,
                    "blocked": False,
                    "first_seen": now,
                    "last_seen": now,
                }
                for a, new in zip(batch, first, strict=True)
                if new and a.touch is not None
            ]
            rows: dict[int, User] = {}
            if touches:
                rows = {row.id: _user(row) for row in await conn.execute(self._touch, touches)}
        return [
            (new, rows[a.touch.user_id] if new and a.touch is not None else None)
            for a, new in zip(batch, first, strict=True)
        ]

    async def get(self, user_id: int) -> User | None:
        async with self._db.connection() as conn:
            row = (await conn.execute(select(users).where(users.c.id == user_id))).first()
        return _user(row) if row else None

    async def many(self, user_ids: Sequence[int]) -> dict[int, User]:
        """Several users in a few queries (notices to many people need each one's language and zone)."""
        found: dict[int, User] = {}
        async with self._db.connection() as conn:
            for start in range(0, len(user_ids), 500):
                chunk = list(user_ids[start : start + 500])
                for row in await conn.execute(select(users).where(users.c.id.in_(chunk))):
                    found[row.id] = _user(row)
        return found

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._update(user_id, locale=locale)

    async def set_subscribed(self, user_id: int, subscribed: bool) -> None:
        await self._update(user_id, subscribed=subscribed)

    async def set_place(self, user_id: int, city: str | None, timezone: str | None) -> None:
        await self._update(user_id, city=city, timezone=timezone)

    async def mark_blocked(self, user_id: int) -> None:
        await self._update(user_id, blocked=True)

    async def _update(self, user_id: int, **values: Any) -> None:
        async with self._db.begin() as conn:
            await conn.execute(update(users).where(users.c.id == user_id).values(**values))

    async def audience(self, *, locale: str | None = None, city: str | None = None) -> list[tuple[int, str]]:
        """(user id, locale) of every active subscriber: chose a language, not opted out, not blocked."""
        conditions = [users.c.locale.is_not(None), users.c.subscribed.is_(True), users.c.blocked.is_(False)]
        if locale:
            conditions.append(users.c.locale == locale)
        if city:
            conditions.append(users.c.city == city)
        async with self._db.connection() as conn:
            rows = await conn.execute(
                select(users.c.id, users.c.locale).where(and_(*conditions)).order_by(users.c.id)
            )
            return [(row.id, row.locale) for row in rows]

    async def count(self) -> int:
        async with self._db.connection() as conn:
            return int((await conn.execute(select(func.count()).select_from(users))).scalar_one())
