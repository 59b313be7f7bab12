"""A half-filled form survives a restart: FSM state lives in the database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import event

from bot.clock import FrozenClock
from bot.config import Settings
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.fsm import SqlStorage
from bot.storage.tables import fsm_states


class Form(StatesGroup):
    city = State()


async def test_state_and_data_survive_a_new_connection(settings: Settings, clock: FrozenClock) -> None:
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    storage = SqlStorage(db, clock)
    await storage.set_state(key, Form.city)
    await storage.set_data(key, {"category": "wages", "files": ["a", "b"]})
    await db.close()

    reopened = Database.connect(settings.db_url)  # as after a restart
    storage = SqlStorage(reopened, clock)
    assert await storage.get_state(key) == Form.city.state
    assert await storage.get_data(key) == {"category": "wages", "files": ["a", "b"]}
    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await storage.get_state(key) is None and await storage.get_data(key) == {}
    await reopened.close()


async def test_keys_do_not_mix(settings: Settings, clock: FrozenClock) -> None:
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    storage = SqlStorage(db, clock)
    a, b = StorageKey(bot_id=1, chat_id=10, user_id=10), StorageKey(bot_id=1, chat_id=-5, user_id=10)
    await storage.set_data(a, {"x": 1})
    assert await storage.get_data(b) == {}
    await db.close()


async def _statements(db: Database, work: Any) -> int:
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", counted)
    try:
        await work()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", counted)
    return count


async def test_sole_writer_reads_no_row_for_people_not_in_a_form(
    settings: Settings, clock: FrozenClock
) -> None:
    key, other = StorageKey(bot_id=1, chat_id=10, user_id=10), StorageKey(bot_id=1, chat_id=11, user_id=11)
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    await SqlStorage(db, clock).set_state(other, Form.city)  # written before this process started
    storage = SqlStorage(db, clock, sole_writer=True)
    assert await storage.get_state(key) is None
    assert await _statements(db, lambda: storage.get_state(key)) == 0
    assert await _statements(db, lambda: storage.set_data(key, {})) == 0  # clearing nothing
    assert await storage.get_state(other) == Form.city.state
    await storage.set_state(key, Form.city)
    await storage.set_data(key, {"step": 1})
    assert await storage.get_state(key) == Form.city.state
    assert await storage.get_data(key) == {"step": 1}
    await storage.set_state(key, None)
    assert await storage.get_data(key) == {"step": 1}
    await storage.set_data(key, {})
    assert await storage.get_state(key) is None
    assert await _statements(db, lambda: storage.get_state(key)) == 0
    await storage.set_state(key, Form.city)
    async with db.begin() as conn:  # as `/forget` does, outside the storage
        await conn.execute(fsm_states.delete())
    assert await storage.get_state(key) is None and await storage.get_state(other) is None
    await storage.set_state(key, Form.city)
    await db.close()

    reopened = Database.connect(settings.db_url)  # the table, not the memory, is the truth
    assert await SqlStorage(reopened, clock, sole_writer=True).get_state(key) == Form.city.state
    await reopened.close()


async def test_a_clear_finishing_after_a_later_write_keeps_that_write_visible(
    settings: Settings, clock: FrozenClock
) -> None:
    """A clear deletes the row; before it returns, a later write of the same key commits: the key must
    stay known to have a row, or the later state would be invisible until a restart."""
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    gate, committed = asyncio.Event(), asyncio.Event()
    calls = 0

    class GatedDatabase:
        def __init__(self) -> None:
            self.is_sqlite = db.is_sqlite
            self.connection = db.connection

        @contextlib.asynccontextmanager
        async def begin(self) -> AsyncIterator[Any]:
            nonlocal calls
            calls += 1
            first = calls == 2  # the clearing write (1 was the setup write)
            async with db.begin() as conn:
                yield conn
            if first:
                committed.set()
                await gate.wait()

    storage = SqlStorage(GatedDatabase(), clock, sole_writer=True)  # type: ignore[arg-type]
    await storage.set_state(key, Form.city)
    clearing = asyncio.create_task(storage.set_state(key, None))
    await committed.wait()
    await storage.set_state(key, Form.city)
    gate.set()
    await clearing
    assert await storage.get_state(key) == Form.city.state
    await db.close()
