"""A half-filled form survives a restart: FSM state lives in the database."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.clock import FrozenClock
from bot.config import Settings
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.fsm import SqlStorage


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
