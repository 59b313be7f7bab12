"""Flood control: a person who sends too much too fast is told to slow down once; others are unaffected.

It is the first thing an update meets after aiogram works out who sent it: before the FSM state is
read, before the update id is stored (dedupe) and before the user row is refreshed, so a flood costs an
in-memory check per message and no database write. The "slow down" answer needs the person's language:
UserMiddleware remembers it for people seen recently (KnownLocales); otherwise it is read once.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update, User

from bot.config import Settings
from bot.i18n import Translator, pick_locale
from bot.users.repo import UserRepo
from bot.users.roles import roles_of

log = logging.getLogger(__name__)


class KnownLocales:
    """Interface language of the people seen most recently (bounded, least recently used dropped)."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._locales: OrderedDict[int, str] = OrderedDict()

    def get(self, user_id: int) -> str | None:
        return self._locales.get(user_id)

    def remember(self, user_id: int, locale: str) -> None:
        self._locales[user_id] = locale
        self._locales.move_to_end(user_id)
        if len(self._locales) > self._size:
            self._locales.popitem(last=False)


class Verdict(IntEnum):
    GO = 1  # under the limit: handle the update
    WARN = -1  # over the limit, not told yet in this window: say "slow down" once
    DROP = 0  # over the limit, already told: drop silently
    REPEATED = 2  # the update id was claimed before (a counter that claims ids): drop, not counted


# Set in the handler data when the flood counter has claimed the update's id for dedupe (shared mode:
# one Redis round trip does both), so the dedupe middleware does not claim it again.
CLAIMED_UPDATE = "claimed_update_id"


class FloodCounter(Protocol):
    claims_updates: bool  # hit() with an update id also claims it for dedupe

    async def hit(self, user_id: int, update_id: int | None = None) -> Verdict: ...


class MemoryFloodCounter:
    """Sliding window per person in this process's memory (the embedded, single-process mode)."""

    claims_updates = False  # dedupe is the database's (bot/middlewares/users.py)

    def __init__(self, limit: int, window: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window = window
        self._now = monotonic
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    async def hit(self, user_id: int, update_id: int | None = None) -> Verdict:
        now = self._now()
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        if len(self._hits) > 10_000:
            self._hits = {uid: h for uid, h in self._hits.items() if h and h[-1] > now - self._window}
            self._warned = {uid: t for uid, t in self._warned.items() if t > now - self._window}
            hits = self._hits.setdefault(user_id, hits)
        if len(hits) < self._limit:
            hits.append(now)
            return Verdict.GO
        if self._warned.get(user_id, -1e9) <= now - self._window:
            self._warned[user_id] = now
            return Verdict.WARN
        return Verdict.DROP


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self,
        settings: Settings,
        translator: Translator,
        users: UserRepo,
        locales: KnownLocales,
        counter: FloodCounter | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._t = translator
        self._users = users
        self._locales = locales
        self._counter = counter or MemoryFloodCounter(
            settings.flood_limit, settings.flood_window_seconds, monotonic
        )

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update) or (event.message is None and event.callback_query is None):
            return await handler(event, data)  # only messages and button presses are counted
        user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or user.is_bot or (chat is not None and chat.type != "private"):
            return await handler(event, data)  # group traffic is not throttled
        if roles_of(user.id, self._settings):
            return await handler(event, data)  # nor staff, operators, admins (roles from settings)
        verdict = await self._counter.hit(user.id, event.update_id)
        if verdict is Verdict.REPEATED:
            log.info("update %d already processed; dropped", event.update_id)
            return None
        if self._counter.claims_updates:
            data[CLAIMED_UPDATE] = event.update_id
        if verdict is Verdict.GO:
            return await handler(event, data)
        bot: Bot = data["bot"]
        query = event.callback_query
        with contextlib.suppress(TelegramAPIError):  # a failed "slow down" is not worth an error
            if verdict is Verdict.WARN:
                text = self._t(await self._locale(user), "flood-slow-down")
                if event.message is not None:
                    await bot.send_message(event.message.chat.id, text)
                elif query is not None:
                    await bot.answer_callback_query(query.id, text)
            elif query is not None:
                await bot.answer_callback_query(query.id)  # stop the button's spinner
        return None

    async def _locale(self, user: User) -> str:
        locale = self._locales.get(user.id)
        if locale is None:
            stored = await self._users.get(user.id)  # a read, once per window, only when warning
            locale = pick_locale(
                stored.locale if stored else None, user.language_code, self._settings.default_locale
            )
            self._locales.remember(user.id, locale)
        return locale


def install_first(dp: Dispatcher, middleware: BaseMiddleware) -> None:
    """Put flood control before aiogram's FSM middleware, which reads the state (a database query with
    our storage) and takes the per-user lock. aiogram registers its own update middlewares in
    Dispatcher(): errors, user context (who sent it, no I/O), then FSM; only append is public."""
    manager = dp.update.outer_middleware
    middlewares: list[Any] = manager._middlewares  # aiogram has no public insert
    position = middlewares.index(dp.fsm) if dp.fsm in middlewares else len(middlewares)
    middlewares.insert(position, middleware)
