"""Drop an update Telegram delivers twice (webhook retries, a restart between polls)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy import delete

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.tables import processed_updates
from bot.storage.upsert import claim_update

log = logging.getLogger(__name__)
KEEP = timedelta(days=2)  # Telegram keeps undelivered updates for at most 24 hours


class DedupeMiddleware(BaseMiddleware):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._insert = claim_update(db)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):  # registered on dp.update: only misuse gets here
            return await handler(event, data)
        async with self._db.begin() as conn:
            result = await conn.execute(
                self._insert, {"update_id": event.update_id, "received_at": self._clock.now()}
            )
        if not result.rowcount:
            log.info("update %d already processed; dropped", event.update_id)
            return None
        return await handler(event, data)


async def forget_old_updates(db: Database, clock: Clock) -> None:
    async with db.begin() as conn:
        await conn.execute(
            delete(processed_updates).where(processed_updates.c.received_at < clock.now() - KEEP)
        )
