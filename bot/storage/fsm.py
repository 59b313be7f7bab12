"""aiogram FSM storage on our database, so a half-filled form survives a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy import select

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.tables import fsm_states
from bot.storage.upsert import upsert


def _key(key: StorageKey) -> str:
    parts = (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or 0,
        key.business_connection_id or "",
        key.destiny,
    )
    return ":".join(str(part) for part in parts)


class SqlStorage(BaseStorage):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def _row(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        async with self._db.connection() as conn:
            row = (
                await conn.execute(
                    select(fsm_states.c.state, fsm_states.c.data).where(fsm_states.c.key == _key(key))
                )
            ).first()
        if row is None:
            return None, {}
        return row.state, dict(row.data or {})

    async def _write(self, key: StorageKey, **values: Any) -> None:
        async with self._db.begin() as conn:
            current = (
                await conn.execute(
                    select(fsm_states.c.state, fsm_states.c.data).where(fsm_states.c.key == _key(key))
                )
            ).first()
            row = (
                {"state": None, "data": {}}
                if current is None
                else {"state": current.state, "data": current.data}
            )
            row.update(values)
            if row["state"] is None and not row["data"]:
                await conn.execute(fsm_states.delete().where(fsm_states.c.key == _key(key)))
                return
            await conn.execute(
                upsert(
                    self._db,
                    fsm_states,
                    {
                        "key": _key(key),
                        "state": row["state"],
                        "data": row["data"],
                        "updated_at": self._clock.now(),
                    },
                    ["key"],
                )
            )

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._row(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._row(key))[1]

    async def close(self) -> None:
        # The database belongs to the application, which closes it.
        return None
