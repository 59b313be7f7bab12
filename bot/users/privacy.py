"""`/forget`: each feature registers how to erase a person's data; the foundation runs them all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import and_, delete

from bot.storage.database import Database
from bot.storage.tables import fsm_states, outbox, users

Eraser = Callable[[int], Awaitable[None]]


class DataEraser:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._erasers: list[Eraser] = []

    def register(self, eraser: Eraser) -> None:
        self._erasers.append(eraser)

    async def erase(self, user_id: int) -> None:
        # Features first (they may need the user row), the foundation's own rows last.
        for eraser in self._erasers:
            await eraser(user_id)
        async with self._db.begin() as conn:
            await conn.execute(
                delete(outbox).where(
                    and_(outbox.c.chat_id == user_id, outbox.c.status.in_(["pending", "paused"]))
                )
            )
            # FSM keys are bot:chat:user:thread:...; a migrant's forms live in their private chat.
            await conn.execute(delete(fsm_states).where(fsm_states.c.key.like(f"%:{user_id}:{user_id}:%")))
            await conn.execute(delete(users).where(users.c.id == user_id))
