"""`/forget`: each feature registers how to erase a person's data; the foundation runs them all.

An eraser may return how many things it could not remove (e.g. a message in a group too old to
delete); it tells the person itself, in words that fit. One eraser failing never stops the others
or the foundation's own deletion; the failure is raised at the end so nobody is told "all deleted".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import and_, delete

from bot.storage.database import Database
from bot.storage.tables import fsm_states, outbox, users

log = logging.getLogger(__name__)

Eraser = Callable[[int], Awaitable[int | None]]


class DataEraser:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._erasers: list[Eraser] = []

    def register(self, eraser: Eraser) -> None:
        self._erasers.append(eraser)

    async def erase(self, user_id: int) -> int:
        """Returns the number of items features reported they could not remove."""
        left, failed = 0, list[Exception]()  # failed: the exceptions of erasers that broke
        # Features first (they may need the user row), the foundation's own rows last.
        for eraser in self._erasers:
            try:
                left += await eraser(user_id) or 0
            except Exception as exc:  # the next eraser and the foundation still run
                name = getattr(eraser, "__qualname__", repr(eraser))
                log.error("forget: eraser %s failed: %s", name, type(exc).__name__)
                failed.append(exc)
        async with self._db.begin() as conn:
            await conn.execute(
                delete(outbox).where(
                    and_(outbox.c.chat_id == user_id, outbox.c.status.in_(["pending", "paused"]))
                )
            )
            # FSM keys are bot:chat:user:thread:...; a migrant's forms live in their private chat.
            await conn.execute(delete(fsm_states).where(fsm_states.c.key.like(f"%:{user_id}:{user_id}:%")))
            await conn.execute(delete(users).where(users.c.id == user_id))
        if failed:  # the person is apologised to instead of told "all deleted"
            raise failed[0]
        return left
