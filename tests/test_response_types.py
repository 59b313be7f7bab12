"""The parsed-answer model of each Bot API result type outlives a garbage collection (it is not rebuilt
on the next call), and calls still return what the API answered."""

from __future__ import annotations

import gc
import weakref

from aiogram import Bot
from aiogram.methods import Response, SetChatMenuButton
from aiogram.types import MenuButtonDefault

from bot.telegram.response_types import KeepResponseTypes
from tests.support.session import FakeSession


async def test_the_answer_model_survives_garbage_collection() -> None:
    session = FakeSession()
    session.middleware(KeepResponseTypes())
    bot = Bot("1:test", session=session)
    assert await bot.set_chat_menu_button(chat_id=5, menu_button=MenuButtonDefault()) is True
    model = weakref.ref(Response[SetChatMenuButton.__returning__])
    gc.collect()
    assert model() is not None
    await bot.session.close()
