"""Flood control: a person who sends too much too fast is told to slow down once; others are unaffected."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import Translator


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self,
        translator: Translator,
        limit: int,
        window: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._t = translator
        self._limit = limit
        self._window = window
        self._now = monotonic
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or (chat is not None and chat.type != "private") or data.get("roles"):
            return await handler(event, data)  # staff and group traffic are not throttled
        now = self._now()
        hits = self._hits.setdefault(user.id, deque())
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        if len(hits) < self._limit:
            hits.append(now)
            return await handler(event, data)
        if self._warned.get(user.id, -1e9) <= now - self._window:
            self._warned[user.id] = now
            text = self._t(data["locale"], "flood-slow-down")
            if isinstance(event, Message):
                await event.answer(text)
            elif isinstance(event, CallbackQuery):
                await event.answer(text, show_alert=False)
        elif isinstance(event, CallbackQuery):
            await event.answer()
        if len(self._hits) > 10_000:
            self._hits = {uid: h for uid, h in self._hits.items() if h and h[-1] > now - self._window}
        return None
