"""aiogram FSM storage on our database, so a half-filled form survives a restart."""

from __future__ import annotations

import asyncio
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
    """`sole_writer` (one process on its own database, i.e. embedded SQLite; several instances share FSM
    state in Redis instead): keep in memory the set of keys that have a row, read from the table at first
    use, so the state read that every update makes costs no query for the many people who are not in a
    form. The table stays the source of truth for what a row holds; the set is only ever a superset of the
    keys with rows (a key is added before its row is written, removed after its row is deleted; rows
    deleted elsewhere, as by `/forget`, just cost a query that finds nothing), and a restart reads it anew.
    """

    def __init__(self, db: Database, clock: Clock, *, sole_writer: bool = False) -> None:
        self._db = db
        self._clock = clock
        self._sole_writer = sole_writer
        self._with_rows: set[str] | None = None
        self._loading = asyncio.Lock()
        self._sequence = 0
        self._last_write: dict[str, int] = {}  # key -> sequence number of its latest write in flight

    async def _keys_with_rows(self) -> set[str] | None:
        if not self._sole_writer or self._with_rows is not None:
            return self._with_rows
        async with self._loading:
            if self._with_rows is None:
                async with self._db.connection() as conn:
                    self._with_rows = set((await conn.execute(select(fsm_states.c.key))).scalars())
        return self._with_rows

    async def _row(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        name = _key(key)
        with_rows = await self._keys_with_rows()
        if with_rows is not None and name not in with_rows:
            return None, {}
        async with self._db.connection() as conn:
            row = (
                await conn.execute(
                    select(fsm_states.c.state, fsm_states.c.data).where(fsm_states.c.key == name)
                )
            ).first()
        if row is None:
            return None, {}
        return row.state, dict(row.data or {})

    async def _write(self, key: StorageKey, **values: Any) -> None:
        name = _key(key)
        with_rows = await self._keys_with_rows()
        if with_rows is None:
            await self._write_row(key, **values)
            return
        if name not in with_rows and not any(values.values()):
            return  # clearing what has no row (`state.clear()` on every /menu): nothing to write
        with_rows.add(name)
        self._sequence += 1
        mine = self._last_write[name] = self._sequence
        kept = True
        try:
            kept = await self._write_row(key, **values)
        finally:
            if self._last_write.get(name) == mine:  # no later write of this key started meanwhile
                del self._last_write[name]
                if not kept:
                    with_rows.discard(name)

    async def _write_row(self, key: StorageKey, **values: Any) -> bool:
        """Whether a row is left."""
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
                return False
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
        return True

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
